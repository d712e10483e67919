package colony_test

// Tests of the request core (issues 11 and 12): the token source under a slow
// store, panics that release what they hold, bounded headers, no silent zero
// values, page cycles, encoded dot segments, the SDK's timeout and single
// "colony:" prefixes. Secrets in hook headers are checked by the secrets tour
// (guarantees_secrets_test.go).

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// slowStore is a TokenStore whose every operation takes 1 ms, like a remote store.
type slowStore struct {
	colony.MemoryTokenStore
	ops atomic.Int64
}

func (s *slowStore) Get(ctx context.Context, key string) (colony.Token, bool, error) {
	s.ops.Add(1)
	time.Sleep(time.Millisecond)
	return s.MemoryTokenStore.Get(ctx, key)
}

func (s *slowStore) Set(ctx context.Context, key string, tok colony.Token) error {
	s.ops.Add(1)
	time.Sleep(time.Millisecond)
	return s.MemoryTokenStore.Set(ctx, key, tok)
}

func (s *slowStore) Delete(ctx context.Context, key string) error {
	s.ops.Add(1)
	time.Sleep(time.Millisecond)
	return s.MemoryTokenStore.Delete(ctx, key)
}

// TestTokenExpiriesUnderSlowStore: 64 callers, a store taking 1 ms per operation,
// and several forced expiries (the server's clock jumps past the token lifetime
// while the client still holds the token): no call fails, and each expiry costs
// exactly one token exchange. The replay after a 401 never reuses the dead token.
func TestTokenExpiriesUnderSlowStore(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithClock(time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)))
	agent := srv.NewAgent("alice")
	store := &slowStore{MemoryTokenStore: *colony.NewMemoryTokenStore()}
	c, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()), colony.WithTokenStore(store))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()

	const expiries, callers, calls = 4, 64, 5
	var failed atomic.Int64
	for round := 0; round <= expiries; round++ {
		if round > 0 {
			srv.Advance(25 * time.Hour) // every token issued so far is now expired on the server
		}
		var wg sync.WaitGroup
		for range callers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range calls {
					if _, err := c.Users.Me(ctx); err != nil {
						failed.Add(1)
						t.Log(err)
					}
				}
			}()
		}
		wg.Wait()
	}
	tokens := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/auth/token" {
			tokens++
		}
	}
	assert.Zero(t, failed.Load(), "no call fails around an expiry")
	assert.Equal(t, 1+expiries, tokens, "one token exchange at the start and one per expiry")
}

// coreServer is an edge server that issues canaryJWT and hands every other request to h.
func coreServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	return colony.NewEdgeServer(t, canaryJWT, h)
}

const canaryJWT = "eyJCANARY.core.token"

