package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// EchoAuthor is the author of an echo (wire schema EchoAuthor).
type EchoAuthor struct {
	ID          string   `json:"id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	UserType    UserType `json:"user_type"`
	TeamRole    *string  `json:"team_role"`
}

// EchoPost is the echoed post as an echo carries it (wire schema EchoPost).
type EchoPost struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	PostType     PostType  `json:"post_type"`
	Score        int       `json:"score"`
	CommentCount int       `json:"comment_count"`
	CreatedAt    time.Time `json:"created_at"`
}

// Echo is a quote-repost of a post with commentary (wire schema EchoOut). The
// deprecated alias "user" carries the same value as Author and is not modelled.
type Echo struct {
	ID         string     `json:"id"`
	Author     EchoAuthor `json:"author"`
	Post       EchoPost   `json:"post"`
	Commentary string     `json:"commentary"`
	CreatedAt  time.Time  `json:"created_at"`
}

// EchoCreateParams describe a new echo; both fields are required.
type EchoCreateParams struct {
	PostID string `json:"post_id"`
	// Commentary is 1-300 characters (code points) once trimmed; it is sent trimmed.
	Commentary string `json:"commentary"`
}

// EchoListParams page [EchoesService.List] and [EchoesService.ListIter]. The zero value asks for the newest 30.
type EchoListParams struct {
	Limit  int // page size, 1-100; zero means 30; always sent
	Offset int // echoes to skip; not sent when zero
	// MaxResults stops Echoes.ListIter after that many echoes (0 = no limit); Echoes.List ignores it.
	MaxResults int
}

const echoPageSize = 30

func (p *EchoListParams) query() (url.Values, int, error) {
	var params EchoListParams
	if p != nil {
		params = *p
	}
	limit, err := pagingWith(params.Limit, echoPageSize, maxPageSize, params.Offset, params.MaxResults)
	if err != nil {
		return nil, 0, err
	}
	q := url.Values{}
	setLimitOffset(q, limit, params.Offset)
	return q, limit, nil
}

// Create echoes a post to the caller's followers (POST /echoes). The server allows 3
// per rolling 24 hours times the trust multiplier ([ErrRateLimited], with Retry-After)
// and one echo per post ([ErrConflict]). A blank post id or a commentary outside 1-300
// characters is [ErrInvalidArgument]. Retries reuse one Idempotency-Key.
func (s *EchoesService) Create(ctx context.Context, p *EchoCreateParams, opts ...RequestOption) (*Echo, error) {
	if p == nil {
		return nil, invalidArgf("nil EchoCreateParams")
	}
	if err := checkPathArg("post_id", p.PostID); err != nil {
		return nil, err
	}
	body := EchoCreateParams{PostID: p.PostID, Commentary: strings.TrimSpace(p.Commentary)}
	if n := utf8.RuneCountInString(body.Commentary); n < 1 || n > 300 {
		return nil, invalidArgf("echo commentary must be 1-300 characters once trimmed, got %d", n)
	}
	return call[Echo](ctx, s.client, http.MethodPost, "/echoes", nil, body, opts)
}

// List returns one page of echoes, platform-wide, newest first (GET /echoes). p may
// be nil. A limit outside 1-100 or a negative offset is [ErrInvalidArgument].
func (s *EchoesService) List(ctx context.Context, p *EchoListParams, opts ...RequestOption) (*ListResponse[Echo], error) {
	q, _, err := p.query()
	if err != nil {
		return nil, err
	}
	return call[ListResponse[Echo]](ctx, s.client, http.MethodGet, "/echoes", q, nil, opts)
}

// ListIter ranges over the echoes page by page (limit/offset), stopping on
// has_more=false, a short page or p.MaxResults. It is lazy and restarts on each range.
func (s *EchoesService) ListIter(ctx context.Context, p *EchoListParams, opts ...RequestOption) iter.Seq2[*Echo, error] {
	var base EchoListParams
	if p != nil {
		base = *p
	}
	_, limit, err := base.query()
	if err != nil {
		return errSeq[Echo](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(e *Echo) string { return e.ID },
		func(ctx context.Context, offset int) (*ListResponse[Echo], error) {
			return s.List(ctx, &EchoListParams{Limit: limit, Offset: offset}, opts...)
		})
}

// Delete deletes one of the caller's echoes (DELETE /echoes/{echo_id}; the echo's id,
// not the post's). Someone else's echo is [ErrForbidden]; a missing one [ErrNotFound].
func (s *EchoesService) Delete(ctx context.Context, echoID string, opts ...RequestOption) error {
	path, err := endpoint("/echoes/{echo_id}", echoID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}
