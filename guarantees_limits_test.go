package colony_test

// Rate limits, the circuit breaker, cancellation and leaks.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// gCancelBound is how soon a call must return once its context is cancelled.
const gCancelBound = 50 * time.Millisecond

// ---- rate limits ----

func TestGuaranteeRateLimitBurstIsWaitedOut(t *testing.T) {
	// The server allows 10 posts per second; 20 concurrent creates must all land,
	// the second half after waiting out the server's Retry-After (1 s, within the 2 s cap).
	e := newGEnv(t, colonytest.WithRateLimit(colonytest.RateLimitPost, 10, time.Second))
	var limited atomic.Int32
	c := e.client(e.agent("alice"), colony.WithoutBreaker(),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Second}),
		colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
			if ri.StatusCode == http.StatusTooManyRequests {
				limited.Add(1)
			}
		}))
	const n = 20
	start := time.Now()
	outs := gRun(n, n, func(i int) (string, error) {
		p, err := c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: fmt.Sprintf("burst %d", i), Body: "b"})
		if err != nil {
			return "", err
		}
		return p.ID, nil
	})
	elapsed := time.Since(start)
	for _, o := range outs {
		require.NoError(t, o.err, "call %d", o.i)
	}
	assert.Equal(t, n, e.srv.PostCount(), "every create landed once")
	assert.GreaterOrEqual(t, int(limited.Load()), n-10, "the server answered 429 to the calls over its limit")
	assert.GreaterOrEqual(t, elapsed, time.Second, "the 429s were waited out, not hammered")
	gWithin(t, "the burst", elapsed, 8*time.Second)
	rl, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 10, rl.Limit)
	assert.True(t, rl.Remaining >= 0 && rl.Remaining < 10, "remaining %d", rl.Remaining)
	assert.WithinDuration(t, time.Now(), rl.Reset, 3*time.Second)
	t.Logf("GUARANTEE rate limit: %d concurrent creates against 10/s: %d answered 429, all %d created once after waiting out Retry-After; %v",
		n, limited.Load(), n, elapsed.Round(10*time.Millisecond))
}

func TestGuaranteeRateLimitPastTheCapIsReturned(t *testing.T) {
	epoch := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	e := newGEnv(t, colonytest.WithClock(epoch), colonytest.WithRateLimit(colonytest.RateLimitPost, 3, time.Hour))
	c := e.client(e.agent("alice"), colony.WithoutBreaker()) // cap: 10 ms
	create := func() (*colony.Post, error) {
		return c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "t", Body: "b"})
	}
	for i := range 3 {
		_, err := create()
		require.NoError(t, err)
		rl, ok := c.RateLimit()
		require.True(t, ok)
		assert.Equal(t, 3, rl.Limit)
		assert.Equal(t, 2-i, rl.Remaining)
		assert.True(t, rl.Reset.Equal(epoch.Add(time.Hour)), "reset %v", rl.Reset)
	}
	e.srv.ResetRequests()
	start := time.Now()
	_, err := create()
	elapsed := time.Since(start)
	var rle *colony.RateLimitError
	require.ErrorAs(t, err, &rle)
	e.watch.err(err)
	assert.ErrorIs(t, err, colony.ErrRateLimited)
	assert.Equal(t, time.Hour, rle.RetryAfter, "the server's Retry-After reaches the caller")
	assert.True(t, rle.Reset.Equal(epoch.Add(time.Hour)), "reset %v", rle.Reset)
	assert.Equal(t, "RATE_LIMITED", rle.Code)
	assert.NotEmpty(t, rle.IdempotencyKey)
	assert.False(t, colony.MaybeApplied(err))
	assert.Equal(t, 1, e.requestsTo("POST", "/posts"), "a Retry-After past the cap is not retried")
	gWithin(t, "a 429 past the cap", elapsed, time.Second)
	rl, _ := c.RateLimit()
	assert.Equal(t, 0, rl.Remaining, "the 429's headers are tracked too")

	e.srv.Advance(rle.RetryAfter)
	_, err = create()
	require.NoError(t, err, "after waiting Retry-After the call succeeds")
	t.Logf("GUARANTEE rate limit: a 429 with Retry-After 1h (cap 10 ms) returned *RateLimitError{RetryAfter: %v} after 1 attempt in %v",
		rle.RetryAfter, elapsed.Round(time.Millisecond))
}

