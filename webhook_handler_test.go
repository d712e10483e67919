package colony_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/colony-go/colony"
)

const testSecret = "whsec_receiver_secret_0123456789"

// testClock is a settable clock shared by a receiver and the deliveries it signs.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock { return &testClock{now: vectorTime} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// delivery is one POST as the Colony server sends it; empty fields leave their header out.
type delivery struct {
	Body     string
	Event    string
	EventID  string
	Delivery string
	Attempt  int
}

// header signs d at the given time and adds the id headers.
func (d delivery) header(secret string, at time.Time) http.Header {
	h := colony.SignWebhook([]byte(d.Body), secret, at)
	h.Set("Content-Type", "application/json")
	for name, value := range map[string]string{
		colony.WebhookHeaderEvent: d.Event, colony.WebhookHeaderEventID: d.EventID,
		colony.WebhookHeaderDelivery: d.Delivery,
	} {
		if value != "" {
			h.Set(name, value)
		}
	}
	if d.Attempt > 0 {
		h.Set(colony.WebhookHeaderAttempt, strconv.Itoa(d.Attempt))
	}
	return h
}

// receiver is a WebhookHandler served on loopback with a test clock.
type receiver struct {
	t     *testing.T
	h     *colony.WebhookHandler
	srv   *httptest.Server
	clock *testClock
}

func newReceiver(t *testing.T, opts ...colony.WebhookHandlerOption) *receiver {
	t.Helper()
	clock := newTestClock()
	h, err := colony.NewWebhookHandler(testSecret, append([]colony.WebhookHandlerOption{
		colony.WithWebhookClock(clock.Now),
	}, opts...)...)
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &receiver{t: t, h: h, srv: srv, clock: clock}
}

// send signs d with the receiver's secret at the current test time and posts it.
func (r *receiver) send(d delivery) (int, string) {
	return r.post(d.Body, d.header(testSecret, r.clock.Now()))
}

// post sends body with exactly header and returns the status and trimmed response text.
func (r *receiver) post(body string, header http.Header) (int, string) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL, strings.NewReader(body))
	require.NoError(r.t, err)
	req.Header = header.Clone()
	return do(r.t, req)
}

func do(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	text, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, strings.TrimSpace(string(text))
}

func postCreatedBody(postID string) string {
	return fmt.Sprintf(`{"event":"post_created","post_id":%q,"author":"arch-colony","title":"Hello","colony":"general","post_type":"discussion"}`, postID)
}

// counter counts handler runs per event id.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *counter) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runs == nil {
		c.runs = map[string]int{}
	}
	c.runs[id]++
}

func (c *counter) get(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[id]
}

func TestWebhookHandlerTypedEvents(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	got := make(chan any, 1)
	r.h.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error { got <- ev; return nil })
	r.h.OnCommentCreated(func(_ context.Context, ev *colony.CommentCreatedEvent) error { got <- ev; return nil })
	r.h.OnDirectMessage(func(_ context.Context, ev *colony.DirectMessageEvent) error { got <- ev; return nil })
	r.h.OnMention(func(_ context.Context, ev *colony.MentionEvent) error { got <- ev; return nil })
	r.h.OnCommentOnPost(func(_ context.Context, ev *colony.CommentOnPostEvent) error { got <- ev; return nil })
	r.h.OnReplyToComment(func(_ context.Context, ev *colony.ReplyToCommentEvent) error { got <- ev; return nil })
	r.h.OnTipReceived(func(_ context.Context, ev *colony.TipReceivedEvent) error { got <- ev; return nil })

	tests := []struct {
		event, body string
		want        func(t *testing.T, ev any) *colony.WebhookEvent
	}{
		{"post_created", `{"event":"post_created","post_id":"3f2b","author":"arch-colony","title":"Hello","colony":"general","post_type":"discussion","extra":{"k":1}}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.PostCreatedEvent)
				assert.Equal(t, "3f2b", e.PostID)
				assert.Equal(t, "arch-colony", e.Author)
				assert.Equal(t, "Hello", e.Title)
				assert.Equal(t, "general", e.Colony)
				assert.Equal(t, colony.PostTypeDiscussion, e.PostType)
				assert.JSONEq(t, `{"k":1}`, string(e.Fields["extra"]), "unknown fields stay reachable")
				return e.WebhookEvent
			}},
		{"comment_created", `{"event":"comment_created","comment_id":"c1","post_id":"p1","author":"bob","post_title":"T"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.CommentCreatedEvent)
				assert.Equal(t, [4]string{"c1", "p1", "bob", "T"}, [4]string{e.CommentID, e.PostID, e.Author, e.PostTitle})
				return e.WebhookEvent
			}},
		{"direct_message", `{"event":"direct_message","sender":"alice"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.DirectMessageEvent)
				assert.Equal(t, "alice", e.Sender)
				return e.WebhookEvent
			}},
		{"mention", `{"event":"mention","post_id":"p2","comment_id":"c2","author":"carol","post_title":"M"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.MentionEvent)
				assert.Equal(t, [4]string{"p2", "c2", "carol", "M"}, [4]string{e.PostID, e.CommentID, e.Author, e.PostTitle})
				return e.WebhookEvent
			}},
		{"comment_on_post", `{"event":"comment_on_post","comment_id":"c3","post_id":"p3","author":"dave","post_title":"P"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.CommentOnPostEvent)
				assert.Equal(t, [4]string{"c3", "p3", "dave", "P"}, [4]string{e.CommentID, e.PostID, e.Author, e.PostTitle})
				return e.WebhookEvent
			}},
		{"reply_to_comment", `{"event":"reply_to_comment","comment_id":"c4","parent_id":"c0","post_id":"p4","author":"erin","post_title":"R"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.ReplyToCommentEvent)
				assert.Equal(t, [5]string{"c4", "c0", "p4", "erin", "R"}, [5]string{e.CommentID, e.ParentID, e.PostID, e.Author, e.PostTitle})
				return e.WebhookEvent
			}},
		{"tip_received", `{"event":"tip_received","amount_sats":21,"post_id":"p5","tipper":"frank"}`,
			func(t *testing.T, ev any) *colony.WebhookEvent {
				e := ev.(*colony.TipReceivedEvent)
				assert.Equal(t, int64(21), e.AmountSats)
				assert.Equal(t, "p5", e.PostID)
				assert.JSONEq(t, `"frank"`, string(e.Fields["tipper"]))
				return e.WebhookEvent
			}},
	}
	for i, tc := range tests {
		d := delivery{Body: tc.body, Event: tc.event, EventID: "evt-" + tc.event, Delivery: "dlv-" + tc.event, Attempt: i + 1}
		status, text := r.send(d)
		require.Equal(t, http.StatusOK, status, tc.event)
		assert.Equal(t, "ok", text)
		require.Len(t, got, 1, tc.event)
		ev := tc.want(t, <-got)
		assert.Equal(t, colony.EventType(tc.event), ev.Type)
		assert.Equal(t, "evt-"+tc.event, ev.EventID)
		assert.Equal(t, "dlv-"+tc.event, ev.DeliveryID)
		assert.Equal(t, i+1, ev.Attempt)
		assert.True(t, vectorTime.Equal(ev.Timestamp), "timestamp %s", ev.Timestamp)
		assert.Equal(t, tc.body, string(ev.Raw))
		assert.JSONEq(t, strconv.Quote(tc.event), string(ev.Fields["event"]))
	}
}

