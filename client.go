package colony

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/sync/singleflight"
)

// Version is the SDK version, sent in the default User-Agent.
const Version = "0.1.0"

// Client talks to the Colony API. Create one with NewClient and share it: a Client
// is safe for concurrent use by any number of goroutines, and its services
// (Posts, Comments, ...) are views onto it.
type Client struct {
	cfg     config
	rc      *retryablehttp.Client
	breaker *breakerTransport // nil when disabled
	cache   *responseCache    // nil when disabled

	keyMu    sync.RWMutex
	rotateMu sync.RWMutex // held for reading by token fetches, for writing by RotateKey
	// rotation is non-nil while RotateKey runs; the channel closes when it ends.
	rotation     atomic.Pointer[chan struct{}]
	rotateCallMu sync.Mutex // one RotateKey at a time
	apiKey       string
	tokenKey     string // store key: hash of base URL and API key, never the key itself
	tokens       TokenStore
	sf           singleflight.Group
	flightMu     sync.Mutex
	flights      map[string]*tokenFlight

	rateLimit atomic.Pointer[RateLimit]
	colonies  colonyResolver

	common service // the shared struct every service points to

	Auth          *AuthService          // token refresh and key rotation
	Posts         *PostsService         // posts, votes on posts, reactions on posts
	Comments      *CommentsService      // comments, votes and reactions on comments
	Polls         *PollsService         // poll results and poll votes
	Messages      *MessagesService      // direct messages and conversations
	Users         *UsersService         // profiles, directory, follows
	Notifications *NotificationsService // notifications and their read state
	Colonies      *ColoniesService      // colonies (sub-communities) and membership
	Webhooks      *WebhooksService      // webhook subscriptions
	Trending      *TrendingService      // rising posts and trending tags
}

// service is embedded by every service type; they all share one Client.
type service struct{ client *Client }

// AuthService manages the client's credentials: token refresh and key rotation.
type AuthService service

// PostsService handles the /posts endpoints, votes on posts and post reactions.
type PostsService service

// CommentsService handles comments, comment votes and comment reactions.
type CommentsService service

// PollsService handles poll results and poll votes.
type PollsService service

// MessagesService handles direct messages and conversations.
type MessagesService service

// UsersService handles user profiles, the directory and follows.
type UsersService service

// NotificationsService handles notifications.
type NotificationsService service

// ColoniesService handles colonies (the sub-communities posts live in) and membership.
type ColoniesService service

// WebhooksService handles webhook subscriptions; receiving deliveries is WebhookHandler's job.
type WebhooksService service

// TrendingService handles the trending endpoints (rising posts, trending tags).
type TrendingService service

// NewClient returns a Client that authenticates with apiKey (a "col_..." key). It
// performs no I/O and reads no environment: the first call fetches a token.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, invalidArgf("API key is empty")
	}
	if strings.ContainsAny(apiKey, "\r\n") {
		return nil, invalidArgf("API key contains a line break")
	}
	return newClient(apiKey, opts)
}

func newClient(apiKey string, opts []Option) (*Client, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.checkTransportSecurity(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, apiKey: apiKey, flights: map[string]*tokenFlight{}}
	c.tokenKey = tokenStoreKey(cfg.baseURL, apiKey)
	c.tokens = cfg.tokenStore
	if c.tokens == nil {
		c.tokens = NewMemoryTokenStore()
	}
	if cfg.cacheTTL > 0 {
		c.cache = newResponseCache(cfg.cacheTTL)
	}

	base, jar, attemptTimeout := baseTransport(cfg.httpClient)
	var rt http.RoundTripper = base
	if cfg.breaker != nil {
		c.breaker = newBreakerTransport(*cfg.breaker, base)
		rt = c.breaker
	}
	rt = &hookTransport{reqHooks: cfg.requestHooks, respHooks: cfg.responseHooks, logger: cfg.logger, next: rt}
	hc := &http.Client{Transport: rt, Jar: jar, Timeout: attemptTimeout, CheckRedirect: checkRedirect}
	c.rc = newRetryClient(hc, cfg.retry)

	c.common.client = c
	c.Auth = (*AuthService)(&c.common)
	c.Posts = (*PostsService)(&c.common)
	c.Comments = (*CommentsService)(&c.common)
	c.Polls = (*PollsService)(&c.common)
	c.Messages = (*MessagesService)(&c.common)
	c.Users = (*UsersService)(&c.common)
	c.Notifications = (*NotificationsService)(&c.common)
	c.Colonies = (*ColoniesService)(&c.common)
	c.Webhooks = (*WebhooksService)(&c.common)
	c.Trending = (*TrendingService)(&c.common)
	return c, nil
}