// ---- circuit breaker ----

// gEvents is an ordered log of breaker transitions and attempt outcomes.
type gEvents struct {
	mu    sync.Mutex
	names []string
	times []time.Time
}

func (l *gEvents) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
	l.times = append(l.times, time.Now())
}

func (l *gEvents) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.names, " ")
}

func (l *gEvents) count(name string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.names {
		if s == name {
			n++
		}
	}
	return n
}

// openPeriods returns how long each open state lasted before the next transition.
func (l *gEvents) openPeriods() []time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []time.Duration
	var openedAt time.Time
	for i, s := range l.names {
		switch {
		case strings.HasSuffix(s, ">open"):
			openedAt = l.times[i]
		case strings.HasPrefix(s, "open>"):
			out = append(out, l.times[i].Sub(openedAt))
		}
	}
	return out
}

// breakerOptions configures a breaker that logs its transitions and each attempt's outcome to ev.
func breakerOptions(ev *gEvents, s colony.BreakerSettings) []colony.Option {
	s.OnStateChange = func(from, to colony.BreakerState) { ev.add(from.String() + ">" + to.String()) }
	return []colony.Option{
		colony.WithRetry(colony.RetryPolicy{}), // one attempt per call: each call is one breaker sample
		colony.WithBreaker(s),
		colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
			switch {
			case ri.Path == "/auth/token":
			case errors.Is(ri.Err, colony.ErrCircuitOpen):
				ev.add("fast")
			case ri.Err != nil:
				ev.add("error")
			default:
				ev.add(strconv.Itoa(ri.StatusCode))
			}
		}),
	}
}

func TestGuaranteeBreakerFailsFastAndRecoversAlone(t *testing.T) {
	// The "down for 5 s" is scaled by 1/10: down 500 ms, breaker open 150 ms.
	const down, openTimeout = 500 * time.Millisecond, 150 * time.Millisecond
	e := newGEnv(t)
	e.agent("bob")
	postID := e.srv.SeedPost("bob", colonytest.SeedPost{})
	ev := &gEvents{}
	c := e.client(e.agent("alice"), breakerOptions(ev, colony.BreakerSettings{
		ConsecutiveFailures: 3, OpenTimeout: openTimeout, HalfOpenProbes: 1})...)
	ctx := context.Background()
	_, err := c.Posts.Get(ctx, postID)
	require.NoError(t, err)

	remove := e.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts/{id}", Status: 503})
	var upAt atomic.Pointer[time.Time]
	downAt := time.Now()
	timer := time.AfterFunc(down, func() { now := time.Now(); upAt.Store(&now); remove() })
	t.Cleanup(func() { timer.Stop() })

	var fastTimes []time.Duration
	var firstOK time.Time
	tick := time.NewTicker(2 * time.Millisecond) // a bot's pace
	defer tick.Stop()
	for okAfter := 0; okAfter < 3 && time.Since(downAt) < 10*time.Second; <-tick.C {
		start := time.Now()
		_, err := c.Posts.Get(ctx, postID)
		switch {
		case err == nil && upAt.Load() != nil:
			if okAfter++; okAfter == 1 {
				firstOK = time.Now()
			}
		case errors.Is(err, colony.ErrCircuitOpen):
			fastTimes = append(fastTimes, time.Since(start))
			assert.False(t, colony.MaybeApplied(err))
		default:
			require.ErrorIs(t, err, colony.ErrServer)
		}
	}
	require.False(t, firstOK.IsZero(), "the client recovered without user action")

	log := ev.String()
	pattern := `^200 503 503 closed>open 503 (fast )+(open>half-open half-open>open 503 (fast )+)+open>half-open half-open>closed 200 200 200$`
	assert.Regexp(t, regexp.MustCompile(pattern), log, "transitions and attempts, in order")
	failedProbes := strings.Count(log, "half-open>open")
	assert.Equal(t, 1+3+failedProbes+3, e.requestsTo("GET", "/posts/"+postID),
		"only the 3 tripping failures, one probe per open period and the successes reached the server")
	for i, d := range ev.openPeriods() { // timestamps are taken in the callbacks, hence the 10% slack
		assert.GreaterOrEqual(t, d, openTimeout*9/10, "open period %d lasted %v: no probe before the timeout", i, d)
	}
	recovery := firstOK.Sub(*upAt.Load())
	gWithin(t, "recovery after the server came back", recovery, openTimeout+500*time.Millisecond)
	slices.Sort(fastTimes)
	median, slowest := fastTimes[len(fastTimes)/2], fastTimes[len(fastTimes)-1]
	assert.Less(t, median, 5*time.Millisecond, "calls fail fast while open")
	gWithin(t, "the slowest fail-fast call", slowest, 250*time.Millisecond)
	assert.Equal(t, colony.BreakerClosed, c.BreakerState())
	t.Logf("GUARANTEE breaker: server down %v (open timeout %v): %d calls failed fast (median %v, max %v) with 0 requests sent, "+
		"%d failed probes, 1 per open period; closed again %v after the server recovered, without user action",
		down, openTimeout, len(fastTimes), median.Round(time.Microsecond), slowest.Round(time.Microsecond),
		failedProbes, recovery.Round(time.Millisecond))
}

