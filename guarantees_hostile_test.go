package colony_test

// Hostile input: whatever text ends up as an id or username, and whatever bytes a
// server or proxy sends back.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileInputs are ids and usernames an LLM or a user could pass.
var hostileInputs = []struct{ name, v string }{
	{"parent dir", "../"}, {"traversal", "../../users/me"}, {"encoded dots", "%2e%2e"}, {"encoded slash", "a%2Fb"},
	{"question mark", "?"}, {"query", "p1?admin=true&x=1"}, {"hash", "#"}, {"fragment", "p1#top"},
	{"space", "a b"}, {"blank", "   "}, {"slash", "a/b"}, {"backslash", `a\b`}, {"semicolon", "a;b=c"},
	{"percent", "100%"}, {"plus", "a+b"}, {"unicode", "ünïcödé-日本-🐝"}, {"rtl override", "abc\u202edef"},
	{"invalid utf-8", "\xff\xfe"}, {"uuid", "3f2b8a1c-0000-4000-8000-000000000001"}, {"1 KiB", strings.Repeat("x", 1024)},
	{"empty", ""}, {"dot", "."}, {"dot dot", ".."}, {"10 KB", strings.Repeat("x", 10<<10)}, {"1 KiB + 1", strings.Repeat("x", 1025)},
	{"nul", "a\x00b"}, {"newline", "a\nb"}, {"header injection", "a\r\nX-Injected: 1"}, {"tab", "a\tb"}, {"del", "a\x7fb"},
}

// hostileRejected states the path-argument rule independently of the SDK: blank,
// "." or "..", over 1 KiB, or containing a control character.
func hostileRejected(v string) bool {
	if strings.TrimSpace(v) == "" || v == "." || v == ".." || len(v) > 1024 {
		return true
	}
	return strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// hostileRoute is an SDK call that puts one argument into one path segment.
type hostileRoute struct {
	name   string
	method string
	tmpl   string // API path with one %s for the argument
	call   func(ctx context.Context, c *colony.Client, v string) error
}

func hostileRoutes() []hostileRoute {
	return []hostileRoute{
		{"Posts.Get", "GET", "/posts/%s", func(ctx context.Context, c *colony.Client, v string) error { _, err := c.Posts.Get(ctx, v); return err }},
		{"Posts.Delete", "DELETE", "/posts/%s", func(ctx context.Context, c *colony.Client, v string) error { return c.Posts.Delete(ctx, v) }},
		{"Posts.Vote", "POST", "/posts/%s/vote", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Posts.Vote(ctx, v, 1)
			return err
		}},
		{"Comments.Get", "GET", "/comments/%s", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Comments.Get(ctx, v)
			return err
		}},
		{"Comments.Create", "POST", "/posts/%s/comments", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Comments.Create(ctx, v, &colony.CommentCreateParams{Body: "hi"})
			return err
		}},
		{"Users.Get", "GET", "/users/%s", func(ctx context.Context, c *colony.Client, v string) error { _, err := c.Users.Get(ctx, v); return err }},
		{"Users.Follow", "POST", "/users/%s/follow", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Users.Follow(ctx, v)
			return err
		}},
		{"Users.Report", "GET", "/agents/%s/report", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Users.Report(ctx, v)
			return err
		}},
		{"Messages.Send", "POST", "/messages/send/%s", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Messages.Send(ctx, v, "hello")
			return err
		}},
		{"Messages.Conversation", "GET", "/messages/conversations/%s", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Messages.Conversation(ctx, v)
			return err
		}},
		{"Messages.MarkRead", "POST", "/messages/conversations/%s/read", func(ctx context.Context, c *colony.Client, v string) error { return c.Messages.MarkRead(ctx, v) }},
		{"Webhooks.Get", "GET", "/webhooks/%s", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Webhooks.Get(ctx, v)
			return err
		}},
		{"Notifications.MarkRead", "POST", "/notifications/%s/read", func(ctx context.Context, c *colony.Client, v string) error { return c.Notifications.MarkRead(ctx, v) }},
		{"Polls.Results", "GET", "/polls/%s/results", func(ctx context.Context, c *colony.Client, v string) error {
			_, err := c.Polls.Results(ctx, v)
			return err
		}},
	}
}

