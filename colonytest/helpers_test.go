package colonytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// api is a plain net/http client for one agent (or none) against a Server. Every response it receives is
// checked: 2xx JSON bodies against the live schema of the route, error bodies against the live envelopes.
type api struct {
	t       testing.TB
	srv     *Server
	hc      *http.Client
	tok     string
	noCheck bool // skip the schema checks (load tests)
}

// unchecked returns a copy of a that skips the per-response schema checks.
func (a *api) unchecked() *api {
	b := *a
	b.noCheck = true
	return &b
}

func newAPI(t testing.TB, srv *Server) *api {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &api{t: t, srv: srv, hc: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// as returns a client authenticated as the agent with the given API key.
func (a *api) as(apiKey string) *api {
	a.t.Helper()
	r := a.call("POST", "/auth/token", map[string]any{"api_key": apiKey})
	require.Equal(a.t, 200, r.status, string(r.raw))
	b := *a
	b.tok = r.obj()["access_token"].(string)
	return &b
}

type resp struct {
	t      testing.TB
	status int
	header http.Header
	raw    []byte
}

func (r *resp) obj() map[string]any {
	r.t.Helper()
	var m map[string]any
	require.NoError(r.t, json.Unmarshal(r.raw, &m), string(r.raw))
	return m
}

func (r *resp) list() []any {
	r.t.Helper()
	var l []any
	require.NoError(r.t, json.Unmarshal(r.raw, &l), string(r.raw))
	return l
}

// code returns detail.code of a coded error envelope, or "".
func (r *resp) code() string {
	var m struct {
		Detail json.RawMessage `json:"detail"`
	}
	_ = json.Unmarshal(r.raw, &m)
	var d struct{ Code string }
	_ = json.Unmarshal(m.Detail, &d)
	return d.Code
}

// call sends one request; body may be nil, []byte / string (sent raw) or any value (JSON-encoded). hdr is
// alternating header names and values.
func (a *api) call(method, path string, body any, hdr ...string) *resp {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		require.NoError(a.t, err)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.srv.URL()+path, rd)
	require.NoError(a.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.tok != "" {
		req.Header.Set("Authorization", "Bearer "+a.tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := a.hc.Do(req)
	require.NoError(a.t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(a.t, err)
	r := &resp{t: a.t, status: res.StatusCode, header: res.Header, raw: raw}
	if !a.noCheck {
		checkResponse(a.t, a.srv, method, req.URL.EscapedPath(), r)
	}
	return r
}

// must asserts the status and returns the response.
func (r *resp) must(status int) *resp {
	r.t.Helper()
	require.Equal(r.t, status, r.status, "body: %s", r.raw)
	return r
}

// ---- live-schema checks ----

var (
	schemaOnce sync.Once
	schemaDoc  map[string]any
	schemaOps  map[string]string
	schemaMu   sync.Mutex
	compiled   = map[string]*jsonschema.Schema{}
	compiler   *jsonschema.Compiler
)

func loadSchemas(t testing.TB) {
	schemaOnce.Do(func() {
		data, err := os.ReadFile("testdata/openapi_schemas.json")
		if err != nil {
			return
		}
		var f struct {
			Schemas    map[string]any    `json:"schemas"`
			Refs       map[string]any    `json:"refs"`
			Operations map[string]string `json:"operations"`
		}
		if json.Unmarshal(data, &f) != nil {
			return
		}
		all := map[string]any{}
		for k, v := range f.Refs {
			all[k] = v
		}
		for k, v := range f.Schemas {
			all[k] = v
		}
		doc := map[string]any{"components": map[string]any{"schemas": all}}
		compiler = jsonschema.NewCompiler()
		compiler.AssertFormat()
		if compiler.AddResource("mem://openapi.json", roundTrip(doc)) != nil {
			return
		}
		schemaDoc, schemaOps = all, f.Operations
	})
	require.NotNil(t, schemaOps, "testdata/openapi_schemas.json must load")
}

// roundTrip re-decodes v with jsonschema's decoder (numbers as json.Number).
func roundTrip(v any) any {
	b, _ := json.Marshal(v)
	out, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	return out
}

// schemaFor compiles a live schema by name; nil when the snapshot lacks it.
func schemaFor(t testing.TB, name string) *jsonschema.Schema {
	loadSchemas(t)
	schemaMu.Lock()
	defer schemaMu.Unlock()
	if s, ok := compiled[name]; ok {
		return s
	}
	var s *jsonschema.Schema
	if _, ok := schemaDoc[name]; ok {
		var err error
		s, err = compiler.Compile("mem://openapi.json#/components/schemas/" + name)
		require.NoError(t, err)
	}
	compiled[name] = s
	return s
}

// arrayRoutes are the routes whose live response is a bare array of the named schema.
var arrayRoutes = map[string]bool{
	"GET /notifications": true, "GET /messages/conversations": true, "GET /webhooks": true, "GET /colonies": true,
	"GET /wiki/{slug}/history": true,
}

// liveSchema returns the schema name the operations table gives the route, and whether it is an array.
func liveSchema(t testing.TB, srv *Server, method, escapedPath string) (string, bool) {
	loadSchemas(t)
	segs, ok := splitPath(escapedPath)
	if !ok {
		return "", false
	}
	rt, _, _ := srv.match(method, segs)
	if rt == nil {
		return "", false
	}
	key := method + " " + rt.pattern
	return schemaOps[method+" "+basePath+rt.pattern], arrayRoutes[key]
}

// validateAgainst validates a JSON body against a named live schema (each element when array is set).
func validateAgainst(t testing.TB, name string, array bool, raw []byte) bool {
	t.Helper()
	sch := schemaFor(t, name)
	if sch == nil {
		return false
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err, "%s", raw)
	items := []any{inst}
	if array {
		arr, ok := inst.([]any)
		require.True(t, ok, "expected a bare JSON array for %s: %s", name, raw)
		items = arr
	}
	for _, it := range items {
		require.NoError(t, sch.Validate(it), "response does not match live schema %s: %s", name, raw)
	}
	return true
}

// checkResponse enforces the live shapes on every response a test receives.
func checkResponse(t testing.TB, srv *Server, method, path string, r *resp) {
	t.Helper()
	ct := r.header.Get("Content-Type")
	if r.status == 204 || !strings.HasPrefix(ct, "application/json") || !json.Valid(r.raw) {
		return // faults deliberately send broken bodies
	}
	if r.status >= 400 {
		var env map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(r.raw, &env), "%s", r.raw)
		d, ok := env["detail"]
		require.True(t, ok, "error body without detail: %s", r.raw)
		switch d[0] {
		case '"':
		case '[':
			var l []verr
			require.NoError(t, json.Unmarshal(d, &l))
			for _, e := range l {
				require.NotEmpty(t, e.Type)
				require.NotEmpty(t, e.Loc)
				require.NotEmpty(t, e.Msg)
			}
		case '{':
			var c codedDetail
			require.NoError(t, json.Unmarshal(d, &c))
			require.NotEmpty(t, c.Message, "%s", r.raw)
			require.NotEmpty(t, c.Code, "%s", r.raw)
		default:
			t.Fatalf("bad detail %s", d)
		}
		return
	}
	if name, array := liveSchema(t, srv, method, path); name != "" {
		validateAgainst(t, name, array, r.raw)
	}
	if segs, ok := splitPath(path); ok {
		if rt, _, _ := srv.match(method, segs); rt != nil {
			validateParts(t, method+" "+rt.pattern, r.raw)
		}
	}
}

// partSchemas validates the parts of responses whose envelope has no live schema but whose members do.
var partSchemas = map[string][]struct {
	key, schema string
	array       bool
}{
	"GET /posts/{post_id}/comments": {{"items", "CommentOut", true}},
	"GET /posts/{post_id}/context": {{"post", "PostOut", false}, {"author", "UserOut", false},
		{"comments", "CommentOut", true}, {"related_posts", "PostOut", true}},
	"GET /agents/{username}/report": {{"user", "UserOut", false}},
}

func validateParts(t testing.TB, route string, raw []byte) {
	t.Helper()
	parts, ok := partSchemas[route]
	if !ok {
		return
	}
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &m))
	for _, p := range parts {
		require.Contains(t, m, p.key, route)
		validateAgainst(t, p.schema, p.array, m[p.key])
	}
}

// env is a server with two agents and their clients.
type env struct {
	srv          *Server
	anon         *api
	alice, bob   *api
	aliceA, bobA Agent
}

func newEnv(t *testing.T, opts ...Option) *env {
	srv := NewServer(t, opts...)
	e := &env{srv: srv, anon: newAPI(t, srv)}
	e.aliceA = srv.NewAgent("alice")
	e.bobA = srv.NewAgent("bob")
	e.alice = e.anon.as(e.aliceA.APIKey)
	e.bob = e.anon.as(e.bobA.APIKey)
	return e
}

const generalID = "2e549d01-99f2-459f-8924-48b2690b2170"

func (e *env) createPost(a *api, title string, extra ...map[string]any) map[string]any {
	body := map[string]any{"title": title, "body": "body of " + title, "colony_id": generalID}
	for _, x := range extra {
		for k, v := range x {
			body[k] = v
		}
	}
	return a.call("POST", "/posts", body).must(201).obj()
}
