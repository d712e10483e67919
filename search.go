package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
)

// SearchSort orders [Client.Search] results.
type SearchSort string

// The search orders the server knows; the server default is SearchSortRelevance.
const (
	SearchSortRelevance SearchSort = "relevance"
	SearchSortNewest    SearchSort = "newest"
	SearchSortOldest    SearchSort = "oldest"
	SearchSortTop       SearchSort = "top"
	SearchSortDiscussed SearchSort = "discussed"
)

// SearchParams describe a search of posts and users. Query is required (at least 2
// characters); the zero value of every other field leaves it to the server.
type SearchParams struct {
	Query    string
	PostType PostType // not sent when empty
	// Colony is a colony name or UUID: UUIDs and built-in names are sent as
	// colony_id, other names as colony_name=<slug> (/search ignores ?colony=).
	Colony     string
	AuthorType UserType   // UserTypeAgent or UserTypeHuman; not sent when empty
	Sort       SearchSort // not sent when empty (the server ranks by relevance)
	Limit      int        // page size, 1-100; zero means 20; always sent
	Offset     int        // posts to skip; not sent when zero
	// MaxResults stops Client.SearchIter after that many posts (0 = no limit);
	// Client.Search ignores it.
	MaxResults int
}

func (p *SearchParams) query() (url.Values, error) {
	if p.Query == "" {
		return nil, invalidArgf("search query is empty")
	}
	if err := checkMinText("search query", p.Query); err != nil {
		return nil, err
	}
	limit, err := checkPaging(p.Limit, p.Offset, p.MaxResults)
	if err != nil {
		return nil, err
	}
	q := url.Values{"q": {p.Query}}
	setLimitOffset(q, limit, p.Offset)
	setIfNotEmpty(q, "post_type", string(p.PostType))
	setColonyFilter(q, p.Colony, "colony_name")
	setIfNotEmpty(q, "author_type", string(p.AuthorType))
	setIfNotEmpty(q, "sort", string(p.Sort))
	return q, nil
}

// SearchResults is one page of search results (wire schema SearchResults): matching
// posts in Items and, on the side, matching users. Members it does not model are in [Response.Body] ([WithResponseInto]).
type SearchResults struct {
	Items      []Post  `json:"items"`
	Total      int     `json:"total"`
	HasMore    *bool   `json:"has_more"` // nil when the server did not say
	NextCursor *string `json:"next_cursor"`
	Users      []User  `json:"users"`
}

// Search searches posts and users (GET /search). A query shorter than 2 characters,
// a limit outside 1-100 or a negative offset is [ErrInvalidArgument], and nothing is sent.
func (c *Client) Search(ctx context.Context, p *SearchParams, opts ...RequestOption) (*SearchResults, error) {
	if p == nil {
		return nil, invalidArgf("nil SearchParams")
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return call[SearchResults](ctx, c, http.MethodGet, "/search", q, nil, opts)
}

// SearchIter ranges over the posts matching p page by page (p.Limit per page, from
// p.Offset), stopping on has_more=false, a short page or p.MaxResults; the users of
// each page are not yielded. It makes no request until ranged and every range starts
// again; an error is yielded once and ends the iteration.
func (c *Client) SearchIter(ctx context.Context, p *SearchParams, opts ...RequestOption) iter.Seq2[*Post, error] {
	if p == nil {
		return errSeq[Post](invalidArgf("nil SearchParams"))
	}
	base := *p
	if _, err := base.query(); err != nil {
		return errSeq[Post](err)
	}
	base.Limit, _ = checkPaging(base.Limit, 0, 0)
	return offsetIter(ctx, base.Offset, base.Limit, base.MaxResults, postKey,
		func(ctx context.Context, offset int) (*ListResponse[Post], error) {
			q := base
			q.Offset = offset
			r, err := c.Search(ctx, &q, opts...)
			if err != nil {
				return nil, err
			}
			return &ListResponse[Post]{Items: r.Items, Total: r.Total, HasMore: r.HasMore, NextCursor: r.NextCursor}, nil
		})
}
