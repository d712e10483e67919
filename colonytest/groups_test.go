package colonytest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// confStep is the element type of TestConformance's step table.
type confStep = struct {
	who          *api
	method, path string
	body         any
	status       int
	after        func(r *resp)
}

// groupConformanceSteps sets up a group (alice creator, bob accepted, dana invited later) and returns one step per
// group route, in an order where each succeeds.
func groupConformanceSteps(e *env) []confStep {
	dana := e.srv.NewAgent("dana")
	danaAPI := e.anon.as(dana.APIKey)
	g := e.alice.call("POST", "/messages/groups?title=Conf&members=bob", nil).must(200).obj()["id"].(string)
	e.bob.call("POST", "/messages/groups/"+g+"/invite/respond?accept=true", nil).must(200)
	m := e.alice.call("POST", "/messages/groups/"+g+"/send", map[string]any{"body": "first release note"}).must(200).obj()["id"].(string)
	base := "/messages/groups/" + g
	return []confStep{
		{e.alice, "POST", "/messages/groups?title=Other&members=bob", nil, 200, nil},
		{e.alice, "POST", "/messages/groups/from-template?template=project-team&members=bob", nil, 200, nil},
		{e.bob, "GET", "/messages/groups/templates", nil, 200, nil},
		{e.bob, "GET", base + "?limit=5", nil, 200, nil},
		{e.alice, "PATCH", base + "?title=Renamed&description=d", nil, 200, nil},
		{e.bob, "GET", base + "/members", nil, 200, nil},
		{e.alice, "POST", base + "/members?username=dana", nil, 200, nil},
		{danaAPI, "POST", base + "/invite/respond?accept=true", nil, 200, nil},
		{e.alice, "PUT", base + "/members/" + dana.ID + "/admin?is_admin=true", nil, 200, nil},
		{e.alice, "POST", base + "/messages/" + m + "/pin", nil, 200, nil},
		{e.alice, "DELETE", base + "/messages/" + m + "/pin", nil, 200, nil},
		{e.bob, "POST", base + "/mute?until=1h", nil, 200, nil},
		{e.bob, "POST", base + "/unmute", nil, 200, nil},
		{e.bob, "POST", base + "/snooze?duration=until_morning", nil, 200, nil},
		{e.bob, "POST", base + "/unsnooze", nil, 200, nil},
		{e.bob, "POST", base + "/read-all", nil, 200, nil},
		{e.bob, "PATCH", base + "/receipts?show=false", nil, 200, nil},
		{e.bob, "POST", base + "/send", map[string]any{"body": "the release is out", "reply_to_message_id": m}, 200, nil},
		{e.bob, "GET", base + "/search?q=release&limit=1", nil, 200, nil},
		{e.alice, "POST", base + "/transfer-creator?new_creator_username=bob", nil, 200, nil},
		{e.bob, "DELETE", base + "/members/" + dana.ID, nil, 200, nil},
	}
}

func TestGroupHighlight(t *testing.T) {
	terms := words("Release  GO")
	assert.Equal(t, "The [[hl]]release[[/hl]] of [[hl]]Go[[/hl]]: [[hl]]go[[/hl]]-[[hl]]go[[/hl]]!",
		highlight("The release of Go: go-go!", map[string]bool{"release": true, "go": true}))
	assert.True(t, matchesAll("go, then RELEASE", terms))
	assert.False(t, matchesAll("released go", terms), "whole words only, no stemming")
	assert.Equal(t, "héllo [[hl]]wörld[[/hl]]", highlight("héllo wörld", words("WÖRLD")))
}

func TestGroupSnoozeUntilMorning(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 5, 1, h, 30, 0, 0, time.UTC) }
	got, ok := snoozeUntil("until_morning", at(7))
	require.True(t, ok)
	assert.Equal(t, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), got)
	got, _ = snoozeUntil("until_morning", at(9))
	assert.Equal(t, time.Date(2026, 5, 2, 8, 0, 0, 0, time.UTC), got)
	got, _ = snoozeUntil("3h", at(9))
	assert.Equal(t, at(12), got)
	_, ok = snoozeUntil("forever", at(9))
	assert.False(t, ok)
}

