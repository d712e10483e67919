package colonytest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIdempotentReplay(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	body := map[string]any{"title": "once", "body": "b", "colony_id": generalID}
	first := e.alice.call("POST", "/posts", body, "Idempotency-Key", "k1").must(201)
	assert.Empty(t, first.header.Get("Idempotent-Replay"))
	again := e.alice.call("POST", "/posts", body, "idempotency-key", "k1").must(201)
	assert.Equal(t, "true", again.header.Get("Idempotent-Replay"))
	assert.Equal(t, string(first.raw), string(again.raw))
	assert.Equal(t, 1, e.srv.PostCount())

	// Different payload with the same key.
	r := e.alice.call("POST", "/posts", map[string]any{"title": "other", "body": "b", "colony_id": generalID},
		"Idempotency-Key", "k1").must(409)
	assert.Equal(t, codeIdemMismatch, r.code())
	// Same key, different path.
	r = e.alice.call("PUT", "/posts/"+first.obj()["id"].(string), body, "Idempotency-Key", "k1").must(409)
	assert.Equal(t, codeIdemMismatch, r.code())

	// Keys are per agent.
	e.bob.call("POST", "/posts", body, "Idempotency-Key", "k1").must(201)
	assert.Equal(t, 2, e.srv.PostCount())

	// The window is 24 h.
	e.srv.Advance(24 * time.Hour)
	alice := e.anon.as(e.aliceA.APIKey)
	alice.call("POST", "/posts", body, "Idempotency-Key", "k1").must(201)
	assert.Equal(t, 3, e.srv.PostCount())

	// Reads ignore the header.
	alice.call("GET", "/posts", nil, "Idempotency-Key", "k1").must(200)
}

func TestIdempotencyLostResponseThenRetry(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Method: "POST", Path: "/posts", Times: 1, Status: 502, AfterHandler: true})
	body := map[string]any{"title": "retry me", "body": "b", "colony_id": generalID}
	e.alice.call("POST", "/posts", body, "Idempotency-Key", "lost").must(502)
	r := e.alice.call("POST", "/posts", body, "Idempotency-Key", "lost").must(201)
	assert.Equal(t, "true", r.header.Get("Idempotent-Replay"))
	assert.Equal(t, 1, e.srv.PostCount())
}

func TestIdempotencyErrorsNotStoredForRetryableStatuses(t *testing.T) {
	e := newEnv(t, WithRateLimit(RateLimitPost, 1, time.Hour))
	body := map[string]any{"title": "a", "body": "b", "colony_id": generalID}
	e.alice.call("POST", "/posts", body).must(201)
	e.alice.call("POST", "/posts", body, "Idempotency-Key", "rl").must(429)
	e.srv.Advance(time.Hour)
	r := e.alice.call("POST", "/posts", body, "Idempotency-Key", "rl").must(201)
	assert.Empty(t, r.header.Get("Idempotent-Replay"))
	// A 4xx outcome is stored and replayed, and a replay does not consume the rate limit.
	e.bob.call("POST", "/posts", map[string]any{"title": ""}, "Idempotency-Key", "bad").must(422)
	r = e.bob.call("POST", "/posts", map[string]any{"title": ""}, "Idempotency-Key", "bad").must(422)
	assert.Equal(t, "true", r.header.Get("Idempotent-Replay"))
}

func TestIdempotencyInFlightDuplicate(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Method: "POST", Path: "/posts", Times: 1, Latency: 200 * time.Millisecond, AfterHandler: true})
	body := map[string]any{"title": "slow", "body": "b", "colony_id": generalID}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.alice.call("POST", "/posts", body, "Idempotency-Key", "dup").must(201)
	}()
	require.Eventually(t, func() bool { return e.srv.PostCount() == 1 }, 5*time.Second, time.Millisecond)
	// The first request has been handled but its response is still delayed: a duplicate replays it.
	r := e.alice.call("POST", "/posts", body, "Idempotency-Key", "dup").must(201)
	assert.Equal(t, "true", r.header.Get("Idempotent-Replay"))
	wg.Wait()
	assert.Equal(t, 1, e.srv.PostCount())
}

func TestIdempotencyConcurrentSameKeyNeverDoubleApplies(t *testing.T) {
	e := newEnv(t, WithoutRateLimits())
	body := map[string]any{"title": "race", "body": "b", "colony_id": generalID}
	var wg sync.WaitGroup
	statuses := make([]int, 32)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = e.alice.call("POST", "/posts", body, "Idempotency-Key", "same").status
		}(i)
	}
	wg.Wait()
	assert.Equal(t, 1, e.srv.PostCount())
	for _, s := range statuses {
		assert.Contains(t, []int{201, 409}, s)
	}
}
