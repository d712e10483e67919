package colony_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The samples below carry every property of the live schemas (openapi_schemas.json,
// 2026-09-16) plus one member no schema has, "future_field". Decoding must model every
// schema property (Extra holds only future_field) and encoding must never re-send it.

const sampleUser = `{"id":"cccccccc-0000-4000-8000-000000000003","username":"alice","display_name":"Alice",
	"user_type":"human","bio":null,"lightning_address":null,"nostr_pubkey":null,"npub":null,"evm_address":null,
	"capabilities":{"languages":["go"]},"social_links":null,"karma":42,
	"trust_level":{"name":"Member","min_karma":10,"icon":"leaf","rate_multiplier":1.5},"team_role":null,
	"current_model":null,"harness":null,"last_active":"recently","created_at":"2026-01-01T00:00:00Z",
	"avatar_url":"https://thecolony.cc/avatars/alice.svg"}`

const sampleMessage = `{"id":"aaaaaaaa-0000-4000-8000-000000000001","conversation_id":"bbbbbbbb-0000-4000-8000-000000000002",
	"sender":` + sampleUser + `,"body":"Hello — shipping the new build at 5pm.","is_read":true,
	"read_at":"2026-05-26T11:05:00.123456Z","edited_at":null,
	"reactions":[{"emoji":"thumbs_up","user_id":"dddddddd-0000-4000-8000-000000000004","username":"bob","created_at":"2026-05-26T11:06:00Z"}],
	"reply_to":{"id":"eeeeeeee-0000-4000-8000-000000000005","sender_id":"dddddddd-0000-4000-8000-000000000004",
		"sender_username":"bob","body_preview":"when?","deleted":false},
	"attachments":[{"id":"ffffffff-0000-4000-8000-000000000006","mime_type":"image/png","size_bytes":2048,
		"width":640,"height":null,"thumb_url":"https://a.example/t.png","full_url":"https://a.example/f.png"}],
	"created_at":"2026-05-26T11:00:00Z","future_field":{"x":1}}`

func decodeSample[T any](t *testing.T, raw string) *T {
	t.Helper()
	v := new(T)
	require.NoError(t, json.Unmarshal([]byte(raw), v))
	lastRaw = []byte(raw)
	return v
}

// assertOnlyFuture checks Extra holds exactly the unknown member and that encoding
// the decoded value does not send it.
func assertOnlyFuture(t *testing.T, extra map[string]json.RawMessage, v any) {
	t.Helper()
	require.Len(t, extra, 1, "every schema property is modelled: %v", extra)
	assert.JSONEq(t, `{"x":1}`, string(extra["future_field"]))
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(enc), "future_field")
}

func TestDecodeMessage(t *testing.T) {
	m := decodeSample[colony.Message](t, sampleMessage)
	assert.Equal(t, "aaaaaaaa-0000-4000-8000-000000000001", m.ID)
	assert.Equal(t, "bbbbbbbb-0000-4000-8000-000000000002", m.ConversationID)
	assert.Equal(t, "alice", m.Sender.Username)
	assert.Equal(t, colony.UserTypeHuman, m.Sender.UserType)
	assert.Equal(t, "Hello — shipping the new build at 5pm.", m.Body)
	assert.True(t, m.IsRead)
	require.NotNil(t, m.ReadAt)
	assert.Equal(t, time.Date(2026, 5, 26, 11, 5, 0, 123456000, time.UTC), m.ReadAt.UTC())
	assert.Nil(t, m.EditedAt)
	require.Len(t, m.Reactions, 1)
	assert.Equal(t, colony.MessageReaction{Emoji: "thumbs_up", UserID: "dddddddd-0000-4000-8000-000000000004",
		Username: "bob", CreatedAt: time.Date(2026, 5, 26, 11, 6, 0, 0, time.UTC)}, m.Reactions[0])
	require.NotNil(t, m.ReplyTo)
	assert.Equal(t, colony.MessageReply{ID: "eeeeeeee-0000-4000-8000-000000000005", SenderID: "dddddddd-0000-4000-8000-000000000004",
		SenderUsername: "bob", BodyPreview: "when?"}, *m.ReplyTo)
	require.Len(t, m.Attachments, 1)
	a := m.Attachments[0]
	assert.Equal(t, int64(2048), a.SizeBytes)
	require.NotNil(t, a.Width)
	assert.Equal(t, 640, *a.Width)
	assert.Nil(t, a.Height)
	assert.Equal(t, "https://a.example/f.png", a.FullURL)
	assert.Equal(t, time.Date(2026, 5, 26, 11, 0, 0, 0, time.UTC), m.CreatedAt)
	assert.Empty(t, extraOf(t, member(t, lastRaw, "sender"), &m.Sender), "UserOut is fully modelled")
	assertOnlyFuture(t, extraOf(t, lastRaw, m), m)
}

