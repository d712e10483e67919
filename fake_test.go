package colony

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Canary secrets: tests scan errors, logs and hook data for them.
const (
	canaryKey = "col_CANARY_api_key_3f9a7c"
	canaryJWT = "eyJCANARY.jwt.token-7d1e"
)

// fakeAPI is a small httptest server for transport-level edge cases: it issues
// tokens on POST /api/v1/auth/token and routes everything else to handlers
// registered on mux (patterns relative to /api/v1, e.g. "GET /posts/{id}").
type fakeAPI struct {
	t          *testing.T
	srv        *httptest.Server
	mux        *http.ServeMux
	tokenCalls atomic.Int32
	mu         sync.Mutex
	tokens     map[string]bool // valid tokens
	requests   []recordedRequest
}

type recordedRequest struct {
	Method, Path, RawPath, Query string
	Header                       http.Header
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, mux: http.NewServeMux(), tokens: map[string]bool{}}
	root := http.NewServeMux()
	root.HandleFunc("POST /api/v1/auth/token", f.issueToken)
	root.Handle("/api/v1/", http.StripPrefix("/api/v1", f.mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("%s %s bypassed the base path", r.Method, r.URL)
		http.Error(w, "base path not preserved", http.StatusInternalServerError)
	})
	f.srv = NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, recordedRequest{r.Method, r.URL.Path, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone()})
		f.mu.Unlock()
		root.ServeHTTP(w, r)
	}))
	return f
}

// NewEdgeServer starts the one httptest server of the test suites for transport edge
// cases (the colonytest server covers behaviour); it is exported for the colony_test package.
// With a non-empty token it answers POST /api/v1/auth/token with that token and hands every
// other request to h; with an empty token h receives every request. Each configure function
// may set up the http.Server (a ConnState hook, say) before the server starts.
func NewEdgeServer(t testing.TB, token string, h http.Handler, configure ...func(*http.Server)) *httptest.Server {
	t.Helper()
	if token != "" {
		mux := http.NewServeMux()
		mux.HandleFunc("POST /api/v1/auth/token", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"access_token":"`+token+`","token_type":"bearer"}`)
		})
		mux.Handle("/", h)
		h = mux
	}
	srv := httptest.NewUnstartedServer(h)
	for _, f := range configure {
		f(srv.Config)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func (f *fakeAPI) issueToken(w http.ResponseWriter, r *http.Request) {
	n := f.tokenCalls.Add(1)
	if r.Header.Get("Authorization") != "" {
		f.t.Errorf("token request carried an Authorization header")
	}
	var body struct {
		APIKey string `json:"api_key"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || !strings.HasPrefix(body.APIKey, "col_") {
		writeJSON(w, 401, map[string]any{"detail": map[string]any{"message": "Invalid API key", "code": "AUTH_INVALID_KEY"}})
		return
	}
	tok := fmt.Sprintf("%s-%d", canaryJWT, n)
	f.mu.Lock()
	f.tokens[tok] = true
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": tok, "token_type": "bearer"})
}

// authed reports whether r carries a currently valid token.
func (f *fakeAPI) authed(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	return ok && f.tokens[tok]
}

// revokeTokens invalidates every token issued so far.
func (f *fakeAPI) revokeTokens() {
	f.mu.Lock()
	clear(f.tokens)
	f.mu.Unlock()
}

// handle registers h behind a token check that answers 401 AUTH_INVALID_TOKEN.
func (f *fakeAPI) handle(pattern string, h http.HandlerFunc) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if !f.authed(r) {
			writeJSON(w, 401, map[string]any{"detail": map[string]any{"message": "Invalid or expired token", "code": "AUTH_INVALID_TOKEN"}})
			return
		}
		h(w, r)
	})
}

// count returns how many requests matched method and API path (relative to /api/v1).
func (f *fakeAPI) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Method == method && r.Path == "/api/v1"+path {
			n++
		}
	}
	return n
}

// fastRetry keeps retry tests quick.
var fastRetry = RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

func (f *fakeAPI) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithBaseURL(f.srv.URL + "/api/v1/"), WithRetry(fastRetry), WithoutBreaker()}, opts...)
	c, err := NewClient(canaryKey, all...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// requireNoSecret fails if s contains the canary key or token.
func requireNoSecret(t *testing.T, what, s string) {
	t.Helper()
	require.NotContains(t, s, canaryKey, "%s leaks the API key", what)
	require.NotContains(t, s, "CANARY", "%s leaks a secret", what)
}
