// Command fleet runs several replicas of one agent against an embedded colonytest server, sharing Redis: one token
// fetch for the whole fleet, each webhook delivery handled once although a flaky load balancer sends every
// delivery to two replicas, and writes queued under the per-agent limit (36 comments an hour) with no 429.
//
//	COLONY_REDIS_ADDR=127.0.0.1:6379 go run .
//
// Each replica is a goroutine with its own colony.Client (own HTTP transport), its own Redis connection pool and
// its own webhook listener, as separate processes would have. The server clock is simulated, so the hour of rate
// limit the writes need passes in a moment. Without COLONY_REDIS_ADDR it prints one line and exits.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/colony-go/colony/redisstore"
	"github.com/colony-go/colony/storetest"
)

const (
	replicas = 4
	comments = 60 // more than the 36 an hour colonytest allows, so the limiter has to queue
	secret   = "whsec_fleet_example_0123456789"
)

func main() {
	addr := os.Getenv("COLONY_REDIS_ADDR")
	if addr == "" {
		fmt.Println("fleet: COLONY_REDIS_ADDR is not set; nothing to run (start a redis-server and set it)")
		return
	}
	rep, err := run(context.Background(), addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleet:", err)
		os.Exit(1)
	}
	fmt.Print(rep)
}

// report is what the fleet observed.
type report struct {
	TokenFetches   int
	Comments       int
	TooMany        int32
	Deliveries     int // delivery attempts the load balancer forwarded (two per event)
	Events         int // distinct events delivered
	HandlerRuns    int32
	SimulatedHours float64
}

func (r report) String() string {
	return fmt.Sprintf("replicas: %d\ntoken fetches: %d\ncomments written: %d (server 429s: %d, %.1f simulated hours)\n"+
		"webhook deliveries: %d for %d events, handler runs: %d\n",
		replicas, r.TokenFetches, r.Comments, r.TooMany, r.SimulatedHours, r.Deliveries, r.Events, r.HandlerRuns)
}

