package colony_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every name of the contract's catalogue is a Known constant, and nothing else is.
func TestEventTypesMatchContractCatalogue(t *testing.T) {
	raw, err := os.ReadFile("testdata/webhook_events.json") // a copy of shared/contract's snapshot
	require.NoError(t, err)
	var cat struct {
		Events []struct{ Name string } `json:"events"`
	}
	require.NoError(t, json.Unmarshal(raw, &cat))
	require.Len(t, cat.Events, 58)
	var names []colony.EventType
	for _, e := range cat.Events {
		names = append(names, colony.EventType(e.Name))
		assert.True(t, colony.EventType(e.Name).Known(), e.Name)
	}
	assert.Equal(t, names, colony.AllEventTypes())
}

func parseEvent(t *testing.T, body string) *colony.WebhookEvent {
	t.Helper()
	ev, err := colony.ParseWebhookEvent([]byte(body), nil)
	require.NoError(t, err)
	return ev
}

func TestTypedEventsOfNewerResources(t *testing.T) {
	ev, err := parseEvent(t, `{"event":"agent_claim_requested","claim_id":"c1","human_id":"h1","human_username":"hugh"}`).AsAgentClaimRequested()
	require.NoError(t, err)
	assert.Equal(t, "c1", ev.ClaimID)
	assert.Equal(t, "h1", ev.HumanID)
	assert.Equal(t, "hugh", ev.HumanUsername)

	for _, name := range []string{"group_message", "group_mention"} {
		gm, err := parseEvent(t, `{"event":"`+name+`","conversation_id":"g1","message_id":"m1","sender":"bob","title":"Team","extra":1}`).AsGroupMessage()
		require.NoError(t, err, name)
		assert.Equal(t, colony.EventType(name), gm.Type)
		assert.Equal(t, "g1", gm.ConversationID)
		assert.Equal(t, "m1", gm.MessageID)
		assert.Equal(t, "bob", gm.Sender)
		assert.Equal(t, "Team", gm.Title)
		assert.JSONEq(t, "1", string(gm.Fields["extra"]), "unmodelled fields stay reachable")
	}
	for _, name := range []string{"group_message_edited", "group_message_deleted"} {
		gc, err := parseEvent(t, `{"event":"`+name+`","conversation_id":"g1","message_id":"m1","actor":"bob"}`).AsGroupMessageChange()
		require.NoError(t, err, name)
		assert.Equal(t, "m1", gc.MessageID)
		assert.Equal(t, "bob", gc.Actor)
	}
	for _, name := range []string{"group_member_added", "group_member_removed", "group_member_left", "group_invite_accepted"} {
		gm, err := parseEvent(t, `{"event":"`+name+`","conversation_id":"g1","username":"carol","actor":"bob"}`).AsGroupMember()
		require.NoError(t, err, name)
		assert.Equal(t, "carol", gm.Username)
		assert.Equal(t, "bob", gm.Actor)
	}
	for _, name := range []string{"org_invited", "org_removed", "org_role_changed"} {
		om, err := parseEvent(t, `{"event":"`+name+`","org_id":"o1","org_slug":"acme","role":"admin","actor":"bob"}`).AsOrgMembership()
		require.NoError(t, err, name)
		assert.Equal(t, "acme", om.OrgSlug)
		assert.Equal(t, "admin", om.Role)
	}
	nf, err := parseEvent(t, `{"event":"new_follower","follower":"bob"}`).AsNewFollower()
	require.NoError(t, err)
	assert.Equal(t, "bob", nf.Follower)
	uf, err := parseEvent(t, `{"event":"user_followed","follower":"bob","followed":"alice"}`).AsUserFollowed()
	require.NoError(t, err)
	assert.Equal(t, "alice", uf.Followed)

	cb, err := parseEvent(t, `{"event":"colony_banned","colony_id":"x","colony":"general","reason":"spam","expires_at":"2026-09-08T00:00:00Z"}`).AsColonyBan()
	require.NoError(t, err)
	assert.Equal(t, "general", cb.Colony)
	require.NotNil(t, cb.ExpiresAt)
	assert.Equal(t, time.Date(2026, 9, 8, 0, 0, 0, 0, time.UTC), *cb.ExpiresAt)
	cu, err := parseEvent(t, `{"event":"colony_unbanned","colony":"general","expires_at":null}`).AsColonyBan()
	require.NoError(t, err)
	assert.Nil(t, cu.ExpiresAt)

	// Lenient: a field of an unexpected type stays zero instead of failing the delivery.
	gm, err := parseEvent(t, `{"event":"group_message","conversation_id":42,"sender":"bob"}`).AsGroupMessage()
	require.NoError(t, err)
	assert.Empty(t, gm.ConversationID)
	assert.Equal(t, "bob", gm.Sender)

	// Wrong names are refused.
	_, err = parseEvent(t, `{"event":"group_message"}`).AsGroupMember()
	assert.Error(t, err)
	_, err = parseEvent(t, `{"event":"mention"}`).AsAgentClaimRequested()
	assert.Error(t, err)
	_, err = parseEvent(t, `{"event":"org_invitedx"}`).AsOrgMembership()
	assert.Error(t, err)
}

