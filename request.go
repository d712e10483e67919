package colony

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// request is one logical call of a service; send turns it into HTTP attempts.
type request struct {
	method string
	path   string     // escaped path relative to the base URL
	query  url.Values // nil for none
	body   any        // JSON-encoded when non-nil
	out    any        // decoded into when non-nil
	noAuth bool       // the token exchange and registration carry no token
	// repeatable marks a write that is safe to repeat as is (the token exchange):
	// it carries no Idempotency-Key.
	repeatable bool
	root       bool        // path is relative to the site root (the base URL without /api/v1)
	form       url.Values  // sent form-encoded instead of body when non-nil
	stream     *streamBody // a multipart upload body (upload.go) instead of body
	raw        bool        // a download: out is a **http.Response that receives the 2xx response unread
}

// do is the entry point of every service method: one call, JSON in and out.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, in, out any, opts []RequestOption) error {
	return c.send(ctx, &request{method: method, path: path, query: query, body: in, out: out}, opts)
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

// send runs one call in four stages: prepare (options, body, idempotency key,
// timeout), the GET cache, the authorised round trip (token, retried attempts,
// one 401 refresh and replay) and finish (status to error, decode).
func (c *Client) send(ctx context.Context, r *request, opts []RequestOption) error {
	if ctx == nil {
		return invalidArgf("nil context")
	}
	// A shared rate limiter queues limited writes first, bounded by the caller's
	// context only: queueing is not the server being slow.
	if err := c.waitRateLimit(ctx, r.method, r.path); err != nil {
		return err
	}
	p, err := c.prepare(ctx, r, opts)
	if err != nil {
		return err
	}
	defer p.release()
	if data, ok := c.cacheLookup(p); ok {
		return c.finishCached(p, data)
	}
	resp, err := c.roundTrip(p) //nolint:bodyclose // finish closes it, or hands a download's body to the caller
	if err != nil {
		return err
	}
	return c.finish(p, resp)
}

// prepared is a call ready to send.
type prepared struct {
	*request
	ctx      context.Context // carries the callState and the SDK timeout
	cancel   context.CancelFunc
	opts     *callOptions
	body     []byte   // encoded request body
	ctype    []string // its Content-Type
	url      string
	idemKey  string
	rc       *retryablehttp.Client // the client's retry loop, or the call's own (WithCallRetry)
	cacheKey string                // set for cacheable GETs
	cacheGen uint64                // cache generation when the GET started
	st       *callState
}

// callState is what the transport layers of one call share, through the request
// context: attempts are sequential, so only one goroutine touches it at a time.
type callState struct {
	method, path string
	body         []byte
	maxDelay     time.Duration
	attempts     int         // incremented by hookTransport per attempt
	rejected     int         // attempts refused by the open breaker
	connected    atomic.Bool // the current attempt got a connection (set by an httptrace hook)
	lastErr      error       // error of the last retried attempt
	maybeApplied bool        // a retried attempt got a 5xx or no answer: it may have been applied
	oneShot      bool        // the body cannot be sent twice: no retry, no 401 replay (upload.go)
	download     bool        // the body is handed to the caller unread: hooks do not buffer it
}

func (st *callState) gotConn(httptrace.GotConnInfo) { st.connected.Store(true) }

type stateKey struct{}

// stateFrom returns the state of the call a request belongs to.
func stateFrom(ctx context.Context) *callState {
	if st, ok := ctx.Value(stateKey{}).(*callState); ok {
		return st
	}
	return &callState{} // a request that did not come through send
}

func noCancel() {}

// release ends the call's own timeout, except for a download whose body went to
// the caller: closing that body ends it (releaseUnlessHanded).
func (p *prepared) release() {
	if p.raw {
		releaseUnlessHanded(p.request, p.cancel)
		return
	}
	p.cancel()
}

