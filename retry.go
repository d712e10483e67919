package colony

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryPolicy controls how failed attempts are retried. Retried are 429, 502, 503
// and 504 responses and connection failures; 500 and other statuses are not (as in
// colony-sdk). Writes are retried safely because every attempt carries the call's
// Idempotency-Key. The zero value disables retries.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt; 0 disables retries.
	MaxRetries int
	// BaseDelay is the delay before the first retry; it doubles per retry (with jitter).
	BaseDelay time.Duration
	// MaxDelay caps every wait, including a server's Retry-After. A 429 whose
	// Retry-After exceeds MaxDelay is returned at once as *RateLimitError.
	MaxDelay time.Duration
}

// DefaultRetryPolicy returns colony-sdk's defaults: 2 retries, 1 s base delay, 10 s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxRetries: 2, BaseDelay: time.Second, MaxDelay: 10 * time.Second}
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxRetries < 0:
		return invalidArgf("RetryPolicy.MaxRetries %d is negative", p.MaxRetries)
	case p.BaseDelay < 0 || p.MaxDelay < 0:
		return invalidArgf("RetryPolicy delays must not be negative")
	case p.MaxRetries > 0 && (p.BaseDelay <= 0 || p.MaxDelay <= 0):
		return invalidArgf("RetryPolicy with retries needs BaseDelay and MaxDelay above zero (start from DefaultRetryPolicy)")
	case p.MaxRetries > 0 && p.MaxDelay < p.BaseDelay:
		return invalidArgf("RetryPolicy.MaxDelay %v is below BaseDelay %v", p.MaxDelay, p.BaseDelay)
	}
	return nil
}

// retryableStatus reports the statuses colony-sdk retries.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// newRetryClient wraps the hooked transport in go-retryablehttp with our policy.
func newRetryClient(hc *http.Client, p RetryPolicy) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   hc,
		RetryMax:     p.MaxRetries,
		RetryWaitMin: p.BaseDelay,
		RetryWaitMax: p.MaxDelay,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetry decides whether an attempt is retried. Before a retryable response is
// retried, its error is recorded so that a context ending during the backoff still
// reports what the server last said.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if err == nil && !retryableStatus(resp.StatusCode) {
		return false, nil // a final answer, even if the context ends right now
	}
	st := stateFrom(ctx)
	if st.oneShot {
		return false, err // a consumed one-shot upload body cannot be sent again (upload.go)
	}
	if ctx.Err() != nil {
		if err != nil {
			return false, err
		}
		return false, ctx.Err()
	}
	if err != nil {
		if !retryableTransportError(err) {
			return false, err
		}
		st.lastErr = err
		st.maybeApplied = true // the request may have reached the server before the failure
		return true, nil
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d > st.maxDelay {
			return false, nil // longer than we may wait: hand *RateLimitError to the caller
		}
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body)) // still readable if this was the last attempt
	st.lastErr = newAPIError(st.method, st.path, resp.StatusCode, resp.Header, body, time.Now())
	if resp.StatusCode >= 500 {
		st.maybeApplied = true // a gateway may have lost the answer of an applied write
	}
	return true, nil
}

// retryableTransportError reports connection failures worth another attempt: not an
// open breaker, not a certificate or redirect problem.
func retryableTransportError(err error) bool {
	// The call's context is still alive here (checkRetry looked), so a deadline or
	// cancellation error comes from a per-attempt timeout: worth another attempt.
	if errors.Is(err, ErrCircuitOpen) {
		return false
	}
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	if errors.As(err, &certErr) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) {
		return false
	}
	return !errors.Is(err, errTooManyRedirects)
}

// backoff returns the wait before retry attempt n (0-based): a server Retry-After
// (seconds or HTTP-date) when present, capped at max; otherwise min·2ⁿ capped at max,
// with equal jitter so that synchronized clients spread out.
func backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return clampDuration(d, max)
		}
	}
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	d = clampDuration(d, max)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

func clampDuration(d, max time.Duration) time.Duration {
	if d > max {
		return max
	}
	return d
}

// parseRetryAfter reads a Retry-After value in delta-seconds or HTTP-date form.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