func TestWebhookHandlerDispatch(t *testing.T) {
	t.Parallel()
	type ctxKey struct{}
	clock := newTestClock()
	h, err := colony.NewWebhookHandler(testSecret, colony.WithWebhookClock(clock.Now))
	require.NoError(t, err)
	// A middleware proves the handler runs with the request's context.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h.ServeHTTP(w, req.WithContext(context.WithValue(req.Context(), ctxKey{}, "from-request")))
	}))
	t.Cleanup(srv.Close)
	r := &receiver{t: t, h: h, srv: srv, clock: clock}

	var specific, fallback []string
	var ctxValues []any
	h.On("future_event", func(ctx context.Context, ev *colony.WebhookEvent) error {
		specific = append(specific, ev.EventID)
		ctxValues = append(ctxValues, ctx.Value(ctxKey{}))
		return nil
	})

	// No handler for this name and no default: answered 200, not recorded.
	ignored := delivery{Body: `{"event":"member_joined","user":"x"}`, EventID: "e-ignored", Delivery: "d1"}
	status, text := r.send(ignored)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ignored", text)

	h.OnDefault(func(ctx context.Context, ev *colony.WebhookEvent) error {
		var body struct{ User string }
		assert.NoError(t, ev.Decode(&body))
		fallback = append(fallback, string(ev.Type)+"/"+ev.EventID+"/"+body.User)
		return nil
	})
	ignored.Delivery = "d2"
	status, text = r.send(ignored)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok", text, "an ignored event id was not recorded, so the redelivery is handled")

	status, _ = r.send(delivery{Body: `{"event":"future_event"}`, Event: "future_event", EventID: "e-future", Delivery: "d3"})
	require.Equal(t, http.StatusOK, status)

	assert.Equal(t, []string{"member_joined/e-ignored/x"}, fallback)
	assert.Equal(t, []string{"e-future"}, specific, "On wins over OnDefault")
	assert.Equal(t, []any{"from-request"}, ctxValues)

	h.On("future_event", nil)
	status, _ = r.send(delivery{Body: `{"event":"future_event"}`, EventID: "e-future-2", Delivery: "d4"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, []string{"e-future"}, specific, "On(t, nil) removes the handler")
	assert.Equal(t, "future_event/e-future-2/", fallback[len(fallback)-1])
}

func TestWebhookHandlerRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	var calls atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { calls.Add(1); return nil })
	body := postCreatedBody("p1")
	d := delivery{Body: body, Event: "post_created", EventID: "e1", Delivery: "d1", Attempt: 1}
	now := r.clock.Now()

	tampered := d.header(testSecret, now)
	forgedStale := d.header("wrong-secret-0123456789", now.Add(-time.Hour))
	noSig := d.header(testSecret, now)
	noSig.Del(colony.WebhookHeaderSignature256)
	tests := []struct {
		name   string
		body   string
		header http.Header
		want   error
	}{
		{"wrong secret", body, d.header("wrong-secret-0123456789", now), colony.ErrWebhookSignatureMismatch},
		{"tampered body", strings.Replace(body, "Hello", "Hacked", 1), tampered, colony.ErrWebhookSignatureMismatch},
		{"forged and stale", body, forgedStale, colony.ErrWebhookSignatureMismatch},
		{"stale", body, d.header(testSecret, now.Add(-5*time.Minute-time.Second)), colony.ErrWebhookSignatureExpired},
		{"future", body, d.header(testSecret, now.Add(5*time.Minute+time.Second)), colony.ErrWebhookSignatureExpired},
		{"missing, legacy not allowed", body, noSig, colony.ErrWebhookSignatureMalformed},
		{"malformed", body, withHeader(d.header(testSecret, now), colony.WebhookHeaderSignature256, "v1=abc"),
			colony.ErrWebhookSignatureMalformed},
	}
	for _, tc := range tests {
		status, text := r.post(tc.body, tc.header)
		assert.Equal(t, http.StatusUnauthorized, status, tc.name)
		assert.Contains(t, text, strings.TrimPrefix(tc.want.Error(), "colony: "), tc.name)
	}
	assert.Zero(t, calls.Load(), "no handler runs for an unverified delivery")

	status, _ := r.send(d)
	require.Equal(t, http.StatusOK, status, "the genuine delivery still goes through")
	assert.Equal(t, int32(1), calls.Load())
}

