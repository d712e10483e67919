package colony_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/colony-go/colony/storetest"
)

// lockingStore is a MemoryTokenStore with an in-memory TokenLocker, standing in for a shared store such as Redis.
// refused receives a value each time TryLockToken finds the lock held.
type lockingStore struct {
	*colony.MemoryTokenStore
	mu      sync.Mutex
	locks   map[string]lockEntry
	refused chan struct{}
}

type lockEntry struct {
	owner   int64
	expires time.Time
}

var lockOwners atomic.Int64

func newLockingStore() *lockingStore {
	return &lockingStore{MemoryTokenStore: colony.NewMemoryTokenStore(), locks: map[string]lockEntry{},
		refused: make(chan struct{}, 1024)}
}

func (s *lockingStore) TryLockToken(_ context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if e, ok := s.locks[key]; ok && now.Before(e.expires) {
		select {
		case s.refused <- struct{}{}:
		default:
		}
		return nil, false, nil
	}
	owner := lockOwners.Add(1)
	s.locks[key] = lockEntry{owner: owner, expires: now.Add(ttl)}
	return func(context.Context) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.locks[key].owner == owner {
			delete(s.locks, key)
		}
		return nil
	}, true, nil
}

func TestStoreConformanceMemory(t *testing.T) {
	t.Parallel()
	t.Run("MemoryTokenStore", func(t *testing.T) {
		storetest.TestTokenStore(t, func(*testing.T) colony.TokenStore { return colony.NewMemoryTokenStore() })
	})
	t.Run("MemoryWebhookDedupStore", func(t *testing.T) {
		storetest.TestWebhookDedupStore(t, func(*testing.T) colony.WebhookDedupStore { return &colony.MemoryWebhookDedupStore{} })
	})
	t.Run("test TokenLocker", func(t *testing.T) {
		storetest.TestTokenLocker(t, func(*testing.T) colony.TokenLocker { return newLockingStore() })
	})
}

// fleetClient is one replica: its own Client, hence its own transport and connection pool.
func fleetClient(t *testing.T, srv *colonytest.Server, apiKey string, opts ...colony.Option) *colony.Client {
	t.Helper()
	c, err := colony.NewClient(apiKey, append([]colony.Option{colony.WithBaseURL(srv.URL()),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})},
		opts...)...)
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func tokenFetches(srv *colonytest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && r.Path == "/api/v1/auth/token" {
			n++
		}
	}
	return n
}

// 40 replicas sharing a store that can lock make one POST /auth/token between them.
func TestFleetOneTokenFetch(t *testing.T) {
	t.Parallel()
	srv := colonytest.NewServer(t)
	agent := srv.NewAgent("fleet-bot")
	store := newLockingStore()
	const replicas = 40
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	for range replicas {
		c := fleetClient(t, srv, agent.APIKey, colony.WithTokenStore(store))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := c.Users.Me(context.Background())
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, tokenFetches(srv), "one token fetch for the whole fleet")
	me := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/users/me" {
			me++
		}
	}
	assert.Equal(t, replicas, me)
}

// A replica that finds the lock held waits for the stored token and never fetches one; one whose context ends
// while waiting returns the context's error.
func TestFleetWaiterUsesStoredToken(t *testing.T) {
	t.Parallel()
	srv := colonytest.NewServer(t)
	agent := srv.NewAgent("fleet-bot")
	store := newLockingStore()
	c := fleetClient(t, srv, agent.APIKey, colony.WithTokenStore(store))

	// Another replica holds the lock: take it under the key the client will use, learned from a first client.
	probe := &keySpy{TokenStore: colony.NewMemoryTokenStore()}
	_, err := fleetClient(t, srv, agent.APIKey, colony.WithTokenStore(probe)).Users.Me(context.Background())
	require.NoError(t, err)
	key := probe.key()
	require.NotEmpty(t, key)
	assert.NotContains(t, key, agent.APIKey, "the store key is a hash, never the key")
	unlock, ok, err := store.TryLockToken(context.Background(), key, time.Minute)
	require.NoError(t, err)
	require.True(t, ok)
	defer func() { _ = unlock(context.Background()) }()
	srv.ResetRequests()

	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error, 1)
	go func() {
		_, err := c.Users.Me(ctx)
		cancelled <- err
	}()
	<-store.refused
	cancel()
	assert.ErrorIs(t, <-cancelled, context.Canceled)

	done := make(chan error, 1)
	go func() {
		_, err := c.Users.Me(context.Background())
		done <- err
	}()
	<-store.refused // the client is waiting on the held lock
	tok, ok, err := probe.Get(context.Background(), key)
	require.NoError(t, err)
	require.True(t, ok)
	require.NoError(t, store.Set(context.Background(), key, tok)) // the lock holder stores its token
	require.NoError(t, <-done)
	assert.Zero(t, tokenFetches(srv), "the waiting replica used the stored token")
	require.Len(t, srv.Requests(), 1)
	assert.Equal(t, "/api/v1/users/me", srv.Requests()[0].Path)
}

