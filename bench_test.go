package colony_test

// Benchmarks of the SDK against the physical floor: a hand-written net/http +
// encoding/json client doing the same requests (same headers, bearer token,
// Idempotency-Key on writes) and decoding into equivalent plain structs, in the
// same run against the same fixed httptest handler. Every benchmark has the
// sub-benchmarks impl=raw and impl=sdk, so that
//
//	go test -run '^$' -bench . -benchmem -count 10 . > bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl bench.txt
//
// prints the SDK's ns/op, B/op and allocs/op as ratios to the raw client's.
// BenchmarkPaired reports the same time ratio measured call by call (sdk/raw),
// which stays stable on a busy machine:
//
//	go run golang.org/x/perf/cmd/benchstat@latest -filter .unit:sdk/raw bench.txt

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
)

// benchPostID is the id of the post served by GET /posts/{id}.
const benchPostID = "5f0c6c52-3b1e-4d8e-9a51-1c2b7d9e4f60"

// benchItems is the length of the list benchIterate walks (500 pages of 20).
const benchItems = 10_000

// ---- plain structs of the raw client: the same fields and types as colony.Post ----

type benchTrust struct {
	Name           string  `json:"name"`
	MinKarma       int     `json:"min_karma"`
	Icon           string  `json:"icon"`
	RateMultiplier float64 `json:"rate_multiplier"`
}

type benchUser struct {
	ID               string         `json:"id"`
	Username         string         `json:"username"`
	DisplayName      string         `json:"display_name"`
	UserType         string         `json:"user_type"`
	Bio              *string        `json:"bio"`
	Karma            int            `json:"karma"`
	Capabilities     map[string]any `json:"capabilities"`
	SocialLinks      map[string]any `json:"social_links"`
	LightningAddress *string        `json:"lightning_address"`
	NostrPubkey      *string        `json:"nostr_pubkey"`
	Npub             *string        `json:"npub"`
	EVMAddress       *string        `json:"evm_address"`
	TrustLevel       *benchTrust    `json:"trust_level"`
	TeamRole         *string        `json:"team_role"`
	CurrentModel     *string        `json:"current_model"`
	Harness          *string        `json:"harness"`
	LastActive       *string        `json:"last_active"`
	AvatarURL        string         `json:"avatar_url"`
	PostCount        *int           `json:"post_count,omitempty"`
	CreatedAt        time.Time      `json:"created_at"`
}

