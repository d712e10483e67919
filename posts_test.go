package colony_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- helpers shared by the content tests (posts, comments, polls, search, trending) ----

const (
	generalID  = "2e549d01-99f2-459f-8924-48b2690b2170"
	findingsID = "bbe6be09-da95-4983-b23d-1dd980479a7e"
	missingID  = "00000000-0000-4000-8000-00000000dead"
)

// contentEpoch is the frozen server clock of contentEnv.
var contentEpoch = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

// newContentEnv returns an env whose server has rate limits off and its clock frozen at
// contentEpoch, with the agents alice and bob; c is alice's client.
func newContentEnv(t *testing.T, opts ...colonytest.Option) *contentEnv {
	t.Helper()
	srv := colonytest.NewServer(t, append([]colonytest.Option{colonytest.WithoutRateLimits(),
		colonytest.WithClock(contentEpoch)}, opts...)...)
	e := &env{t: t, srv: srv, alice: srv.NewAgent("alice"), bob: srv.NewAgent("bob")}
	e.c = e.client(e.alice)
	return e
}

// contentRetry retries twice with millisecond waits.
func contentRetry() colony.Option {
	return colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
}

// sameKeyRetried asserts that calls are n attempts of one write carrying one Idempotency-Key.
func sameKeyRetried(t *testing.T, calls []colonytest.Request, n int) {
	t.Helper()
	require.Len(t, calls, n)
	key := calls[0].Header.Get("Idempotency-Key")
	assert.Regexp(t, "^[0-9a-f]{32}$", key)
	for _, r := range calls[1:] {
		assert.Equal(t, key, r.Header.Get("Idempotency-Key"))
		assert.Equal(t, string(calls[0].Body), string(r.Body))
	}
}

// q builds url.Values from key, value pairs.
func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// seedPosts seeds n posts by author, the first one oldest, and returns their ids newest first.
func (e *contentEnv) seedPosts(author string, n int, sp colonytest.SeedPost) []string {
	ids := make([]string, n)
	start := e.srv.Now().Add(-time.Duration(n) * time.Minute)
	for i := range n {
		p := sp
		p.Title = fmt.Sprintf("post %d", i)
		p.CreatedAt = start.Add(time.Duration(i) * time.Minute)
		ids[n-1-i] = e.srv.SeedPost(author, p)
	}
	return ids
}

func postIDs(ps []colony.Post) []string {
	out := make([]string, len(ps))
	for i := range ps {
		out[i] = ps[i].ID
	}
	return out
}

// rangeIDs ranges seq to the end, or until stop items, and returns the ids and the error yielded.
func rangeIDs[T any](seq func(func(*T, error) bool), id func(*T) string, stop int) ([]string, error) {
	var ids []string
	for v, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, id(v))
		if stop > 0 && len(ids) == stop {
			break
		}
	}
	return ids, nil
}

func postID(p *colony.Post) string { return p.ID }

// newContentFake starts an edge server (colony.NewEdgeServer) that issues tokens and hands every other
// /api/v1 request to h, and returns a client for it.
func newContentFake(t *testing.T, h http.HandlerFunc, opts ...colony.Option) *colony.Client {
	t.Helper()
	srv := colony.NewEdgeServer(t, "fake-token", h)
	c, err := colony.NewClient("col_fake", append([]colony.Option{colony.WithBaseURL(srv.URL + "/api/v1"), contentRetry()}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func writeContentJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// stalledFeed answers every request with the same page that claims more follow, and counts requests.
func stalledFeed(calls *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "p1"}, {"id": "p2"}}, "total": 100, "has_more": true})
	}
}

// requireRateLimited asserts err is a 429 that outlived the retries.
func requireRateLimited(t *testing.T, err error) {
	t.Helper()
	require.ErrorIs(t, err, colony.ErrRateLimited)
	var rle *colony.RateLimitError
	require.ErrorAs(t, err, &rle)
	assert.Equal(t, http.StatusTooManyRequests, rle.StatusCode)
}

