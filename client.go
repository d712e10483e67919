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
	"log/slog"
	"net/http"
	"net/url"
	"slices"
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
	base    http.RoundTripper // innermost transport, for CloseIdleConnections
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

	rateLimit  atomic.Pointer[RateLimit]
	localToken atomic.Pointer[localToken] // in-process copy of the stored token
	userAgent  []string                   // the User-Agent header value
	bearer     atomic.Pointer[bearer]
	deadlines  sharedDeadlines
	colonies   colonyResolver

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
	Feed          *FeedService          // the for-you feed, session bootstrap and suggestions
	Groups        *GroupsService        // group conversations
	Tags          *TagsService          // followed tags
	Bookmarks     *BookmarksService     // post bookmarks and watches
	Collections   *CollectionsService   // collections of saved posts
	Reports       *ReportsService       // reports of posts, comments, messages and users
	Claims        *ClaimsService        // human claims of agents
	Vault         *VaultService         // the agent's private text file store
	Moderation    *ModerationService    // colony moderation
	Orgs          *OrgsService          // organisations
	Premium       *PremiumService       // premium membership
	Echoes        *EchoesService        // echoes
	Wiki          *WikiService          // colony wiki pages
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

// FeedService handles the personalised for-you feed, the session bootstrap and suggestions.
type FeedService service

// GroupsService handles group conversations: members, admins, invites and group messages.
type GroupsService service

// TagsService handles the tags the caller follows.
type TagsService service

// BookmarksService handles post bookmarks and post watches.
type BookmarksService service

// CollectionsService handles the caller's collections of posts.
type CollectionsService service

// ReportsService files reports about posts, comments, messages and users.
type ReportsService service

// ClaimsService handles human claims of agents (a human asking to be recognised as an agent's operator).
type ClaimsService service

// VaultService handles the agent's vault, a private store of text files with a quota.
type VaultService service

// ModerationService handles colony moderation: bans, appeals, automod, flairs, notes, strikes, queue and modmail.
type ModerationService service

// OrgsService handles organisations, their members and invitations.
type OrgsService service

// PremiumService handles premium membership: pricing, status, subscription and invoices.
type PremiumService service

// EchoesService handles echoes.
type EchoesService service

// WikiService handles colony wiki pages and their revisions.
type WikiService service

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
	c := &Client{cfg: cfg, apiKey: apiKey, flights: map[string]*tokenFlight{}, userAgent: []string{cfg.userAgent}}
	c.tokenKey = tokenStoreKey(cfg.baseURL, apiKey)
	c.tokens = cfg.tokenStore
	if c.tokens == nil {
		c.tokens = NewMemoryTokenStore()
	}
	if cfg.cacheTTL > 0 {
		c.cache = newResponseCache(cfg.cacheTTL)
	}

	base, jar, attemptTimeout := baseTransport(cfg.httpClient)
	c.base = base
	var rt http.RoundTripper = base
	if cfg.breaker != nil {
		c.breaker = newBreakerTransport(*cfg.breaker, base)
		rt = c.breaker
	}
	rt = &hookTransport{reqHooks: cfg.requestHooks, respHooks: cfg.responseHooks, logger: cfg.logger, redact: c.redact, next: rt}
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
	c.Feed = (*FeedService)(&c.common)
	c.Groups = (*GroupsService)(&c.common)
	c.Tags = (*TagsService)(&c.common)
	c.Bookmarks = (*BookmarksService)(&c.common)
	c.Collections = (*CollectionsService)(&c.common)
	c.Reports = (*ReportsService)(&c.common)
	c.Claims = (*ClaimsService)(&c.common)
	c.Vault = (*VaultService)(&c.common)
	c.Moderation = (*ModerationService)(&c.common)
	c.Orgs = (*OrgsService)(&c.common)
	c.Premium = (*PremiumService)(&c.common)
	c.Echoes = (*EchoesService)(&c.common)
	c.Wiki = (*WikiService)(&c.common)
	return c, nil
}

// maxConnsPerHost bounds the connections of the default transport to one host.
const maxConnsPerHost = 64

