package colonytest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receiver is a webhook endpoint that records deliveries and answers with scripted statuses.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []received
	statuses []int // consumed one per delivery; 200 once empty
	always   int   // when non-zero, answered to every delivery
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{header: r.Header.Clone(), body: body})
		status := 200
		switch {
		case rc.always != 0:
			status = rc.always
		case len(rc.statuses) > 0:
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) deliveries() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

func (rc *receiver) byEvent(event string) []received {
	var out []received
	for _, d := range rc.deliveries() {
		if d.header.Get("X-Colony-Event") == event {
			out = append(out, d)
		}
	}
	return out
}

func waitDeliveries(t *testing.T, srv *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, srv.WaitDeliveries(ctx))
}

func hmacHex(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

const secret = "s3cret-s3cret-s3cret"

func (e *env) hook(a *api, url string, events ...string) string {
	return a.call("POST", "/webhooks", map[string]any{"url": url, "events": events, "secret": secret}).must(201).obj()["id"].(string)
}

func TestDeliveryHeadersSignaturesAndFlatBody(t *testing.T) {
	start := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, WithClock(start))
	rc := newReceiver(t)
	e.hook(e.bob, rc.URL, "post_created")
	p := e.createPost(e.alice, "Hello", map[string]any{"post_type": "question"})
	waitDeliveries(t, e.srv)

	got := rc.deliveries()
	require.Len(t, got, 1)
	d := got[0]
	var body map[string]any
	require.NoError(t, json.Unmarshal(d.body, &body))
	assert.Equal(t, map[string]any{"event": "post_created", "post_id": p["id"], "author": "alice", "title": "Hello",
		"colony": "general", "post_type": "question"}, body)

	h := d.header
	unix := strconv.FormatInt(start.Unix(), 10)
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Equal(t, "sha256="+hmacHex(secret, d.body), h.Get("X-Colony-Signature"))
	assert.Equal(t, "t="+unix+",v1="+hmacHex(secret, append([]byte(unix+"."), d.body...)), h.Get("X-Colony-Signature-256"))
	assert.Equal(t, unix, h.Get("X-Colony-Timestamp"))
	assert.Equal(t, "post_created", h.Get("X-Colony-Event"))
	assert.Equal(t, "1", h.Get("X-Colony-Attempt"))
	_, ok := canonicalUUID(h.Get("X-Colony-Delivery"))
	assert.True(t, ok)
	_, ok = canonicalUUID(h.Get("X-Colony-Event-Id"))
	assert.True(t, ok)
	assert.NotEqual(t, h.Get("X-Colony-Delivery"), h.Get("X-Colony-Event-Id"))

	w := e.bob.call("GET", "/webhooks", nil).must(200).list()[0].(map[string]any)
	assert.Equal(t, ts(start), w["last_triggered_at"])
	log := e.srv.Deliveries()
	require.Len(t, log, 1)
	assert.True(t, log[0].Success)
	assert.Equal(t, 200, log[0].StatusCode)
}

func TestDeliveryRoutingOfEvents(t *testing.T) {
	e := newEnv(t)
	carol := e.srv.NewAgent("carol")
	carolAPI := e.anon.as(carol.APIKey)
	all := []string{"post_created", "comment_created", "comment_on_post", "reply_to_comment", "mention", "direct_message"}
	aliceRc, bobRc, carolRc := newReceiver(t), newReceiver(t), newReceiver(t)
	e.hook(e.alice, aliceRc.URL, all...)
	e.hook(e.bob, bobRc.URL, all...)
	e.hook(carolAPI, carolRc.URL, all...)

	pid := e.createPost(e.alice, "Post by alice")["id"].(string)
	c1 := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "comment by bob"}).must(201).obj()
	e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "reply, cc @carol", "parent_id": c1["id"]}).must(201)
	e.bob.call("POST", "/messages/send/carol", map[string]any{"body": "psst"}).must(200)
	waitDeliveries(t, e.srv)

	for _, rc := range []*receiver{aliceRc, bobRc, carolRc} {
		assert.Len(t, rc.byEvent("post_created"), 1, "broadcast")
		assert.Len(t, rc.byEvent("comment_created"), 2, "broadcast")
	}
	require.Len(t, aliceRc.byEvent("comment_on_post"), 1)
	assert.Empty(t, bobRc.byEvent("comment_on_post"))
	assert.Empty(t, carolRc.byEvent("comment_on_post"))
	var cop map[string]any
	require.NoError(t, json.Unmarshal(aliceRc.byEvent("comment_on_post")[0].body, &cop))
	assert.Equal(t, c1["id"], cop["comment_id"])
	assert.Equal(t, "bob", cop["author"])

	require.Len(t, bobRc.byEvent("reply_to_comment"), 1)
	assert.Empty(t, aliceRc.byEvent("reply_to_comment"))
	require.Len(t, carolRc.byEvent("mention"), 1)
	var mention map[string]any
	require.NoError(t, json.Unmarshal(carolRc.byEvent("mention")[0].body, &mention))
	assert.Equal(t, "alice", mention["author"])
	assert.Equal(t, "carol", mention["mentioned"])
	assert.Equal(t, pid, mention["post_id"])

	require.Len(t, carolRc.byEvent("direct_message"), 1)
	assert.Empty(t, bobRc.byEvent("direct_message"))
	assert.Equal(t, `{"event":"direct_message","sender":"bob"}`, string(carolRc.byEvent("direct_message")[0].body))

	// The two comment_created deliveries are concurrent: find bob's by its comment id.
	var cc map[string]any
	for _, d := range carolRc.byEvent("comment_created") {
		var body map[string]any
		require.NoError(t, json.Unmarshal(d.body, &body))
		if body["comment_id"] == c1["id"] {
			cc = body
		}
	}
	assert.Equal(t, map[string]any{"event": "comment_created", "comment_id": c1["id"], "post_id": pid, "author": "bob",
		"post_title": "Post by alice"}, cc)
}