// prepare applies the call options, encodes the body, picks the idempotency key and
// bounds the call by the client's timeout. Nothing is sent.
func (c *Client) prepare(ctx context.Context, r *request, opts []RequestOption) (*prepared, error) {
	if ctx == nil {
		return nil, invalidArgf("nil context")
	}
	co, err := applyCallOptions(opts)
	if err != nil {
		return nil, err
	}
	base := c.cfg.baseURL
	if r.root {
		base = siteRoot(base)
	}
	p := &prepared{request: r, opts: co, cancel: noCancel, url: requestURL(base, r.path, r.query), ctype: jsonHeaderValue}
	switch {
	case r.form != nil:
		p.body, p.ctype = []byte(r.form.Encode()), formHeaderValue
	case r.body != nil:
		if p.body, err = json.Marshal(r.body); err != nil {
			return nil, invalidArgf("encoding request body: %v", err)
		}
	}
	if isWrite(r.method) && !r.repeatable {
		p.idemKey = co.idempotencyKey
		if p.idemKey == "" {
			p.idemKey = newIdempotencyKey()
		}
	}
	p.rc, p.st = c.rc, &callState{method: r.method, path: r.path, body: p.body, maxDelay: c.cfg.retry.MaxDelay,
		oneShot: r.stream != nil && r.stream.oneShot, download: r.raw}
	ctx = context.WithValue(ctx, stateKey{}, p.st)
	if c.breaker != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: p.st.gotConn})
	}
	if co.retry != nil { // a retry loop of its own for this call, on the same transport
		p.rc, p.st.maxDelay = newRetryClient(c.rc.HTTPClient, *co.retry), co.retry.MaxDelay
	}
	timeout := orDefault(co.timeout, c.cfg.timeout)
	if timeout > 0 && !deadlineWithin(ctx, timeout) {
		ctx, p.cancel = context.WithTimeoutCause(ctx, timeout, errCallTimeout)
	}
	p.ctx = ctx
	return p, nil
}

// applyCallOptions returns the options of one call; a call without any shares one
// read-only value.
func applyCallOptions(opts []RequestOption) (*callOptions, error) {
	if len(opts) == 0 {
		return &noCallOptions, nil
	}
	co := new(callOptions)
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(co); err != nil {
			return nil, err
		}
	}
	return co, nil
}

// noCallOptions is the options of a call that has none; it is never modified.
var noCallOptions callOptions

// deadlineWithin reports whether ctx already ends within d, making an SDK timeout
// of d pointless.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) <= d
}

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// cacheLookup serves a cacheable GET from the cache enabled by WithCache.
func (c *Client) cacheLookup(p *prepared) ([]byte, bool) {
	if c.cache == nil || p.method != http.MethodGet || p.noAuth || p.raw {
		return nil, false
	}
	p.cacheKey = c.auth.cred.Load().storeKey + "\x00" + p.url
	p.cacheGen = c.cache.generation() // a write finishing meanwhile must win over this read
	return c.cache.get(p.cacheKey)
}

func (c *Client) finishCached(p *prepared, data []byte) error {
	if p.opts.response != nil {
		*p.opts.response = Response{StatusCode: http.StatusOK, Body: data}
	}
	return c.decode(p, http.StatusOK, data)
}

// roundTrip sends the call with a token, through the retry loop; a 401 drops the
// token and replays the call once with a fresh one (which has its own retries).
func (c *Client) roundTrip(p *prepared) (*http.Response, error) {
	for refreshed := false; ; refreshed = true {
		var token string
		if !p.noAuth {
			var err error
			if token, err = c.auth.token(p.ctx); err != nil {
				return nil, c.tokenError(p, err)
			}
		}
		resp, err := c.attempt(p, token)
		if err != nil {
			return nil, c.networkError(p, err)
		}
		if resp.StatusCode != http.StatusUnauthorized || p.noAuth || refreshed || p.st.oneShot {
			return resp, nil
		}
		discard(resp.Body)
		c.auth.refuse(p.ctx, token) // the replay never gets this token again
	}
}

