package colony_test

// No write lost or doubled: thousands of writes from 32 goroutines against a server
// that fails 30% of the attempts, some of them after applying the write.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const gWorkers = 32

// gResume retries a write that failed as maybe applied, with the error's idempotency
// key, and reports whether the server answered with the stored response of an
// earlier application (the write had happened) rather than applying it now.
// doomed writes (refused by the server whatever happens) must fail as not applied.
func gResume(t *testing.T, err error, doomed bool, do func(opts ...colony.RequestOption) error) (replayed bool) {
	t.Helper()
	var resp colony.Response
	rerr := do(colony.WithIdempotencyKey(gKey(t, err)), colony.WithResponseInto(&resp))
	if doomed {
		require.Error(t, rerr, "resuming a doomed write")
		require.False(t, colony.MaybeApplied(rerr), "%v", rerr)
		return false
	}
	require.NoError(t, rerr, "resuming %v", err)
	return resp.IdempotentReplay
}

// startFigures snapshots the counters of a chaos run that just ended.
func (e *gEnv) startFigures(calls int, start time.Time, method, path string) gFigures {
	return gFigures{calls: calls, elapsed: time.Since(start), attempts: e.watch.attempts.Load(),
		replays: e.watch.replays.Load(), serverHits: int64(e.requestsTo(method, path))}
}

// postsByTitle lists every post on the server through the API: title -> ids.
func postsByTitle(t *testing.T, c *colony.Client) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for p, err := range c.Posts.ListIter(context.Background(), &colony.PostListParams{Limit: 100}) {
		require.NoError(t, err)
		out[p.Title] = append(out[p.Title], p.ID)
	}
	return out
}

func counts(m map[string][]string) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}

func TestGuaranteePostCreatesNeitherLostNorDoubled(t *testing.T) {
	postChaos(t, 1000, 5, gChaosRate)
}

// With one retry and 60% faulty attempts, a third of the calls fail: each failure
// must say correctly whether its post may exist, and resuming it must not double it.
func TestGuaranteePostCreatesUnderHeavyFaultsSayWhetherApplied(t *testing.T) {
	postChaos(t, 300, 1, 0.6)
}

// postChaos makes n Posts.Create calls from gWorkers goroutines with retries
// retries while rate of the attempts fail, then checks the server against the outcomes.
func postChaos(t *testing.T, n, retries int, rate float64) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	c := e.client(e.agent("alice"), colony.WithoutBreaker(),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: retries, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	doomed := func(i int) bool { return i%50 == 49 } // over the server's 300-character limit: a 422
	title := func(i int) string {
		if doomed(i) {
			return fmt.Sprintf("chaos post %04d %s", i, strings.Repeat(".", 300))
		}
		return fmt.Sprintf("chaos post %04d", i)
	}
	create := func(i int, opts ...colony.RequestOption) (*colony.Post, error) {
		return c.Posts.Create(context.Background(), &colony.PostCreateParams{Title: title(i), Body: "written under chaos"}, opts...)
	}

	remove := gChaos(e.srv, "POST", "/posts", rate)
	start := time.Now()
	outs := gRun(n, gWorkers, func(i int) (string, error) {
		p, err := create(i)
		if err != nil {
			return "", err
		}
		return p.ID, nil
	})
	fig := e.startFigures(n, start, "POST", "/posts")
	fig.rate, fig.retries = rate, retries
	remove()

	before := postsByTitle(t, c)
	ok, definite, maybe := e.gClassify(outs)
	for _, o := range ok {
		assert.Equal(t, []string{o.id}, before[title(o.i)], "call %d succeeded: its post exists once", o.i)
		assert.False(t, doomed(o.i), "an over-long title was accepted")
	}
	for _, o := range definite {
		assert.Empty(t, before[title(o.i)], "call %d failed as not applied (%v) but its post exists", o.i, o.err)
		assert.True(t, doomed(o.i), "call %d failed as not applied: %v", o.i, o.err)
		assert.True(t, errors.Is(o.err, colony.ErrValidation) || errors.Is(o.err, colony.ErrInvalidArgument), "%v", o.err)
	}
	for _, o := range maybe {
		if len(before[title(o.i)]) > 0 {
			fig.maybeHappened++
		}
	}
	assert.Equal(t, len(ok)+fig.maybeHappened, e.srv.PostCount(), "posts on the server = successful calls + maybe-applied ones that happened")

	for _, o := range maybe {
		var got *colony.Post
		replayed := gResume(t, o.err, doomed(o.i), func(opts ...colony.RequestOption) (err error) {
			got, err = create(o.i, opts...)
			return err
		})
		ids := before[title(o.i)]
		assert.Equal(t, len(ids) == 1, replayed, "the resume replays exactly the creates that were applied")
		if len(ids) == 1 && got != nil {
			assert.Equal(t, ids[0], got.ID)
		}
	}
	after := postsByTitle(t, c)
	fig.ok, fig.definite, fig.maybe = len(ok), len(definite), len(maybe)
	fig.duplicates = gNoDoubles(t, counts(after))
	assert.Equal(t, n-n/50, e.srv.PostCount(), "every acceptable call is exactly one post")
	fig.log(t, "Posts.Create")
}

