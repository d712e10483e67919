package colony

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimit is what the server said about the caller's rate limit in its
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.
type RateLimit struct {
	Limit     int       // requests allowed in the window; -1 when the header was absent
	Remaining int       // requests left in the window; -1 when the header was absent
	Reset     time.Time // when the window resets; zero when the header was absent
	Observed  time.Time // when the response carrying these headers arrived
}

// parseRateLimit reads the X-RateLimit-* headers (any casing). A Reset value above
// 10⁹ is taken as a Unix time, a smaller one as seconds from now.
func parseRateLimit(h http.Header, now time.Time) RateLimit {
	rl := RateLimit{Limit: headerInt(h, "X-Ratelimit-Limit"), Remaining: headerInt(h, "X-Ratelimit-Remaining"), Observed: now}
	if r := headerInt(h, "X-Ratelimit-Reset"); r >= 0 {
		if r > 1_000_000_000 {
			rl.Reset = time.Unix(int64(r), 0)
		} else {
			rl.Reset = now.Add(time.Duration(r) * time.Second)
		}
	}
	return rl
}

func headerInt(h http.Header, key string) int {
	v := h.Get(key)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// observeRateLimit records the rate-limit headers of a response, when present,
// as the client's latest, and returns what it parsed.
func (c *Client) observeRateLimit(h http.Header, now time.Time) RateLimit {
	if len(h["X-Ratelimit-Limit"]) == 0 && len(h["X-Ratelimit-Remaining"]) == 0 && len(h["X-Ratelimit-Reset"]) == 0 {
		return RateLimit{Limit: -1, Remaining: -1}
	}
	rl := parseRateLimit(h, now)
	c.rateLimit.Store(&rl)
	return rl
}
