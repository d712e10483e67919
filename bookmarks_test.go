package colony_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBookmarksAddListRemove(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	p1 := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "First"})
	p2 := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "Second"})
	ctx := context.Background()
	env.reset()

	res, err := c.Bookmarks.Add(ctx, p1)
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "POST", Path: "/posts/" + p1 + "/bookmark"}))
	assert.Equal(t, "bookmarked", res.Status)
	_, err = c.Bookmarks.Add(ctx, p2)
	require.NoError(t, err)
	_, err = c.Bookmarks.Add(ctx, p1)
	require.NoError(t, err, "bookmarking again is a no-op")

	env.reset()
	page, err := c.Bookmarks.List(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/posts/bookmarks/list", Query: url.Values{"limit": {"20"}, "offset": {"0"}}})
	assert.Equal(t, []string{p2, p1}, postIDs(page.Items), "most recent bookmark first")
	assert.Equal(t, "Second", page.Items[0].Title)
	assert.Equal(t, "bob", page.Items[0].Author.Username)
	assert.Equal(t, 2, page.Total)
	require.NotNil(t, page.HasMore)
	assert.False(t, *page.HasMore)
	assert.Nil(t, page.NextCursor)

	env.reset()
	page, err = c.Bookmarks.List(ctx, &colony.BookmarkListParams{Limit: 1})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/posts/bookmarks/list", Query: url.Values{"limit": {"1"}, "offset": {"0"}}})
	assert.Equal(t, []string{p2}, postIDs(page.Items))
	assert.True(t, *page.HasMore)
	require.NotNil(t, page.NextCursor, "next_cursor is served while has_more")

	env.reset()
	require.NoError(t, c.Bookmarks.Remove(ctx, p2))
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/posts/" + p2 + "/bookmark"}))
	page, err = c.Bookmarks.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{p1}, postIDs(page.Items))
	assert.ErrorIs(t, c.Bookmarks.Remove(ctx, p2), colony.ErrNotFound)

	_, err = c.Bookmarks.Add(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = c.Bookmarks.Add(ctx, "nope")
	assert.ErrorIs(t, err, colony.ErrValidation)

	t.Run("bookmarks are private", func(t *testing.T) {
		_, bc := env.agentClient("carol")
		page, err := bc.Bookmarks.List(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, page.Items)
	})
}

func TestBookmarksListIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	ctx := context.Background()
	var ids []string
	for i := range 7 {
		id := env.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprint("p", i)})
		_, err := c.Bookmarks.Add(ctx, id)
		require.NoError(t, err)
		ids = append([]string{id}, ids...) // newest bookmark first
	}
	env.reset()

	got, err := rangeIDs(c.Bookmarks.ListIter(ctx, &colony.BookmarkListParams{Limit: 3}), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	calls := env.calls()
	require.Len(t, calls, 3, "has_more=false on the 3rd page ends it: %v", describe(calls))
	for i, r := range calls {
		env.match(r, wire{Method: "GET", Path: "/posts/bookmarks/list", Query: url.Values{"limit": {"3"}, "offset": {strconv.Itoa(3 * i)}}})
	}

	env.reset()
	got, err = rangeIDs(c.Bookmarks.ListIter(ctx, &colony.BookmarkListParams{Limit: 3}), postID, 4)
	require.NoError(t, err)
	assert.Equal(t, ids[:4], got)
	assert.Len(t, env.calls(), 2, "a break sends nothing more")

	env.reset()
	got, err = rangeIDs(c.Bookmarks.ListIter(ctx, &colony.BookmarkListParams{Limit: 2, Offset: 2, MaxResults: 3}), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids[2:5], got)
	assert.Len(t, env.calls(), 2)
}

func TestBookmarksListIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, stalledFeed(&calls))
	got, err := rangeIDs(c.Bookmarks.ListIter(context.Background(), nil), postID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestBookmarksWatch(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	_, bc := env.agentClient("bob")
	env.srv.NewAgent("carol")
	post := env.srv.SeedPost("carol", colonytest.SeedPost{Title: "Interesting"})
	ctx := context.Background()
	env.reset()

	res, err := c.Bookmarks.Watch(ctx, post)
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "POST", Path: "/posts/" + post + "/watch"}))
	assert.Equal(t, "watching", res.Status)
	_, err = c.Bookmarks.Watch(ctx, post)
	require.NoError(t, err, "watching again is a no-op")

	cm, err := bc.Comments.Create(ctx, post, &colony.CommentCreateParams{Body: "a thought"})
	require.NoError(t, err)
	ns, err := c.Notifications.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, ns, 1, "the watcher is notified of the comment")
	assert.Equal(t, colony.NotificationKind("watched_post_comment"), ns[0].NotificationType)
	assert.Equal(t, "bob", ns[0].Actor.Username)
	require.NotNil(t, ns[0].PostID)
	assert.Equal(t, post, *ns[0].PostID)
	require.NotNil(t, ns[0].CommentID)
	assert.Equal(t, cm.ID, *ns[0].CommentID)

	env.reset()
	res, err = c.Bookmarks.Unwatch(ctx, post)
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/posts/" + post + "/watch"}))
	assert.Equal(t, "unwatched", res.Status)
	_, err = c.Bookmarks.Unwatch(ctx, post)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = bc.Comments.Create(ctx, post, &colony.CommentCreateParams{Body: "another"})
	require.NoError(t, err)
	n, err := c.Notifications.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "no notification after unwatching")

	_, err = c.Bookmarks.Watch(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestBookmarksBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	cases := map[string]func() error{
		"add empty":    func() error { _, err := c.Bookmarks.Add(ctx, ""); return err },
		"add reserved": func() error { _, err := c.Bookmarks.Add(ctx, "bookmarks"); return err },
		"remove dot":   func() error { return c.Bookmarks.Remove(ctx, ".") },
		"watch blank":  func() error { _, err := c.Bookmarks.Watch(ctx, "  "); return err },
		"unwatch ctrl": func() error { _, err := c.Bookmarks.Unwatch(ctx, "a\x00"); return err },
		"list limit":   func() error { _, err := c.Bookmarks.List(ctx, &colony.BookmarkListParams{Limit: 101}); return err },
		"list offset":  func() error { _, err := c.Bookmarks.List(ctx, &colony.BookmarkListParams{Offset: -1}); return err },
		"list iter limit": func() error {
			_, err := rangeIDs(c.Bookmarks.ListIter(ctx, &colony.BookmarkListParams{Limit: -1}), postID, 0)
			return err
		},
		"list iter maxres": func() error {
			_, err := rangeIDs(c.Bookmarks.ListIter(ctx, &colony.BookmarkListParams{MaxResults: -1}), postID, 0)
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
