package colonytest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultKind says what an injected [Fault] does to a matching request; see the Fault* constants.
type FaultKind string

// Fault kinds. The zero Kind keeps the older spelling working: the kind is then read from the boolean fields of
// [Fault] (CloseConnection, Truncate, NonJSON, Validation422) or from a non-zero Status, and a Fault with none of
// them only adds its Latency.
const (
	// FaultStatus answers with Status (required) and the live error envelope, plus RetryAfter when set.
	FaultStatus FaultKind = "status"
	// FaultCloseConnection hijacks the connection and closes it without a response.
	FaultCloseConnection FaultKind = "close_connection"
	// FaultDropMidResponse sends the status line, headers and half of the body, then closes the connection.
	FaultDropMidResponse FaultKind = "drop_mid_response"
	// FaultTruncate sends 200 with a JSON body cut in half (the real body when AfterHandler is set).
	FaultTruncate FaultKind = "truncate"
	// FaultNonJSON sends an HTML error page with Status (default 502).
	FaultNonJSON FaultKind = "non_json"
	// FaultValidation422 sends FastAPI's list-shaped 422 {"detail": [{"loc", "msg", "type"}]}.
	FaultValidation422 FaultKind = "validation_422"
	// FaultLatencyOnly delays the request by Latency and then handles it normally.
	FaultLatencyOnly FaultKind = "latency"
)

// Fault scripts a misbehaviour for matching requests; see [Server.Inject]. Set Kind to one of the Fault* kinds;
// faults apply before routing and authentication, so they also hit unknown routes and POST /auth/token.
type Fault struct {
	// Kind is what the fault does; "" derives it from the deprecated boolean fields or Status (see FaultKind).
	Kind FaultKind
	// Agent, when set, limits the fault to requests of that username: its bearer token, or its API key in the
	// body of POST /auth/token. Requests of other agents and unauthenticated ones pass untouched.
	Agent string
	// Method matches the HTTP method case-insensitively; "" matches any.
	Method string
	// Path matches the request path segment by segment ("{name}" or "*" matches one segment); "" matches any
	// path. The convention is the one of Request.Path, the full path "/api/v1/posts/{id}/comments"; the short
	// spelling relative to the base URL ("/posts/{id}/comments") is accepted too and means the same.
	Path string
	// Times applies the fault to the next Times matching requests; 0 means until removed.
	Times int
	// Status is the status sent by FaultStatus (required) and FaultNonJSON (default 502).
	Status int
	// RetryAfter, when set, is sent as the Retry-After header with Status.
	RetryAfter string
	// AfterHandler runs the real handler first (its state changes and idempotency record commit) and then
	// applies the fault, modelling a response lost on the way back.
	AfterHandler bool
	// Latency delays the response; the wait ends early if the client goes away or the server closes.
	Latency time.Duration
	// Probability, when in (0, 1), applies the fault to each matching request with that probability (seeded by
	// WithFaultSeed); Times counts only applied requests.
	Probability float64

	// CloseConnection is the older spelling of FaultCloseConnection (with Truncate, of FaultDropMidResponse). Prefer Kind.
	CloseConnection bool
	// Truncate is the older spelling of FaultTruncate (with AfterHandler, of the real body cut). Prefer Kind.
	Truncate bool
	// NonJSON is the older spelling of FaultNonJSON. Prefer Kind.
	NonJSON bool
	// Validation422 is the older spelling of FaultValidation422. Prefer Kind.
	Validation422 bool
}

// kind resolves the effective kind, mapping the deprecated booleans.
func (f *Fault) kind() FaultKind {
	switch {
	case f.Kind != "":
		return f.Kind
	case f.CloseConnection && f.Truncate:
		return FaultDropMidResponse
	case f.CloseConnection:
		return FaultCloseConnection
	case f.NonJSON:
		return FaultNonJSON
	case f.Validation422:
		return FaultValidation422
	case f.Truncate:
		return FaultTruncate
	case f.Status != 0:
		return FaultStatus
	}
	return FaultLatencyOnly
}

func (f *Fault) acts() bool { return f.kind() != FaultLatencyOnly }

// check panics for a Fault that cannot mean anything, since that is a mistake in the test.
func (f *Fault) check() {
	switch k := f.kind(); k {
	case FaultStatus:
		if f.Status < 100 || f.Status > 599 {
			panic(fmt.Sprintf("colonytest: fault of kind %q needs a Status in 100-599, got %d", k, f.Status))
		}
	case FaultCloseConnection, FaultDropMidResponse, FaultTruncate, FaultNonJSON, FaultValidation422, FaultLatencyOnly:
	default:
		panic(fmt.Sprintf("colonytest: unknown fault kind %q", k))
	}
}

// apiRelative strips the /api/v1 prefix, so both spellings of a path compare equal.
func apiRelative(p string) string {
	if p == basePath || strings.HasPrefix(p, basePath+"/") {
		return p[len(basePath):]
	}
	return p
}

// pathSegs splits a path pattern relative to /api/v1 into segments; nil means any path.
func pathSegs(pattern string) []string {
	if p := strings.Trim(apiRelative(pattern), "/"); p != "" {
		return strings.Split(p, "/")
	}
	return nil
}

type faultEntry struct {
	f    Fault
	segs []string // nil = any path
	left int
}

type faultSet struct {
	mu  sync.Mutex
	fs  []*faultEntry
	rng *rand.Rand
}

func newFaultSet(seed int64) *faultSet { return &faultSet{rng: rand.New(rand.NewSource(seed))} }

