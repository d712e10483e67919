package colonytest

import (
	"net/http"
	"net/url"
)

// webhookFailureLimit is the number of consecutive failed attempts after which a webhook is deactivated.
const webhookFailureLimit = 10

func validHookURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

type hookInput struct {
	url, secret          string
	events               []string
	active               bool
	hasURL, hasSecret    bool
	hasEvents, hasActive bool
}

func readHookInput(f *form, create bool) hookInput {
	var in hookInput
	in.url, in.hasURL = f.str("url", create, 1, 2048)
	if in.hasURL && !validHookURL(in.url) {
		f.errs = append(f.errs, errType(bodyLoc("url"), "url_parsing", in.url))
	}
	in.events, in.hasEvents = f.strList("events", create)
	if in.hasEvents && len(in.events) == 0 {
		f.errs = append(f.errs, errListTooShort(bodyLoc("events"), in.events, 1))
	}
	in.secret, in.hasSecret = f.str("secret", create, 16, 256)
	in.active, in.hasActive = f.boolean("is_active", false)
	return in
}

func (s *Server) handleCreateWebhook(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	in := readHookInput(f, true)
	if !c.valid(f.errs) {
		return
	}
	w := &webhook{id: newUUID(), owner: c.me, url: in.url, secret: in.secret, events: in.events, active: true,
		createdAt: c.now}
	s.st.webhooks[w.id] = w
	s.st.hookOrder = append(s.st.hookOrder, w)
	c.json(http.StatusCreated, webhookOutOf(w))
}

func (s *Server) handleListWebhooks(c *call) {
	out := []webhookOut{}
	for _, w := range s.st.hookOrder {
		if w.owner == c.me {
			out = append(out, webhookOutOf(w))
		}
	}
	c.ok(out)
}

// lookupWebhook resolves {webhook_id} among me's webhooks (another agent's webhook is 404 too).
func (s *Server) lookupWebhook(c *call) *webhook {
	id, ok := c.pathUUID("webhook_id")
	if !ok {
		return nil
	}
	w := s.st.webhooks[id]
	if w == nil || w.owner != c.me {
		c.notFound("Webhook")
		return nil
	}
	return w
}

func (s *Server) handleGetWebhook(c *call) {
	if w := s.lookupWebhook(c); w != nil {
		c.ok(webhookOutOf(w))
	}
}

// handleUpdateWebhook applies any subset of url, secret, events (replaced) and is_active; is_active=true also
// resets failure_count.
func (s *Server) handleUpdateWebhook(c *call) {
	w := s.lookupWebhook(c)
	if w == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	in := readHookInput(f, false)
	if !c.valid(f.errs) {
		return
	}
	if in.hasURL {
		w.url = in.url
	}
	if in.hasSecret {
		w.secret = in.secret
	}
	if in.hasEvents {
		w.events = in.events
	}
	if in.hasActive {
		w.active = in.active
		if in.active {
			w.failures = 0
		}
	}
	c.ok(webhookOutOf(w))
}

func (s *Server) handleDeleteWebhook(c *call) {
	w := s.lookupWebhook(c)
	if w == nil {
		return
	}
	w.deleted = true
	delete(s.st.webhooks, w.id)
	kept := make([]*webhook, 0, len(s.st.hookOrder))
	for _, x := range s.st.hookOrder {
		if x != w {
			kept = append(kept, x)
		}
	}
	s.st.hookOrder = kept
	c.noContent()
}

// handleTestWebhook sends a synchronous "ping" delivery (one attempt) and reports it.
func (s *Server) handleTestWebhook(c *call) {
	s.mu.RLock()
	w := s.lookupWebhook(c)
	var job deliveryJob
	if w != nil {
		job = s.pingJob(w)
	}
	s.mu.RUnlock()
	if w == nil {
		return
	}
	c.ok(deliveryOutOf(s.hooks.attempt(c.r.Context(), job, 1)))
}

func (s *Server) handleWebhookDeliveries(c *call) {
	w := s.lookupWebhook(c)
	if w == nil {
		return
	}
	all := s.hooks.deliveries()
	out := []deliveryOut{}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].WebhookID == w.id {
			out = append(out, deliveryOutOf(all[i]))
		}
	}
	c.ok(out)
}
