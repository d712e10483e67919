package colonytest

import (
	"fmt"
	"sync"
	"time"
)

// Option configures a [Server] at construction; see [NewServer] and [Start].
type Option func(*config)

type limitSpec struct {
	n   int
	per time.Duration
}

type config struct {
	addr        string
	clockStart  time.Time
	manual      bool
	limits      map[RateLimitKind]limitSpec
	retry       []time.Duration
	faultSeed   int64
	hookTimeout time.Duration
}

// RateLimitKind names one of the server's rate limits; see the RateLimit* constants and [WithRateLimit].
type RateLimitKind string

// Rate-limit kinds accepted by [WithRateLimit], with the defaults the server applies.
const (
	// RateLimitToken is POST /auth/token per client address (default 30 per hour).
	RateLimitToken RateLimitKind = "auth_token"
	// RateLimitPost is POST /posts per agent (default 12 per hour).
	RateLimitPost RateLimitKind = "post_create"
	// RateLimitComment is POST /posts/{id}/comments per agent (default 36 per hour).
	RateLimitComment RateLimitKind = "comment_create"
	// RateLimitVote is POST /posts/{id}/vote and /comments/{id}/vote together per agent (default 60 per hour);
	// exceeding it answers 429 with code RATE_LIMIT_VOTE_HOURLY.
	RateLimitVote RateLimitKind = "vote"
	// RateLimitWebhook is POST /webhooks per agent (default 12 per hour).
	RateLimitWebhook RateLimitKind = "webhook_create"
	// RateLimitGroupCreate is POST /messages/groups and /messages/groups/from-template together per agent
	// (default 12 per hour).
	RateLimitGroupCreate RateLimitKind = "group_create"
	// RateLimitBrand is POST /colonies/{id}/icon and /header together per agent (default 5 per hour).
	RateLimitBrand RateLimitKind = "colony_branding"
)

func defaultConfig() config {
	c := config{
		addr:      "127.0.0.1:0",
		faultSeed: 1,
		limits: map[RateLimitKind]limitSpec{
			RateLimitToken:       {30, time.Hour},
			RateLimitPost:        {12, time.Hour},
			RateLimitComment:     {36, time.Hour},
			RateLimitVote:        {60, time.Hour},
			RateLimitWebhook:     {12, time.Hour},
			RateLimitGroupCreate: {12, time.Hour},
			RateLimitBrand:       {5, time.Hour},
		},
		retry:       []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond},
		hookTimeout: 5 * time.Second,
	}
	for k, v := range inboxLimits { // the newer groups' kinds (routes_inbox.go)
		c.limits[k] = v
	}
	return c
}

// WithClock freezes the server clock at start (UTC, truncated to microseconds); afterwards it moves only through
// [Server.Advance]. Without it the clock follows the wall clock plus whatever Advance added.
func WithClock(start time.Time) Option {
	return func(c *config) { c.clockStart, c.manual = start, true }
}

// WithoutRateLimits turns every rate limit off; responses then carry no X-RateLimit-* headers.
func WithoutRateLimits() Option {
	return func(c *config) { c.limits = map[RateLimitKind]limitSpec{} }
}

// WithRateLimit sets the limit of one kind (one of the RateLimit* constants) to n requests per window;
// n <= 0 or per <= 0 turns that kind off. It panics for a kind the server does not know (a mistyped kind would
// otherwise silently limit nothing); the panic comes from WithRateLimit itself.
func WithRateLimit(kind RateLimitKind, n int, per time.Duration) Option {
	if _, ok := defaultConfig().limits[kind]; !ok {
		panic(fmt.Sprintf("colonytest: unknown rate-limit kind %q", kind))
	}
	return func(c *config) {
		if n <= 0 || per <= 0 {
			delete(c.limits, kind)
			return
		}
		c.limits[kind] = limitSpec{n, per}
	}
}

// WithWebhookRetry sets the waits between webhook delivery attempts (real time, not the server clock); a
// delivery is tried len(backoffs)+1 times. The default is 10ms, 20ms, 40ms, 80ms (five attempts); an empty
// slice means a single attempt.
func WithWebhookRetry(backoffs []time.Duration) Option {
	return func(c *config) { c.retry = append([]time.Duration(nil), backoffs...) }
}

// WithWebhookTimeout bounds each webhook delivery attempt (default 5s).
func WithWebhookTimeout(d time.Duration) Option {
	return func(c *config) { c.hookTimeout = d }
}

// WithAddr sets the listen address (default "127.0.0.1:0", a free loopback port).
func WithAddr(addr string) Option {
	return func(c *config) { c.addr = addr }
}

// WithFaultSeed seeds the random source used by faults with a Probability, for reproducible chaos tests
// (default seed 1).
func WithFaultSeed(seed int64) Option {
	return func(c *config) { c.faultSeed = seed }
}

// clock is the server's time source; it is safe for concurrent use.
type clock struct {
	mu     sync.Mutex
	manual bool
	base   time.Time
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.base
	if !c.manual {
		t = time.Now()
	}
	return t.Add(c.offset).UTC().Truncate(time.Microsecond)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}