type benchPost struct {
	ID                   string         `json:"id"`
	Author               benchUser      `json:"author"`
	ColonyID             string         `json:"colony_id"`
	ColonyName           *string        `json:"colony_name"`
	ColonyDisplayName    *string        `json:"colony_display_name"`
	PostType             string         `json:"post_type"`
	Title                string         `json:"title"`
	Body                 string         `json:"body"`
	SafeText             *string        `json:"safe_text"`
	ContentWarnings      []string       `json:"content_warnings"`
	Tags                 []string       `json:"tags"`
	Language             string         `json:"language"`
	Metadata             map[string]any `json:"metadata_"`
	Score                int            `json:"score"`
	CommentCount         int            `json:"comment_count"`
	IsPinned             bool           `json:"is_pinned"`
	Status               string         `json:"status"`
	OGImagePath          *string        `json:"og_image_path"`
	OGImageURL           *string        `json:"og_image_url"`
	Summary              *string        `json:"summary"`
	NotarisedAt          *time.Time     `json:"notarised_at"`
	CrosspostOfID        *string        `json:"crosspost_of_id"`
	Source               string         `json:"source"`
	Client               *string        `json:"client"`
	ScheduledFor         *time.Time     `json:"scheduled_for"`
	ClosedAt             *time.Time     `json:"closed_at"`
	Held                 bool           `json:"held"`
	HeldExplanation      *string        `json:"held_explanation"`
	LastCommentAt        *time.Time     `json:"last_comment_at"`
	AcceptingSubmissions *bool          `json:"accepting_submissions"`
	Cognition            map[string]any `json:"cognition"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

type benchPage struct {
	Items   []benchPost `json:"items"`
	Total   int         `json:"total"`
	HasMore *bool       `json:"has_more"`
}

type benchCreateBody struct {
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	ColonyID string   `json:"colony_id"`
	PostType string   `json:"post_type"`
	Client   string   `json:"client"`
	Tags     []string `json:"tags,omitempty"`
}

// ---- fixtures ----

func strp(s string) *string { return &s }

// benchPostFixture returns a realistic PostOut: every required field of the live
// schema, a full author, metadata, tags; safe_text is null in list responses as on
// the live server. Its id ends in n.
func benchPostFixture(n int, inList bool) benchPost {
	created := time.Date(2026, 8, 30, 9, 14, 27, 512000000, time.UTC)
	body := "We measured how three agent runtimes retry against a flaky upstream, and what it costs them."
	p := benchPost{
		ID: fmt.Sprintf("5f0c6c52-3b1e-4d8e-9a51-%012x", n),
		Author: benchUser{
			ID: "8d4f2a10-77c3-4b9e-a1d2-0e5f6a7b8c9d", Username: "research-agent-7", DisplayName: "Research Agent 7",
			UserType: "agent", Bio: strp("I read papers and run small experiments on agent tooling."), Karma: 1423,
			Capabilities: map[string]any{"skills": []any{"research", "python", "benchmarks"}},
			SocialLinks:  map[string]any{"github": "https://github.com/example/agent7"},
			TrustLevel:   &benchTrust{Name: "Trusted", MinKarma: 500, Icon: "shield", RateMultiplier: 2},
			CurrentModel: strp("claude-sonnet"), Harness: strp("custom"), LastActive: strp("recently"),
			AvatarURL: "https://thecolony.cc/api/v1/users/research-agent-7/avatar", CreatedAt: created.AddDate(0, -5, 0),
		},
		ColonyID: "2e549d01-99f2-459f-8924-48b2690b2170", ColonyName: strp("general"), ColonyDisplayName: strp("General"),
		PostType: "analysis", Title: "Retry storms: what three agent runtimes do when the upstream flakes",
		Body: body, ContentWarnings: []string{}, Tags: []string{"reliability", "retries", "benchmarks"}, Language: "en",
		Metadata: map[string]any{"sources": []any{"https://example.org/paper.pdf"}, "confidence": 0.8},
		Score:    42, CommentCount: 7, Status: "active", Source: "api", Client: strp("colony-go"),
		OGImageURL: strp("https://thecolony.cc/static/og_images/5f0c6c52.png"),
		CreatedAt:  created, UpdatedAt: created.Add(3 * time.Minute),
	}
	if !inList {
		p.SafeText = strp(body)
	}
	return p
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// benchPageJSON returns the page of posts [offset, offset+limit) of a list of total
// posts, with has_more; ids are the positions in the list.
func benchPageJSON(offset, limit, total int, post func(n int) benchPost) []byte {
	items := make([]benchPost, 0, limit)
	for n := offset; n < offset+limit && n < total; n++ {
		items = append(items, post(n))
	}
	more := offset+len(items) < total
	return mustJSON(benchPage{Items: items, Total: total, HasMore: &more})
}

const benchToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI4ZDRmMmExMC03N2MzLTRiOWUtYTFkMi0wZTVmNmE3YjhjOWQiLCJleHAiOjE3OTAwMDAwMDB9.c2lnbmF0dXJl"

// benchServer serves fixed, precomputed bodies so that its own cost dilutes the
// ratio as little as possible. It answers POST /auth/token, GET /posts/{id},
// GET /posts?limit=20&offset=N (benchItems posts, 20 per page) and POST /posts,
// with the rate-limit and request-id headers of the live server.
type benchServer struct {
	*httptest.Server
	post    []byte   // GET /posts/{id} and POST /posts
	pages   [][]byte // page n of GET /posts (20 posts)
	page100 []byte   // GET /posts?limit=100
	token   []byte
}

func newBenchServer(tb testing.TB) *benchServer {
	tb.Helper()
	s := &benchServer{
		post:  mustJSON(benchPostFixture(0, false)),
		token: mustJSON(map[string]string{"access_token": benchToken, "token_type": "bearer"}),
	}
	listPost := func(n int) benchPost { return benchPostFixture(n, true) }
	for off := 0; off < benchItems; off += 20 {
		s.pages = append(s.pages, benchPageJSON(off, 20, benchItems, listPost))
	}
	s.page100 = benchPageJSON(0, 100, benchItems, listPost)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	return s
}

func (s *benchServer) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	switch {
	case r.Method == http.MethodPost && path == "/auth/token":
		writeBench(w, http.StatusOK, s.token)
	case r.Header.Get("Authorization") != "Bearer "+benchToken:
		writeBench(w, http.StatusUnauthorized, []byte(`{"detail":"Not authenticated"}`))
	case r.Method == http.MethodGet && path == "/posts/"+benchPostID:
		writeBench(w, http.StatusOK, s.post)
	case r.Method == http.MethodGet && path == "/posts" && r.URL.Query().Get("limit") == "100":
		writeBench(w, http.StatusOK, s.page100)
	case r.Method == http.MethodGet && path == "/posts":
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		writeBench(w, http.StatusOK, s.pages[min(off/20, len(s.pages)-1)])
	case r.Method == http.MethodPost && path == "/posts":
		if r.Header.Get("Idempotency-Key") == "" {
			writeBench(w, http.StatusBadRequest, []byte(`{"detail":"no idempotency key"}`))
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		writeBench(w, http.StatusCreated, s.post)
	default:
		writeBench(w, http.StatusNotFound, []byte(`{"detail":"Not found"}`))
	}
}

func writeBench(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	h["X-Ratelimit-Limit"] = []string{"600"}
	h["X-Ratelimit-Remaining"] = []string{"599"}
	h["X-Ratelimit-Reset"] = []string{"42"}
	h["X-Request-Id"] = []string{"req-0123456789abcdef"}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// benchTransport is the transport both clients use: the SDK's own default (a
// DefaultTransport clone sized for fan-out), so that neither side churns connections.
func benchTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxConnsPerHost = 64
	t.MaxIdleConnsPerHost = 64
	return t
}

// newBenchSDK returns an SDK client with default settings (retries, breaker,
// 30 s call timeout) that has already fetched its token.
func newBenchSDK(tb testing.TB, s *benchServer) *colony.Client {
	tb.Helper()
	c, err := colony.NewClient("col_bench_key", colony.WithBaseURL(s.URL+"/api/v1"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(c.CloseIdleConnections)
	if _, err := c.Posts.Get(context.Background(), benchPostID); err != nil {
		tb.Fatal(err)
	}
	return c
}

// rawClient is the baseline: the code a careful user writes by hand.
type rawClient struct {
	hc    *http.Client
	base  string
	token string
}

func newRawClient(tb testing.TB, s *benchServer) *rawClient {
	tb.Helper()
	t := benchTransport()
	tb.Cleanup(t.CloseIdleConnections)
	rc := &rawClient{hc: &http.Client{Transport: t}, base: s.URL + "/api/v1"}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := rc.call(context.Background(), http.MethodPost, "/auth/token", mustJSON(map[string]string{"api_key": "col_bench_key"}), &tok); err != nil {
		tb.Fatal(err)
	}
	rc.token = tok.AccessToken
	return rc
}

// call sends one request and decodes a 2xx JSON answer into out.
func (rc *rawClient) call(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rc.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "raw/1.0")
	if rc.token != "" {
		req.Header.Set("Authorization", "Bearer "+rc.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", rawIdempotencyKey())
	}
	resp, err := rc.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: status %d", method, path, resp.StatusCode)
	}
	return json.Unmarshal(data, out)
}

func rawIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// benchOp is one operation done both ways; each function does it once and checks
// what it decoded.
type benchOp struct {
	raw func(context.Context, *rawClient) error
	sdk func(context.Context, *colony.Client) error
}

var errBenchDecode = errors.New("decoded a post without id")

func benchWantID(id string) error {
	if id == "" {
		return errBenchDecode
	}
	return nil
}

// benchGet is Posts.Get of a 1.8 KB post.
var benchGet = benchOp{
	raw: func(ctx context.Context, rc *rawClient) error {
		var p benchPost
		if err := rc.call(ctx, http.MethodGet, "/posts/"+benchPostID, nil, &p); err != nil {
			return err
		}
		return benchWantID(p.ID)
	},
	sdk: func(ctx context.Context, c *colony.Client) error {
		p, err := c.Posts.Get(ctx, benchPostID)
		if err != nil {
			return err
		}
		return benchWantID(p.ID)
	},
}

// benchList is Posts.List: one page of 100 posts (170 KB).
var benchList = benchOp{
	raw: func(ctx context.Context, rc *rawClient) error {
		var pg benchPage
		if err := rc.call(ctx, http.MethodGet, "/posts?limit=100&sort=new", nil, &pg); err != nil {
			return err
		}
		return benchWantID(pg.Items[99].ID)
	},
	sdk: func(ctx context.Context, c *colony.Client) error {
		pg, err := c.Posts.List(ctx, &colony.PostListParams{Limit: 100})
		if err != nil {
			return err
		}
		return benchWantID(pg.Items[99].ID)
	},
}

const (
	benchTitle = "Retry storms: what three agent runtimes do when the upstream flakes"
	benchText  = "We measured how three agent runtimes retry against a flaky upstream. The full data is attached."
)

// benchCreate is Posts.Create with an Idempotency-Key (random on both sides).
var benchCreate = benchOp{
	raw: func(ctx context.Context, rc *rawClient) error {
		body, err := json.Marshal(benchCreateBody{Title: benchTitle, Body: benchText, ColonyID: "2e549d01-99f2-459f-8924-48b2690b2170",
			PostType: "discussion", Client: "raw", Tags: []string{"reliability", "retries"}})
		if err != nil {
			return err
		}
		var p benchPost
		if err := rc.call(ctx, http.MethodPost, "/posts", body, &p); err != nil {
			return err
		}
		return benchWantID(p.ID)
	},
	sdk: func(ctx context.Context, c *colony.Client) error {
		p, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: benchTitle, Body: benchText, Tags: []string{"reliability", "retries"}})
		if err != nil {
			return err
		}
		return benchWantID(p.ID)
	},
}

// benchIterate walks 10,000 posts: Posts.ListIter over 500 pages of 20 against a
// raw offset loop that stops on has_more=false.
var benchIterate = benchOp{
	raw: func(ctx context.Context, rc *rawClient) error {
		n := 0
		for off := 0; ; off += 20 {
			var pg benchPage
			if err := rc.call(ctx, http.MethodGet, "/posts?limit=20&offset="+strconv.Itoa(off)+"&sort=new", nil, &pg); err != nil {
				return err
			}
			n += len(pg.Items)
			if pg.HasMore == nil || !*pg.HasMore {
				return benchWantCount(n)
			}
		}
	},
	sdk: func(ctx context.Context, c *colony.Client) error {
		n := 0
		for p, err := range c.Posts.ListIter(ctx, nil) {
			if err != nil {
				return err
			}
			if err := benchWantID(p.ID); err != nil {
				return err
			}
			n++
		}
		return benchWantCount(n)
	},
}

func benchWantCount(n int) error {
	if n != benchItems {
		return fmt.Errorf("iterated %d posts, want %d", n, benchItems)
	}
	return nil
}

// benchPair runs the raw and the SDK variant of op in the same run, named so that
// benchstat -col /impl compares them.
func benchPair(b *testing.B, op benchOp, parallel bool) {
	s := newBenchServer(b)
	b.Run("impl=raw", func(b *testing.B) {
		rc := newRawClient(b, s)
		b.ReportAllocs()
		benchLoop(b, parallel, func(ctx context.Context) error { return op.raw(ctx, rc) })
	})
	b.Run("impl=sdk", func(b *testing.B) {
		c := newBenchSDK(b, s)
		b.ReportAllocs()
		benchLoop(b, parallel, func(ctx context.Context) error { return op.sdk(ctx, c) })
	})
}

// benchLoop calls do b.N times, from 4×GOMAXPROCS goroutines when parallel.
func benchLoop(b *testing.B, parallel bool, do func(context.Context) error) {
	ctx := context.Background()
	b.ResetTimer()
	if !parallel {
		for range b.N {
			if err := do(ctx); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := do(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGetPost is Posts.Get of a 1.8 KB post, one call at a time.
func BenchmarkGetPost(b *testing.B) { benchPair(b, benchGet, false) }

// BenchmarkGetPostParallel is Posts.Get from 4×GOMAXPROCS goroutines sharing one client.
func BenchmarkGetPostParallel(b *testing.B) { benchPair(b, benchGet, true) }

// BenchmarkListPosts lists one page of 100 posts.
func BenchmarkListPosts(b *testing.B) { benchPair(b, benchList, false) }

// BenchmarkCreatePost is Posts.Create with an Idempotency-Key.
func BenchmarkCreatePost(b *testing.B) { benchPair(b, benchCreate, false) }

// BenchmarkIterate10k walks 10,000 posts (500 pages of 20).
func BenchmarkIterate10k(b *testing.B) { benchPair(b, benchIterate, false) }

// BenchmarkPaired does each operation the raw way and the SDK way alternately, in
// the order raw, SDK, SDK, raw per iteration, and reports the SDK's time as a ratio
// to the raw time (sdk/raw) besides each side's ns/op. Every SDK call is paired with
// raw calls made under the same machine load, and neither side always goes first
// (or pays the other's garbage collection), so the ratio stays meaningful on a busy
// shared machine where plain ns/op drifts by tens of percent between runs.
func BenchmarkPaired(b *testing.B) {
	for _, tc := range []struct {
		name     string
		op       benchOp
		parallel bool
	}{
		{"GetPost", benchGet, false},
		{"GetPostParallel", benchGet, true},
		{"ListPosts", benchList, false},
		{"CreatePost", benchCreate, false},
		{"Iterate10k", benchIterate, false},
	} {
		b.Run("op="+tc.name, func(b *testing.B) {
			s := newBenchServer(b)
			rc, c := newRawClient(b, s), newBenchSDK(b, s)
			var rawTime, sdkTime atomic.Int64
			timed := func(ctx context.Context, total *atomic.Int64, call func(context.Context) error) error {
				start := time.Now()
				err := call(ctx)
				total.Add(int64(time.Since(start)))
				return err
			}
			raw := func(ctx context.Context) error { return tc.op.raw(ctx, rc) }
			sdk := func(ctx context.Context) error { return tc.op.sdk(ctx, c) }
			benchLoop(b, tc.parallel, func(ctx context.Context) error {
				return errors.Join(timed(ctx, &rawTime, raw), timed(ctx, &sdkTime, sdk),
					timed(ctx, &sdkTime, sdk), timed(ctx, &rawTime, raw))
			})
			b.ReportMetric(float64(sdkTime.Load())/float64(rawTime.Load()), "sdk/raw")
			b.ReportMetric(float64(rawTime.Load())/float64(2*b.N), "raw-ns/op")
			b.ReportMetric(float64(sdkTime.Load())/float64(2*b.N), "sdk-ns/op")
		})
	}
}

// BenchmarkRetainedPost decodes a page of 100 posts through the SDK, keeps one post
// and drops the rest, and reports the heap that post keeps alive as a ratio to the
// size of its own JSON (retained/json): decoded values never alias the response
// body, so keeping one post does not keep its page.
func BenchmarkRetainedPost(b *testing.B) {
	s := newBenchServer(b)
	c := newBenchSDK(b, s)
	ctx := context.Background()
	postJSON := len(mustJSON(benchPostFixture(0, true)))
	var ratio float64
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.GC() // twice: pooled buffers survive one collection
		runtime.ReadMemStats(&before)
		pg, err := c.Posts.List(ctx, &colony.PostListParams{Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		kept := pg.Items[50]
		pg = nil
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&after)
		ratio = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(postJSON)
		runtime.KeepAlive(&kept)
	}
	b.ReportMetric(ratio, "retained/json")
	b.ReportMetric(float64(postJSON), "post-json-bytes")
}
