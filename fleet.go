package colony

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// TokenLocker is an optional interface of a [TokenStore] shared by several processes (see redisstore): a short lock
// per store key, so that N replicas starting together make one POST /auth/token while the others wait, within their
// context, for the token it stores. A TokenStore without it fetches once per process.
type TokenLocker interface {
	// TryLockToken takes the lock for key for at most ttl without waiting. When ok, unlock releases it, and only
	// if it is still this caller's (an expired lock taken by someone else is left alone); when the lock is held
	// elsewhere, ok is false and unlock nil.
	TryLockToken(ctx context.Context, key string, ttl time.Duration) (unlock func(context.Context) error, ok bool, err error)
}

// Token single flight across processes: how long a fetch may hold the lock, and how often waiters re-read the store.
const (
	tokenLockTTL      = 30 * time.Second
	tokenPollFirst    = 10 * time.Millisecond
	tokenPollInterval = 250 * time.Millisecond
)

// lockToken prepares a token fetch. Without a TokenLocker it returns a no-op
// unlock. Otherwise it takes the store's lock, or, while another process holds it,
// waits for the token that process stores: it then returns that token and a nil
// unlock. A lock the store cannot provide (an error) is logged and the fetch goes
// ahead unlocked.
func (a *tokenSource) lockToken(ctx context.Context, cr *credential) (unlock func(), token string, err error) {
	locker, ok := a.store.(TokenLocker)
	if !ok {
		return func() {}, "", nil
	}
	pause := tokenPollFirst
	for {
		release, ok, err := locker.TryLockToken(ctx, cr.storeKey, tokenLockTTL)
		switch {
		case err != nil:
			a.c.logWarn(ctx, "colony: token lock failed, fetching without it", err)
			return func() {}, "", nil
		case ok:
			return func() {
				if err := release(context.WithoutCancel(ctx)); err != nil {
					a.c.logWarn(ctx, "colony: token unlock failed", err)
				}
			}, "", nil
		}
		if err := sleepCtx(ctx, jitter(pause)); err != nil {
			return nil, "", err
		}
		if tok, ok := a.cached(ctx, cr); ok {
			return nil, tok, nil
		}
		pause = min(2*pause, tokenPollInterval)
	}
}

// tokenAfterRateLimit returns, when a token fetch was answered 429, the token another
// replica stored meanwhile, or "".
func (a *tokenSource) tokenAfterRateLimit(ctx context.Context, cr *credential, err error) string {
	if !isRateLimited(err) {
		return ""
	}
	tok, _ := a.cached(ctx, cr)
	return tok
}

func isRateLimited(err error) bool {
	return errors.Is(err, ErrRateLimited)
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// jitter spreads d over [0.75d, 1.25d) so waiting replicas do not poll in step.
func jitter(d time.Duration) time.Duration {
	return d*3/4 + rand.N(d/2+1)
}

// WriteLimit is a per-agent limit on one kind of write, as the contract documents it: at most Requests in any
// window of Per. Bucket names the kind ("post", "comment", "webhook").
type WriteLimit struct {
	Bucket   string
	Requests int
	Per      time.Duration
}

// RateLimiter queues writes under the per-agent limits, shared by every replica of an agent when its state is
// shared (see redisstore.RateLimiter). Implementations must be safe for concurrent use.
type RateLimiter interface {
	// Wait returns once one more request under key fits limit, having counted it, or with an error when ctx ends
	// first. key identifies the agent and the bucket; it holds no secret.
	Wait(ctx context.Context, key string, limit WriteLimit) error
}

// WithRateLimiter makes the client wait on l before each write the contract gives a per-agent limit (POST /posts
// 10 an hour, POST /posts/{id}/comments 36 an hour, POST /webhooks 12 an hour), so that a fleet sharing l queues
// its writes instead of collecting 429s. Other requests do not wait; nil is refused.
func WithRateLimiter(l RateLimiter) Option {
	return func(c *config) error {
		if l == nil {
			return invalidArgf("nil rate limiter")
		}
		c.rateLimiter = l
		return nil
	}
}

// writeLimitFor returns the per-agent limit of a write, from API.md's known server limits (posts: 10 an hour, the
// lower of the two figures the sources give).
func writeLimitFor(method, path string) (WriteLimit, bool) {
	if method != "POST" {
		return WriteLimit{}, false
	}
	switch {
	case path == "/posts":
		return WriteLimit{Bucket: "post", Requests: 10, Per: time.Hour}, true
	case path == "/webhooks":
		return WriteLimit{Bucket: "webhook", Requests: 12, Per: time.Hour}, true
	case strings.HasPrefix(path, "/posts/") && strings.HasSuffix(path, "/comments") &&
		strings.Count(path, "/") == 3:
		return WriteLimit{Bucket: "comment", Requests: 36, Per: time.Hour}, true
	}
	return WriteLimit{}, false
}

// waitRateLimit waits on the configured RateLimiter before a limited write; the key is the agent's token store
// key (a hash of base URL and API key) plus the bucket.
func (c *Client) waitRateLimit(ctx context.Context, method, path string) error {
	if c.cfg.rateLimiter == nil {
		return nil // the common case: no path inspection on every call
	}
	lim, ok := writeLimitFor(method, path)
	if !ok {
		return nil
	}
	if err := c.cfg.rateLimiter.Wait(ctx, c.auth.cred.Load().storeKey+":rate:"+lim.Bucket, lim); err != nil {
		return fmt.Errorf("colony: waiting for the %s rate limit: %w", lim.Bucket, err)
	}
	return nil
}

// DefaultRateLimitMargin is added to every window by [MemoryRateLimiter] and redisstore.RateLimiter when their Margin
// is zero, so that network delays between replicas cannot squeeze one request too many into a server window.
const DefaultRateLimitMargin = 5 * time.Second

// MemoryRateLimiter is an in-process [RateLimiter]: a sliding-window log per key that lets at most Requests writes
// start in any window of Per plus Margin, which no fixed or sliding server window of Per can exceed. The zero
// value is ready to use and safe for concurrent use; set fields before first use.
type MemoryRateLimiter struct {
	// Margin widens every window; 0 means DefaultRateLimitMargin, a negative value means none.
	Margin time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer. Tests set it to advance a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error

	mu  sync.Mutex
	log map[string][]time.Time
}

// Wait implements [RateLimiter].
func (m *MemoryRateLimiter) Wait(ctx context.Context, key string, limit WriteLimit) error {
	if limit.Requests <= 0 || limit.Per <= 0 {
		return nil
	}
	for {
		wait := m.reserve(key, limit)
		if wait <= 0 {
			return nil
		}
		sleep := m.Sleep
		if sleep == nil {
			sleep = sleepCtx
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// reserve counts one request under key now and returns 0, or returns how long until one fits.
func (m *MemoryRateLimiter) reserve(key string, limit WriteLimit) time.Duration {
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	window := limit.Per + RateLimitMargin(m.Margin)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.log == nil {
		m.log = make(map[string][]time.Time)
	}
	entries := m.log[key]
	for len(entries) > 0 && !now.Before(entries[0].Add(window)) {
		entries = entries[1:]
	}
	if len(entries) >= limit.Requests {
		m.log[key] = entries
		return entries[len(entries)-limit.Requests].Add(window).Sub(now)
	}
	m.log[key] = append(entries, now)
	return 0
}

// RateLimitMargin resolves a Margin field: 0 means [DefaultRateLimitMargin], a negative value means none.
func RateLimitMargin(m time.Duration) time.Duration {
	switch {
	case m == 0:
		return DefaultRateLimitMargin
	case m < 0:
		return 0
	}
	return m
}
