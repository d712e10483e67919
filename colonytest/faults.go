package colonytest

import (
	"bufio"
	"fmt"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault scripts a misbehaviour for matching requests; see Server.Inject. A Fault with only Latency set delays
// matching requests and then handles them normally. Faults apply before routing and authentication, so they
// also hit unknown routes and POST /auth/token.
type Fault struct {
	// Method matches the HTTP method case-insensitively; "" matches any.
	Method string
	// Path matches the path relative to /api/v1 segment by segment, e.g. "/posts" or "/posts/{id}/comments"
	// ("{name}" or "*" matches one segment); "" matches any path. A leading "/api/v1" is ignored.
	Path string
	// Times applies the fault to the next Times matching requests; 0 means until removed.
	Times int
	// Status answers with this status and the live error envelope instead of handling the request.
	Status int
	// RetryAfter, when set, is sent as the Retry-After header with Status.
	RetryAfter string
	// AfterHandler runs the real handler first (its state changes and idempotency record commit) and then
	// applies the fault, modelling a response lost on the way back.
	AfterHandler bool
	// Latency delays the response; the wait ends early if the client goes away or the server closes.
	Latency time.Duration
	// CloseConnection hijacks the connection and closes it without a response; with Truncate it first sends the
	// status line, headers and half of the body (a connection dropped mid-response).
	CloseConnection bool
	// Truncate sends 200 with a JSON body cut in half (the real body when AfterHandler is set).
	Truncate bool
	// NonJSON sends an HTML error page with Status (default 502).
	NonJSON bool
	// Validation422 sends FastAPI's list-shaped 422 {"detail": [{"loc", "msg", "type"}]}.
	Validation422 bool
	// Probability, when in (0, 1), applies the fault to each matching request with that probability (seeded by
	// WithFaultSeed); Times counts only applied requests.
	Probability float64
}

func (f *Fault) acts() bool {
	return f.Status != 0 || f.CloseConnection || f.Truncate || f.NonJSON || f.Validation422
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
// the order they were added and the first match applies.
func (s *Server) Inject(f Fault) (remove func()) {
	e := &faultEntry{f: f, left: f.Times}
	if p := strings.Trim(strings.TrimPrefix(f.Path, basePath), "/"); p != "" {
		e.segs = strings.Split(p, "/")
	}
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
func (fs *faultSet) take(method, apiPath string) *Fault {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	segs := strings.Split(strings.Trim(apiPath, "/"), "/")
	for i, e := range fs.fs {
		if e.f.Method != "" && !strings.EqualFold(e.f.Method, method) {
			continue
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
	switch {
	case f.CloseConnection:
		closeConn(w, f, real)
	case f.NonJSON:
		status := f.Status
		if status == 0 {
			status = http.StatusBadGateway
		}
		body := fmt.Sprintf("<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center>"+
			"<hr><center>nginx</center></body></html>\n", status, http.StatusText(status), status, http.StatusText(status))
		resp := &response{status: status, header: http.Header{"Content-Type": {"text/html"}}, body: []byte(body)}
		withRetryAfter(resp, f).write(w)
	case f.Validation422:
		newJSON(http.StatusUnprocessableEntity, validationBody([]verr{errMissing([]any{"body", "title"}, map[string]any{})})).write(w)
	case f.Truncate:
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
	if !f.Truncate {
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
