package colony

import (
	"container/list"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// Defaults of a [WebhookHandler] and of [MemoryWebhookDedupStore].
const (
	// DefaultWebhookMaxBodyBytes is the largest delivery body a WebhookHandler reads before answering 413.
	DefaultWebhookMaxBodyBytes = 1 << 20
	// DefaultWebhookDedupTTL is how long a handled event id is remembered, so that a redelivery is not re-run.
	DefaultWebhookDedupTTL = 24 * time.Hour
	// DefaultWebhookClaimTTL is how long an in-flight claim blocks other deliveries of the same event id.
	DefaultWebhookClaimTTL = 5 * time.Minute
	// DefaultWebhookInFlightWait is how long a delivery of an event id that another delivery is handling waits
	// for that delivery's outcome before answering 409.
	DefaultWebhookInFlightWait = 10 * time.Second
	// DefaultWebhookDedupMaxEntries is the number of event ids a zero MemoryWebhookDedupStore keeps before evicting.
	DefaultWebhookDedupMaxEntries = 100_000
)

// maxEventIDLength bounds the de-duplication key taken from an unsigned header.
const maxEventIDLength = 256

// WebhookHandlerFunc handles one verified, de-duplicated event with the delivery request's context. Returning nil
// marks the event id as handled; any error makes the receiver answer 500 so the server retries, except an error
// matching [ErrWebhookMalformedBody], which answers 400.
type WebhookHandlerFunc func(ctx context.Context, ev *WebhookEvent) error

// WebhookHandler is an http.Handler that receives Colony webhook deliveries: it caps the body, verifies
// X-Colony-Signature-256, de-duplicates on X-Colony-Event-Id and dispatches the parsed event. Register handlers
// before serving; it is safe for concurrent use and starts no goroutines.
//
// Responses: 200 when handled, when the event id was already handled ("duplicate"), or when no handler is
// registered for the event ("ignored", the id is not recorded); 400 for a malformed body or missing event id; 401 for
// a missing, malformed, mismatched or expired signature; 405 for a method other than POST; 409 while another
// delivery of the same event id is being handled (after waiting for it, see below); 413 past the body cap; 500 when
// the handler fails or panics (the panic is recovered and logged, the claim released) or the store fails. An event
// id is recorded only after its handler returns nil.
//
// A redelivery that arrives while another delivery holds the event's claim (the server timed the first one out,
// or a replica is still working) first waits for the holder ([WithWebhookInFlightWait]). Answering it 2xx at once
// would lose the event if the holder then fails, since the server takes the 2xx as the event's success and sends
// it no more; any non-2xx answer counts toward the server's auto-disable after 10
// consecutive failures (the sources name no status it treats specially, so every non-2xx is assumed to count). So
// the redelivery waits for the holder's outcome and answers with it: 200 "duplicate" after a commit, the
// handler's own answer when the holder released the claim and this delivery ran it. Only a claim still held when
// the wait ends is answered 409, one failure that the next success resets, which never loses the event.
//
// X-Colony-Event-Id is not covered by the signature: inside the tolerance window, someone holding a captured
// delivery could resend it under a new event id and have it handled again. Keep the tolerance short and make
// handlers idempotent on the body's own ids (post_id, comment_id) where a repeat would hurt. Deduplicating on the
// signature instead is not safe: two distinct events with identical bodies (two DMs from one sender) signed in the
// same second carry the same signature.
type WebhookHandler struct {
	cfg webhookConfig

	mu       sync.RWMutex
	byType   map[EventType]WebhookHandlerFunc
	fallback WebhookHandlerFunc
}

type webhookConfig struct {
	verifier     WebhookVerifier
	maxBody      int64
	allowLegacy  bool
	store        WebhookDedupStore
	dedupTTL     time.Duration
	claimTTL     time.Duration
	inFlightWait time.Duration
	logger       *slog.Logger
}

// WebhookHandlerOption configures a [WebhookHandler]; an invalid value makes [NewWebhookHandler] return an error.
type WebhookHandlerOption func(*webhookConfig) error

// WithWebhookTolerance sets how far the signed timestamp may be from now, in either direction (default 5 minutes).
// A value <= 0 is refused with [ErrWebhookInvalidTolerance].
func WithWebhookTolerance(d time.Duration) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if d <= 0 {
			return ErrWebhookInvalidTolerance
		}
		c.verifier.Tolerance = d
		return nil
	}
}

