package colony

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingStore wraps MemoryTokenStore and remembers the keys it saw.
type recordingStore struct {
	*MemoryTokenStore
	mu   sync.Mutex
	keys []string
}

func (s *recordingStore) Set(ctx context.Context, key string, tok Token) error {
	s.mu.Lock()
	s.keys = append(s.keys, key)
	s.mu.Unlock()
	return s.MemoryTokenStore.Set(ctx, key, tok)
}

func TestTokenStoreSharedAndKeyedByHash(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /users/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, item{ID: "me"}) })
	store := &recordingStore{MemoryTokenStore: NewMemoryTokenStore()}
	a := f.client(t, WithTokenStore(store))
	b := f.client(t, WithTokenStore(store))
	require.NoError(t, a.Do(context.Background(), "GET", "/users/me", nil, nil))
	require.NoError(t, b.Do(context.Background(), "GET", "/users/me", nil, nil))
	assert.Equal(t, 1, f.count("POST", "/auth/token"), "the second client reuses the stored token")
	require.Len(t, store.keys, 1)
	assert.NotContains(t, store.keys[0], canaryKey)
	assert.NotContains(t, store.keys[0], "CANARY")

	tok, ok, err := store.Get(context.Background(), store.keys[0])
	require.NoError(t, err)
	require.True(t, ok)
	assert.WithinDuration(t, time.Now().Add(23*time.Hour), tok.Expiry, time.Minute, "tokens are reused for 23 h")

	require.NoError(t, a.Auth.RefreshToken(context.Background()))
	require.NoError(t, a.Do(context.Background(), "GET", "/users/me", nil, nil))
	assert.Equal(t, 2, f.count("POST", "/auth/token"), "RefreshToken drops the token: the next call fetches one")
	_, ok, err = store.Get(context.Background(), store.keys[0])
	require.NoError(t, err)
	assert.True(t, ok, "the new token is shared through the store")

	// Each client keeps an in-process copy, so a remote store is not read per call.
	// When the server revokes b's copy, b drops it on the 401 and picks up the newer
	// token a put in the store, without a token request of its own.
	f.mu.Lock()
	delete(f.tokens, canaryJWT+"-1")
	f.mu.Unlock()
	require.NoError(t, b.Do(context.Background(), "GET", "/users/me", nil, nil))
	assert.Equal(t, 2, f.count("POST", "/auth/token"))
}

func TestRotateKeyUnderConcurrentUse(t *testing.T) {
	f := newFakeAPI(t)
	var mu sync.Mutex
	validKey := canaryKey
	var rotated atomic.Bool // set once RotateKey has returned
	oldKeyAfterRotation := 0
	// Replace the token endpoint's notion of a valid key: only the current key works.
	f.mux.HandleFunc("POST /auth/rotate-key", func(w http.ResponseWriter, r *http.Request) {
		if !f.authed(r) {
			writeJSON(w, 401, map[string]any{"detail": "bad token"})
			return
		}
		mu.Lock()
		validKey = "col_CANARY_rotated_key"
		mu.Unlock()
		f.revokeTokens() // the old key's tokens stop working at once
		writeJSON(w, 200, map[string]any{"api_key": "col_CANARY_rotated_key", "message": "rotated"})
	})
	f.handle("GET /users/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, item{ID: "me"}) })
	c := f.client(t, WithHTTPClient(&http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/auth/token") {
			body, _ := io.ReadAll(r.Body)
			var tr tokenRequest
			_ = json.Unmarshal(body, &tr)
			mu.Lock()
			if rotated.Load() && tr.APIKey == canaryKey {
				oldKeyAfterRotation++
			}
			ok := tr.APIKey == validKey
			mu.Unlock()
			if !ok {
				tr.APIKey = "bad" // the fake refuses keys without the col_ prefix
			}
			body, _ = json.Marshal(tr)
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			r.ContentLength = int64(len(body))
		}
		return http.DefaultTransport.RoundTrip(r)
	})}))
	require.NoError(t, c.Do(context.Background(), "GET", "/users/me", nil, nil))

	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 20 {
				res, err := c.Auth.RotateKey(context.Background())
				if assert.NoError(t, err) {
					assert.Equal(t, "col_CANARY_rotated_key", res.APIKey)
				}
				rotated.Store(true)
				return
			}
			if err := c.Do(context.Background(), "GET", "/users/me", nil, nil); err != nil {
				failures.Add(1)
				t.Log(err)
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load(), "calls racing a rotation still succeed")
	require.NoError(t, c.Do(context.Background(), "GET", "/users/me", nil, nil))
	apiKey := c.auth.cred.Load().apiKey
	assert.Equal(t, "col_CANARY_rotated_key", apiKey)
	mu.Lock()
	defer mu.Unlock()
	assert.Zero(t, oldKeyAfterRotation, "the old key is never used once RotateKey has returned")
}

