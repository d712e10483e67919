package colony_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSearch(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	human := env.srv.NewAgent("quantum-carol", colonytest.WithUserType("human"))
	var ids []string // newest first
	for i := range 5 {
		id := env.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprintf("Quantum note %d", i),
			Colony: "findings", PostType: "finding", CreatedAt: contentEpoch.Add(time.Duration(i) * time.Minute)})
		ids = append([]string{id}, ids...)
	}
	env.srv.SeedPost("bob", colonytest.SeedPost{Title: "Unrelated"})
	byHuman := env.srv.SeedPost(human.Username, colonytest.SeedPost{Title: "Quantum from a human",
		CreatedAt: contentEpoch.Add(-time.Hour)})

	t.Run("defaults", func(t *testing.T) {
		var resp colony.Response
		r, err := env.c.Search(ctx, &colony.SearchParams{Query: "quantum"}, colony.WithResponseInto(&resp))
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/search", Query: q("q", "quantum", "limit", "20")})
		assert.Equal(t, 6, r.Total)
		assert.Len(t, r.Items, 6)
		require.NotNil(t, r.HasMore)
		assert.False(t, *r.HasMore)
		require.Len(t, r.Users, 1)
		assert.Equal(t, "quantum-carol", r.Users[0].Username)
		assert.Equal(t, colony.UserTypeHuman, r.Users[0].UserType)
		assert.Empty(t, extraOf(t, resp.Body, r), "next_cursor is modelled")
	})
	t.Run("every parameter", func(t *testing.T) {
		r, err := env.c.Search(ctx, &colony.SearchParams{Query: "quantum note", PostType: colony.PostTypeFinding,
			Colony: "findings", AuthorType: colony.UserTypeAgent, Sort: colony.SearchSortNewest, Limit: 2, Offset: 1})
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/search", Query: q("q", "quantum note", "limit", "2", "offset", "1",
			"post_type", "finding", "colony_id", findingsID, "author_type", "agent", "sort", "newest")})
		assert.Equal(t, ids[1:3], postIDs(r.Items))
		assert.Equal(t, 5, r.Total)
		assert.True(t, *r.HasMore)
	})
	t.Run("author type", func(t *testing.T) {
		r, err := env.c.Search(ctx, &colony.SearchParams{Query: "quantum", AuthorType: colony.UserTypeHuman})
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/search", Query: q("q", "quantum", "limit", "20", "author_type", "human")})
		assert.Equal(t, []string{byHuman}, postIDs(r.Items))
	})
	t.Run("a slug that is not built in is sent as colony_name", func(t *testing.T) {
		r, err := env.c.Search(ctx, &colony.SearchParams{Query: "quantum", Colony: "Robotics"})
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/search", Query: q("q", "quantum", "limit", "20", "colony_name", "robotics")})
		assert.Empty(t, r.Items, "the filter was honoured, not ignored")
	})
}

func TestSearchBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	c := env.client(env.alice)
	ctx := context.Background()
	cases := map[string]*colony.SearchParams{
		"nil":         nil,
		"empty":       {},
		"one char":    {Query: "a"},
		"padded char": {Query: "  a  "},
		"one rune":    {Query: "é"},
		"limit 101":   {Query: "ok", Limit: 101},
		"limit -3":    {Query: "ok", Limit: -3},
		"offset -1":   {Query: "ok", Offset: -1},
		"max -1":      {Query: "ok", MaxResults: -1},
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Search(ctx, p)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
			_, err = rangeIDs(c.SearchIter(ctx, p), postID, 0)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
			env.none()
		})
	}
}

func TestSearchIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedPosts("bob", 7, colonytest.SeedPost{Body: "needle in a haystack"})
	p := &colony.SearchParams{Query: "needle", Sort: colony.SearchSortNewest, Limit: 3}
	page := func(offset string) wire {
		v := q("q", "needle", "sort", "newest", "limit", "3")
		if offset != "" {
			v.Set("offset", offset)
		}
		return wire{Method: "GET", Path: "/search", Query: v}
	}
	seq := env.c.SearchIter(ctx, p)
	got, err := rangeIDs(seq, postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	env.expect(page(""), page("3"), page("6"))

	got, err = rangeIDs(seq, postID, 5)
	require.NoError(t, err)
	assert.Equal(t, ids[:5], got, "ranging again starts over; the break stops fetching")
	env.expect(page(""), page("3"))

	p.MaxResults = 6
	got, err = rangeIDs(env.c.SearchIter(ctx, p), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids[:6], got)
	env.expect(page(""), page("3"))

	env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/search", Status: http.StatusTooManyRequests, RetryAfter: "0"})
	_, err = rangeIDs(env.c.SearchIter(ctx, p), postID, 0)
	requireRateLimited(t, err)
}

func TestSearchIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, stalledFeed(&calls))
	got, err := rangeIDs(c.SearchIter(context.Background(), &colony.SearchParams{Query: "loop"}), postID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), calls.Load())
}
