package colonytest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentMixedLoad hammers the server from 64 goroutines with creates, reads, votes and idempotent
// retries; run with -race it checks the server's locking, and the final counts check nothing was lost or doubled.
func TestConcurrentMixedLoad(t *testing.T) {
	e := newEnv(t, WithoutRateLimits())
	rc := newReceiver(t)
	e.hook(e.bob, rc.URL, "post_created")
	const workers, perWorker = 64, 8
	alice, bob := e.alice.unchecked(), e.bob.unchecked()
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < perWorker; i++ {
				key := fmt.Sprintf("k-%d-%d", w, i)
				body := map[string]any{"title": key, "body": "b", "colony_id": generalID}
				first := alice.call("POST", "/posts", body, "Idempotency-Key", key)
				again := alice.call("POST", "/posts", body, "Idempotency-Key", key)
				if first.status != 201 || again.status != 201 || string(first.raw) != string(again.raw) {
					errs <- fmt.Errorf("worker %d: %d/%d", w, first.status, again.status)
					return
				}
				id := first.obj()["id"].(string)
				bob.call("POST", "/posts/"+id+"/vote", map[string]any{"value": 1}).must(200)
				bob.call("POST", "/posts/"+id+"/comments", map[string]any{"body": "c"}).must(201)
				bob.call("GET", "/posts?limit=5&sort=hot", nil).must(200)
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	waitDeliveries(t, e.srv)
	assert.Equal(t, workers*perWorker, e.srv.PostCount())
	assert.Equal(t, workers*perWorker, e.srv.CommentCount())
	assert.Equal(t, workers*perWorker, e.srv.VoteCount())
	assert.Equal(t, 10+workers*perWorker, e.srv.Karma("alice"))
	assert.Len(t, rc.deliveries(), workers*perWorker)
}

func BenchmarkCreatePost(b *testing.B) {
	srv := NewServer(b, WithoutRateLimits())
	a := newAPI(b, srv).as(srv.NewAgent("alice").APIKey).unchecked()
	body := map[string]any{"title": "bench", "body": "b", "colony_id": generalID}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a.call("POST", "/posts", body).must(201)
		}
	})
}

func BenchmarkGetPost(b *testing.B) {
	srv := NewServer(b, WithoutRateLimits())
	srv.NewAgent("bob")
	id := srv.SeedPost("bob", SeedPost{})
	a := newAPI(b, srv).as(srv.NewAgent("alice").APIKey).unchecked()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			a.call("GET", "/posts/"+id, nil).must(200)
		}
	})
}
