package colony_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedRising seeds n recent posts whose scores make them rise in seed order, plus an old one
// that never rises, and returns the rising ids hottest first.
func (e *contentEnv) seedRising(n int) []string {
	ids := make([]string, n)
	for i := range n {
		ids[n-1-i] = e.srv.SeedPost("bob", colonytest.SeedPost{Score: 10 * (i + 1), CreatedAt: contentEpoch})
	}
	e.srv.SeedPost("bob", colonytest.SeedPost{Score: 1000, CreatedAt: contentEpoch.Add(-72 * time.Hour)})
	return ids
}

func TestTrendingRisingPosts(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedRising(5)

	l, err := env.c.Trending.RisingPosts(ctx, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/trending/posts/rising"})
	assert.Equal(t, ids, postIDs(l.Items))
	assert.Equal(t, 5, l.Total)
	assert.False(t, *l.HasMore)
	assert.Equal(t, 50, l.Items[0].Score)

	l, err = env.c.Trending.RisingPosts(ctx, &colony.RisingPostsParams{Limit: 2, Offset: 1})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/trending/posts/rising", Query: q("limit", "2", "offset", "1")})
	assert.Equal(t, ids[1:3], postIDs(l.Items))
	assert.True(t, *l.HasMore)
}

func TestTrendingRisingPostsIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedRising(5)
	page := func(offset string) wire {
		v := q("limit", "2")
		if offset != "" {
			v.Set("offset", offset)
		}
		return wire{Method: "GET", Path: "/trending/posts/rising", Query: v}
	}
	seq := env.c.Trending.RisingPostsIter(ctx, &colony.RisingPostsParams{Limit: 2})
	got, err := rangeIDs(seq, postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	env.expect(page(""), page("2"), page("4"))

	got, err = rangeIDs(seq, postID, 3)
	require.NoError(t, err)
	assert.Equal(t, ids[:3], got)
	env.expect(page(""), page("2"))

	got, err = rangeIDs(env.c.Trending.RisingPostsIter(ctx, &colony.RisingPostsParams{Limit: 2, MaxResults: 4}), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids[:4], got)
	env.expect(page(""), page("2"))

	got, err = rangeIDs(env.c.Trending.RisingPostsIter(ctx, nil), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	env.expect(wire{Method: "GET", Path: "/trending/posts/rising", Query: q("limit", "20")})

	env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/trending/posts/rising", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err = rangeIDs(seq, postID, 0)
	requireRateLimited(t, err)
}

func TestTrendingRisingPostsIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, stalledFeed(&calls))
	got, err := rangeIDs(c.Trending.RisingPostsIter(context.Background(), nil), postID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestTrendingTags(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	env.srv.SeedPost("bob", colonytest.SeedPost{Tags: []string{"go", "sdk"}, Score: 2})
	env.srv.SeedPost("bob", colonytest.SeedPost{Tags: []string{"go"}, Score: 3})
	env.srv.SeedPost("bob", colonytest.SeedPost{Tags: []string{"old"}, CreatedAt: contentEpoch.Add(-3 * 24 * time.Hour)})

	var resp colony.Response
	l, err := env.c.Trending.Tags(ctx, nil, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/trending/tags"})
	require.Len(t, l.Items, 2)
	assert.Equal(t, "go", l.Items[0].Tag)
	assert.Equal(t, 2, l.Items[0].PostCount)
	assert.Equal(t, 5, l.Items[0].Score)
	assert.Equal(t, "sdk", l.Items[1].Tag)
	assert.Equal(t, 2, l.Total)
	assert.Empty(t, extraOf(t, member(t, resp.Body, "items", "0"), &l.Items[0]))

	l, err = env.c.Trending.Tags(ctx, &colony.TrendingTagsParams{Window: "7d", Limit: 2, Offset: 1})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/trending/tags", Query: q("window", "7d", "limit", "2", "offset", "1")})
	var tags []string
	for _, tg := range l.Items {
		tags = append(tags, tg.Tag)
	}
	assert.Equal(t, []string{"old", "sdk"}, tags)
	assert.Equal(t, 3, l.Total)

	_, err = env.c.Trending.Tags(ctx, &colony.TrendingTagsParams{Window: "fortnight"})
	assert.ErrorIs(t, err, colony.ErrValidation, "the server knows its windows")

	t.Run("iterator", func(t *testing.T) {
		env.srv.ResetRequests()
		var got []string
		for tg, err := range env.c.Trending.TagsIter(ctx, &colony.TrendingTagsParams{Window: "30d", Limit: 1}) {
			require.NoError(t, err)
			got = append(got, tg.Tag)
		}
		assert.Equal(t, []string{"go", "old", "sdk"}, got)
		env.expect(
			wire{Method: "GET", Path: "/trending/tags", Query: q("window", "30d", "limit", "1")},
			wire{Method: "GET", Path: "/trending/tags", Query: q("window", "30d", "limit", "1", "offset", "1")},
			wire{Method: "GET", Path: "/trending/tags", Query: q("window", "30d", "limit", "1", "offset", "2")},
		)
	})
}

func TestTrendingBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	c := env.client(env.alice)
	ctx := context.Background()
	tagID := func(tg *colony.TrendingTag) string { return tg.Tag }
	cases := map[string]func() error{
		"rising limit 101": func() error {
			_, err := c.Trending.RisingPosts(ctx, &colony.RisingPostsParams{Limit: 101})
			return err
		},
		"rising offset -1": func() error {
			_, err := c.Trending.RisingPosts(ctx, &colony.RisingPostsParams{Offset: -1})
			return err
		},
		"rising iter limit -1": func() error {
			_, err := rangeIDs(c.Trending.RisingPostsIter(ctx, &colony.RisingPostsParams{Limit: -1}), postID, 0)
			return err
		},
		"tags limit 0 is fine but 200 is not": func() error {
			_, err := c.Trending.Tags(ctx, &colony.TrendingTagsParams{Limit: 200})
			return err
		},
		"tags iter max -1": func() error {
			_, err := rangeIDs(c.Trending.TagsIter(ctx, &colony.TrendingTagsParams{MaxResults: -1}), tagID, 0)
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
			env.none()
		})
	}
}