// A claim seeded in colonytest reaches a WebhookHandler as a typed event, and the agent answers it.
func TestWebhookAgentClaimRequestedEndToEnd(t *testing.T) {
	e := newWebhookE2E(t, []colony.EventType{colony.EventAgentClaimRequested})
	e.srv.NewAgent("hugh", colonytest.WithUserType("human"))
	var (
		mu  sync.Mutex
		got []*colony.AgentClaimRequestedEvent
	)
	e.handler.OnAgentClaimRequested(func(_ context.Context, ev *colony.AgentClaimRequestedEvent) error {
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
		return nil
	})
	id := e.srv.SeedClaim("hugh", "alice")
	e.srv.SeedClaim("alice", "bob") // another agent's claim: not delivered to alice's hook
	e.wait(t)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	assert.Equal(t, id, got[0].ClaimID)
	assert.Equal(t, "hugh", got[0].HumanUsername)
	assert.NotEmpty(t, got[0].HumanID)
	msg, err := e.alice.Claims.Confirm(context.Background(), got[0].ClaimID)
	require.NoError(t, err)
	assert.Equal(t, "Claim confirmed", msg)
}

// The multi-name On methods register every name, and nil removes them all.
func TestWebhookHandlerMultiNameRegistration(t *testing.T) {
	r := newReceiver(t)
	var seen []colony.EventType
	r.h.OnGroupMember(func(_ context.Context, ev *colony.GroupMemberEvent) error {
		seen = append(seen, ev.Type)
		assert.Equal(t, "carol", ev.Username)
		return nil
	})
	names := []string{"group_member_added", "group_member_removed", "group_member_left", "group_invite_accepted"}
	for i, name := range append(names, "group_message") {
		status, text := r.send(delivery{Body: `{"event":"` + name + `","conversation_id":"g1","username":"carol"}`,
			EventID: "ev-" + strconv.Itoa(i)})
		assert.Equal(t, 200, status, name)
		if name == "group_message" {
			assert.Equal(t, "ignored", text, "no handler for other names")
		}
	}
	assert.Equal(t, []colony.EventType{colony.EventGroupMemberAdded, colony.EventGroupMemberRemoved,
		colony.EventGroupMemberLeft, colony.EventGroupInviteAccepted}, seen)

	r.h.OnGroupMember(nil)
	for i, name := range names {
		_, text := r.send(delivery{Body: `{"event":"` + name + `"}`, EventID: "again-" + strconv.Itoa(i)})
		assert.Equal(t, "ignored", text, name)
	}
	assert.Len(t, seen, 4)
}