func TestGuaranteeCommentCreatesNeitherLostNorDoubled(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	posts := make([]string, 3)
	for i := range posts {
		posts[i] = e.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprintf("thread %d", i)})
	}
	c := e.client(e.agent("alice"), colony.WithoutBreaker())
	const n = 600
	doomed := func(i int) bool { return i%50 == 49 } // a post that does not exist: a 404
	target := func(i int) string {
		if doomed(i) {
			return "00000000-0000-4000-8000-00000000dead"
		}
		return posts[i%len(posts)]
	}
	body := func(i int) string { return fmt.Sprintf("chaos comment %04d", i) }
	create := func(i int, opts ...colony.RequestOption) (*colony.Comment, error) {
		return c.Comments.Create(context.Background(), target(i), &colony.CommentCreateParams{Body: body(i)}, opts...)
	}

	remove := gChaos(e.srv, "POST", "/posts/{id}/comments", gChaosRate)
	start := time.Now()
	outs := gRun(n, gWorkers, func(i int) (string, error) {
		cm, err := create(i)
		if err != nil {
			return "", err
		}
		return cm.ID, nil
	})
	fig := gFigures{calls: n, elapsed: time.Since(start), attempts: e.watch.attempts.Load(), replays: e.watch.replays.Load()}
	for _, p := range posts {
		fig.serverHits += int64(e.requestsTo("POST", "/posts/"+p+"/comments"))
	}
	fig.serverHits += int64(e.requestsTo("POST", "/posts/"+target(49)+"/comments"))
	remove()

	commentsByBody := func() map[string][]string {
		out := map[string][]string{}
		for _, p := range posts {
			all, err := c.Comments.All(context.Background(), p)
			require.NoError(t, err)
			for _, cm := range all {
				out[cm.Body] = append(out[cm.Body], cm.ID)
			}
		}
		return out
	}
	before := commentsByBody()
	ok, definite, maybe := e.gClassify(outs)
	for _, o := range ok {
		assert.Equal(t, []string{o.id}, before[body(o.i)], "call %d succeeded: its comment exists once", o.i)
	}
	for _, o := range definite {
		assert.Empty(t, before[body(o.i)], "call %d failed as not applied (%v) but its comment exists", o.i, o.err)
		assert.True(t, doomed(o.i), "call %d failed as not applied: %v", o.i, o.err)
		assert.ErrorIs(t, o.err, colony.ErrNotFound)
	}
	for _, o := range maybe {
		if len(before[body(o.i)]) > 0 {
			fig.maybeHappened++
		}
	}
	assert.Equal(t, len(ok)+fig.maybeHappened, e.srv.CommentCount())
	for _, o := range maybe {
		replayed := gResume(t, o.err, doomed(o.i), func(opts ...colony.RequestOption) error { _, err := create(o.i, opts...); return err })
		assert.Equal(t, len(before[body(o.i)]) == 1, replayed, "the resume replays exactly the comments that were applied")
	}
	fig.ok, fig.definite, fig.maybe = len(ok), len(definite), len(maybe)
	fig.duplicates = gNoDoubles(t, counts(commentsByBody()))
	assert.Equal(t, n-n/50, e.srv.CommentCount(), "every acceptable call is exactly one comment")
	fig.log(t, "Comments.Create")
}

