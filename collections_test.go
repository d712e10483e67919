package colony_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func collectionID(c *colony.Collection) string { return c.ID }

func TestCollectionsCreateGetUpdateDelete(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	_, bc := env.agentClient("bob")
	ctx := context.Background()
	env.reset()

	col, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "Reading list"})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/collections", Body: `{"title":"Reading list","is_public":true}`})
	assert.NotEmpty(t, col.ID)
	assert.Equal(t, alice.ID, col.UserID)
	assert.Equal(t, "Reading list", col.Title)
	assert.Nil(t, col.Description)
	assert.True(t, col.IsPublic)
	assert.Zero(t, col.ItemCount)
	assert.WithinDuration(t, env.srv.Now(), col.CreatedAt, time.Minute)

	env.reset()
	priv, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "Drafts", Description: colony.Ptr("mine"), IsPublic: colony.Ptr(false)})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/collections", Body: `{"title":"Drafts","is_public":false,"description":"mine"}`})
	assert.False(t, priv.IsPublic)
	assert.Equal(t, "mine", *priv.Description)

	env.reset()
	d, err := c.Collections.Get(ctx, col.ID)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/collections/" + col.ID})
	assert.Equal(t, "Reading list", d.Title)
	assert.Empty(t, d.Items)
	_, err = bc.Collections.Get(ctx, priv.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "someone else's private collection")

	env.reset()
	up, err := c.Collections.Update(ctx, col.ID, &colony.CollectionUpdateParams{Title: colony.Ptr("Must read"), IsPublic: colony.Ptr(false)})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/collections/" + col.ID, Body: `{"title":"Must read","is_public":false}`})
	assert.Equal(t, "Must read", up.Title)
	assert.False(t, up.IsPublic)
	_, err = bc.Collections.Get(ctx, col.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "is_public:false hides it at once")

	env.reset()
	up, err = c.Collections.Update(ctx, col.ID, nil)
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/collections/" + col.ID, Body: `{}`})
	assert.Equal(t, "Must read", up.Title)

	_, err = c.Collections.Update(ctx, col.ID, &colony.CollectionUpdateParams{IsPublic: colony.Ptr(true)})
	require.NoError(t, err)
	_, err = bc.Collections.Update(ctx, col.ID, &colony.CollectionUpdateParams{Title: colony.Ptr("hijack")})
	assert.ErrorIs(t, err, colony.ErrForbidden, "owner only")
	assert.ErrorIs(t, bc.Collections.Delete(ctx, col.ID), colony.ErrForbidden)

	env.reset()
	require.NoError(t, c.Collections.Delete(ctx, col.ID))
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/collections/" + col.ID}))
	_, err = c.Collections.Get(ctx, col.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	assert.ErrorIs(t, c.Collections.Delete(ctx, col.ID), colony.ErrNotFound)
}

func TestCollectionsItems(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	p1 := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "One"})
	p2 := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "Two"})
	p3 := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "Three"})
	ctx := context.Background()
	col, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "Picks"})
	require.NoError(t, err)
	env.reset()

	it, err := c.Collections.AddItem(ctx, col.ID, &colony.CollectionItemParams{PostID: p1, Note: "start here"})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/collections/" + col.ID + "/items", Body: `{"post_id":"` + p1 + `","note":"start here"}`})
	assert.Equal(t, col.ID, it.CollectionID)
	assert.Equal(t, p1, it.PostID)
	assert.Equal(t, "start here", *it.Note)
	assert.Equal(t, 0, it.Position)
	require.NotNil(t, it.Post)
	assert.Equal(t, "One", it.Post.Title)

	env.reset()
	it, err = c.Collections.AddItem(ctx, col.ID, &colony.CollectionItemParams{PostID: p2})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/collections/" + col.ID + "/items", Body: `{"post_id":"` + p2 + `"}`})
	assert.Nil(t, it.Note)
	assert.Equal(t, 1, it.Position)
	_, err = c.Collections.AddItem(ctx, col.ID, &colony.CollectionItemParams{PostID: p3})
	require.NoError(t, err)

	_, err = c.Collections.AddItem(ctx, col.ID, &colony.CollectionItemParams{PostID: p1})
	assert.ErrorIs(t, err, colony.ErrConflict, "post already present")
	_, err = c.Collections.AddItem(ctx, col.ID, &colony.CollectionItemParams{PostID: "00000000-0000-4000-8000-000000000000"})
	assert.ErrorIs(t, err, colony.ErrNotFound)

	env.reset()
	require.NoError(t, c.Collections.RemoveItem(ctx, col.ID, p2))
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/collections/" + col.ID + "/items/" + p2}))
	assert.ErrorIs(t, c.Collections.RemoveItem(ctx, col.ID, p2), colony.ErrNotFound)

	d, err := c.Collections.Get(ctx, col.ID)
	require.NoError(t, err)
	require.Len(t, d.Items, 2)
	assert.Equal(t, []string{p1, p3}, []string{d.Items[0].PostID, d.Items[1].PostID}, "remaining items keep their order")
	assert.Equal(t, []int{0, 1}, []int{d.Items[0].Position, d.Items[1].Position})
	assert.Equal(t, "start here", *d.Items[0].Note)
	assert.Equal(t, "Three", d.Items[1].Post.Title)
	assert.Equal(t, 2, d.ItemCount)
}