func coreClient(t *testing.T, srv *httptest.Server, opts ...colony.Option) *colony.Client {
	t.Helper()
	all := append([]colony.Option{colony.WithBaseURL(srv.URL + "/api/v1"),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond})}, opts...)
	c, err := colony.NewClient("col_core_test_key_123", all...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func recoverPanic(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

var bigPost = `{"id":"p1","title":"` + strings.Repeat("x", 100<<10) + `"}`

// TestPanicsReleaseConnections: a panic in a response hook, in the slog handler
// or in OnStateChange reaches the caller, and the response's connection goes back
// to the pool: with 2 connections, calls after 8 recovered panics still succeed.
func TestPanicsReleaseConnections(t *testing.T) {
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/posts/down" {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"detail":"` + strings.Repeat("e", 100<<10) + `"}`))
			return
		}
		_, _ = w.Write([]byte(bigPost))
	})
	var armed atomic.Bool
	boom := func() {
		if armed.Load() {
			panic("boom")
		}
	}
	cases := map[string]colony.Option{
		"response hook": colony.WithResponseHook(func(context.Context, colony.ResponseInfo) { boom() }),
		"request hook":  colony.WithRequestHook(func(context.Context, colony.RequestInfo) { boom() }),
		"slog handler":  colony.WithLogger(slog.New(panicHandler{boom})),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			c := coreClient(t, srv, opt, colony.WithMaxConnsPerHost(2))
			ctx := context.Background()
			_, err := c.Posts.Get(ctx, "p1") // token fetched before arming
			require.NoError(t, err)
			armed.Store(true)
			for range 8 {
				assert.Equal(t, "boom", recoverPanic(func() { _, _ = c.Posts.Get(ctx, "p1") }))
			}
			armed.Store(false)
			ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			p, err := c.Posts.Get(ctx, "p1")
			require.NoError(t, err, "the pool still has connections after the panics")
			assert.Equal(t, "p1", p.ID)
		})
	}
	t.Run("OnStateChange", func(t *testing.T) {
		bs := colony.DefaultBreakerSettings()
		bs.ConsecutiveFailures = 1
		bs.OnStateChange = func(_, to colony.BreakerState) {
			if to == colony.BreakerOpen {
				panic("boom")
			}
		}
		bs.OpenTimeout = time.Millisecond
		c := coreClient(t, srv, colony.WithBreaker(bs), colony.WithMaxConnsPerHost(1), colony.WithRetry(colony.RetryPolicy{}))
		ctx := context.Background()
		_, err := c.Posts.Get(ctx, "p1")
		require.NoError(t, err)
		assert.Equal(t, "boom", recoverPanic(func() { _, _ = c.Posts.Get(ctx, "down") }))
		require.Eventually(t, func() bool { return c.BreakerState() == colony.BreakerHalfOpen }, 5*time.Second, time.Millisecond)
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		p, err := c.Posts.Get(ctx, "p1")
		require.NoError(t, err, "the probe gets the only connection: the 500's body was closed")
		assert.Equal(t, "p1", p.ID)
	})
}

type panicHandler struct{ boom func() }

func (h panicHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h panicHandler) Handle(context.Context, slog.Record) error {
	h.boom()
	return nil
}
func (h panicHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h panicHandler) WithGroup(string) slog.Handler      { return h }

// panicTransport panics on the requests it is told to.
type panicTransport struct {
	next  http.RoundTripper
	panic atomic.Bool
}

func (p *panicTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if p.panic.Load() && r.URL.Path != "/api/v1/auth/token" {
		panic("transport boom")
	}
	return p.next.RoundTrip(r)
}