// WithWebhookClock sets the clock used to check signature timestamps (default time.Now); nil is refused.
// It does not change the clock of the de-duplication store.
func WithWebhookClock(now func() time.Time) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if now == nil {
			return errors.New("colony: nil webhook clock")
		}
		c.verifier.Now = now
		return nil
	}
}

// WithWebhookMaxBodyBytes sets the body cap (default [DefaultWebhookMaxBodyBytes]); larger bodies get 413.
// A value <= 0 is refused.
func WithWebhookMaxBodyBytes(n int64) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if n <= 0 {
			return fmt.Errorf("colony: webhook body cap must be positive, got %d", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithWebhookLegacySignature also accepts deliveries that carry only the legacy X-Colony-Signature header. It is
// off by default because that signature has no timestamp, so a captured delivery verifies forever; when both
// headers are present, X-Colony-Signature-256 is always the one checked.
func WithWebhookLegacySignature() WebhookHandlerOption {
	return func(c *webhookConfig) error {
		c.allowLegacy = true
		return nil
	}
}

// WithWebhookDedupStore replaces the default in-memory store (a [MemoryWebhookDedupStore] with default limits), for
// example with one shared by several replicas; nil is refused.
func WithWebhookDedupStore(s WebhookDedupStore) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if s == nil {
			return errors.New("colony: nil webhook dedup store")
		}
		c.store = s
		return nil
	}
}

// WithWebhookDedupTTL sets how long a handled event id is remembered (default 24 hours); a value <= 0 is refused.
func WithWebhookDedupTTL(d time.Duration) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if d <= 0 {
			return fmt.Errorf("colony: webhook dedup TTL must be positive, got %s", d)
		}
		c.dedupTTL = d
		return nil
	}
}

// WithWebhookClaimTTL sets how long an in-flight event id stays claimed if its handler never finishes (default 5
// minutes); make it longer than your slowest handler. A value <= 0 is refused.
func WithWebhookClaimTTL(d time.Duration) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if d <= 0 {
			return fmt.Errorf("colony: webhook claim TTL must be positive, got %s", d)
		}
		c.claimTTL = d
		return nil
	}
}

// WithWebhookInFlightWait sets how long a delivery whose event id another delivery is handling waits for that
// delivery's outcome (default [DefaultWebhookInFlightWait], never past the request's context): a commit makes it a
// 200 "duplicate", a release or an expired lease lets it run the handler itself, and if the claim is still held
// when the wait ends it is answered 409. Zero answers 409 at once; a negative value is refused.
func WithWebhookInFlightWait(d time.Duration) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if d < 0 {
			return fmt.Errorf("colony: webhook in-flight wait must not be negative, got %s", d)
		}
		c.inFlightWait = d
		return nil
	}
}

// WithWebhookLogger logs each delivery's outcome to l (default: no logging). Event names and ids are logged; the
// secret and signatures never are. A nil l is refused.
func WithWebhookLogger(l *slog.Logger) WebhookHandlerOption {
	return func(c *webhookConfig) error {
		if l == nil {
			return errors.New("colony: nil webhook logger")
		}
		c.logger = l
		return nil
	}
}

// NewWebhookHandler returns a [WebhookHandler] for deliveries signed with secret, which must not be empty. With no
// handlers registered every verified event is answered 200 and ignored.
func NewWebhookHandler(secret string, opts ...WebhookHandlerOption) (*WebhookHandler, error) {
	if secret == "" {
		return nil, errors.New("colony: empty webhook secret")
	}
	cfg := webhookConfig{
		verifier:     WebhookVerifier{Secret: secret, Tolerance: DefaultWebhookTolerance},
		maxBody:      DefaultWebhookMaxBodyBytes,
		dedupTTL:     DefaultWebhookDedupTTL,
		claimTTL:     DefaultWebhookClaimTTL,
		inFlightWait: DefaultWebhookInFlightWait,
		logger:       slog.New(discardHandler{}),
	}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.store == nil {
		cfg.store = &MemoryWebhookDedupStore{}
	}
	return &WebhookHandler{cfg: cfg, byType: make(map[EventType]WebhookHandlerFunc)}, nil
}