// attempt hands one logical request to the retry loop.
func (c *Client) attempt(p *prepared, token string) (*http.Response, error) {
	var body any // must stay an untyped nil for bodiless requests
	switch {
	case p.body != nil:
		body = p.body
	case p.stream != nil:
		body = retryablehttp.ReaderFunc(p.stream.open) // opened again before every attempt
	}
	req, err := retryablehttp.NewRequestWithContext(p.ctx, p.method, p.url, body)
	if err != nil {
		return nil, err
	}
	h := req.Header // the shared value slices below are never modified, only replaced
	h["User-Agent"] = c.userAgent
	switch {
	case p.body != nil:
		h["Content-Type"] = p.ctype
	case p.stream != nil:
		h["Content-Type"] = []string{p.stream.contentType}
		req.ContentLength = p.stream.length // -1: unknown, sent chunked
	}
	if token != "" {
		h["Authorization"] = c.authorization(token)
	}
	if p.idemKey != "" {
		h["Idempotency-Key"] = []string{p.idemKey}
	}
	for k, v := range p.opts.header { // last: WithHeader may override User-Agent
		h[k] = v
	}
	return p.rc.Do(req)
}

var (
	jsonHeaderValue = []string{"application/json"}
	formHeaderValue = []string{"application/x-www-form-urlencoded"}
)

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
func (c *Client) finish(p *prepared, resp *http.Response) error {
	handed := false // a download's body goes to the caller unread
	defer func() {
		if !handed {
			resp.Body.Close()
		}
	}()
	now := time.Now()
	rl := c.observeRateLimit(resp.Header, now)
	if p.opts.response != nil {
		*p.opts.response = Response{
			StatusCode:       resp.StatusCode,
			Header:           resp.Header,
			RequestID:        requestID(resp.Header),
			RateLimit:        rl,
			IdempotentReplay: isReplay(resp.Header),
			Attempts:         p.st.attempts,
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return c.annotate(p, newAPIError(p.method, p.path, resp.StatusCode, resp.Header, b, now))
	}
	if isWrite(p.method) && !p.noAuth && c.cache != nil { // a token exchange changes no data
		c.cache.clear()
	}
	if p.raw {
		*p.out.(**http.Response), handed = resp, true
		return nil
	}
	if p.out == nil {
		discard(resp.Body)
		return nil
	}
	data, err := readBody(resp, c.cfg.maxResponseBytes)
	if err != nil {
		return c.annotate(p, &DecodeError{Method: p.method, Path: p.path, StatusCode: resp.StatusCode, Err: err})
	}
	if p.opts.response != nil {
		p.opts.response.Body = data
	}
	if p.cacheKey != "" {
		c.cache.put(p.cacheKey, data, p.cacheGen) // never modified afterwards, like every body
	}
	return c.annotate(p, c.decode(p, resp.StatusCode, data))
}

// decode unmarshals a success body into the call's out value. An empty, blank or
// null body is a *DecodeError: a call that expects a value never gets a silent zero.
func (c *Client) decode(p *prepared, status int, data []byte) error {
	if p.out == nil {
		return nil
	}
	if err := decodeJSON(data, p.out); err != nil {
		return &DecodeError{Method: p.method, Path: p.path, StatusCode: status, Err: err}
	}
	return nil
}

// readBody reads a success body of at most max bytes: one allocation of
// Content-Length bytes when the length is known, pooled chunks and one copy otherwise.
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
	for {
		c := chunkPool.Get().(*[]byte)
		chunks = append(chunks, c)
		n, err := io.ReadFull(r, *c)
		*c = (*c)[:n]
		total += int64(n)
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
	for _, c := range chunks {
		out = append(out, *c...)
		*c = (*c)[:cap(*c)]
	}
	return out, nil
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

func isReplay(h http.Header) bool {
	return strings.EqualFold(h.Get("Idempotent-Replay"), "true") || strings.EqualFold(h.Get("X-Idempotency-Replayed"), "true")
}

// requestURL returns base + path, plus "?" + the sorted, escaped query when there
// is one, in one allocation (url.Values.Encode alone takes three).
func requestURL(base, path string, query url.Values) string {
	if len(query) == 0 {
		return base + path
	}
	keys := make([]string, 0, len(query))
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
	sep := byte('?')
	for _, k := range keys {
		ek := url.QueryEscape(k)
		for _, v := range query[k] {
			b.WriteByte(sep)
			sep = '&'
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// ---- errors of the request path ----

// errCallTimeout is the cause of the SDK's own per-call deadline (WithTimeout): it
// tells a server too slow to answer (a breaker failure) from a caller giving up.
var errCallTimeout error = callTimeoutError{}

// callTimeoutError is the SDK's timeout; it matches context.DeadlineExceeded.
type callTimeoutError struct{}

func (callTimeoutError) Error() string {
	return "the client's timeout (WithTimeout or WithCallTimeout) expired: context deadline exceeded"
}

func (callTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// tokenError reports a call abandoned because no token could be obtained: nothing
// of the call was sent. It unwraps to the token failure (an *APIError of
// /auth/token, a network error or the context's error).
func (c *Client) tokenError(p *prepared, err error) error {
	var ne *NetworkError
	if errors.As(err, &ne) && ne.Path == "/auth/token" {
		err = ne.Err // keep the cause, not the token request's own wrapper
	}
	return &NetworkError{Method: p.method, Path: p.path, IdempotencyKey: p.idemKey, Err: &tokenFetchError{c.timeoutCause(p, err)}}
}

// tokenFetchError marks a failure to obtain a token.
type tokenFetchError struct{ err error }

func (e *tokenFetchError) Error() string { return "fetching token: " + trimPrefix(e.err.Error()) }
func (e *tokenFetchError) Unwrap() error { return e.err }

// networkError wraps a failure that produced no final HTTP response.
func (c *Client) networkError(p *prepared, err error) error {
	err = c.timeoutCause(p, unwrapURLError(err))
	ended := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	if ended && p.st.lastErr != nil && !errors.Is(p.st.lastErr, err) {
		err = &lastAttemptError{err: err, last: c.annotate(p, p.st.lastErr)}
	}
	return &NetworkError{
		Method:         p.method,
		Path:           p.path,
		IdempotencyKey: p.idemKey,
		MaybeSent:      p.st.attempts > p.st.rejected,
		Err:            err,
	}
}

// timeoutCause replaces a deadline error caused by the SDK's own timeout with
// errCallTimeout, which says so and still matches context.DeadlineExceeded.
func (c *Client) timeoutCause(p *prepared, err error) error {
	if errors.Is(err, context.DeadlineExceeded) && errors.Is(context.Cause(p.ctx), errCallTimeout) {
		return errCallTimeout
	}
	return err
}

// lastAttemptError is a call that ended (cancelled, timed out) while waiting to
// retry; it also unwraps to what the server said last.
type lastAttemptError struct {
	err  error // the context's error
	last error // the last attempt's error
}

func (e *lastAttemptError) Error() string {
	last := e.last.Error()
	var ae *APIError
	if errors.As(e.last, &ae) {
		last = ae.detail()
	}
	return e.err.Error() + " (last attempt: " + last + ")"
}

func (e *lastAttemptError) Unwrap() []error { return []error{e.err, e.last} }

// annotate completes an error of the call's final response: the idempotency key to
// resume with, whether an earlier attempt may have been applied, and an error body
// with the client's secrets redacted (servers echo input in validation errors).
func (c *Client) annotate(p *prepared, err error) error {
	var de *DecodeError
	if errors.As(err, &de) {
		de.IdempotencyKey = p.idemKey
		return err
	}
	var ae *APIError // also the one a *RateLimitError embeds
	if !errors.As(err, &ae) {
		return err
	}
	ae.IdempotencyKey = p.idemKey
	ae.earlierMaybeApplied = p.st.maybeApplied
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

// Response carries the HTTP metadata of a call; request it with [WithResponseInto].
type Response struct {
	StatusCode       int         // status of the final attempt
	Header           http.Header // headers of the final attempt; do not modify
	RequestID        string      // X-Request-Id, when the server sent one
	RateLimit        RateLimit   // parsed X-RateLimit-* headers (Limit and Remaining -1 when absent)
	IdempotentReplay bool        // the server answered a repeated Idempotency-Key with its stored response
	Attempts         int         // HTTP attempts made, retries included (0 for a cache hit)
	// Body is the raw JSON of a 2xx answer that was decoded, so that members the
	// SDK's types do not model stay reachable (decode it into your own struct); it
	// is shared with the cache when WithCache is on, so do not modify it.
	Body []byte
}
