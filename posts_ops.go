package colony

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxPostTags is the largest tag set a post may carry.
const maxPostTags = 10

// checkTags refuses more than maxPostTags tags and blank ones.
func checkTags(tags []string) error {
	if len(tags) > maxPostTags {
		return invalidArgf("a post has at most %d tags, got %d", maxPostTags, len(tags))
	}
	for i, t := range tags {
		if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")) == "" {
			return invalidArgf("tag %d is blank", i)
		}
	}
	return nil
}

// postAction sends a body-less write to the route template tmpl, whose placeholder
// postID fills, and decodes a post.
func (s *PostsService) postAction(ctx context.Context, method, tmpl, postID string, opts []RequestOption) (*Post, error) {
	path, err := endpoint(tmpl, postID)
	if err != nil {
		return nil, err
	}
	return call[Post](ctx, s.client, method, path, nil, nil, opts)
}

// Close closes a post to new comments (POST /posts/{post_id}/close, no body) and
// returns it with ClosedAt set. Only its author or a moderator may; closing a closed
// post changes nothing, so the call is safe to retry.
func (s *PostsService) Close(ctx context.Context, postID string, opts ...RequestOption) (*Post, error) {
	return s.postAction(ctx, http.MethodPost, "/posts/{post_id}/close", postID, opts)
}

// Reopen reopens a closed post (POST /posts/{post_id}/reopen, no body) and returns it
// with ClosedAt nil. Only its author or a moderator may; it is safe to retry.
func (s *PostsService) Reopen(ctx context.Context, postID string, opts ...RequestOption) (*Post, error) {
	return s.postAction(ctx, http.MethodPost, "/posts/{post_id}/reopen", postID, opts)
}

// Pin toggles a post's pin in its colony (POST /posts/{post_id}/pin, no body): a
// second call unpins, so check IsPinned on the answer. Moderators only ([ErrForbidden]
// otherwise); a retried attempt carries the same Idempotency-Key and is not re-applied.
func (s *PostsService) Pin(ctx context.Context, postID string, opts ...RequestOption) (*Post, error) {
	return s.postAction(ctx, http.MethodPost, "/posts/{post_id}/pin", postID, opts)
}

// PostMove is the answer of [PostsService.MoveToColony] and [ColoniesService.MovePostOut] (an unpublished
// wire shape); ToColonyID is empty when a post left its colony without a new one.
type PostMove struct {
	PostID       string `json:"post_id"`
	FromColonyID string `json:"from_colony_id"`
	ToColonyID   string `json:"to_colony_id"`
	Moved        bool   `json:"moved"`
}

// MoveToColony moves a post to the sandbox colony named colony (PUT
// /posts/{post_id}/colony?colony=<name>, no body). Only sentinels may ([ErrForbidden]),
// a non-sandbox destination is [ErrValidation] (400), and repeating it answers Moved false.
// colony must be a colony name: blank or UUID values are [ErrInvalidArgument].
func (s *PostsService) MoveToColony(ctx context.Context, postID, colony string, opts ...RequestOption) (*PostMove, error) {
	if strings.TrimSpace(colony) == "" || isUUID(colony) {
		return nil, invalidArgf("colony must be a colony name, got %q", colony)
	}
	path, err := endpoint("/posts/{post_id}/colony", postID)
	if err != nil {
		return nil, err
	}
	return call[PostMove](ctx, s.client, http.MethodPut, path, url.Values{"colony": {colony}}, nil, opts)
}

// CrosspostParams describe a crosspost. Colony is required.
type CrosspostParams struct {
	// Colony is the destination colony, a name or a UUID, sent as colony_id as given
	// (the server resolves names).
	Colony string
	// Title is 3-300 characters; empty means the original's title (not sent).
	Title string
}

type crosspostBody struct {
	ColonyID string `json:"colony_id"`
	Title    string `json:"title,omitempty"`
}

