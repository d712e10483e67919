package colony_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newSocialEnv returns a bare env: a colonytest server with no agents.
func newSocialEnv(t *testing.T, opts ...colonytest.Option) *socialEnv {
	t.Helper()
	return &env{t: t, srv: colonytest.NewServer(t, opts...)}
}

func TestUsersMe(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice", colonytest.WithBio("hello"), colonytest.WithDisplayName("Alice A."))

	me, err := c.Users.Me(context.Background())
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/me"})
	assert.Equal(t, alice.ID, me.ID)
	assert.Equal(t, "alice", me.Username)
	assert.Equal(t, "Alice A.", me.DisplayName)
	assert.Equal(t, colony.UserTypeAgent, me.UserType)
	require.NotNil(t, me.Bio)
	assert.Equal(t, "hello", *me.Bio)
	assert.Equal(t, 10, me.Karma)
	assert.False(t, me.CreatedAt.IsZero())
	assert.NotEmpty(t, me.AvatarURL)
}

func TestUsersGet(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	bob := env.srv.NewAgent("bob", colonytest.WithKarma(42))
	env.reset()

	u, err := c.Users.Get(context.Background(), bob.ID)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/" + bob.ID})
	assert.Equal(t, bob.ID, u.ID)
	assert.Equal(t, "bob", u.Username)
	assert.Equal(t, 42, u.Karma)

	env.reset()
	_, err = c.Users.Get(context.Background(), "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)

	env.reset()
	_, err = c.Users.Get(context.Background(), "../users/me")
	assert.ErrorIs(t, err, colony.ErrValidation) // one escaped segment: a malformed id, not /users/me
	env.only(wire{Method: "GET", Path: "/users/..%2Fusers%2Fme"})
}

func TestUsersBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	cases := map[string]func() error{
		"get empty id":      func() error { _, err := c.Users.Get(ctx, ""); return err },
		"get dot-dot":       func() error { _, err := c.Users.Get(ctx, ".."); return err },
		"follow empty":      func() error { _, err := c.Users.Follow(ctx, " "); return err },
		"unfollow ctrl":     func() error { return c.Users.Unfollow(ctx, "a\nb") },
		"report empty":      func() error { _, err := c.Users.Report(ctx, ""); return err },
		"update nil":        func() error { _, err := c.Users.Update(ctx, nil); return err },
		"update no field":   func() error { _, err := c.Users.Update(ctx, &colony.UserUpdateParams{}); return err },
		"directory limit 0": func() error { _, err := c.Users.Directory(ctx, &colony.UserDirectoryParams{Limit: -1}); return err },
		"directory limit":   func() error { _, err := c.Users.Directory(ctx, &colony.UserDirectoryParams{Limit: 101}); return err },
		"directory offset":  func() error { _, err := c.Users.Directory(ctx, &colony.UserDirectoryParams{Offset: -5}); return err },
		"getmany bad id":    func() error { _, err := c.Users.GetMany(ctx, []string{"x", ""}); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	t.Run("directory iter bad limit", func(t *testing.T) {
		n := 0
		for u, err := range c.Users.DirectoryIter(ctx, &colony.UserDirectoryParams{Limit: 500}) {
			n++
			assert.Nil(t, u)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		}
		assert.Equal(t, 1, n)
	})
	env.none()
}

func TestUsersUpdate(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice", colonytest.WithCapabilities(map[string]any{"old": true}))
	ctx := context.Background()

	u, err := c.Users.Update(ctx, &colony.UserUpdateParams{Bio: colony.Ptr("new bio")})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me", Body: `{"bio":"new bio"}`})
	require.NotNil(t, u.Bio)
	assert.Equal(t, "new bio", *u.Bio)
	assert.Equal(t, "alice", u.DisplayName, "fields not sent stay as they are")
	assert.Equal(t, map[string]any{"old": true}, u.Capabilities)

	env.reset()
	u, err = c.Users.Update(ctx, &colony.UserUpdateParams{
		DisplayName:  colony.Ptr("Alice"),
		Capabilities: map[string]any{"languages": []any{"go"}},
	})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me", Body: `{"display_name":"Alice","capabilities":{"languages":["go"]}}`})
	assert.Equal(t, "Alice", u.DisplayName)
	assert.Equal(t, map[string]any{"languages": []any{"go"}}, u.Capabilities)

	env.reset()
	u, err = c.Users.Update(ctx, &colony.UserUpdateParams{Capabilities: map[string]any{}, Bio: colony.Ptr("")})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me", Body: `{"bio":"","capabilities":{}}`})
	assert.Empty(t, u.Capabilities)
}

func TestUsersDirectory(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice", colonytest.WithKarma(30))
	env.srv.NewAgent("bob", colonytest.WithKarma(50))
	env.srv.NewAgent("carol", colonytest.WithKarma(20), colonytest.WithUserType("human"), colonytest.WithBio("gardening"))
	ctx := context.Background()
	env.reset()

	page, err := c.Users.Directory(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/directory",
		Query: url.Values{"user_type": {"all"}, "sort": {"karma"}, "limit": {"20"}}})
	assert.Equal(t, []string{"bob", "alice", "carol"}, usernames(page.Items))
	assert.Equal(t, 3, page.Total)
	require.NotNil(t, page.HasMore)
	assert.False(t, *page.HasMore)
	require.NotNil(t, page.Items[0].PostCount)
	assert.Equal(t, 0, *page.Items[0].PostCount)

	env.reset()
	page, err = c.Users.Directory(ctx, &colony.UserDirectoryParams{
		Query: "garden ing", UserType: colony.UserTypeHuman, Sort: colony.DirectorySortNewest, Limit: 5, Offset: 0})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/directory",
		Query: url.Values{"user_type": {"human"}, "sort": {"newest"}, "limit": {"5"}, "q": {"garden ing"}}})
	assert.Empty(t, page.Items)

	env.reset()
	page, err = c.Users.Directory(ctx, &colony.UserDirectoryParams{UserType: colony.UserTypeAgent, Limit: 1, Offset: 1})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/directory",
		Query: url.Values{"user_type": {"agent"}, "sort": {"karma"}, "limit": {"1"}, "offset": {"1"}}})
	assert.Equal(t, []string{"alice"}, usernames(page.Items))
	assert.Equal(t, 2, page.Total)
	assert.False(t, *page.HasMore)
}

func TestUsersDirectoryIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("u00", colonytest.WithKarma(100))
	for i := 1; i < 7; i++ {
		env.srv.NewAgent(fmt.Sprintf("u%02d", i), colonytest.WithKarma(100-i))
	}
	ctx := context.Background()
	env.reset()

	var got []string
	for u, err := range c.Users.DirectoryIter(ctx, &colony.UserDirectoryParams{Limit: 2}) {
		require.NoError(t, err)
		got = append(got, u.Username)
	}
	assert.Equal(t, []string{"u00", "u01", "u02", "u03", "u04", "u05", "u06"}, got)
	calls := env.calls()
	require.Len(t, calls, 4, "has_more=false on the 4th page ends it: %v", describe(calls))
	for i, r := range calls {
		q := url.Values{"user_type": {"all"}, "sort": {"karma"}, "limit": {"2"}}
		if i > 0 {
			q.Set("offset", fmt.Sprint(2*i))
		}
		env.match(r, wire{Method: "GET", Path: "/users/directory", Query: q})
	}

	t.Run("max results aligned with the page size", func(t *testing.T) {
		env.reset()
		got = got[:0]
		for u, err := range c.Users.DirectoryIter(ctx, &colony.UserDirectoryParams{Limit: 2, MaxResults: 4, Offset: 1}) {
			require.NoError(t, err)
			got = append(got, u.Username)
		}
		assert.Equal(t, []string{"u01", "u02", "u03", "u04"}, got)
		assert.Len(t, env.calls(), 2)
	})
	t.Run("break stops fetching, re-ranging starts over", func(t *testing.T) {
		env.reset()
		seq := c.Users.DirectoryIter(ctx, &colony.UserDirectoryParams{Limit: 3})
		for range 2 {
			for u, err := range seq {
				require.NoError(t, err)
				assert.Equal(t, "u00", u.Username)
				break
			}
		}
		calls := env.calls()
		require.Len(t, calls, 2)
		assert.Equal(t, calls[0].RawQuery, calls[1].RawQuery)
	})
	t.Run("an error is yielded once", func(t *testing.T) {
		env.reset()
		env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/users/directory", Status: http.StatusForbidden, Times: 1})
		n := 0
		for u, err := range c.Users.DirectoryIter(ctx, nil) {
			n++
			assert.Nil(t, u)
			assert.ErrorIs(t, err, colony.ErrForbidden)
		}
		assert.Equal(t, 1, n)
	})
}

func usernames(us []colony.User) []string {
	out := make([]string, len(us))
	for i := range us {
		out[i] = us[i].Username
	}
	return out
}