// ---- posts ----

func TestPostsCreate(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()

	t.Run("every field", func(t *testing.T) {
		meta := map[string]any{"confidence": 0.9, "sources": []any{"https://example.org/a"}}
		p, err := env.c.Posts.Create(ctx, &colony.PostCreateParams{
			Title: "Hello", Body: "World", Colony: "Findings", PostType: colony.PostTypeFinding,
			Metadata: meta, Tags: []string{"Go", "sdk"},
		})
		require.NoError(t, err)
		env.expect(wire{Method: "POST", Path: "/posts", Body: `{"title":"Hello","body":"World",
			"colony_id":"` + findingsID + `","post_type":"finding","client":"colony-go",
			"metadata":{"confidence":0.9,"sources":["https://example.org/a"]},"tags":["Go","sdk"]}`})
		assert.NotEmpty(t, p.ID)
		assert.Equal(t, "alice", p.Author.Username)
		assert.Equal(t, findingsID, p.ColonyID)
		assert.Equal(t, colony.PostTypeFinding, p.PostType)
		assert.Equal(t, "Hello", p.Title)
		assert.Equal(t, meta, p.Metadata, "metadata_ decodes into Metadata")
		assert.Equal(t, []string{"go", "sdk"}, p.Tags)
		require.NotNil(t, p.Client)
		assert.Equal(t, "colony-go", *p.Client)
		require.NotNil(t, p.SafeText)
		assert.Equal(t, contentEpoch, p.CreatedAt.UTC())
		info, ok := env.srv.Post(p.ID)
		require.True(t, ok)
		assert.Equal(t, "findings", info.ColonyName)
	})
	t.Run("defaults omit metadata and tags", func(t *testing.T) {
		p, err := env.c.Posts.Create(ctx, &colony.PostCreateParams{Title: "T", Body: "B"})
		require.NoError(t, err)
		env.expect(wire{Method: "POST", Path: "/posts",
			Body: `{"title":"T","body":"B","colony_id":"` + generalID + `","post_type":"discussion","client":"colony-go"}`})
		assert.Equal(t, generalID, p.ColonyID)
		assert.Equal(t, colony.PostTypeDiscussion, p.PostType)
	})
	t.Run("empty metadata and tags are sent", func(t *testing.T) {
		_, err := env.c.Posts.Create(ctx, &colony.PostCreateParams{Title: "T", Body: "B", Colony: findingsID,
			Metadata: map[string]any{}, Tags: []string{}})
		require.NoError(t, err)
		env.expect(wire{Method: "POST", Path: "/posts", Body: `{"title":"T","body":"B","colony_id":"` + findingsID +
			`","post_type":"discussion","client":"colony-go","metadata":{},"tags":[]}`})
	})
	t.Run("unknown colony name is resolved then refused", func(t *testing.T) {
		_, err := env.c.Posts.Create(ctx, &colony.PostCreateParams{Title: "T", Body: "B", Colony: "no-such-colony"})
		require.ErrorIs(t, err, colony.ErrInvalidArgument)
		assert.Contains(t, err.Error(), "no-such-colony")
		env.expect(wire{Method: "GET", Path: "/colonies", Query: q("limit", "200")})
	})
}

func TestPostsCreateRetriesWithOneIdempotencyKey(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	params := &colony.PostCreateParams{Title: "Once", Body: "only once"}

	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts", Status: http.StatusServiceUnavailable, Times: 1})
	p, err := env.c.Posts.Create(ctx, params)
	require.NoError(t, err)
	sameKeyRetried(t, env.calls(), 2)
	assert.Equal(t, 1, env.srv.PostCount())

	env.srv.ResetRequests()
	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts", Status: http.StatusBadGateway, AfterHandler: true, Times: 1})
	var resp colony.Response
	p2, err := env.c.Posts.Create(ctx, params, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	sameKeyRetried(t, env.calls(), 2)
	assert.True(t, resp.IdempotentReplay, "the retry was answered from the idempotency record")
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, 2, env.srv.PostCount(), "the lost response did not create a duplicate")
	assert.NotEqual(t, p.ID, p2.ID)
}

func TestPostsBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	c := env.client(env.alice) // fresh: not even a token yet
	ctx := context.Background()
	posts := c.Posts
	cases := map[string]func() error{
		"create nil":         func() error { _, err := posts.Create(ctx, nil); return err },
		"create blank title": func() error { _, err := posts.Create(ctx, &colony.PostCreateParams{Title: " ", Body: "b"}); return err },
		"create blank body": func() error {
			_, err := posts.Create(ctx, &colony.PostCreateParams{Title: "t", Body: "\n"})
			return err
		},
		"get empty id":      func() error { _, err := posts.Get(ctx, ""); return err },
		"get dot-dot":       func() error { _, err := posts.Get(ctx, ".."); return err },
		"list limit 101":    func() error { _, err := posts.List(ctx, &colony.PostListParams{Limit: 101}); return err },
		"list limit -1":     func() error { _, err := posts.List(ctx, &colony.PostListParams{Limit: -1}); return err },
		"list offset -1":    func() error { _, err := posts.List(ctx, &colony.PostListParams{Offset: -1}); return err },
		"list short search": func() error { _, err := posts.List(ctx, &colony.PostListParams{Search: " a "}); return err },
		"update nil":        func() error { _, err := posts.Update(ctx, "p", nil); return err },
		"update no field":   func() error { _, err := posts.Update(ctx, "p", &colony.PostUpdateParams{}); return err },
		"update blank title": func() error {
			_, err := posts.Update(ctx, "p", &colony.PostUpdateParams{Title: colony.Ptr(" ")})
			return err
		},
		"update empty id": func() error {
			_, err := posts.Update(ctx, "", &colony.PostUpdateParams{Body: colony.Ptr("b")})
			return err
		},
		"delete empty id":    func() error { return posts.Delete(ctx, "") },
		"vote 0":             func() error { _, err := posts.Vote(ctx, "p", 0); return err },
		"vote 2":             func() error { _, err := posts.Vote(ctx, "p", 2); return err },
		"vote -2":            func() error { _, err := posts.Vote(ctx, "p", -2); return err },
		"vote empty id":      func() error { _, err := posts.Vote(ctx, "", 1); return err },
		"react unknown key":  func() error { _, err := posts.React(ctx, "p", "smile"); return err },
		"react unicode":      func() error { _, err := posts.React(ctx, "p", "👍"); return err },
		"react empty id":     func() error { _, err := posts.React(ctx, "", colony.ReactionFire); return err },
		"context empty id":   func() error { _, err := posts.Context(ctx, ""); return err },
		"conversation empty": func() error { _, err := posts.Conversation(ctx, ""); return err },
		"get many empty id":  func() error { _, err := posts.GetMany(ctx, []string{"a", ""}); return err },
		"iter limit 101": func() error {
			_, err := rangeIDs(posts.ListIter(ctx, &colony.PostListParams{Limit: 101}), postID, 0)
			return err
		},
		"iter negative max": func() error {
			_, err := rangeIDs(posts.ListIter(ctx, &colony.PostListParams{MaxResults: -1}), postID, 0)
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

func TestPostsGet(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("bob", colonytest.SeedPost{Colony: "findings", Title: "Seeded", Body: "Body",
		PostType: "finding", Tags: []string{"go"}, Metadata: map[string]any{"k": "v"}, Client: "colony-sdk-python", Score: 3})

	var resp colony.Response
	p, err := env.c.Posts.Get(ctx, id, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts/" + id})
	assert.Equal(t, id, p.ID)
	assert.Equal(t, "bob", p.Author.Username)
	assert.Equal(t, colony.UserTypeAgent, p.Author.UserType)
	assert.Equal(t, findingsID, p.ColonyID)
	require.NotNil(t, p.ColonyName)
	assert.Equal(t, "findings", *p.ColonyName)
	assert.Equal(t, colony.PostTypeFinding, p.PostType)
	assert.Equal(t, []string{"go"}, p.Tags)
	assert.Equal(t, map[string]any{"k": "v"}, p.Metadata)
	assert.Equal(t, 3, p.Score)
	assert.Equal(t, "colony-sdk-python", *p.Client)
	assert.False(t, p.CreatedAt.IsZero())
	assert.Empty(t, extraOf(t, resp.Body, p), "every member colonytest sends is modelled")

	_, err = env.c.Posts.Get(ctx, missingID)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	env.expect(wire{Method: "GET", Path: "/posts/" + missingID})

	_, err = env.c.Posts.Get(ctx, "a/b?c=d")
	assert.ErrorIs(t, err, colony.ErrValidation, "the id stays one path segment and is refused as a UUID")
	env.expect(wire{Method: "GET", Path: "/posts/a%2Fb%3Fc=d"})
}

func TestPostsList(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedPosts("bob", 3, colonytest.SeedPost{})
	finding := env.srv.SeedPost("bob", colonytest.SeedPost{Colony: "findings", PostType: "finding",
		Title: "Quantum results", Tags: []string{"physics"}})

	t.Run("defaults", func(t *testing.T) {
		l, err := env.c.Posts.List(ctx, nil)
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "20")})
		assert.Equal(t, append([]string{finding}, ids...), postIDs(l.Items))
		assert.Equal(t, 4, l.Total)
		require.NotNil(t, l.HasMore)
		assert.False(t, *l.HasMore)
		assert.Nil(t, l.Items[0].SafeText, "safe_text is null in lists")
	})
	t.Run("every filter", func(t *testing.T) {
		l, err := env.c.Posts.List(ctx, &colony.PostListParams{Sort: colony.PostSortTop, Colony: "findings",
			PostType: colony.PostTypeFinding, Tag: "physics", Search: "quantum", Limit: 5, Offset: 0})
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "top", "limit", "5", "colony_id", findingsID,
			"post_type", "finding", "tag", "physics", "search", "quantum")})
		assert.Equal(t, []string{finding}, postIDs(l.Items))
	})
	t.Run("offset and page", func(t *testing.T) {
		l, err := env.c.Posts.List(ctx, &colony.PostListParams{Limit: 2, Offset: 1})
		require.NoError(t, err)
		env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "2", "offset", "1")})
		assert.Equal(t, ids[:2], postIDs(l.Items))
		assert.True(t, *l.HasMore)
	})
	t.Run("a slug that is not built in is sent as colony", func(t *testing.T) {
		_, err := env.c.Posts.List(ctx, &colony.PostListParams{Colony: "Robotics"})
		assert.ErrorIs(t, err, colony.ErrNotFound, "colonytest knows no such colony")
		env.expect(wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "20", "colony", "robotics")})
	})
}

func TestPostsListIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedPosts("bob", 7, colonytest.SeedPost{})
	params := &colony.PostListParams{Limit: 3}
	page := func(offset string) wire {
		if offset == "" {
			return wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "3")}
		}
		return wire{Method: "GET", Path: "/posts", Query: q("sort", "new", "limit", "3", "offset", offset)}
	}
	seq := env.c.Posts.ListIter(ctx, params)
	assert.Empty(t, env.srv.Requests(), "no request before ranging")

	got, err := rangeIDs(seq, postID, 0)
	require.NoError(t, err)
	assert.Equal(t, ids, got)
	env.expect(page(""), page("3"), page("6"))

	t.Run("early break makes no further request", func(t *testing.T) {
		got, err := rangeIDs(seq, postID, 4)
		require.NoError(t, err)
		assert.Equal(t, ids[:4], got)
		env.expect(page(""), page("3"))
	})
	t.Run("ranging again starts over", func(t *testing.T) {
		got, err := rangeIDs(seq, postID, 2)
		require.NoError(t, err)
		assert.Equal(t, ids[:2], got)
		env.expect(page(""))
	})
	t.Run("max results aligned with the page size", func(t *testing.T) {
		got, err := rangeIDs(env.c.Posts.ListIter(ctx, &colony.PostListParams{Limit: 3, MaxResults: 6}), postID, 0)
		require.NoError(t, err)
		assert.Equal(t, ids[:6], got)
		env.expect(page(""), page("3"))
	})
	t.Run("starts at offset and never passes the total", func(t *testing.T) {
		got, err := rangeIDs(env.c.Posts.ListIter(ctx, &colony.PostListParams{Limit: 3, Offset: 1}), postID, 0)
		require.NoError(t, err)
		assert.Equal(t, ids[1:], got)
		env.expect(page("1"), page("4"))
	})
	t.Run("persistent 429 is yielded once", func(t *testing.T) {
		var got []string
		var errs []error
		for p, err := range env.c.Posts.ListIter(ctx, params) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			got = append(got, p.ID)
			if len(got) == 1 {
				env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts", Status: http.StatusTooManyRequests, RetryAfter: "0"})
			}
		}
		env.srv.ClearFaults()
		assert.Equal(t, ids[:3], got, "the first page is delivered before the error")
		require.Len(t, errs, 1)
		requireRateLimited(t, errs[0])
		assert.Len(t, env.calls(), 1+3, "one page, then three attempts at the second")
		env.srv.ResetRequests()
	})
}

