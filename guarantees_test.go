package colony_test

// Shared helpers of the guarantee suite (guarantees_*_test.go): the figures these
// tests log (lines starting with "GUARANTEE") are the ones published in the README.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
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

// gEnv is the behaviour env (env_test.go) of the guarantee suite: its clients all report
// to one gWatch, and when the test ends everything they logged, hooked, returned or
// panicked with is scanned for the API keys and tokens of the test.
type gEnv struct {
	*env
	watch *gWatch
	mu    sync.Mutex
	keys  []string // API keys handed to clients
}

func newGEnv(t *testing.T, opts ...colonytest.Option) *gEnv {
	t.Helper()
	e := &gEnv{env: newSocialEnv(t, opts...), watch: &gWatch{}}
	t.Cleanup(e.scanSecrets)
	return e
}

// agent creates an account on the server.
func (e *gEnv) agent(name string, opts ...colonytest.AgentOption) colonytest.Agent {
	return e.srv.NewAgent(name, opts...)
}

// gFastRetry is the retry policy of the guarantee suite: 5 retries, millisecond backoffs.
func gFastRetry() colony.Option {
	return colony.WithRetry(colony.RetryPolicy{MaxRetries: 5, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond})
}

// client returns a client for a, watched by e.watch, with gFastRetry unless opts override it.
func (e *gEnv) client(a colonytest.Agent, opts ...colony.Option) *colony.Client {
	e.t.Helper()
	e.mu.Lock()
	e.keys = append(e.keys, a.APIKey)
	e.mu.Unlock()
	base := append([]colony.Option{colony.WithBaseURL(e.srv.URL()), gFastRetry()}, e.watch.options()...)
	c, err := colony.NewClient(a.APIKey, append(base, opts...)...)
	require.NoError(e.t, err)
	e.t.Cleanup(c.CloseIdleConnections)
	return c
}

// secrets returns the API keys given to clients and every token that crossed the wire.
func (e *gEnv) secrets() []string {
	e.mu.Lock()
	out := append([]string(nil), e.keys...)
	e.mu.Unlock()
	seen := map[string]bool{}
	for _, r := range e.srv.Requests() {
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	return out
}

// scanSecrets fails the test if a key or token appears in anything the SDK produced.
func (e *gEnv) scanSecrets() {
	text := e.watch.String()
	for _, s := range e.secrets() {
		if len(s) >= 8 && strings.Contains(text, s) {
			e.t.Errorf("a secret (%s...) appears in SDK output", s[:6])
		}
	}
}

// requestsTo counts the requests the server received for method and an exact escaped API path.
func (e *gEnv) requestsTo(method, path string) int {
	n := 0
	for _, r := range e.srv.Requests() {
		if r.Method == method && r.RawPath == "/api/v1"+path {
			n++
		}
	}
	return n
}

// gWatch captures what the SDK tells the outside world — debug logs, hook fields,
// error strings and recovered panics — and counts attempts and idempotent replays.
type gWatch struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	attempts atomic.Int64 // API attempts seen by the request hook, token exchanges excluded
	replays  atomic.Int64 // responses marked Idempotent-Replay: true
}

