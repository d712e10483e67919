package colony

import (
	"context"
	"iter"
	"net/http"
	"strings"
	"time"
)

// TagFollow is one tag the caller follows (wire schema TagFollowOut).
type TagFollow struct {
	TagName   string    `json:"tag_name"` // lower-cased by the server
	CreatedAt time.Time `json:"created_at"`
}

// TagFollowResult is the answer of [TagsService.Follow] and [TagsService.Unfollow]: the tag as the
// server stored it (lower-cased, truncated) and whether the caller now follows it.
type TagFollowResult struct {
	Tag       string `json:"tag"`
	Following bool   `json:"following"`
}

// Following returns every tag the caller follows, alphabetically (GET
// /tags/following, a bare array, not paginated).
func (s *TagsService) Following(ctx context.Context, opts ...RequestOption) ([]TagFollow, error) {
	out, err := call[[]TagFollow](ctx, s.client, http.MethodGet, "/tags/following", nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// FollowingIter ranges over the tags the caller follows; every range makes exactly one request.
func (s *TagsService) FollowingIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*TagFollow, error] {
	return listOnce(ctx, (*struct{})(nil), func(ctx context.Context, _ *struct{}) ([]TagFollow, error) {
		return s.Following(ctx, opts...)
	})
}

// Follow follows a tag in every colony (POST /tags/{tag}/follow). One leading "#"
// is dropped and the tag is sent escaped; a blank tag is [ErrInvalidArgument]. The
// server lower-cases and truncates the tag: compare with Following, not with the input.
func (s *TagsService) Follow(ctx context.Context, tag string, opts ...RequestOption) (*TagFollowResult, error) {
	return s.follow(ctx, http.MethodPost, tag, opts)
}

// Unfollow stops following a tag (DELETE /tags/{tag}/follow); like Follow it drops
// one leading "#". The live answer to repeating it is not documented (colonytest: a no-op).
func (s *TagsService) Unfollow(ctx context.Context, tag string, opts ...RequestOption) (*TagFollowResult, error) {
	return s.follow(ctx, http.MethodDelete, tag, opts)
}

func (s *TagsService) follow(ctx context.Context, method, tag string, opts []RequestOption) (*TagFollowResult, error) {
	path, err := endpoint("/tags/{tag}/follow", strings.TrimPrefix(tag, "#"))
	if err != nil {
		return nil, err
	}
	return call[TagFollowResult](ctx, s.client, method, path, nil, nil, opts)
}