func withHeader(h http.Header, name, value string) http.Header {
	h.Set(name, value)
	return h
}

func TestWebhookHandlerLegacySignature(t *testing.T) {
	t.Parallel()
	body := postCreatedBody("p1")
	legacyOnly := func(secret, eventID string) http.Header {
		h := delivery{Body: body, EventID: eventID, Delivery: eventID}.header(secret, vectorTime)
		h.Del(colony.WebhookHeaderSignature256)
		return h
	}

	strict := newReceiver(t)
	strict.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { return nil })
	status, text := strict.post(body, legacyOnly(testSecret, "e1"))
	assert.Equal(t, http.StatusUnauthorized, status, "legacy-only deliveries are refused by default")
	assert.Contains(t, text, "X-Colony-Signature-256")

	lax := newReceiver(t, colony.WithWebhookLegacySignature())
	var calls atomic.Int32
	lax.h.OnDefault(func(_ context.Context, ev *colony.WebhookEvent) error {
		calls.Add(1)
		assert.True(t, vectorTime.Equal(ev.Timestamp), "timestamp falls back to X-Colony-Timestamp")
		return nil
	})
	lax.clock.Advance(48 * time.Hour) // the legacy signature has no timestamp to expire
	status, _ = lax.post(body, legacyOnly(testSecret, "e1"))
	assert.Equal(t, http.StatusOK, status)
	status, _ = lax.post(body, legacyOnly("wrong-secret-0123456789", "e2"))
	assert.Equal(t, http.StatusUnauthorized, status)

	// With both headers present the replay-resistant one decides, even when the legacy one is valid.
	stale := delivery{Body: body, EventID: "e3", Delivery: "e3"}.header(testSecret, vectorTime)
	status, text = lax.post(body, stale)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, text, "outside tolerance")
	assert.Equal(t, int32(1), calls.Load())
}

func TestWebhookHandlerMalformedDeliveries(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	var calls atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { calls.Add(1); return nil })
	r.h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error { calls.Add(1); return nil })
	tests := []struct {
		name string
		d    delivery
	}{
		{"not JSON", delivery{Body: `event=post_created`}},
		{"empty body", delivery{Body: ``}},
		{"JSON array", delivery{Body: `[{"event":"post_created"}]`}},
		{"JSON null", delivery{Body: `null`}},
		{"JSON string", delivery{Body: `"post_created"`}},
		{"trailing data", delivery{Body: `{"event":"post_created"} {}`}},
		{"no event", delivery{Body: `{"post_id":"p1"}`}},
		{"event not a string", delivery{Body: `{"event":7}`}},
		{"event empty", delivery{Body: `{"event":""}`}},
		{"event header mismatch", delivery{Body: postCreatedBody("p1"), Event: "comment_created"}},
		{"no event id or delivery id", delivery{Body: postCreatedBody("p1"), EventID: "-"}},
		{"event id too long", delivery{Body: postCreatedBody("p1"), EventID: strings.Repeat("x", 257)}},
	}
	for i, tc := range tests {
		d := tc.d
		switch d.EventID {
		case "":
			d.EventID, d.Delivery = fmt.Sprintf("e%d", i), fmt.Sprintf("d%d", i)
		case "-":
			d.EventID = ""
		}
		status, _ := r.send(d)
		assert.Equal(t, http.StatusBadRequest, status, tc.name)
	}
	assert.Zero(t, calls.Load())

	// A typed field of an unexpected type is not malformed: typed decoding is lenient
	// (the field stays zero, its raw value in Fields), so the event is still handled.
	status, text := r.send(delivery{Body: `{"event":"post_created","post_id":42}`, EventID: "e10", Delivery: "d10"})
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok", text)
	assert.EqualValues(t, 1, calls.Load())

	req, err := http.NewRequest(http.MethodGet, r.srv.URL, nil)
	require.NoError(t, err)
	status, _ = do(t, req)
	assert.Equal(t, http.StatusMethodNotAllowed, status)
}

func TestWebhookHandlerBodyCap(t *testing.T) {
	t.Parallel()
	const limit = 256
	r := newReceiver(t, colony.WithWebhookMaxBodyBytes(limit))
	var calls atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { calls.Add(1); return nil })
	pad := func(n int) string { // a valid body of exactly n bytes
		base := `{"event":"post_created","pad":""}`
		return strings.Replace(base, `""`, `"`+strings.Repeat("a", n-len(base))+`"`, 1)
	}

	status, _ := r.send(delivery{Body: pad(limit), EventID: "e1", Delivery: "d1"})
	assert.Equal(t, http.StatusOK, status, "a body of exactly the cap is accepted")

	status, _ = r.send(delivery{Body: pad(limit + 1), EventID: "e2", Delivery: "d2"})
	assert.Equal(t, http.StatusRequestEntityTooLarge, status, "Content-Length over the cap")

	// Without a Content-Length the cap is enforced while reading. (Served directly: over loopback, net/http
	// would hold the connection for its 500 ms RST-avoidance delay after refusing the rest of the body.)
	big := pad(limit + 1)
	req := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(big)))
	req.Header = delivery{Body: big, EventID: "e3", Delivery: "d3"}.header(testSecret, r.clock.Now())
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "body of unknown length over the cap")
	assert.Equal(t, int32(1), calls.Load())
}

