package colonytest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Delivery is one webhook delivery attempt, as recorded by [Server.Deliveries].
type Delivery struct {
	WebhookID  string
	URL        string
	Event      string
	EventID    string // X-Colony-Event-Id: the same on every retry of one event
	DeliveryID string // X-Colony-Delivery: new on every attempt
	Attempt    int    // X-Colony-Attempt, 1-based
	StatusCode int    // receiver's status; 0 when the request failed at transport level
	Err        string // transport error, if any
	Success    bool   // 2xx
	Time       time.Time
	Body       []byte
	Header     http.Header
}

type deliveryJob struct {
	hookID, url, secret string
	event, eventID      string
	body                []byte
	ping                bool
}

// dispatcher runs webhook deliveries on goroutines it tracks, so Close can stop and wait for all of them.
type dispatcher struct {
	s         *Server
	transport *http.Transport
	client    *http.Client
	ctx       context.Context
	cancel    context.CancelFunc

	mu      sync.Mutex
	closed  bool
	wg      sync.WaitGroup
	pending int
	idle    chan struct{} // closed whenever pending is 0
	log     []Delivery
}

func newDispatcher(s *Server) *dispatcher {
	tr := &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16, IdleConnTimeout: 30 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	idle := make(chan struct{})
	close(idle)
	return &dispatcher{s: s, transport: tr, client: &http.Client{Transport: tr}, ctx: ctx, cancel: cancel, idle: idle}
}

// enqueue starts one delivery goroutine per webhook; it may be called with Server.mu held.
func (d *dispatcher) enqueue(event string, payload map[string]any, hooks []*webhook) {
	body, _ := marshal(payload)
	eventID := newUUID()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	for _, w := range hooks {
		if d.pending == 0 {
			d.idle = make(chan struct{})
		}
		d.pending++
		d.wg.Add(1)
		go d.run(deliveryJob{hookID: w.id, url: w.url, secret: w.secret, event: event, eventID: eventID, body: body})
	}
}

func (d *dispatcher) finish() {
	d.mu.Lock()
	d.pending--
	if d.pending == 0 {
		close(d.idle)
	}
	d.mu.Unlock()
	d.wg.Done()
}

// run delivers one event to one webhook, retrying with the configured backoff while the webhook stays active.
func (d *dispatcher) run(job deliveryJob) {
	defer d.finish()
	backoffs := d.s.cfg.retry
	for attempt := 1; ; attempt++ {
		if !d.s.hookUsable(job.hookID) {
			return
		}
		rec := d.attempt(d.ctx, job, attempt)
		if d.ctx.Err() != nil {
			return
		}
		d.s.recordAttempt(job.hookID, rec.Success, rec.Time)
		if rec.Success || attempt > len(backoffs) {
			return
		}
		t := time.NewTimer(backoffs[attempt-1])
		select {
		case <-d.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func sign(secret string, msg []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(msg)
	return hex.EncodeToString(m.Sum(nil))
}

// attempt makes one signed POST and records it; it never retries.
func (d *dispatcher) attempt(ctx context.Context, job deliveryJob, n int) Delivery {
	now := d.s.clock.now()
	deliveryID := newUUID()
	eventID := job.eventID
	if job.ping {
		eventID = deliveryID // the ping has no event id, so the server falls back to the delivery id
	}
	unix := strconv.FormatInt(now.Unix(), 10)
	rec := Delivery{WebhookID: job.hookID, URL: job.url, Event: job.event, EventID: eventID, DeliveryID: deliveryID,
		Attempt: n, Time: now, Body: job.body, Header: http.Header{}}
	h := rec.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "TheColony-Webhooks/1.0 (colonytest)")
	h.Set("X-Colony-Signature", "sha256="+sign(job.secret, job.body))
	h.Set("X-Colony-Signature-256", "t="+unix+",v1="+sign(job.secret, append([]byte(unix+"."), job.body...)))
	h.Set("X-Colony-Timestamp", unix)
	h.Set("X-Colony-Delivery", deliveryID)
	h.Set("X-Colony-Event-Id", eventID)
	h.Set("X-Colony-Event", job.event)
	h.Set("X-Colony-Attempt", strconv.Itoa(n))

	ctx, cancel := context.WithTimeout(ctx, d.s.cfg.hookTimeout)
	defer cancel()
	stop := context.AfterFunc(d.ctx, cancel)
	defer stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.url, bytes.NewReader(job.body))
	if err == nil {
		req.Header = h.Clone()
		var resp *http.Response
		if resp, err = d.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			rec.StatusCode = resp.StatusCode
			rec.Success = resp.StatusCode >= 200 && resp.StatusCode < 300
		}
	}
	if err != nil {
		rec.Err = err.Error()
	}
	d.mu.Lock()
	d.log = append(d.log, rec)
	d.mu.Unlock()
	return rec
}

