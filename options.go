package colony

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by [NewClient] when the corresponding option is not given.
const (
	// DefaultBaseURL is the live Colony API at its canonical domain (thecolony.cc
	// answers too; colony-sdk defaults to .ai since 1.26).
	DefaultBaseURL = "https://thecolony.ai/api/v1"
	// DefaultTimeout bounds one call, including every retry, backoff and token fetch.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxResponseBytes caps a success response body.
	DefaultMaxResponseBytes = 32 << 20
)

// Option configures a [Client] in [NewClient]. Options validate their input and return
// an error instead of panicking; the first failing option aborts NewClient.
type Option func(*config) error

type config struct {
	baseURL          string
	insecureHTTP     bool
	httpClient       *http.Client
	timeout          time.Duration
	userAgent        string
	retry            RetryPolicy
	breaker          *BreakerSettings // nil disables the breaker
	requestHooks     []RequestHook
	responseHooks    []ResponseHook
	logger           *slog.Logger
	tokenStore       TokenStore
	maxResponseBytes int64
	cacheTTL         time.Duration
	batchLimit       int
	maxConnsPerHost  int
	twoFactor        twoFactorSource // nil: the token exchange carries no totp_code
	rateLimiter      RateLimiter     // WithRateLimiter (fleet.go)
}

func defaultConfig() config {
	bs := DefaultBreakerSettings()
	return config{
		baseURL:          DefaultBaseURL,
		timeout:          DefaultTimeout,
		userAgent:        "colony-go/" + Version,
		retry:            DefaultRetryPolicy(),
		breaker:          &bs,
		maxResponseBytes: DefaultMaxResponseBytes,
		batchLimit:       8,
		maxConnsPerHost:  DefaultMaxConnsPerHost,
	}
}

// WithBaseURL sets the API base URL (default [DefaultBaseURL]); a trailing "/" is
// removed. A plain http:// URL is refused unless its host is loopback or
// [WithInsecureHTTP] is also given, so an API key never crosses a network in clear.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		u, err := url.Parse(strings.TrimSpace(rawURL))
		if err != nil {
			return invalidArgf("base URL: %v", err)
		}
		if u.Scheme != "https" && u.Scheme != "http" {
			return invalidArgf("base URL %q: scheme must be https or http", rawURL)
		}
		if u.Host == "" {
			return invalidArgf("base URL %q has no host", rawURL)
		}
		if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return invalidArgf("base URL %q must not carry credentials, a query or a fragment", rawURL)
		}
		c.baseURL = strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/")
		return nil
	}
}

// WithInsecureHTTP allows a plain http:// base URL on a non-loopback host. The API
// key and token then travel unencrypted; use it only on a network you trust.
func WithInsecureHTTP() Option {
	return func(c *config) error { c.insecureHTTP = true; return nil }
}

// WithHTTPClient makes hc's Transport the base layer under the SDK's retry, hook and
// breaker layers (nil Transport means a tuned clone of http.DefaultTransport). hc is
// never modified; its Jar and Timeout (per attempt, retried when it fires) are
// copied, but not its CheckRedirect: the SDK follows same-origin redirects only.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return invalidArgf("WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each call, including retries, backoff waits and a token fetch
// (default [DefaultTimeout]). Zero means no SDK deadline: the caller's context alone decides.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return invalidArgf("WithTimeout: negative duration %v", d)
		}
		c.timeout = d
		return nil
	}
}

// WithUserAgent replaces the User-Agent header (default "colony-go/<Version>").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return invalidArgf("WithUserAgent: empty or multi-line user agent")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetry sets the retry policy (default [DefaultRetryPolicy]); MaxRetries 0 disables retries.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return err
		}
		c.retry = p
		return nil
	}
}

// WithBreaker replaces the circuit breaker settings (default [DefaultBreakerSettings]).
func WithBreaker(s BreakerSettings) Option {
	return func(c *config) error {
		if err := s.validate(); err != nil {
			return err
		}
		c.breaker = &s
		return nil
	}
}

// WithoutBreaker turns the circuit breaker off: every call is attempted whatever
// the recent failures.
func WithoutBreaker() Option {
	return func(c *config) error { c.breaker = nil; return nil }
}

// WithRequestHook registers h to run before every HTTP attempt, retries and token
// fetches included. Hooks run in registration order on the goroutine making the
// attempt (for a shared token fetch, the fetching goroutine), must be safe for
// concurrent use, and never see the API key, token or other secrets.
func WithRequestHook(h RequestHook) Option {
	return func(c *config) error {
		if h == nil {
			return invalidArgf("WithRequestHook: nil hook")
		}
		c.requestHooks = append(c.requestHooks, h)
		return nil
	}
}

// WithResponseHook registers h to run after every HTTP attempt, failed ones
// included. The same concurrency and secrecy rules as [WithRequestHook] apply.
func WithResponseHook(h ResponseHook) Option {
	return func(c *config) error {
		if h == nil {
			return invalidArgf("WithResponseHook: nil hook")
		}
		c.responseHooks = append(c.responseHooks, h)
		return nil
	}
}