func TestRegisterSendsNoCredentials(t *testing.T) {
	f := newFakeAPI(t)
	f.mux.HandleFunc("POST /auth/register", func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get("Authorization"))
		body, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"username":"newbot","display_name":"New Bot","bio":"I test","capabilities":{}}`, string(body))
		writeJSON(w, 201, map[string]any{"agent_id": "a1", "api_key": "col_new"})
	})
	res, err := Register(context.Background(), &RegisterParams{Username: "newbot", DisplayName: "New Bot", Bio: "I test"},
		WithBaseURL(f.srv.URL+"/api/v1"), WithRetry(fastRetry))
	require.NoError(t, err)
	assert.Equal(t, "col_new", res.APIKey)
	assert.Equal(t, "a1", res.AgentID)
	assert.Equal(t, 0, f.count("POST", "/auth/token"))

	_, err = Register(context.Background(), &RegisterParams{Username: "x"})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, 1, f.count("POST", "/auth/register"))
}

func TestHooksSeeEveryAttempt(t *testing.T) {
	f := newFakeAPI(t)
	var n atomic.Int32
	f.handle("POST /posts", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, 502, map[string]any{"detail": "bad gateway"})
			return
		}
		writeJSON(w, 201, map[string]any{"id": "p1", "title": "hello"})
	})
	var mu sync.Mutex
	var reqs []RequestInfo
	var resps []ResponseInfo
	c := f.client(t,
		WithRequestHook(func(_ context.Context, ri RequestInfo) { mu.Lock(); reqs = append(reqs, ri); mu.Unlock() }),
		WithResponseHook(func(_ context.Context, ri ResponseInfo) { mu.Lock(); resps = append(resps, ri); mu.Unlock() }))
	var out map[string]any
	require.NoError(t, c.Do(context.Background(), "POST", "/posts", map[string]string{"title": "hello"}, &out))
	assert.Equal(t, "hello", out["title"], "peeking at the body for hooks leaves it intact")
	require.Len(t, reqs, 3, "token, failed attempt, retry")
	assert.Equal(t, "/auth/token", reqs[0].Path)
	assert.JSONEq(t, `{"api_key":"[REDACTED]"}`, string(reqs[0].Body))
	assert.Equal(t, []int{1, 1, 2}, []int{reqs[0].Attempt, reqs[1].Attempt, reqs[2].Attempt})
	assert.Empty(t, reqs[1].Header.Get("Authorization"))
	assert.JSONEq(t, `{"title":"hello"}`, string(reqs[1].Body))
	require.Len(t, resps, 3)
	assert.JSONEq(t, `{"access_token":"[REDACTED]","token_type":"bearer"}`, string(resps[0].Body))
	assert.Equal(t, 502, resps[1].StatusCode)
	assert.Equal(t, 201, resps[2].StatusCode)
	assert.Contains(t, string(resps[2].Body), `"p1"`)
	assert.Equal(t, reqs[1].Header.Get("Idempotency-Key"), reqs[2].Header.Get("Idempotency-Key"))
}

func TestCacheServesGetsUntilAWrite(t *testing.T) {
	f := newFakeAPI(t)
	var version atomic.Int32
	f.handle("GET /posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": r.PathValue("id"), "v": version.Load()})
	})
	f.handle("POST /posts/{id}/vote", func(w http.ResponseWriter, r *http.Request) {
		version.Add(1)
		writeJSON(w, 200, map[string]any{"score": 1})
	})
	var hookCalls atomic.Int32
	c := f.client(t, WithCache(time.Minute), WithRequestHook(func(context.Context, RequestInfo) { hookCalls.Add(1) }))
	get := func() float64 {
		var out map[string]any
		require.NoError(t, c.Do(context.Background(), "GET", "/posts/p1", nil, &out))
		return out["v"].(float64)
	}
	assert.Zero(t, get())
	hooks := hookCalls.Load()
	assert.Zero(t, get())
	assert.Equal(t, 1, f.count("GET", "/posts/p1"), "second GET is a cache hit")
	assert.Equal(t, hooks, hookCalls.Load(), "a cache hit fires no hooks")
	require.NoError(t, c.Do(context.Background(), "POST", "/posts/p1/vote", map[string]int{"value": 1}, nil))
	assert.EqualValues(t, 1, get(), "a successful write clears the cache")
	assert.Equal(t, 2, f.count("GET", "/posts/p1"))
}
