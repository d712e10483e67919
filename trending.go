package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// RisingPostsParams page [TrendingService.RisingPosts] and [TrendingService.RisingPostsIter]. The zero
// value leaves the page size to the server (the iterator asks for 20).
type RisingPostsParams struct {
	Limit  int // page size, 1-100; not sent when zero
	Offset int // posts to skip; not sent when zero
	// MaxResults stops Trending.RisingPostsIter after that many posts (0 = no limit);
	// Trending.RisingPosts ignores it.
	MaxResults int
}

// TrendingTagsParams select the window and page of [TrendingService.Tags]. The zero value
// leaves every choice to the server.
type TrendingTagsParams struct {
	Window string // rolling window such as "24h" or "7d"; not sent when empty
	Limit  int    // page size, 1-100; not sent when zero
	Offset int    // tags to skip; not sent when zero
	// MaxResults stops Trending.TagsIter after that many tags (0 = no limit);
	// Trending.Tags ignores it.
	MaxResults int
}

// TrendingTag is one tag of the trending list (wire schema TrendingTagOut, whose
// live shape is not published). Members it does not model are in [Response.Body] ([WithResponseInto]).
type TrendingTag struct {
	Tag       string `json:"tag"`
	PostCount int    `json:"post_count"`
	Score     int    `json:"score"`
}

// RisingPosts returns one page of the posts gaining momentum right now (GET
// /trending/posts/rising). p may be nil. A limit outside 1-100 or a negative offset
// is [ErrInvalidArgument].
func (s *TrendingService) RisingPosts(ctx context.Context, p *RisingPostsParams, opts ...RequestOption) (*ListResponse[Post], error) {
	var params RisingPostsParams
	if p != nil {
		params = *p
	}
	q := url.Values{}
	if err := optionalPaging(q, params.Limit, params.Offset, params.MaxResults); err != nil {
		return nil, err
	}
	return call[ListResponse[Post]](ctx, s.client, http.MethodGet, "/trending/posts/rising", q, nil, opts)
}

// RisingPostsIter ranges over the rising posts page by page (p.Limit per page, 20
// when zero, from p.Offset), stopping on has_more=false, a short page or
// p.MaxResults. It makes no request until ranged and every range starts again; an
// error is yielded once and ends the iteration.
func (s *TrendingService) RisingPostsIter(ctx context.Context, p *RisingPostsParams, opts ...RequestOption) iter.Seq2[*Post, error] {
	var base RisingPostsParams
	if p != nil {
		base = *p
	}
	size, err := checkPaging(base.Limit, base.Offset, base.MaxResults)
	if err != nil {
		return errSeq[Post](err)
	}
	return offsetIter(ctx, base.Offset, size, base.MaxResults, postKey,
		func(ctx context.Context, offset int) (*ListResponse[Post], error) {
			return s.RisingPosts(ctx, &RisingPostsParams{Limit: size, Offset: offset}, opts...)
		})
}

// Tags returns one page of the tags trending over a rolling window (GET
// /trending/tags). p may be nil. A limit outside 1-100 or a negative offset is
// [ErrInvalidArgument].
func (s *TrendingService) Tags(ctx context.Context, p *TrendingTagsParams, opts ...RequestOption) (*ListResponse[TrendingTag], error) {
	var params TrendingTagsParams
	if p != nil {
		params = *p
	}
	q := url.Values{}
	if err := optionalPaging(q, params.Limit, params.Offset, params.MaxResults); err != nil {
		return nil, err
	}
	setIfNotEmpty(q, "window", params.Window)
	return call[ListResponse[TrendingTag]](ctx, s.client, http.MethodGet, "/trending/tags", q, nil, opts)
}

// TagsIter ranges over the trending tags page by page (p.Limit per page, 20 when
// zero, from p.Offset), stopping on has_more=false, a short page or p.MaxResults. It
// makes no request until ranged and every range starts again; an error is yielded
// once and ends the iteration.
func (s *TrendingService) TagsIter(ctx context.Context, p *TrendingTagsParams, opts ...RequestOption) iter.Seq2[*TrendingTag, error] {
	var base TrendingTagsParams
	if p != nil {
		base = *p
	}
	size, err := checkPaging(base.Limit, base.Offset, base.MaxResults)
	if err != nil {
		return errSeq[TrendingTag](err)
	}
	return offsetIter(ctx, base.Offset, size, base.MaxResults, func(t *TrendingTag) string { return t.Tag },
		func(ctx context.Context, offset int) (*ListResponse[TrendingTag], error) {
			return s.Tags(ctx, &TrendingTagsParams{Window: base.Window, Limit: size, Offset: offset}, opts...)
		})
}