// TestGroupServerValidation covers what the SDK refuses before sending: the server's own 422/400 answers.
func TestGroupServerValidation(t *testing.T) {
	e := newEnv(t)
	g := e.alice.call("POST", "/messages/groups?title=V&members=bob", nil).must(200).obj()["id"].(string)
	e.bob.call("POST", "/messages/groups/"+g+"/invite/respond?accept=true", nil).must(200)
	base := "/messages/groups/" + g
	long := strings.Repeat("x", 101)
	cases := []struct {
		method, path string
		body         any
		status       int
		errType      string // first 422 entry type, when status is 422
	}{
		{"POST", "/messages/groups?members=bob", nil, 422, "missing"},
		{"POST", "/messages/groups?title=x", nil, 422, "missing"},
		{"POST", "/messages/groups?title=" + long + "&members=bob", nil, 422, "string_too_long"},
		{"POST", "/messages/groups/from-template?members=bob", nil, 422, "missing"},
		{"GET", "/messages/groups/not-a-uuid", nil, 422, "uuid_parsing"},
		{"GET", base + "?limit=201", nil, 422, "less_than_equal"},
		{"PATCH", base, nil, 400, ""},
		{"PATCH", base + "?description=" + strings.Repeat("d", 501), nil, 422, "string_too_long"},
		{"POST", base + "/send", nil, 422, "missing"},
		{"POST", base + "/send", map[string]any{"body": "  "}, 400, ""},
		{"POST", base + "/send", map[string]any{"body": "x", "reply_to_message_id": "nope"}, 422, "uuid_parsing"},
		{"POST", base + "/mute?until=2h", nil, 422, "enum"},
		{"POST", base + "/snooze", nil, 422, "missing"},
		{"POST", base + "/snooze?duration=forever", nil, 400, ""},
		{"GET", base + "/search?q=a", nil, 400, ""},
		{"GET", base + "/search?q=" + strings.Repeat("q", 201), nil, 422, "string_too_long"},
		{"GET", base + "/search?q=ok&limit=0", nil, 422, "greater_than_equal"},
		{"PUT", base + "/members/" + e.bobA.ID + "/admin", nil, 422, "missing"},
		{"PUT", base + "/members/" + e.bobA.ID + "/admin?is_admin=maybe", nil, 422, "bool_parsing"},
		{"POST", base + "/invite/respond", nil, 422, "missing"},
		{"PATCH", base + "/receipts?show=perhaps", nil, 422, "bool_parsing"},
		{"DELETE", base + "/members/nope", nil, 422, "uuid_parsing"},
	}
	for _, tc := range cases {
		r := e.alice.call(tc.method, tc.path, tc.body)
		if !assert.Equal(t, tc.status, r.status, "%s %s: %s", tc.method, tc.path, r.raw) || tc.errType == "" {
			continue
		}
		var body struct {
			Detail []verr `json:"detail"`
		}
		require.NoError(t, json.Unmarshal(r.raw, &body), "%s", r.raw)
		if assert.NotEmpty(t, body.Detail, "%s %s", tc.method, tc.path) {
			assert.Equal(t, tc.errType, body.Detail[0].Type, "%s %s", tc.method, tc.path)
		}
	}
}

// TestGroupEvents checks the webhook events and notifications of group actions.
func TestGroupEvents(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	carol := e.srv.NewAgent("carol")
	carolAPI := e.anon.as(carol.APIKey)
	events := []string{"group_message", "group_mention", "group_member_added", "group_invite_accepted", "group_member_removed"}
	e.hook(e.alice, rc.URL, events...)
	e.hook(e.bob, rc.URL, events...)
	g := e.alice.call("POST", "/messages/groups?title=Ev&members=bob", nil).must(200).obj()["id"].(string)
	base := "/messages/groups/" + g
	e.bob.call("POST", base+"/invite/respond?accept=true", nil).must(200)
	e.alice.call("POST", base+"/members?username=carol", nil).must(200)
	carolAPI.call("POST", base+"/invite/respond?accept=true", nil).must(200)
	e.bob.call("POST", base+"/mute", nil).must(200)
	before := e.srv.UnreadNotifications("bob")
	e.alice.call("POST", base+"/send", map[string]any{"body": "plain"}).must(200)
	assert.Equal(t, before, e.srv.UnreadNotifications("bob"), "muted: no notification")
	e.alice.call("POST", base+"/send", map[string]any{"body": "hey @everyone"}).must(200)
	assert.Equal(t, before+1, e.srv.UnreadNotifications("bob"), "@everyone reaches a muted member")
	e.alice.call("DELETE", base+"/members/"+carol.ID, nil).must(200)
	waitDeliveries(t, e.srv)

	body := func(d received) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(d.body, &m))
		return m
	}
	msgs := rc.byEvent("group_message")
	require.Len(t, msgs, 2, "to bob for each send (carol has no webhook, alice is the sender)")
	assert.Equal(t, g, body(msgs[0])["conversation_id"])
	assert.Equal(t, "alice", body(msgs[0])["sender"])
	require.Len(t, rc.byEvent("group_mention"), 1)
	added := rc.byEvent("group_member_added")
	require.Len(t, added, 1, "to bob, the other accepted member")
	assert.Equal(t, "carol", body(added[0])["username"])
	assert.Len(t, rc.byEvent("group_invite_accepted"), 3, "bob's accept to alice; carol's to alice and bob")
	removed := rc.byEvent("group_member_removed")
	assert.Len(t, removed, 2, "to the remaining members alice and bob")
}
