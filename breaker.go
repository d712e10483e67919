package colony

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/sony/gobreaker/v2"
)

// BreakerState is the state of the client's circuit breaker.
type BreakerState int

// The three breaker states.
const (
	BreakerClosed   BreakerState = iota // requests flow; failures are counted
	BreakerHalfOpen                     // a limited number of probes may go through
	BreakerOpen                         // requests fail at once with ErrCircuitOpen
)

// String returns "closed", "half-open" or "open".
func (s BreakerState) String() string {
	switch s {
	case BreakerClosed:
		return "closed"
	case BreakerHalfOpen:
		return "half-open"
	case BreakerOpen:
		return "open"
	}
	return fmt.Sprintf("BreakerState(%d)", int(s))
}

// BreakerSettings configures the circuit breaker. Only 5xx responses and transport
// failures count as failures; 4xx answers and cancelled contexts never trip it.
type BreakerSettings struct {
	// ConsecutiveFailures opens the breaker after this many failed attempts in a row (default 5).
	ConsecutiveFailures uint32
	// OpenTimeout is how long the breaker stays open before letting a probe through (default 30 s).
	OpenTimeout time.Duration
	// HalfOpenProbes is how many requests may probe a half-open breaker; that many
	// successes close it, one failure reopens it (default 1).
	HalfOpenProbes uint32
	// OnStateChange, when set, is called on every transition, in order, on the
	// goroutine of the request that caused it, after the breaker's lock is released:
	// it may call Client.BreakerState or even make requests.
	OnStateChange func(from, to BreakerState)
}

// DefaultBreakerSettings returns 5 consecutive failures, a 30 s open period and one probe.
func DefaultBreakerSettings() BreakerSettings {
	return BreakerSettings{ConsecutiveFailures: 5, OpenTimeout: 30 * time.Second, HalfOpenProbes: 1}
}

func (s BreakerSettings) validate() error {
	if s.ConsecutiveFailures == 0 || s.OpenTimeout <= 0 || s.HalfOpenProbes == 0 {
		return invalidArgf("BreakerSettings need ConsecutiveFailures, OpenTimeout and HalfOpenProbes above zero (use WithoutBreaker to disable)")
	}
	return nil
}

// Breaker samples: a 5xx or transport failure counts against the server; an
// attempt whose caller gave up (cancelled its context) is not counted at all.
var (
	errServerStatus = errors.New("colony: server error status")
	errTransport    = errors.New("colony: transport failure")
	errCallerGaveUp = errors.New("colony: caller gave up")
)

// breakerTransport is the innermost SDK layer: one attempt is one breaker sample.
type breakerTransport struct {
	cb       *gobreaker.TwoStepCircuitBreaker[struct{}]
	next     http.RoundTripper
	onChange func(from, to BreakerState)

	queueMu   sync.Mutex
	queue     []stateChange // transitions not yet reported
	deliverMu sync.Mutex    // one goroutine reports at a time, keeping the order
}

type stateChange struct{ from, to BreakerState }

func newBreakerTransport(s BreakerSettings, next http.RoundTripper) *breakerTransport {
	st := gobreaker.Settings{
		Name:        "colony",
		MaxRequests: s.HalfOpenProbes,
		Timeout:     s.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= s.ConsecutiveFailures
		},
		IsExcluded: func(err error) bool { return errors.Is(err, errCallerGaveUp) },
	}
	t := &breakerTransport{next: next, onChange: s.OnStateChange}
	if s.OnStateChange != nil {
		// gobreaker calls this with its mutex held: only queue the transition here.
		st.OnStateChange = func(_ string, from, to gobreaker.State) {
			t.queueMu.Lock()
			t.queue = append(t.queue, stateChange{breakerState(from), breakerState(to)})
			t.queueMu.Unlock()
		}
	}
	t.cb = gobreaker.NewTwoStepCircuitBreaker[struct{}](st)
	return t
}

// report delivers queued transitions to the callback outside the breaker's lock.
// A callback that itself makes a request finds deliverMu taken and returns; the
// outer loop delivers what that request queued.
func (t *breakerTransport) report() {
	if t.onChange == nil || !t.deliverMu.TryLock() {
		return
	}
	defer t.deliverMu.Unlock()
	for {
		t.queueMu.Lock()
		if len(t.queue) == 0 {
			t.queueMu.Unlock()
			return
		}
		ev := t.queue[0]
		t.queue = t.queue[1:]
		t.queueMu.Unlock()
		t.onChange(ev.from, ev.to)
	}
}

// callerGaveUp reports whether the attempt ended because the caller's context did,
// as opposed to the SDK's own per-call timeout (a hung server is a server failure).
func callerGaveUp(ctx context.Context) bool {
	return ctx.Err() != nil && !errors.Is(context.Cause(ctx), errCallTimeout)
}

func breakerState(s gobreaker.State) BreakerState {
	switch s {
	case gobreaker.StateHalfOpen:
		return BreakerHalfOpen
	case gobreaker.StateOpen:
		return BreakerOpen
	}
	return BreakerClosed
}

func (t *breakerTransport) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	st := stateFrom(req.Context())
	done, err := t.cb.Allow()
	if err != nil { // open, or half-open with its probes already out
		if req.Body != nil {
			req.Body.Close()
		}
		st.rejected++
		t.report()
		return nil, ErrCircuitOpen
	}
	st.connected.Store(false)
	defer func() {
		if v := recover(); v != nil { // a panicking transport gives its probe slot back
			done(errTransport)
			panic(v)
		}
	}()
	resp, err = t.next.RoundTrip(req)
	done(sample(req.Context(), st, resp, err))
	t.reportClosing(resp)
	return resp, err
}

// sample classifies an attempt for the breaker: a 5xx or a transport failure
// counts against the server; a caller giving up, or a call that timed out while
// still waiting for a connection (never sent), is not counted.
func sample(ctx context.Context, st *callState, resp *http.Response, err error) error {
	switch {
	case err != nil && (callerGaveUp(ctx) || ctx.Err() != nil && !st.connected.Load()):
		return errCallerGaveUp
	case err != nil:
		return errTransport
	case resp.StatusCode >= 500:
		return errServerStatus
	}
	return nil
}

// reportClosing reports state changes; if OnStateChange panics, the response body
// is closed first so the connection is not lost.
func (t *breakerTransport) reportClosing(resp *http.Response) {
	defer func() {
		if v := recover(); v != nil {
			if resp != nil {
				resp.Body.Close()
			}
			panic(v)
		}
	}()
	t.report()
}

// state reports the breaker's current state.
func (t *breakerTransport) state() BreakerState {
	st := breakerState(t.cb.State()) // may move open to half-open
	t.report()
	return st
}