func TestDecodeMessageRequiredOnly(t *testing.T) {
	m := decodeSample[colony.Message](t, `{"id":"a","conversation_id":"b","sender":{"id":"c","username":"u",
		"display_name":"U","user_type":"agent","karma":1,"created_at":"2026-01-01T00:00:00Z","avatar_url":"x"},
		"body":"hi","is_read":false,"created_at":"2026-05-26T11:00:00Z"}`)
	assert.Nil(t, m.ReadAt)
	assert.Nil(t, m.ReplyTo)
	assert.Empty(t, m.Reactions)
	assert.Empty(t, extraOf(t, lastRaw, m))
}

func TestDecodeConversation(t *testing.T) {
	raw := `[{"id":"bbbbbbbb-0000-4000-8000-000000000002","is_archived":true,"last_message_at":"2026-05-26T11:00:00Z",
		"last_message_preview":"Hello — shipping the new build…","other_user":` + sampleUser + `,"unread_count":2,
		"future_field":{"x":1}},
		{"id":"b2","other_user":` + sampleUser + `,"last_message_at":"2026-05-27T11:00:00Z"}]`
	convs := *decodeSample[[]colony.Conversation](t, raw)
	require.Len(t, convs, 2)
	c := convs[0]
	assert.Equal(t, "bbbbbbbb-0000-4000-8000-000000000002", c.ID)
	assert.Equal(t, "alice", c.OtherUser.Username)
	assert.Equal(t, time.Date(2026, 5, 26, 11, 0, 0, 0, time.UTC), c.LastMessageAt)
	assert.Equal(t, 2, c.UnreadCount)
	require.NotNil(t, c.LastMessagePreview)
	assert.Equal(t, "Hello — shipping the new build…", *c.LastMessagePreview)
	assert.True(t, c.IsArchived)
	assertOnlyFuture(t, extraOf(t, member(t, lastRaw, "0"), &c), c)

	d := convs[1] // optional members absent: schema defaults
	assert.Zero(t, d.UnreadCount)
	assert.Nil(t, d.LastMessagePreview)
	assert.False(t, d.IsArchived)
	assert.Empty(t, extraOf(t, member(t, lastRaw, "1"), &d))
}

func TestDecodeConversationDetail(t *testing.T) {
	d := decodeSample[colony.ConversationDetail](t, `{"id":"bbbbbbbb-0000-4000-8000-000000000002",
		"other_user":`+sampleUser+`,"messages":[`+sampleMessage+`],"future_field":{"x":1}}`)
	require.NotNil(t, d.ID)
	assert.Equal(t, "bbbbbbbb-0000-4000-8000-000000000002", *d.ID)
	assert.Equal(t, "alice", d.OtherUser.Username)
	require.Len(t, d.Messages, 1)
	assert.Contains(t, extraOf(t, member(t, lastRaw, "messages", "0"), &d.Messages[0]), "future_field")
	assertOnlyFuture(t, extraOf(t, lastRaw, d), d)

	empty := decodeSample[colony.ConversationDetail](t, `{"id":null,"other_user":`+sampleUser+`,"messages":[]}`)
	assert.Nil(t, empty.ID)
	assert.Empty(t, empty.Messages)
}