// WithLogger logs every attempt, retry, token fetch and breaker state change at
// debug level (warnings for failures) to l. Secrets are never logged. Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return invalidArgf("WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// WithTokenStore shares access tokens through s (for example between processes);
// the default is an in-memory store private to the [Client].
func WithTokenStore(s TokenStore) Option {
	return func(c *config) error {
		if s == nil {
			return invalidArgf("WithTokenStore: nil store")
		}
		c.tokenStore = s
		return nil
	}
}

// WithMaxResponseBytes caps a success response body (default [DefaultMaxResponseBytes]);
// a larger body fails the call with a [*DecodeError] wrapping [ErrResponseTooLarge].
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return invalidArgf("WithMaxResponseBytes: %d is not positive", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// WithCache caches successful GET responses for ttl, per URL and API key (parity
// with colony-sdk's enable_cache). Any successful write clears the whole cache; a
// hit sends no request and fires no hooks. Off by default; ttl 0 turns it off.
func WithCache(ttl time.Duration) Option {
	return func(c *config) error {
		if ttl < 0 {
			return invalidArgf("WithCache: negative ttl %v", ttl)
		}
		c.cacheTTL = ttl
		return nil
	}
}

// WithBatchConcurrency bounds how many requests the GetMany helpers keep in flight (default 8).
func WithBatchConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return invalidArgf("WithBatchConcurrency: %d is below 1", n)
		}
		c.batchLimit = n
		return nil
	}
}

// checkTransportSecurity refuses http:// on non-loopback hosts unless allowed.
func (c *config) checkTransportSecurity() error {
	u, err := url.Parse(c.baseURL)
	if err != nil {
		return invalidArgf("base URL: %v", err)
	}
	if u.Scheme == "https" || c.insecureHTTP || isLoopback(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%w: base URL %q uses plain http on a non-loopback host; use https or WithInsecureHTTP", ErrInvalidArgument, c.baseURL)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithMaxConnsPerHost caps the connections the default transport opens to the API
// host (default [DefaultMaxConnsPerHost], 64). A call beyond the cap waits for a free
// connection, and that wait counts against its timeout; a call that gives up while
// waiting was never sent and is not a breaker failure. It has no effect with
// [WithHTTPClient]'s own transport.
func WithMaxConnsPerHost(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return invalidArgf("WithMaxConnsPerHost: %d is below 1", n)
		}
		c.maxConnsPerHost = n
		return nil
	}
}

// RequestOption adjusts a single call.
type RequestOption func(*callOptions) error

type callOptions struct {
	idempotencyKey string
	header         http.Header
	response       *Response
	timeout        time.Duration // 0: the client's
	retry          *RetryPolicy  // nil: the client's
}

// WithIdempotencyKey sets the Idempotency-Key of a write (by default each write call
// generates one, reused on every retry). Reuse the key of a failed call to resume it safely.
func WithIdempotencyKey(key string) RequestOption {
	return func(o *callOptions) error {
		if key == "" || len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
			return invalidArgf("idempotency key must be 1-255 printable ASCII characters without spaces")
		}
		o.idempotencyKey = key
		return nil
	}
}

// WithHeader adds a header to the call. Authorization, Idempotency-Key, Content-Type
// and Host cannot be set this way.
func WithHeader(key, value string) RequestOption {
	return func(o *callOptions) error {
		ck := http.CanonicalHeaderKey(key)
		switch ck {
		case "Authorization", "Idempotency-Key", "Content-Type", "Host", "Content-Length":
			return invalidArgf("header %q is managed by the client", key)
		}
		if ck == "" || strings.ContainsAny(key+value, "\r\n") {
			return invalidArgf("invalid header %q", key)
		}
		if o.header == nil {
			o.header = make(http.Header, 1)
		}
		o.header.Add(ck, value)
		return nil
	}
}

// WithCallTimeout bounds this call (every attempt, backoff and the token fetch) by d
// instead of the client's [WithTimeout]; d must be positive. A deadline of the call's
// context that comes sooner still wins.
func WithCallTimeout(d time.Duration) RequestOption {
	return func(o *callOptions) error {
		if d <= 0 {
			return invalidArgf("WithCallTimeout: %v is not positive", d)
		}
		o.timeout = d
		return nil
	}
}

// WithCallRetry retries this call under p instead of the client's policy (see
// [RetryPolicy]; the zero value disables retries for the call). Writes keep one
// Idempotency-Key across the retries either way.
func WithCallRetry(p RetryPolicy) RequestOption {
	return func(o *callOptions) error {
		if err := p.validate(); err != nil {
			return err
		}
		o.retry = &p
		return nil
	}
}

// WithResponseInto fills r with the HTTP metadata of the call's final response
// (status, headers, request id, rate limit), including when the call fails with an [*APIError].
func WithResponseInto(r *Response) RequestOption {
	return func(o *callOptions) error {
		if r == nil {
			return invalidArgf("WithResponseInto: nil *Response")
		}
		o.response = r
		return nil
	}
}