// baseTransport picks the innermost RoundTripper: the caller's, or a clone of
// http.DefaultTransport sized for fan-out. Go's default keeps only 2 idle
// connections per host, so dozens of goroutines would churn connections; and
// without a cap, a burst of calls dials connections that are no longer needed when
// the dial completes. So at most maxConnsPerHost connections are opened per host,
// and all of them may stay idle: more concurrent calls wait for a free connection.
func baseTransport(hc *http.Client) (http.RoundTripper, http.CookieJar, time.Duration) {
	if hc != nil && hc.Transport != nil {
		return hc.Transport, hc.Jar, hc.Timeout
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxConnsPerHost = maxConnsPerHost
	t.MaxIdleConnsPerHost = maxConnsPerHost
	t.IdleConnTimeout = 90 * time.Second
	if hc != nil {
		return t, hc.Jar, hc.Timeout
	}
	return t, nil, 0
}

var errTooManyRedirects = errors.New("stopped after 10 redirects")

// checkRedirect follows at most 10 redirects, all within the origin (scheme and
// host:port) of the request: a redirect elsewhere is not followed, so neither the
// token nor a replayed body (a 307 on the token exchange carries the API key) ever
// leaves it. The 3xx answer is then returned as an *APIError.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return http.ErrUseLastResponse
	}
	return nil
}

// String describes the client by its base URL; it never prints the API key or token.
func (c *Client) String() string { return "colony.Client(" + c.cfg.baseURL + ")" }

// Format makes every fmt verb (%v, %+v, %s, %#v, ...) print String, never the fields.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue makes slog print the client as its base URL, never its secrets.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

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

// callState travels through the transport layers of one call as the request
// context itself: it wraps the call's context and answers Value(stateKey{}), which
// costs one allocation where context.WithValue and a separate state cost two.
type callState struct {
	context.Context
	deadline     context.Context // the SDK timeout shared with other calls, when the call's context never ends
	method, path string
	body         []byte
	maxDelay     time.Duration
	attempt      int    // incremented by hookTransport per attempt
	rejected     int    // attempts refused by the open breaker
	lastErr      error  // error of the last retried attempt
	cacheGen     uint64 // cache generation when a cacheable GET started
	maybeApplied bool   // a retried attempt got a 5xx or no answer: it may have been applied
}

// Value returns the callState for stateKey{} and asks the wrapped context, then the
// shared deadline (whose cancelCtx context.Cause and child contexts look up), otherwise.
func (s *callState) Value(key any) any {
	if key == (stateKey{}) {
		return s
	}
	if v := s.Context.Value(key); v != nil || s.deadline == nil {
		return v
	}
	return s.deadline.Value(key)
}

// Deadline, Done and Err are the shared deadline's when the call has one (its own
// context then never ends), else the wrapped context's.
func (s *callState) Deadline() (time.Time, bool) {
	if s.deadline != nil {
		return s.deadline.Deadline()
	}
	return s.Context.Deadline()
}

func (s *callState) Done() <-chan struct{} {
	if s.deadline != nil {
		return s.deadline.Done()
	}
	return s.Context.Done()
}

func (s *callState) Err() error {
	if s.deadline != nil {
		return s.deadline.Err()
	}
	return s.Context.Err()
}

// sharedDeadlines hands the calls whose context never ends (context.Background and
// the like) a deadline context shared by every such call starting within the same
// slack of timeout/64 (at least 1 ms). Each call then ends between its timeout and
// its timeout plus the slack, without a timer and a context of its own: those cost
// as much as everything else the SDK adds to a call.
type sharedDeadlines struct {
	cur atomic.Pointer[sharedDeadline]
	mu  sync.Mutex
}

type sharedDeadline struct {
	ctx    context.Context
	cancel context.CancelFunc // never called: the deadline's own timer releases it
	until  time.Time          // calls starting before until may share ctx
}

