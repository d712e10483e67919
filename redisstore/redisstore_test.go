package redisstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/colony-go/colony/redisstore"
	"github.com/colony-go/colony/storetest"
)

// redisAddr is the server the tests use (COLONY_REDIS_ADDR, e.g. 127.0.0.1:6399); without it every test skips.
var redisAddr = os.Getenv("COLONY_REDIS_ADDR")

func TestMain(m *testing.M) {
	if redisAddr == "" {
		fmt.Println("redisstore: COLONY_REDIS_ADDR is not set; skipping the Redis tests (.ci/run starts a redis-server)")
	}
	os.Exit(m.Run())
}

// newRedis returns a client with its own connection pool, closed at the end of the test.
func newRedis(t *testing.T) *redis.Client {
	t.Helper()
	if redisAddr == "" {
		t.Skip("COLONY_REDIS_ADDR not set")
	}
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 4})
	t.Cleanup(func() { _ = rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at %s: %v", redisAddr, err)
	}
	return rdb
}

// prefix returns a key prefix unique to this run, so tests never share keys.
func prefix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "colonytest:" + hex.EncodeToString(b[:]) + ":"
}

func TestConformance(t *testing.T) {
	t.Run("TokenStore", func(t *testing.T) {
		storetest.TestTokenStore(t, func(t *testing.T) colony.TokenStore {
			return redisstore.NewTokenStore(newRedis(t), prefix())
		})
	})
	t.Run("TokenLocker", func(t *testing.T) {
		storetest.TestTokenLocker(t, func(t *testing.T) colony.TokenLocker {
			return redisstore.NewTokenStore(newRedis(t), prefix())
		})
	})
	t.Run("WebhookDedupStore", func(t *testing.T) {
		storetest.TestWebhookDedupStore(t, func(t *testing.T) colony.WebhookDedupStore {
			return redisstore.NewWebhookDedupStore(newRedis(t), prefix())
		})
	})
}

func TestKeysUnderPrefix(t *testing.T) {
	rdb := newRedis(t)
	p := prefix()
	ctx := context.Background()
	ts := redisstore.NewTokenStore(rdb, p)
	if err := ts.Set(ctx, "colony:abc", colony.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	unlock, ok, err := ts.TryLockToken(ctx, "colony:abc", time.Minute)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	ds := redisstore.NewWebhookDedupStore(rdb, p)
	if _, _, err := ds.Claim(ctx, "evt-1", time.Minute); err != nil {
		t.Fatal(err)
	}
	keys, err := rdb.Keys(ctx, p+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(sortStrings(keys), " ")
	want := p + "token:colony:abc " + p + "tokenlock:colony:abc " + p + "webhook:evt-1"
	if got != want {
		t.Fatalf("keys = %q, want %q", got, want)
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.Exists(ctx, p+"tokenlock:colony:abc").Result(); n != 0 {
		t.Fatal("unlock left the lock key")
	}
	ttl, _ := rdb.PTTL(ctx, p+"token:colony:abc").Result()
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Fatalf("token key TTL = %s, want about an hour (the token's expiry)", ttl)
	}
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// fleetClient is one replica: its own colony.Client (own transport) and its own Redis pool.
func fleetClient(t *testing.T, srv *colonytest.Server, apiKey string, opts ...colony.Option) *colony.Client {
	t.Helper()
	c, err := colony.NewClient(apiKey, append([]colony.Option{colony.WithBaseURL(srv.URL()),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})},
		opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// 40 replicas, each with its own Client and Redis pool, starting together make exactly one token fetch.
func TestFleetOneTokenFetch(t *testing.T) {
	srv := colonytest.NewServer(t)
	agent := srv.NewAgent("fleet-bot")
	p := prefix()
	const replicas = 40
	clients := make([]*colony.Client, replicas)
	for i := range clients {
		clients[i] = fleetClient(t, srv, agent.APIKey, colony.WithTokenStore(redisstore.NewTokenStore(newRedis(t), p)))
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	for _, c := range clients {
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
		if err != nil {
			t.Fatal(err)
		}
	}
	fetches := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/auth/token" {
			fetches++
		}
	}
	if fetches != 1 {
		t.Fatalf("%d replicas made %d token fetches, want 1", replicas, fetches)
	}
}

const hookSecret = "whsec_fleet_secret_0123456789abcdef"

// replica is one webhook receiver process: its own handler, Redis pool and HTTP server.
type replica struct {
	h   *colony.WebhookHandler
	srv *httptest.Server
}

func newReplicas(t *testing.T, n int, p string, opts ...colony.WebhookHandlerOption) []replica {
	t.Helper()
	out := make([]replica, n)
	for i := range out {
		h, err := colony.NewWebhookHandler(hookSecret, append([]colony.WebhookHandlerOption{
			colony.WithWebhookDedupStore(redisstore.NewWebhookDedupStore(newRedis(t), p))}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		out[i] = replica{h: h, srv: srv}
	}
	return out
}

// deliver posts one signed delivery of eventID (attempt n) to url and returns "status text".
func deliver(t *testing.T, url, eventID string, n int) string {
	body := []byte(`{"event":"post_created","post_id":"p1","author":"bob","title":"Hello","colony":"general","post_type":"discussion"}`)
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		t.Error(err)
		return ""
	}
	req.Header = colony.SignWebhook(body, hookSecret, time.Now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(colony.WebhookHeaderEvent, "post_created")
	req.Header.Set(colony.WebhookHeaderEventID, eventID)
	req.Header.Set(colony.WebhookHeaderDelivery, fmt.Sprintf("dlv-%d", n))
	req.Header.Set(colony.WebhookHeaderAttempt, fmt.Sprint(n))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	return fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(text)))
}

// 100 concurrent deliveries of one event spread over 4 replicas: the handler runs once, and every delivery is
// answered 2xx (none counts toward the server's auto-disable).
func TestFleetWebhookHandledOnce(t *testing.T) {
	reps := newReplicas(t, 4, prefix())
	var runs atomic.Int32
	for _, r := range reps {
		r.h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error { runs.Add(1); return nil })
	}
	const deliveries = 100
	answers := make(chan string, deliveries)
	var wg sync.WaitGroup
	for i := range deliveries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers <- deliver(t, reps[i%len(reps)].srv.URL, "evt-once", i+1)
		}()
	}
	wg.Wait()
	close(answers)
	counts := map[string]int{}
	for a := range answers {
		counts[a]++
	}
	if runs.Load() != 1 {
		t.Fatalf("handler ran %d times, want 1", runs.Load())
	}
	if counts["200 ok"] != 1 || counts["200 duplicate"] != deliveries-1 {
		t.Fatalf("answers %v: want one 200 ok and %d 200 duplicate", counts, deliveries-1)
	}
}

