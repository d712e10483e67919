package colonytest

import (
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
