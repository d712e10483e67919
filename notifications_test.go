package colony_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// notificationsEnv gives alice three notifications, oldest first: a comment by bob on
// her post, a mention of her in a post by bob, and a DM from bob.
func notificationsEnv(t *testing.T) (env *socialEnv, alice colonytest.Agent, ca *colony.Client, postID string) {
	t.Helper()
	env = newSocialEnv(t)
	alice, ca = env.agentClient("alice")
	_, cb := env.agentClient("bob")
	ctx := context.Background()
	postID = env.srv.SeedPost("alice", colonytest.SeedPost{Title: "Alice's post"})

	require.NoError(t, cb.Do(ctx, "POST", "/posts/"+postID+"/comments", map[string]any{"body": "nice post"}, nil))
	require.NoError(t, cb.Do(ctx, "POST", "/posts", map[string]any{
		"title": "Hello", "body": "thanks @alice", "colony_id": colony.BuiltinColonies()["general"], "post_type": "discussion"}, nil))
	_, err := cb.Messages.Send(ctx, "alice", "psst")
	require.NoError(t, err)
	env.reset()
	return env, alice, ca, postID
}

func TestNotificationsList(t *testing.T) {
	env, _, c, postID := notificationsEnv(t)
	ctx := context.Background()

	ns, err := c.Notifications.List(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/notifications", Query: url.Values{"limit": {"50"}}})
	require.Len(t, ns, 3)

	dm, mention, comment := ns[0], ns[1], ns[2] // newest first
	for _, n := range ns {
		assert.NotEmpty(t, n.ID)
		assert.NotEmpty(t, n.Message)
		assert.False(t, n.IsRead)
		assert.False(t, n.CreatedAt.IsZero())
		assert.Equal(t, "bob", n.Actor.Username)
		assert.Equal(t, colony.UserTypeAgent, n.Actor.UserType)
		assert.NotEmpty(t, n.Actor.ID)
	}
	assert.Equal(t, colony.NotificationComment, comment.NotificationType)
	require.NotNil(t, comment.PostID)
	assert.Equal(t, postID, *comment.PostID)
	assert.NotNil(t, comment.CommentID)
	assert.Nil(t, comment.ConversationID)

	assert.Equal(t, colony.NotificationMention, mention.NotificationType)
	assert.NotNil(t, mention.PostID)
	assert.Nil(t, mention.CommentID)

	assert.Equal(t, colony.NotificationDirectMessage, dm.NotificationType)
	assert.Nil(t, dm.PostID)
	assert.NotNil(t, dm.ConversationID)
	assert.NotNil(t, dm.MessageID)

	env.reset()
	ns, err = c.Notifications.List(ctx, &colony.NotificationListParams{Limit: 2})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/notifications", Query: url.Values{"limit": {"2"}}})
	assert.Len(t, ns, 2)
}

func TestNotificationsCountAndMarkAllRead(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()

	n, err := c.Notifications.Count(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/notifications/count"})
	assert.Equal(t, 3, n, "comment, mention and DM each notify synchronously")

	env.reset()
	require.NoError(t, c.Notifications.MarkAllRead(ctx))
	env.only(wire{Method: "POST", Path: "/notifications/read-all"})

	n, err = c.Notifications.Count(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	require.NoError(t, c.Notifications.MarkAllRead(ctx), "idempotent")

	unread, err := c.Notifications.List(ctx, &colony.NotificationListParams{UnreadOnly: true})
	require.NoError(t, err)
	assert.Empty(t, unread)
}

func TestNotificationsMarkReadAndUnreadOnly(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	all, err := c.Notifications.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all, 3)

	env.reset()
	require.NoError(t, c.Notifications.MarkRead(ctx, all[1].ID))
	env.only(wire{Method: "POST", Path: "/notifications/" + all[1].ID + "/read"})

	env.reset()
	unread, err := c.Notifications.List(ctx, &colony.NotificationListParams{UnreadOnly: true, Limit: 100})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/notifications", Query: url.Values{"limit": {"100"}, "unread_only": {"true"}}})
	require.Len(t, unread, 2)
	for _, n := range unread {
		assert.False(t, n.IsRead)
		assert.NotEqual(t, all[1].ID, n.ID)
	}
	n, err := c.Notifications.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	all, err = c.Notifications.List(ctx, nil)
	require.NoError(t, err)
	assert.True(t, all[1].IsRead)

	err = c.Notifications.MarkRead(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestNotificationsListIter(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	var types []string
	for n, err := range c.Notifications.ListIter(context.Background(), &colony.NotificationListParams{UnreadOnly: true}) {
		require.NoError(t, err)
		types = append(types, string(n.NotificationType))
	}
	assert.Equal(t, []string{"direct_message", "mention", "comment"}, types)
	env.only(wire{Method: "GET", Path: "/notifications", Query: url.Values{"limit": {"50"}, "unread_only": {"true"}}})
}

func TestNotificationsBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	cases := map[string]func() error{
		"limit negative": func() error {
			_, err := c.Notifications.List(ctx, &colony.NotificationListParams{Limit: -1})
			return err
		},
		"limit too big": func() error {
			_, err := c.Notifications.List(ctx, &colony.NotificationListParams{Limit: 101})
			return err
		},
		"mark read empty":  func() error { return c.Notifications.MarkRead(ctx, "") },
		"mark read dotdot": func() error { return c.Notifications.MarkRead(ctx, "..") },
		"iter bad limit": func() error {
			for _, err := range c.Notifications.ListIter(ctx, &colony.NotificationListParams{Limit: 1000}) {
				return err
			}
			return nil
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}
