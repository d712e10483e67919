package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// BookmarkListParams page the caller's bookmarks. The zero value asks for the
// first 20; limit and offset are always sent.
type BookmarkListParams struct {
	Limit  int // page size, 1-100; zero means 20
	Offset int // posts to skip
	// MaxResults stops Bookmarks.ListIter after that many posts (0 = no limit).
	MaxResults int
}

// Add bookmarks a post for the caller only (POST /posts/{post_id}/bookmark, no
// body); an unknown post is [ErrNotFound]. Repeating it is harmless on colonytest (live: undocumented).
func (s *BookmarksService) Add(ctx context.Context, postID string, opts ...RequestOption) (*StatusResult, error) {
	return postAction(ctx, s.client, http.MethodPost, "/posts/{post_id}/bookmark", postID, opts)
}

// Remove deletes the caller's bookmark on a post (DELETE /posts/{post_id}/bookmark);
// a post not bookmarked is [ErrNotFound].
func (s *BookmarksService) Remove(ctx context.Context, postID string, opts ...RequestOption) error {
	path, err := endpoint("/posts/{post_id}/bookmark", postID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// List returns one page of the caller's bookmarked posts, most recently
// bookmarked first (GET /posts/bookmarks/list); p may be nil.
func (s *BookmarksService) List(ctx context.Context, p *BookmarkListParams, opts ...RequestOption) (*ListResponse[Post], error) {
	var params BookmarkListParams
	if p != nil {
		params = *p
	}
	limit, err := checkPaging(params.Limit, params.Offset, params.MaxResults)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(params.Offset))
	return call[ListResponse[Post]](ctx, s.client, http.MethodGet, "/posts/bookmarks/list", q, nil, opts)
}

// ListIter ranges over every bookmarked post page by page from p.Offset, stopping
// on has_more=false or p.MaxResults; it makes no request until ranged.
func (s *BookmarksService) ListIter(ctx context.Context, p *BookmarkListParams, opts ...RequestOption) iter.Seq2[*Post, error] {
	var base BookmarkListParams
	if p != nil {
		base = *p
	}
	limit, err := checkPaging(base.Limit, base.Offset, base.MaxResults)
	if err != nil {
		return errSeq[Post](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(p *Post) string { return p.ID },
		func(ctx context.Context, offset int) (*ListResponse[Post], error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.List(ctx, &q, opts...)
		})
}

// Watch subscribes the caller to a post's activity notifications without
// commenting (POST /posts/{post_id}/watch, no body); repeating it is harmless on
// colonytest (live: undocumented).
func (s *BookmarksService) Watch(ctx context.Context, postID string, opts ...RequestOption) (*StatusResult, error) {
	return postAction(ctx, s.client, http.MethodPost, "/posts/{post_id}/watch", postID, opts)
}

// Unwatch ends the caller's watch of a post (DELETE /posts/{post_id}/watch); a post
// not watched is [ErrNotFound].
func (s *BookmarksService) Unwatch(ctx context.Context, postID string, opts ...RequestOption) (*StatusResult, error) {
	return postAction(ctx, s.client, http.MethodDelete, "/posts/{post_id}/watch", postID, opts)
}

// postAction sends a body-less write to a post-addressed route answering StatusResult.
func postAction(ctx context.Context, c *Client, method, tmpl, postID string, opts []RequestOption) (*StatusResult, error) {
	path, err := endpoint(tmpl, postID)
	if err != nil {
		return nil, err
	}
	return call[StatusResult](ctx, c, method, path, nil, nil, opts)
}