func TestGuaranteeOpenBreakerSendsNothingUnderLoad(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	postID := e.srv.SeedPost("bob", colonytest.SeedPost{})
	ev := &gEvents{}
	c := e.client(e.agent("alice"), breakerOptions(ev, colony.BreakerSettings{
		ConsecutiveFailures: 3, OpenTimeout: time.Hour, HalfOpenProbes: 1})...)
	e.srv.Inject(colonytest.Fault{Path: "/posts/{id}", Status: 502, Times: 3})
	for range 3 {
		_, err := c.Posts.Get(context.Background(), postID)
		require.ErrorIs(t, err, colony.ErrServer)
	}
	require.Equal(t, colony.BreakerOpen, c.BreakerState())
	e.srv.ResetRequests()

	const workers, each = 32, 30
	outs := gRun(workers*each, workers, func(i int) (string, error) {
		if i%2 == 0 {
			_, err := c.Posts.Get(context.Background(), postID)
			return "", err
		}
		_, err := c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "t", Body: "b"})
		return "", err
	})
	for _, o := range outs {
		require.ErrorIs(t, o.err, colony.ErrCircuitOpen)
		var ne *colony.NetworkError
		require.ErrorAs(t, o.err, &ne)
		assert.False(t, ne.MaybeSent)
		assert.False(t, colony.MaybeApplied(o.err), "a write refused by the open breaker was not applied")
	}
	assert.Empty(t, e.srv.Requests(), "no request reached the server while the breaker was open")
	assert.Equal(t, 1, e.srv.PostCount(), "only the seeded post")
	assert.Equal(t, "502 502 closed>open 502", strings.Join(strings.Fields(ev.String())[:4], " "))
	assert.Equal(t, workers*each, ev.count("fast"))
	t.Logf("GUARANTEE breaker: %d concurrent calls (half writes) while open: %d failed fast, 0 requests sent, 0 writes applied",
		workers*each, workers*each)
}

// ---- cancellation ----

// gCancelCase runs call with a context that trigger cancels, and checks that the
// call returns within gCancelBound with context.Canceled and leaves no goroutine.
func gCancelCase(t *testing.T, e *gEnv, c *colony.Client, trigger func(cancel func()), call func(ctx context.Context) error) error {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	var cancelledAt atomic.Pointer[time.Time]
	go trigger(func() {
		now := time.Now()
		cancelledAt.Store(&now)
		cancel()
	})
	err := call(ctx)
	returned := time.Now()
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, cancelledAt.Load(), "the call ended before it was cancelled: %v", err)
	e.watch.err(err)
	took := returned.Sub(*cancelledAt.Load())
	gWithin(t, "returning after the cancel", took, gCancelBound)
	c.CloseIdleConnections()
	goleak.VerifyNone(t, ignore)
	t.Logf("returned %v after the cancel", took.Round(10*time.Microsecond))
	return err
}

// requestArrived waits until the server has received a request for method and API path.
func requestArrived(t *testing.T, e *gEnv, method, path string) {
	assert.Eventually(t, func() bool { return e.requestsTo(method, path) > 0 }, 5*time.Second, time.Millisecond)
}