// On registers fn for events named t, replacing any earlier handler for t; a nil fn removes it. Any name is
// accepted, including ones that are not Known.
func (h *WebhookHandler) On(t EventType, fn WebhookHandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if fn == nil {
		delete(h.byType, t)
		return
	}
	h.byType[t] = fn
}

// OnDefault registers fn for every event that has no handler registered with On (or a typed On method), replacing
// any earlier default; a nil fn removes it.
func (h *WebhookHandler) OnDefault(fn WebhookHandlerFunc) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.fallback = fn
}

// OnPostCreated registers fn for "post_created"; a body that does not decode into [PostCreatedEvent] is answered 400.
func (h *WebhookHandler) OnPostCreated(fn func(context.Context, *PostCreatedEvent) error) {
	onTyped(h, EventPostCreated, (*WebhookEvent).AsPostCreated, fn)
}

// OnCommentCreated registers fn for "comment_created"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnCommentCreated(fn func(context.Context, *CommentCreatedEvent) error) {
	onTyped(h, EventCommentCreated, (*WebhookEvent).AsCommentCreated, fn)
}

// OnDirectMessage registers fn for "direct_message"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnDirectMessage(fn func(context.Context, *DirectMessageEvent) error) {
	onTyped(h, EventDirectMessage, (*WebhookEvent).AsDirectMessage, fn)
}

// OnMention registers fn for "mention"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnMention(fn func(context.Context, *MentionEvent) error) {
	onTyped(h, EventMention, (*WebhookEvent).AsMention, fn)
}

// OnCommentOnPost registers fn for "comment_on_post"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnCommentOnPost(fn func(context.Context, *CommentOnPostEvent) error) {
	onTyped(h, EventCommentOnPost, (*WebhookEvent).AsCommentOnPost, fn)
}

// OnReplyToComment registers fn for "reply_to_comment"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnReplyToComment(fn func(context.Context, *ReplyToCommentEvent) error) {
	onTyped(h, EventReplyToComment, (*WebhookEvent).AsReplyToComment, fn)
}

// OnTipReceived registers fn for "tip_received"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnTipReceived(fn func(context.Context, *TipReceivedEvent) error) {
	onTyped(h, EventTipReceived, (*WebhookEvent).AsTipReceived, fn)
}

// onTyped registers fn for t behind a decoder; decode errors match ErrWebhookMalformedBody and so become 400.
func onTyped[T any](h *WebhookHandler, t EventType, decode func(*WebhookEvent) (*T, error),
	fn func(context.Context, *T) error) {
	if fn == nil {
		h.On(t, nil)
		return
	}
	h.On(t, func(ctx context.Context, ev *WebhookEvent) error {
		typed, err := decode(ev)
		if err != nil {
			return err
		}
		return fn(ctx, typed)
	})
}

// ServeHTTP handles one delivery; see [WebhookHandler] for the status codes.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	body, status, err := h.readBody(w, r)
	if err != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "colony webhook: body rejected", slog.Any("error", err))
		reply(w, status, err.Error())
		return
	}
	if err := h.verify(r.Header, body); err != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "colony webhook: signature rejected",
			slog.String("delivery_id", r.Header.Get(WebhookHeaderDelivery)), slog.Any("error", err))
		reply(w, http.StatusUnauthorized, err.Error())
		return
	}
	ev, err := parseDelivery(body, r.Header)
	if err != nil {
		h.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "colony webhook: delivery rejected",
			slog.String("delivery_id", r.Header.Get(WebhookHeaderDelivery)), slog.Any("error", err))
		reply(w, http.StatusBadRequest, err.Error())
		return
	}
	status, msg := h.dispatch(r.Context(), ev)
	reply(w, status, msg)
}

// readBody reads at most maxBody bytes, reporting 413 past the cap.
func (h *WebhookHandler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	if r.ContentLength > h.cfg.maxBody {
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("colony: webhook body over %d bytes", h.cfg.maxBody)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, http.StatusRequestEntityTooLarge, fmt.Errorf("colony: webhook body over %d bytes", h.cfg.maxBody)
	case err != nil:
		return nil, http.StatusBadRequest, fmt.Errorf("colony: reading webhook body: %w", err)
	}
	return body, 0, nil
}

