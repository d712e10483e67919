package colony_test

// Count-based performance guarantees: deterministic assertions on what crossed
// the wire and on the live heap, never on time.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// perfServer is a cheap edge server (colony.NewEdgeServer) that counts TCP connections and token
// requests. It serves POST /auth/token, GET /posts/{id} (a small post) and
// GET /posts (perfItems generated posts, offset/limit, with has_more).
type perfServer struct {
	*httptest.Server
	items       int           // length of the GET /posts list
	tokenGate   chan struct{} // when non-nil, token requests wait until it is closed
	connCounter               // TCP connections opened, open now and open at most at once
	tokens      atomic.Int64  // POST /auth/token requests
	lists       atomic.Int64  // GET /posts requests
	gets        atomic.Int64  // GET /posts/{id} requests
	post        []byte
}

func newPerfServer(t *testing.T, items int) *perfServer {
	t.Helper()
	s := &perfServer{items: items, post: perfPostJSON(0)}
	s.Server = colony.NewEdgeServer(t, "", http.HandlerFunc(s.serve), func(hs *http.Server) { hs.ConnState = func(c net.Conn, st http.ConnState) { s.track(c, st) } })
	return s
}

func (s *perfServer) client(t *testing.T, opts ...colony.Option) *colony.Client {
	t.Helper()
	c, err := colony.NewClient("col_perf_key", append([]colony.Option{colony.WithBaseURL(s.URL + "/api/v1")}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func (s *perfServer) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	switch {
	case r.Method == http.MethodPost && path == "/auth/token":
		s.tokens.Add(1)
		if s.tokenGate != nil {
			<-s.tokenGate
		}
		writeBench(w, http.StatusOK, []byte(`{"access_token":"`+benchToken+`","token_type":"bearer"}`))
	case r.Header.Get("Authorization") != "Bearer "+benchToken:
		writeBench(w, http.StatusUnauthorized, []byte(`{"detail":"Not authenticated"}`))
	case r.Method == http.MethodGet && path == "/posts":
		s.lists.Add(1)
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		writeBench(w, http.StatusOK, perfPageJSON(off, limit, s.items))
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/posts/"):
		s.gets.Add(1)
		writeBench(w, http.StatusOK, s.post)
	default:
		writeBench(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
	}
}

// perfPostJSON is a small post (~150 bytes) whose id encodes n.
func perfPostJSON(n int) []byte {
	return perfAppendPost(nil, n)
}

func perfAppendPost(b []byte, n int) []byte {
	b = append(b, `{"id":"`...)
	b = append(b, perfPostID(n)...)
	b = append(b, `","author":{"id":"u1","username":"agent"},"title":"Post","created_at":"2026-01-01T00:00:00Z"}`...)
	return b
}

func perfPostID(n int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }

// perfPageJSON is the page [off, off+limit) of a list of total posts.
func perfPageJSON(off, limit, total int) []byte {
	end := min(off+limit, total)
	b := []byte(`{"items":[`)
	for n := off; n < end; n++ {
		if n > off {
			b = append(b, ',')
		}
		b = perfAppendPost(b, n)
	}
	return fmt.Appendf(b, `],"total":%d,"has_more":%t}`, total, end < total)
}

// 64 goroutines sharing one client never hold more than 64 requests in flight, so
// with the SDK's pooled transport they never need more than 64 connections: no
// connection churn however many calls they make. By default each goroutine makes
// 100 calls (the burst that opens connections is the first call of each; the rest
// prove reuse); COLONY_PERF_FULL=1 runs the full 64 × 10,000 calls, which takes
// about a minute on two cores and ~20 minutes under the race detector.
func TestPerfFanOutReusesConnections(t *testing.T) {
	const goroutines = 64
	calls := 100
	if os.Getenv("COLONY_PERF_FULL") == "1" {
		calls = 10_000
	}
	s := newPerfServer(t, 0)
	c := s.client(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				if _, err := c.Posts.Get(ctx, "p1"); err != nil {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, failed.Load(), "every call succeeded")
	assert.EqualValues(t, 1, s.tokens.Load(), "one token for the whole run")
	// The cap is 64 connections at once on the client side. The server counts a
	// connection until it sees it close, so on a loaded machine a connection the
	// client dropped and its replacement can overlap for a moment: allow a few.
	const slack = 8
	assert.LessOrEqual(t, s.opened.Load(), int64(goroutines+slack), "connections opened for %d calls", goroutines*calls)
	assert.LessOrEqual(t, s.peak.Load(), int64(goroutines+slack), "connections open at once")
	t.Logf("%d calls from %d goroutines: %d TCP connections opened, at most %d open at once",
		goroutines*calls, goroutines, s.opened.Load(), s.peak.Load())
}

// 100 goroutines making their first call at once share a single token request.
func TestPerfConcurrentFirstCallsFetchOneToken(t *testing.T) {
	const callers = 100
	s := newPerfServer(t, 0)
	s.tokenGate = make(chan struct{})
	c := s.client(t)
	var started, done sync.WaitGroup
	errs := make(chan error, callers)
	for range callers {
		started.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			started.Done()
			_, err := c.Posts.Get(context.Background(), "p1")
			errs <- err
		}()
	}
	started.Wait()     // every caller is about to call ...
	close(s.tokenGate) // ... and the token request is held until then
	done.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, s.tokens.Load(), "token requests")
	assert.EqualValues(t, callers, s.gets.Load(), "every caller's request was sent once, with the shared token")
}

// Iterating N items with page size P takes ⌈N/P⌉ requests when the server reports
// has_more: no extra request to discover the end (one for an empty list).
func TestPerfIterationRequestCount(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	agent := srv.NewAgent("reader")
	c, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	seeded := 0
	for _, tc := range []struct{ n, p int }{{0, 20}, {1, 20}, {19, 20}, {20, 20}, {21, 20}, {40, 20}, {100, 7}, {250, 100}, {250, 25}} {
		t.Run(fmt.Sprintf("N=%d,P=%d", tc.n, tc.p), func(t *testing.T) {
			for ; seeded < tc.n; seeded++ {
				srv.SeedPost("reader", colonytest.SeedPost{Title: fmt.Sprintf("post %d", seeded)})
			}
			before := perfListRequests(srv)
			ids := map[string]bool{}
			for p, err := range c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: tc.p}) {
				require.NoError(t, err)
				assert.False(t, ids[p.ID], "post %s yielded twice", p.ID)
				ids[p.ID] = true
			}
			assert.Len(t, ids, tc.n, "posts yielded")
			assert.Equal(t, max(1, (tc.n+tc.p-1)/tc.p), perfListRequests(srv)-before, "GET /posts requests")
		})
	}
}

func perfListRequests(srv *colonytest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/posts") {
			n++
		}
	}
	return n
}

// Iteration streams: the live heap while walking 100,000 posts stays within 1.2×
// of walking 1,000, so nothing accumulates per page.
func TestPerfIterationHeapIsFlat(t *testing.T) {
	const small, large = 1_000, 100_000
	peak := func(items int) uint64 {
		s := newPerfServer(t, items)
		c := s.client(t)
		var top uint64
		sample := func() {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapAlloc)
		}
		n := 0
		for p, err := range c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: 100}) {
			require.NoError(t, err)
			if n%5_000 == 500 { // mid-page, with the current page alive
				sample()
				require.Equal(t, perfPostID(n), p.ID)
			}
			n++
		}
		require.Equal(t, items, n)
		require.EqualValues(t, items/100, s.lists.Load())
		c.CloseIdleConnections()
		s.Close()
		return top
	}
	peak(small) // warm up: first-use allocations (type caches, pools) are not growth
	base, big := peak(small), peak(large)
	t.Logf("live heap: %d KiB iterating %d posts, %d KiB iterating %d", base>>10, small, big>>10, large)
	assert.LessOrEqual(t, float64(big), 1.2*float64(base), "live heap grew with the number of posts iterated")
}