func TestDecodeUnreadCount(t *testing.T) {
	both := decodeSample[colony.UnreadCount](t, `{"unread_direct_messages":3,"unread_count":3,"future_field":{"x":1}}`)
	assert.Equal(t, 3, both.UnreadDirectMessages)
	require.NotNil(t, both.LegacyUnreadCount)
	assert.Equal(t, 3, *both.LegacyUnreadCount)
	assertOnlyFuture(t, extraOf(t, lastRaw, both), both)

	newOnly := decodeSample[colony.UnreadCount](t, `{"unread_direct_messages":4,"unread_count":null}`)
	assert.Equal(t, 4, newOnly.UnreadDirectMessages)
	assert.Nil(t, newOnly.LegacyUnreadCount)

	legacy := decodeSample[colony.UnreadCount](t, `{"unread_count":5}`)
	assert.Equal(t, 5, legacy.UnreadDirectMessages, "an older server's alias fills the new field")

	differ := decodeSample[colony.UnreadCount](t, `{"unread_direct_messages":7,"unread_count":1}`)
	assert.Equal(t, 7, differ.UnreadDirectMessages, "the new name wins")

	zero := decodeSample[colony.UnreadCount](t, `{"unread_direct_messages":0,"unread_count":9}`)
	assert.Equal(t, 0, zero.UnreadDirectMessages, "a present zero is not replaced by the alias")
}

func TestDecodeNotification(t *testing.T) {
	// The first item is verbatim from a live notifications answer (2026-09-07); the
	// second has the newer conversation_id/message_id and an unknown member.
	raw := `[{"id":"452f1895-1ceb-4868-af0f-26a1cc0df2f9","notification_type":"tag_match",
		"message":"New post in a tag you follow: \"Executable fixture: three-state loop flags + versioned ex...\" by Centaur",
		"actor":{"id":"9c226776-f0c6-49c1-822e-4e4afdd7c620","username":"centaur","display_name":"Centaur","user_type":"agent"},
		"post_id":"04fb8dd8-685c-4712-b46a-6aa1f76340c0","comment_id":null,"is_read":false,
		"created_at":"2026-09-07T20:16:26.099410Z"},
		{"id":"n2","notification_type":"direct_message","message":"bob sent you a message",
		"actor":{"id":"u2","username":"bob","display_name":"Bob","user_type":"human"},"post_id":null,"comment_id":null,
		"conversation_id":"c2","message_id":"m2","is_read":true,"created_at":"2026-09-08T00:00:00Z","future_field":{"x":1}}]`
	ns := *decodeSample[[]colony.Notification](t, raw)
	require.Len(t, ns, 2)
	n := ns[0]
	assert.Equal(t, "452f1895-1ceb-4868-af0f-26a1cc0df2f9", n.ID)
	assert.Equal(t, colony.NotificationTagMatch, n.NotificationType)
	assert.Contains(t, n.Message, "by Centaur")
	assert.Equal(t, colony.NotificationActor{ID: "9c226776-f0c6-49c1-822e-4e4afdd7c620", Username: "centaur",
		DisplayName: "Centaur", UserType: colony.UserTypeAgent}, n.Actor)
	require.NotNil(t, n.PostID)
	assert.Equal(t, "04fb8dd8-685c-4712-b46a-6aa1f76340c0", *n.PostID)
	assert.Nil(t, n.CommentID)
	assert.Nil(t, n.ConversationID)
	assert.Nil(t, n.MessageID)
	assert.False(t, n.IsRead)
	assert.Equal(t, time.Date(2026, 9, 7, 20, 16, 26, 99410000, time.UTC), n.CreatedAt)
	assert.Empty(t, extraOf(t, member(t, lastRaw, "0"), &n))

	dm := ns[1]
	assert.Equal(t, colony.UserTypeHuman, dm.Actor.UserType)
	require.NotNil(t, dm.ConversationID)
	assert.Equal(t, "c2", *dm.ConversationID)
	require.NotNil(t, dm.MessageID)
	assert.Equal(t, "m2", *dm.MessageID)
	assert.True(t, dm.IsRead)
	assertOnlyFuture(t, extraOf(t, member(t, lastRaw, "1"), &dm), dm)
}

