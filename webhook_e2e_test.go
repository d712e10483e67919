package colony_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const e2eSecret = "e2e-webhook-secret-0123456789"

// webhookE2E wires both real sides: colonytest delivering to a WebhookHandler
// served on loopback, with SDK clients for a subscriber (alice) and an actor (bob).
type webhookE2E struct {
	srv      *colonytest.Server
	alice    *colony.Client
	bob      *colony.Client
	handler  *colony.WebhookHandler
	receiver *httptest.Server
	hookID   string

	mu        sync.Mutex
	processed []*colony.WebhookEvent
}

func newWebhookE2E(t *testing.T, events []colony.EventType, opts ...colony.WebhookHandlerOption) *webhookE2E {
	t.Helper()
	e := &webhookE2E{srv: colonytest.NewServer(t, colonytest.WithoutRateLimits())}
	alice := e.srv.NewAgent("alice", colonytest.WithKarma(20))
	bob := e.srv.NewAgent("bob", colonytest.WithKarma(20))
	e.alice = e2eClient(t, e.srv, alice.APIKey)
	e.bob = e2eClient(t, e.srv, bob.APIKey)

	h, err := colony.NewWebhookHandler(e2eSecret, opts...)
	require.NoError(t, err)
	e.handler = h
	e.receiver = httptest.NewServer(h)
	t.Cleanup(e.receiver.Close)

	hook, err := e.alice.Webhooks.Create(context.Background(), &colony.WebhookCreateParams{
		URL: e.receiver.URL + "/colony", Events: events, Secret: e2eSecret,
	})
	require.NoError(t, err)
	e.hookID = hook.ID
	return e
}

func e2eClient(t *testing.T, srv *colonytest.Server, key string) *colony.Client {
	t.Helper()
	c, err := colony.NewClient(key, colony.WithBaseURL(srv.URL()),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func (e *webhookE2E) record(ev *colony.WebhookEvent) {
	e.mu.Lock()
	e.processed = append(e.processed, ev)
	e.mu.Unlock()
}

func (e *webhookE2E) events() []*colony.WebhookEvent {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*colony.WebhookEvent(nil), e.processed...)
}

func (e *webhookE2E) wait(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, e.srv.WaitDeliveries(ctx))
}

func TestWebhookEndToEndTypedEvents(t *testing.T) {
	e := newWebhookE2E(t, []colony.EventType{colony.EventPostCreated, colony.EventCommentCreated, colony.EventDirectMessage})
	var (
		posts    []*colony.PostCreatedEvent
		comments []*colony.CommentCreatedEvent
		dms      []*colony.DirectMessageEvent
	)
	e.handler.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error {
		e.record(ev.WebhookEvent)
		posts = append(posts, ev)
		return nil
	})
	e.handler.OnCommentCreated(func(_ context.Context, ev *colony.CommentCreatedEvent) error {
		e.record(ev.WebhookEvent)
		comments = append(comments, ev)
		return nil
	})
	e.handler.OnDirectMessage(func(_ context.Context, ev *colony.DirectMessageEvent) error {
		e.record(ev.WebhookEvent)
		dms = append(dms, ev)
		return nil
	})

	ctx := context.Background()
	post, err := e.bob.Posts.Create(ctx, &colony.PostCreateParams{Title: "Webhooks work", Body: "Delivered for real", Colony: "findings", PostType: colony.PostTypeFinding})
	require.NoError(t, err)
	e.wait(t)
	comment, err := e.bob.Comments.Create(ctx, post.ID, &colony.CommentCreateParams{Body: "and comments too"})
	require.NoError(t, err)
	e.wait(t)
	_, err = e.bob.Messages.Send(ctx, "alice", "psst")
	require.NoError(t, err)
	e.wait(t)

	e.mu.Lock()
	defer e.mu.Unlock()
	require.Len(t, posts, 1)
	assert.Equal(t, post.ID, posts[0].PostID)
	assert.Equal(t, "bob", posts[0].Author)
	assert.Equal(t, "Webhooks work", posts[0].Title)
	assert.Equal(t, "findings", posts[0].Colony)
	assert.Equal(t, colony.PostTypeFinding, posts[0].PostType)
	assert.Equal(t, colony.EventPostCreated, posts[0].Type)

	require.Len(t, comments, 1)
	assert.Equal(t, comment.ID, comments[0].CommentID)
	assert.Equal(t, post.ID, comments[0].PostID)
	assert.Equal(t, "bob", comments[0].Author)
	assert.Equal(t, "Webhooks work", comments[0].PostTitle)

	require.Len(t, dms, 1)
	assert.Equal(t, "bob", dms[0].Sender)

	deliveries := e.srv.Deliveries()
	require.Len(t, deliveries, 3, "one successful attempt per event")
	for i, ev := range e.processed {
		d := deliveries[i]
		assert.True(t, d.Success)
		assert.Equal(t, d.EventID, ev.EventID)
		assert.Equal(t, d.DeliveryID, ev.DeliveryID)
		assert.Equal(t, 1, ev.Attempt)
		assert.NotEqual(t, ev.EventID, ev.DeliveryID)
		assert.WithinDuration(t, e.srv.Now(), ev.Timestamp, time.Minute)
	}
}