// verify checks X-Colony-Signature-256, or the legacy header when it is allowed and the new one is absent.
func (h *WebhookHandler) verify(header http.Header, body []byte) error {
	sig256 := header.Get(WebhookHeaderSignature256)
	legacy := header.Get(WebhookHeaderSignature)
	if sig256 == "" && legacy != "" && h.cfg.allowLegacy {
		if !VerifyWebhook(body, legacy, h.cfg.verifier.Secret) {
			return ErrWebhookSignatureMismatch
		}
		return nil
	}
	if sig256 == "" {
		return fmt.Errorf("%w: no %s header", ErrWebhookSignatureMalformed, WebhookHeaderSignature256)
	}
	return h.cfg.verifier.Verify(body, sig256)
}

// parseDelivery parses the body and checks the headers that dispatch relies on.
func parseDelivery(body []byte, header http.Header) (*WebhookEvent, error) {
	ev, err := ParseWebhookEvent(body, header)
	if err != nil {
		return nil, err
	}
	if name := header.Get(WebhookHeaderEvent); name != "" && name != string(ev.Type) {
		return nil, fmt.Errorf("%w: %s %q does not match body event %q",
			ErrWebhookMalformedBody, WebhookHeaderEvent, name, ev.Type)
	}
	switch {
	case ev.EventID == "":
		return nil, fmt.Errorf("colony: webhook delivery has no %s or %s", WebhookHeaderEventID, WebhookHeaderDelivery)
	case len(ev.EventID) > maxEventIDLength:
		return nil, fmt.Errorf("colony: webhook event id longer than %d bytes", maxEventIDLength)
	}
	return ev, nil
}

// handlerFor returns the handler for t, the default handler, or nil.
func (h *WebhookHandler) handlerFor(t EventType) WebhookHandlerFunc {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if fn, ok := h.byType[t]; ok {
		return fn
	}
	return h.fallback
}

// dispatch claims ev's id, runs its handler and commits the id on success or releases it otherwise (even when the
// handler panics). It returns the response status and text.
func (h *WebhookHandler) dispatch(ctx context.Context, ev *WebhookEvent) (int, string) {
	log := h.cfg.logger.With(slog.String("event", string(ev.Type)), slog.String("event_id", ev.EventID),
		slog.String("delivery_id", ev.DeliveryID), slog.Int("attempt", ev.Attempt))
	fn := h.handlerFor(ev.Type)
	if fn == nil {
		log.LogAttrs(ctx, slog.LevelDebug, "colony webhook: no handler, ignored")
		return http.StatusOK, "ignored"
	}
	// Store bookkeeping must finish even if the sender hangs up.
	storeCtx := context.WithoutCancel(ctx)
	claim, owner, err := h.claim(ctx, storeCtx, ev.EventID)
	switch {
	case err != nil:
		log.LogAttrs(ctx, slog.LevelError, "colony webhook: dedup store claim failed", slog.Any("error", err))
		return http.StatusInternalServerError, "dedup store unavailable"
	case claim == WebhookClaimDone:
		log.LogAttrs(ctx, slog.LevelInfo, "colony webhook: duplicate, already handled")
		return http.StatusOK, "duplicate"
	case claim == WebhookClaimInFlight:
		log.LogAttrs(ctx, slog.LevelInfo, "colony webhook: duplicate, still in flight")
		return http.StatusConflict, "event is being handled by another delivery"
	case claim != WebhookClaimAcquired || owner == "":
		log.LogAttrs(ctx, slog.LevelError, "colony webhook: dedup store returned an unknown claim",
			slog.Int("claim", int(claim)))
		return http.StatusInternalServerError, "dedup store unavailable"
	}
	status, msg := h.run(ctx, log, fn, ev)
	if status != http.StatusOK {
		// Failed or panicked: let a redelivery try again. A claim that expired meanwhile and went to another
		// delivery is not ours to drop (ErrWebhookClaimLost).
		if err := h.cfg.store.Release(storeCtx, ev.EventID, owner); err != nil {
			log.LogAttrs(ctx, slog.LevelError, "colony webhook: dedup store release failed", slog.Any("error", err))
		}
		return status, msg
	}
	if err := h.cfg.store.Commit(storeCtx, ev.EventID, owner, h.cfg.dedupTTL); err != nil {
		// The work is done; answering 5xx would make the server run it again.
		log.LogAttrs(ctx, slog.LevelError, "colony webhook: dedup store commit failed", slog.Any("error", err))
	}
	log.LogAttrs(ctx, slog.LevelInfo, "colony webhook: handled")
	return http.StatusOK, "ok"
}