func TestGuaranteeVotesNeitherLostNorDoubled(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	posts := make([]string, 8)
	for i := range posts {
		posts[i] = e.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprintf("vote on me %d", i)})
	}
	voters := make([]*colony.Client, 64)
	for i := range voters {
		voters[i] = e.client(e.agent(fmt.Sprintf("voter%02d", i)), colony.WithoutBreaker())
	}
	karma0 := e.srv.Karma("bob")
	missing := "00000000-0000-4000-8000-00000000dead"
	type job struct{ voter, post int } // post -1: a missing post (a definite 404)
	var jobs []job
	for v := range voters {
		for p := range posts {
			jobs = append(jobs, job{v, p})
		}
		if v%8 == 0 {
			jobs = append(jobs, job{v, -1})
		}
	}
	postOf := func(j job) string {
		if j.post < 0 {
			return missing
		}
		return posts[j.post]
	}
	vote := func(j job, opts ...colony.RequestOption) error {
		_, err := voters[j.voter].Posts.Vote(context.Background(), postOf(j), 1, opts...)
		return err
	}

	remove := gChaos(e.srv, "POST", "/posts/{id}/vote", gChaosRate)
	start := time.Now()
	outs := gRun(len(jobs), gWorkers, func(i int) (string, error) { return "", vote(jobs[i]) })
	fig := gFigures{calls: len(jobs), elapsed: time.Since(start), attempts: e.watch.attempts.Load(), replays: e.watch.replays.Load()}
	for _, p := range posts {
		fig.serverHits += int64(e.requestsTo("POST", "/posts/"+p+"/vote"))
	}
	fig.serverHits += int64(e.requestsTo("POST", "/posts/"+missing+"/vote"))
	remove()

	// hasVoted asks the server, as the voter, whether the vote is recorded.
	hasVoted := func(j job) bool {
		pc, err := voters[j.voter].Posts.Context(context.Background(), postOf(j))
		require.NoError(t, err)
		return pc.YourVote != nil
	}
	ok, definite, maybe := e.gClassify(outs)
	perPost := map[int]int{}
	for _, o := range ok {
		perPost[jobs[o.i].post]++
	}
	for _, o := range definite {
		assert.Equal(t, -1, jobs[o.i].post, "only votes on the missing post fail as not applied: %v", o.err)
		assert.ErrorIs(t, o.err, colony.ErrNotFound)
	}
	happened := map[int]bool{}
	for _, o := range maybe {
		if j := jobs[o.i]; j.post >= 0 && hasVoted(j) {
			happened[o.i] = true
			perPost[j.post]++
		}
	}
	fig.maybeHappened = len(happened)
	for p, id := range posts {
		info, _ := e.srv.Post(id)
		assert.Equal(t, perPost[p], info.Score, "post %d: score = successful votes + maybe-applied ones that happened", p)
	}
	assert.Equal(t, len(ok)+len(happened), e.srv.VoteCount())
	for _, o := range maybe {
		replayed := gResume(t, o.err, jobs[o.i].post < 0, func(opts ...colony.RequestOption) error { return vote(jobs[o.i], opts...) })
		assert.Equal(t, happened[o.i], replayed, "the resume replays exactly the votes that were applied")
	}
	for p, id := range posts {
		info, _ := e.srv.Post(id)
		assert.Equal(t, len(voters), info.Score, "post %d: one vote per voter, none doubled", p)
	}
	assert.Equal(t, len(voters)*len(posts), e.srv.VoteCount())
	assert.Equal(t, karma0+len(voters)*len(posts), e.srv.Karma("bob"), "karma moved once per vote")
	fig.ok, fig.definite, fig.maybe = len(ok), len(definite), len(maybe)
	fig.log(t, "Posts.Vote")
}

func TestGuaranteeReactionTogglesNeitherLostNorDoubled(t *testing.T) {
	e := newGEnv(t, colonytest.WithoutRateLimits())
	e.agent("bob")
	const agents = gWorkers
	posts := make([]string, agents)
	clients := make([]*colony.Client, agents)
	for k := range agents {
		posts[k] = e.srv.SeedPost("bob", colonytest.SeedPost{Title: fmt.Sprintf("react to me %d", k)})
		clients[k] = e.client(e.agent(fmt.Sprintf("reactor%02d", k)), colony.WithoutBreaker())
	}
	toggles := func(k int) int { return 25 + k%6 } // odd and even totals
	toggle := func(k int, opts ...colony.RequestOption) error {
		_, err := clients[k].Posts.React(context.Background(), posts[k], colony.ReactionFire, opts...)
		return err
	}

	remove := gChaos(e.srv, "POST", "/reactions/toggle", gChaosRate)
	start := time.Now()
	perAgent := make([][]gOutcome, agents)
	var wg sync.WaitGroup
	for k := range agents { // each agent toggles its own post sequentially, all agents at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range toggles(k) {
				perAgent[k] = append(perAgent[k], gOutcome{i: j, err: toggle(k)})
			}
		}()
	}
	wg.Wait()
	fig := e.startFigures(0, start, "POST", "/reactions/toggle")
	remove()

	reacted := func(k int) int {
		info, _ := e.srv.Post(posts[k])
		return info.Reactions[string(colony.ReactionFire)]
	}
	for k, outs := range perAgent {
		ok, definite, maybe := e.gClassify(outs)
		assert.Empty(t, definite, "no toggle can fail as not applied here")
		if len(maybe) == 0 {
			assert.Equal(t, len(ok)%2, reacted(k), "agent %d: reaction state = parity of its %d successful toggles", k, len(ok))
		}
		for _, o := range maybe {
			if gResume(t, o.err, false, func(opts ...colony.RequestOption) error { return toggle(k, opts...) }) {
				fig.maybeHappened++
			}
		}
		assert.Equal(t, toggles(k)%2, reacted(k), "agent %d: %d toggles, each applied exactly once", k, toggles(k))
		fig.calls += len(outs)
		fig.ok, fig.definite, fig.maybe = fig.ok+len(ok), fig.definite+len(definite), fig.maybe+len(maybe)
	}
	fig.log(t, "Posts.React (toggle)")
}