// TestPanicDuringHalfOpenProbeGivesTheSlotBack: a transport that panics while
// carrying the half-open probe does not leave the breaker half-open for good.
func TestPanicDuringHalfOpenProbeGivesTheSlotBack(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"id":"p1"}`))
	})
	pt := &panicTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(pt.next.(*http.Transport).CloseIdleConnections)
	bs := colony.BreakerSettings{ConsecutiveFailures: 1, OpenTimeout: time.Millisecond, HalfOpenProbes: 1}
	c := coreClient(t, srv, colony.WithBreaker(bs), colony.WithRetry(colony.RetryPolicy{}),
		colony.WithHTTPClient(&http.Client{Transport: pt}))
	ctx := context.Background()
	_, err := c.Posts.Get(ctx, "p1")
	require.ErrorIs(t, err, colony.ErrServer)
	require.Eventually(t, func() bool { return c.BreakerState() == colony.BreakerHalfOpen }, 5*time.Second, time.Millisecond)

	pt.panic.Store(true)
	assert.Equal(t, "transport boom", recoverPanic(func() { _, _ = c.Posts.Get(ctx, "p1") }))
	pt.panic.Store(false)
	fail.Store(false)
	require.Eventually(t, func() bool {
		_, err := c.Posts.Get(ctx, "p1")
		return err == nil
	}, 5*time.Second, time.Millisecond, "a later probe goes through and closes the breaker")
	assert.Equal(t, colony.BreakerClosed, c.BreakerState())
}

// TestResponseHeadersAreBounded: 2 MiB of response headers are refused by the
// default transport instead of being held in memory.
func TestResponseHeadersAreBounded(t *testing.T) {
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		for i := range 40_000 {
			w.Header().Add("X-Pad", fmt.Sprintf("%050d", i))
		}
		_, _ = w.Write([]byte(`{"id":"p1"}`))
	})
	c := coreClient(t, srv, colony.WithRetry(colony.RetryPolicy{}))
	_, err := c.Posts.Get(context.Background(), "p1")
	var ne *colony.NetworkError
	require.ErrorAs(t, err, &ne)
	assert.Contains(t, err.Error(), "header")
}

// TestEmptySuccessBodiesAreDecodeErrors: a 2xx that is empty, blank or null where a
// value is expected is a *DecodeError, never a zero value.
func TestEmptySuccessBodiesAreDecodeErrors(t *testing.T) {
	bodies := map[string]string{"empty": "", "blank": " \n\t", "null": "null", "null padded": " null \n"}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
			c := coreClient(t, srv)
			p, err := c.Posts.Get(context.Background(), "p1")
			assert.Nil(t, p)
			var de *colony.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, http.StatusOK, de.StatusCode)
		})
	}
	t.Run("204 where a post is expected", func(t *testing.T) {
		srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
		_, err := coreClient(t, srv).Posts.Get(context.Background(), "p1")
		var de *colony.DecodeError
		require.ErrorAs(t, err, &de)
	})
	t.Run("204 where nothing is expected", func(t *testing.T) {
		srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
		require.NoError(t, coreClient(t, srv).Posts.Delete(context.Background(), "p1"))
	})
}

// TestIteratorsEndOnPageCycles: a server answering pages A, B, A, B ... with
// has_more true ends the walk with ErrPageStalled after the cycle repeats.
func TestIteratorsEndOnPageCycles(t *testing.T) {
	var requests atomic.Int64
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		id := "a"
		if n%2 == 0 {
			id = "b"
		}
		_, _ = fmt.Fprintf(w, `{"items":[{"id":"%s1"},{"id":"%s2"}],"total":1000000,"has_more":true}`, id, id)
	})
	c := coreClient(t, srv)
	var items int
	var last error
	for p, err := range c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: 2}) {
		if err != nil {
			last = err
			break
		}
		require.NotNil(t, p)
		items++
	}
	require.ErrorIs(t, last, colony.ErrPageStalled)
	assert.Equal(t, 4, items, "pages A and B, then A again ends the walk")
	assert.EqualValues(t, 3, requests.Load())
}

// TestDoRefusesEncodedDotSegments: %2e spellings of "." and ".." are refused like
// the plain ones, before any request.
func TestDoRefusesEncodedDotSegments(t *testing.T) {
	var hits atomic.Int64
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
	c := coreClient(t, srv)
	for _, p := range []string{"/posts/%2e%2e/users", "/posts/%2E", "/a/.%2e/b", "/a/%2e./b", "/a/%2E%2E", "/a/../b", "/a/./b", "/a/%zz"} {
		err := c.Do(context.Background(), "GET", p, nil, nil)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, p)
	}
	assert.Zero(t, hits.Load())
}

// TestSDKTimeoutMatchesDeadlineExceeded: the client's own timeout is reported as
// context.DeadlineExceeded and says it was the client's timeout; "colony:" once.
func TestSDKTimeoutMatchesDeadlineExceeded(t *testing.T) {
	release := make(chan struct{})
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := coreClient(t, srv, colony.WithTimeout(50*time.Millisecond), colony.WithRetry(colony.RetryPolicy{}))
	start := time.Now()
	_, err := c.Posts.Get(context.Background(), "p1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "WithTimeout")
	assert.Equal(t, 1, strings.Count(err.Error(), "colony:"), err.Error())
	assert.Less(t, time.Since(start), 5*time.Second)
}

// TestErrorsNameTheSDKOnce: wrapped errors print "colony:" once.
func TestErrorsNameTheSDKOnce(t *testing.T) {
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	bs := colony.BreakerSettings{ConsecutiveFailures: 1, OpenTimeout: time.Hour, HalfOpenProbes: 1}
	c := coreClient(t, srv, colony.WithBreaker(bs), colony.WithRetry(colony.RetryPolicy{}))
	_, err := c.Posts.Get(context.Background(), "p1")
	require.ErrorIs(t, err, colony.ErrServer)
	_, err = c.Posts.Get(context.Background(), "p1")
	require.ErrorIs(t, err, colony.ErrCircuitOpen)
	assert.Equal(t, 1, strings.Count(err.Error(), "colony:"), err.Error())

	bad := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"token_type":"bearer"}`)) // a 200 token answer without a token
	}))
	_, err = coreClient(t, bad).Posts.Get(context.Background(), "p1")
	var de *colony.DecodeError
	require.ErrorAs(t, err, &de, "a token answer without a token is a decode error")
	assert.NotErrorIs(t, err, colony.ErrInvalidArgument)
	assert.Equal(t, 1, strings.Count(err.Error(), "colony:"), err.Error())
}