func TestWebhookHandlerRedeliveryAndReplay(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	var runs counter
	var deliveries []string
	r.h.OnPostCreated(func(_ context.Context, ev *colony.PostCreatedEvent) error {
		runs.add(ev.EventID)
		deliveries = append(deliveries, ev.DeliveryID)
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), Event: "post_created", EventID: "evt-1", Delivery: "dlv-1", Attempt: 1}
	capture := d.header(testSecret, r.clock.Now())
	status, text := r.post(d.Body, capture)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "ok", text)

	// The server retries (it did not see our 200): new delivery id, fresh signature, same event id.
	r.clock.Advance(10 * time.Minute)
	retry := d
	retry.Delivery, retry.Attempt = "dlv-2", 2
	status, text = r.send(retry)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "duplicate", text)

	// An attacker replays the first capture verbatim after the tolerance window.
	status, text = r.post(d.Body, capture)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Contains(t, text, "outside tolerance")

	// A different event with the same body is a new event.
	status, text = r.send(delivery{Body: d.Body, EventID: "evt-2", Delivery: "dlv-3"})
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "ok", text)

	assert.Equal(t, 1, runs.get("evt-1"))
	assert.Equal(t, 1, runs.get("evt-2"))
	assert.Equal(t, []string{"dlv-1", "dlv-3"}, deliveries)
}

func TestWebhookHandlerFailureThenRetry(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	r := newReceiver(t, colony.WithWebhookLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	var attempts, successes atomic.Int32
	r.h.OnCommentCreated(func(_ context.Context, ev *colony.CommentCreatedEvent) error {
		if attempts.Add(1) == 1 {
			return errors.New("database is down")
		}
		successes.Add(1)
		return nil
	})
	body := `{"event":"comment_created","comment_id":"c1","post_id":"p1","author":"bob","post_title":"T"}`
	for i, want := range []struct {
		status int
		text   string
	}{{http.StatusInternalServerError, "handler failed"}, {http.StatusOK, "ok"}, {http.StatusOK, "duplicate"}} {
		r.clock.Advance(time.Minute)
		status, text := r.send(delivery{Body: body, Event: "comment_created", EventID: "evt-c1",
			Delivery: fmt.Sprintf("dlv-%d", i), Attempt: i + 1})
		assert.Equal(t, want.status, status, "attempt %d", i+1)
		assert.Equal(t, want.text, text, "attempt %d", i+1)
	}
	assert.Equal(t, int32(2), attempts.Load())
	assert.Equal(t, int32(1), successes.Load())
	assert.Contains(t, logs.String(), "database is down", "the handler error is logged, not sent back")
}

func TestWebhookHandlerConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, colony.WithWebhookInFlightWait(0))
	entered, release := make(chan struct{}, 1), make(chan struct{})
	var releaseOnce sync.Once
	unblock := func() { releaseOnce.Do(func() { close(release) }) }
	t.Cleanup(unblock) // runs before the server closes, even when an assertion fails
	var runs atomic.Int32
	r.h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error {
		if runs.Add(1) == 1 { // only the first run blocks, so a wrongly admitted duplicate cannot hang the test
			entered <- struct{}{}
			<-release
		}
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1", Attempt: 1}
	type result struct {
		status int
		text   string
	}
	first := make(chan result, 1)
	go func() {
		status, text := r.send(d)
		first <- result{status, text}
	}()
	<-entered

	// While the first delivery is in flight, a retry of the same event must not run the handler.
	d.Delivery, d.Attempt = "dlv-2", 2
	status, _ := r.send(d)
	assert.Equal(t, http.StatusConflict, status)

	unblock()
	assert.Equal(t, result{http.StatusOK, "ok"}, <-first)
	d.Delivery, d.Attempt = "dlv-3", 3
	status, text := r.send(d)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "duplicate", text)
	assert.Equal(t, int32(1), runs.Load())
}

func TestWebhookHandlerConcurrentBurst(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	var runs atomic.Int32
	r.h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error { runs.Add(1); return nil })
	const n = 16
	var wg sync.WaitGroup
	statuses := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, text := r.send(delivery{Body: postCreatedBody("p1"), EventID: "evt-burst", Delivery: fmt.Sprintf("d%d", i)})
			statuses <- fmt.Sprintf("%d %s", status, text)
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[string]int{}
	for s := range statuses {
		counts[s]++
	}
	assert.Equal(t, 1, counts["200 ok"], "%v", counts)
	assert.Equal(t, n, counts["200 ok"]+counts["200 duplicate"]+counts["409 event is being handled by another delivery"], "%v", counts)
	assert.Equal(t, int32(1), runs.Load())
}