func (d *sharedDeadlines) get(timeout time.Duration) context.Context {
	now := time.Now()
	if s := d.cur.Load(); s != nil && now.Before(s.until) {
		return s.ctx
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s := d.cur.Load(); s != nil && now.Before(s.until) {
		return s.ctx
	}
	slack := max(timeout/64, time.Millisecond)
	ctx, cancel := context.WithDeadlineCause(context.Background(), now.Add(timeout+slack), errCallTimeout)
	d.cur.Store(&sharedDeadline{ctx: ctx, cancel: cancel, until: now.Add(slack)})
	return ctx
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
	co := &noCallOptions
	if len(opts) > 0 {
		co = new(callOptions)
		for _, o := range opts {
			if o == nil {
				continue
			}
			if err := o(co); err != nil {
				return err
			}
		}
	}
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return invalidArgf("encoding request body: %v", err)
		}
	}
	if c.cfg.rateLimiter != nil && isWrite(r.method) { // WithRateLimiter (fleet.go): queue before the SDK timeout starts
		if err := c.waitRateLimit(ctx, r.method, r.path); err != nil {
			return err
		}
	}
	var shared context.Context // the SDK timeout, when shared (see sharedDeadlines)
	switch {
	case c.cfg.timeout <= 0 || deadlineWithin(ctx, c.cfg.timeout):
	case ctx.Done() == nil:
		shared = c.deadlines.get(c.cfg.timeout)
	default:
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.cfg.timeout, errCallTimeout)
		defer cancel()
	}
	fullURL := requestURL(c.cfg.baseURL, r.path, r.query)
	write := isWrite(r.method)
	idemKey := co.idempotencyKey
	if write && idemKey == "" {
		idemKey = newIdempotencyKey()
	}
	var cacheKey string
	if c.cache != nil && r.method == http.MethodGet && !r.noAuth {
		cacheKey = c.currentTokenKey() + "\x00" + fullURL
		if data, ok := c.cache.get(cacheKey); ok {
			if co.response != nil {
				*co.response = Response{StatusCode: http.StatusOK}
			}
			return c.decode(r, http.StatusOK, data)
		}
	}
	st := &callState{Context: ctx, deadline: shared, method: r.method, path: r.path, body: body, maxDelay: c.cfg.retry.MaxDelay}
	if cacheKey != "" {
		st.cacheGen = c.cache.generation() // a write finishing meanwhile must win over this read
	}
	ctx = st
	for refreshed := false; ; refreshed = true {
		var token string
		if !r.noAuth {
			var err error
			if token, err = c.token(ctx); err != nil {
				return c.tokenError(r, idemKey, err)
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
		return c.finish(r, st, resp, idemKey, cacheKey, co)
	}
}

// requestURL returns base + path, plus "?" + query.Encode() when query is not
// empty, in one allocation (Encode alone takes three).
func requestURL(base, path string, query url.Values) string {
	if len(query) == 0 {
		return base + path
	}
	var keyBuf [8]string
	keys := keyBuf[:0]
	n := len(base) + len(path) + 1
	for k, vs := range query {
		keys = append(keys, k)
		for _, v := range vs {
			n += len(k) + len(v) + 2
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	b.WriteString(base)
	b.WriteString(path)
	b.WriteByte('?')
	first := true
	for _, k := range keys {
		ek := url.QueryEscape(k)
		for _, v := range query[k] {
			if !first {
				b.WriteByte('&')
			}
			first = false
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// noCallOptions is the options of a call that has none; it is never modified.
var noCallOptions callOptions

// deadlineWithin reports whether ctx already ends within d, making an SDK timeout
// of d pointless (it would cost a timer and a context per call for nothing).
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) <= d
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
	h := req.Header // the shared value slices below are never modified, only replaced
	h["User-Agent"] = c.userAgent
	h["Accept"] = jsonHeaderValue
	if body != nil {
		h["Content-Type"] = jsonHeaderValue
	}
	if token != "" {
		h["Authorization"] = c.authorization(token)
	}
	if idemKey != "" {
		h["Idempotency-Key"] = []string{idemKey}
	}
	for k, v := range extra { // last: WithHeader may override User-Agent and Accept
		h[k] = v
	}
	return c.rc.Do(req)
}

var jsonHeaderValue = []string{"application/json"}

// bearer is the Authorization header value of one token, built once per token.
type bearer struct {
	token string
	value []string
}

func (c *Client) authorization(token string) []string {
	if b := c.bearer.Load(); b != nil && b.token == token {
		return b.value
	}
	b := &bearer{token: token, value: []string{"Bearer " + token}}
	c.bearer.Store(b)
	return b.value
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
		return c.annotate(newAPIError(r.method, r.path, resp.StatusCode, resp.Header, b, now), st, idemKey)
	}
	if isWrite(r.method) && !r.noAuth && c.cache != nil { // a token exchange changes no data
		c.cache.clear()
	}
	if r.out == nil || resp.StatusCode == http.StatusNoContent {
		discard(resp.Body)
		return nil
	}
	data, err := readBody(resp, c.cfg.maxResponseBytes)
	if err != nil {
		return c.annotate(&DecodeError{Method: r.method, Path: r.path, StatusCode: resp.StatusCode, Err: err}, st, idemKey)
	}
	if cacheKey != "" {
		c.cache.put(cacheKey, data, st.cacheGen) // never modified afterwards, like every body
	}
	return c.annotate(c.decode(r, resp.StatusCode, data), st, idemKey)
}

// readBody reads a success body of at most max bytes into a slice of its own, which
// decoded values may keep (see decodeBody): one allocation of Content-Length bytes
// when the length is known, a pooled buffer and one copy otherwise.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	switch n := resp.ContentLength; {
	case n > max:
		return nil, tooLargeError(max) // refused unread: the connection is dropped, memory stays flat
	case n >= 0:
		data := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, data); err != nil {
			return nil, unwrapURLError(err)
		}
		return data, nil
	}
	return readChunks(io.LimitReader(resp.Body, max+1), max)
}

// tooLargeError is built only when needed: fmt.Errorf costs two allocations per call.
func tooLargeError(max int64) error {
	return fmt.Errorf("%w: more than %d bytes", ErrResponseTooLarge, max)
}

