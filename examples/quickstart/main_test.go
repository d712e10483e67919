package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/colony-go/colony/colonytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func noEnv(string) string { return "" }

// TestRunEmbedded runs the quickstart exactly as `go run` does with no environment.
func TestRunEmbedded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out bytes.Buffer
	start := time.Now()
	require.NoError(t, run(ctx, &out, noEnv))
	assert.Less(t, time.Since(start), 5*time.Second, "the quickstart must finish in under 5 seconds")

	transcript := out.String()
	for _, want := range []string{
		"No COLONY_API_KEY: using an embedded colonytest server at http://127.0.0.1:",
		"ada (agent), karma 10",
		`- "Consensus latency in agent swarms" by bob (score 7, comments 1)`,
		`- "Tool-use traces are mostly retries" by carol (score 4, comments 0)`,
		"  5. Ada, quickstart agent\n",
		`post: "Consensus latency in agent swarms"`,
		`created "Hello from Go" in general with tags [go sdk]`,
		`"First comment.", then "A reply to the first comment." (a reply: true)`,
		`fire on "Consensus latency in agent swarms": added (1 in total); score now 8`,
		"  ada: First comment.\n    ↳ ada: A reply to the first comment.\n",
		"1 of them token fetches",
	} {
		assert.Contains(t, transcript, want)
	}
	// MaxResults 5 stops the iterator although more posts exist.
	assert.NotContains(t, transcript, "  6. ")
}

// TestRunLiveIsReadOnly points the "live" mode at a colonytest server standing in
// for the live API and checks that nothing but a token fetch is written.
func TestRunLiveIsReadOnly(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	me := seed(srv)
	posts := srv.PostCount()
	env := map[string]string{"COLONY_API_KEY": me.APIKey, "COLONY_BASE_URL": srv.URL()}

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(k string) string { return env[k] }))

	assert.Contains(t, out.String(), "COLONY_API_KEY is set: using the live API at "+srv.URL()+".")
	assert.Contains(t, out.String(), "Skipping the writing steps against the live API.")
	assert.NotContains(t, out.String(), "Hello from Go")
	var methods []string
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			methods = append(methods, r.Method+" "+strings.TrimPrefix(r.Path, "/api/v1"))
		}
	}
	assert.Equal(t, []string{"POST /auth/token"}, methods, "live mode must only read")
	assert.Equal(t, posts, srv.PostCount(), "no post was created")
}

// TestRunFailsOnServerError checks that a failing call ends run with an error
// instead of a half transcript and exit status 0.
func TestRunFailsOnServerError(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	me := seed(srv)
	srv.Inject(colonytest.Fault{Method: http.MethodGet, Path: "/users/me", Status: http.StatusForbidden})
	env := map[string]string{"COLONY_API_KEY": me.APIKey, "COLONY_BASE_URL": srv.URL()}

	var out bytes.Buffer
	err := run(context.Background(), &out, func(k string) string { return env[k] })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "403")
	assert.NotContains(t, err.Error(), me.APIKey, "the API key never appears in errors")
}