func TestWebhookHandlerTestPing(t *testing.T) {
	t.Parallel()
	r := newReceiver(t)
	var runs counter
	var failNext atomic.Bool
	r.h.OnDefault(func(_ context.Context, ev *colony.WebhookEvent) error {
		if failNext.CompareAndSwap(true, false) {
			return errors.New("transient")
		}
		runs.add(ev.EventID)
		return nil
	})

	// The test ping carries no event id of its own, so both headers hold the delivery id.
	status, text := r.send(delivery{Body: postCreatedBody("ping"), EventID: "dlv-ping", Delivery: "dlv-ping", Attempt: 1})
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "ok", text)
	assert.Equal(t, 1, runs.get("dlv-ping"))

	// A real event fails once, then the server retries it twice with new delivery ids. A receiver keyed on the
	// delivery id would run it twice; keyed on the event id it runs once.
	failNext.Store(true)
	for i, want := range []string{"500 handler failed", "200 ok", "200 duplicate"} {
		r.clock.Advance(time.Minute)
		status, text = r.send(delivery{Body: postCreatedBody("p1"), EventID: "evt-real",
			Delivery: fmt.Sprintf("dlv-real-%d", i), Attempt: i + 1})
		assert.Equal(t, want, fmt.Sprintf("%d %s", status, text), "attempt %d", i+1)
	}
	assert.Equal(t, 1, runs.get("evt-real"))
	assert.Equal(t, 0, runs.get("dlv-real-1"))

	// A delivery without X-Colony-Event-Id falls back to the delivery id, as the server computes it.
	status, _ = r.send(delivery{Body: postCreatedBody("p2"), Delivery: "dlv-legacy-ping"})
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, 1, runs.get("dlv-legacy-ping"))
	assert.Equal(t, 1, runs.get("dlv-ping"), "the ping is not confused with later events")
}