// decode unmarshals a success body; an empty body leaves out untouched.
func (c *Client) decode(r apiRequest, status int, data []byte) error {
	if r.out == nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	if err := decodeBody(data, r.out); err != nil {
		return &DecodeError{Method: r.method, Path: r.path, StatusCode: status, Err: err}
	}
	return nil
}

// errCallTimeout is the cause of the SDK's own per-call deadline (WithTimeout), which
// tells a server too slow to answer (a breaker failure) from a caller giving up.
var errCallTimeout = errors.New("colony: call timeout")

// tokenError reports a call abandoned because no token could be obtained: nothing
// of the call was sent. It unwraps to the token failure (an *APIError of
// /auth/token, a network error or the context's error).
func (c *Client) tokenError(r apiRequest, idemKey string, err error) error {
	return &NetworkError{Method: r.method, Path: r.path, IdempotencyKey: idemKey, Err: fmt.Errorf("fetching token: %w", unwrapTokenErr(err))}
}

// unwrapTokenErr strips the NetworkError of the token request itself, keeping its cause.
func unwrapTokenErr(err error) error {
	var ne *NetworkError
	if errors.As(err, &ne) && ne.Path == "/auth/token" {
		return ne.Err
	}
	return err
}

// networkError wraps a failure that produced no final HTTP response.
func (c *Client) networkError(r apiRequest, st *callState, idemKey string, err error) error {
	err = unwrapURLError(err)
	if st.lastErr != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		if !errors.Is(st.lastErr, err) {
			err = fmt.Errorf("%w (last attempt: %w)", err, c.annotate(st.lastErr, st, idemKey))
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

// annotate completes an error of the call's final response: the idempotency key to
// resume with, whether an earlier attempt may have been applied, and an error body
// with the client's secrets redacted (servers echo input in validation errors).
func (c *Client) annotate(err error, st *callState, idemKey string) error {
	var ae *APIError
	switch e := err.(type) {
	case nil:
		return nil
	case *APIError:
		ae = e
	case *RateLimitError:
		ae = &e.APIError
	case *DecodeError:
		e.IdempotencyKey = idemKey
		return e
	default:
		return err
	}
	ae.IdempotencyKey = idemKey
	ae.earlierMaybeApplied = st.maybeApplied
	ae.Body = c.redact(ae.Body)
	ae.Message = string(c.redactValues([]byte(ae.Message))) // a server may quote the credentials back
	ae.Code = string(c.redactValues([]byte(ae.Code)))
	return err
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
	var h [32]byte
	_, _ = rand.Read(b[:])
	hex.Encode(h[:], b[:])
	return string(h[:])
}

// chunkPool recycles the fixed-size chunks a body of unknown length is read into.
var chunkPool = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// readChunks reads r (already limited to max+1 bytes) into pooled chunks and joins
// them once into a slice of the exact size: memory is the body plus at most one
// chunk, never a doubling buffer, and a body over max is refused with tooLargeError.
func readChunks(r io.Reader, max int64) ([]byte, error) {
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			chunkPool.Put(c)
		}
	}()
	var total int64
	last := 0
	for {
		c := chunkPool.Get().(*[]byte)
		chunks = append(chunks, c)
		n, err := io.ReadFull(r, *c)
		total += int64(n)
		last = n
		if total > max {
			return nil, tooLargeError(max)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, unwrapURLError(err)
		}
	}
	out := make([]byte, 0, total)
	for i, c := range chunks {
		if i == len(chunks)-1 {
			out = append(out, (*c)[:last]...)
		} else {
			out = append(out, *c...)
		}
	}
	return out, nil
}

// Response carries the HTTP metadata of a call; request it with WithResponseInto.
type Response struct {
	StatusCode       int         // status of the final attempt
	Header           http.Header // headers of the final attempt; do not modify
	RequestID        string      // X-Request-Id, when the server sent one
	RateLimit        RateLimit   // parsed X-RateLimit-* headers (Limit and Remaining -1 when absent)
	IdempotentReplay bool        // the server answered a repeated Idempotency-Key with its stored response
	Attempts         int         // HTTP attempts made, retries included (0 for a cache hit)
}

// CloseIdleConnections closes the idle keep-alive connections of the client's
// transport; in-flight requests are not affected and the client stays usable.
func (c *Client) CloseIdleConnections() {
	if ci, ok := c.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// call runs one request through do and returns its decoded answer; services use it
// for every call that answers with a single JSON value.
func call[T any](ctx context.Context, c *Client, method, path string, query url.Values, in any, opts []RequestOption) (*T, error) {
	out := new(T)
	if err := c.do(ctx, method, path, query, in, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}
