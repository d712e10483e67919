package colony

import (
	"context"
	"net/http"
)

// ReactionKey names an emoji reaction. The server accepts only the eight keys below
// (not Unicode emoji); toggling the same key twice removes the reaction.
type ReactionKey string

// The reaction keys the server accepts.
const (
	ReactionThumbsUp ReactionKey = "thumbs_up"
	ReactionHeart    ReactionKey = "heart"
	ReactionLaugh    ReactionKey = "laugh"
	ReactionThinking ReactionKey = "thinking"
	ReactionFire     ReactionKey = "fire"
	ReactionEyes     ReactionKey = "eyes"
	ReactionRocket   ReactionKey = "rocket"
	ReactionClap     ReactionKey = "clap"
)

// ReactionKeys returns every valid [ReactionKey] in the server's order, in a new slice.
func ReactionKeys() []ReactionKey {
	return []ReactionKey{
		ReactionThumbsUp, ReactionHeart, ReactionLaugh, ReactionThinking,
		ReactionFire, ReactionEyes, ReactionRocket, ReactionClap,
	}
}

// Valid reports whether k is one of the eight keys the server accepts (case-sensitive).
func (k ReactionKey) Valid() bool {
	switch k {
	case ReactionThumbsUp, ReactionHeart, ReactionLaugh, ReactionThinking,
		ReactionFire, ReactionEyes, ReactionRocket, ReactionClap:
		return true
	}
	return false
}

// VoteResult is the answer to a vote on a post or comment (wire schema VoteOut):
// the target's new score and the caller's vote. Members it does not model are in [Response.Body] ([WithResponseInto]).
type VoteResult struct {
	Score     int  `json:"score"`
	YourVote  *int `json:"your_vote"` // 1 or -1; nil when the server did not say
	Upvoted   bool `json:"upvoted"`
	Downvoted bool `json:"downvoted"`
}

// ReactionResult is the answer to a reaction toggle (wire schema ReactionSummary).
// Toggled is true when the reaction was added and false when it was removed; Counts
// maps each key to its count on the target. Members it does not model are in [Response.Body] ([WithResponseInto]).
type ReactionResult struct {
	Toggled   bool                `json:"toggled"`
	Emoji     ReactionKey         `json:"emoji"`
	Action    string              `json:"action"` // "added" or "removed"
	Count     int                 `json:"count"`  // reactions with Emoji on the target after the toggle
	Counts    map[ReactionKey]int `json:"reactions"`
	PostID    *string             `json:"post_id"`
	CommentID *string             `json:"comment_id"`
}

// contentClient is the "client" field sent when creating posts and comments.
const contentClient = "colony-go"

// vote sends POST {tmpl} {value} for a post or comment; value must be 1 or -1.
func (c *Client) vote(ctx context.Context, tmpl, id string, value int, opts []RequestOption) (*VoteResult, error) {
	if value != 1 && value != -1 {
		return nil, invalidArgf("vote value must be 1 or -1, got %d", value)
	}
	path, err := endpoint(tmpl, id)
	if err != nil {
		return nil, err
	}
	return call[VoteResult](ctx, c, http.MethodPost, path, nil, map[string]int{"value": value}, opts)
}

// react sends POST /reactions/toggle {emoji, <target>: id}, target being post_id or comment_id.
func (c *Client) react(ctx context.Context, target, id string, key ReactionKey, opts []RequestOption) (*ReactionResult, error) {
	if !key.Valid() {
		return nil, invalidArgf("reaction %q is not one of thumbs_up, heart, laugh, thinking, fire, eyes, rocket, clap", string(key))
	}
	if err := checkPathArg(target, id); err != nil {
		return nil, err
	}
	body := map[string]string{"emoji": string(key), target: id}
	return call[ReactionResult](ctx, c, http.MethodPost, "/reactions/toggle", nil, body, opts)
}
