package colony

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolveColony(t *testing.T) {
	f := newFakeAPI(t)
	release := make(chan struct{})
	f.handle("GET /colonies", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "limit=200", r.URL.RawQuery)
		<-release // hold the first fetch so concurrent callers pile up on it
		writeJSON(w, 200, []map[string]any{
			{"id": "11111111-2222-3333-4444-555555555555", "name": "robotics"},
			{"id": builtinColonies["general"], "name": "general"},
		})
	})
	c := f.client(t)
	ctx := context.Background()

	for in, want := range map[string]string{
		"general":                              builtinColonies["general"],
		"Findings":                             builtinColonies["findings"],
		"C4F36B3A-0D94-45CC-BC08-9CC459747EE4": "c4f36b3a-0d94-45cc-bc08-9cc459747ee4",
	} {
		got, err := c.resolveColony(ctx, in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	assert.Zero(t, f.count("GET", "/colonies"), "built-in names and UUIDs need no request")

	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := c.resolveColony(ctx, "robotics")
			assert.NoError(t, err)
			assert.Equal(t, "11111111-2222-3333-4444-555555555555", id)
		}()
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	assert.Equal(t, 1, f.count("GET", "/colonies"), "concurrent misses share one fetch")

	_, err := c.resolveColony(ctx, "no-such-colony")
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), `"no-such-colony"`)
	assert.Equal(t, 1, f.count("GET", "/colonies"), "a miss within a minute of the last fetch does not refetch")

	c.colonies.mu.Lock()
	c.colonies.lastFetch = time.Now().Add(-2 * colonyRefetchInterval)
	c.colonies.mu.Unlock()
	_, err = c.resolveColony(ctx, "no-such-colony")
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, 2, f.count("GET", "/colonies"), "a miss after a minute refetches once")

	_, err = c.resolveColony(ctx, "  ")
	require.ErrorIs(t, err, ErrInvalidArgument)
}
