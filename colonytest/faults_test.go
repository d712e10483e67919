package colonytest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatusTimesAndRetryAfter(t *testing.T) {
	e := newEnv(t)
	remove := e.srv.Inject(Fault{Method: "get", Path: "/posts/{id}", Times: 2, Status: 503, RetryAfter: "7"})
	pid := e.createPost(e.alice, "x")["id"].(string)
	for i := 0; i < 2; i++ {
		r := e.alice.call("GET", "/posts/"+pid, nil).must(503)
		assert.Equal(t, "7", r.header.Get("Retry-After"))
		assert.Equal(t, codeUnavailable, r.code())
	}
	e.alice.call("GET", "/posts/"+pid, nil).must(200)
	remove()

	e.srv.Inject(Fault{Path: "/api/v1/posts", Status: 429, RetryAfter: "1"})
	assert.Equal(t, codeRateLimited, e.alice.call("GET", "/posts", nil).must(429).code())
	assert.Equal(t, codeRateLimited, e.alice.call("POST", "/posts", map[string]any{}).must(429).code())
	e.alice.call("GET", "/posts/"+pid, nil).must(200)
	e.srv.ClearFaults()
	e.alice.call("GET", "/posts", nil).must(200)
}

func TestFaultBodies(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Path: "/users/me", Times: 1, NonJSON: true, Status: 502})
	r := e.alice.call("GET", "/users/me", nil).must(502)
	assert.Contains(t, r.header.Get("Content-Type"), "text/html")
	assert.Contains(t, string(r.raw), "<html>")

	e.srv.Inject(Fault{Path: "/users/me", Times: 1, Validation422: true})
	r = e.alice.call("GET", "/users/me", nil).must(422)
	assert.IsType(t, []any{}, r.obj()["detail"])

	e.srv.Inject(Fault{Path: "/users/me", Times: 1, Truncate: true})
	r = e.alice.call("GET", "/users/me", nil).must(200)
	assert.False(t, json.Valid(r.raw))
	assert.NotEmpty(t, r.raw)

	e.srv.Inject(Fault{Path: "/users/me", Times: 1, Truncate: true, AfterHandler: true})
	r = e.alice.call("GET", "/users/me", nil).must(200)
	assert.True(t, strings.HasPrefix(string(r.raw), `{"id":"`+e.aliceA.ID))
	assert.False(t, json.Valid(r.raw))
}

// rawGet issues a request without the test helper's assertions, for faults that break the connection.
func rawGet(t *testing.T, a *api, path string) (*http.Response, error) {
	req, err := http.NewRequest("GET", a.srv.URL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+a.tok)
	// A fresh connection: net/http silently retries idempotent requests that fail on a reused one.
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	return res, err
}

func TestFaultCloseConnection(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Path: "/users/me", Times: 1, CloseConnection: true})
	_, err := rawGet(t, e.alice, "/users/me")
	require.Error(t, err)

	e.srv.Inject(Fault{Path: "/users/me", Times: 1, CloseConnection: true, Truncate: true, AfterHandler: true})
	res, err := rawGet(t, e.alice, "/users/me")
	require.Error(t, err, "mid-response close")
	require.NotNil(t, res)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	e.alice.call("GET", "/users/me", nil).must(200)
}

func TestFaultAfterHandlerCommitsState(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Method: "POST", Path: "/posts", Times: 1, Status: 502, AfterHandler: true})
	e.alice.call("POST", "/posts", map[string]any{"title": "lost", "body": "b", "colony_id": generalID}).must(502)
	assert.Equal(t, 1, e.srv.PostCount(), "the handler ran before the response was lost")
}

func TestFaultLatencyRespectsCancellation(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Path: "/users/me", Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", e.srv.URL()+"/users/me", nil)
	start := time.Now()
	_, err := e.alice.hc.Do(req)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded))
	assert.Less(t, time.Since(start), 5*time.Second)

	e.srv.ClearFaults()
	e.srv.Inject(Fault{Path: "/users/me", Times: 1, Latency: 30 * time.Millisecond})
	start = time.Now()
	e.alice.call("GET", "/users/me", nil).must(200)
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Millisecond)
}

func TestFaultProbabilityIsSeeded(t *testing.T) {
	count := func() int {
		srv := NewServer(t, WithFaultSeed(42))
		a := newAPI(t, srv)
		srv.Inject(Fault{Path: "/nope", Probability: 0.5, Status: 503})
		n := 0
		for i := 0; i < 40; i++ {
			if a.call("GET", "/nope", nil).status == 503 {
				n++
			}
		}
		return n
	}
	n := count()
	assert.Equal(t, n, count(), "same seed, same faults")
	assert.Greater(t, n, 5)
	assert.Less(t, n, 35)
}