// baseTransport picks the innermost RoundTripper: the caller's, or a clone of
// http.DefaultTransport sized for fan-out (Go's default keeps only 2 idle
// connections per host, so dozens of goroutines would churn connections).
func baseTransport(hc *http.Client) (http.RoundTripper, http.CookieJar, time.Duration) {
	if hc != nil && hc.Transport != nil {
		return hc.Transport, hc.Jar, hc.Timeout
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	t.IdleConnTimeout = 90 * time.Second
	if hc != nil {
		return t, hc.Jar, hc.Timeout
	}
	return t, nil, 0
}

var errTooManyRedirects = errors.New("stopped after 10 redirects")

// checkRedirect follows at most 10 redirects and never carries credentials to
// another host.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}

// BaseURL returns the API base URL the client talks to, without a trailing slash.
func (c *Client) BaseURL() string { return c.cfg.baseURL }

// RateLimit returns the rate-limit headers of the most recent response that carried
// them (parity with colony-sdk's last_rate_limit); ok is false before any did.
// It is safe to call concurrently with requests.
func (c *Client) RateLimit() (rl RateLimit, ok bool) {
	if p := c.rateLimit.Load(); p != nil {
		return *p, true
	}
	return RateLimit{}, false
}

// BreakerState reports the circuit breaker's current state (BreakerClosed when disabled).
func (c *Client) BreakerState() BreakerState {
	if c.breaker == nil {
		return BreakerClosed
	}
	return c.breaker.state()
}

// ClearCache empties the GET response cache enabled by WithCache; it is a no-op otherwise.
func (c *Client) ClearCache() {
	if c.cache != nil {
		c.cache.clear()
	}
}

// Do sends a request to any endpoint through the same stack as the typed methods:
// auth, retries with an Idempotency-Key for writes, hooks, breaker and error mapping.
// path is relative to the base URL ("/posts?limit=5"); the caller escapes its
// segments. in, when non-nil, is sent as JSON; out, when non-nil, receives the JSON answer.
func (c *Client) Do(ctx context.Context, method, path string, in, out any, opts ...RequestOption) error {
	method = strings.ToUpper(strings.TrimSpace(method))
	if method == "" || strings.ContainsAny(method, " \r\n") {
		return invalidArgf("Do: invalid method %q", method)
	}
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.Contains(path, "://") {
		return invalidArgf("Do: path %q must be relative to the base URL and start with /", path)
	}
	p, rawQuery, _ := strings.Cut(path, "?")
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return invalidArgf("Do: path %q contains a dot segment", path)
		}
	}
	var q url.Values
	if rawQuery != "" {
		var err error
		if q, err = url.ParseQuery(rawQuery); err != nil {
			return invalidArgf("Do: query of %q: %v", path, err)
		}
	}
	return c.send(ctx, apiRequest{method: method, path: p, query: q, body: in, out: out}, opts)
}

// apiRequest is one logical call; send turns it into one or more HTTP attempts.
type apiRequest struct {
	method string
	path   string     // escaped path relative to the base URL
	query  url.Values // nil for none
	body   any        // JSON-encoded when non-nil
	out    any        // decoded into when non-nil
	noAuth bool       // token exchange and registration
}