// keySpy records the key a client reads or stores its token under.
type keySpy struct {
	colony.TokenStore
	mu   sync.Mutex
	last string
}

func (s *keySpy) Get(ctx context.Context, key string) (colony.Token, bool, error) {
	s.mu.Lock()
	s.last = key
	s.mu.Unlock()
	return s.TokenStore.Get(ctx, key)
}

func (s *keySpy) Set(ctx context.Context, key string, tok colony.Token) error {
	s.mu.Lock()
	s.last = key
	s.mu.Unlock()
	return s.TokenStore.Set(ctx, key, tok)
}

func (s *keySpy) key() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// A token answer of 429 re-reads the store: another replica's token is used instead of failing.
func TestFleetTokenRateLimitedRereadsStore(t *testing.T) {
	t.Parallel()
	store := &keySpy{TokenStore: colony.NewMemoryTokenStore()}
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/auth/token" {
			// Another replica fetched a token a moment ago and stored it; the IP's token quota is now spent.
			require.NoError(t, store.TokenStore.Set(r.Context(), store.key(), colony.Token{
				AccessToken: "tok-from-replica", Expiry: time.Now().Add(time.Hour)}))
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"detail":"Rate limit exceeded: 30 per hour. Try again in 3600 seconds."}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"u1","username":"fleet-bot"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := colony.NewClient("col_fleet_key", colony.WithBaseURL(srv.URL), colony.WithTokenStore(store),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	me, err := c.Users.Me(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "fleet-bot", me.Username)
	assert.Equal(t, []string{"POST /auth/token ", "GET /users/me Bearer tok-from-replica"}, seen)

	// Without a stored token the 429 is still an error.
	c2, err := colony.NewClient("col_other_key", colony.WithBaseURL(srv.URL), colony.WithTokenStore(colony.NewMemoryTokenStore()),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 0, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(c2.CloseIdleConnections)
	_, err = c2.Users.Me(context.Background())
	assert.ErrorIs(t, err, colony.ErrRateLimited)
}

// commentFleet has replicas clients of one agent write total comments on one post, all sharing opts plus, when
// limiter is set, a MemoryRateLimiter on the server clock; it returns the number of 429 answers the server sent and
// the first error of each replica.
func commentFleet(t *testing.T, srv *colonytest.Server, replicas, total int, limiter bool) (int32, []error) {
	t.Helper()
	agent := srv.NewAgent(fmt.Sprintf("writer-%d", replicas))
	postID := srv.SeedPost(agent.Username, colonytest.SeedPost{Title: "fleet", Body: "comments welcome"})
	var tooMany atomic.Int32
	count := colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
		if ri.StatusCode == http.StatusTooManyRequests {
			tooMany.Add(1)
		}
	})
	opts := []colony.Option{count}
	clock := storetest.NewSimClock(replicas, srv.Now, srv.Advance)
	if limiter {
		opts = append(opts, colony.WithRateLimiter(&colony.MemoryRateLimiter{Now: srv.Now, Sleep: clock.Sleep}))
	}
	var next atomic.Int32
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		c := fleetClient(t, srv, agent.APIKey, opts...)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer clock.Leave()
			for n := next.Add(1); n <= int32(total); n = next.Add(1) {
				if _, err := c.Comments.Create(context.Background(), postID, &colony.CommentCreateParams{Body: fmt.Sprintf("comment %d", n)}); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	return tooMany.Load(), errs
}