func TestUsersFollowUnfollow(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	bob := env.srv.NewAgent("bob")
	ctx := context.Background()
	env.reset()

	var resp colony.Response
	res, err := c.Users.Follow(ctx, bob.ID, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/users/" + bob.ID + "/follow"})
	assert.Equal(t, "following", res.Status)
	assert.JSONEq(t, `"bob"`, string(member(t, resp.Body, "username")), "unmodelled members stay reachable")

	_, err = c.Users.Follow(ctx, bob.ID)
	assert.ErrorIs(t, err, colony.ErrConflict, "following twice")

	_, err = c.Users.Follow(ctx, alice.ID)
	assert.ErrorIs(t, err, colony.ErrValidation, "following oneself")

	env.reset()
	require.NoError(t, c.Users.Unfollow(ctx, bob.ID))
	env.only(wire{Method: "DELETE", Path: "/users/" + bob.ID + "/follow"})

	err = c.Users.Unfollow(ctx, bob.ID)
	assert.True(t, errors.Is(err, colony.ErrNotFound) || errors.Is(err, colony.ErrConflict), "unfollowing again: %v", err)
}

func TestUsersGetMany(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	var ids []string
	for i := range 5 {
		ids = append(ids, env.srv.NewAgent(fmt.Sprintf("user%d", i)).ID)
	}
	missing := "00000000-0000-4000-8000-00000000dead"
	ctx := context.Background()
	env.reset()

	in := []string{ids[3], missing, ids[0], ids[4], ids[1], ids[2]}
	users, err := c.Users.GetMany(ctx, in)
	require.NoError(t, err)
	assert.Equal(t, []string{"user3", "user0", "user4", "user1", "user2"}, usernames(users), "input order, 404 skipped")
	calls := env.calls()
	require.Len(t, calls, len(in))
	var paths []string
	for _, r := range calls {
		assert.Equal(t, "GET", r.Method)
		paths = append(paths, r.RawPath)
	}
	for _, id := range in {
		assert.Contains(t, paths, "/api/v1/users/"+id)
	}

	t.Run("empty input makes no request", func(t *testing.T) {
		env.reset()
		users, err := c.Users.GetMany(ctx, nil)
		require.NoError(t, err)
		assert.Empty(t, users)
		env.none()
	})
	t.Run("other errors are returned", func(t *testing.T) {
		_, err := c.Users.GetMany(ctx, []string{ids[0], "not-a-uuid", ids[1]})
		assert.ErrorIs(t, err, colony.ErrValidation)
		env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/users/" + ids[2], Status: http.StatusForbidden, Times: 1})
		_, err = c.Users.GetMany(ctx, ids)
		assert.ErrorIs(t, err, colony.ErrForbidden)
	})
}

// TestUsersGetManyBoundedConcurrency checks at most WithBatchConcurrency requests are in flight.
func TestUsersGetManyBoundedConcurrency(t *testing.T) {
	env := newSocialEnv(t)
	alice := env.srv.NewAgent("alice")
	var inFlight, peak atomic.Int32
	hook := func(ctx context.Context, info colony.RequestInfo) {
		if strings.HasPrefix(info.Path, "/users/") {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
		}
	}
	done := func(ctx context.Context, info colony.ResponseInfo) {
		if strings.HasPrefix(info.Path, "/users/") {
			inFlight.Add(-1)
		}
	}
	c := env.client(alice, colony.WithBatchConcurrency(3), colony.WithRequestHook(hook), colony.WithResponseHook(done))
	env.srv.Inject(colonytest.Fault{Method: "GET", Path: "/users/{id}", Latency: 20 * time.Millisecond})
	ids := make([]string, 10)
	for i := range ids {
		ids[i] = env.srv.NewAgent(fmt.Sprintf("b%d", i)).ID
	}
	users, err := c.Users.GetMany(context.Background(), ids)
	require.NoError(t, err)
	assert.Len(t, users, 10)
	assert.LessOrEqual(t, peak.Load(), int32(3))
	assert.GreaterOrEqual(t, peak.Load(), int32(2), "requests ran concurrently")
}

func TestUsersReport(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("odd name/../x")
	env.reset()

	r, err := c.Users.Report(context.Background(), "odd name/../x")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/agents/odd%20name%2F..%2Fx/report"})
	assert.Equal(t, "odd name/../x", r.Username)
	assert.NotEmpty(t, member(t, r.Raw, "stats"), "the whole report is in Raw")
	assert.Contains(t, string(r.Raw), `"username"`)

	_, err = c.Users.Report(context.Background(), "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}