func TestPostsListIterFollowsHasMore(t *testing.T) {
	var offsets []string
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		offsets = append(offsets, r.URL.Query().Get("offset"))
		if r.URL.Query().Get("offset") == "" { // a short page that still has more
			writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "a"}, {"id": "b"}}, "total": 3, "has_more": true})
			return
		}
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "c"}}, "total": 3, "has_more": false})
	})
	got, err := rangeIDs(c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: 5}), postID, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, got)
	assert.Equal(t, []string{"", "5"}, offsets)
}

func TestPostsListIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, stalledFeed(&calls))
	got, err := rangeIDs(c.Posts.ListIter(context.Background(), nil), postID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p1", "p2"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestPostsUpdate(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "Old", Body: "Old body"})

	p, err := env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Title: colony.Ptr("New")})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id, Body: `{"title":"New"}`})
	assert.Equal(t, "New", p.Title)
	assert.Equal(t, "Old body", p.Body)

	p, err = env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Title: colony.Ptr("T2"), Body: colony.Ptr("B2")})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/posts/" + id, Body: `{"title":"T2","body":"B2"}`})
	assert.Equal(t, "B2", p.Body)

	_, err = env.client(env.bob).Posts.Update(ctx, id, &colony.PostUpdateParams{Body: colony.Ptr("x")})
	assert.ErrorIs(t, err, colony.ErrForbidden, "not bob's post")
	env.srv.Advance(16 * time.Minute)
	_, err = env.c.Posts.Update(ctx, id, &colony.PostUpdateParams{Body: colony.Ptr("late")})
	assert.ErrorIs(t, err, colony.ErrForbidden, "edit window over")
}

func TestPostsDelete(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})

	require.NoError(t, env.c.Posts.Delete(ctx, id))
	env.expect(wire{Method: "DELETE", Path: "/posts/" + id})
	_, ok := env.srv.Post(id)
	assert.False(t, ok)

	assert.ErrorIs(t, env.c.Posts.Delete(ctx, id), colony.ErrNotFound)
}

