package colony_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// notificationIDs lists the caller's notification ids, newest first.
func notificationIDs(t *testing.T, c *colony.Client, unreadOnly bool) []string {
	t.Helper()
	ns, err := c.Notifications.List(context.Background(), &colony.NotificationListParams{UnreadOnly: unreadOnly})
	require.NoError(t, err)
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return ids
}

func idsJSON(ids []string) string {
	b, _ := json.Marshal(map[string]any{"ids": ids})
	return string(b)
}

// fakeUUID returns a well-formed UUID that names no notification.
func fakeUUID(i int) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }

func TestNotificationsMarkReadBatch(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	ids := notificationIDs(t, c, false)
	require.Len(t, ids, 3)
	env.reset()

	batch := []string{ids[0], ids[2], fakeUUID(1)}
	res, err := c.Notifications.MarkReadBatch(ctx, batch)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/notifications/read", Body: idsJSON(batch)})
	assert.Equal(t, 1, res.Count())
	require.NotNil(t, res.UnreadCount)
	assert.Equal(t, 1, *res.UnreadCount)
	assert.Equal(t, []string{ids[1]}, notificationIDs(t, c, true))

	res, err = c.Notifications.MarkReadBatch(ctx, batch)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Count(), "idempotent")
}

func TestNotificationsBatchChunks(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	seeded := notificationIDs(t, c, false)
	ids := append([]string{}, seeded...)
	for i := len(ids); i < 150; i++ {
		ids = append(ids, fakeUUID(i))
	}
	env.reset()
	res, err := c.Notifications.MarkReadBatch(ctx, ids)
	require.NoError(t, err)
	calls := env.calls()
	require.Len(t, calls, 2)
	env.match(calls[0], wire{Method: "POST", Path: "/notifications/read", Body: idsJSON(ids[:100])})
	env.match(calls[1], wire{Method: "POST", Path: "/notifications/read", Body: idsJSON(ids[100:])})
	assert.Zero(t, res.Count())

	env.reset()
	_, err = c.Notifications.DeleteMany(ctx, ids)
	require.NoError(t, err)
	calls = env.calls()
	require.Len(t, calls, 2)
	env.match(calls[0], wire{Method: "POST", Path: "/notifications/delete", Body: idsJSON(ids[:100])})
	env.match(calls[1], wire{Method: "POST", Path: "/notifications/delete", Body: idsJSON(ids[100:])})
	assert.Empty(t, notificationIDs(t, c, false))
}

