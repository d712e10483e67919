package colony_test

// Secrets: the API key and the access token never leave the request that needs them.
// Every guarantee test scans what its clients produced (see gEnv.scanSecrets); this
// file adds the flows that involve secrets most directly.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Canary secrets of the fake servers; colonytest servers mint their own keys and tokens.
const (
	gCanaryKey     = "col_CANARYguarantee0123456789abcdef"
	gCanaryJWT     = "eyJhbGciOiJIUzI1NiJ9.eyJDQU5BUlkiOnRydWV9.CANARYsig-guarantee"
	gCanaryRotated = "col_CANARYrotated9876543210fedcba"
	gCanaryHook    = "whsec_CANARY_webhook_secret_0123"
)

// gSecretTour is a fake API that exercises every path a secret travels: token
// exchange, retries, a 401 refresh, errors, rate limits, key rotation, webhook
// secrets and registration.
func gSecretTour(t *testing.T, e *gEnv) (c *colony.Client, sawToken *atomic.Bool) {
	sawToken = &atomic.Bool{}
	var flaky, unauthorized, hooks atomic.Int32
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, body string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	mux.HandleFunc("GET /api/v1/posts/flaky", func(w http.ResponseWriter, r *http.Request) {
		if flaky.Add(1) <= 2 {
			reply(w, 503, `{"detail":"busy"}`)
			return
		}
		reply(w, 200, `{"id":"flaky"}`)
	})
	mux.HandleFunc("GET /api/v1/posts/expired", func(w http.ResponseWriter, r *http.Request) {
		if unauthorized.Add(1) == 1 {
			reply(w, 401, `{"detail":{"message":"Invalid or expired token","code":"AUTH_INVALID_TOKEN"}}`)
			return
		}
		reply(w, 200, `{"id":"expired"}`)
	})
	mux.HandleFunc("GET /api/v1/posts/broken", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 500, `{"detail":"internal error"}`)
	})
	mux.HandleFunc("GET /api/v1/posts/limited", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		reply(w, 429, `{"detail":"slow down"}`)
	})
	mux.HandleFunc("GET /api/v1/posts/echo", func(w http.ResponseWriter, r *http.Request) {
		// A server quoting the credentials back FastAPI-style (posts/quoted quotes them in
		// the message itself).
		// Redaction goes by value, not by member name: the key also comes back as an "input",
		// and both come back in response headers, which hooks see.
		w.Header().Set("X-Echo-Auth", r.Header.Get("Authorization"))
		w.Header().Set("X-Echo-Key", "key="+gCanaryKey)
		reply(w, 422, `{"detail":[{"type":"value_error","loc":["header","authorization"],"msg":"token rejected",`+
			`"input":"`+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+`","ctx":{"api_key":"`+gCanaryKey+`"}},`+
			`{"type":"string_too_long","loc":["body","api_key"],"msg":"String should have at most 32 characters","input":"`+gCanaryKey+`"}]}`)
	})
	mux.HandleFunc("GET /api/v1/posts/quoted", func(w http.ResponseWriter, r *http.Request) {
		// The message parsed from the body (APIError.Message) is redacted like the body.
		reply(w, 400, `{"detail":"token `+gCanaryJWT+` does not belong to key `+gCanaryKey+`"}`)
	})
	mux.HandleFunc("POST /api/v1/webhooks", func(w http.ResponseWriter, r *http.Request) {
		if hooks.Add(1) == 1 {
			reply(w, 500, `{"detail":"boom"}`)
			return
		}
		reply(w, 201, `{"id":"w1","url":"https://example.com/hook","events":["post_created"],"is_active":true}`)
	})
	mux.HandleFunc("POST /api/v1/auth/rotate-key", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, `{"api_key":"`+gCanaryRotated+`"}`)
	})
	mux.HandleFunc("POST /api/v1/auth/register", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 201, `{"agent_id":"a1","api_key":"`+gCanaryRotated+`"}`)
	})
	c = gFake(t, e, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Bearer "+gCanaryJWT {
			sawToken.Store(true)
		}
		mux.ServeHTTP(w, r)
	}, colony.WithRetry(colony.RetryPolicy{MaxRetries: 3, BaseDelay: time.Millisecond, MaxDelay: 10 * time.Millisecond}))
	e.mu.Lock()
	e.keys = append(e.keys, gCanaryRotated, gCanaryHook)
	e.mu.Unlock()
	return c, sawToken
}

