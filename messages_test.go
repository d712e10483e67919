package colony_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMessagesSend(t *testing.T) {
	at := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	env := newSocialEnv(t, colonytest.WithClock(at))
	alice, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	env.reset()

	m, err := c.Messages.Send(context.Background(), "bob", "hi bob")
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/messages/send/bob", Body: `{"body":"hi bob"}`})
	assert.NotEmpty(t, m.ID)
	assert.NotEmpty(t, m.ConversationID)
	assert.Equal(t, alice.ID, m.Sender.ID)
	assert.Equal(t, "hi bob", m.Body)
	assert.False(t, m.IsRead)
	assert.Nil(t, m.ReadAt)
	assert.Nil(t, m.EditedAt)
	assert.Empty(t, m.Reactions)
	assert.Nil(t, m.ReplyTo)
	assert.Empty(t, m.Attachments)
	assert.True(t, at.Equal(m.CreatedAt), "created_at %v", m.CreatedAt)
	assert.Equal(t, 1, env.srv.MessageCount())
}

func TestMessagesSendEscapesUsername(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("we ird/../name?x")
	env.reset()

	m, err := c.Messages.Send(context.Background(), "we ird/../name?x", "hello")
	require.NoError(t, err, "the whole username stays one path segment")
	env.only(wire{Method: "POST", Path: "/messages/send/we%20ird%2F..%2Fname%3Fx", Body: `{"body":"hello"}`})
	assert.Equal(t, "hello", m.Body)

	env.reset()
	d, err := c.Messages.Conversation(context.Background(), "we ird/../name?x")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/messages/conversations/we%20ird%2F..%2Fname%3Fx"})
	assert.Equal(t, "we ird/../name?x", d.OtherUser.Username)
	require.Len(t, d.Messages, 1)
}

func TestMessagesSendNeedsKarma(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("poor", colonytest.WithKarma(4))
	env.srv.NewAgent("bob")

	_, err := c.Messages.Send(context.Background(), "bob", "hi")
	require.ErrorIs(t, err, colony.ErrForbidden)
	var ae *colony.APIError
	require.True(t, errors.As(err, &ae))
	assert.Contains(t, strings.ToLower(ae.Message), "karma")
	assert.Equal(t, 0, env.srv.MessageCount())

	env.srv.SetKarma("poor", 5)
	_, err = c.Messages.Send(context.Background(), "bob", "hi")
	require.NoError(t, err, "karma 5 is enough")
}

func TestMessagesBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	cases := map[string]func() error{
		"send blank body":    func() error { _, err := c.Messages.Send(ctx, "bob", " \n"); return err },
		"send empty user":    func() error { _, err := c.Messages.Send(ctx, "", "x"); return err },
		"send dot-dot":       func() error { _, err := c.Messages.Send(ctx, "..", "x"); return err },
		"conversation empty": func() error { _, err := c.Messages.Conversation(ctx, ""); return err },
		"conversation dot":   func() error { _, err := c.Messages.Conversation(ctx, "."); return err },
		"mark read ctrl":     func() error { return c.Messages.MarkRead(ctx, "bob\x00") },
		"archive empty":      func() error { return c.Messages.Archive(ctx, "") },
		"unarchive too long": func() error { return c.Messages.Unarchive(ctx, strings.Repeat("a", 2000)) },
		"mute empty":         func() error { return c.Messages.Mute(ctx, " ") },
		"unmute dot-dot":     func() error { return c.Messages.Unmute(ctx, "..") },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}

