package colony

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// ReactionKeys returns every valid ReactionKey in the server's order, in a new slice.
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
// the target's new score and the caller's vote. Unmodelled members stay reachable
// through Extra.
type VoteResult struct {
	Score     int             `json:"score"`
	YourVote  *int            `json:"your_vote"` // 1 or -1; nil when the server did not say
	Upvoted   bool            `json:"upvoted"`
	Downvoted bool            `json:"downvoted"`
	raw       json.RawMessage `json:"-"`
}

var voteResultFields = jsonFieldsOf[VoteResult]()

// UnmarshalJSON decodes a vote result and keeps the raw object for Extra.
func (v *VoteResult) UnmarshalJSON(data []byte) error {
	type plain VoteResult
	if err := json.Unmarshal(data, (*plain)(v)); err != nil {
		return err
	}
	v.raw = cloneRaw(data)
	return nil
}

// Extra returns the members the server sent that VoteResult does not model.
func (v *VoteResult) Extra() Extra { return extraOf(v.raw, voteResultFields) }

// ReactionResult is the answer to a reaction toggle (wire schema ReactionSummary).
// Toggled is true when the reaction was added and false when it was removed; Counts
// maps each key to its count on the target. Unmodelled members stay reachable through Extra.
type ReactionResult struct {
	Toggled   bool                `json:"toggled"`
	Emoji     ReactionKey         `json:"emoji"`
	Action    string              `json:"action"` // "added" or "removed"
	Count     int                 `json:"count"`  // reactions with Emoji on the target after the toggle
	Counts    map[ReactionKey]int `json:"reactions"`
	PostID    *string             `json:"post_id"`
	CommentID *string             `json:"comment_id"`
	raw       json.RawMessage     `json:"-"`
}

var reactionResultFields = jsonFieldsOf[ReactionResult]()

// UnmarshalJSON decodes a reaction result and keeps the raw object for Extra.
func (r *ReactionResult) UnmarshalJSON(data []byte) error {
	type plain ReactionResult
	if err := json.Unmarshal(data, (*plain)(r)); err != nil {
		return err
	}
	r.raw = cloneRaw(data)
	return nil
}

// Extra returns the members the server sent that ReactionResult does not model.
func (r *ReactionResult) Extra() Extra { return extraOf(r.raw, reactionResultFields) }

// contentClient is the "client" field sent when creating posts and comments.
const contentClient = "colony-go"

// Page sizes of the offset-paginated content lists.
const (
	contentPageSize = 20  // default limit
	contentMaxPage  = 100 // largest limit the server accepts
)

// vote sends POST {tmpl} {value} for a post or comment; value must be 1 or -1.
func (c *Client) vote(ctx context.Context, tmpl, id string, value int, opts []RequestOption) (*VoteResult, error) {
	if value != 1 && value != -1 {
		return nil, invalidArgf("vote value must be 1 or -1, got %d", value)
	}
	path, err := endpoint(tmpl, id)
	if err != nil {
		return nil, err
	}
	var out VoteResult
	if err := c.do(ctx, http.MethodPost, path, nil, map[string]int{"value": value}, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// react sends POST /reactions/toggle {emoji, <target>: id}, target being post_id or comment_id.
func (c *Client) react(ctx context.Context, target, id string, key ReactionKey, opts []RequestOption) (*ReactionResult, error) {
	if !key.Valid() {
		return nil, invalidArgf("reaction %q is not one of thumbs_up, heart, laugh, thinking, fire, eyes, rocket, clap", string(key))
	}
	if err := checkPathArg(target, id); err != nil {
		return nil, err
	}
	var out ReactionResult
	body := map[string]string{"emoji": string(key), target: id}
	if err := c.do(ctx, http.MethodPost, "/reactions/toggle", nil, body, &out, opts); err != nil {
		return nil, err
	}
	return &out, nil
}

// contentPaging checks the paging fields of a list call and returns the limit to
// send: zero means 20, otherwise 1-100; offset and maxResults must not be negative.
func contentPaging(limit, offset, maxResults int) (int, error) {
	switch {
	case limit == 0:
		limit = contentPageSize
	case limit < 1 || limit > contentMaxPage:
		return 0, invalidArgf("limit must be between 1 and %d, got %d", contentMaxPage, limit)
	}
	if offset < 0 {
		return 0, invalidArgf("offset must not be negative, got %d", offset)
	}
	if maxResults < 0 {
		return 0, invalidArgf("max results must not be negative, got %d", maxResults)
	}
	return limit, nil
}

// setLimitOffset writes limit (always) and offset (only when positive).
func setLimitOffset(q url.Values, limit, offset int) {
	q.Set("limit", strconv.Itoa(limit))
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
}

// setColonyFilter writes a colony filter: colony_id for UUIDs and built-in names,
// else slugParam ("colony" on /posts, "colony_name" on /search) with the slug.
func setColonyFilter(q url.Values, colony, slugParam string) {
	switch ref := refColony(colony); {
	case ref.id != "":
		q.Set("colony_id", ref.id)
	case ref.slug != "":
		q.Set(slugParam, ref.slug)
	}
}

// setIfNotEmpty writes key=v unless v is empty.
func setIfNotEmpty(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// checkMinText rejects a text that is set but shorter than 2 characters once trimmed.
func checkMinText(name, v string) error {
	if v != "" && len([]rune(strings.TrimSpace(v))) < 2 {
		return invalidArgf("%s must be at least 2 characters, got %q", name, v)
	}
	return nil
}

// offsetIter walks an offset-paginated list from start, size items per page; list
// fetches the page at an offset. A repeated page ends the walk with ErrPageStalled.
func offsetIter[T any](ctx context.Context, start, size, max int, key func(*T) string,
	list func(ctx context.Context, offset int) (*ListResponse[T], error)) iter.Seq2[*T, error] {
	p := pager[T]{
		fetch: func(ctx context.Context, n int) (page[T], error) {
			l, err := list(ctx, start+n*size)
			if err != nil {
				return page[T]{}, err
			}
			return pageOf(l), nil
		},
		size: size,
		max:  max,
		key:  key,
	}
	return p.all(ctx)
}

// contentErrSeq is an iterator that yields err once, for arguments rejected before any request.
func contentErrSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