func TestNotificationsDeleteMany(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	ids := notificationIDs(t, c, false)
	// bob's own notification cannot be deleted by alice.
	bobClient := env.client(colonytest.Agent{APIKey: env.srv.APIKey("bob")})
	_, err := c.Messages.Send(ctx, "bob", "hi bob")
	require.NoError(t, err)
	bobIDs := notificationIDs(t, bobClient, false)
	require.Len(t, bobIDs, 1)
	env.reset()

	batch := []string{ids[0], bobIDs[0]}
	res, err := c.Notifications.DeleteMany(ctx, batch)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/notifications/delete", Body: idsJSON(batch)})
	assert.Equal(t, 2, res.Count())
	require.NotNil(t, res.UnreadNotifications)
	assert.Equal(t, 2, *res.UnreadNotifications)
	assert.Equal(t, ids[1:], notificationIDs(t, c, false))
	assert.Equal(t, bobIDs, notificationIDs(t, bobClient, false), "foreign ids are ignored")
	n, err := c.Notifications.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

func TestNotificationsDeleteRead(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	ids := notificationIDs(t, c, false)
	require.NoError(t, c.Notifications.MarkRead(ctx, ids[1]))
	env.reset()

	n, err := c.Notifications.DeleteRead(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/notifications/delete-read"})
	assert.Equal(t, 1, n)
	assert.Equal(t, []string{ids[0], ids[2]}, notificationIDs(t, c, false))

	n, err = c.Notifications.DeleteRead(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestNotificationsDelete(t *testing.T) {
	env, _, c, _ := notificationsEnv(t)
	ctx := context.Background()
	ids := notificationIDs(t, c, false)
	env.reset()

	require.NoError(t, c.Notifications.Delete(ctx, ids[0]))
	env.only(wire{Method: "DELETE", Path: "/notifications/" + ids[0]})
	assert.Equal(t, ids[1:], notificationIDs(t, c, false))
	n, err := c.Notifications.Count(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "an unread notification deleted leaves the count")
	assert.NoError(t, c.Notifications.Delete(ctx, ids[0]), "uniform 204 for a gone id")
	assert.NoError(t, c.Notifications.Delete(ctx, fakeUUID(7)), "uniform 204 for an unknown id")
}

func TestNotificationsBatchRateLimit(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithRateLimit(colonytest.RateLimitNotificationBatchRead, 1, time.Hour))
	_, c := env.agentClient("alice")
	_, err := c.Notifications.MarkReadBatch(context.Background(), []string{fakeUUID(1)})
	require.NoError(t, err)
	_, err = c.Notifications.MarkReadBatch(context.Background(), []string{fakeUUID(1)})
	requireRateLimited(t, err)
}

func TestNotificationsSystem(t *testing.T) {
	env := newSocialEnv(t, vaultClock)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	ns, err := c.Notifications.System(ctx)
	require.NoError(t, err)
	assert.Empty(t, ns)
	reqs := env.srv.Requests()
	require.Len(t, reqs, 1, "no token is fetched for a public endpoint")
	assert.Equal(t, "/api/v1/system/notifications", reqs[0].RawPath)
	assert.Empty(t, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Empty(t, reqs[0].Body)

	first := env.srv.SeedSystemNotification("maintenance", "Downtime", "Sunday 02:00 UTC")
	env.srv.Advance(time.Hour)
	second := env.srv.SeedSystemNotification("feature", "Vault search", "Search your vault.")
	ns, err = c.Notifications.System(ctx)
	require.NoError(t, err)
	require.Len(t, ns, 2)
	assert.Equal(t, colony.SystemNotification{ID: second, Level: colony.SystemNotificationFeature, Title: "Vault search",
		Body: "Search your vault.", PublishedAt: time.Date(2026, 9, 1, 13, 0, 0, 0, time.UTC)}, ns[0])
	assert.Equal(t, first, ns[1].ID)
	assert.Equal(t, colony.SystemNotificationMaintenance, ns[1].Level)

	env.reset()
	seq := c.Notifications.SystemIter(ctx)
	assert.Empty(t, env.srv.Requests(), "lazy until ranged")
	got, err := rangeIDs(seq, func(n *colony.SystemNotification) string { return n.ID }, 1)
	require.NoError(t, err)
	assert.Equal(t, []string{second}, got)
	assert.Len(t, env.srv.Requests(), 1)
}

func TestNotificationsMoreBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	for _, ids := range [][]string{nil, {}, {"not-a-uuid"}, {fakeUUID(1), ""}, {strings.ToUpper(fakeUUID(1)) + "0"}} {
		_, err := c.Notifications.MarkReadBatch(ctx, ids)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "%q", ids)
		_, err = c.Notifications.DeleteMany(ctx, ids)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "%q", ids)
	}
	// One bad id anywhere refuses the whole call before the first chunk is sent.
	long := make([]string, 120)
	for i := range long {
		long[i] = fakeUUID(i)
	}
	long[110] = "x"
	_, err := c.Notifications.MarkReadBatch(ctx, long)
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.ErrorIs(t, c.Notifications.Delete(ctx, ""), colony.ErrInvalidArgument)
	env.none()
}

func TestNotificationKinds(t *testing.T) {
	var n colony.Notification
	require.NoError(t, json.Unmarshal([]byte(`{"id":"1","notification_type":"brand_new_kind","actor":{}}`), &n))
	assert.Equal(t, colony.NotificationKind("brand_new_kind"), n.NotificationType, "unknown kinds decode as is")
	assert.False(t, n.NotificationType.Known())
	for _, k := range []colony.NotificationKind{colony.NotificationTagMatch, colony.NotificationMention,
		colony.NotificationComment, colony.NotificationCommentOnPost, colony.NotificationReply,
		colony.NotificationDirectMessage, colony.NotificationClaimRejected, colony.NotificationColonyModInvited} {
		assert.True(t, k.Known(), k)
	}
}

// A failing later chunk leaves the earlier ones applied and returns the error.
func TestNotificationsBatchLaterChunkFails(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithRateLimit(colonytest.RateLimitNotificationBatchRead, 1, time.Hour))
	alice, c := env.agentClient("alice")
	_, cb := env.agentClient("bob")
	_, err := cb.Messages.Send(context.Background(), "alice", "hi")
	require.NoError(t, err)
	ids := notificationIDs(t, c, false)
	require.Len(t, ids, 1)
	for i := len(ids); i < 101; i++ {
		ids = append(ids, fakeUUID(i))
	}
	env.reset()
	_, err = c.Notifications.MarkReadBatch(context.Background(), ids)
	requireRateLimited(t, err)
	assert.Equal(t, "/api/v1/notifications/read", env.calls()[len(env.calls())-1].RawPath)
	assert.Zero(t, env.srv.UnreadNotifications(alice.Username), "the first chunk was applied")
}
