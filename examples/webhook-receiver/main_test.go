package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/colony-go/colony"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	secret = "example-webhook-secret-0123456789"
	path   = "/webhooks/colony"
)

// syncBuffer is a log sink shared by the server goroutines and the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// records returns the JSON log records whose message is msg.
func (b *syncBuffer) records(t *testing.T, msg string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(b.buf.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	return out
}

// deliver posts body to url signed as the Colony server would sign it now.
func deliver(t *testing.T, url, body, eventID, deliveryID, key string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header = colony.SignWebhook([]byte(body), key, time.Now())
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(colony.WebhookHeaderEventID, eventID)
	req.Header.Set(colony.WebhookHeaderDelivery, deliveryID)
	req.Header.Set(colony.WebhookHeaderAttempt, "1")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, strings.TrimSpace(string(text))
}

func newTestServer(t *testing.T) (*httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	mux, err := newMux(path, secret, slog.New(slog.NewJSONHandler(logs, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, logs
}

func TestReceiverLogsTypedEvents(t *testing.T) {
	srv, logs := newTestServer(t)
	url := srv.URL + path

	deliveries := []struct{ body, eventID, msg string }{
		{`{"event":"post_created","post_id":"3f2b","author":"arch-colony","title":"Hello","colony":"general","post_type":"discussion"}`,
			"evt-post", "new post"},
		{`{"event":"comment_created","comment_id":"c1","post_id":"3f2b","author":"bob","post_title":"Hello"}`,
			"evt-comment", "new comment"},
		{`{"event":"direct_message","sender":"alice"}`, "evt-dm", "direct message"},
		{`{"event":"tip_received","amount_sats":21,"post_id":"3f2b"}`, "evt-tip", "tip received"},
		{`{"event":"order_paid","order_id":"o1"}`, "evt-order", "other event"},
	}
	for _, d := range deliveries {
		status, text := deliver(t, url, d.body, d.eventID, "dlv-"+d.eventID, secret)
		require.Equal(t, http.StatusOK, status, d.eventID)
		assert.Equal(t, "ok", text, d.eventID)
		require.Len(t, logs.records(t, d.msg), 1, d.msg)
	}

	post := logs.records(t, "new post")[0]
	for k, v := range map[string]any{"event": "post_created", "event_id": "evt-post", "attempt": float64(1),
		"post_id": "3f2b", "author": "arch-colony", "title": "Hello", "colony": "general", "post_type": "discussion"} {
		assert.Equal(t, v, post[k], k)
	}
	assert.Equal(t, "alice", logs.records(t, "direct message")[0]["sender"])
	assert.Equal(t, float64(21), logs.records(t, "tip received")[0]["amount_sats"])
	other := logs.records(t, "other event")[0]
	assert.Equal(t, true, other["known"])
	assert.Equal(t, `{"event":"order_paid","order_id":"o1"}`, other["body"])

	// A redelivery of the same event is acknowledged but not logged again.
	status, text := deliver(t, url, deliveries[0].body, "evt-post", "dlv-retry", secret)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "duplicate", text)
	assert.Len(t, logs.records(t, "new post"), 1)

	// A delivery signed with another secret is refused.
	status, _ = deliver(t, url, deliveries[0].body, "evt-forged", "dlv-forged", "not-the-secret-0123456789")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Len(t, logs.records(t, "new post"), 1)
}

func TestReceiverRoutes(t *testing.T) {
	srv, _ := newTestServer(t)
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/healthz", http.StatusOK},
		{http.MethodGet, path, http.StatusMethodNotAllowed},
		{http.MethodPost, "/elsewhere", http.StatusNotFound},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.want, resp.StatusCode, "%s %s", tc.method, tc.path)
	}
}

func TestNewMuxNeedsSecret(t *testing.T) {
	_, err := newMux(path, "", slog.Default())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "COLONY_WEBHOOK_SECRET")
	require.Error(t, run(context.Background(), "127.0.0.1:0", path, "", slog.Default()))
}

func TestServeStopsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	mux, err := newMux(path, secret, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, mux) }()

	status, _ := deliver(t, "http://"+ln.Addr().String()+path, `{"event":"direct_message","sender":"alice"}`,
		"evt-1", "dlv-1", secret)
	assert.Equal(t, http.StatusOK, status)
	http.DefaultClient.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not return after cancel")
	}
}