func TestGuaranteeHostileIDsAreRejectedOrConfined(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	c := e.client(e.agent("alice"), colony.WithoutBreaker())
	ctx := context.Background()
	_, err := c.Users.Me(ctx) // fetch the token once, outside the table
	require.NoError(t, err)
	rejected, confined := 0, 0
	for _, route := range hostileRoutes() {
		for _, in := range hostileInputs {
			e.srv.ResetRequests()
			err := route.call(ctx, c, in.v)
			e.watch.err(err)
			reqs := e.calls()
			if hostileRejected(in.v) {
				assert.ErrorIs(t, err, colony.ErrInvalidArgument, "%s(%s)", route.name, in.name)
				assert.Empty(t, reqs, "%s(%s) sent a request", route.name, in.name)
				rejected++
				continue
			}
			if !assert.Len(t, reqs, 1, "%s(%s): %v", route.name, in.name, err) {
				continue
			}
			assertConfined(t, route, in.v, reqs[0])
			var ae *colony.APIError
			if err != nil {
				assert.ErrorAs(t, err, &ae, "%s(%s): the server's refusal is an *APIError", route.name, in.name)
			}
			confined++
		}
	}
	_, err = c.Posts.Get(ctx, "")
	assert.ErrorContains(t, err, "post_id is empty", "the refusal names the argument")
	t.Logf("GUARANTEE hostile ids: %d inputs x %d calls: %d rejected locally with no request, %d sent to exactly their route, escaped",
		len(hostileInputs), len(hostileRoutes()), rejected, confined)
}

// assertConfined checks that r is route's request with v as exactly one escaped segment.
func assertConfined(t *testing.T, route hostileRoute, v string, r colonytest.Request) {
	t.Helper()
	assert.Equal(t, route.method, r.Method, route.name)
	want := "/api/v1" + fmt.Sprintf(route.tmpl, url.PathEscape(v))
	assert.Equal(t, want, r.RawPath, "%s(%q)", route.name, v)
	assert.Empty(t, r.RawQuery, "%s(%q) spilled into the query", route.name, v)
	tmplSegs, gotSegs := strings.Split("/api/v1"+route.tmpl, "/"), strings.Split(r.RawPath, "/")
	require.Len(t, gotSegs, len(tmplSegs), "%s(%q): segment count", route.name, v)
	for i, s := range tmplSegs {
		if s == "%s" {
			dec, err := url.PathUnescape(gotSegs[i])
			assert.NoError(t, err)
			assert.Equal(t, v, dec, "%s: the argument round-trips", route.name)
		}
	}
}

func TestGuaranteeHostileReactionTargetsAndColonies(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	c := e.client(e.agent("alice"), colony.WithoutBreaker())
	ctx := context.Background()
	_, err := c.Users.Me(ctx)
	require.NoError(t, err)
	for _, in := range hostileInputs {
		// Reaction targets travel in the JSON body, not the path.
		e.srv.ResetRequests()
		_, err := c.Posts.React(ctx, in.v, colony.ReactionFire)
		e.watch.err(err)
		reqs := e.calls()
		if hostileRejected(in.v) {
			assert.ErrorIs(t, err, colony.ErrInvalidArgument, in.name)
			assert.Empty(t, reqs, in.name)
		} else if assert.Len(t, reqs, 1, in.name) {
			assert.Equal(t, "/api/v1/reactions/toggle", reqs[0].RawPath)
			var body map[string]string
			require.NoError(t, json.Unmarshal(reqs[0].Body, &body))
			// JSON carries text: invalid UTF-8 arrives as U+FFFD, everything else verbatim.
			assert.Equal(t, map[string]string{"emoji": "fire", "post_id": asJSONText(in.v)}, body, in.name)
		}

		// Colony names are resolved to UUIDs: a hostile name never reaches a join path,
		// only a UUID does (and the server answers 404 for an unknown one).
		e.srv.ResetRequests()
		err = c.Colonies.Join(ctx, in.v)
		e.watch.err(err)
		for _, r := range e.calls() {
			if in.name == "uuid" {
				assert.Equal(t, "POST /api/v1/colonies/"+in.v+"/join", r.Method+" "+r.RawPath)
				assert.ErrorIs(t, err, colony.ErrNotFound)
				continue
			}
			assert.Equal(t, "GET /api/v1/colonies", r.Method+" "+r.RawPath, "Colonies.Join(%s) may only look the name up", in.name)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument, "Colonies.Join(%s)", in.name)
		}
	}
}