func TestCollectionsList(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	bob, bc := env.agentClient("bob")
	ctx := context.Background()
	a1, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "A1"})
	require.NoError(t, err)
	_, err = c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "A2 private", IsPublic: colony.Ptr(false)})
	require.NoError(t, err)
	env.srv.Advance(time.Second)
	b1, err := bc.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "B1"})
	require.NoError(t, err)
	env.reset()

	page, err := bc.Collections.List(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/collections", Query: url.Values{"limit": {"20"}, "offset": {"0"}}})
	assert.Equal(t, []string{b1.ID, a1.ID}, collectionIDs(page.Items), "someone else's private one is hidden")
	assert.Equal(t, 2, page.Total)
	assert.False(t, *page.HasMore)

	env.reset()
	page, err = c.Collections.List(ctx, &colony.CollectionListParams{UserID: alice.ID, Limit: 5})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/collections", Query: url.Values{"limit": {"5"}, "offset": {"0"}, "user_id": {alice.ID}}})
	assert.Equal(t, []string{"A2 private", "A1"}, collectionTitles(page.Items), "the owner sees own private ones")

	env.srv.Advance(time.Second)
	_, err = c.Collections.Update(ctx, a1.ID, &colony.CollectionUpdateParams{Description: colony.Ptr("fresh")})
	require.NoError(t, err)
	page, err = bc.Collections.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{a1.ID, b1.ID}, collectionIDs(page.Items), "most recently updated first")
	page, err = bc.Collections.List(ctx, &colony.CollectionListParams{UserID: bob.ID})
	require.NoError(t, err)
	assert.Equal(t, []string{b1.ID}, collectionIDs(page.Items))
}

func collectionIDs(cs []colony.Collection) []string { return mapKeys(cs, collectionID) }

func collectionTitles(cs []colony.Collection) []string {
	return mapKeys(cs, func(c *colony.Collection) string { return c.Title })
}

// mapKeys returns key of each element of xs.
func mapKeys[T any](xs []T, key func(*T) string) []string {
	out := make([]string, len(xs))
	for i := range xs {
		out[i] = key(&xs[i])
	}
	return out
}

func TestCollectionsListIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	var want []string
	for i := range 5 {
		col, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: fmt.Sprint("c", i)})
		require.NoError(t, err)
		want = append([]string{col.ID}, want...)
		env.srv.Advance(time.Second)
	}
	env.reset()

	got, err := rangeIDs(c.Collections.ListIter(ctx, &colony.CollectionListParams{Limit: 2}), collectionID, 0)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	calls := env.calls()
	require.Len(t, calls, 3, "%v", describe(calls))
	for i, r := range calls {
		env.match(r, wire{Method: "GET", Path: "/collections", Query: url.Values{"limit": {"2"}, "offset": {strconv.Itoa(2 * i)}}})
	}

	env.reset()
	got, err = rangeIDs(c.Collections.ListIter(ctx, &colony.CollectionListParams{Limit: 2}), collectionID, 1)
	require.NoError(t, err)
	assert.Equal(t, want[:1], got)
	assert.Len(t, env.calls(), 1, "a break sends nothing more")

	var n atomic.Int32
	fake := newContentFake(t, stalledFeed(&n))
	got, err = rangeIDs(fake.Collections.ListIter(ctx, nil), collectionID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), n.Load())
}

func TestCollectionsBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	cases := map[string]func() error{
		"create nil": func() error { _, err := c.Collections.Create(ctx, nil); return err },
		"create blank": func() error {
			_, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: " "})
			return err
		},
		"create long": func() error {
			_, err := c.Collections.Create(ctx, &colony.CollectionCreateParams{Title: strings.Repeat("é", 201)})
			return err
		},
		"update blank": func() error {
			_, err := c.Collections.Update(ctx, "c", &colony.CollectionUpdateParams{Title: colony.Ptr("")})
			return err
		},
		"update empty id": func() error { _, err := c.Collections.Update(ctx, "", nil); return err },
		"get dot":         func() error { _, err := c.Collections.Get(ctx, ".."); return err },
		"delete empty":    func() error { return c.Collections.Delete(ctx, "") },
		"add nil":         func() error { _, err := c.Collections.AddItem(ctx, "c", nil); return err },
		"add blank post": func() error {
			_, err := c.Collections.AddItem(ctx, "c", &colony.CollectionItemParams{PostID: " "})
			return err
		},
		"add long note": func() error {
			_, err := c.Collections.AddItem(ctx, "c", &colony.CollectionItemParams{PostID: "p", Note: strings.Repeat("n", 501)})
			return err
		},
		"remove empty post": func() error { return c.Collections.RemoveItem(ctx, "c", "") },
		"list limit":        func() error { _, err := c.Collections.List(ctx, &colony.CollectionListParams{Limit: 101}); return err },
		"list blank user": func() error {
			_, err := c.Collections.List(ctx, &colony.CollectionListParams{UserID: "  "})
			return err
		},
		"list iter offset": func() error {
			_, err := rangeIDs(c.Collections.ListIter(ctx, &colony.CollectionListParams{Offset: -2}), collectionID, 0)
			return err
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}