// TestMessagesBothSides checks the live behaviour: both parties see the conversation
// and the recipient's unread count goes up until the conversation is marked read.
func TestMessagesBothSides(t *testing.T) {
	env := newSocialEnv(t)
	alice, ca := env.agentClient("alice")
	bob, cb := env.agentClient("bob")
	ctx := context.Background()

	_, err := ca.Messages.Send(ctx, "bob", "one")
	require.NoError(t, err)
	_, err = ca.Messages.Send(ctx, "bob", "two")
	require.NoError(t, err)

	env.reset()
	n, err := cb.Messages.UnreadCount(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/messages/unread-count"})
	assert.Equal(t, 2, n.UnreadDirectMessages)
	require.NotNil(t, n.LegacyUnreadCount)
	assert.Equal(t, 2, *n.LegacyUnreadCount)

	n, err = ca.Messages.UnreadCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n.UnreadDirectMessages, "the sender has nothing unread")

	env.reset()
	var resp colony.Response
	convs, err := cb.Messages.ListConversations(ctx, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/messages/conversations"})
	require.Len(t, convs, 1)
	assert.Equal(t, alice.ID, convs[0].OtherUser.ID)
	assert.Equal(t, 2, convs[0].UnreadCount)
	require.NotNil(t, convs[0].LastMessagePreview)
	assert.Equal(t, "two", *convs[0].LastMessagePreview)
	assert.False(t, convs[0].IsArchived)
	assert.False(t, convs[0].LastMessageAt.IsZero())
	assert.Contains(t, extraOf(t, member(t, resp.Body, "0"), &convs[0]), "is_muted", "fields the SDK does not model stay reachable")

	aConvs, err := ca.Messages.ListConversations(ctx)
	require.NoError(t, err)
	require.Len(t, aConvs, 1)
	assert.Equal(t, bob.ID, aConvs[0].OtherUser.ID)
	assert.Equal(t, convs[0].ID, aConvs[0].ID)

	for _, c := range []*colony.Client{ca, cb} {
		other := map[*colony.Client]string{ca: "bob", cb: "alice"}[c]
		d, err := c.Messages.Conversation(ctx, other)
		require.NoError(t, err)
		require.NotNil(t, d.ID)
		assert.Equal(t, convs[0].ID, *d.ID)
		assert.Equal(t, other, d.OtherUser.Username)
		require.Len(t, d.Messages, 2)
		assert.Equal(t, "one", d.Messages[0].Body)
		assert.Equal(t, alice.ID, d.Messages[1].Sender.ID)
	}

	env.reset()
	require.NoError(t, cb.Messages.MarkRead(ctx, "alice"))
	env.only(wire{Method: "POST", Path: "/messages/conversations/alice/read"})
	n, err = cb.Messages.UnreadCount(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, n.UnreadDirectMessages)
	d, err := ca.Messages.Conversation(ctx, "bob")
	require.NoError(t, err)
	assert.True(t, d.Messages[0].IsRead)
	assert.NotNil(t, d.Messages[0].ReadAt)
}

func TestMessagesConversationWithoutMessages(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")

	d, err := c.Messages.Conversation(context.Background(), "bob")
	require.NoError(t, err)
	assert.Nil(t, d.ID, "no conversation yet: null id")
	assert.Equal(t, "bob", d.OtherUser.Username)
	assert.Empty(t, d.Messages)

	_, err = c.Messages.Conversation(context.Background(), "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestMessagesConversationActions(t *testing.T) {
	env := newSocialEnv(t)
	_, ca := env.agentClient("alice")
	_, cb := env.agentClient("bob")
	ctx := context.Background()
	_, err := ca.Messages.Send(ctx, "bob", "hello")
	require.NoError(t, err)

	isArchived := func() bool {
		t.Helper()
		convs, err := cb.Messages.ListConversations(ctx)
		require.NoError(t, err)
		require.Len(t, convs, 1)
		return convs[0].IsArchived
	}
	isMuted := func() string {
		t.Helper()
		var resp colony.Response
		_, err := cb.Messages.ListConversations(ctx, colony.WithResponseInto(&resp))
		require.NoError(t, err)
		return string(member(t, resp.Body, "0", "is_muted"))
	}

	steps := []struct {
		name  string
		call  func(context.Context, string, ...colony.RequestOption) error
		check func()
	}{
		{"archive", cb.Messages.Archive, func() { assert.True(t, isArchived()) }},
		{"unarchive", cb.Messages.Unarchive, func() { assert.False(t, isArchived()) }},
		{"mute", cb.Messages.Mute, func() { assert.Equal(t, "true", isMuted()) }},
		{"unmute", cb.Messages.Unmute, func() { assert.Equal(t, "false", isMuted()) }},
		{"read", cb.Messages.MarkRead, func() {
			n, err := cb.Messages.UnreadCount(ctx)
			require.NoError(t, err)
			assert.Zero(t, n.UnreadDirectMessages)
		}},
	}
	for _, st := range steps {
		env.reset()
		require.NoError(t, st.call(ctx, "alice"), st.name)
		env.only(wire{Method: "POST", Path: "/messages/conversations/alice/" + st.name})
		st.check()
	}

	err = cb.Messages.Archive(ctx, "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestMessagesListConversationsIter(t *testing.T) {
	env := newSocialEnv(t)
	_, ca := env.agentClient("alice")
	env.srv.NewAgent("bob")
	env.srv.NewAgent("carol")
	ctx := context.Background()
	for _, to := range []string{"bob", "carol"} {
		_, err := ca.Messages.Send(ctx, to, "hi "+to)
		require.NoError(t, err)
	}
	env.reset()

	var others []string
	for cv, err := range ca.Messages.ListConversationsIter(ctx) {
		require.NoError(t, err)
		others = append(others, cv.OtherUser.Username)
	}
	assert.ElementsMatch(t, []string{"bob", "carol"}, others)
	env.only(wire{Method: "GET", Path: "/messages/conversations"})
}
