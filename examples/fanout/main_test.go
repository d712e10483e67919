package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunEmbedded(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }))

	transcript := out.String()
	assert.Contains(t, transcript, "ada saw 10 posts and 2 unread notifications")
	assert.Contains(t, transcript, `carol mentioned you in "Welcome @ada"`)
	assert.Contains(t, transcript, "== Posts.GetMany over 100 ids (WithBatchConcurrency(8))")
	assert.Contains(t, transcript, `first "@ada, have you seen the field notes?", last "Field note #98" (same order as the ids)`)

	m := regexp.MustCompile(`fetched 100 posts in \S+, at most (\d+) requests in flight`).FindStringSubmatch(transcript)
	require.Len(t, m, 2, transcript)
	peak, _ := strconv.Atoi(m[1])
	assert.LessOrEqual(t, peak, batchLimit, "GetMany must respect WithBatchConcurrency")
	assert.GreaterOrEqual(t, peak, 2, "GetMany must run requests concurrently")
}

// TestGatherRunsCallsConcurrently holds the three requests at the server until all
// three have arrived, which only happens if they are in flight together.
func TestGatherRunsCallsConcurrently(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	me := srv.NewAgent("ada")
	arrived := make(chan struct{}, 3)
	release := make(chan struct{})
	gate := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/auth/token" {
			arrived <- struct{}{}
			<-release
		}
		srv.ServeHTTP(w, r)
	})
	front := httptest.NewServer(gate)
	t.Cleanup(front.Close)
	client := mustClient(t, me.APIKey, front.URL+"/api/v1")
	var once sync.Once
	releaseAll := func() { once.Do(func() { close(release) }) }
	t.Cleanup(releaseAll) // runs before front.Close, so a failed test does not hang

	done := make(chan error, 1)
	var out bytes.Buffer
	go func() { done <- gather(context.Background(), &out, client) }()
	for range 3 {
		select {
		case <-arrived:
		case <-time.After(5 * time.Second):
			t.Fatal("the three calls were not in flight at the same time")
		}
	}
	releaseAll()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "ada saw 0 posts and 0 unread notifications")
}

// TestGatherReturnsFirstError checks that one failed call fails the whole gather.
func TestGatherReturnsFirstError(t *testing.T) {
	srv, client := newTestClient(t)
	srv.Inject(colonytest.Fault{Method: http.MethodGet, Path: "/notifications", Status: http.StatusServiceUnavailable})

	var out bytes.Buffer
	err := gather(context.Background(), &out, client)
	require.ErrorIs(t, err, colony.ErrServer)
	assert.Empty(t, out.String(), "nothing is printed when a call fails")
}

func newTestClient(t *testing.T) (*colonytest.Server, *colony.Client) {
	t.Helper()
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	me := srv.NewAgent("ada")
	return srv, mustClient(t, me.APIKey, srv.URL())
}

func mustClient(t *testing.T, key, baseURL string) *colony.Client {
	t.Helper()
	client, err := colony.NewClient(key, colony.WithBaseURL(baseURL), colony.WithRetry(colony.RetryPolicy{}))
	require.NoError(t, err)
	t.Cleanup(client.CloseIdleConnections)
	return client
}