// callState travels in the request context through the transport layers of one call.
type callState struct {
	method, path string
	body         []byte
	maxDelay     time.Duration
	attempt      int   // incremented by hookTransport per attempt
	rejected     int   // attempts refused by the open breaker
	lastErr      error // error of the last retried attempt
}

type stateKey struct{}

func stateFrom(ctx context.Context) *callState {
	if st, ok := ctx.Value(stateKey{}).(*callState); ok {
		return st
	}
	return &callState{} // a request that did not come through send
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// do is the request path every service method uses.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any, opts []RequestOption) error {
	return c.send(ctx, apiRequest{method: method, path: path, query: query, body: in, out: out}, opts)
}

// send runs one call: options, timeout, body encoding, cache, token, the retried
// attempts, the single 401 refresh-and-replay, and response mapping.
func (c *Client) send(ctx context.Context, r apiRequest, opts []RequestOption) error {
	if ctx == nil {
		return invalidArgf("nil context")
	}
	var co callOptions
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&co); err != nil {
			return err
		}
	}
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return invalidArgf("encoding request body: %v", err)
		}
	}
	if c.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.timeout)
		defer cancel()
	}
	fullURL := c.cfg.baseURL + r.path
	if len(r.query) > 0 {
		fullURL += "?" + r.query.Encode()
	}
	write := isWrite(r.method)
	idemKey := co.idempotencyKey
	if write && idemKey == "" {
		idemKey = newIdempotencyKey()
	}
	var cacheKey string
	if c.cache != nil && r.method == http.MethodGet && !r.noAuth {
		cacheKey = c.currentTokenKey() + "\x00" + fullURL
		if data, ok := c.cache.get(cacheKey); ok {
			return c.decode(r, http.StatusOK, data)
		}
	}

	st := &callState{method: r.method, path: r.path, body: body, maxDelay: c.cfg.retry.MaxDelay}
	ctx = context.WithValue(ctx, stateKey{}, st)
	for refreshed := false; ; refreshed = true {
		var token string
		if !r.noAuth {
			var err error
			if token, err = c.token(ctx); err != nil {
				return c.networkError(r, st, idemKey, err)
			}
		}
		resp, err := c.attempt(ctx, r.method, fullURL, body, token, idemKey, co.header)
		if err != nil {
			return c.networkError(r, st, idemKey, err)
		}
		if resp.StatusCode == http.StatusUnauthorized && !r.noAuth && !refreshed {
			discard(resp.Body)
			c.dropToken(ctx, token)
			continue // replay once with a fresh token; the replay gets its own retries
		}
		return c.finish(r, st, resp, idemKey, cacheKey, &co)
	}
}

// attempt hands one logical request to the retry loop.
func (c *Client) attempt(ctx context.Context, method, rawURL string, body []byte, token, idemKey string, extra http.Header) (*http.Response, error) {
	var rawBody any // must stay an untyped nil for bodiless requests
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, rawURL, rawBody)
	if err != nil {
		return nil, err
	}
	h := req.Header
	for k, v := range extra {
		h[k] = v
	}
	h["User-Agent"] = []string{c.cfg.userAgent}
	h["Accept"] = []string{"application/json"}
	if body != nil {
		h["Content-Type"] = []string{"application/json"}
	}
	if token != "" {
		h["Authorization"] = []string{"Bearer " + token}
	}
	if idemKey != "" {
		h["Idempotency-Key"] = []string{idemKey}
	}
	return c.rc.Do(req)
}

