package colony

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// breakerHarness serves GET /flaky with a status the test controls.
type breakerHarness struct {
	f       *fakeAPI
	c       *Client
	status  atomic.Int32
	mu      sync.Mutex
	changes []string
}

func newBreakerHarness(t *testing.T, timeout time.Duration) *breakerHarness {
	h := &breakerHarness{f: newFakeAPI(t)}
	h.status.Store(200)
	h.f.handle("GET /flaky", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, int(h.status.Load()), map[string]any{"detail": "x"})
	})
	h.c = h.f.client(t, WithRetry(RetryPolicy{}), WithBreaker(BreakerSettings{
		ConsecutiveFailures: 3,
		OpenTimeout:         timeout,
		HalfOpenProbes:      1,
		OnStateChange: func(from, to BreakerState) {
			h.mu.Lock()
			h.changes = append(h.changes, from.String()+"->"+to.String())
			h.mu.Unlock()
		},
	}))
	// Fetch the token first so that it does not count as a breaker sample below.
	require.NoError(t, h.c.Do(context.Background(), "GET", "/flaky", nil, nil))
	return h
}

func (h *breakerHarness) call() error {
	return h.c.Do(context.Background(), "GET", "/flaky", nil, nil)
}

func (h *breakerHarness) transitions() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.changes...)
}

func TestBreakerOpensFailsFastAndRecovers(t *testing.T) {
	h := newBreakerHarness(t, 100*time.Millisecond)
	h.status.Store(503)
	for range 3 {
		require.ErrorIs(t, h.call(), ErrServer)
	}
	assert.Equal(t, BreakerOpen, h.c.BreakerState())
	sent := h.f.count("GET", "/flaky")

	err := h.call()
	require.ErrorIs(t, err, ErrCircuitOpen)
	var ne *NetworkError
	require.ErrorAs(t, err, &ne)
	assert.False(t, ne.MaybeSent, "nothing was sent")
	assert.False(t, MaybeApplied(err))
	assert.Equal(t, sent, h.f.count("GET", "/flaky"), "no request reaches the server while open")

	h.status.Store(200)
	time.Sleep(150 * time.Millisecond)
	require.NoError(t, h.call(), "the probe after the timeout goes through")
	assert.Equal(t, BreakerClosed, h.c.BreakerState())
	assert.Equal(t, sent+1, h.f.count("GET", "/flaky"))
	assert.Equal(t, []string{"closed->open", "open->half-open", "half-open->closed"}, h.transitions())
}

func TestBreakerFailedProbeReopens(t *testing.T) {
	h := newBreakerHarness(t, 50*time.Millisecond)
	h.status.Store(502)
	for range 3 {
		require.Error(t, h.call())
	}
	time.Sleep(80 * time.Millisecond)
	require.ErrorIs(t, h.call(), ErrServer, "the probe is sent and fails")
	assert.Equal(t, BreakerOpen, h.c.BreakerState())
	require.ErrorIs(t, h.call(), ErrCircuitOpen)
	assert.Equal(t, []string{"closed->open", "open->half-open", "half-open->open"}, h.transitions())
}

func TestBreakerIgnoresClientErrorsAndCancellation(t *testing.T) {
	h := newBreakerHarness(t, time.Hour)
	for _, st := range []int32{400, 404, 409, 422, 429} {
		h.status.Store(st)
		for range 5 {
			require.Error(t, h.call())
		}
	}
	assert.Equal(t, BreakerClosed, h.c.BreakerState(), "4xx never opens the breaker")

	block := make(chan struct{})
	h.f.handle("GET /hang", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(block) })
	for range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
		err := h.c.Do(ctx, "GET", "/hang", nil, nil)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
	}
	assert.Equal(t, BreakerClosed, h.c.BreakerState(), "cancelled calls are not server failures")
	assert.Empty(t, h.transitions())
}

func TestBreakerOpenIsNotRetried(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /down", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 503, nil) })
	var attempts atomic.Int32
	c := f.client(t, WithRetry(RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}),
		WithBreaker(BreakerSettings{ConsecutiveFailures: 2, OpenTimeout: time.Hour, HalfOpenProbes: 1}),
		WithRequestHook(func(_ context.Context, ri RequestInfo) {
			if ri.Path == "/down" {
				attempts.Add(1)
			}
		}))
	err := c.Do(context.Background(), "GET", "/down", nil, nil)
	require.ErrorIs(t, err, ErrCircuitOpen, "the third attempt meets the open breaker and stops")
	assert.Equal(t, 2, f.count("GET", "/down"))
	assert.EqualValues(t, 3, attempts.Load(), "hooks see the rejected attempt, which is not retried")
}