func TestGuaranteeCancellationIsPromptAndClean(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	postID := e.srv.SeedPost("bob", colonytest.SeedPost{})
	get := func(c *colony.Client) func(ctx context.Context) error {
		return func(ctx context.Context) error { _, err := c.Posts.Get(ctx, postID); return err }
	}
	alice := e.agent("alice")

	t.Run("slow response", func(t *testing.T) {
		c := e.client(alice)
		require.NoError(t, get(c)(context.Background()))
		e.srv.ResetRequests()
		e.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts/{id}", Latency: 10 * time.Second, Times: 1})
		gCancelCase(t, e, c, func(cancel func()) {
			requestArrived(t, e, "GET", "/posts/"+postID)
			cancel()
		}, get(c))
		require.NoError(t, get(c)(context.Background()), "a later call on the same client works")
	})

	t.Run("backoff", func(t *testing.T) {
		sent := make(chan struct{}, 1)
		c := e.client(alice, colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: time.Minute}),
			colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
				if ri.StatusCode == http.StatusServiceUnavailable {
					sent <- struct{}{}
				}
			}))
		require.NoError(t, get(c)(context.Background()))
		e.srv.ResetRequests()
		e.srv.Inject(colonytest.Fault{Method: "GET", Path: "/posts/{id}", Status: 503, RetryAfter: "30", Times: 1})
		err := gCancelCase(t, e, c, func(cancel func()) {
			<-sent
			time.Sleep(5 * time.Millisecond) // land inside the 30 s wait (cancelling earlier must behave the same)
			cancel()
		}, get(c))
		assert.ErrorIs(t, err, colony.ErrServer, "the error still says what the server last answered")
		var ae *colony.APIError
		if assert.ErrorAs(t, err, &ae) {
			assert.Equal(t, http.StatusServiceUnavailable, ae.StatusCode)
		}
		var ne *colony.NetworkError
		if assert.ErrorAs(t, err, &ne, "the cancel is a *NetworkError") {
			assert.True(t, ne.MaybeSent, "a request was sent before the cancel")
		}
		assert.Equal(t, 1, e.requestsTo("GET", "/posts/"+postID), "no retry after the cancel")
		require.NoError(t, get(c)(context.Background()), "a later call on the same client works")
	})

	t.Run("token fetch", func(t *testing.T) {
		c := e.client(alice) // a new client: its first call fetches a token
		e.srv.ResetRequests()
		e.srv.Inject(colonytest.Fault{Path: "/auth/token", Latency: 10 * time.Second, Times: 1})
		gCancelCase(t, e, c, func(cancel func()) {
			requestArrived(t, e, "POST", "/auth/token")
			cancel()
		}, get(c))
		assert.Equal(t, 0, e.requestsTo("GET", "/posts/"+postID), "the call never went past the token fetch")
		require.NoError(t, get(c)(context.Background()), "a later call on the same client fetches a token and works")
	})
}

// ---- leaks ----

// connCounter counts the server side of the TCP connections of an httptest server.
type connCounter struct {
	opened, open, peak atomic.Int64
}

func (cc *connCounter) track(_ any, state http.ConnState) {
	switch state {
	case http.StateNew:
		cc.opened.Add(1)
		n := cc.open.Add(1)
		for p := cc.peak.Load(); n > p && !cc.peak.CompareAndSwap(p, n); p = cc.peak.Load() {
		}
	case http.StateClosed, http.StateHijacked:
		cc.open.Add(-1)
	}
}

