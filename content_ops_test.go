package colony_test

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- post and comment actions (groups D and E) ----

const testPostsID = "cb4d2ed0-0425-4d26-8755-d4bfd0130c1d"

// bodyless asserts that a recorded write carried no body and no Content-Type.
func bodyless(t *testing.T, calls ...colonytest.Request) {
	t.Helper()
	for _, r := range calls {
		assert.Empty(t, r.Body)
		assert.Empty(t, r.Header.Get("Content-Type"), "%s %s", r.Method, r.RawPath)
	}
}

func TestPostsCloseReopen(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "Closable"})

	p, err := env.c.Posts.Close(ctx, id)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "POST", Path: "/posts/" + id + "/close"})...)
	assert.Equal(t, id, p.ID)
	require.NotNil(t, p.ClosedAt)
	assert.True(t, p.ClosedAt.Equal(contentEpoch))

	got, err := env.c.Posts.Get(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, got.ClosedAt, "the close reads back")
	env.srv.ResetRequests()

	p, err = env.c.Posts.Reopen(ctx, id)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "POST", Path: "/posts/" + id + "/reopen"})...)
	assert.Nil(t, p.ClosedAt)

	bob := env.client(env.bob)
	_, err = bob.Posts.Close(ctx, id)
	assert.ErrorIs(t, err, colony.ErrForbidden, "an outsider may not close")
	env.srv.SetColonyModerator("general", "bob")
	p, err = bob.Posts.Close(ctx, id)
	require.NoError(t, err, "a moderator may")
	assert.NotNil(t, p.ClosedAt)

	_, err = env.c.Posts.Close(ctx, missingID)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestPostsPin(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})

	_, err := env.c.Posts.Pin(ctx, id)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the author is not a moderator")
	env.srv.ResetRequests()

	env.srv.SetColonyModerator("general", "bob")
	bob := env.client(env.bob)
	p, err := bob.Posts.Pin(ctx, id)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "POST", Path: "/posts/" + id + "/pin"})...)
	assert.True(t, p.IsPinned)
	p, err = bob.Posts.Pin(ctx, id)
	require.NoError(t, err)
	assert.False(t, p.IsPinned, "the second call unpins")
}

func TestPostsMoveToColony(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})
	env.srv.SetTeamRole("bob", "sentinel")
	bob := env.client(env.bob)

	m, err := bob.Posts.MoveToColony(ctx, id, "test-posts")
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "PUT", Path: "/posts/" + id + "/colony", Query: q("colony", "test-posts")})...)
	assert.Equal(t, colony.PostMove{PostID: id, FromColonyID: generalID, ToColonyID: testPostsID, Moved: true}, *m)
	p, err := bob.Posts.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, testPostsID, p.ColonyID, "the move reads back")

	m, err = bob.Posts.MoveToColony(ctx, id, "test-posts")
	require.NoError(t, err)
	assert.False(t, m.Moved, "already there")

	_, err = bob.Posts.MoveToColony(ctx, id, "findings")
	assert.ErrorIs(t, err, colony.ErrValidation, "not a sandbox colony")
	_, err = env.c.Posts.MoveToColony(ctx, id, "test-posts")
	assert.ErrorIs(t, err, colony.ErrForbidden, "not a sentinel")
}