// Crosspost copies a post into another colony (POST /posts/{post_id}/crosspost) and
// returns the new post, whose CrosspostOfID is the original. An unknown colony is
// [ErrNotFound]. Retries reuse one Idempotency-Key, so one crosspost is created.
func (s *PostsService) Crosspost(ctx context.Context, postID string, p *CrosspostParams, opts ...RequestOption) (*Post, error) {
	if p == nil || strings.TrimSpace(p.Colony) == "" {
		return nil, invalidArgf("crosspost needs a destination colony")
	}
	if n := utf8.RuneCountInString(p.Title); p.Title != "" && (n < 3 || n > 300) {
		return nil, invalidArgf("crosspost title must be 3-300 characters, got %d", n)
	}
	path, err := endpoint("/posts/{post_id}/crosspost", postID)
	if err != nil {
		return nil, err
	}
	return call[Post](ctx, s.client, http.MethodPost, path, nil, crosspostBody{ColonyID: p.Colony, Title: p.Title}, opts)
}

// PostLanguage is the answer of [PostsService.SetLanguage] (wire schema PostLanguageOut).
type PostLanguage struct {
	PostID   string `json:"post_id"`
	Language string `json:"language"`
}

// SetLanguage sets a post's language tag, such as "en" or "zh-Hans" (PUT
// /posts/{post_id}/language?language=<tag>, no body). A tag outside 2-10 characters
// is [ErrInvalidArgument]. Setting the same tag again is harmless.
func (s *PostsService) SetLanguage(ctx context.Context, postID, language string, opts ...RequestOption) (*PostLanguage, error) {
	if n := utf8.RuneCountInString(language); n < 2 || n > 10 || strings.TrimSpace(language) != language {
		return nil, invalidArgf("language must be a 2-10 character tag, got %q", language)
	}
	path, err := endpoint("/posts/{post_id}/language", postID)
	if err != nil {
		return nil, err
	}
	return call[PostLanguage](ctx, s.client, http.MethodPut, path, url.Values{"language": {language}}, nil, opts)
}

// ScanMark is the answer of [PostsService.MarkScanned] and [CommentsService.MarkScanned] (an
// unpublished wire shape): the subject's id (PostID or CommentID) and its new mark.
type ScanMark struct {
	PostID          string `json:"post_id,omitempty"`
	CommentID       string `json:"comment_id,omitempty"`
	SentinelScanned bool   `json:"sentinel_scanned"`
}

// MarkScanned sets a post's sentinel-scanned mark (PUT
// /posts/{post_id}/sentinel-scanned?scanned=true|false, no body; scanned is always
// sent). false re-queues the post. Sentinels only ([ErrForbidden]); idempotent.
func (s *PostsService) MarkScanned(ctx context.Context, postID string, scanned bool, opts ...RequestOption) (*ScanMark, error) {
	return markScanned(ctx, s.client, "/posts/{post_id}/sentinel-scanned", postID, scanned, opts)
}

func markScanned(ctx context.Context, c *Client, tmpl, id string, scanned bool, opts []RequestOption) (*ScanMark, error) {
	path, err := endpoint(tmpl, id)
	if err != nil {
		return nil, err
	}
	return call[ScanMark](ctx, c, http.MethodPut, path, url.Values{"scanned": {strconv.FormatBool(scanned)}}, nil, opts)
}

// SetTags replaces the tags of a post (PUT /posts/{post_id}/tags, body {"tags": [...]})
// and returns it; nil is sent as [] (no tags). Author only. The server refuses a
// post that already has tags (use Update within the edit window) or is over 7 days
// old. More than 10 or blank tags are [ErrInvalidArgument].
func (s *PostsService) SetTags(ctx context.Context, postID string, tags []string, opts ...RequestOption) (*Post, error) {
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	if tags == nil {
		tags = []string{}
	}
	path, err := endpoint("/posts/{post_id}/tags", postID)
	if err != nil {
		return nil, err
	}
	return call[Post](ctx, s.client, http.MethodPut, path, nil, map[string][]string{"tags": tags}, opts)
}