// asJSONText is s after a JSON round trip (each invalid UTF-8 byte becomes U+FFFD).
func asJSONText(s string) string {
	b, _ := json.Marshal(s)
	var out string
	_ = json.Unmarshal(b, &out)
	return out
}

// ---- hostile responses ----

// gFake returns a client, watched by e when e is not nil, of an edge server that issues
// gCanaryJWT and answers everything else with h.
func gFake(t *testing.T, e *gEnv, h http.HandlerFunc, opts ...colony.Option) *colony.Client {
	t.Helper()
	srv := colony.NewEdgeServer(t, gCanaryJWT, h)
	if e != nil {
		e.mu.Lock()
		e.keys = append(e.keys, gCanaryKey, gCanaryJWT)
		e.mu.Unlock()
	}
	base := []colony.Option{colony.WithBaseURL(srv.URL + "/api/v1"), gFastRetry()}
	if e != nil {
		base = append(base, e.watch.options()...)
	}
	c, err := colony.NewClient(gCanaryKey, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// streamBody writes prefix, n MiB of filler and suffix, stopping when the client goes away.
// mibOfA is the 1 MiB chunk streamBody writes.
var mibOfA = []byte(strings.Repeat("a", 1<<20))

func streamBody(w http.ResponseWriter, status int, prefix string, mib int, suffix string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	chunk := mibOfA // allocated once: the server shares this process, and allocDuring counts it
	_, _ = io.WriteString(w, prefix)
	for range mib {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = io.WriteString(w, suffix)
}

// allocDuring returns the bytes allocated while f ran.
func allocDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestGuaranteeOversizedResponsesAreBounded(t *testing.T) {
	e := newGEnv(t)
	const mib = 64
	declared := func(w http.ResponseWriter) { w.Header().Set("Content-Length", fmt.Sprint(mib<<20+len(`{"id":""}`))) }
	serve := func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/posts/chunked":
			streamBody(w, http.StatusOK, `{"id":"`, mib, `"}`)
		case "/api/v1/posts/declared":
			declared(w)
			streamBody(w, http.StatusOK, `{"id":"`, mib, `"}`)
		case "/api/v1/posts/huge-error":
			streamBody(w, http.StatusInternalServerError, `{"detail":"`, mib, `"}`)
		default:
			_, _ = io.WriteString(w, `{"id":"me"}`)
		}
	}
	c := gFake(t, e, serve, colony.WithRetry(colony.RetryPolicy{}))
	ctx := context.Background()
	_, err := c.Users.Me(ctx) // token fetched outside the measurements
	require.NoError(t, err)

	allocs := map[string]uint64{}
	for _, id := range []string{"chunked", "declared"} {
		var err error
		allocs[id] = allocDuring(func() { _, err = c.Posts.Get(ctx, id) })
		e.watch.err(err)
		require.ErrorIs(t, err, colony.ErrResponseTooLarge, id)
		var de *colony.DecodeError
		require.ErrorAs(t, err, &de, id)
		assert.Equal(t, http.StatusOK, de.StatusCode)
		assert.Contains(t, err.Error(), "GET /posts/"+id, "the error names the call")
	}
	var errErr error
	allocs["error"] = allocDuring(func() { _, errErr = c.Posts.Get(ctx, "huge-error") })
	e.watch.err(errErr)
	var ae *colony.APIError
	require.ErrorAs(t, errErr, &ae)
	assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
	assert.LessOrEqual(t, len(ae.Body), 64<<10, "error bodies are kept to 64 KiB")

	t.Logf("GUARANTEE oversized: %d MiB success body, default %d MiB cap: *DecodeError wrapping ErrResponseTooLarge, "+
		"%.1f MiB allocated (chunked), %.1f MiB (Content-Length declared); %d MiB error body: *APIError keeping %d KiB, %.1f MiB allocated",
		mib, colony.DefaultMaxResponseBytes>>20, mb(allocs["chunked"]), mb(allocs["declared"]), mib, len(ae.Body)>>10, mb(allocs["error"]))
	assert.Less(t, allocs["error"], uint64(4<<20), "a %d MiB error body", mib)
	assert.Less(t, allocs["chunked"], uint64(mib<<20), "memory stays under the body size")
	assert.Less(t, allocs["declared"], uint64(8<<20), "a declared length over the cap is refused before reading")

	// Under a 1 MiB cap the body is not read into a doubling buffer (about 8 times the
	// cap allocated), and a Content-Length over the cap is refused before any read.
	const limit = 1 << 20
	capped := gFake(t, e, serve, colony.WithRetry(colony.RetryPolicy{}), colony.WithMaxResponseBytes(limit))
	_, err = capped.Users.Me(ctx)
	require.NoError(t, err)
	for id, max := range map[string]uint64{"chunked": 3 * limit, "declared": limit / 4} {
		alloc := allocDuring(func() { _, err = capped.Posts.Get(ctx, id) })
		e.watch.err(err)
		require.ErrorIs(t, err, colony.ErrResponseTooLarge, id)
		assert.Less(t, alloc, max, "%s: %.1f MiB allocated to refuse a body over a 1 MiB cap", id, mb(alloc))
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }

func TestGuaranteeMalformedResponsesAreTypedErrors(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	postID := e.srv.SeedPost("bob", colonytest.SeedPost{})
	c := e.client(e.agent("alice"), colony.WithoutBreaker())
	ctx := context.Background()
	get := func() error { _, err := c.Posts.Get(ctx, postID); return err }
	require.NoError(t, get())

	for _, tc := range []struct {
		name  string
		fault colonytest.Fault
		check func(t *testing.T, err error)
	}{
		{"truncated JSON", colonytest.Fault{Truncate: true, AfterHandler: true}, isDecodeError(http.StatusOK)},
		{"connection dropped mid-body", colonytest.Fault{CloseConnection: true, Truncate: true, AfterHandler: true}, isDecodeError(http.StatusOK)},
		{"HTML error page", colonytest.Fault{NonJSON: true, Status: http.StatusBadGateway}, func(t *testing.T, err error) {
			var ae *colony.APIError
			require.ErrorAs(t, err, &ae)
			assert.ErrorIs(t, err, colony.ErrServer)
			assert.Equal(t, "bad gateway", ae.Message, "an HTML page yields the status text, not markup")
			assert.NotContains(t, err.Error(), "<html")
		}},
		{"HTML with 200", colonytest.Fault{NonJSON: true, Status: http.StatusOK}, isDecodeError(http.StatusOK)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.fault
			f.Method, f.Path = "GET", "/posts/{id}"
			remove := e.srv.Inject(f)
			err := get()
			remove()
			e.watch.err(err)
			tc.check(t, err)
			require.NoError(t, get(), "the client keeps working")
		})
	}
}

func isDecodeError(status int) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		var de *colony.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, status, de.StatusCode)
		assert.Equal(t, "GET", de.Method)
		assert.True(t, strings.HasPrefix(de.Path, "/posts/"), "the error names the API path: %q", de.Path)
		assert.Contains(t, err.Error(), "GET "+de.Path)
		assert.NotErrorIs(t, err, colony.ErrServer, "a 2xx that cannot be decoded is not a server error")
	}
}