func TestGuaranteeSecretsNeverLeak(t *testing.T) {
	e := newGEnv(t)
	c, sawToken := gSecretTour(t, e)
	ctx := context.Background()
	steps := []struct {
		name    string
		call    func() error
		wantErr bool
	}{
		{"retried 503s", func() error { _, err := c.Posts.Get(ctx, "flaky"); return err }, false},
		{"401 refresh", func() error { _, err := c.Posts.Get(ctx, "expired"); return err }, false},
		{"500", func() error { _, err := c.Posts.Get(ctx, "broken"); return err }, true},
		{"429 past the cap", func() error { _, err := c.Posts.Get(ctx, "limited"); return err }, true},
		{"404", func() error { _, err := c.Posts.Get(ctx, "missing"); return err }, true},
		{"server echoing the secrets", func() error { _, err := c.Posts.Get(ctx, "echo"); return err }, true},
		{"server quoting the secrets in its message", func() error { _, err := c.Posts.Get(ctx, "quoted"); return err }, true},
		{"webhook secret, write failing with a 500", func() error {
			_, err := c.Webhooks.Create(ctx, &colony.WebhookCreateParams{URL: "https://example.com/hook",
				Events: []colony.EventType{"post_created"}, Secret: gCanaryHook})
			return err
		}, true},
		{"webhook secret", func() error {
			_, err := c.Webhooks.Create(ctx, &colony.WebhookCreateParams{URL: "https://example.com/hook",
				Events: []colony.EventType{"post_created"}, Secret: gCanaryHook})
			return err
		}, false},
		{"printing the client (fmt verbs and slog's text handler)", func() error {
			e.watch.note("client %v | %+v | %#v", c, c, c)
			slog.New(slog.NewTextHandler(e.watch, nil)).Info("client ready", "client", c)
			return nil
		}, false},
		{"rotate key", func() error { _, err := c.Auth.RotateKey(ctx); return err }, false},
		{"cancelled", func() error {
			cctx, cancel := context.WithCancel(ctx)
			cancel()
			_, err := c.Posts.Get(cctx, "flaky")
			return err
		}, true},
		{"register", func() error {
			_, err := colony.Register(ctx, &colony.RegisterParams{Username: "u", DisplayName: "U", Bio: "b"},
				append([]colony.Option{colony.WithBaseURL(c.BaseURL())}, e.watch.options()...)...)
			return err
		}, false},
		{"token exchange answered with a 422 echoing the key", func() error {
			echo := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnprocessableEntity)
				_, _ = io.WriteString(w, `{"detail":[{"type":"string_too_long","loc":["body","api_key"],`+
					`"msg":"String should have at most 32 characters","input":"`+gCanaryKey+`"}]}`)
			}))
			ec, err := colony.NewClient(gCanaryKey, append([]colony.Option{colony.WithBaseURL(echo.URL + "/api/v1"),
				colony.WithRetry(colony.RetryPolicy{})}, e.watch.options()...)...)
			require.NoError(t, err)
			defer ec.CloseIdleConnections()
			_, err = ec.Users.Me(ctx)
			var ae *colony.APIError
			require.ErrorAs(t, err, &ae)
			return err
		}, true},
		{"unreachable host", func() error {
			dead, err := colony.NewClient(gCanaryKey, append([]colony.Option{colony.WithBaseURL("http://127.0.0.1:1/api/v1"),
				colony.WithRetry(colony.RetryPolicy{})}, e.watch.options()...)...)
			require.NoError(t, err)
			_, err = dead.Posts.Get(ctx, "x")
			return err
		}, true},
		{"a hook that panics with what it sees", func() (err error) {
			loud, err := colony.NewClient(gCanaryKey, colony.WithBaseURL(c.BaseURL()),
				colony.WithRequestHook(func(_ context.Context, ri colony.RequestInfo) {
					panic(fmt.Sprintf("hook saw %+v %s", ri, ri.Body)) // the token exchange, first
				}))
			require.NoError(t, err)
			defer func() {
				v := recover()
				require.NotNil(t, v)
				e.watch.panicked(v)
				err = errors.New("panicked")
			}()
			_, err = loud.Posts.Get(ctx, "flaky")
			return err
		}, true},
	}
	for _, s := range steps {
		err := s.call()
		e.watch.err(err)
		assert.Equal(t, s.wantErr, err != nil, "%s: %v", s.name, err)
	}
	out := e.watch.String()
	assert.True(t, sawToken.Load(), "the canary token was really used")
	assert.Contains(t, out, `"level":"DEBUG"`, "debug logs were captured")
	assert.Contains(t, out, "[REDACTED]", "secret fields are visibly redacted in hook bodies")
	assert.Contains(t, out, "hook saw {Method:POST", "the panic of the hook, during the token exchange, was captured")
	assert.Contains(t, out, "/webhooks", "the failed write was logged")
	assert.Contains(t, out, "X-Echo-Auth:[Bearer [REDACTED]]", "echoed response headers reach hooks redacted")
	assert.Contains(t, out, "does not belong to key", "the quoted message was captured")
	for _, s := range []string{gCanaryKey, gCanaryJWT, gCanaryRotated, gCanaryHook} {
		assert.NotContains(t, out, s) // also checked by scanSecrets, with these in e.keys
	}
	t.Logf("GUARANTEE secrets: %d flows (token exchange, retries, 401 refresh, 4xx/5xx, 429, a server echoing the secrets, "+
		"webhook secret, key rotation, registration, cancellation, transport failure, panicking hook, printed client): %d KB of errors, debug logs, hook fields and panics "+
		"scanned, 0 occurrences of the key, token, rotated key or webhook secret", len(steps), len(out)>>10)
}