func TestPostsVote(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{})
	bob := env.client(env.bob)

	v, err := bob.Posts.Vote(ctx, id, 1)
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/posts/" + id + "/vote", Body: `{"value":1}`})
	assert.Equal(t, 1, v.Score)
	assert.True(t, v.Upvoted)
	require.NotNil(t, v.YourVote)
	assert.Equal(t, 1, *v.YourVote)

	v, err = bob.Posts.Vote(ctx, id, -1)
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/posts/" + id + "/vote", Body: `{"value":-1}`})
	assert.Equal(t, -1, v.Score)
	assert.True(t, v.Downvoted)

	_, err = bob.Posts.Vote(ctx, id, -1)
	assert.ErrorIs(t, err, colony.ErrConflict, "same vote twice")
	_, err = env.c.Posts.Vote(ctx, id, 1)
	assert.ErrorIs(t, err, colony.ErrValidation, "own post")

	env.srv.ResetRequests()
	other := env.srv.SeedPost("alice", colonytest.SeedPost{})
	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts/{id}/vote", Status: http.StatusServiceUnavailable, Times: 2})
	v, err = bob.Posts.Vote(ctx, other, 1)
	require.NoError(t, err)
	assert.Equal(t, 1, v.Score)
	sameKeyRetried(t, env.calls(), 3)
}

func TestPostsReact(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("bob", colonytest.SeedPost{})

	r, err := env.c.Posts.React(ctx, id, colony.ReactionFire)
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/reactions/toggle", Body: `{"emoji":"fire","post_id":"` + id + `"}`})
	assert.True(t, r.Toggled)
	assert.Equal(t, colony.ReactionFire, r.Emoji)
	assert.Equal(t, 1, r.Count)
	assert.Equal(t, map[colony.ReactionKey]int{colony.ReactionFire: 1}, r.Counts)
	require.NotNil(t, r.PostID)
	assert.Equal(t, id, *r.PostID)
	assert.Nil(t, r.CommentID)
	info, _ := env.srv.Post(id)
	assert.Equal(t, map[string]int{"fire": 1}, info.Reactions)

	r, err = env.c.Posts.React(ctx, id, colony.ReactionFire)
	require.NoError(t, err)
	assert.False(t, r.Toggled, "the same key again removes it")
	assert.Equal(t, "removed", r.Action)

	for _, k := range colony.ReactionKeys() {
		_, err := env.c.Posts.React(ctx, id, k)
		require.NoError(t, err, "the server accepts %s", k)
	}
	info, _ = env.srv.Post(id)
	assert.Len(t, info.Reactions, 8)
}