func TestGuaranteeAbandonedIteratorsLeakNothing(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	for i := range 60 {
		e.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprintf("p%03d", i)})
	}
	// The colonytest server behind a front whose connections we can count.
	cc := &connCounter{}
	front := httptest.NewUnstartedServer(e.srv)
	front.Config.ConnState = func(c net.Conn, s http.ConnState) { cc.track(c, s) }
	front.Start()
	t.Cleanup(front.Close)
	ignore := goleak.IgnoreCurrent()

	alice := e.agent("alice")
	c, err := colony.NewClient(alice.APIKey, append([]colony.Option{colony.WithBaseURL(front.URL + "/api/v1"), gFastRetry()},
		e.watch.options()...)...)
	require.NoError(t, err)
	e.mu.Lock()
	e.keys = append(e.keys, alice.APIKey)
	e.mu.Unlock()

	const n, workers = 1000, 8
	modes := []string{"break", "panic", "cancel", "deadline"}
	var mu sync.Mutex
	ends := map[string]int{}
	start := time.Now()
	gRun(n, workers, func(i int) (string, error) {
		mode := i % len(modes)
		end := modes[mode] + ": " + abandonIterator(e, c, mode, 1+i%13)
		mu.Lock()
		ends[end]++
		mu.Unlock()
		return "", nil
	})
	elapsed := time.Since(start)
	requests := len(e.srv.Requests())
	opened, peak := cc.opened.Load(), cc.peak.Load()

	// A dial abandoned by a cancelled request may still complete and park its
	// connection as idle, so close idle connections until none is left.
	require.Eventually(t, func() bool { c.CloseIdleConnections(); return cc.open.Load() == 0 }, 5*time.Second, time.Millisecond,
		"connections still open after CloseIdleConnections: %d", cc.open.Load())
	goleak.VerifyNone(t, ignore)
	for _, m := range modes[:3] {
		assert.Equal(t, n/len(modes), ends[m+": abandoned"], "every %s iterator was abandoned as intended: %v", m, ends)
	}
	assert.Equal(t, n/len(modes), ends["deadline: abandoned"]+ends["deadline: completed"], "%v", ends)
	assert.Positive(t, ends["deadline: abandoned"], "some deadlines expired mid-walk")
	// Only a deadline that fires mid-request may cost a connection; an abandoned
	// iterator that kept a response body open would cost one each.
	assert.LessOrEqual(t, opened, int64(2*workers+ends["deadline: abandoned"]), "connections were reused, not leaked")
	t.Logf("GUARANTEE leaks: %d iterators abandoned mid-page (%s, %d each; %d deadlines expired mid-walk) over %d requests: "+
		"%d TCP connections opened (peak %d open), 0 open after CloseIdleConnections, 0 goroutines left; %v",
		n, strings.Join(modes, ", "), n/len(modes), ends["deadline: abandoned"], requests, opened, peak, elapsed.Round(time.Millisecond))
}

// abandonIterator ranges over the posts 5 per page and, after stopAfter items,
// breaks, panics or cancels its context (mode 0, 1, 2); in mode 3 a deadline of
// 0-3 ms expires wherever the walk happens to be. It returns "abandoned" when the
// loop ended that way, "completed" when the walk ended first, or what went wrong.
func abandonIterator(e *gEnv, c *colony.Client, mode, stopAfter int) (end string) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if mode == 3 {
		ctx, cancel = context.WithTimeout(ctx, time.Duration(stopAfter%4)*time.Millisecond)
		defer cancel()
	}
	defer func() {
		if v := recover(); v != nil {
			e.watch.panicked(v)
			end = "abandoned"
			if mode != 1 {
				end = fmt.Sprint("unexpected panic: ", v)
			}
		}
	}()
	seen := 0
	for _, err := range c.Posts.ListIter(ctx, &colony.PostListParams{Limit: 5}) {
		if err != nil {
			e.watch.err(err)
			if (mode == 2 || mode == 3) && errors.Is(err, ctx.Err()) {
				return "abandoned"
			}
			return "unexpected error: " + err.Error()
		}
		if seen++; seen == stopAfter {
			switch mode {
			case 0:
				return "abandoned"
			case 1:
				panic(fmt.Sprintf("loop body gave up after %d posts", seen))
			case 2:
				cancel()
			}
		}
	}
	return "completed"
}

func TestGuaranteeCloseIdleConnectionsClosesThem(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	a := srv.NewAgent("alice")
	cc := &connCounter{}
	front := httptest.NewUnstartedServer(srv)
	front.Config.ConnState = func(c net.Conn, s http.ConnState) { cc.track(c, s) }
	front.Start()
	t.Cleanup(front.Close)
	c, err := colony.NewClient(a.APIKey, colony.WithBaseURL(front.URL+"/api/v1"))
	require.NoError(t, err)
	_, err = c.Users.Me(context.Background())
	require.NoError(t, err)
	require.EqualValues(t, 1, cc.open.Load())
	c.CloseIdleConnections()
	assert.Eventually(t, func() bool { return cc.open.Load() == 0 }, time.Second, time.Millisecond,
		"the idle keep-alive connection is still open")
	_, err = c.Users.Me(context.Background())
	require.NoError(t, err, "the client stays usable")
}
