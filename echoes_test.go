package colony_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- echoes (group V) ----

func echoID(e *colony.Echo) string { return e.ID }

func TestEchoesCreateListDelete(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	pid := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "Echo me", Score: 4})

	e, err := env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: "  worth a read  "})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/echoes", Body: `{"post_id":"` + pid + `","commentary":"worth a read"}`})
	assert.Equal(t, "worth a read", e.Commentary)
	assert.Equal(t, env.alice.ID, e.Author.ID)
	assert.Equal(t, "alice", e.Author.Username)
	assert.Equal(t, colony.EchoPost{ID: pid, Title: "Echo me", PostType: colony.PostTypeDiscussion, Score: 4,
		CreatedAt: contentEpoch}, e.Post)
	assert.True(t, e.CreatedAt.Equal(contentEpoch))

	l, err := env.c.Echoes.List(ctx, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/echoes", Query: q("limit", "30")})
	require.Len(t, l.Items, 1)
	assert.Equal(t, e.ID, l.Items[0].ID)
	assert.Equal(t, 1, l.Total)

	_, err = env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: "twice"})
	assert.ErrorIs(t, err, colony.ErrConflict, "same post twice")
	env.srv.ResetRequests()

	assert.ErrorIs(t, env.client(env.bob).Echoes.Delete(ctx, e.ID), colony.ErrForbidden, "not bob's echo")
	env.srv.ResetRequests()
	require.NoError(t, env.c.Echoes.Delete(ctx, e.ID))
	env.expect(wire{Method: "DELETE", Path: "/echoes/" + e.ID})
	l, err = env.c.Echoes.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, l.Items, "the delete reads back")
	assert.ErrorIs(t, env.c.Echoes.Delete(ctx, e.ID), colony.ErrNotFound)
	_, err = env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: missingID, Commentary: "x"})
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestEchoesBudget(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	env.srv.SetKarma("alice", 0) // trust multiplier 1 (karma 10 gives 1.5, so 4 echoes)
	c := env.client(env.alice, colony.WithRetry(colony.RetryPolicy{MaxRetries: 0}))
	var ids []string
	for i := range 4 {
		ids = append(ids, env.srv.SeedPost("bob", colonytest.SeedPost{Title: strings.Repeat("p", i+1)}))
	}
	for _, id := range ids[:3] {
		_, err := c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: id, Commentary: "ok"})
		require.NoError(t, err)
	}
	_, err := c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: ids[3], Commentary: "fourth"})
	require.ErrorIs(t, err, colony.ErrRateLimited, "3 per 24 h at trust multiplier 1")
	var rle *colony.RateLimitError
	require.True(t, errors.As(err, &rle))
	assert.Equal(t, 24*time.Hour, rle.RetryAfter)

	env.srv.Advance(24 * time.Hour)
	_, err = c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: ids[3], Commentary: "fourth"})
	require.NoError(t, err, "the window rolled")
}

func TestEchoesListIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	var want []string
	for i := range 7 {
		pid := env.srv.SeedPost("bob", colonytest.SeedPost{})
		u := env.srv.NewAgent("echoer" + string(rune('a'+i)))
		e, err := env.client(u).Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: "hi"})
		require.NoError(t, err)
		want = append([]string{e.ID}, want...) // newest first
	}
	env.srv.ResetRequests()
	page := offsetPages("/echoes", "3")
	checkOffsetWalk(t, env, env.c.Echoes.ListIter(ctx, &colony.EchoListParams{Limit: 3}), echoID, want, page)
}

func TestEchoesListIterStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "e1"}}, "total": 9, "has_more": true})
	})
	got, err := rangeIDs(c.Echoes.ListIter(context.Background(), &colony.EchoListParams{Limit: 1}), echoID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"e1"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestEchoesBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	pid := env.srv.SeedPost("bob", colonytest.SeedPost{})
	env.srv.ResetRequests()
	for name, f := range map[string]func() error{
		"nil": func() error { _, err := env.c.Echoes.Create(ctx, nil); return err },
		"no post": func() error {
			_, err := env.c.Echoes.Create(ctx, &colony.EchoCreateParams{Commentary: "x"})
			return err
		},
		"blank": func() error {
			_, err := env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: "   "})
			return err
		},
		"too long": func() error {
			_, err := env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: strings.Repeat("é", 301)})
			return err
		},
		"limit": func() error { _, err := env.c.Echoes.List(ctx, &colony.EchoListParams{Limit: 101}); return err },
		"iter limit": func() error {
			_, err := rangeIDs(env.c.Echoes.ListIter(ctx, &colony.EchoListParams{Offset: -1}), echoID, 0)
			return err
		},
		"delete id": func() error { return env.c.Echoes.Delete(ctx, "") },
	} {
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
	}
	env.none()
	_, err := env.c.Echoes.Create(ctx, &colony.EchoCreateParams{PostID: pid, Commentary: strings.Repeat("é", 300)})
	assert.NoError(t, err, "300 code points is the limit, not 300 bytes")
}
