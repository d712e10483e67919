package colony_test

// Minimal reproductions of the SDK bugs the guarantee suite found, kept as
// regression tests: each failed before its fix and passes since.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A write whose first attempt was applied (response lost) and whose retry got a
// 4xx may have been applied, and MaybeApplied must say so.
func TestRegressionMaybeAppliedAfterAnAppliedAttempt(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	a := srv.NewAgent("alice")
	c, err := colony.NewClient(a.APIKey, colony.WithBaseURL(srv.URL()), gFastRetry())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts", Status: 502, AfterHandler: true, Times: 1})
	srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts", Status: 429, RetryAfter: "3600", Times: 1})

	_, err = c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "t", Body: "b"})
	require.ErrorIs(t, err, colony.ErrRateLimited)
	require.Equal(t, 1, srv.PostCount(), "the first attempt created the post")
	assert.True(t, colony.MaybeApplied(err), "MaybeApplied must not say the write did not happen: it did")
}

// A write applied by the server whose 2xx body could not be read is a *DecodeError
// that must carry the key to resume the write with.
func TestRegressionDecodeErrorOfAWriteCarriesItsIdempotencyKey(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	a := srv.NewAgent("alice")
	c, err := colony.NewClient(a.APIKey, colony.WithBaseURL(srv.URL()), gFastRetry())
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	srv.Inject(colonytest.Fault{Method: "POST", Path: "/posts", Truncate: true, AfterHandler: true, Times: 1})
	create := func(opts ...colony.RequestOption) (*colony.Post, error) {
		return c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "t", Body: "b"}, opts...)
	}

	_, err = create()
	var de *colony.DecodeError
	require.ErrorAs(t, err, &de)
	require.True(t, colony.MaybeApplied(err))
	require.Equal(t, 1, srv.PostCount())
	require.NotEmpty(t, de.IdempotencyKey, "without a key the write cannot be resumed without risking a duplicate")
	assert.Equal(t, de.IdempotencyKey, gKey(t, err))
	_, err = create(colony.WithIdempotencyKey(de.IdempotencyKey))
	require.NoError(t, err)
	assert.Equal(t, 1, srv.PostCount())
}

// A request hook that panicked during a token fetch panicked inside singleflight.DoChan's
// goroutine, which re-panics on a new goroutine: the process died, whatever the caller
// recovered. The scenario runs in a child process, so that a regression cannot kill the suite.
func TestRegressionHookPanicDuringTokenFetchReachesTheCaller(t *testing.T) {
	if os.Getenv("COLONY_GUARANTEE_CHILD") == "hook-panic" {
		hookPanicChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRegressionHookPanicDuringTokenFetchReachesTheCaller$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "COLONY_GUARANTEE_CHILD=hook-panic")
	out, err := cmd.CombinedOutput()
	first, _, _ := strings.Cut(string(out), "goroutine ")
	assert.NoError(t, err, "the process died:\n%s", first)
	assert.Contains(t, string(out), "panic recovered by the caller")
}

func hookPanicChild(t *testing.T) {
	srv := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"access_token":"tok"}`)
	}))
	c, err := colony.NewClient("col_child", colony.WithBaseURL(srv.URL),
		colony.WithRequestHook(func(context.Context, colony.RequestInfo) { panic("hook failed") }))
	require.NoError(t, err)
	defer c.CloseIdleConnections()
	func() {
		defer func() {
			if v := recover(); v != nil {
				fmt.Println("panic recovered by the caller:", v)
			}
		}()
		_, _ = c.Users.Me(context.Background())
	}()
}

// /users/{user_id} has static siblings: Users.Get("directory") reached GET
// /users/directory and returned an empty User with no error.
func TestRegressionUsersGetRefusesReservedNames(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	a := srv.NewAgent("alice")
	c, err := colony.NewClient(a.APIKey, colony.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	for _, name := range []string{"directory", "me"} {
		u, err := c.Users.Get(context.Background(), name)
		if !assert.ErrorIs(t, err, colony.ErrInvalidArgument, name) {
			t.Logf("Users.Get(%q) returned %+v", name, u)
		}
	}
	for _, r := range srv.Requests() {
		assert.NotEqual(t, "/api/v1/users/directory", r.RawPath, "a user id reached another route")
	}
}
