package colonytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// basePath is the API prefix every route lives under.
const basePath = "/api/v1"

// maxBody caps request bodies; larger ones get 413. It leaves room for a 1 MB vault file in JSON (escaped).
const maxBody = 8 << 20

// Server is an in-memory Colony API server listening on a loopback port. All its methods are safe for concurrent
// use, including while requests are being served.
type Server struct {
	cfg    config
	ln     net.Listener
	srv    *http.Server
	url    string
	clock  *clock
	routes []*route

	mu sync.RWMutex // guards st
	st *state

	reqMu sync.Mutex
	reqs  []Request

	faults  *faultSet
	idem    *idemStore
	limiter *limiter
	hooks   *dispatcher
	active  tracker

	premiumOn atomic.Bool // premium programme switched on (EnablePremium)

	closeOnce sync.Once
}

// Request is one HTTP request the server received, as recorded by [Server.Requests].
type Request struct {
	Method     string
	Path       string // decoded path, including the /api/v1 prefix
	RawPath    string // escaped path exactly as sent (r.URL.EscapedPath())
	Query      url.Values
	RawQuery   string
	Header     http.Header // canonicalised names, as net/http delivers them
	Body       []byte
	RemoteAddr string
	Time       time.Time // server clock
}

// NewServer starts a [Server] for a test on a free 127.0.0.1 port and closes it with tb.Cleanup. It fails the test
// if the server cannot start.
func NewServer(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatalf("colonytest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Start starts a [Server] for programs (no testing.TB); the caller must call Close. It listens on 127.0.0.1 at a
// free port unless [WithAddr] says otherwise.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", cfg.addr, err)
	}
	s := newServer(cfg)
	s.ln = ln
	s.url = "http://" + ln.Addr().String() + basePath
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func newServer(cfg config) *Server {
	clk := &clock{manual: cfg.manual, base: cfg.clockStart}
	s := &Server{cfg: cfg, clock: clk, faults: newFaultSet(cfg.faultSeed), idem: newIdemStore(),
		limiter: newLimiter(cfg.limits)}
	s.st = newState(clk.now())
	s.hooks = newDispatcher(s)
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		if rt.segs == nil { // a route may set its own segments (a "{name...}" path converter)
			rt.segs = strings.Split(strings.Trim(rt.pattern, "/"), "/")
		}
	}
	return s
}

// URL returns the API base URL, "http://127.0.0.1:PORT/api/v1" (no trailing slash).
func (s *Server) URL() string { return s.url }

// Close stops the HTTP server, drops open connections, cancels webhook deliveries and waits for every goroutine
// the server started to finish. It is idempotent.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.active.close()
		if s.srv != nil {
			_ = s.srv.Close()
		}
		s.hooks.stop()
		s.active.wait()
		s.hooks.wait()
	})
}

// Now returns the server clock's current time (UTC, microsecond precision).
func (s *Server) Now() time.Time { return s.clock.now() }

// Advance moves the server clock forward by d (token expiry, edit windows, rate-limit and idempotency windows,
// created_at of new objects all follow it). It does not affect webhook retry waits, which use real time.
func (s *Server) Advance(d time.Duration) { s.clock.advance(d) }

// Requests returns a copy of every request received so far, in arrival order.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.reqMu.Lock()
	s.reqs = nil
	s.reqMu.Unlock()
}

func (s *Server) record(r *http.Request, body []byte, now time.Time) {
	req := Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), Query: r.URL.Query(),
		RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, RemoteAddr: r.RemoteAddr, Time: now}
	s.reqMu.Lock()
	s.reqs = append(s.reqs, req)
	s.reqMu.Unlock()
}

// ServeHTTP implements http.Handler, so a [Server] can also be mounted on another listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.active.enter() {
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	defer s.active.exit()
	limit := bodyLimit(r)
	body, _ := io.ReadAll(io.LimitReader(r.Body, int64(limit)+1))
	s.record(r, body, s.clock.now())
	if len(body) > limit {
		newJSON(http.StatusRequestEntityTooLarge, stringBody("Request body too large")).write(w)
		return
	}
	apiPath := strings.TrimPrefix(r.URL.Path, basePath)
	f := s.faults.take(r.Method, apiPath, func() string { return s.requestAgent(r, body) })
	if f != nil && f.Latency > 0 && !s.active.sleep(r.Context(), f.Latency) {
		return
	}
	if f != nil && f.acts() && !f.AfterHandler {
		writeFault(w, f, nil)
		return
	}
	resp := s.dispatch(r, body)
	if f != nil && f.acts() && f.AfterHandler {
		writeFault(w, f, resp)
		return
	}
	resp.write(w)
}

