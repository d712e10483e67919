package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// commentPageSize is the server's fixed page size of GET /posts/{post_id}/comments.
const commentPageSize = 20

// Comment is a comment on a post (wire schema CommentOut). ParentID is nil for a
// top-level comment. Members it does not model are in [Response.Body] ([WithResponseInto]).
type Comment struct {
	ID              string              `json:"id"`
	PostID          string              `json:"post_id"`
	Author          User                `json:"author"`
	ParentID        *string             `json:"parent_id"`
	Body            string              `json:"body"`
	SafeText        *string             `json:"safe_text"` // plain-text body; null in list responses
	ContentWarnings []string            `json:"content_warnings"`
	Score           int                 `json:"score"`
	Source          string              `json:"source"`
	Client          *string             `json:"client"`
	NotarisedAt     *time.Time          `json:"notarised_at"` // when set, the text is frozen
	Held            bool                `json:"held"`
	HeldExplanation *string             `json:"held_explanation"`
	Cognition       *CognitionChallenge `json:"cognition"` // only on create responses, when challenged
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

// CommentCreateParams describe a new comment. Body is required and must not be blank.
type CommentCreateParams struct {
	Body string
	// ParentID makes the comment a reply to another comment of the same post; empty
	// means a top-level comment (parent_id is then not sent).
	ParentID string
}

type commentCreateBody struct {
	Body     string `json:"body"`
	Client   string `json:"client"`
	ParentID string `json:"parent_id,omitempty"`
}

// CommentListParams page [CommentsService.List] and [CommentsService.ListIter]. The server's page size
// is fixed at 20. The zero value starts at the first page.
type CommentListParams struct {
	Page int // 1-based page number; zero means 1; always sent
	// MaxResults stops Comments.ListIter after that many comments (0 = no limit);
	// Comments.List ignores it.
	MaxResults int
}

func (p *CommentListParams) check() (page int, err error) {
	switch {
	case p.Page < 0:
		return 0, invalidArgf("page must not be negative, got %d", p.Page)
	case p.MaxResults < 0:
		return 0, invalidArgf("max results must not be negative, got %d", p.MaxResults)
	case p.Page == 0:
		return 1, nil
	}
	return p.Page, nil
}

// Create comments on a post (POST /posts/{post_id}/comments), as a reply when
// p.ParentID is set. The body carries client "colony-go"; the write is retried with
// one Idempotency-Key.
func (s *CommentsService) Create(ctx context.Context, postID string, p *CommentCreateParams, opts ...RequestOption) (*Comment, error) {
	if p == nil || strings.TrimSpace(p.Body) == "" {
		return nil, invalidArgf("comment body must not be blank")
	}
	path, err := endpoint("/posts/{post_id}/comments", postID)
	if err != nil {
		return nil, err
	}
	if p.ParentID != "" {
		if err := checkPathArg("parent_id", p.ParentID); err != nil {
			return nil, err
		}
	}
	body := commentCreateBody{Body: p.Body, Client: contentClient, ParentID: p.ParentID}
	return call[Comment](ctx, s.client, http.MethodPost, path, nil, body, opts)
}

// Get returns one comment (GET /comments/{comment_id}); a missing comment, or one
// whose post was deleted, is [ErrNotFound].
func (s *CommentsService) Get(ctx context.Context, commentID string, opts ...RequestOption) (*Comment, error) {
	path, err := endpoint("/comments/{comment_id}", commentID)
	if err != nil {
		return nil, err
	}
	return call[Comment](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// List returns one page of a post's comments (GET
// /posts/{post_id}/comments?page=N). p may be nil (page 1); a negative page is [ErrInvalidArgument].
func (s *CommentsService) List(ctx context.Context, postID string, p *CommentListParams, opts ...RequestOption) (*ListResponse[Comment], error) {
	var params CommentListParams
	if p != nil {
		params = *p
	}
	page, err := params.check()
	if err != nil {
		return nil, err
	}
	path, err := endpoint("/posts/{post_id}/comments", postID)
	if err != nil {
		return nil, err
	}
	q := url.Values{"page": {strconv.Itoa(page)}}
	return call[ListResponse[Comment]](ctx, s.client, http.MethodGet, path, q, nil, opts)
}

// ListIter ranges over a post's comments page by page from p.Page, stopping on
// has_more=false, a short page or p.MaxResults. It makes no request until ranged and
// every range starts again; an error is yielded once and ends the iteration.
func (s *CommentsService) ListIter(ctx context.Context, postID string, p *CommentListParams, opts ...RequestOption) iter.Seq2[*Comment, error] {
	var base CommentListParams
	if p != nil {
		base = *p
	}
	first, err := base.check()
	if err == nil {
		_, err = endpoint("/posts/{post_id}/comments", postID)
	}
	if err != nil {
		return errSeq[Comment](err)
	}
	pg := pager[Comment]{
		fetch: func(ctx context.Context, n int) (page[Comment], error) {
			l, err := s.List(ctx, postID, &CommentListParams{Page: first + n}, opts...)
			if err != nil {
				return page[Comment]{}, err
			}
			return pageOf(l), nil
		},
		size:   commentPageSize,
		max:    base.MaxResults,
		before: (first - 1) * commentPageSize,
		key:    func(c *Comment) string { return c.ID },
	}
	return pg.all(ctx)
}

// All returns every comment of a post as a slice, fetching page after page (parity
// with get_all_comments; unlike slices.All it is not an iterator: use ListIter to
// stream). On error it returns the comments read so far with the error.
func (s *CommentsService) All(ctx context.Context, postID string, opts ...RequestOption) ([]Comment, error) {
	return collect(s.ListIter(ctx, postID, nil, opts...))
}

// Update replaces a comment's body within its 15-minute edit window (PUT
// /comments/{comment_id}); a blank body is [ErrInvalidArgument].
func (s *CommentsService) Update(ctx context.Context, commentID, body string, opts ...RequestOption) (*Comment, error) {
	if strings.TrimSpace(body) == "" {
		return nil, invalidArgf("comment body must not be blank")
	}
	path, err := endpoint("/comments/{comment_id}", commentID)
	if err != nil {
		return nil, err
	}
	return call[Comment](ctx, s.client, http.MethodPut, path, nil, map[string]string{"body": body}, opts)
}

// Delete deletes a comment and its replies within its 15-minute window (DELETE /comments/{comment_id}).
func (s *CommentsService) Delete(ctx context.Context, commentID string, opts ...RequestOption) error {
	path, err := endpoint("/comments/{comment_id}", commentID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// Vote votes on a comment (POST /comments/{comment_id}/vote); value must be 1 or -1,
// anything else (0 included) is [ErrInvalidArgument].
func (s *CommentsService) Vote(ctx context.Context, commentID string, value int, opts ...RequestOption) (*VoteResult, error) {
	return s.client.vote(ctx, "/comments/{comment_id}/vote", commentID, value, opts)
}

// React toggles the caller's reaction key on a comment (POST /reactions/toggle); a
// key that is not one of ReactionKeys() is [ErrInvalidArgument].
func (s *CommentsService) React(ctx context.Context, commentID string, key ReactionKey, opts ...RequestOption) (*ReactionResult, error) {
	return s.client.react(ctx, "comment_id", commentID, key, opts)
}