func TestWebhookHandlerPanicReleasesClaim(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	r := newReceiver(t, colony.WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	var calls atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error {
		if calls.Add(1) <= 2 {
			panic("boom")
		}
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1", Attempt: 1}

	// Over net/http the sender sees a 500 answer, not a dropped connection.
	status, text := r.send(d)
	assert.Equal(t, "500 handler panicked", fmt.Sprintf("%d %s", status, text))
	assert.Contains(t, logs.String(), "handler panicked")
	assert.Contains(t, logs.String(), "panic=boom")
	assert.Contains(t, logs.String(), "webhook_handler_test.go", "the stack is logged")

	// Called directly, outside net/http, the panic does not escape ServeHTTP either.
	d.Delivery, d.Attempt = "dlv-2", 2
	req := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(d.Body))
	req.Header = d.header(testSecret, r.clock.Now())
	rec := httptest.NewRecorder()
	assert.NotPanics(t, func() { r.h.ServeHTTP(rec, req) })
	assert.Equal(t, http.StatusInternalServerError, rec.Code)

	// Both claims were released, so the next redelivery runs the handler.
	d.Delivery, d.Attempt = "dlv-3", 3
	status, text = r.send(d)
	assert.Equal(t, "200 ok", fmt.Sprintf("%d %s", status, text))
	assert.Equal(t, int32(3), calls.Load())
}

// syncBuffer is a bytes.Buffer safe for a logger writing from handler goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The observed bug: delivery A outlived its lease, B took the event over, A then failed and released B's claim,
// so C ran it a third time and both B and C succeeded. With owner tokens A cannot touch B's claim.
func TestWebhookHandlerOutlivedLeaseRunsOnce(t *testing.T) {
	t.Parallel()
	storeClock := newTestClock()
	store := &colony.MemoryWebhookDedupStore{Now: storeClock.Now}
	var logs syncBuffer
	r := newReceiver(t, colony.WithWebhookDedupStore(store), colony.WithWebhookClaimTTL(time.Minute),
		colony.WithWebhookInFlightWait(0), colony.WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	entered := make(chan int32, 2)
	gates := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	var once [2]sync.Once
	open := func(i int) { once[i].Do(func() { close(gates[i]) }) }
	t.Cleanup(func() { open(0); open(1) })
	var runs, successes atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error {
		n := runs.Add(1)
		if n <= 2 {
			entered <- n
			<-gates[n-1]
		}
		if n == 1 {
			return errors.New("A fails after its lease expired")
		}
		successes.Add(1)
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-slow", Delivery: "dlv-A", Attempt: 1}
	type result struct {
		status int
		text   string
	}
	send := func(d delivery) <-chan result {
		ch := make(chan result, 1)
		go func() {
			status, text := r.send(d)
			ch <- result{status, text}
		}()
		return ch
	}
	a := send(d)
	require.Equal(t, int32(1), <-entered)
	storeClock.Advance(time.Minute) // A's lease expires while its handler still runs

	d.Delivery, d.Attempt = "dlv-B", 2
	b := send(d)
	require.Equal(t, int32(2), <-entered, "B takes over the expired claim")

	open(0) // A fails and tries to release: the claim is B's now
	assert.Equal(t, result{http.StatusInternalServerError, "handler failed"}, <-a)
	assert.Contains(t, logs.String(), colony.ErrWebhookClaimLost.Error())

	d.Delivery, d.Attempt = "dlv-C", 3
	status, text := r.send(d)
	assert.Equal(t, "409 event is being handled by another delivery", fmt.Sprintf("%d %s", status, text),
		"A's failure did not free B's claim")

	open(1)
	assert.Equal(t, result{http.StatusOK, "ok"}, <-b)
	d.Delivery, d.Attempt = "dlv-D", 4
	status, text = r.send(d)
	assert.Equal(t, "200 duplicate", fmt.Sprintf("%d %s", status, text))
	assert.Equal(t, int32(2), runs.Load())
	assert.Equal(t, int32(1), successes.Load(), "the event succeeded exactly once")
}

// A redelivery that arrives while another delivery holds the claim waits for its outcome instead of failing.
func TestWebhookHandlerInFlightWaitsForHolder(t *testing.T) {
	t.Parallel()
	for _, holderFails := range []bool{false, true} {
		t.Run(fmt.Sprintf("holder fails %v", holderFails), func(t *testing.T) {
			t.Parallel()
			store := &observedStore{inFlight: make(chan struct{}, 64)}
			r := newReceiver(t, colony.WithWebhookDedupStore(store), colony.WithWebhookInFlightWait(time.Hour))
			entered, gate := make(chan struct{}, 1), make(chan struct{})
			var gateOnce sync.Once
			t.Cleanup(func() { gateOnce.Do(func() { close(gate) }) })
			var runs atomic.Int32
			r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error {
				if runs.Add(1) == 1 {
					entered <- struct{}{}
					<-gate
					if holderFails {
						return errors.New("holder failed")
					}
				}
				return nil
			})
			d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1", Attempt: 1}
			first := make(chan string, 1)
			go func() {
				status, text := r.send(d)
				first <- fmt.Sprintf("%d %s", status, text)
			}()
			<-entered
			second := make(chan string, 1)
			d.Delivery, d.Attempt = "dlv-2", 2
			go func() {
				status, text := r.send(d)
				second <- fmt.Sprintf("%d %s", status, text)
			}()
			<-store.inFlight // the redelivery found the claim held and is waiting
			gateOnce.Do(func() { close(gate) })
			if holderFails {
				assert.Equal(t, "500 handler failed", <-first)
				assert.Equal(t, "200 ok", <-second, "the waiting redelivery ran the released event itself")
				assert.Equal(t, int32(2), runs.Load())
				return
			}
			assert.Equal(t, "200 ok", <-first)
			assert.Equal(t, "200 duplicate", <-second)
			assert.Equal(t, int32(1), runs.Load())
		})
	}
}

// observedStore reports each WebhookClaimInFlight answer on inFlight.
type observedStore struct {
	colony.MemoryWebhookDedupStore
	inFlight chan struct{}
}

func (s *observedStore) Claim(ctx context.Context, id string, lease time.Duration) (colony.WebhookClaim, string, error) {
	c, owner, err := s.MemoryWebhookDedupStore.Claim(ctx, id, lease)
	if c == colony.WebhookClaimInFlight {
		select {
		case s.inFlight <- struct{}{}:
		default:
		}
	}
	return c, owner, err
}

// flakyStore fails the operations that are switched on and otherwise delegates to a memory store.
type flakyStore struct {
	colony.MemoryWebhookDedupStore
	failClaim, failCommit atomic.Bool
	claims, releases      atomic.Int32
	claimResult           colony.WebhookClaim
}

func (s *flakyStore) Release(ctx context.Context, id, owner string) error {
	s.releases.Add(1)
	return s.MemoryWebhookDedupStore.Release(ctx, id, owner)
}

func (s *flakyStore) Claim(ctx context.Context, id string, lease time.Duration) (colony.WebhookClaim, string, error) {
	s.claims.Add(1)
	if s.failClaim.Load() {
		return 0, "", errors.New("store down")
	}
	if s.claimResult != 0 {
		return s.claimResult, "owner", nil
	}
	return s.MemoryWebhookDedupStore.Claim(ctx, id, lease)
}

func (s *flakyStore) Commit(ctx context.Context, id, owner string, ttl time.Duration) error {
	if s.failCommit.Load() {
		return errors.New("store down")
	}
	return s.MemoryWebhookDedupStore.Commit(ctx, id, owner, ttl)
}

func TestWebhookHandlerStoreFailures(t *testing.T) {
	t.Parallel()
	store := &flakyStore{}
	var logs bytes.Buffer
	r := newReceiver(t, colony.WithWebhookDedupStore(store),
		colony.WithWebhookLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	var runs atomic.Int32
	r.h.OnDefault(func(_ context.Context, ev *colony.WebhookEvent) error {
		if ev.EventID == "evt-fails" {
			return errors.New("handler error")
		}
		runs.Add(1)
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1"}

	status, _ := r.send(delivery{Body: d.Body, EventID: "evt-fails", Delivery: "dlv-0"})
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Equal(t, int32(1), store.releases.Load(), "a failed handler releases its claim")

	store.failClaim.Store(true)
	status, _ = r.send(d)
	assert.Equal(t, http.StatusInternalServerError, status, "no claim, no run: the server retries")
	assert.Zero(t, runs.Load())

	store.failClaim.Store(false)
	store.failCommit.Store(true)
	status, text := r.send(d)
	assert.Equal(t, http.StatusOK, status, "the work is done even if it could not be recorded")
	assert.Equal(t, "ok", text)
	assert.Equal(t, int32(1), runs.Load())
	assert.Contains(t, logs.String(), "commit failed")
	assert.Equal(t, int32(3), store.claims.Load())
	assert.Equal(t, int32(1), store.releases.Load(), "success and store errors release nothing")
}

func TestWebhookHandlerUnknownClaimResult(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, colony.WithWebhookDedupStore(&flakyStore{claimResult: 99}))
	var runs atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { runs.Add(1); return nil })
	status, _ := r.send(delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1"})
	assert.Equal(t, http.StatusInternalServerError, status)
	assert.Zero(t, runs.Load())
}

func TestWebhookHandlerNeverLogsSecrets(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	r := newReceiver(t, colony.WithWebhookLegacySignature(),
		colony.WithWebhookLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var n atomic.Int32
	r.h.OnPostCreated(func(context.Context, *colony.PostCreatedEvent) error {
		if n.Add(1) == 1 {
			return errors.New("first run fails")
		}
		return nil
	})
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1"}
	header := d.header(testSecret, r.clock.Now())
	r.send(d)                                                                    // handler fails
	r.send(d)                                                                    // handled
	r.send(d)                                                                    // duplicate
	r.send(delivery{Body: `{"event":"mention"}`, EventID: "e2", Delivery: "d2"}) // ignored
	r.post(d.Body+" ", header)                                                   // mismatch
	r.post("[]", delivery{Body: "[]", EventID: "e3"}.header(testSecret, r.clock.Now()))
	r.clock.Advance(time.Hour)
	r.post(d.Body, header) // expired

	out := logs.String()
	for _, want := range []string{"handler failed", "handled", "duplicate", "ignored", "signature mismatch",
		"outside tolerance", "delivery rejected", `"event_id":"evt-1"`, `"delivery_id":"dlv-1"`} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, testSecret)
	assert.NotContains(t, out, strings.TrimPrefix(header.Get(colony.WebhookHeaderSignature), "sha256="))
}

func TestNewWebhookHandlerValidation(t *testing.T) {
	t.Parallel()
	_, err := colony.NewWebhookHandler("")
	assert.Error(t, err)
	for name, opt := range map[string]colony.WebhookHandlerOption{
		"zero tolerance":          colony.WithWebhookTolerance(0),
		"negative tolerance":      colony.WithWebhookTolerance(-time.Second),
		"nil clock":               colony.WithWebhookClock(nil),
		"zero body cap":           colony.WithWebhookMaxBodyBytes(0),
		"nil store":               colony.WithWebhookDedupStore(nil),
		"zero dedup TTL":          colony.WithWebhookDedupTTL(0),
		"zero claim TTL":          colony.WithWebhookClaimTTL(-1),
		"negative in-flight wait": colony.WithWebhookInFlightWait(-1),
		"nil logger":              colony.WithWebhookLogger(nil),
	} {
		h, err := colony.NewWebhookHandler(testSecret, opt)
		assert.Error(t, err, name)
		assert.Nil(t, h, name)
	}
	_, err = colony.NewWebhookHandler(testSecret, colony.WithWebhookTolerance(0))
	assert.ErrorIs(t, err, colony.ErrWebhookInvalidTolerance)
}

func TestWebhookHandlerToleranceAndTTLOptions(t *testing.T) {
	t.Parallel()
	storeClock := newTestClock()
	store := &colony.MemoryWebhookDedupStore{Now: storeClock.Now}
	r := newReceiver(t, colony.WithWebhookTolerance(time.Minute), colony.WithWebhookDedupStore(store),
		colony.WithWebhookDedupTTL(time.Hour))
	var runs atomic.Int32
	r.h.OnDefault(func(context.Context, *colony.WebhookEvent) error { runs.Add(1); return nil })
	d := delivery{Body: postCreatedBody("p1"), EventID: "evt-1", Delivery: "dlv-1"}

	status, text := r.post(d.Body, d.header(testSecret, r.clock.Now().Add(-61*time.Second)))
	assert.Equal(t, http.StatusUnauthorized, status, "tolerance option applies")
	assert.Contains(t, text, "outside tolerance")

	require.Equal(t, "ok", second(r.send(d)))
	storeClock.Advance(59 * time.Minute)
	require.Equal(t, "duplicate", second(r.send(d)))
	storeClock.Advance(time.Minute)
	require.Equal(t, "ok", second(r.send(d)), "the dedup TTL option applies")
	assert.Equal(t, int32(2), runs.Load())
}

func second(_ int, s string) string { return s }

func TestMemoryWebhookDedupStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var owner string
	claim := func(s *colony.MemoryWebhookDedupStore, id string) colony.WebhookClaim {
		c, o, err := s.Claim(ctx, id, time.Minute)
		require.NoError(t, err)
		if c == colony.WebhookClaimAcquired {
			owner = o
		}
		return c
	}

	t.Run("claim, commit, expire", func(t *testing.T) {
		clock := newTestClock()
		s := &colony.MemoryWebhookDedupStore{Now: clock.Now}
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"))
		assert.Equal(t, colony.WebhookClaimInFlight, claim(s, "a"))
		require.NoError(t, s.Commit(ctx, "a", owner, time.Hour))
		assert.Equal(t, colony.WebhookClaimDone, claim(s, "a"))
		require.ErrorIs(t, s.Release(ctx, "a", owner), colony.ErrWebhookClaimLost)
		assert.Equal(t, colony.WebhookClaimDone, claim(s, "a"), "release leaves a commit alone")
		clock.Advance(time.Hour - time.Nanosecond)
		assert.Equal(t, colony.WebhookClaimDone, claim(s, "a"))
		clock.Advance(time.Nanosecond)
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"), "a commit expires after its TTL")
	})
	t.Run("lease expires and release frees", func(t *testing.T) {
		clock := newTestClock()
		s := &colony.MemoryWebhookDedupStore{Now: clock.Now}
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"))
		clock.Advance(time.Minute)
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"), "an abandoned claim expires")
		require.NoError(t, s.Release(ctx, "a", owner))
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"))
		require.NoError(t, s.Release(ctx, "never-claimed", "x"))
	})
	t.Run("bounded", func(t *testing.T) {
		clock := newTestClock()
		s := &colony.MemoryWebhookDedupStore{MaxEntries: 3, Now: clock.Now}
		for _, id := range []string{"a", "b", "c", "d"} {
			require.NoError(t, s.Commit(ctx, id, "", time.Hour))
		}
		assert.Equal(t, 3, s.Len())
		assert.Equal(t, colony.WebhookClaimDone, claim(s, "d"))
		assert.Equal(t, colony.WebhookClaimAcquired, claim(s, "a"), "the oldest id was evicted")
		assert.Equal(t, 3, s.Len())
		clock.Advance(2 * time.Hour)
		require.NoError(t, s.Commit(ctx, "e", "", time.Hour))
		assert.Equal(t, 1, s.Len(), "expired entries are dropped on write")
	})
	t.Run("zero value and concurrent claims", func(t *testing.T) {
		var s colony.MemoryWebhookDedupStore
		var acquired atomic.Int32
		var wg sync.WaitGroup
		for range 32 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if c, _, err := s.Claim(ctx, "same", time.Minute); err == nil && c == colony.WebhookClaimAcquired {
					acquired.Add(1)
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int32(1), acquired.Load())
	})
}

// catalogue is the 58 event names of the live server's webhook event catalogue (fetched 2026-09-16).
const catalogue = `agent_claim_requested, agent_key_rotated, award_received, ban_appeal_filed, bid_accepted, bid_received,
bid_rejected, colony_banned, colony_strike, colony_unbanned, comment_created, comment_on_post, direct_message,
facilitation_accepted, facilitation_claimed, facilitation_deadline, facilitation_matched,
facilitation_revision_requested, facilitation_submitted, group_invite_accepted, group_member_added, group_member_left,
group_member_removed, group_mention, group_message, group_message_deleted, group_message_edited, kudos_received,
listing_closed, listing_reopened, market_purchase_received, member_joined, mention, new_follower, onboarding_complete,
order_accepted, order_declined, order_delivered, order_paid, order_received, org_invited, org_removed,
org_role_changed, ownership_transfer_proposed, ownership_transfer_resolved, payment_received, post_created,
post_reaction, reaction_added, referral_completed, reply_to_comment, review_received, review_replied,
security_2fa_disabled, task_completed, task_matched, tip_received, user_followed`

func TestEventCatalogue(t *testing.T) {
	t.Parallel()
	var want []colony.EventType
	for _, name := range strings.FieldsFunc(catalogue, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		want = append(want, colony.EventType(name))
	}
	require.Len(t, want, 58)
	all := colony.AllEventTypes()
	assert.Equal(t, want, all)
	for _, e := range all {
		assert.True(t, e.Known(), e)
	}
	assert.False(t, colony.EventType("brand_new_event").Known())
	assert.False(t, colony.EventType("").Known())
	all[0] = "mutated"
	assert.Equal(t, colony.EventAgentClaimRequested, colony.AllEventTypes()[0], "AllEventTypes returns a copy")

	assert.Equal(t, colony.EventType("post_created"), colony.EventPostCreated)
	assert.Equal(t, colony.EventType("security_2fa_disabled"), colony.EventSecurity2FADisabled)
	assert.Equal(t, colony.EventType("facilitation_revision_requested"), colony.EventFacilitationRevisionRequested)
	assert.Equal(t, colony.EventType("org_role_changed"), colony.EventOrgRoleChanged)
}

func TestParseWebhookEvent(t *testing.T) {
	t.Parallel()
	ev, err := colony.ParseWebhookEvent([]byte(vectorBody), nil)
	require.NoError(t, err)
	assert.Equal(t, colony.EventPostCreated, ev.Type)
	assert.Empty(t, ev.EventID)
	assert.Zero(t, ev.Attempt)
	assert.True(t, ev.Timestamp.IsZero())
	assert.Len(t, ev.Fields, 6)

	header := colony.SignWebhook([]byte(vectorBody), vectorSecret, vectorTime)
	header.Set(colony.WebhookHeaderEventID, "evt")
	header.Set(colony.WebhookHeaderDelivery, "dlv")
	header.Set(colony.WebhookHeaderAttempt, "x")
	ev, err = colony.ParseWebhookEvent([]byte(vectorBody), header)
	require.NoError(t, err)
	assert.Equal(t, [2]string{"evt", "dlv"}, [2]string{ev.EventID, ev.DeliveryID})
	assert.Zero(t, ev.Attempt, "a non-numeric attempt reads as zero")
	assert.True(t, vectorTime.Equal(ev.Timestamp))

	post, err := ev.AsPostCreated()
	require.NoError(t, err)
	assert.Same(t, ev, post.WebhookEvent)
	assert.Equal(t, "3f2b", post.PostID)

	dm, err := ev.AsDirectMessage()
	assert.Nil(t, dm)
	require.Error(t, err)
	assert.NotErrorIs(t, err, colony.ErrWebhookMalformedBody, "a wrong-type decode is a usage error")

	odd, err := colony.ParseWebhookEvent([]byte(`{"event":"tip_received","amount_sats":"lots"}`), nil)
	require.NoError(t, err)
	tip, err := odd.AsTipReceived()
	require.NoError(t, err, "typed decoding is lenient about field types")
	assert.Zero(t, tip.AmountSats)
	assert.Error(t, odd.Decode(&struct {
		AmountSats int64 `json:"amount_sats"`
	}{}), "Decode itself stays strict")

	_, err = colony.ParseWebhookEvent([]byte(`{"event":null}`), nil)
	assert.ErrorIs(t, err, colony.ErrWebhookMalformedBody)
	unknown, err := colony.ParseWebhookEvent([]byte(`{"event":"from_the_future","x":1}`), nil)
	require.NoError(t, err)
	assert.Equal(t, colony.EventType("from_the_future"), unknown.Type)
}

func TestWebhookTypedDecodeIsLenient(t *testing.T) {
	body := []byte(`{"event":"tip_received","amount_sats":"12.5k","post_id":"p1","from":"bob"}`)
	h := http.Header{}
	h.Set(colony.WebhookHeaderEventID, "evt-1")
	ev, err := colony.ParseWebhookEvent(body, h)
	require.NoError(t, err)
	tip, err := ev.AsTipReceived()
	require.NoError(t, err, "an unexpected field type must not make the delivery fail")
	assert.Zero(t, tip.AmountSats)
	assert.Equal(t, "p1", tip.PostID)
	assert.JSONEq(t, `"12.5k"`, string(ev.Fields["amount_sats"]), "the raw value stays reachable")
}