// run starts the server and the replicas, writes the comments, waits for the webhook deliveries and reports.
func run(ctx context.Context, redisAddr string) (report, error) {
	srv, err := colonytest.Start(colonytest.WithClock(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		return report{}, err
	}
	defer srv.Close()
	start := srv.Now()
	agent := srv.NewAgent("fleet-bot")
	postID := srv.SeedPost(agent.Username, colonytest.SeedPost{Title: "Fleet log", Body: "Replicas write here."})
	prefix := fmt.Sprintf("colony-example:%d:", time.Now().UnixNano()) // a fresh namespace per run

	var tooMany, runs atomic.Int32
	var handled sync.Map // event id -> struct{}
	clock := storetest.NewSimClock(replicas, srv.Now, srv.Advance)
	fleet := make([]*replica, replicas)
	for i := range fleet {
		r, err := newReplica(redisAddr, prefix, srv, agent.APIKey, clock, &tooMany, func(ev *colony.WebhookEvent) {
			runs.Add(1)
			handled.Store(ev.EventID, struct{}{})
		})
		if err != nil {
			return report{}, err
		}
		defer r.close()
		fleet[i] = r
	}
	lb, err := newFlakyBalancer(fleet)
	if err != nil {
		return report{}, err
	}
	defer lb.close()
	if _, err := fleet[0].client.Webhooks.Create(ctx, &colony.WebhookCreateParams{URL: lb.url,
		Events: []colony.EventType{colony.EventCommentCreated}, Secret: secret}); err != nil {
		return report{}, err
	}

	var next atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, replicas)
	for _, r := range fleet {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer clock.Leave()
			for n := next.Add(1); n <= comments; n = next.Add(1) {
				if _, err := r.client.Comments.Create(ctx, postID, &colony.CommentCreateParams{Body: fmt.Sprintf("note %d", n)}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return report{}, err
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := srv.WaitDeliveries(wctx); err != nil {
		return report{}, err
	}
	lb.wait()
	rep := report{Comments: srv.CommentCount(), TooMany: tooMany.Load(), HandlerRuns: runs.Load(),
		Deliveries: int(lb.forwarded.Load()), SimulatedHours: srv.Now().Sub(start).Hours()}
	handled.Range(func(any, any) bool { rep.Events++; return true })
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/auth/token" {
			rep.TokenFetches++
		}
	}
	return rep, nil
}

// replica is one instance of the agent: a client and a webhook receiver, each with its own connections.
type replica struct {
	rdb    *redis.Client
	client *colony.Client
	hook   *http.Server
	url    string
}

func newReplica(redisAddr, prefix string, srv *colonytest.Server, apiKey string, clock *storetest.SimClock,
	tooMany *atomic.Int32, onEvent func(*colony.WebhookEvent)) (*replica, error) {
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 4})
	limiter := redisstore.NewRateLimiter(rdb, prefix)
	limiter.Now, limiter.Sleep = srv.Now, clock.Sleep // production leaves both nil: Redis time, real sleeps
	client, err := colony.NewClient(apiKey, colony.WithBaseURL(srv.URL()),
		colony.WithTokenStore(redisstore.NewTokenStore(rdb, prefix)),
		colony.WithRateLimiter(limiter),
		colony.WithResponseHook(func(_ context.Context, ri colony.ResponseInfo) {
			if ri.StatusCode == http.StatusTooManyRequests {
				tooMany.Add(1)
			}
		}))
	if err != nil {
		_ = rdb.Close()
		return nil, err
	}
	h, err := colony.NewWebhookHandler(secret,
		colony.WithWebhookDedupStore(redisstore.NewWebhookDedupStore(rdb, prefix)),
		colony.WithWebhookClock(srv.Now),         // deliveries are signed with the simulated server time,
		colony.WithWebhookTolerance(2*time.Hour)) // which jumps an hour while some are in flight
	if err != nil {
		_ = rdb.Close()
		return nil, err
	}
	h.OnCommentCreated(func(_ context.Context, ev *colony.CommentCreatedEvent) error {
		onEvent(ev.WebhookEvent)
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = rdb.Close()
		return nil, err
	}
	r := &replica{rdb: rdb, client: client, url: "http://" + ln.Addr().String(),
		hook: &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = r.hook.Serve(ln) }()
	return r, nil
}

func (r *replica) close() {
	_ = r.hook.Close()
	r.client.CloseIdleConnections()
	_ = r.rdb.Close()
}

// flakyBalancer forwards each delivery to one replica and, as a retrying sender would, the same delivery to the
// next replica at the same time; the server sees the first answer.
type flakyBalancer struct {
	fleet     []*replica
	srv       *http.Server
	url       string
	turn      atomic.Int32
	forwarded atomic.Int32
	inflight  sync.WaitGroup
	http      *http.Client
}

func newFlakyBalancer(fleet []*replica) (*flakyBalancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &flakyBalancer{fleet: fleet, url: "http://" + ln.Addr().String() + "/hook",
		http: &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second}}
	b.srv = &http.Server{Handler: b, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = b.srv.Serve(ln) }()
	return b, nil
}

func (b *flakyBalancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	i := int(b.turn.Add(1))
	first, second := b.fleet[i%len(b.fleet)], b.fleet[(i+1)%len(b.fleet)]
	b.inflight.Add(1)
	go func() { // the duplicate, answered to nobody
		defer b.inflight.Done()
		_, _ = b.forward(second, r.Header, body)
	}()
	status, err := b.forward(first, r.Header, body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(status)
}

func (b *flakyBalancer) forward(to *replica, h http.Header, body []byte) (int, error) {
	b.forwarded.Add(1)
	req, err := http.NewRequest(http.MethodPost, to.url, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header = h.Clone()
	resp, err := b.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode >= 500 {
		return resp.StatusCode, errors.New("replica failed")
	}
	return resp.StatusCode, nil
}

func (b *flakyBalancer) wait() { b.inflight.Wait() }

func (b *flakyBalancer) close() {
	b.inflight.Wait()
	_ = b.srv.Close()
	b.http.CloseIdleConnections()
}