// claim claims eventID; while another delivery holds it, it polls the store for up to the in-flight wait (or
// until ctx ends), so that the holder's outcome decides: its commit makes this a duplicate, its release or an
// expired lease hands the event to this delivery.
func (h *WebhookHandler) claim(ctx, storeCtx context.Context, eventID string) (WebhookClaim, string, error) {
	var deadline <-chan time.Time
	if h.cfg.inFlightWait > 0 {
		t := time.NewTimer(h.cfg.inFlightWait)
		defer t.Stop()
		deadline = t.C
	}
	pause := 10 * time.Millisecond
	for {
		claim, owner, err := h.cfg.store.Claim(storeCtx, eventID, h.cfg.claimTTL)
		if err != nil || claim != WebhookClaimInFlight || deadline == nil {
			return claim, owner, err
		}
		poll := time.NewTimer(pause)
		select {
		case <-poll.C:
		case <-deadline:
			poll.Stop()
			return WebhookClaimInFlight, "", nil
		case <-ctx.Done():
			poll.Stop()
			return WebhookClaimInFlight, "", nil
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// run calls fn, turning an error into 400 or 500 and a panic into 500: the panic is recovered and logged with its
// stack, so the process, the connection and the claim survive it even when ServeHTTP is called outside net/http.
func (h *WebhookHandler) run(ctx context.Context, log *slog.Logger, fn WebhookHandlerFunc, ev *WebhookEvent) (status int, msg string) {
	defer func() {
		if v := recover(); v != nil {
			log.LogAttrs(ctx, slog.LevelError, "colony webhook: handler panicked",
				slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			status, msg = http.StatusInternalServerError, "handler panicked"
		}
	}()
	if err := fn(ctx, ev); err != nil {
		log.LogAttrs(ctx, slog.LevelError, "colony webhook: handler failed", slog.Any("error", err))
		if errors.Is(err, ErrWebhookMalformedBody) {
			return http.StatusBadRequest, "malformed event"
		}
		return http.StatusInternalServerError, "handler failed"
	}
	return http.StatusOK, "ok"
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg+"\n")
}

// discardHandler is an slog.Handler that drops everything (slog.DiscardHandler needs Go 1.24).
type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }

// WebhookClaim is the outcome of [WebhookDedupStore.Claim].
type WebhookClaim int

// Outcomes of [WebhookDedupStore.Claim].
const (
	// WebhookClaimAcquired means the caller now owns the event id and must Commit or Release it with its owner token.
	WebhookClaimAcquired WebhookClaim = iota + 1
	// WebhookClaimInFlight means another delivery owns the event id and has not finished.
	WebhookClaimInFlight
	// WebhookClaimDone means the event id was committed and has not expired: the event was already handled.
	WebhookClaimDone
)

// ErrWebhookClaimLost is returned by [WebhookDedupStore.Commit] and Release when the owner token no longer holds the
// event id: its lease expired and another delivery claimed it (or committed it). Nothing was changed.
var ErrWebhookClaimLost = errors.New("colony: webhook claim no longer held by this owner")

// WebhookDedupStore remembers webhook event ids so each event is handled once. Implementations must be safe for
// concurrent use and make each method atomic; a store shared by several receivers (a database, Redis) gives the
// same guarantee across them. The storetest package checks an implementation against this contract.
//
// Every claim carries an owner token, so a handler that outlives its lease cannot commit or release the claim of
// the delivery that took the event over: without it, a slow handler's Release dropped its successor's claim and one
// event ran three times.
type WebhookDedupStore interface {
	// Claim reserves eventID for lease unless it is already claimed (WebhookClaimInFlight) or committed
	// (WebhookClaimDone); an expired claim or commit counts as absent. On WebhookClaimAcquired it returns a new,
	// unguessable, non-empty owner token, otherwise "".
	Claim(ctx context.Context, eventID string, lease time.Duration) (claim WebhookClaim, owner string, err error)
	// Commit records eventID as handled for ttl when owner holds its current claim, or when nobody does (the lease
	// expired and no other delivery claimed it). When another owner holds it, or it is already committed, Commit
	// changes nothing and returns ErrWebhookClaimLost.
	Commit(ctx context.Context, eventID, owner string, ttl time.Duration) error
	// Release drops the claim on eventID when owner holds it, so a redelivery can handle the event. Otherwise it
	// changes nothing (a commit, another owner's claim) and returns ErrWebhookClaimLost, or nil when the id is free.
	Release(ctx context.Context, eventID, owner string) error
}

// NewWebhookOwnerToken returns a random 128-bit owner token in hex, for [WebhookDedupStore] implementations.
func NewWebhookOwnerToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// MemoryWebhookDedupStore is an in-memory [WebhookDedupStore] bounded to MaxEntries ids (0 means
// [DefaultWebhookDedupMaxEntries]); when full it evicts the least recently written id, so a very old event could be
// handled again. The zero value is ready to use, it is safe for concurrent use, and it runs no goroutines; set
// fields before first use.
type MemoryWebhookDedupStore struct {
	// MaxEntries bounds the number of ids kept; 0 means DefaultWebhookDedupMaxEntries.
	MaxEntries int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]*list.Element // values are *memDedupEntry
	order   list.List                // front is the least recently written
}

type memDedupEntry struct {
	id      string
	owner   string // holder of an uncommitted claim
	done    bool
	expires time.Time
}

// Claim implements [WebhookDedupStore].
func (s *MemoryWebhookDedupStore) Claim(_ context.Context, eventID string, lease time.Duration) (WebhookClaim, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e := s.live(eventID, now); e != nil {
		if e.done {
			return WebhookClaimDone, "", nil
		}
		return WebhookClaimInFlight, "", nil
	}
	owner := NewWebhookOwnerToken()
	s.put(eventID, owner, false, now.Add(lease), now)
	return WebhookClaimAcquired, owner, nil
}

// Commit implements [WebhookDedupStore].
func (s *MemoryWebhookDedupStore) Commit(_ context.Context, eventID, owner string, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if e := s.live(eventID, now); e != nil && (e.done || e.owner != owner) {
		return ErrWebhookClaimLost
	}
	s.put(eventID, "", true, now.Add(ttl), now)
	return nil
}

// Release implements [WebhookDedupStore].
func (s *MemoryWebhookDedupStore) Release(_ context.Context, eventID, owner string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.live(eventID, s.now())
	switch {
	case e == nil:
		return nil
	case e.done || e.owner != owner:
		return ErrWebhookClaimLost
	}
	s.remove(s.entries[eventID])
	return nil
}

// Len returns the number of ids currently held, including expired ones not yet dropped.
func (s *MemoryWebhookDedupStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

func (s *MemoryWebhookDedupStore) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// live returns the unexpired entry for id, dropping it if it has expired.
func (s *MemoryWebhookDedupStore) live(id string, now time.Time) *memDedupEntry {
	el, ok := s.entries[id]
	if !ok {
		return nil
	}
	e := el.Value.(*memDedupEntry)
	if now.Before(e.expires) {
		return e
	}
	s.remove(el)
	return nil
}

// put inserts or updates id as the most recently written entry, then drops expired entries from the front and
// evicts the oldest while over the bound.
func (s *MemoryWebhookDedupStore) put(id, owner string, done bool, expires, now time.Time) {
	if s.entries == nil {
		s.entries = make(map[string]*list.Element)
	}
	if el, ok := s.entries[id]; ok {
		e := el.Value.(*memDedupEntry)
		e.owner, e.done, e.expires = owner, done, expires
		s.order.MoveToBack(el)
	} else {
		s.entries[id] = s.order.PushBack(&memDedupEntry{id: id, owner: owner, done: done, expires: expires})
	}
	limit := s.MaxEntries
	if limit <= 0 {
		limit = DefaultWebhookDedupMaxEntries
	}
	for front := s.order.Front(); front != nil; front = s.order.Front() {
		if len(s.entries) <= limit && now.Before(front.Value.(*memDedupEntry).expires) {
			break
		}
		s.remove(front)
	}
}

func (s *MemoryWebhookDedupStore) remove(el *list.Element) {
	delete(s.entries, el.Value.(*memDedupEntry).id)
	s.order.Remove(el)
}