func TestGuaranteeWrongShapesAreDecodeErrors(t *testing.T) {
	e := newGEnv(t)
	bodies := map[string]string{
		"wrong types":   `{"id": 123, "title": ["x"], "author": "bob"}`,
		"array":         `[{"id":"p1"}]`,
		"string":        `"p1"`,
		"bad timestamp": `{"id":"p1","created_at":"yesterday"}`,
		"deep nesting":  `{"metadata_":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`,
		"trailing junk": `{"id":"p1"} {"id":"p2"}`,
		"invalid utf-8": "{\"id\":\"p1\",\"title\":\"\xff\xfe\"", // also truncated
	}
	c := gFake(t, e, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, bodies[strings.TrimPrefix(r.URL.Path, "/api/v1/posts/")])
	})
	for name := range bodies {
		p, err := c.Posts.Get(context.Background(), name)
		e.watch.err(err)
		var de *colony.DecodeError
		if assert.ErrorAs(t, err, &de, name) {
			assert.Equal(t, "/posts/"+url.PathEscape(name), de.Path)
			assert.Nil(t, p, name)
			assert.False(t, errors.Is(err, colony.ErrServer), name)
		}
	}
	t.Logf("GUARANTEE malformed: %d wrong-shape bodies (wrong types, array, deep nesting, junk...) each gave *DecodeError", len(bodies))
}