func (w *gWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *gWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func (w *gWatch) note(format string, args ...any) {
	line := fmt.Sprintf(format+"\n", args...) // formatted outside the lock: 32 goroutines share it
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.WriteString(line)
}

// options wires a debug-level JSON logger and both hooks to w.
func (w *gWatch) options() []colony.Option {
	logger := slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return []colony.Option{colony.WithLogger(logger), colony.WithRequestHook(w.onRequest), colony.WithResponseHook(w.onResponse)}
}

func (w *gWatch) onRequest(_ context.Context, ri colony.RequestInfo) {
	if ri.Path != "/auth/token" {
		w.attempts.Add(1)
	}
	w.note("request %s %s %s attempt=%d header=%v body=%s", ri.Method, ri.URL, ri.Path, ri.Attempt, ri.Header, ri.Body)
}

func (w *gWatch) onResponse(_ context.Context, ri colony.ResponseInfo) {
	if ri.Header.Get("Idempotent-Replay") == "true" {
		w.replays.Add(1)
	}
	w.note("response %s %s status=%d header=%v request-header=%v request-body=%s body=%s err=%v",
		ri.Method, ri.URL, ri.StatusCode, ri.Header, ri.RequestInfo.Header, ri.RequestInfo.Body, ri.Body, ri.Err)
}

// err records every rendering of err, its raw API body included.
func (w *gWatch) err(err error) {
	if err == nil {
		return
	}
	w.note("error %v | %+v | %#v", err, err, err)
	var ae *colony.APIError
	if errors.As(err, &ae) {
		w.note("error body %s message %s", ae.Body, ae.Message)
	}
}

// panicked records a recovered panic value.
func (w *gWatch) panicked(v any) { w.note("panic %v", v) }

// ---- chaos: the faults of the no-lost-no-doubled tests ----

// gChaosRate is the share of attempts that fail in the chaos tests.
const gChaosRate = 0.30

// gChaos injects, on method and path (a colonytest pattern), faults on a share rate
// of the attempts: 502, 503 and 504 answers and connections dropped before the
// handler ran, plus two kinds of lost responses after the write was applied
// (connection dropped, gateway 502). It returns the function that removes them all.
func gChaos(srv *colonytest.Server, method, path string, rate float64) (remove func()) {
	kinds := []colonytest.Fault{
		{Status: 502}, {Status: 503}, {Status: 504},
		{CloseConnection: true},
		{CloseConnection: true, AfterHandler: true},
		{Status: 502, AfterHandler: true},
	}
	// Faults are tried in order, so equal shares p give 1-(1-p)^k overall.
	p := 1 - math.Pow(1-rate, 1/float64(len(kinds)))
	var removes []func()
	for _, f := range kinds {
		f.Method, f.Path, f.Probability = method, path, p
		removes = append(removes, srv.Inject(f))
	}
	return func() {
		for _, r := range removes {
			r()
		}
	}
}

// gOutcome is the result of one logical write of a chaos run.
type gOutcome struct {
	i   int    // index of the call
	id  string // id of what the write created, on success
	err error
}

// gRun makes n calls of do from workers goroutines and returns the outcomes in call order.
func gRun(n, workers int, do func(i int) (string, error)) []gOutcome {
	out := make([]gOutcome, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				id, err := do(i)
				out[i] = gOutcome{i: i, id: id, err: err}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out
}

// gKey returns the idempotency key a failed write reports, failing the test when it has none.
func gKey(t *testing.T, err error) string {
	t.Helper()
	var ae *colony.APIError
	var ne *colony.NetworkError
	var de *colony.DecodeError
	switch {
	case errors.As(err, &ae) && ae.IdempotencyKey != "":
		return ae.IdempotencyKey
	case errors.As(err, &ne) && ne.IdempotencyKey != "":
		return ne.IdempotencyKey
	case errors.As(err, &de) && de.IdempotencyKey != "":
		return de.IdempotencyKey
	}
	t.Errorf("error %v may have been applied but carries no idempotency key to resume with", err)
	return ""
}

// gFigures are the numbers a chaos run produced.
type gFigures struct {
	rate                                                  float64 // share of faulty attempts (gChaosRate when zero)
	retries                                               int     // MaxRetries (5 when zero)
	calls, ok, definite, maybe, maybeHappened, duplicates int
	attempts, serverHits, replays                         int64
	elapsed                                               time.Duration
}

func (f gFigures) log(t *testing.T, what string) {
	t.Helper()
	if f.rate == 0 {
		f.rate, f.retries = gChaosRate, 5
	}
	t.Logf("GUARANTEE %s: %d calls, %.0f%% faulty attempts, MaxRetries %d: %d succeeded, %d failed as not applied, "+
		"%d failed as maybe applied (%d of them had been applied, all resumed with their idempotency key), %d duplicates; "+
		"%d SDK attempts, %d requests received, %d idempotent replays; %v",
		what, f.calls, f.rate*100, f.retries, f.ok, f.definite, f.maybe, f.maybeHappened, f.duplicates,
		f.attempts, f.serverHits, f.replays, f.elapsed.Round(time.Millisecond))
}

// gClassify splits the outcomes of a run, recording every error in the watch.
func (e *gEnv) gClassify(outs []gOutcome) (ok, definite, maybe []gOutcome) {
	for _, o := range outs {
		switch {
		case o.err == nil:
			ok = append(ok, o)
		case colony.MaybeApplied(o.err):
			e.watch.err(o.err)
			maybe = append(maybe, o)
		default:
			e.watch.err(o.err)
			definite = append(definite, o)
		}
	}
	return ok, definite, maybe
}

// gNoDoubles asserts that no label occurs more than once and returns how many do.
func gNoDoubles(t *testing.T, counts map[string]int) int {
	t.Helper()
	dups := 0
	for label, n := range counts {
		if n > 1 {
			dups++
			t.Errorf("%q was written %d times", label, n)
		}
	}
	return dups
}

// gWithin asserts that d is at most max, naming what took that long.
func gWithin(t *testing.T, what string, d, max time.Duration) {
	t.Helper()
	assert.LessOrEqual(t, d, max, "%s took %v", what, d)
}