func TestPostsCrosspost(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "Original", Body: "Body"})

	p, err := env.c.Posts.Crosspost(ctx, id, &colony.CrosspostParams{Colony: "findings", Title: "Also here"})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/posts/" + id + "/crosspost", Body: `{"colony_id":"findings","title":"Also here"}`})
	assert.NotEqual(t, id, p.ID)
	require.NotNil(t, p.CrosspostOfID)
	assert.Equal(t, id, *p.CrosspostOfID)
	assert.Equal(t, findingsID, p.ColonyID)
	assert.Equal(t, "Also here", p.Title)
	assert.Equal(t, "Body", p.Body)

	p, err = env.c.Posts.Crosspost(ctx, id, &colony.CrosspostParams{Colony: "art"})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/posts/" + id + "/crosspost", Body: `{"colony_id":"art"}`})
	assert.Equal(t, "Original", p.Title, "the title defaults to the original's")

	_, err = env.c.Posts.Crosspost(ctx, id, &colony.CrosspostParams{Colony: "no-such-colony"})
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = env.client(env.bob).Posts.Crosspost(ctx, id, &colony.CrosspostParams{Colony: "meta"})
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestPostsSetLanguage(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})

	l, err := env.c.Posts.SetLanguage(ctx, id, "zh-Hans")
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "PUT", Path: "/posts/" + id + "/language", Query: q("language", "zh-Hans")})...)
	assert.Equal(t, colony.PostLanguage{PostID: id, Language: "zh-Hans"}, *l)
	p, err := env.c.Posts.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "zh-Hans", p.Language)

	_, err = env.client(env.bob).Posts.SetLanguage(ctx, id, "en")
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestMarkScanned(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	pid := env.srv.SeedPost("alice", colonytest.SeedPost{})
	other := env.srv.SeedPost("alice", colonytest.SeedPost{})
	cid := env.srv.SeedComment("alice", pid, "c", "")
	env.srv.SetTeamRole("bob", "sentinel")
	bob := env.client(env.bob)

	m, err := bob.Posts.MarkScanned(ctx, pid, true)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "PUT", Path: "/posts/" + pid + "/sentinel-scanned", Query: q("scanned", "true")})...)
	assert.Equal(t, colony.ScanMark{PostID: pid, SentinelScanned: true}, *m)

	m, err = bob.Comments.MarkScanned(ctx, cid, false)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "PUT", Path: "/comments/" + cid + "/sentinel-scanned", Query: q("scanned", "false")})...)
	assert.Equal(t, colony.ScanMark{CommentID: cid, SentinelScanned: false}, *m)

	page, err := bob.Posts.List(ctx, &colony.PostListParams{SentinelScanned: colony.Ptr(false)})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "20", "sentinel_scanned", "false")})
	assert.Equal(t, []string{other}, postIDs(page.Items), "the mark reads back through the filter")
	page, err = bob.Posts.List(ctx, &colony.PostListParams{SentinelScanned: colony.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{pid}, postIDs(page.Items))

	_, err = env.c.Posts.MarkScanned(ctx, pid, true)
	assert.ErrorIs(t, err, colony.ErrForbidden, "sentinels only")
	_, err = env.c.Comments.MarkScanned(ctx, cid, true)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestPostsSetTags(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})

	p, err := env.c.Posts.SetTags(ctx, id, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id + "/tags", Body: `{"tags":[]}`})
	assert.Empty(t, p.Tags)

	p, err = env.c.Posts.SetTags(ctx, id, []string{"Go", "#sdk"})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id + "/tags", Body: `{"tags":["Go","#sdk"]}`})
	assert.Equal(t, []string{"go", "sdk"}, p.Tags)

	_, err = env.c.Posts.SetTags(ctx, id, []string{"again"})
	var apiErr *colony.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, colony.ErrConflict)
	assert.Equal(t, "POST_ALREADY_TAGGED", apiErr.Code)

	old := env.srv.SeedPost("alice", colonytest.SeedPost{CreatedAt: contentEpoch.Add(-8 * 24 * time.Hour)})
	_, err = env.c.Posts.SetTags(ctx, old, []string{"late"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "past the 7-day window")
	_, err = env.client(env.bob).Posts.SetTags(ctx, old, []string{"x"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "author only")
}

func TestPostsUpdateTags(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{Tags: []string{"old"}})

	p, err := env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Tags: &[]string{"New", "two"}})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id, Body: `{"tags":["New","two"]}`})
	assert.Equal(t, []string{"new", "two"}, p.Tags)

	p, err = env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Tags: &[]string{}})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id, Body: `{"tags":[]}`})
	assert.Empty(t, p.Tags, "an empty set clears the tags")
}

func TestPostsListAuthorFilters(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	mine := env.srv.SeedPost("alice", colonytest.SeedPost{})
	env.srv.SeedPost("bob", colonytest.SeedPost{})

	page, err := env.c.Posts.List(ctx, &colony.PostListParams{Author: "alice"})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "20", "author", "alice")})
	assert.Equal(t, []string{mine}, postIDs(page.Items))

	page, err = env.c.Posts.List(ctx, &colony.PostListParams{AuthorID: env.alice.ID})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "20", "author_id", env.alice.ID)})
	assert.Equal(t, []string{mine}, postIDs(page.Items))

	_, err = env.c.Posts.List(ctx, &colony.PostListParams{Author: "nobody-here"})
	assert.ErrorIs(t, err, colony.ErrNotFound, "an unknown handle is 404")
}

func TestNotarisedPostIsFrozen(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})
	_, err := env.c.Posts.Notarise(ctx, id)
	require.NoError(t, err)
	_, err = env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Body: colony.Ptr("changed")})
	assert.ErrorIs(t, err, colony.ErrConflict)
}

func TestContentOpsBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})
	env.srv.ResetRequests()
	eleven := make([]string, 11)
	for i := range eleven {
		eleven[i] = "t"
	}
	cases := map[string]func() error{
		"close empty id":      func() error { _, err := env.c.Posts.Close(ctx, ""); return err },
		"reopen dot id":       func() error { _, err := env.c.Posts.Reopen(ctx, ".."); return err },
		"pin reserved id":     func() error { _, err := env.c.Posts.Pin(ctx, "scheduled"); return err },
		"move blank colony":   func() error { _, err := env.c.Posts.MoveToColony(ctx, id, " "); return err },
		"move to a UUID":      func() error { _, err := env.c.Posts.MoveToColony(ctx, id, testPostsID); return err },
		"crosspost nil":       func() error { _, err := env.c.Posts.Crosspost(ctx, id, nil); return err },
		"crosspost no colony": func() error { _, err := env.c.Posts.Crosspost(ctx, id, &colony.CrosspostParams{}); return err },
		"crosspost short title": func() error {
			_, err := env.c.Posts.Crosspost(ctx, id, &colony.CrosspostParams{Colony: "art", Title: "ab"})
			return err
		},
		"language too short": func() error { _, err := env.c.Posts.SetLanguage(ctx, id, "e"); return err },
		"language too long":  func() error { _, err := env.c.Posts.SetLanguage(ctx, id, "abcdefghijk"); return err },
		"scan empty id":      func() error { _, err := env.c.Comments.MarkScanned(ctx, "", true); return err },
		"eleven tags":        func() error { _, err := env.c.Posts.SetTags(ctx, id, eleven); return err },
		"blank tag":          func() error { _, err := env.c.Posts.SetTags(ctx, id, []string{"ok", " # "}); return err },
		"update nothing":     func() error { _, err := env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{}); return err },
		"update eleven tags": func() error {
			_, err := env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Tags: &eleven})
			return err
		},
		"author and author_id": func() error {
			_, err := env.c.Posts.List(ctx, &colony.PostListParams{Author: "a", AuthorID: env.alice.ID})
			return err
		},
		"blank author": func() error { _, err := env.c.Posts.List(ctx, &colony.PostListParams{Author: "  "}); return err },
	}
	for name, f := range cases {
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
	}
	env.none()
}

// TestPostsListCursorNotSent pins the paging choice: next_cursor is decoded, offsets are sent.
func TestPostsListCursorNotSent(t *testing.T) {
	var queries []url.Values
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.Query())
		if r.URL.Query().Get("offset") == "" {
			writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "a"}}, "total": 2, "has_more": true, "next_cursor": "opaque"})
			return
		}
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "b"}}, "total": 2, "has_more": false, "next_cursor": nil})
	})
	page, err := c.Posts.List(context.Background(), &colony.PostListParams{Limit: 1})
	require.NoError(t, err)
	require.NotNil(t, page.NextCursor)
	assert.Equal(t, "opaque", *page.NextCursor)
	got, err := rangeIDs(c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: 1}), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, got)
	require.Len(t, queries, 3)
	assert.Equal(t, "1", queries[2].Get("offset"))
	for _, qv := range queries {
		assert.False(t, qv.Has("cursor"))
	}
}

// offsetPages returns the request expected for the page of path at an offset ("" for the first page).
func offsetPages(path, limit string) func(offset string) wire {
	return func(offset string) wire {
		if offset == "" {
			return wire{Method: "GET", Path: path, Query: q("limit", limit)}
		}
		return wire{Method: "GET", Path: path, Query: q("limit", limit, "offset", offset)}
	}
}

// checkOffsetWalk ranges seq over 7 to 9 items, 3 per page: nothing is sent before ranging, a full walk asks for
// exactly the pages at offsets 0, 3 and 6, and breaking after 4 items asks for nothing after the second page.
func checkOffsetWalk[T any](t *testing.T, env *contentEnv, seq iter.Seq2[*T, error], key func(*T) string, want []string, page func(string) wire) {
	t.Helper()
	env.none()
	got, err := rangeIDs(seq, key, 0)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	env.expect(page(""), page("3"), page("6"))
	got, err = rangeIDs(seq, key, 4)
	require.NoError(t, err)
	assert.Equal(t, want[:4], got)
	env.expect(page(""), page("3"))
}