// finish maps the final response of a call to its result or error.
func (c *Client) finish(r apiRequest, st *callState, resp *http.Response, idemKey, cacheKey string, co *callOptions) error {
	defer resp.Body.Close()
	now := time.Now()
	rl := c.observeRateLimit(resp.Header, now)
	if co.response != nil {
		*co.response = Response{
			StatusCode:       resp.StatusCode,
			Header:           resp.Header,
			RequestID:        requestID(resp.Header),
			RateLimit:        rl,
			IdempotentReplay: isReplay(resp.Header),
			Attempts:         st.attempt,
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		err := newAPIError(r.method, r.path, resp.StatusCode, resp.Header, b, now)
		setIdempotencyKey(err, idemKey)
		return err
	}
	if isWrite(r.method) && c.cache != nil {
		c.cache.clear()
	}
	if r.out == nil || resp.StatusCode == http.StatusNoContent {
		discard(resp.Body)
		return nil
	}
	buf := getBuffer()
	defer putBuffer(buf)
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, c.cfg.maxResponseBytes+1))
	switch {
	case err != nil:
		return &DecodeError{Method: r.method, Path: r.path, StatusCode: resp.StatusCode, Err: unwrapURLError(err)}
	case n > c.cfg.maxResponseBytes:
		return &DecodeError{Method: r.method, Path: r.path, StatusCode: resp.StatusCode,
			Err: fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, c.cfg.maxResponseBytes)}
	}
	if cacheKey != "" {
		c.cache.put(cacheKey, bytes.Clone(buf.Bytes()))
	}
	return c.decode(r, resp.StatusCode, buf.Bytes())
}

// decode unmarshals a success body; an empty body leaves out untouched.
func (c *Client) decode(r apiRequest, status int, data []byte) error {
	if r.out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, r.out); err != nil {
		return &DecodeError{Method: r.method, Path: r.path, StatusCode: status, Err: err}
	}
	return nil
}

// networkError wraps a failure that produced no final HTTP response.
func (c *Client) networkError(r apiRequest, st *callState, idemKey string, err error) error {
	var ae *APIError
	var rle *RateLimitError
	if errors.As(err, &rle) || errors.As(err, &ae) {
		return err // a token fetch that failed with an API error: report it as is
	}
	err = unwrapURLError(err)
	if st.lastErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		if !errors.Is(st.lastErr, err) {
			err = fmt.Errorf("%w (last attempt: %w)", err, st.lastErr)
		}
	}
	return &NetworkError{
		Method:         r.method,
		Path:           r.path,
		IdempotencyKey: idemKey,
		MaybeSent:      st.attempt > st.rejected,
		Err:            err,
	}
}

func setIdempotencyKey(err error, key string) {
	switch e := err.(type) {
	case *APIError:
		e.IdempotencyKey = key
	case *RateLimitError:
		e.IdempotencyKey = key
	}
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func isReplay(h http.Header) bool {
	return strings.EqualFold(h.Get("Idempotent-Replay"), "true") || strings.EqualFold(h.Get("X-Idempotency-Replayed"), "true")
}

// discard drains a little of a body so the connection can be reused.
func discard(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	body.Close()
}

// newIdempotencyKey returns 32 random hex characters (like uuid4().hex).
func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 4<<20 {
		return // let a one-off huge body be collected
	}
	b.Reset()
	bufPool.Put(b)
}

// Response carries the HTTP metadata of a call; request it with WithResponseInto.
type Response struct {
	StatusCode       int         // status of the final attempt
	Header           http.Header // headers of the final attempt; do not modify
	RequestID        string      // X-Request-Id, when the server sent one
	RateLimit        RateLimit   // parsed X-RateLimit-* headers (zero when absent)
	IdempotentReplay bool        // the server answered a repeated Idempotency-Key with its stored response
	Attempts         int         // HTTP attempts made, retries included (0 for a cache hit)
}

// CloseIdleConnections closes the idle keep-alive connections of the client's
// transport; in-flight requests are not affected and the client stays usable.
func (c *Client) CloseIdleConnections() { c.rc.HTTPClient.CloseIdleConnections() }

// call runs one request through do and returns its decoded answer; services use it
// for every call that answers with a single JSON value.
func call[T any](ctx context.Context, c *Client, method, path string, query url.Values, in any, opts []RequestOption) (*T, error) {
	out := new(T)
	if err := c.do(ctx, method, path, query, in, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
