package colony

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	// OnStateChange, when set, is called synchronously on every transition, in order.
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

// errServerStatus marks a 5xx attempt as a breaker failure.
var errServerStatus = errors.New("colony: server error status")

// breakerTransport is the innermost SDK layer: one attempt is one breaker sample.
type breakerTransport struct {
	cb   *gobreaker.TwoStepCircuitBreaker[struct{}]
	next http.RoundTripper
}

func newBreakerTransport(s BreakerSettings, next http.RoundTripper) *breakerTransport {
	st := gobreaker.Settings{
		Name:        "colony",
		MaxRequests: s.HalfOpenProbes,
		Timeout:     s.OpenTimeout,
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= s.ConsecutiveFailures
		},
		IsExcluded: func(err error) bool {
			return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
		},
	}
	if s.OnStateChange != nil {
		st.OnStateChange = func(_ string, from, to gobreaker.State) {
			s.OnStateChange(breakerState(from), breakerState(to))
		}
	}
	return &breakerTransport{cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](st), next: next}
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

func (t *breakerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	done, err := t.cb.Allow()
	if err != nil { // open, or half-open with its probes already out
		if req.Body != nil {
			req.Body.Close()
		}
		stateFrom(req.Context()).rejected++
		return nil, ErrCircuitOpen
	}
	resp, err := t.next.RoundTrip(req)
	switch {
	case err != nil:
		if req.Context().Err() != nil {
			err = req.Context().Err() // excluded: the caller gave up, the server did not fail
		}
		done(err)
	case resp.StatusCode >= 500:
		done(errServerStatus)
	default:
		done(nil)
	}
	return resp, err
}

// state reports the breaker's current state.
func (t *breakerTransport) state() BreakerState { return breakerState(t.cb.State()) }
