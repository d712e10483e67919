package colony_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "0123456789abcdef-secret"

func createHook(t *testing.T, c *colony.Client, events ...colony.EventType) *colony.Webhook {
	t.Helper()
	w, err := c.Webhooks.Create(context.Background(), &colony.WebhookCreateParams{
		URL: "https://hooks.example/colony", Events: events, Secret: hookSecret})
	require.NoError(t, err)
	return w
}

func TestWebhooksCreate(t *testing.T) {
	at := time.Date(2026, 9, 2, 8, 30, 0, 0, time.UTC)
	env := newSocialEnv(t, colonytest.WithClock(at))
	_, c := env.agentClient("alice")
	env.reset()

	w, err := c.Webhooks.Create(context.Background(), &colony.WebhookCreateParams{
		URL:    "https://hooks.example/colony?x=1",
		Events: []colony.EventType{colony.EventDirectMessage, colony.EventMention, "brand_new_event"},
		Secret: hookSecret,
	})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/webhooks", Body: `{"url":"https://hooks.example/colony?x=1",
		"events":["direct_message","mention","brand_new_event"],"secret":"` + hookSecret + `"}`})
	assert.NotEmpty(t, w.ID)
	assert.Equal(t, "https://hooks.example/colony?x=1", w.URL)
	assert.Equal(t, []colony.EventType{colony.EventDirectMessage, colony.EventMention, "brand_new_event"}, w.Events,
		"unknown event names are sent and echoed")
	assert.True(t, w.IsActive)
	assert.Zero(t, w.FailureCount)
	assert.Nil(t, w.LastTriggeredAt)
	assert.True(t, at.Equal(w.CreatedAt))
	assert.Equal(t, 1, env.srv.WebhookCount())
}

func TestWebhooksCreateValidation(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	ok := colony.WebhookCreateParams{URL: "https://h.example/x", Events: []colony.EventType{colony.EventPostCreated}, Secret: hookSecret}
	with := func(f func(*colony.WebhookCreateParams)) *colony.WebhookCreateParams {
		p := ok
		f(&p)
		return &p
	}
	cases := map[string]*colony.WebhookCreateParams{
		"nil params":        nil,
		"secret too short":  with(func(p *colony.WebhookCreateParams) { p.Secret = "fifteen-chars!!" }),
		"secret 15 runes":   with(func(p *colony.WebhookCreateParams) { p.Secret = "ééééééééééééééé" }),
		"empty secret":      with(func(p *colony.WebhookCreateParams) { p.Secret = "" }),
		"relative URL":      with(func(p *colony.WebhookCreateParams) { p.URL = "/hooks" }),
		"no host":           with(func(p *colony.WebhookCreateParams) { p.URL = "https:///x" }),
		"ftp URL":           with(func(p *colony.WebhookCreateParams) { p.URL = "ftp://h.example/x" }),
		"garbage URL":       with(func(p *colony.WebhookCreateParams) { p.URL = "http://[::1" }),
		"empty URL":         with(func(p *colony.WebhookCreateParams) { p.URL = "" }),
		"no events":         with(func(p *colony.WebhookCreateParams) { p.Events = nil }),
		"empty event name":  with(func(p *colony.WebhookCreateParams) { p.Events = []colony.EventType{"mention", " "} }),
		"empty events list": with(func(p *colony.WebhookCreateParams) { p.Events = []colony.EventType{} }),
	}
	for name, p := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Webhooks.Create(ctx, p)
			require.ErrorIs(t, err, colony.ErrInvalidArgument)
			if p != nil && p.Secret != "" {
				assert.NotContains(t, err.Error(), p.Secret, "the secret never appears in errors")
			}
		})
	}
	env.none()

	_, err := c.Webhooks.Create(ctx, with(func(p *colony.WebhookCreateParams) { p.Secret = "sixteen-chars!!!"; p.URL = "HTTP://h.example" }))
	require.NoError(t, err, "16 characters and an upper-case scheme are fine")
}

func TestWebhooksListGetIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	_, other := env.agentClient("bob")
	ctx := context.Background()
	w1 := createHook(t, c, colony.EventPostCreated)
	w2 := createHook(t, c, colony.EventMention)
	createHook(t, other, colony.EventMention)
	env.reset()

	hooks, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/webhooks"})
	require.Len(t, hooks, 2, "only the caller's webhooks")
	assert.Equal(t, w1.ID, hooks[0].ID)
	assert.Equal(t, w2.ID, hooks[1].ID)

	env.reset()
	var ids []string
	for w, err := range c.Webhooks.ListIter(ctx) {
		require.NoError(t, err)
		ids = append(ids, w.ID)
	}
	assert.Equal(t, []string{w1.ID, w2.ID}, ids)
	env.only(wire{Method: "GET", Path: "/webhooks"})

	env.reset()
	got, err := c.Webhooks.Get(ctx, w2.ID)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/webhooks/" + w2.ID})
	assert.Equal(t, []colony.EventType{colony.EventMention}, got.Events)
	assert.Equal(t, w2.CreatedAt, got.CreatedAt)

	_, err = c.Webhooks.Get(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestWebhooksUpdate(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	w := createHook(t, c, colony.EventPostCreated)
	env.reset()

	got, err := c.Webhooks.Update(ctx, w.ID, &colony.WebhookUpdateParams{IsActive: colony.Ptr(false)})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/webhooks/" + w.ID, Body: `{"is_active":false}`})
	assert.False(t, got.IsActive)

	env.reset()
	got, err = c.Webhooks.Update(ctx, w.ID, &colony.WebhookUpdateParams{
		URL:      colony.Ptr("http://new.example/hook"),
		Secret:   colony.Ptr("another-secret-16"),
		Events:   []colony.EventType{colony.EventCommentOnPost, colony.EventReplyToComment},
		IsActive: colony.Ptr(true),
	})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/webhooks/" + w.ID, Body: `{"url":"http://new.example/hook",
		"secret":"another-secret-16","events":["comment_on_post","reply_to_comment"],"is_active":true}`})
	assert.Equal(t, "http://new.example/hook", got.URL)
	assert.Equal(t, []colony.EventType{colony.EventCommentOnPost, colony.EventReplyToComment}, got.Events)
	assert.True(t, got.IsActive)

	hooks, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	require.Len(t, hooks, 1)
	assert.Equal(t, got.URL, hooks[0].URL, "the update is reflected in the list")
	info, ok := env.srv.Webhook(w.ID)
	require.True(t, ok)
	assert.Equal(t, "http://new.example/hook", info.URL)
}

func TestWebhooksUpdateValidation(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	id := "7f0c8d5e-1111-4222-8333-444455556666"
	env.reset()

	cases := map[string]struct {
		id string
		p  *colony.WebhookUpdateParams
	}{
		"nil params":      {id, nil},
		"no field":        {id, &colony.WebhookUpdateParams{}},
		"empty events":    {id, &colony.WebhookUpdateParams{Events: []colony.EventType{}}},
		"short secret":    {id, &colony.WebhookUpdateParams{Secret: colony.Ptr("short")}},
		"relative URL":    {id, &colony.WebhookUpdateParams{URL: colony.Ptr("hooks/x"), IsActive: colony.Ptr(true)}},
		"empty id":        {"", &colony.WebhookUpdateParams{IsActive: colony.Ptr(true)}},
		"dot-dot id":      {"..", &colony.WebhookUpdateParams{IsActive: colony.Ptr(true)}},
		"blank event":     {id, &colony.WebhookUpdateParams{Events: []colony.EventType{""}}},
		"mailto scheme":   {id, &colony.WebhookUpdateParams{URL: colony.Ptr("mailto:a@b.example")}},
		"secret is empty": {id, &colony.WebhookUpdateParams{Secret: colony.Ptr("")}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := c.Webhooks.Update(ctx, tc.id, tc.p)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		})
	}
	t.Run("get and delete validate the id", func(t *testing.T) {
		_, err := c.Webhooks.Get(ctx, "")
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		assert.ErrorIs(t, c.Webhooks.Delete(ctx, "."), colony.ErrInvalidArgument)
	})
	env.none()
}

func TestWebhooksDelete(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	w := createHook(t, c, colony.EventPostCreated)
	env.reset()

	require.NoError(t, c.Webhooks.Delete(ctx, w.ID))
	env.only(wire{Method: "DELETE", Path: "/webhooks/" + w.ID})
	hooks, err := c.Webhooks.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, hooks)
	assert.ErrorIs(t, c.Webhooks.Delete(ctx, w.ID), colony.ErrNotFound)
}

// TestWebhooksCreatedHookReceivesDeliveries ties the subscription to a delivery: a
// webhook created through the SDK is called (on loopback) when its event happens.
func TestWebhooksCreatedHookReceivesDeliveries(t *testing.T) {
	env := newSocialEnv(t)
	_, ca := env.agentClient("alice")
	_, cb := env.agentClient("bob")
	ctx := context.Background()
	events := make(chan string, 4)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		events <- r.Header.Get("X-Colony-Event")
	}))
	t.Cleanup(receiver.Close)
	w, err := ca.Webhooks.Create(ctx, &colony.WebhookCreateParams{
		URL: receiver.URL + "/hook", Events: []colony.EventType{colony.EventDirectMessage}, Secret: hookSecret})
	require.NoError(t, err)

	_, err = cb.Messages.Send(ctx, "alice", "ping")
	require.NoError(t, err)
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	require.NoError(t, env.srv.WaitDeliveries(wctx))
	ds := env.srv.Deliveries()
	require.Len(t, ds, 1)
	assert.Equal(t, w.ID, ds[0].WebhookID)
	assert.True(t, ds[0].Success)
	assert.Equal(t, "direct_message", <-events)
}
