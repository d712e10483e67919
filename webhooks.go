package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// minWebhookSecret is the shortest secret the server accepts, in characters.
const minWebhookSecret = 16

// Webhook is a webhook subscription (wire schema WebhookOut). The server disables a
// hook after 10 consecutive failed deliveries (IsActive false, FailureCount 10);
// LastTriggeredAt is nil until a delivery succeeded. The secret is never sent back.
type Webhook struct {
	ID              string      `json:"id"`
	URL             string      `json:"url"`
	Events          []EventType `json:"events"`
	IsActive        bool        `json:"is_active"`
	FailureCount    int         `json:"failure_count"`
	LastTriggeredAt *time.Time  `json:"last_triggered_at"`
	CreatedAt       time.Time   `json:"created_at"`
}

// WebhookCreateParams describe a new webhook subscription; every field is required.
type WebhookCreateParams struct {
	URL string // absolute http or https URL the deliveries are POSTed to
	// Events to subscribe to, at least one. Names outside the Event* constants are
	// sent as given: the server may know events this release does not.
	Events []EventType
	Secret string // signing secret, at least 16 characters; never logged or put in errors
}

// webhookCreateBody is the JSON body of POST /webhooks.
type webhookCreateBody struct {
	URL    string      `json:"url"`
	Events []EventType `json:"events"`
	Secret string      `json:"secret"`
}

// WebhookUpdateParams change a webhook; nil fields are not sent and stay as they are.
// At least one field must be set.
type WebhookUpdateParams struct {
	URL    *string     `json:"url,omitempty"`    // new absolute http(s) URL
	Secret *string     `json:"secret,omitempty"` // new secret, at least 16 characters
	Events []EventType `json:"events,omitempty"` // replaces the event list when non-nil; must not be empty then
	// IsActive true re-enables a hook the server disabled and resets its failure count.
	IsActive *bool `json:"is_active,omitempty"`
}

// Create registers a webhook (POST /webhooks). The URL must be an absolute http(s)
// URL, Events non-empty and the secret at least 16 characters, else the call is
// [ErrInvalidArgument] and nothing is sent. The server allows about 12 creates per hour.
func (s *WebhooksService) Create(ctx context.Context, p *WebhookCreateParams, opts ...RequestOption) (*Webhook, error) {
	if p == nil {
		return nil, invalidArgf("webhook create params are nil")
	}
	if err := checkWebhookURL(p.URL); err != nil {
		return nil, err
	}
	if err := checkWebhookEvents(p.Events); err != nil {
		return nil, err
	}
	if err := checkWebhookSecret(p.Secret); err != nil {
		return nil, err
	}
	body := webhookCreateBody{URL: p.URL, Events: p.Events, Secret: p.Secret}
	return call[Webhook](ctx, s.client, http.MethodPost, "/webhooks", nil, body, opts)
}

// List returns the caller's webhooks (GET /webhooks, a bare JSON array).
func (s *WebhooksService) List(ctx context.Context, opts ...RequestOption) ([]Webhook, error) {
	var out []Webhook
	if err := s.client.do(ctx, http.MethodGet, "/webhooks", nil, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListIter ranges over the caller's webhooks. The endpoint is not paged, so each
// range makes exactly one request.
func (s *WebhooksService) ListIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*Webhook, error] {
	return single(func(ctx context.Context) ([]Webhook, error) {
		return s.List(ctx, opts...)
	}).all(ctx)
}

// Get returns one webhook (GET /webhooks/{webhook_id}); an unknown id is [ErrNotFound].
func (s *WebhooksService) Get(ctx context.Context, webhookID string, opts ...RequestOption) (*Webhook, error) {
	path, err := endpoint("/webhooks/{webhook_id}", webhookID)
	if err != nil {
		return nil, err
	}
	return call[Webhook](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Update changes a webhook (PUT /webhooks/{webhook_id}) and returns it. Only the set
// fields of p are sent and they are validated as in Create; p nil or empty is
// [ErrInvalidArgument].
func (s *WebhooksService) Update(ctx context.Context, webhookID string, p *WebhookUpdateParams, opts ...RequestOption) (*Webhook, error) {
	path, err := endpoint("/webhooks/{webhook_id}", webhookID)
	if err != nil {
		return nil, err
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	return call[Webhook](ctx, s.client, http.MethodPut, path, nil, p, opts)
}

// Delete removes a webhook (DELETE /webhooks/{webhook_id}); an unknown id is [ErrNotFound].
func (s *WebhooksService) Delete(ctx context.Context, webhookID string, opts ...RequestOption) error {
	path, err := endpoint("/webhooks/{webhook_id}", webhookID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

func (p *WebhookUpdateParams) check() error {
	if p == nil || (p.URL == nil && p.Secret == nil && p.Events == nil && p.IsActive == nil) {
		return invalidArgf("webhook update needs at least one of URL, Secret, Events, IsActive")
	}
	if p.URL != nil {
		if err := checkWebhookURL(*p.URL); err != nil {
			return err
		}
	}
	if p.Events != nil {
		if err := checkWebhookEvents(p.Events); err != nil {
			return err
		}
	}
	if p.Secret != nil {
		return checkWebhookSecret(*p.Secret)
	}
	return nil
}

// checkWebhookURL requires an absolute http(s) URL with a host. The URL itself is
// kept out of the error: it may carry a token.
func checkWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "" {
		return invalidArgf("webhook URL must be an absolute http or https URL with a host")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return invalidArgf("webhook URL scheme must be http or https, got %q", u.Scheme)
	}
	return nil
}

func checkWebhookEvents(events []EventType) error {
	if len(events) == 0 {
		return invalidArgf("webhook needs at least one event")
	}
	for i, e := range events {
		if strings.TrimSpace(string(e)) == "" {
			return invalidArgf("webhook event %d is empty", i)
		}
	}
	return nil
}

// checkWebhookSecret enforces the server's minimum length; the secret never appears in the error.
func checkWebhookSecret(secret string) error {
	if n := utf8.RuneCountInString(secret); n < minWebhookSecret {
		return invalidArgf("webhook secret must be at least %d characters, got %d", minWebhookSecret, n)
	}
	return nil
}
