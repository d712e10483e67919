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

func commentID(c *colony.Comment) string { return c.ID }

// seedComments seeds n top-level comments by author on postID and returns their ids in order.
func (e *contentEnv) seedComments(author, postID string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.srv.SeedComment(author, postID, fmt.Sprintf("comment %d", i), "")
	}
	return ids
}

func TestCommentsCreate(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	path := "/posts/" + postID + "/comments"

	top, err := env.c.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: "Nice post"})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: path, Body: `{"body":"Nice post","client":"colony-go"}`})
	assert.Equal(t, postID, top.PostID)
	assert.Nil(t, top.ParentID)
	assert.Equal(t, "Nice post", top.Body)
	assert.Equal(t, "alice", top.Author.Username)
	assert.Equal(t, "colony-go", *top.Client)
	assert.Equal(t, contentEpoch, top.CreatedAt.UTC())

	reply, err := env.c.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: "Me again", ParentID: top.ID})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: path,
		Body: `{"body":"Me again","client":"colony-go","parent_id":"` + top.ID + `"}`})
	require.NotNil(t, reply.ParentID)
	assert.Equal(t, top.ID, *reply.ParentID)
	info, ok := env.srv.Comment(reply.ID)
	require.True(t, ok)
	assert.Equal(t, top.ID, info.ParentID)

	t.Run("retried with one idempotency key", func(t *testing.T) {
		env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts/{id}/comments", Status: http.StatusBadGateway,
			AfterHandler: true, Times: 1})
		before := env.srv.CommentCount()
		_, err := env.c.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: "once"})
		require.NoError(t, err)
		sameKeyRetried(t, env.calls(), 2)
		assert.Equal(t, before+1, env.srv.CommentCount(), "no duplicate")
		env.srv.ResetRequests()
	})
	t.Run("unknown post", func(t *testing.T) {
		_, err := env.c.Comments.Create(ctx, missingID, &colony.CommentCreateParams{Body: "x"})
		assert.ErrorIs(t, err, colony.ErrNotFound)
	})
}

func TestCommentsBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	c := env.client(env.alice)
	ctx := context.Background()
	cs := c.Comments
	cases := map[string]func() error{
		"create nil":        func() error { _, err := cs.Create(ctx, "p", nil); return err },
		"create blank":      func() error { _, err := cs.Create(ctx, "p", &colony.CommentCreateParams{Body: "  "}); return err },
		"create empty post": func() error { _, err := cs.Create(ctx, "", &colony.CommentCreateParams{Body: "b"}); return err },
		"create bad parent": func() error {
			_, err := cs.Create(ctx, "p", &colony.CommentCreateParams{Body: "b", ParentID: ".."})
			return err
		},
		"get empty id":       func() error { _, err := cs.Get(ctx, ""); return err },
		"list empty post":    func() error { _, err := cs.List(ctx, "", nil); return err },
		"list negative page": func() error { _, err := cs.List(ctx, "p", &colony.CommentListParams{Page: -1}); return err },
		"iter empty post": func() error {
			_, err := rangeIDs(cs.ListIter(ctx, "", nil), commentID, 0)
			return err
		},
		"iter negative max": func() error {
			_, err := rangeIDs(cs.ListIter(ctx, "p", &colony.CommentListParams{MaxResults: -1}), commentID, 0)
			return err
		},
		"all empty post":    func() error { _, err := cs.All(ctx, ""); return err },
		"update blank":      func() error { _, err := cs.Update(ctx, "c", ""); return err },
		"update empty id":   func() error { _, err := cs.Update(ctx, "", "b"); return err },
		"delete empty id":   func() error { return cs.Delete(ctx, "") },
		"vote 0":            func() error { _, err := cs.Vote(ctx, "c", 0); return err },
		"vote 5":            func() error { _, err := cs.Vote(ctx, "c", 5); return err },
		"react unknown key": func() error { _, err := cs.React(ctx, "c", "Fire"); return err },
		"react empty id":    func() error { _, err := cs.React(ctx, "", colony.ReactionClap); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
			env.none()
		})
	}
}

func TestCommentsGet(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	id := env.srv.SeedComment("bob", postID, "hello", "")

	var resp colony.Response
	cm, err := env.c.Comments.Get(ctx, id, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/comments/" + id})
	assert.Equal(t, id, cm.ID)
	assert.Equal(t, postID, cm.PostID)
	assert.Equal(t, "hello", cm.Body)
	assert.Equal(t, "bob", cm.Author.Username)
	require.NotNil(t, cm.SafeText)
	assert.Equal(t, "hello", *cm.SafeText)
	assert.Empty(t, extraOf(t, resp.Body, cm))

	_, err = env.c.Comments.Get(ctx, missingID)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestCommentsList(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	ids := env.seedComments("bob", postID, 25)
	path := "/posts/" + postID + "/comments"

	l, err := env.c.Comments.List(ctx, postID, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: path, Query: q("page", "1")})
	assert.Equal(t, ids[:20], commentIDs(l.Items))
	assert.Equal(t, 25, l.Total)
	assert.True(t, *l.HasMore)
	assert.Nil(t, l.Items[0].SafeText, "safe_text is null in lists")

	l, err = env.c.Comments.List(ctx, postID, &colony.CommentListParams{Page: 2})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: path, Query: q("page", "2")})
	assert.Equal(t, ids[20:], commentIDs(l.Items))
	assert.False(t, *l.HasMore)

	_, err = env.c.Comments.List(ctx, missingID, nil)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func commentIDs(cs []colony.Comment) []string {
	out := make([]string, len(cs))
	for i := range cs {
		out[i] = cs[i].ID
	}
	return out
}

func TestCommentsListIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	ids := env.seedComments("bob", postID, 45)
	page := func(n string) wire {
		return wire{Method: "GET", Path: "/posts/" + postID + "/comments", Query: q("page", n)}
	}
	seq := env.c.Comments.ListIter(ctx, postID, nil)
	assert.Empty(t, env.srv.Requests(), "no request before ranging")

	got, err := rangeIDs(seq, commentID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	env.expect(page("1"), page("2"), page("3"))

	t.Run("early break makes no further request", func(t *testing.T) {
		got, err := rangeIDs(seq, commentID, 21)
		require.NoError(t, err)
		assert.Equal(t, ids[:21], got)
		env.expect(page("1"), page("2"))
	})
	t.Run("ranging again starts over", func(t *testing.T) {
		got, err := rangeIDs(seq, commentID, 1)
		require.NoError(t, err)
		assert.Equal(t, ids[:1], got)
		env.expect(page("1"))
	})
	t.Run("max results aligned with the page size", func(t *testing.T) {
		got, err := rangeIDs(env.c.Comments.ListIter(ctx, postID, &colony.CommentListParams{MaxResults: 40}), commentID, 0)
		require.NoError(t, err)
		assert.Equal(t, ids[:40], got)
		env.expect(page("1"), page("2"))
	})
	t.Run("starts at a page", func(t *testing.T) {
		got, err := rangeIDs(env.c.Comments.ListIter(ctx, postID, &colony.CommentListParams{Page: 3}), commentID, 0)
		require.NoError(t, err)
		assert.Equal(t, ids[40:], got)
		env.expect(page("3"))
	})
	t.Run("all collects every page", func(t *testing.T) {
		all, err := env.c.Comments.All(ctx, postID)
		require.NoError(t, err)
		assert.Equal(t, ids, commentIDs(all))
		env.expect(page("1"), page("2"), page("3"))
	})
	t.Run("persistent 429", func(t *testing.T) {
		env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts/{id}/comments", Status: http.StatusTooManyRequests,
			RetryAfter: "0"})
		defer env.srv.ClearFaults()
		all, err := env.c.Comments.All(ctx, postID)
		requireRateLimited(t, err)
		assert.Empty(t, all)
		assert.Len(t, env.calls(), 3, "first attempt and two retries")
		env.srv.ResetRequests()
	})
}

func TestCommentsListIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, stalledFeed(&calls))
	got, err := rangeIDs(c.Comments.ListIter(context.Background(), "post", nil), commentID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestCommentsUpdateDelete(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	id := env.srv.SeedComment("alice", postID, "typo", "")
	replyID := env.srv.SeedComment("bob", postID, "reply", id)

	cm, err := env.c.Comments.Update(ctx, id, "fixed")
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/comments/" + id, Body: `{"body":"fixed"}`})
	assert.Equal(t, "fixed", cm.Body)

	_, err = env.client(env.bob).Comments.Update(ctx, id, "hijack")
	assert.ErrorIs(t, err, colony.ErrForbidden)
	env.srv.ResetRequests()

	require.NoError(t, env.c.Comments.Delete(ctx, id))
	env.expect(wire{Method: "DELETE", Path: "/comments/" + id})
	_, ok := env.srv.Comment(replyID)
	assert.False(t, ok, "replies go with the comment")
	assert.ErrorIs(t, env.c.Comments.Delete(ctx, id), colony.ErrNotFound)

	late := env.srv.SeedComment("alice", postID, "late", "")
	env.srv.Advance(16 * time.Minute)
	_, err = env.c.Comments.Update(ctx, late, "too late")
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestCommentsVoteReact(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	id := env.srv.SeedComment("bob", postID, "vote me", "")

	v, err := env.c.Comments.Vote(ctx, id, -1)
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/comments/" + id + "/vote", Body: `{"value":-1}`})
	assert.Equal(t, -1, v.Score)
	assert.True(t, v.Downvoted)
	_, err = env.c.Comments.Vote(ctx, id, -1)
	assert.ErrorIs(t, err, colony.ErrConflict)
	env.srv.ResetRequests()

	r, err := env.c.Comments.React(ctx, id, colony.ReactionThinking)
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/reactions/toggle", Body: `{"emoji":"thinking","comment_id":"` + id + `"}`})
	assert.True(t, r.Toggled)
	require.NotNil(t, r.CommentID)
	assert.Equal(t, id, *r.CommentID)
	info, _ := env.srv.Comment(id)
	assert.Equal(t, map[string]int{"thinking": 1}, info.Reactions)
	assert.Equal(t, -1, info.Score)

	_, err = env.c.Comments.React(ctx, missingID, colony.ReactionThinking)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}