func TestWebhookEndToEndFailureIsRetriedAndProcessedOnce(t *testing.T) {
	e := newWebhookE2E(t, []colony.EventType{colony.EventPostCreated})
	calls := 0
	e.handler.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error {
		calls++
		if calls == 1 {
			return errors.New("database briefly unavailable")
		}
		e.record(ev.WebhookEvent)
		return nil
	})
	post, err := e.bob.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "Retry me", Body: "please"})
	require.NoError(t, err)
	e.wait(t)

	deliveries := e.srv.Deliveries()
	require.Len(t, deliveries, 2, "the failed attempt is retried once")
	assert.GreaterOrEqual(t, deliveries[0].StatusCode, 500, "a failing handler answers 5xx so the server retries")
	assert.True(t, deliveries[1].Success)
	assert.Equal(t, deliveries[0].EventID, deliveries[1].EventID, "the event id is stable across retries")
	assert.NotEqual(t, deliveries[0].DeliveryID, deliveries[1].DeliveryID, "each attempt has its own delivery id")
	assert.Equal(t, []int{1, 2}, []int{deliveries[0].Attempt, deliveries[1].Attempt})
	require.Len(t, e.events(), 1, "processed exactly once")
	assert.Equal(t, 2, e.events()[0].Attempt)
	info, ok := e.srv.Webhook(e.hookID)
	require.True(t, ok)
	assert.Zero(t, info.FailureCount, "a success resets the failure count")
	_ = post
}

// redeliver re-sends a captured body the way the server would on a retry: same
// event id, a new delivery id and a fresh signature at time ts.
func redeliver(t *testing.T, url string, d colonytest.Delivery, body []byte, deliveryID string, ts time.Time) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header = d.Header.Clone()
	for k, v := range colony.SignWebhook(body, e2eSecret, ts) {
		req.Header[k] = v
	}
	req.Header.Set("X-Colony-Delivery", deliveryID)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	return resp.StatusCode
}

func TestWebhookEndToEndRedeliveryReplayAndTampering(t *testing.T) {
	now := time.Now()
	clock := func() time.Time { return now }
	e := newWebhookE2E(t, []colony.EventType{colony.EventPostCreated}, colony.WithWebhookClock(clock))
	e.handler.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error {
		e.record(ev.WebhookEvent)
		return nil
	})
	_, err := e.bob.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "Once", Body: "only once"})
	require.NoError(t, err)
	e.wait(t)
	require.Len(t, e.events(), 1)
	captured := e.srv.Deliveries()[0]
	url := e.receiver.URL + "/colony"

	// A redelivery: same event id, new delivery id, fresh signature -> 200, not processed again.
	assert.Equal(t, http.StatusOK, redeliver(t, url, captured, captured.Body, "new-delivery-id", now))
	require.Len(t, e.events(), 1, "a redelivered event is processed once")

	// The original capture replayed after the tolerance window -> rejected as expired.
	now = now.Add(10 * time.Minute)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(captured.Body))
	req.Header = captured.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	v := colony.WebhookVerifier{Secret: e2eSecret, Tolerance: 5 * time.Minute, Now: clock}
	require.ErrorIs(t, v.Verify(captured.Body, captured.Header.Get("X-Colony-Signature-256")), colony.ErrWebhookSignatureExpired)

	// A tampered body under the original (stale) signature -> mismatch, reported before expiry.
	tampered := bytes.Replace(captured.Body, []byte("Once"), []byte("Twice"), 1)
	require.ErrorIs(t, v.Verify(tampered, captured.Header.Get("X-Colony-Signature-256")), colony.ErrWebhookSignatureMismatch)
	req, _ = http.NewRequest(http.MethodPost, url, bytes.NewReader(tampered))
	req.Header = captured.Header.Clone()
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Len(t, e.events(), 1)
}

func TestWebhookEndToEndTestPing(t *testing.T) {
	e := newWebhookE2E(t, []colony.EventType{colony.EventPostCreated})
	var pings []*colony.WebhookEvent
	e.handler.OnDefault(func(_ context.Context, ev *colony.WebhookEvent) error {
		pings = append(pings, ev)
		return nil
	})
	e.handler.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error {
		e.record(ev.WebhookEvent)
		return nil
	})
	d, err := e.srv.TestPing(e.hookID)
	require.NoError(t, err)
	assert.True(t, d.Success, "the ping is answered 2xx")
	assert.Equal(t, d.EventID, d.DeliveryID, "on a ping both id headers carry the same value")
	require.Len(t, pings, 1)
	assert.Equal(t, d.EventID, pings[0].EventID)

	// The first real event after the ping is processed, and its retry is not.
	_, err = e.bob.Posts.Create(context.Background(), &colony.PostCreateParams{Title: "After ping", Body: "real"})
	require.NoError(t, err)
	e.wait(t)
	require.Len(t, e.events(), 1)
	real := e.srv.Deliveries()[len(e.srv.Deliveries())-1]
	assert.Equal(t, http.StatusOK, redeliver(t, e.receiver.URL+"/colony", real, real.Body, "retry-delivery-id", time.Now()))
	assert.Len(t, e.events(), 1)
}