// response is a fully buffered HTTP response; handlers fill one instead of writing to the wire, which lets the
// idempotency store replay it and after-handler faults drop it.
type response struct {
	status int
	header http.Header
	body   []byte
	v      any
}

func newJSON(status int, v any) *response {
	r := &response{status: status, header: http.Header{}, v: v}
	r.finish()
	return r
}

// finish marshals the pending value into the body.
func (r *response) finish() {
	if r.v == nil {
		return
	}
	b, err := marshal(r.v)
	if err != nil {
		b, _ = marshal(codedBody(codeInternal, "internal error encoding response"))
		r.status = http.StatusInternalServerError
	}
	r.body, r.v = b, nil
	r.header["Content-Type"] = []string{"application/json"}
}

// marshal encodes v as JSON without Go's HTML escaping of <, > and &, as a Python server writes it.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func (r *response) clone() *response {
	return &response{status: r.status, header: r.header.Clone(), body: append([]byte(nil), r.body...)}
}

func (r *response) write(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v // direct assignment keeps exact casing such as X-RateLimit-Limit
	}
	if r.status != http.StatusNoContent {
		h["Content-Length"] = []string{strconv.Itoa(len(r.body))}
	}
	w.WriteHeader(r.status)
	if r.status != http.StatusNoContent {
		_, _ = w.Write(r.body)
	}
}

// call is the per-request context handed to route handlers.
type call struct {
	s      *Server
	r      *http.Request
	body   []byte
	params map[string]string
	me     *user
	now    time.Time
	resp   *response
}

func (c *call) json(status int, v any) { c.resp.status, c.resp.v = status, v }
func (c *call) ok(v any)               { c.json(http.StatusOK, v) }
func (c *call) noContent()             { c.resp.status, c.resp.v = http.StatusNoContent, nil }
func (c *call) coded(status int, code, msg string) {
	c.json(status, codedBody(code, msg))
}
func (c *call) detail(status int, msg string) { c.json(status, stringBody(msg)) }
func (c *call) invalid(errs []verr)           { c.json(http.StatusUnprocessableEntity, validationBody(errs)) }
func (c *call) notFound(what string)          { c.coded(http.StatusNotFound, codeNotFound, what+" not found") }

// pathUUID reads a UUID path parameter, answering 422 when it is malformed.
func (c *call) pathUUID(name string) (string, bool) {
	id, ok := canonicalUUID(c.params[name])
	if !ok {
		c.invalid([]verr{errType([]any{"path", name}, "uuid_parsing", c.params[name])})
	}
	return id, ok
}

// form parses the JSON body, answering 422 when it is not an object (or is missing and required).
func (c *call) form(required bool) (*form, bool) {
	f, errs := parseForm(c.r.Header.Get("Content-Type"), c.body, required)
	if errs != nil {
		c.invalid(errs)
		return nil, false
	}
	return f, true
}

// valid answers 422 with the collected errors, if any.
func (c *call) valid(errs []verr) bool {
	if len(errs) > 0 {
		c.invalid(errs)
		return false
	}
	return true
}

func (c *call) query() *query { return &query{v: c.r.URL.Query()} }

// tracker counts in-flight handlers so Close can wait for them.
type tracker struct {
	mu     sync.Mutex
	cond   *sync.Cond
	n      int
	closed bool
	done   chan struct{}
}

func (t *tracker) init() {
	if t.cond == nil {
		t.cond = sync.NewCond(&t.mu)
		t.done = make(chan struct{})
	}
}

func (t *tracker) enter() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.init()
	if t.closed {
		return false
	}
	t.n++
	return true
}

func (t *tracker) exit() {
	t.mu.Lock()
	t.n--
	if t.n == 0 {
		t.cond.Broadcast()
	}
	t.mu.Unlock()
}

func (t *tracker) close() {
	t.mu.Lock()
	t.init()
	if !t.closed {
		t.closed = true
		close(t.done)
	}
	t.mu.Unlock()
}

func (t *tracker) wait() {
	t.mu.Lock()
	for t.n > 0 {
		t.cond.Wait()
	}
	t.mu.Unlock()
}

// sleep waits d, returning false early if ctx ends or the server closes.
func (t *tracker) sleep(ctx context.Context, d time.Duration) bool {
	t.mu.Lock()
	t.init()
	done := t.done
	t.mu.Unlock()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	case <-done:
		return false
	}
}