// Inject adds a fault; the returned function removes it (safe to call more than once). Faults are checked in
// the order they were added and the first match applies. It panics for an unknown Kind, or a [FaultStatus]
// without a valid Status, since that is a mistake in the test.
func (s *Server) Inject(f Fault) (remove func()) {
	f.check()
	e := &faultEntry{f: f, left: f.Times, segs: pathSegs(f.Path)}
	s.faults.mu.Lock()
	s.faults.fs = append(s.faults.fs, e)
	s.faults.mu.Unlock()
	return func() { s.faults.remove(e) }
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.fs = nil
	s.faults.mu.Unlock()
}

func (fs *faultSet) remove(e *faultEntry) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, x := range fs.fs {
		if x == e {
			fs.fs = append(fs.fs[:i:i], fs.fs[i+1:]...)
			return
		}
	}
}

// take returns the fault to apply to this request, consuming one of its Times.
// agent resolves the username of the request's caller lazily, only for faults scoped by Agent.
func (fs *faultSet) take(method, apiPath string, agent func() string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	segs := strings.Split(strings.Trim(apiPath, "/"), "/")
	who, resolved := "", false
	for i, e := range fs.fs {
		if e.f.Method != "" && !strings.EqualFold(e.f.Method, method) {
			continue
		}
		if e.f.Agent != "" {
			if !resolved {
				who, resolved = agent(), true
			}
			if who != e.f.Agent {
				continue
			}
		}
		if e.segs != nil && !matchSegs(e.segs, segs, nil) {
			continue
		}
		if p := e.f.Probability; p > 0 && p < 1 && fs.rng.Float64() >= p {
			continue
		}
		f := e.f
		if e.left > 0 {
			e.left--
			if e.left == 0 {
				fs.fs = append(fs.fs[:i:i], fs.fs[i+1:]...)
			}
		}
		return &f
	}
	return nil
}

// writeFault sends the faulty response; real is the handler's response for AfterHandler faults.
func writeFault(w http.ResponseWriter, f *Fault, real *response) {
	switch f.kind() {
	case FaultCloseConnection, FaultDropMidResponse:
		closeConn(w, f, real)
	case FaultNonJSON:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		body := fmt.Sprintf("<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center>"+
			"<hr><center>nginx</center></body></html>\n", status, http.StatusText(status), status, http.StatusText(status))
		resp := &response{status: status, header: http.Header{"Content-Type": {"text/html"}}, body: []byte(body)}
		withRetryAfter(resp, f).write(w)
	case FaultValidation422:
		newJSON(http.StatusUnprocessableEntity, validationBody([]verr{errMissing([]any{"body", "title"}, map[string]any{})})).write(w)
	case FaultTruncate:
		full := truncSource(real)
		resp := &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}}, body: full[:len(full)/2]}
		resp.write(w)
	default:
		withRetryAfter(newJSON(f.Status, faultEnvelope(f.Status)), f).write(w)
	}
}

func withRetryAfter(r *response, f *Fault) *response {
	if f.RetryAfter != "" {
		r.header["Retry-After"] = []string{f.RetryAfter}
	}
	return r
}

// faultEnvelope is the live error body for an injected status.
func faultEnvelope(status int) map[string]any {
	switch {
	case status == http.StatusTooManyRequests:
		return codedBody(codeRateLimited, "Rate limit exceeded. Please slow down.")
	case status == http.StatusUnauthorized:
		return codedBody(codeInvalidToken, "Invalid or expired token")
	case status == http.StatusServiceUnavailable || status == http.StatusBadGateway || status == http.StatusGatewayTimeout:
		return codedBody(codeUnavailable, "Service temporarily unavailable")
	case status >= 500:
		return codedBody(codeInternal, "Internal server error")
	case status == http.StatusNotFound:
		return codedBody(codeNotFound, "Not found")
	case status == http.StatusConflict:
		return codedBody(codeConflict, "Conflict")
	}
	return stringBody(http.StatusText(status))
}

func truncSource(real *response) []byte {
	if real != nil && len(real.body) >= 4 {
		return real.body
	}
	return []byte(`{"items": [{"id": "00000000-0000-4000-8000-000000000000", "title": "truncated"}], "total": 1}`)
}

func closeConn(w http.ResponseWriter, f *Fault, real *response) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	if f.kind() != FaultDropMidResponse {
		return
	}
	full := truncSource(real)
	status := http.StatusOK
	if real != nil {
		status = real.status
	}
	writePartial(buf.Writer, status, full)
	_ = buf.Flush()
}

func writePartial(bw *bufio.Writer, status int, full []byte) {
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\n\r\n",
		status, http.StatusText(status), strconv.Itoa(len(full)))
	_, _ = bw.Write(full[:len(full)/2])
}

// requestAgent returns the username behind r: the owner of its bearer token (expired or not), or for a token
// exchange the owner of the API key in its JSON or form body; "" when there is none.
func (s *Server) requestAgent(r *http.Request, body []byte) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if scheme, tok, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " "); ok && strings.EqualFold(scheme, "bearer") {
		if t := s.st.tokens[strings.TrimSpace(tok)]; t != nil {
			return t.user.username
		}
		return ""
	}
	var in struct {
		APIKey string `json:"api_key"`
	}
	if json.Unmarshal(body, &in) != nil || in.APIKey == "" {
		if v, err := url.ParseQuery(string(body)); err == nil {
			in.APIKey = v.Get("api_key")
		}
	}
	if u := s.st.byKey[in.APIKey]; u != nil && in.APIKey != "" {
		return u.username
	}
	return ""
}