func TestPostsContext(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("bob", colonytest.SeedPost{Colony: "findings", Title: "Main"})
	related := env.srv.SeedPost("bob", colonytest.SeedPost{Colony: "findings", Title: "Related"})
	env.srv.SeedComment("alice", id, "first", "")
	env.srv.SeedComment("bob", id, "second", "")
	_, err := env.c.Posts.Vote(ctx, id, -1)
	require.NoError(t, err)
	env.srv.ResetRequests()

	var ctxResp colony.Response
	pc, err := env.c.Posts.Context(ctx, id, colony.WithResponseInto(&ctxResp))
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts/" + id + "/context"})
	assert.Equal(t, id, pc.Post.ID)
	assert.Equal(t, "Main", pc.Post.Title)
	assert.Equal(t, "bob", pc.Author.Username)
	assert.Equal(t, "findings", pc.Colony.Name)
	assert.Equal(t, findingsID, pc.Colony.ID)
	require.Len(t, pc.Comments, 2)
	assert.Equal(t, "first", pc.Comments[0].Body)
	assert.Equal(t, "alice", pc.Comments[0].Author.Username)
	assert.Equal(t, 2, pc.CommentCount)
	assert.Equal(t, []string{related}, postIDs(pc.RelatedPosts))
	require.NotNil(t, pc.YourVote)
	assert.Equal(t, -1, *pc.YourVote)
	assert.Equal(t, 1, pc.YourCommentCount)
	assert.Empty(t, extraOf(t, ctxResp.Body, pc))

	_, err = env.c.Posts.Context(ctx, missingID)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestPostsConversation(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("bob", colonytest.SeedPost{})
	top := env.srv.SeedComment("alice", id, "top", "")
	reply := env.srv.SeedComment("bob", id, "reply", top)
	env.srv.SeedComment("alice", id, "reply to reply", reply)
	other := env.srv.SeedComment("bob", id, "another thread", "")

	conv, err := env.c.Posts.Conversation(ctx, id)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts/" + id + "/conversation"})
	assert.Equal(t, id, conv.PostID)
	assert.Equal(t, 2, conv.ThreadCount)
	assert.Equal(t, 4, conv.TotalComments)
	require.Len(t, conv.Threads, 2)
	th := conv.Threads[0]
	assert.Equal(t, top, th.ID)
	assert.Equal(t, "top", th.Body)
	assert.Equal(t, "alice", th.AuthorUsername)
	assert.Equal(t, "alice", th.Author.Username)
	assert.Nil(t, th.ParentID)
	assert.False(t, th.CreatedAt.IsZero())
	require.Len(t, th.Replies, 1)
	assert.Equal(t, reply, th.Replies[0].ID)
	assert.Equal(t, top, *th.Replies[0].ParentID)
	require.Len(t, th.Replies[0].Replies, 1)
	assert.Equal(t, "reply to reply", th.Replies[0].Replies[0].Body)
	assert.Equal(t, other, conv.Threads[1].ID)
	assert.Empty(t, conv.Threads[1].Replies)
}

func TestPostsGetMany(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedPosts("bob", 5, colonytest.SeedPost{})
	in := []string{ids[3], missingID, ids[0], ids[4], ids[1], ids[2]}

	got, err := env.c.Posts.GetMany(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{ids[3], ids[0], ids[4], ids[1], ids[2]}, postIDs(got), "input order, 404 skipped")
	calls := env.calls()
	require.Len(t, calls, len(in))
	var paths []string
	for _, r := range calls {
		assert.Equal(t, "GET", r.Method)
		paths = append(paths, r.RawPath)
	}
	for _, id := range in {
		assert.Contains(t, paths, "/api/v1/posts/"+id)
	}

	t.Run("empty input makes no request", func(t *testing.T) {
		env.srv.ResetRequests()
		got, err := env.c.Posts.GetMany(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, got)
		env.none()
	})
	t.Run("other errors are returned", func(t *testing.T) {
		_, err := env.c.Posts.GetMany(ctx, []string{ids[0], "not-a-uuid"})
		assert.ErrorIs(t, err, colony.ErrValidation)
		env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts/" + ids[2], Status: http.StatusForbidden, Times: 1})
		_, err = env.c.Posts.GetMany(ctx, ids)
		assert.ErrorIs(t, err, colony.ErrForbidden)
	})
}

// TestPostsGetManyBoundedConcurrency holds requests until three are in flight at once:
// a bound above three would show in the peak, and a sequential client would never get there.
func TestPostsGetManyBoundedConcurrency(t *testing.T) {
	const limit = 3
	var inFlight, peak atomic.Int32
	full := make(chan struct{})
	var once sync.Once
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if n >= limit {
			once.Do(func() { close(full) })
		}
		select {
		case <-full:
		case <-time.After(5 * time.Second):
		}
		inFlight.Add(-1) // before answering, so the next request cannot overlap this one's count
		writeContentJSON(w, map[string]any{"id": strings.TrimPrefix(r.URL.Path, "/api/v1/posts/")})
	}, colony.WithBatchConcurrency(limit))

	ids := make([]string, 10)
	for i := range ids {
		ids[i] = fmt.Sprintf("p%d", i)
	}
	start := time.Now()
	got, err := c.Posts.GetMany(context.Background(), ids)
	require.NoError(t, err)
	assert.Equal(t, ids, postIDs(got))
	assert.Equal(t, int32(limit), peak.Load())
	assert.Less(t, time.Since(start), 4*time.Second, "requests ran concurrently")
}

func TestPostsGetManyStopsOnError(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path == "/api/v1/posts/bad" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		writeContentJSON(w, map[string]any{"id": "x"})
	}, colony.WithBatchConcurrency(1))
	_, err := c.Posts.GetMany(context.Background(), []string{"a", "bad", "b", "c"})
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
	assert.True(t, errors.Is(err, colony.ErrServer))
	assert.Equal(t, int32(2), calls.Load(), "no request after the failure")
}
