package colonytest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter enforces fixed-window rate limits per (kind, subject) on the server clock.
type limiter struct {
	mu      sync.Mutex
	specs   map[RateLimitKind]limitSpec
	windows map[string]*window
}

type window struct {
	start time.Time
	count int
}

func newLimiter(specs map[RateLimitKind]limitSpec) *limiter {
	return &limiter{specs: specs, windows: map[string]*window{}}
}

// take consumes one request of kind for subject. It returns the X-RateLimit-* headers to send, and a 429
// response when the window is exhausted.
func (l *limiter) take(kind RateLimitKind, subject string, now time.Time) (map[string]string, *response) {
	l.mu.Lock()
	defer l.mu.Unlock()
	spec, ok := l.specs[kind]
	if !ok {
		return nil, nil
	}
	key := string(kind) + "\x00" + subject
	w := l.windows[key]
	if w == nil || !now.Before(w.start.Add(spec.per)) {
		w = &window{start: now}
		l.windows[key] = w
	}
	reset := w.start.Add(spec.per)
	hdr := map[string]string{
		"X-RateLimit-Limit": strconv.Itoa(spec.n),
		"X-RateLimit-Reset": strconv.FormatInt(int64(math.Ceil(float64(reset.UnixMicro())/1e6)), 10),
	}
	if w.count >= spec.n {
		hdr["X-RateLimit-Remaining"] = "0"
		wait := int(math.Ceil(reset.Sub(now).Seconds()))
		if wait < 1 {
			wait = 1
		}
		code, msg := codeRateLimited, fmt.Sprintf("Rate limit exceeded: %d per %s. Try again in %d seconds.", spec.n, per(spec.per), wait)
		if kind == RateLimitVote {
			code, msg = codeVoteHourly, fmt.Sprintf("Vote limit reached: %d per %s. Try again in %d seconds.", spec.n, per(spec.per), wait)
		}
		resp := newJSON(http.StatusTooManyRequests, codedBody(code, msg))
		for k, v := range hdr {
			resp.header[k] = []string{v}
		}
		resp.header["Retry-After"] = []string{strconv.Itoa(wait)}
		return nil, resp
	}
	w.count++
	hdr["X-RateLimit-Remaining"] = strconv.Itoa(spec.n - w.count)
	return hdr, nil
}

// per words a window as "hour", "2 hours", "minute" or "90 seconds".
func per(d time.Duration) string {
	unit, n := "second", int64(d/time.Second)
	switch {
	case d%time.Hour == 0:
		unit, n = "hour", int64(d/time.Hour)
	case d%time.Minute == 0:
		unit, n = "minute", int64(d/time.Minute)
	}
	if n == 1 {
		return unit
	}
	return plural(int(n), unit)
}