func TestCloseStopsLatentHandlers(t *testing.T) {
	srv, err := Start()
	require.NoError(t, err)
	srv.Inject(Fault{Latency: time.Hour})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		res, err := http.Get(srv.URL() + "/colonies")
		if err == nil {
			res.Body.Close()
		}
	}()
	require.Eventually(t, func() bool { return len(srv.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	wg.Wait()
	srv.Close() // idempotent
}

func TestFaultKinds(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(Fault{Kind: FaultNonJSON, Path: "/users/me", Times: 1})
	r := e.alice.call("GET", "/users/me", nil).must(502)
	assert.Contains(t, string(r.raw), "<html>")
	e.srv.Inject(Fault{Kind: FaultValidation422, Path: "/users/me", Times: 1})
	assert.IsType(t, []any{}, e.alice.call("GET", "/users/me", nil).must(422).obj()["detail"])
	e.srv.Inject(Fault{Kind: FaultTruncate, Path: "/users/me", Times: 1})
	assert.False(t, json.Valid(e.alice.call("GET", "/users/me", nil).must(200).raw))
	e.srv.Inject(Fault{Kind: FaultStatus, Status: 418, Path: "/users/me", Times: 1})
	e.alice.call("GET", "/users/me", nil).must(418)
	e.srv.Inject(Fault{Kind: FaultLatencyOnly, Status: 500, Path: "/users/me", Times: 1}) // Status is ignored
	e.alice.call("GET", "/users/me", nil).must(200)
	e.srv.Inject(Fault{Kind: FaultCloseConnection, Path: "/users/me", Times: 1})
	_, err := rawGet(t, e.alice, "/users/me")
	assert.Error(t, err)

	for _, f := range []Fault{{Kind: "explode"}, {Kind: FaultStatus}, {Kind: FaultStatus, Status: 1000}} {
		assert.Panics(t, func() { e.srv.Inject(f) }, "%+v", f)
	}
	// The deprecated booleans map onto kinds.
	for f, k := range map[*Fault]FaultKind{
		{CloseConnection: true, Truncate: true}: FaultDropMidResponse, {CloseConnection: true}: FaultCloseConnection,
		{Truncate: true}: FaultTruncate, {NonJSON: true}: FaultNonJSON, {Validation422: true}: FaultValidation422,
		{Status: 503}: FaultStatus, {Latency: time.Millisecond}: FaultLatencyOnly, {Kind: FaultTruncate, NonJSON: true}: FaultTruncate,
	} {
		assert.Equal(t, k, f.kind(), "%+v", *f)
	}
}

func TestFaultScopedByAgent(t *testing.T) {
	e := newEnv(t)
	e.alice.call("GET", "/users/me", nil).must(200) // both agents hold tokens before the faults
	e.bob.call("GET", "/users/me", nil).must(200)
	e.srv.Inject(Fault{Agent: "alice", Method: "GET", Path: "/api/v1/users/me", Times: 2, Kind: FaultStatus, Status: 503})
	e.bob.call("GET", "/users/me", nil).must(200)
	e.anon.call("GET", "/users/me", nil).must(401)
	e.alice.call("GET", "/users/me", nil).must(503)
	e.alice.call("GET", "/users/me", nil).must(503)
	e.alice.call("GET", "/users/me", nil).must(200)

	// A token exchange is matched by the API key in its body, JSON or form-encoded.
	e.srv.Inject(Fault{Agent: "bob", Path: "/auth/token", Kind: FaultStatus, Status: 500})
	e.anon.call("POST", "/auth/token", map[string]any{"api_key": e.aliceA.APIKey}).must(200)
	e.anon.call("POST", "/auth/token", map[string]any{"api_key": e.bobA.APIKey}).must(500)
	resp, err := http.Post(e.srv.URL()+"/auth/token", "application/x-www-form-urlencoded",
		strings.NewReader("api_key="+e.bobA.APIKey))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 500, resp.StatusCode)
}

func TestRequestCountOnePathConvention(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "x")["id"].(string)
	e.srv.ResetRequests()
	e.alice.call("GET", "/posts/"+pid, nil).must(200)
	e.alice.call("GET", "/posts/"+pid, nil).must(200)
	e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "hi"}).must(201)
	for _, p := range []string{"/posts/{id}", "/api/v1/posts/{id}", "posts/*", "/api/v1/posts/" + pid} {
		assert.Equal(t, 2, e.srv.RequestCount("GET", p), p)
	}
	assert.Equal(t, 1, e.srv.RequestCount("post", "/posts/{id}/comments"))
	assert.Equal(t, 3, e.srv.RequestCount("", ""))
	assert.Equal(t, 0, e.srv.RequestCount("GET", "/posts"))
	assert.Equal(t, 0, e.srv.RequestCount("DELETE", "/posts/{id}"))
	for _, r := range e.srv.Requests() {
		assert.True(t, strings.HasPrefix(r.Path, "/api/v1/"), r.Path)
	}
}

func TestWithRateLimitRefusesUnknownKinds(t *testing.T) {
	assert.PanicsWithValue(t, `colonytest: unknown rate-limit kind "post"`, func() { WithRateLimit("post", 1, time.Hour) })
	assert.NotPanics(t, func() { WithRateLimit(RateLimitVaultSearch, 1, time.Hour) })
	e := newEnv(t, WithRateLimit(RateLimitPost, 1, time.Hour))
	e.createPost(e.alice, "one")
	e.alice.call("POST", "/posts", map[string]any{"title": "two", "body": "b", "colony_id": generalID}).must(429)
}