func TestDecodeColony(t *testing.T) {
	c := decodeSample[colony.Colony](t, `{"id":"2e549d01-99f2-459f-8924-48b2690b2170","name":"general",
		"display_name":"General","description":"Anything goes.","member_count":1200,"is_default":true,
		"rss_url":"https://thecolony.cc/c/general/rss","created_at":"2025-11-01T00:00:00Z","future_field":{"x":1}}`)
	assert.Equal(t, colony.BuiltinColonies()["general"], c.ID)
	assert.Equal(t, "general", c.Name)
	assert.Equal(t, "General", c.DisplayName)
	assert.Equal(t, "Anything goes.", c.Description)
	assert.Equal(t, 1200, c.MemberCount)
	assert.True(t, c.IsDefault)
	assert.Equal(t, "https://thecolony.cc/c/general/rss", c.RSSURL)
	assert.Equal(t, time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), c.CreatedAt)
	assertOnlyFuture(t, extraOf(t, lastRaw, c), c)
}

func TestDecodeWebhook(t *testing.T) {
	w := decodeSample[colony.Webhook](t, `{"id":"7f0c8d5e-1111-4222-8333-444455556666","url":"https://h.example/x",
		"events":["post_created","not_in_this_release"],"is_active":false,"failure_count":10,
		"last_triggered_at":"2026-09-01T10:00:00Z","created_at":"2026-08-01T10:00:00Z","future_field":{"x":1}}`)
	assert.Equal(t, "7f0c8d5e-1111-4222-8333-444455556666", w.ID)
	assert.Equal(t, "https://h.example/x", w.URL)
	assert.Equal(t, []colony.EventType{colony.EventPostCreated, "not_in_this_release"}, w.Events)
	assert.False(t, w.IsActive)
	assert.Equal(t, 10, w.FailureCount)
	require.NotNil(t, w.LastTriggeredAt)
	assert.Equal(t, time.Date(2026, 9, 1, 10, 0, 0, 0, time.UTC), *w.LastTriggeredAt)
	assert.Equal(t, time.Date(2026, 8, 1, 10, 0, 0, 0, time.UTC), w.CreatedAt)
	assertOnlyFuture(t, extraOf(t, lastRaw, w), w)

	never := decodeSample[colony.Webhook](t, `{"id":"x","url":"https://h.example","events":["mention"],
		"is_active":true,"failure_count":0,"last_triggered_at":null,"created_at":"2026-08-01T10:00:00Z"}`)
	assert.Nil(t, never.LastTriggeredAt)
	assert.Empty(t, extraOf(t, lastRaw, never))
}

func TestDecodeDirectoryPage(t *testing.T) {
	// PaginatedList[DirectoryUserOut]: UserOut plus post_count, in {items, total, has_more}.
	l := decodeSample[colony.ListResponse[colony.User]](t, `{"items":[`+sampleUser[:len(sampleUser)-1]+
		`,"post_count":7,"future_field":{"x":1}}],"total":31,"has_more":true}`)
	require.Len(t, l.Items, 1)
	u := l.Items[0]
	require.NotNil(t, u.PostCount)
	assert.Equal(t, 7, *u.PostCount)
	assert.Equal(t, 42, u.Karma)
	require.NotNil(t, u.TrustLevel)
	assert.Equal(t, "Member", u.TrustLevel.Name)
	assert.Equal(t, 31, l.Total)
	require.NotNil(t, l.HasMore)
	assert.True(t, *l.HasMore)
	assertOnlyFuture(t, extraOf(t, member(t, lastRaw, "items", "0"), &u), u)
}

func TestDecodeFollowResultAndReport(t *testing.T) {
	f := decodeSample[colony.FollowResult](t, `{"status":"following","future_field":{"x":1}}`)
	assert.Equal(t, "following", f.Status)
	assertOnlyFuture(t, extraOf(t, lastRaw, f), f)

	raw := `{"username":"alice","stats":{"karma":42},"future_field":{"x":1}}`
	r := decodeSample[colony.AgentReport](t, raw)
	assert.Equal(t, "alice", r.Username)
	assert.JSONEq(t, `{"karma":42}`, string(extraOf(t, lastRaw, r)["stats"]))
}

func TestEncodeParamsOmitUnset(t *testing.T) {
	b, err := json.Marshal(colony.WebhookUpdateParams{IsActive: colony.Ptr(false)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"is_active":false}`, string(b))
}
