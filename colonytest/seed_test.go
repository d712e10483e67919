package colonytest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedCommentWith(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)))
	pid := e.srv.SeedPost("alice", SeedPost{Title: "t"})
	top := e.srv.SeedComment("bob", pid, "first", "")
	at := time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)
	reply := e.srv.SeedCommentWith("alice", SeedComment{PostID: pid, Body: "second", ParentID: top, CreatedAt: at})

	got, ok := e.srv.Comment(reply)
	require.True(t, ok)
	assert.Equal(t, top, got.ParentID)
	assert.Equal(t, "second", got.Body)
	assert.Equal(t, "alice", got.AuthorUsername)
	assert.True(t, at.Equal(got.CreatedAt), got.CreatedAt)
	plain, _ := e.srv.Comment(e.srv.SeedCommentWith("bob", SeedComment{PostID: pid}))
	assert.Equal(t, "Seeded comment", plain.Body)
	post, _ := e.srv.Post(pid)
	assert.Equal(t, 3, post.CommentCount)

	assert.PanicsWithValue(t, `colonytest: unknown post "nope"`, func() { e.srv.SeedCommentWith("bob", SeedComment{PostID: "nope"}) })
	assert.Panics(t, func() { e.srv.SeedCommentWith("bob", SeedComment{PostID: pid, ParentID: "nope"}) })
	assert.Panics(t, func() { e.srv.SeedCommentWith("nobody", SeedComment{PostID: pid}) })
}

func TestSeedNotificationAndMention(t *testing.T) {
	e := newEnv(t)
	pid := e.srv.SeedPost("bob", SeedPost{Title: "Who maps colonies?"})
	reply := e.srv.SeedNotification("alice", SeedNotification{Kind: NotificationReply, Actor: "bob", PostID: pid})
	e.srv.SeedNotification("alice", SeedNotification{Kind: "tip_received", Actor: "bob", Message: "a tip", Read: true})
	mention := e.srv.SeedMention("alice", SeedNotification{Kind: NotificationComment, Actor: "bob", PostID: pid})
	assert.Equal(t, 2, e.srv.UnreadNotifications("alice"))
	assert.Equal(t, 0, e.srv.UnreadNotifications("bob"))

	list := e.alice.call("GET", "/notifications", nil).must(200).list()
	require.Len(t, list, 3)
	newest := list[0].(map[string]any)
	assert.Equal(t, mention, newest["id"])
	assert.Equal(t, "mention", newest["notification_type"], "SeedMention forces the kind")
	assert.Equal(t, pid, newest["post_id"])
	assert.Equal(t, "bob", newest["actor"].(map[string]any)["username"])
	assert.Equal(t, "bob mention", newest["message"])
	tip := list[1].(map[string]any)
	assert.Equal(t, "tip_received", tip["notification_type"])
	assert.Equal(t, true, tip["is_read"])
	assert.Equal(t, "a tip", tip["message"])
	assert.Equal(t, reply, list[2].(map[string]any)["id"])
	assert.Equal(t, "reply", list[2].(map[string]any)["notification_type"])

	unread := e.alice.call("GET", "/notifications?unread_only=true", nil).must(200).list()
	assert.Len(t, unread, 2)
	assert.Panics(t, func() { e.srv.SeedNotification("nobody", SeedNotification{Actor: "bob"}) })
	assert.PanicsWithValue(t, "colonytest: a seeded notification needs an Actor", func() { e.srv.SeedNotification("alice", SeedNotification{}) })
	assert.Panics(t, func() { e.srv.SeedMention("alice", SeedNotification{Actor: "nobody"}) })
}

func TestSeedMentionDeliversWebhook(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	e.alice.call("POST", "/webhooks", map[string]any{"url": rc.URL, "events": []string{"mention"},
		"secret": "0123456789abcdef"}).must(201)
	pid := e.srv.SeedPost("bob", SeedPost{Title: "Who maps colonies?"})
	e.srv.SeedMention("alice", SeedNotification{Actor: "bob", PostID: pid})
	e.srv.SeedNotification("alice", SeedNotification{Actor: "bob", PostID: pid}) // no webhook
	require.NoError(t, e.srv.WaitDeliveries(context.Background()))
	ds := e.srv.Deliveries()
	require.Len(t, ds, 1)
	assert.Equal(t, "mention", ds[0].Event)
	assert.Contains(t, string(ds[0].Body), `"post_title":"Who maps colonies?"`)
	assert.Contains(t, string(ds[0].Body), `"mentioned":"alice"`)
}

func TestSeedMessage(t *testing.T) {
	e := newEnv(t)
	e.srv.SetKarma("bob", 0) // seeding skips the karma check that the API applies
	id := e.srv.SeedMessage("bob", "alice", "hello alice")
	assert.NotEmpty(t, id)
	assert.Equal(t, 1, e.srv.MessageCount())
	assert.Equal(t, 1, e.srv.UnreadNotifications("alice"))
	conv := e.alice.call("GET", "/messages/conversations/bob", nil).must(200).obj()
	msgs := conv["messages"].([]any)
	require.Len(t, msgs, 1)
	assert.Equal(t, "hello alice", msgs[0].(map[string]any)["body"])
	assert.Equal(t, id, msgs[0].(map[string]any)["id"])
	assert.Panics(t, func() { e.srv.SeedMessage("alice", "alice", "me") })
	assert.Panics(t, func() { e.srv.SeedMessage("alice", "nobody", "x") })
}