func TestGuaranteeAuthorizationStaysOnItsHost(t *testing.T) {
	var mu sync.Mutex
	var leaked []string
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		if strings.Contains(string(body), "CANARY") {
			leaked = append(leaked, r.Host+" body")
		}
		for k, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, "CANARY") {
					leaked = append(leaked, r.Host+" "+k)
				}
			}
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"elsewhere"}`)
	}))
	t.Cleanup(other.Close)
	otherHostname := strings.Replace(other.URL, "127.0.0.1", "localhost", 1)
	var landedWithAuth atomic.Bool
	e := newGEnv(t)
	c := gFake(t, e, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/posts/other-port":
			http.Redirect(w, r, other.URL+"/api/v1/posts/x", http.StatusFound)
		case "/api/v1/posts/other-host":
			http.Redirect(w, r, otherHostname+"/api/v1/posts/x", http.StatusTemporaryRedirect)
		case "/api/v1/webhooks": // a 307 makes net/http replay the body, webhook secret included
			http.Redirect(w, r, otherHostname+"/api/v1/webhooks", http.StatusTemporaryRedirect)
		case "/api/v1/posts/same-host":
			http.Redirect(w, r, "/api/v1/posts/landing", http.StatusMovedPermanently)
		case "/api/v1/posts/landing":
			landedWithAuth.Store(r.Header.Get("Authorization") == "Bearer "+gCanaryJWT)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"landing"}`)
		}
	})
	ctx := context.Background()
	for id, status := range map[string]int{"other-port": http.StatusFound, "other-host": http.StatusTemporaryRedirect} {
		_, err := c.Posts.Get(ctx, id)
		var ae *colony.APIError
		require.ErrorAs(t, err, &ae, "a redirect to another origin is not followed: %s", id)
		assert.Equal(t, status, ae.StatusCode, id)
	}
	_, err := c.Webhooks.Create(ctx, &colony.WebhookCreateParams{URL: "https://example.com/hook",
		Events: []colony.EventType{"post_created"}, Secret: gCanaryHook})
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae, "a 307 of a write to another origin is not followed")
	assert.Equal(t, http.StatusTemporaryRedirect, ae.StatusCode)

	// A 307 answer to the token exchange would replay its body, the API key, to the other host.
	redirector := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherHostname+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	exchange, err := colony.NewClient(gCanaryKey, append([]colony.Option{colony.WithBaseURL(redirector.URL + "/api/v1"),
		colony.WithRetry(colony.RetryPolicy{})}, e.watch.options()...)...)
	require.NoError(t, err)
	t.Cleanup(exchange.CloseIdleConnections)
	_, err = exchange.Users.Me(ctx)
	require.Error(t, err, "a redirected token exchange fails")
	e.watch.err(err)

	p, err := c.Posts.Get(ctx, "same-host")
	require.NoError(t, err)
	assert.Equal(t, "landing", p.ID)
	assert.Empty(t, leaked, "credentials reached another host")
	assert.Zero(t, reached.Load(), "no request reached another origin")
	assert.True(t, landedWithAuth.Load(), "a redirect on the same host keeps the token")
	t.Logf("GUARANTEE secrets: redirects to another port or host are not followed (the 3xx is returned), " +
		"neither for reads nor for writes and the token exchange (307s that would replay the body); same-host redirects keep the token")
}

func TestGuaranteePlainHTTPIsRefusedOffLoopback(t *testing.T) {
	for _, u := range []string{
		"http://example.com/api/v1", "http://10.0.0.1/api/v1", "http://192.168.1.20:8080", "http://localhost.evil.example",
		"http://127.0.0.1.nip.io", "http://0x7f000001", "http://[::ffff:10.0.0.1]", "http://2130706433", "ftp://127.0.0.1",
	} {
		c, err := colony.NewClient(gCanaryKey, colony.WithBaseURL(u))
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, u)
		assert.Nil(t, c, u)
		if err != nil {
			assert.NotContains(t, err.Error(), gCanaryKey)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:1", "https://example.com/api/v1"} {
		_, err := colony.NewClient(gCanaryKey, colony.WithBaseURL(u))
		assert.NoError(t, err, u)
	}
	_, err := colony.NewClient(gCanaryKey, colony.WithBaseURL("http://10.0.0.1"), colony.WithInsecureHTTP())
	assert.NoError(t, err, "an explicit opt-in allows plain http")
	t.Logf("GUARANTEE secrets: plain http:// refused for 8 non-loopback hosts (and a non-http scheme) unless WithInsecureHTTP")
}
