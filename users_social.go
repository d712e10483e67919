package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// StatusResult is the small acknowledgement of a social or bookmark action (wire
// schema StatusResult, whose fields the published snapshot omits): Status names
// the state reached, e.g. "blocked", "bookmarked" or "watching".
type StatusResult struct {
	Status string `json:"status"`
}

// defaultFollowPageSize is the page size of the follower and following lists.
const defaultFollowPageSize = 50

// FollowListParams page the followers or following of a user. The zero value asks
// for the first 50; limit and offset are always sent.
type FollowListParams struct {
	Limit  int // page size, 1-100; zero means 50
	Offset int // users to skip
	// MaxResults stops the iterators after that many users (0 = no limit); the
	// one-page calls ignore it.
	MaxResults int
}

func (p *FollowListParams) query() (url.Values, int, error) {
	var params FollowListParams
	if p != nil {
		params = *p
	}
	limit, err := pageLimit(params.Limit, defaultFollowPageSize, maxPageSize)
	if err != nil {
		return nil, 0, err
	}
	if _, err := checkPaging(limit, params.Offset, params.MaxResults); err != nil {
		return nil, 0, err
	}
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(params.Offset))
	return q, limit, nil
}

// ByUsername returns the user with the given username (GET
// /users/by-username/{username}); the name is sent escaped and an unknown one is [ErrNotFound].
func (s *UsersService) ByUsername(ctx context.Context, username string, opts ...RequestOption) (*User, error) {
	path, err := endpoint("/users/by-username/{username}", username)
	if err != nil {
		return nil, err
	}
	return s.getUser(ctx, path, opts)
}

// FollowByUsername follows the user with the given username (POST
// /users/by-username/{username}/follow). Already following is [ErrConflict]; oneself is [ErrValidation].
func (s *UsersService) FollowByUsername(ctx context.Context, username string, opts ...RequestOption) (*FollowResult, error) {
	path, err := endpoint("/users/by-username/{username}/follow", username)
	if err != nil {
		return nil, err
	}
	return call[FollowResult](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// UnfollowByUsername stops following the user with the given username (DELETE
// /users/by-username/{username}/follow); not following them is [ErrNotFound].
func (s *UsersService) UnfollowByUsername(ctx context.Context, username string, opts ...RequestOption) error {
	path, err := endpoint("/users/by-username/{username}/follow", username)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// Followers returns one page of the users following userID (GET
// /users/{user_id}/followers, a bare array); p may be nil (50 from offset 0).
func (s *UsersService) Followers(ctx context.Context, userID string, p *FollowListParams, opts ...RequestOption) ([]User, error) {
	return s.followList(ctx, "/users/{user_id}/followers", userID, p, opts)
}

// FollowersIter ranges over every follower of userID, page by page, until a short
// page or p.MaxResults; it makes no request until ranged.
func (s *UsersService) FollowersIter(ctx context.Context, userID string, p *FollowListParams, opts ...RequestOption) iter.Seq2[*User, error] {
	return s.followIter(ctx, "/users/{user_id}/followers", userID, p, opts)
}

// Following returns one page of the users userID follows (GET
// /users/{user_id}/following, a bare array); p may be nil (50 from offset 0).
func (s *UsersService) Following(ctx context.Context, userID string, p *FollowListParams, opts ...RequestOption) ([]User, error) {
	return s.followList(ctx, "/users/{user_id}/following", userID, p, opts)
}

// FollowingIter ranges over every user userID follows, page by page, until a
// short page or p.MaxResults; it makes no request until ranged.
func (s *UsersService) FollowingIter(ctx context.Context, userID string, p *FollowListParams, opts ...RequestOption) iter.Seq2[*User, error] {
	return s.followIter(ctx, "/users/{user_id}/following", userID, p, opts)
}

func (s *UsersService) followList(ctx context.Context, tmpl, userID string, p *FollowListParams, opts []RequestOption) ([]User, error) {
	path, err := endpoint(tmpl, userID)
	if err != nil {
		return nil, err
	}
	q, _, err := p.query()
	if err != nil {
		return nil, err
	}
	out, err := call[[]User](ctx, s.client, http.MethodGet, path, q, nil, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

func (s *UsersService) followIter(ctx context.Context, tmpl, userID string, p *FollowListParams, opts []RequestOption) iter.Seq2[*User, error] {
	var base FollowListParams
	if p != nil {
		base = *p
	}
	if _, err := endpoint(tmpl, userID); err != nil {
		return errSeq[User](err)
	}
	_, limit, err := base.query()
	if err != nil {
		return errSeq[User](err)
	}
	return arrayOffsetIter(ctx, base.Offset, limit, base.MaxResults, func(u *User) string { return u.ID },
		func(ctx context.Context, offset int) ([]User, error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.followList(ctx, tmpl, userID, &q, opts)
		})
}

// Block blocks the user with the given id (POST /users/{user_id}/block): they can
// no longer message you nor you them. Blocking again is a no-op, so it is safe to retry.
func (s *UsersService) Block(ctx context.Context, userID string, opts ...RequestOption) (*StatusResult, error) {
	path, err := endpoint("/users/{user_id}/block", userID)
	if err != nil {
		return nil, err
	}
	return call[StatusResult](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// Unblock lifts a block on the user with the given id (DELETE /users/{user_id}/block);
// a user who is not blocked is [ErrNotFound].
func (s *UsersService) Unblock(ctx context.Context, userID string, opts ...RequestOption) error {
	path, err := endpoint("/users/{user_id}/block", userID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// Blocked returns every user the caller has blocked (GET /users/me/blocked, a bare
// array, not paginated).
func (s *UsersService) Blocked(ctx context.Context, opts ...RequestOption) ([]User, error) {
	out, err := call[[]User](ctx, s.client, http.MethodGet, "/users/me/blocked", nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// BlockedIter ranges over the users the caller has blocked; every range makes
// exactly one request.
func (s *UsersService) BlockedIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*User, error] {
	return listOnce(ctx, (*struct{})(nil), func(ctx context.Context, _ *struct{}) ([]User, error) {
		return s.Blocked(ctx, opts...)
	})
}
