package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/colony-go/colony"
)

// RateLimiter is a colony.RateLimiter shared through Redis: a sliding-window log per key (a sorted set under
// prefix+"rate:"+key) that lets at most limit.Requests writes start in any window of limit.Per plus Margin, so no
// fixed or sliding server window of limit.Per can see one too many, whichever replica sends them.
//
// It is not GCRA: a GCRA with a burst of N lets N plus one per emission interval through in a window, which a
// server counting N per window refuses, and the GCRA library for go-redis (redis_rate/v10) reads the time from
// Redis, so it cannot follow a test server's clock. Set fields before first use; it is safe for concurrent use.
type RateLimiter struct {
	// Margin widens every window; 0 means colony.DefaultRateLimitMargin, a negative value means none.
	Margin time.Duration
	// Now returns the current time; nil means the Redis server's clock (one clock for every replica).
	Now func() time.Time
	// Sleep waits d or until ctx ends; nil means a timer. Tests set it to advance a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error

	rdb    redis.UniversalClient
	prefix string
}

var _ colony.RateLimiter = (*RateLimiter)(nil)

// NewRateLimiter returns a RateLimiter keeping its logs under prefix+"rate:" (prefix "" means DefaultPrefix).
func NewRateLimiter(rdb redis.UniversalClient, prefix string) *RateLimiter {
	return &RateLimiter{rdb: rdb, prefix: prefixOr(prefix)}
}

// reserveScript: ARGV[1] now in µs ("" for Redis TIME), ARGV[2] the window in µs, ARGV[3] the limit, ARGV[4] a
// unique member. Returns 0 after counting one request, or the µs to wait until one fits.
var reserveScript = redis.NewScript(`
local now
if ARGV[1] == '' then
	local t = redis.call('TIME')
	now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
	now = tonumber(ARGV[1])
end
local window, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local n = redis.call('ZCARD', KEYS[1])
if n < limit then
	redis.call('ZADD', KEYS[1], now, ARGV[4])
	redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1000)
	return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))`)

// Wait implements colony.RateLimiter.
func (l *RateLimiter) Wait(ctx context.Context, key string, limit colony.WriteLimit) error {
	if limit.Requests <= 0 || limit.Per <= 0 {
		return nil
	}
	window := (limit.Per + colony.RateLimitMargin(l.Margin)).Microseconds()
	for {
		now := ""
		if l.Now != nil {
			now = fmt.Sprint(l.Now().UnixMicro())
		}
		us, err := reserveScript.Run(ctx, l.rdb, []string{l.prefix + "rate:" + key}, now, window, limit.Requests,
			colony.NewWebhookOwnerToken()).Int64()
		if err != nil {
			return fmt.Errorf("redisstore: rate limit: %w", err)
		}
		if us == 0 {
			return nil
		}
		if err := l.sleep(ctx, time.Duration(us)*time.Microsecond); err != nil {
			return err
		}
	}
}

func (l *RateLimiter) sleep(ctx context.Context, d time.Duration) error {
	if l.Sleep != nil {
		if err := l.Sleep(ctx, d); err != nil {
			return err
		}
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