// TestEmptyPostUpdateOneRule: colonytest, like the live server, answers an update
// with no field with 200 and the unchanged post; the SDK refuses it locally as a
// probable mistake and sends nothing.
func TestEmptyPostUpdateOneRule(t *testing.T) {
	srv := colonytest.NewServer(t)
	agent := srv.NewAgent("alice")
	c, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	ctx := context.Background()
	p, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: "A title", Body: "A body"})
	require.NoError(t, err)
	srv.ResetRequests()

	_, err = c.Posts.Update(ctx, p.ID, &colony.PostUpdateParams{})
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.Empty(t, srv.Requests(), "refused locally")

	var out colony.Post
	require.NoError(t, c.Do(ctx, "PUT", "/posts/"+p.ID, map[string]any{}, &out))
	assert.Equal(t, "A title", out.Title, "the server accepts {} and changes nothing")
}

// TestPerCallTimeoutAndRetry: WithCallTimeout and WithCallRetry override the
// client's settings for one call only.
func TestPerCallTimeoutAndRetry(t *testing.T) {
	var hits atomic.Int64
	release := make(chan struct{})
	defer close(release)
	srv := coreServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/posts/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		default:
			if hits.Add(1)%4 != 0 { // 503, 503, 503, then 200
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte(`{"id":"p1"}`))
		}
	})
	c := coreClient(t, srv, colony.WithRetry(colony.RetryPolicy{}), colony.WithoutBreaker())
	ctx := context.Background()

	_, err := c.Posts.Get(ctx, "slow", colony.WithCallTimeout(30*time.Millisecond))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "WithCallTimeout")

	_, err = c.Posts.Get(ctx, "p1")
	require.ErrorIs(t, err, colony.ErrServer, "the client retries nothing")
	hits.Store(0)
	var resp colony.Response
	p, err := c.Posts.Get(ctx, "p1", colony.WithResponseInto(&resp),
		colony.WithCallRetry(colony.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	require.NoError(t, err)
	assert.Equal(t, "p1", p.ID)
	assert.Equal(t, 4, resp.Attempts, "three retries for this call")
	hits.Store(0)
	_, err = c.Posts.Get(ctx, "p1")
	require.ErrorIs(t, err, colony.ErrServer, "the next call is back to the client's policy")
	assert.EqualValues(t, 1, hits.Load())

	for _, bad := range []colony.RequestOption{colony.WithCallTimeout(0), colony.WithCallRetry(colony.RetryPolicy{MaxRetries: -1})} {
		_, err := c.Posts.Get(ctx, "p1", bad)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	}
}