func TestDeliveryRetriesKeepEventID(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	rc.statuses = []int{500, 503}
	id := e.hook(e.bob, rc.URL, "post_created")
	e.createPost(e.alice, "retry")
	waitDeliveries(t, e.srv)

	got := rc.deliveries()
	require.Len(t, got, 3)
	ids := map[string]bool{}
	for i, d := range got {
		assert.Equal(t, strconv.Itoa(i+1), d.header.Get("X-Colony-Attempt"))
		assert.Equal(t, got[0].header.Get("X-Colony-Event-Id"), d.header.Get("X-Colony-Event-Id"))
		ids[d.header.Get("X-Colony-Delivery")] = true
		assert.Equal(t, "sha256="+hmacHex(secret, d.body), d.header.Get("X-Colony-Signature"))
	}
	assert.Len(t, ids, 3, "a new delivery id per attempt")
	info, ok := e.srv.Webhook(id)
	require.True(t, ok)
	assert.Equal(t, 0, info.FailureCount, "a success resets the count")
	assert.NotNil(t, info.LastTriggeredAt)
}

func TestDeliveryAutoDisableAfterTenFailures(t *testing.T) {
	e := newEnv(t, WithWebhookRetry([]time.Duration{time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond}))
	rc := newReceiver(t)
	rc.always = 500
	id := e.hook(e.bob, rc.URL, "post_created")
	e.createPost(e.alice, "one")
	waitDeliveries(t, e.srv)
	w := e.bob.call("GET", "/webhooks/"+id, nil).must(200).obj()
	assert.EqualValues(t, 5, w["failure_count"])
	assert.Equal(t, true, w["is_active"])
	e.createPost(e.alice, "two")
	waitDeliveries(t, e.srv)
	w = e.bob.call("GET", "/webhooks/"+id, nil).must(200).obj()
	assert.EqualValues(t, 10, w["failure_count"])
	assert.Equal(t, false, w["is_active"])
	assert.Nil(t, w["last_triggered_at"])

	e.createPost(e.alice, "three")
	waitDeliveries(t, e.srv)
	assert.Len(t, rc.deliveries(), 10, "an inactive webhook gets nothing")

	w = e.bob.call("PUT", "/webhooks/"+id, map[string]any{"is_active": true}).must(200).obj()
	assert.EqualValues(t, 0, w["failure_count"])
	assert.Equal(t, true, w["is_active"])
}

func TestDeliveryTransportFailureCounts(t *testing.T) {
	e := newEnv(t, WithWebhookRetry(nil))
	rc := newReceiver(t)
	url := rc.URL
	rc.Close() // nothing listens there any more
	id := e.hook(e.bob, url, "post_created")
	e.createPost(e.alice, "x")
	waitDeliveries(t, e.srv)
	info, _ := e.srv.Webhook(id)
	assert.Equal(t, 1, info.FailureCount)
	log := e.srv.Deliveries()
	require.Len(t, log, 1)
	assert.Equal(t, 0, log[0].StatusCode)
	assert.NotEmpty(t, log[0].Err)
}

func TestTestPing(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	id := e.hook(e.bob, rc.URL, "post_created")
	d, err := e.srv.TestPing(id)
	require.NoError(t, err)
	assert.Equal(t, d.DeliveryID, d.EventID)
	assert.True(t, d.Success)

	r := e.bob.call("POST", "/webhooks/"+id+"/test", nil).must(200).obj()
	assert.Equal(t, "ping", r["event"])
	assert.Equal(t, r["id"], r["event_id"])
	assert.Equal(t, "success", r["status"])
	got := rc.deliveries()
	require.Len(t, got, 2)
	for _, g := range got {
		assert.Equal(t, g.header.Get("X-Colony-Delivery"), g.header.Get("X-Colony-Event-Id"))
		assert.Equal(t, "ping", g.header.Get("X-Colony-Event"))
	}
	hist := e.bob.call("GET", "/webhooks/"+id+"/deliveries", nil).must(200).list()
	assert.Len(t, hist, 2)
	e.alice.call("POST", "/webhooks/"+id+"/test", nil).must(404)
	_, err = e.srv.TestPing(newUUID())
	assert.Error(t, err)
}

func TestCloseStopsDeliveries(t *testing.T) {
	srv, err := Start(WithWebhookRetry([]time.Duration{time.Hour}))
	require.NoError(t, err)
	a := newAPI(t, srv)
	alice := a.as(srv.NewAgent("alice").APIKey)
	block := make(chan struct{})
	hit := make(chan struct{}, 1)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case hit <- struct{}{}:
		default:
		}
		select {
		case <-block:
		case <-r.Context().Done():
		}
		w.WriteHeader(500)
	}))
	defer rc.Close()
	defer close(block)
	alice.call("POST", "/webhooks", map[string]any{"url": rc.URL, "events": []string{"post_created"}, "secret": secret}).must(201)
	alice.call("POST", "/posts", map[string]any{"title": "t", "body": "b", "colony_id": generalID}).must(201)
	<-hit
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop the delivery")
	}
	assert.True(t, strings.HasPrefix(srv.URL(), "http://"))
}
