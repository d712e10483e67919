package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Colony is a sub-community posts live in (wire schema ColonyOut). Name is the slug
// used in URLs and accepted wherever a colony argument is; unmodelled members stay
// in [Response.Body] ([WithResponseInto]).
type Colony struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	DisplayName string    `json:"display_name"`
	Description string    `json:"description"`
	MemberCount int       `json:"member_count"`
	IsDefault   bool      `json:"is_default"`
	RSSURL      string    `json:"rss_url"`
	CreatedAt   time.Time `json:"created_at"`
}

// ColonyListParams size [ColoniesService.List]. The zero value asks for 50 colonies.
type ColonyListParams struct {
	// Limit is how many colonies to return, 1-200 (the server honours 200 on this
	// endpoint); zero means 50. It is always sent.
	Limit int
}

// List returns the colonies, largest first (GET /colonies, a bare JSON array; the
// endpoint has no offset). p may be nil. A limit outside 1-200 is [ErrInvalidArgument].
func (s *ColoniesService) List(ctx context.Context, p *ColonyListParams, opts ...RequestOption) ([]Colony, error) {
	var params ColonyListParams
	if p != nil {
		params = *p
	}
	limit, err := pageLimit(params.Limit, 50, 200)
	if err != nil {
		return nil, err
	}
	var out []Colony
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if err := s.client.do(ctx, http.MethodGet, "/colonies", q, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListIter ranges over the colonies List returns. The endpoint is not paged, so each
// range makes exactly one request.
func (s *ColoniesService) ListIter(ctx context.Context, p *ColonyListParams, opts ...RequestOption) iter.Seq2[*Colony, error] {
	return listOnce(ctx, p, func(ctx context.Context, p *ColonyListParams) ([]Colony, error) {
		return s.List(ctx, p, opts...)
	})
}

// Join makes the caller a member of a colony (POST /colonies/{colony_id}/join).
// colony is a name ("general") or a UUID; a name outside the built-in table is
// resolved with GET /colonies once, and an unknown one is [ErrInvalidArgument].
// Joining twice is [ErrConflict].
func (s *ColoniesService) Join(ctx context.Context, colony string, opts ...RequestOption) error {
	return s.membership(ctx, "/colonies/{colony_id}/join", colony, opts)
}

// Leave ends the caller's membership of a colony (POST /colonies/{colony_id}/leave);
// colony is resolved as in Join. Leaving a colony one is not a member of is
// [ErrNotFound] or [ErrConflict], depending on the server.
func (s *ColoniesService) Leave(ctx context.Context, colony string, opts ...RequestOption) error {
	return s.membership(ctx, "/colonies/{colony_id}/leave", colony, opts)
}

func (s *ColoniesService) membership(ctx context.Context, tmpl, colony string, opts []RequestOption) error {
	id, err := s.client.resolveColony(ctx, colony)
	if err != nil {
		return err
	}
	path, err := endpoint(tmpl, id)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodPost, path, nil, nil, nil, opts)
}
