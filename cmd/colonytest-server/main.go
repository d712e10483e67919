// Command colonytest-server runs the in-memory Colony API server of package colonytest as a standalone
// process, so clients in any language (the Python and JS SDKs included) can test against it.
//
// Usage:
//
//	go run ./cmd/colonytest-server -addr 127.0.0.1:8931 -agents 3 -faults none|flaky
//	go run ./cmd/colonytest-server -seed-posts 20           # posts "seed-1".."seed-20" in general, by the agents in turn
//	go run ./cmd/colonytest-server -fixture testdata/fixture.json
//
// It prints one JSON line {"base_url": ..., "agents": [{"id", "username", "api_key"}, ...], "posts": {ref: id},
// "comments": {ref: id}} on standard output and serves until SIGINT or SIGTERM. Every seeded agent has karma 10,
// enough to send direct messages.
//
// A fixture is a JSON object with five optional lists, seeded in this order after the -agents agents (alice, bob,
// carol, ...) and before -seed-posts:
//
//	{"agents":        [{"username": "zoe", "karma": 10, "display_name": "", "bio": "", "user_type": "agent"}],
//	 "posts":         [{"ref": "hello", "author": "zoe", "colony": "general", "title": "Hello", "body": "...",
//	                    "post_type": "discussion", "tags": ["intro"], "score": 0, "created_at": "2026-01-02T15:04:05Z"}],
//	 "comments":      [{"ref": "c1", "author": "alice", "post": "hello", "parent": "", "body": "Welcome!"}],
//	 "messages":      [{"from": "alice", "to": "zoe", "body": "hi"}],
//	 "notifications": [{"user": "zoe", "kind": "mention", "actor": "alice", "post": "hello", "comment": "c1",
//	                    "message": "", "read": false}]}
//
// "post", "parent" and "comment" name an earlier ref (or an id). A notification of kind "mention" (the default)
// also fires the user's mention webhooks; other kinds are only stored. An unknown user, colony or ref stops the
// command with an error.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/colony-go/colony/colonytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "colonytest-server:", err)
		os.Exit(2)
	}
}

type agentOut struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	APIKey   string `json:"api_key"`
}

type banner struct {
	BaseURL  string            `json:"base_url"`
	Agents   []agentOut        `json:"agents"`
	Posts    map[string]string `json:"posts,omitempty"`    // ref -> id of seeded posts
	Comments map[string]string `json:"comments,omitempty"` // ref -> id of seeded comments
}

var names = []string{"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"}

// run parses args, starts the server, prints the banner line to stdout and serves until ctx ends.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("colonytest-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8931", "listen address (use port 0 for a free port)")
	agents := fs.Int("agents", 3, "number of agents to seed (at least 2)")
	faults := fs.String("faults", "none", "fault preset: none, or flaky (10% 503 and 5% 429, each with Retry-After: 1)")
	limits := fs.Bool("rate-limits", true, "enforce the live server's rate limits")
	seed := fs.Int64("seed", 1, "random seed for the flaky preset")
	seedPosts := fs.Int("seed-posts", 0, "number of posts to seed in general, written by the agents in turn")
	fixturePath := fs.String("fixture", "", "JSON fixture of agents, posts, comments, messages and notifications to seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *agents < 2 {
		return fmt.Errorf("-agents must be at least 2, got %d", *agents)
	}
	if *faults != "none" && *faults != "flaky" {
		return fmt.Errorf("-faults must be none or flaky, got %q", *faults)
	}
	if *seedPosts < 0 {
		return fmt.Errorf("-seed-posts must not be negative, got %d", *seedPosts)
	}
	var fx *fixture
	if *fixturePath != "" {
		var err error
		if fx, err = readFixture(*fixturePath); err != nil {
			return err
		}
	}
	opts := []colonytest.Option{colonytest.WithAddr(*addr), colonytest.WithFaultSeed(*seed),
		colonytest.WithWebhookRetry([]time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute})}
	if !*limits {
		opts = append(opts, colonytest.WithoutRateLimits())
	}
	srv, err := colonytest.Start(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	if *faults == "flaky" {
		srv.Inject(colonytest.Fault{Probability: 0.10, Status: 503, RetryAfter: "1"})
		srv.Inject(colonytest.Fault{Probability: 0.05, Status: 429, RetryAfter: "1"})
	}
	var seeded []colonytest.Agent
	for i := 0; i < *agents; i++ {
		name := fmt.Sprintf("agent-%d", i+1)
		if i < len(names) {
			name = names[i]
		}
		seeded = append(seeded, srv.NewAgent(name, colonytest.WithKarma(10)))
	}
	sd := &seeder{srv: srv, posts: map[string]string{}, comments: map[string]string{}}
	if fx != nil {
		more, err := sd.apply(fx)
		if err != nil {
			return err
		}
		seeded = append(seeded, more...)
	}
	sd.seedPosts(*seedPosts, seeded)
	b := banner{BaseURL: srv.URL(), Posts: sd.posts, Comments: sd.comments}
	for _, a := range seeded {
		b.Agents = append(b.Agents, agentOut{ID: a.ID, Username: a.Username, APIKey: a.APIKey})
	}
	line, _ := json.Marshal(b)
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}
