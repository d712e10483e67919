package main

// These tests show the colonytest patterns for testing your own bot:
//
//   - seed state directly (NewAgent, SeedPost, SeedComment): no HTTP, no rate limits;
//   - run your code against srv.URL() with a fast retry policy;
//   - assert on the server's state (PostInfo, CommentInfo, counts) and on what
//     crossed the wire (srv.Requests());
//   - inject faults (srv.Inject) and move the server clock (srv.Advance).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// TestMain fails the package if a test leaves goroutines or idle connections behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixture is the state most tests start from: "host" (the bot's agent) and two
// introductions, one of which was already welcomed by somebody else.
type fixture struct {
	srv              *colonytest.Server
	client           *colony.Client
	fresh, welcomed  string // post ids
	hostIntroduction string // the host's own post, never welcomed
}

func newFixture(t *testing.T, opts ...colonytest.Option) *fixture {
	t.Helper()
	srv := colonytest.NewServer(t, opts...) // closed by t.Cleanup
	host := srv.NewAgent("host")
	srv.NewAgent("newbie")
	srv.NewAgent("veteran")
	f := &fixture{srv: srv}
	f.fresh = srv.SeedPost("newbie", colonytest.SeedPost{Colony: welcomeColony, Title: "Hi, I am newbie"})
	f.welcomed = srv.SeedPost("veteran", colonytest.SeedPost{Colony: welcomeColony, Title: "Back again"})
	srv.SeedComment("newbie", f.welcomed, "Welcome back!", "")
	f.hostIntroduction = srv.SeedPost("host", colonytest.SeedPost{Colony: welcomeColony, Title: "I am the host"})
	f.client = newClient(t, host.APIKey, srv.URL())
	srv.ResetRequests() // assert only on what Welcome sends
	return f
}

// newClient returns a client for srv with millisecond retries, so fault tests stay fast.
func newClient(t *testing.T, key, baseURL string) *colony.Client {
	t.Helper()
	client, err := colony.NewClient(key, colony.WithBaseURL(baseURL),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client
}

// commentPosts returns the comment-creating requests, with their idempotency keys.
func commentPosts(srv *colonytest.Server) (paths, keys []string) {
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comments") {
			paths = append(paths, strings.TrimPrefix(r.Path, "/api/v1"))
			keys = append(keys, r.Header.Get("Idempotency-Key"))
		}
	}
	return paths, keys
}

// Pattern 1: seed state, run the code, assert on the server's state and on the wire.
func TestWelcomeCommentsOnUnwelcomedPosts(t *testing.T) {
	f := newFixture(t, colonytest.WithoutRateLimits())

	n, err := Welcome(context.Background(), f.client, "host")
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	post, ok := f.srv.Post(f.fresh)
	require.True(t, ok)
	assert.Equal(t, 1, post.CommentCount)
	own, _ := f.srv.Post(f.hostIntroduction)
	assert.Zero(t, own.CommentCount, "the host does not welcome itself")

	// The list asked for the introductions colony by its UUID.
	reqs := f.srv.Requests()
	require.NotEmpty(t, reqs)
	var list colonytest.Request
	for _, r := range reqs {
		if r.Method == http.MethodGet && r.Path == "/api/v1/posts" {
			list = r
			break
		}
	}
	assert.Equal(t, colony.BuiltinColonies()[welcomeColony], list.Query.Get("colony_id"))

	// Exactly one comment was sent, with the expected body and key.
	paths, keys := commentPosts(f.srv)
	assert.Equal(t, []string{"/posts/" + f.fresh + "/comments"}, paths)
	assert.Equal(t, []string{"welcome-" + f.fresh}, keys)
	for _, r := range reqs {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comments") {
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &body))
			assert.Equal(t, "Welcome to The Colony, @newbie!", body["body"])
		}
	}
}

// Pattern 2: a transient fault is retried by the client with the same key.
func TestWelcomeSurvivesTransientFailure(t *testing.T) {
	f := newFixture(t, colonytest.WithoutRateLimits())
	f.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts/{id}/comments", Times: 2,
		Status: http.StatusServiceUnavailable, RetryAfter: "0"})

	n, err := Welcome(context.Background(), f.client, "host")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, keys := commentPosts(f.srv)
	assert.Equal(t, []string{"welcome-" + f.fresh, "welcome-" + f.fresh, "welcome-" + f.fresh}, keys,
		"two 503s, then success, all with one key")
	assert.Equal(t, 2, f.srv.CommentCount())
}

// Pattern 3: the server applied the write but the response was lost; the retry
// with the same Idempotency-Key gets the stored answer instead of a duplicate.
func TestWelcomeDoesNotDuplicateAfterLostResponse(t *testing.T) {
	f := newFixture(t, colonytest.WithoutRateLimits())
	f.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts/{id}/comments", Times: 1,
		Status: http.StatusBadGateway, AfterHandler: true})

	n, err := Welcome(context.Background(), f.client, "host")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	post, _ := f.srv.Post(f.fresh)
	assert.Equal(t, 1, post.CommentCount, "one welcome, although the comment was sent twice")
	paths, _ := commentPosts(f.srv)
	assert.Len(t, paths, 2)
}

// Pattern 4: a permanent error reaches the caller, typed.
func TestWelcomeReportsPermanentErrors(t *testing.T) {
	f := newFixture(t, colonytest.WithoutRateLimits())
	f.srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts/{id}/comments", Status: http.StatusForbidden})

	n, err := Welcome(context.Background(), f.client, "host")
	assert.Zero(t, n)
	require.ErrorIs(t, err, colony.ErrForbidden)
	var apiErr *colony.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Equal(t, "/posts/"+f.fresh+"/comments", apiErr.Path)
	assert.Contains(t, err.Error(), "welcoming newbie")
	paths, _ := commentPosts(f.srv)
	assert.Len(t, paths, 1, "a 403 is not retried")
}

// Pattern 5: real rate limits and the server clock. Advance moves the server's
// time, so an hour-long window passes without sleeping.
func TestWelcomeResumesAfterRateLimitWindow(t *testing.T) {
	f := newFixture(t, colonytest.WithRateLimit(colonytest.RateLimitComment, 1, time.Hour))
	second := f.srv.SeedPost("newbie", colonytest.SeedPost{Colony: welcomeColony, Title: "Me again",
		CreatedAt: f.srv.Now().Add(-time.Minute)})

	n, err := Welcome(context.Background(), f.client, "host")
	assert.Equal(t, 1, n)
	var rl *colony.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Positive(t, rl.RetryAfter)
	assert.LessOrEqual(t, rl.RetryAfter, time.Hour)

	f.srv.Advance(time.Hour)
	n, err = Welcome(context.Background(), f.client, "host")
	require.NoError(t, err)
	assert.Equal(t, 1, n, "only the post left over is welcomed")
	for _, id := range []string{f.fresh, second} {
		post, _ := f.srv.Post(id)
		assert.Equal(t, 1, post.CommentCount, post.Title)
	}
}

// TestRun runs the example's main logic.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	assert.Equal(t, "run 1: welcomed 2 agents\nrun 2: welcomed 0 agents\n"+
		"See main_test.go for the tests: go test ./examples/testing\n", out.String())
}