func (d *dispatcher) deliveries() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Delivery(nil), d.log...)
}

// stop refuses new deliveries and cancels running ones.
func (d *dispatcher) stop() {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.cancel()
}

// wait waits for every delivery goroutine, then closes idle connections.
func (d *dispatcher) wait() {
	d.wg.Wait()
	d.transport.CloseIdleConnections()
}

// hookUsable reports whether the webhook still exists and is active.
func (s *Server) hookUsable(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	w := s.st.webhooks[id]
	return w != nil && w.active
}

// recordAttempt updates failure_count, is_active and last_triggered_at after an attempt.
func (s *Server) recordAttempt(id string, ok bool, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[id]
	if w == nil {
		return
	}
	if ok {
		w.failures = 0
		w.lastOK = &at
		return
	}
	w.failures++
	if w.failures >= webhookFailureLimit {
		w.active = false
	}
}

// pingJob builds the synthetic test delivery for w; the caller holds s.mu.
func (s *Server) pingJob(w *webhook) deliveryJob {
	body, _ := marshal(map[string]any{"event": "ping", "webhook_id": w.id,
		"message": "Test delivery from The Colony"})
	return deliveryJob{hookID: w.id, url: w.url, secret: w.secret, event: "ping", body: body, ping: true}
}

// TestPing sends one synchronous "ping" delivery to the webhook (as POST /webhooks/{id}/test does) and returns
// the attempt; the ping's X-Colony-Event-Id equals its X-Colony-Delivery, as on the live server. A ping does not
// change failure_count or last_triggered_at.
func (s *Server) TestPing(webhookID string) (Delivery, error) {
	s.mu.RLock()
	w := s.st.webhooks[webhookID]
	var job deliveryJob
	if w != nil {
		job = s.pingJob(w)
	}
	s.mu.RUnlock()
	if w == nil {
		return Delivery{}, fmt.Errorf("colonytest: no webhook %q", webhookID)
	}
	return s.hooks.attempt(context.Background(), job, 1), nil
}

// Deliveries returns every webhook delivery attempt made so far (pings included), in the order they finished.
func (s *Server) Deliveries() []Delivery { return s.hooks.deliveries() }

// WaitDeliveries blocks until no webhook delivery is pending or running (retries included), or ctx ends.
func (s *Server) WaitDeliveries(ctx context.Context) error {
	s.hooks.mu.Lock()
	idle := s.hooks.idle
	s.hooks.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type deliveryOut struct {
	ID             string  `json:"id"`
	WebhookID      string  `json:"webhook_id"`
	Event          string  `json:"event"`
	EventID        string  `json:"event_id"`
	Attempt        int     `json:"attempt"`
	Status         string  `json:"status"`
	ResponseStatus *int    `json:"response_status"`
	Error          *string `json:"error"`
	CreatedAt      string  `json:"created_at"`
}

func deliveryOutOf(d Delivery) deliveryOut {
	out := deliveryOut{ID: d.DeliveryID, WebhookID: d.WebhookID, Event: d.Event, EventID: d.EventID,
		Attempt: d.Attempt, Status: "failed", Error: optStr(d.Err), CreatedAt: ts(d.Time)}
	if d.Success {
		out.Status = "success"
	}
	if d.StatusCode != 0 {
		code := d.StatusCode
		out.ResponseStatus = &code
	}
	return out
}
