package colony

import (
	"context"
	"errors"
	"fmt"
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

type item struct {
	ID string `json:"id"`
}

func TestNewClientOptions(t *testing.T) {
	cases := []struct {
		name    string
		key     string
		opts    []Option
		wantErr bool
		base    string
	}{
		{name: "defaults", key: "col_x", base: DefaultBaseURL},
		{name: "trailing slash trimmed", key: "col_x", opts: []Option{WithBaseURL("https://example.test/api/v1/")}, base: "https://example.test/api/v1"},
		{name: "loopback http allowed", key: "col_x", opts: []Option{WithBaseURL("http://127.0.0.1:9/api/v1")}, base: "http://127.0.0.1:9/api/v1"},
		{name: "localhost http allowed", key: "col_x", opts: []Option{WithBaseURL("http://localhost:9/api/v1")}, base: "http://localhost:9/api/v1"},
		{name: "remote http refused", key: "col_x", opts: []Option{WithBaseURL("http://colony.example/api/v1")}, wantErr: true},
		{name: "remote http with opt-in", key: "col_x", opts: []Option{WithBaseURL("http://colony.example/api/v1"), WithInsecureHTTP()}, base: "http://colony.example/api/v1"},
		{name: "ftp refused", key: "col_x", opts: []Option{WithBaseURL("ftp://x/api")}, wantErr: true},
		{name: "credentials in URL refused", key: "col_x", opts: []Option{WithBaseURL("https://u:p@x/api")}, wantErr: true},
		{name: "empty key", key: " ", wantErr: true},
		{name: "negative timeout", key: "col_x", opts: []Option{WithTimeout(-1)}, wantErr: true},
		{name: "bad retry", key: "col_x", opts: []Option{WithRetry(RetryPolicy{MaxRetries: -1})}, wantErr: true},
		{name: "bad breaker", key: "col_x", opts: []Option{WithBreaker(BreakerSettings{})}, wantErr: true},
		{name: "nil http client", key: "col_x", opts: []Option{WithHTTPClient(nil)}, wantErr: true},
		{name: "zero max bytes", key: "col_x", opts: []Option{WithMaxResponseBytes(0)}, wantErr: true},
		{name: "multi-line UA", key: "col_x", opts: []Option{WithUserAgent("a\nb")}, wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(tc.key, tc.opts...)
			if tc.wantErr {
				require.ErrorIs(t, err, ErrInvalidArgument)
				requireNoSecret(t, "option error", err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.base, c.BaseURL())
		})
	}
}

func TestWithHTTPClientNotMutated(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /ping", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	var used atomic.Int32
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return base.RoundTrip(r)
	})}
	before := *hc
	c := f.client(t, WithHTTPClient(hc))
	require.NoError(t, c.Do(context.Background(), "GET", "/ping", nil, nil))
	assert.EqualValues(t, 2, used.Load(), "token + call go through the caller's transport")
	assert.Equal(t, fmt.Sprintf("%p", before.Transport), fmt.Sprintf("%p", hc.Transport))
	assert.Nil(t, hc.CheckRedirect)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWireHeaders(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /posts", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Equal(t, "colony-go/"+Version, r.Header.Get("User-Agent"))
		assert.Len(t, r.Header.Get("Idempotency-Key"), 32)
		assert.Equal(t, "yes", r.Header.Get("X-Extra"))
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"id":"in"}`, string(b))
		writeJSON(w, 201, item{ID: "p1"})
	})
	f.handle("GET /posts", func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get("Content-Type"), "no body, no content type")
		assert.Empty(t, r.Header.Get("Idempotency-Key"), "reads carry no idempotency key")
		assert.Equal(t, "limit=5&sort=new", r.URL.RawQuery)
		writeJSON(w, 200, []item{{ID: "a"}})
	})
	f.handle("POST /auth/rotate-key", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"api_key": "col_new_key_for_rotation"})
	})
	c := f.client(t)
	var out item
	require.NoError(t, c.Do(context.Background(), "post", "/posts", item{ID: "in"}, &out, WithHeader("X-Extra", "yes")))
	assert.Equal(t, "p1", out.ID)
	var list []item
	require.NoError(t, c.Do(context.Background(), "GET", "/posts?sort=new&limit=5", nil, &list))
	assert.Equal(t, []item{{ID: "a"}}, list)

	require.ErrorIs(t, c.Do(context.Background(), "GET", "/posts", nil, nil, WithHeader("Authorization", "x")), ErrInvalidArgument)
	require.ErrorIs(t, c.Do(context.Background(), "GET", "posts", nil, nil), ErrInvalidArgument)
	require.ErrorIs(t, c.Do(context.Background(), "GET", "/posts/../users/me", nil, nil), ErrInvalidArgument)
	require.ErrorIs(t, c.Do(context.Background(), "GET", "//evil.example/x", nil, nil), ErrInvalidArgument)
	_, err := c.Auth.RotateKey(context.Background())
	require.NoError(t, err)

	// Like colony-sdk: no Accept header on any request, and no Idempotency-Key on the
	// token exchange (it is safe to repeat); writes, key rotation included, carry one.
	f.mu.Lock()
	defer f.mu.Unlock()
	seen := map[string]http.Header{}
	for _, r := range f.requests {
		assert.Empty(t, r.Header.Get("Accept"), "%s %s sends no Accept header", r.Method, r.Path)
		seen[r.Method+" "+r.Path] = r.Header
	}
	require.Contains(t, seen, "POST /api/v1/auth/token")
	assert.Empty(t, seen["POST /api/v1/auth/token"].Get("Idempotency-Key"))
	assert.NotEmpty(t, seen["POST /api/v1/auth/rotate-key"].Get("Idempotency-Key"), "kept deliberately (README)")
}

func TestUnauthorizedRefreshesOnceAndReplays(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("GET /users/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, item{ID: "me"}) })
	c := f.client(t)
	require.NoError(t, c.Do(context.Background(), "GET", "/users/me", nil, nil))
	f.revokeTokens()
	var out item
	require.NoError(t, c.Do(context.Background(), "GET", "/users/me", nil, &out))
	assert.Equal(t, "me", out.ID)
	assert.Equal(t, 2, f.count("POST", "/auth/token"), "one initial fetch, one refresh")
	assert.Equal(t, 3, f.count("GET", "/users/me"), "call, 401, replay")
}

func TestSecondUnauthorizedIsReturned(t *testing.T) {
	f := newFakeAPI(t)
	f.mux.HandleFunc("GET /users/me", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]any{"detail": map[string]any{"message": "Invalid or expired token", "code": "AUTH_INVALID_TOKEN"}})
	})
	c := f.client(t)
	err := c.Do(context.Background(), "GET", "/users/me", nil, nil)
	require.ErrorIs(t, err, ErrUnauthorized)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "AUTH_INVALID_TOKEN", ae.Code)
	assert.Equal(t, 2, f.count("GET", "/users/me"))
	assert.Equal(t, 2, f.count("POST", "/auth/token"))
	requireNoSecret(t, "401 error", err.Error())
}

func TestForbiddenNeverRefreshes(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /messages/send/{u}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, map[string]any{"detail": map[string]any{"message": "Karma too low", "code": "KARMA_TOO_LOW"}})
	})
	c := f.client(t)
	err := c.Do(context.Background(), "POST", "/messages/send/bob", map[string]string{"body": "hi"}, nil)
	require.ErrorIs(t, err, ErrForbidden)
	assert.Equal(t, 1, f.count("POST", "/auth/token"))
	assert.Equal(t, 1, f.count("POST", "/messages/send/bob"))
}

func TestCallerIdempotencyKeyIsUsedAndReported(t *testing.T) {
	f := newFakeAPI(t)
	f.handle("POST /posts", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "my-key-1", r.Header.Get("Idempotency-Key"))
		writeJSON(w, 500, map[string]any{"detail": "boom"})
	})
	c := f.client(t)
	err := c.Do(context.Background(), "POST", "/posts", map[string]string{}, nil, WithIdempotencyKey("my-key-1"))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "my-key-1", ae.IdempotencyKey)
	assert.True(t, MaybeApplied(err))
	assert.Equal(t, 1, f.count("POST", "/posts"), "500 is not retried")
}

func TestBackoffCapsRetryAfterAndJitters(t *testing.T) {
	h := http.Header{}
	h.Set("Retry-After", "120")
	resp := &http.Response{Header: h}
	assert.Equal(t, 3*time.Second, backoff(time.Second, 3*time.Second, 0, resp))
	h.Set("Retry-After", time.Now().Add(2*time.Second).UTC().Format(http.TimeFormat))
	d := backoff(time.Millisecond, 10*time.Second, 0, resp)
	assert.InDelta(t, float64(2*time.Second), float64(d), float64(1100*time.Millisecond), "HTTP-date form")
	for attempt := range 6 {
		d := backoff(100*time.Millisecond, time.Second, attempt, nil)
		want := min(100*time.Millisecond<<attempt, time.Second)
		assert.GreaterOrEqual(t, d, want/2)
		assert.LessOrEqual(t, d, want)
	}
}

func TestStatusToSentinel(t *testing.T) {
	cases := []struct {
		status   int
		body     string
		sentinel error
		code     string
		msg      string
	}{
		{400, `{"detail":"bad things"}`, ErrValidation, "", "bad things"},
		{401, `{"detail":{"message":"Invalid token","code":"AUTH_INVALID_TOKEN"}}`, ErrUnauthorized, "AUTH_INVALID_TOKEN", "Invalid token"},
		{403, `{"detail":{"message":"Karma too low","code":"KARMA_TOO_LOW"}}`, ErrForbidden, "KARMA_TOO_LOW", "Karma too low"},
		{404, `{"detail":{"message":"Post not found","code":"NOT_FOUND"}}`, ErrNotFound, "NOT_FOUND", "Post not found"},
		{409, `{"detail":{"message":"dup","code":"idempotency_payload_mismatch"}}`, ErrConflict, "idempotency_payload_mismatch", "dup"},
		{410, `{"error":"gone away"}`, nil, "", "gone away"},
		{422, `{"detail":[{"loc":["body","title"],"msg":"Field required","type":"missing"},{"loc":["query","limit"],"msg":"Input should be less than or equal to 100","type":"less_than_equal"}]}`, ErrValidation, "", "body.title: Field required; query.limit: Input should be less than or equal to 100"},
		{429, `{"detail":{"message":"Too many votes","code":"RATE_LIMIT_VOTE_HOURLY"}}`, ErrRateLimited, "RATE_LIMIT_VOTE_HOURLY", "Too many votes"},
		{500, `<html><body>Internal Server Error</body></html>`, ErrServer, "", "internal server error"},
		{502, `{"message":"bad gateway upstream"}`, ErrServer, "", "bad gateway upstream"},
		{418, ``, nil, "", "i'm a teapot"},
	}
	f := newFakeAPI(t)
	for _, tc := range cases {
		f.handle(fmt.Sprintf("GET /status/%d", tc.status), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "req-42")
			w.WriteHeader(tc.status)
			_, _ = io.WriteString(w, tc.body)
		})
	}
	c := f.client(t, WithRetry(RetryPolicy{}))
	sentinels := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrValidation, ErrRateLimited, ErrServer}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			err := c.Do(context.Background(), "GET", fmt.Sprintf("/status/%d", tc.status), nil, nil)
			require.Error(t, err)
			for _, s := range sentinels {
				assert.Equal(t, s == tc.sentinel, errors.Is(err, s), "errors.Is(%v)", s)
			}
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tc.status, ae.StatusCode)
			assert.Equal(t, tc.code, ae.Code)
			assert.Equal(t, tc.msg, ae.Message)
			assert.Equal(t, "req-42", ae.RequestID)
			assert.Equal(t, "GET", ae.Method)
			assert.Equal(t, fmt.Sprintf("/status/%d", tc.status), ae.Path)
			assert.Equal(t, tc.body, string(ae.Body))
			want := fmt.Sprintf("colony: GET /status/%d: %d", tc.status, tc.status)
			assert.True(t, strings.HasPrefix(err.Error(), want), err.Error())
		})
	}
}

func TestErrorStringFormat(t *testing.T) {
	e := &APIError{StatusCode: 404, Code: "NOT_FOUND", Message: "post not found", Method: "GET", Path: "/posts/{id}"}
	assert.Equal(t, "colony: GET /posts/{id}: 404 NOT_FOUND: post not found", e.Error())
}

func TestRateLimitTracking(t *testing.T) {
	f := newFakeAPI(t)
	var remaining atomic.Int32
	remaining.Store(10)
	f.handle("GET /rl", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["X-RateLimit-Limit"] = []string{"10"}
		w.Header()["X-RateLimit-Remaining"] = []string{fmt.Sprint(remaining.Add(-1))}
		w.Header()["X-RateLimit-Reset"] = []string{fmt.Sprint(time.Now().Add(time.Minute).Unix())}
		writeJSON(w, 200, item{})
	})
	c := f.client(t)
	_, ok := c.RateLimit()
	assert.False(t, ok)
	var resp Response
	require.NoError(t, c.Do(context.Background(), "GET", "/rl", nil, nil, WithResponseInto(&resp)))
	assert.Equal(t, 10, resp.RateLimit.Limit)
	assert.Equal(t, 9, resp.RateLimit.Remaining)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); assert.NoError(t, c.Do(context.Background(), "GET", "/rl", nil, nil)) }()
		wg.Add(1)
		go func() { defer wg.Done(); c.RateLimit() }()
	}
	wg.Wait()
	rl, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, 10, rl.Limit)
	assert.Less(t, rl.Remaining, 9)
	assert.WithinDuration(t, time.Now().Add(time.Minute), rl.Reset, 5*time.Second)
}