// A replica killed mid-handler never releases its claim: after the lease expires the event is handled exactly
// once by another replica, and the dead replica's late return changes nothing.
func TestFleetReplicaKilledMidHandler(t *testing.T) {
	const lease = 300 * time.Millisecond
	reps := newReplicas(t, 2, prefix(), colony.WithWebhookClaimTTL(lease), colony.WithWebhookInFlightWait(10*time.Second))
	entered, killed := make(chan struct{}), make(chan struct{})
	var killOnce sync.Once
	kill := func() { killOnce.Do(func() { close(killed) }) }
	t.Cleanup(kill)
	var completed atomic.Int32
	reps[0].h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error {
		close(entered)
		<-killed // the process is gone: this handler never finishes its work
		return fmt.Errorf("killed")
	})
	reps[1].h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error {
		completed.Add(1)
		return nil
	})
	dead := make(chan string, 1)
	go func() { dead <- deliver(t, reps[0].srv.URL, "evt-killed", 1) }()
	<-entered

	// The server's retry reaches the live replica, which waits out the dead one's lease and handles the event.
	if got := deliver(t, reps[1].srv.URL, "evt-killed", 2); got != "200 ok" {
		t.Fatalf("redelivery after the lease: %q, want 200 ok", got)
	}
	if got := deliver(t, reps[1].srv.URL, "evt-killed", 3); got != "200 duplicate" {
		t.Fatalf("later redelivery: %q, want 200 duplicate", got)
	}
	kill() // the abandoned handler returns at last; its release must not free the committed event
	<-dead
	if got := deliver(t, reps[1].srv.URL, "evt-killed", 4); got != "200 duplicate" {
		t.Fatalf("redelivery after the dead replica returned: %q, want 200 duplicate", got)
	}
	if completed.Load() != 1 {
		t.Fatalf("event completed %d times, want 1", completed.Load())
	}
}

// A fleet of 8 replicas writing 100 comments under colonytest's 36-an-hour limit gets no 429.
func TestFleetCommentsUnderLimit(t *testing.T) {
	srv := colonytest.NewServer(t, colonytest.WithClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)))
	agent := srv.NewAgent("writer")
	postID := srv.SeedPost(agent.Username, colonytest.SeedPost{Title: "fleet", Body: "comments welcome"})
	p := prefix()
	var tooMany atomic.Int32
	count := colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
		if ri.StatusCode == http.StatusTooManyRequests {
			tooMany.Add(1)
		}
	})
	const replicas, total = 8, 100
	var next atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	clock := storetest.NewSimClock(replicas, srv.Now, srv.Advance) // the clock moves only while every replica waits
	for range replicas {
		rdb := newRedis(t)
		limiter := redisstore.NewRateLimiter(rdb, p)
		limiter.Now, limiter.Sleep = srv.Now, clock.Sleep
		c := fleetClient(t, srv, agent.APIKey, count, colony.WithRateLimiter(limiter),
			colony.WithTokenStore(redisstore.NewTokenStore(rdb, p)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer clock.Leave()
			for n := next.Add(1); n <= total; n = next.Add(1) {
				if _, err := c.Comments.Create(context.Background(), postID, &colony.CommentCreateParams{Body: fmt.Sprint("comment ", n)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if tooMany.Load() != 0 {
		t.Fatalf("the server answered 429 %d times, want 0", tooMany.Load())
	}
	if n := srv.CommentCount(); n != total {
		t.Fatalf("%d comments stored, want %d", n, total)
	}
}

// Without Now the limiter reads the Redis clock; a full window makes Wait block until ctx ends.
func TestRateLimiterRedisClock(t *testing.T) {
	l := redisstore.NewRateLimiter(newRedis(t), prefix())
	lim := colony.WriteLimit{Bucket: "post", Requests: 2, Per: time.Hour}
	ctx := context.Background()
	for range 2 {
		if err := l.Wait(ctx, "k", lim); err != nil {
			t.Fatal(err)
		}
	}
	var slept time.Duration
	l.Sleep = func(_ context.Context, d time.Duration) error { slept = d; return context.Canceled }
	if err := l.Wait(ctx, "k", lim); err != context.Canceled {
		t.Fatalf("Wait on a full window = %v, want the sleep's error", err)
	}
	if slept < time.Hour || slept > time.Hour+colony.DefaultRateLimitMargin {
		t.Fatalf("asked to sleep %s, want about an hour plus the margin", slept)
	}
}