// A fleet of 8 writing 100 comments under the 36-an-hour limit gets no 429: the shared limiter queues them.
func TestFleetRateLimiterKeepsUnderCommentLimit(t *testing.T) {
	t.Parallel()
	srv := colonytest.NewServer(t, colonytest.WithClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	start := srv.Now()
	tooMany, errs := commentFleet(t, srv, 8, 100, true)
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Zero(t, tooMany, "no 429 from the server")
	assert.Equal(t, 100, srv.CommentCount())
	assert.GreaterOrEqual(t, srv.Now().Sub(start), 2*time.Hour, "100 comments at 36 an hour need at least two more windows")
}

// Without the limiter the same fleet collects 429s: the test above can fail.
func TestFleetWithoutRateLimiterGets429(t *testing.T) {
	t.Parallel()
	srv := colonytest.NewServer(t, colonytest.WithClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	tooMany, errs := commentFleet(t, srv, 8, 100, false)
	assert.NotZero(t, tooMany)
	limited := 0
	for _, err := range errs {
		if errors.Is(err, colony.ErrRateLimited) {
			limited++
		}
	}
	assert.Equal(t, 8, limited, "every replica ends on a 429")
	assert.Equal(t, 36, srv.CommentCount())
}

// recordingLimiter records what the client asks of its RateLimiter, and fails when told to.
type recordingLimiter struct {
	mu   sync.Mutex
	keys []string
	lims []colony.WriteLimit
	err  error
	// deadlines counts waits whose context had a deadline: the SDK timeout must not bound the queueing.
	deadlines int
}

func (l *recordingLimiter) Wait(ctx context.Context, key string, lim colony.WriteLimit) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := ctx.Deadline(); ok {
		l.deadlines++
	}
	l.keys = append(l.keys, key)
	l.lims = append(l.lims, lim)
	return l.err
}

func TestFleetRateLimiterHook(t *testing.T) {
	t.Parallel()
	srv := colonytest.NewServer(t)
	agent := srv.NewAgent("hooked")
	postID := srv.SeedPost(agent.Username, colonytest.SeedPost{Title: "t", Body: "b"})
	l := &recordingLimiter{}
	c := fleetClient(t, srv, agent.APIKey, colony.WithRateLimiter(l), colony.WithTimeout(time.Minute))
	ctx, cancel := context.WithCancel(context.Background()) // cancellable: the SDK would wrap it in its timeout
	defer cancel()

	_, err := c.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: "hi"})
	require.NoError(t, err)
	_, err = c.Posts.Create(ctx, &colony.PostCreateParams{Title: "A post", Body: "body", Colony: "general"})
	require.NoError(t, err)
	_, err = c.Posts.Get(ctx, postID)
	require.NoError(t, err)
	require.Len(t, l.keys, 2, "reads and unlimited writes do not wait")
	assert.Zero(t, l.deadlines, "the wait runs on the caller's context, before the SDK timeout starts")
	assert.Equal(t, []colony.WriteLimit{{Bucket: "comment", Requests: 36, Per: time.Hour},
		{Bucket: "post", Requests: 10, Per: time.Hour}}, l.lims)
	assert.True(t, strings.HasSuffix(l.keys[0], ":rate:comment"), l.keys[0])
	assert.True(t, strings.HasPrefix(l.keys[0], "colony:"), l.keys[0])
	assert.NotContains(t, l.keys[0], agent.APIKey)

	// A limiter error stops the write before anything is sent.
	l.err = context.DeadlineExceeded
	srv.ResetRequests()
	_, err = c.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: "queued too long"})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Empty(t, srv.Requests())

	_, err = colony.NewClient("k", colony.WithRateLimiter(nil))
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
}

func TestMemoryRateLimiterWindow(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var slept []time.Duration
	l := &colony.MemoryRateLimiter{Margin: time.Second, Now: func() time.Time { return now },
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); now = now.Add(d); return nil }}
	lim := colony.WriteLimit{Bucket: "comment", Requests: 3, Per: time.Minute}
	ctx := context.Background()
	for range 3 {
		require.NoError(t, l.Wait(ctx, "k", lim))
		now = now.Add(10 * time.Second)
	}
	assert.Empty(t, slept, "the first three start at once")
	require.NoError(t, l.Wait(ctx, "k", lim)) // at 0:30 the first (0:00) leaves the window at 1:01
	assert.Equal(t, []time.Duration{31 * time.Second}, slept)
	require.NoError(t, l.Wait(ctx, "other", lim), "keys are independent")
	assert.Len(t, slept, 1)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	l.Sleep = nil
	require.NoError(t, l.Wait(ctx, "full", colony.WriteLimit{Requests: 1, Per: time.Hour}))
	assert.ErrorIs(t, l.Wait(cancelled, "full", colony.WriteLimit{Requests: 1, Per: time.Hour}), context.Canceled)
}
