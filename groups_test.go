package colony_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// groupEnv is a socialEnv with three agents: alice creates groups, bob and carol are invited.
type groupEnv struct {
	*socialEnv
	alice, bob, carol colonytest.Agent
	ca, cb, cc        *colony.Client
	ctx               context.Context
}

var groupClock = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func newGroupEnv(t *testing.T, opts ...colonytest.Option) *groupEnv {
	t.Helper()
	e := &groupEnv{socialEnv: newSocialEnv(t, append([]colonytest.Option{colonytest.WithClock(groupClock)}, opts...)...),
		ctx: context.Background()}
	e.alice, e.ca = e.agentClient("alice")
	e.bob, e.cb = e.agentClient("bob")
	e.carol, e.cc = e.agentClient("carol")
	return e
}

// group creates a group of alice with the given invitees, who all accept; it returns its id and forgets the requests.
func (e *groupEnv) group(title string, members ...*colony.Client) string {
	e.t.Helper()
	names := make([]string, 0, len(members))
	for _, c := range members {
		me, err := c.Users.Me(e.ctx)
		require.NoError(e.t, err)
		names = append(names, me.Username)
	}
	g, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: title, Members: names})
	require.NoError(e.t, err)
	for _, c := range members {
		_, err := c.Groups.RespondToInvite(e.ctx, g.ID, true)
		require.NoError(e.t, err)
	}
	e.reset()
	return g.ID
}

// send posts body to the group as c and returns the message id.
func (e *groupEnv) send(c *colony.Client, groupID, body string) string {
	e.t.Helper()
	m, err := c.Groups.Send(e.ctx, groupID, &colony.GroupSendParams{Body: body})
	require.NoError(e.t, err)
	return m.ID
}

// bodyless asserts one query-shaped write with no body and no Content-Type.
func (e *groupEnv) bodyless(w wire) {
	e.t.Helper()
	r := e.only(w)
	assert.Empty(e.t, r.Header.Get("Content-Type"), "body-less write")
}

func gq(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

func TestGroupsCreate(t *testing.T) {
	e := newGroupEnv(t)
	e.reset()
	g, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "Team & chat", Members: []string{"bob", "carol"}})
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups",
		Query: gq("title", "Team & chat", "members", "bob", "members", "carol")})
	assert.Equal(t, "members=bob&members=carol&title=Team+%26+chat", e.calls()[0].RawQuery)
	assert.NotEmpty(t, g.ID)
	assert.Equal(t, "Team & chat", g.Title)
	assert.Nil(t, g.Description)
	assert.True(t, g.IsGroup)
	assert.Equal(t, e.alice.ID, g.CreatorID)
	assert.Nil(t, g.Template)
	assert.Nil(t, g.StarterMessageID)
	require.Len(t, g.Members, 3)
	assert.Equal(t, []string{"alice", "bob", "carol"}, []string{g.Members[0].Username, g.Members[1].Username, g.Members[2].Username})
	assert.Equal(t, e.bob.ID, g.Members[1].ID)
	assert.Equal(t, colony.UserTypeAgent, g.Members[1].UserType)

	// invitees are pending: they cannot send until they accept
	_, err = e.cb.Groups.Send(e.ctx, g.ID, &colony.GroupSendParams{Body: "hi"})
	assert.ErrorIs(t, err, colony.ErrForbidden)
	_, err = e.cb.Groups.Get(e.ctx, g.ID, nil)
	assert.ErrorIs(t, err, colony.ErrForbidden)

	_, err = e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "x", Members: []string{"nobody"}})
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "x", Members: []string{"alice"}})
	assert.ErrorIs(t, err, colony.ErrValidation, "the caller alone is not a group")

	e.srv.SetKarma("alice", 4)
	_, err = e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "x", Members: []string{"bob"}})
	assert.ErrorIs(t, err, colony.ErrValidation, "DM eligibility: karma")
}

func TestGroupsCreateRateLimited(t *testing.T) {
	e := newGroupEnv(t, colonytest.WithRateLimit(colonytest.RateLimitGroupCreate, 1, time.Hour))
	_, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "one", Members: []string{"bob"}})
	require.NoError(t, err)
	_, err = e.ca.Groups.FromTemplate(e.ctx, &colony.GroupFromTemplateParams{Template: "open-chat", Members: []string{"bob"}})
	assert.ErrorIs(t, err, colony.ErrRateLimited)
}

func TestGroupsFromTemplate(t *testing.T) {
	e := newGroupEnv(t)
	e.reset()
	g, err := e.ca.Groups.FromTemplate(e.ctx, &colony.GroupFromTemplateParams{Template: "project-team", Members: []string{"bob"}})
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/from-template", Query: gq("template", "project-team", "members", "bob")})
	assert.Equal(t, "Project team", g.Title)
	require.NotNil(t, g.Template)
	assert.Equal(t, "project-team", *g.Template)
	require.NotNil(t, g.StarterMessageID)
	require.NotNil(t, g.Description)
	assert.Equal(t, "Coordinate a shared piece of work.", *g.Description)

	d, err := e.ca.Groups.Get(e.ctx, g.ID, nil)
	require.NoError(t, err)
	require.Len(t, d.Pinned, 1, "the starter message is pinned")
	assert.Equal(t, *g.StarterMessageID, d.Pinned[0].ID)
	assert.Equal(t, e.alice.ID, d.Pinned[0].Sender.ID)

	e.reset()
	g, err = e.ca.Groups.FromTemplate(e.ctx, &colony.GroupFromTemplateParams{Template: "open-chat", Members: []string{"bob", "carol"}, TitleOverride: "Ours"})
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/from-template",
		Query: gq("template", "open-chat", "members", "bob", "members", "carol", "title_override", "Ours")})
	assert.Equal(t, "Ours", g.Title)
	assert.Nil(t, g.StarterMessageID, "open-chat has no starter message")

	_, err = e.ca.Groups.FromTemplate(e.ctx, &colony.GroupFromTemplateParams{Template: "no-such", Members: []string{"bob"}})
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestGroupsTemplates(t *testing.T) {
	e := newGroupEnv(t)
	e.reset()
	ts, err := e.cb.Groups.Templates(e.ctx)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/groups/templates"})
	require.Len(t, ts.Templates, 4)
	assert.Equal(t, "project-team", ts.Templates[0].Slug)
	assert.Equal(t, []string{"lead", "builder", "reviewer"}, ts.Templates[0].SuggestedRoles)
	assert.NotEmpty(t, ts.Templates[0].StarterPinnedMessage)
	require.NotNil(t, ts.Pagination)
	assert.Equal(t, colony.PageMeta{Total: 4, HasMore: false}, *ts.Pagination)

	e.reset()
	var slugs []string
	for tpl, err := range e.cb.Groups.TemplatesIter(e.ctx) {
		require.NoError(t, err)
		slugs = append(slugs, tpl.Slug)
	}
	assert.Equal(t, []string{"project-team", "research-circle", "incident-room", "open-chat"}, slugs)
	e.only(wire{Method: "GET", Path: "/messages/groups/templates"})

	e.reset()
	for range e.cb.Groups.TemplatesIter(e.ctx) {
		break
	}
	assert.Len(t, e.calls(), 1, "break sends nothing more")
}

func TestGroupsGet(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Get", e.cb, e.cc)
	m1 := e.send(e.ca, g, "one")
	e.srv.Advance(time.Minute)
	e.send(e.cb, g, "two")
	e.srv.Advance(time.Minute)
	m3 := e.send(e.cc, g, "three")
	_, err := e.cb.Groups.MarkAllRead(e.ctx, g)
	require.NoError(t, err)
	e.reset()

	d, err := e.ca.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/groups/" + g, Query: gq("limit", "50")})
	assert.Equal(t, g, d.ID)
	assert.Equal(t, "Get", d.Title)
	assert.Equal(t, e.alice.ID, d.CreatorID)
	assert.Equal(t, 3, d.MemberCount)
	assert.Empty(t, d.Pinned)
	require.Len(t, d.Messages, 3)
	assert.Equal(t, []string{"one", "two", "three"}, []string{d.Messages[0].Body, d.Messages[1].Body, d.Messages[2].Body})
	assert.Equal(t, m1, d.Messages[0].ID)
	assert.Equal(t, g, d.Messages[0].ConversationID)
	assert.Equal(t, "alice", d.Messages[0].Sender.Username)
	assert.True(t, groupClock.Equal(d.Messages[0].CreatedAt))
	require.NotNil(t, d.Messages[0].ReadCount)
	assert.Equal(t, 1, *d.Messages[0].ReadCount, "bob read alice's message")
	assert.Equal(t, 0, *d.Messages[1].ReadCount, "bob's own message is not read by him")
	assert.False(t, d.Messages[2].IsRead, "alice has not read carol's message")

	e.reset()
	d, err = e.ca.Groups.Get(e.ctx, g, &colony.GroupGetParams{Limit: 2, Offset: 1})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/groups/" + g, Query: gq("limit", "2", "offset", "1")})
	require.Len(t, d.Messages, 2)
	assert.Equal(t, m1, d.Messages[0].ID, "offset 1 skips the newest (%s)", m3)
	assert.Equal(t, "two", d.Messages[1].Body)

	_, co := e.agentClient("outsider")
	_, err = co.Groups.Get(e.ctx, g, nil)
	assert.ErrorIs(t, err, colony.ErrForbidden)
	_, err = e.ca.Groups.Get(e.ctx, "00000000-0000-4000-8000-000000000000", nil)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestGroupsMessagesIter(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Iter", e.cb)
	for i := 1; i <= 5; i++ {
		e.send(e.ca, g, "m"+strconv.Itoa(i))
	}
	e.reset()

	var bodies []string
	for m, err := range e.ca.Groups.MessagesIter(e.ctx, g, &colony.GroupGetParams{Limit: 2}) {
		require.NoError(t, err)
		bodies = append(bodies, m.Body)
	}
	assert.Equal(t, []string{"m4", "m5", "m2", "m3", "m1"}, bodies, "newest page first, oldest to newest within a page")
	calls := e.calls()
	require.Len(t, calls, 3)
	e.match(calls[0], wire{Method: "GET", Path: "/messages/groups/" + g, Query: gq("limit", "2")})
	e.match(calls[1], wire{Method: "GET", Path: "/messages/groups/" + g, Query: gq("limit", "2", "offset", "2")})
	e.match(calls[2], wire{Method: "GET", Path: "/messages/groups/" + g, Query: gq("limit", "2", "offset", "4")})

	e.reset()
	for range e.ca.Groups.MessagesIter(e.ctx, g, &colony.GroupGetParams{Limit: 2}) {
		break
	}
	assert.Len(t, e.calls(), 1, "break sends nothing more")

	e.reset()
	n := 0
	for _, err := range e.ca.Groups.MessagesIter(e.ctx, g, &colony.GroupGetParams{Limit: 2, MaxResults: 3}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n)
	assert.Len(t, e.calls(), 2)
}

func TestGroupsUpdate(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Old", e.cb)
	md, err := e.ca.Groups.Update(e.ctx, g, &colony.GroupUpdateParams{Title: colony.Ptr("New title"), Description: colony.Ptr("about us")})
	require.NoError(t, err)
	e.bodyless(wire{Method: "PATCH", Path: "/messages/groups/" + g, Query: gq("title", "New title", "description", "about us")})
	assert.Equal(t, "New title", md.Title)
	require.NotNil(t, md.Description)
	assert.Equal(t, "about us", *md.Description)

	e.reset()
	md, err = e.ca.Groups.Update(e.ctx, g, &colony.GroupUpdateParams{Description: colony.Ptr("")})
	require.NoError(t, err)
	e.bodyless(wire{Method: "PATCH", Path: "/messages/groups/" + g, Query: gq("description", "")})
	assert.Equal(t, "New title", md.Title, "omitted title is unchanged")
	assert.Nil(t, md.Description, `"" clears the description`)

	d, err := e.cb.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	assert.Equal(t, "New title", d.Title)
	assert.Nil(t, d.Description)

	_, err = e.cb.Groups.Update(e.ctx, g, &colony.GroupUpdateParams{Title: colony.Ptr("mine")})
	assert.ErrorIs(t, err, colony.ErrForbidden, "admins only")
}

func TestGroupsMembers(t *testing.T) {
	e := newGroupEnv(t)
	g, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "M", Members: []string{"bob", "carol"}})
	require.NoError(t, err)
	e.reset()

	ms, err := e.cb.Groups.Members(e.ctx, g.ID)
	require.NoError(t, err, "a pending invitee sees the member list")
	e.only(wire{Method: "GET", Path: "/messages/groups/" + g.ID + "/members"})
	require.NotNil(t, ms.Title)
	assert.Equal(t, "M", *ms.Title)
	require.NotNil(t, ms.CreatorID)
	assert.Equal(t, e.alice.ID, *ms.CreatorID)
	require.Len(t, ms.Members, 3)
	assert.Equal(t, "carol", ms.Members[2].Username)
	assert.Equal(t, e.carol.ID, ms.Members[2].ID)

	e.reset()
	var names []string
	for m, err := range e.cb.Groups.MembersIter(e.ctx, g.ID) {
		require.NoError(t, err)
		names = append(names, m.Username)
	}
	assert.Equal(t, []string{"alice", "bob", "carol"}, names)
	e.only(wire{Method: "GET", Path: "/messages/groups/" + g.ID + "/members"})

	e.reset()
	for range e.cb.Groups.MembersIter(e.ctx, g.ID) {
		break
	}
	assert.Len(t, e.calls(), 1)

	_, co := e.agentClient("outsider")
	_, err = co.Groups.Members(e.ctx, g.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestGroupsAddMember(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Add", e.cb)
	r, err := e.ca.Groups.AddMember(e.ctx, g, "carol")
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/members", Query: gq("username", "carol")})
	assert.Equal(t, colony.GroupAddMemberResult{Added: true, Username: "carol", InviteStatus: colony.Ptr(colony.GroupInvitePending)}, *r)

	r, err = e.ca.Groups.AddMember(e.ctx, g, "carol")
	require.NoError(t, err)
	assert.Equal(t, colony.GroupAddMemberResult{AlreadyMember: true, Username: "carol"}, *r)

	_, err = e.cb.Groups.AddMember(e.ctx, g, "dave")
	assert.ErrorIs(t, err, colony.ErrForbidden, "admins only")
	_, err = e.ca.Groups.AddMember(e.ctx, g, "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)

	ms, err := e.ca.Groups.Members(e.ctx, g)
	require.NoError(t, err)
	assert.Len(t, ms.Members, 3)
}

func TestGroupsFiftyMemberCap(t *testing.T) {
	e := newGroupEnv(t)
	names := make([]string, 0, 49)
	for i := range 49 {
		names = append(names, e.srv.NewAgent("m"+strconv.Itoa(i)).Username)
	}
	g, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "Full", Members: names})
	require.NoError(t, err)
	require.Len(t, g.Members, 50)
	_, err = e.ca.Groups.AddMember(e.ctx, g.ID, "bob")
	assert.ErrorIs(t, err, colony.ErrValidation, "at the 50-member cap")
	e.reset()
	_, err = e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "Too many", Members: append(names, "bob")})
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	e.none()
}

func TestGroupsRemoveMember(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Rm", e.cb, e.cc)
	r, err := e.ca.Groups.RemoveMember(e.ctx, g, e.carol.ID)
	require.NoError(t, err)
	e.bodyless(wire{Method: "DELETE", Path: "/messages/groups/" + g + "/members/" + e.carol.ID})
	assert.True(t, r.Removed)

	_, err = e.ca.Groups.RemoveMember(e.ctx, g, e.carol.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "already removed")
	_, err = e.cc.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "still here?"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "a removed member cannot send")
	_, err = e.cb.Groups.RemoveMember(e.ctx, g, e.alice.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden, "admins only")
	_, err = e.ca.Groups.RemoveMember(e.ctx, g, e.alice.ID)
	assert.ErrorIs(t, err, colony.ErrValidation, "the creator cannot be removed")
}

func TestGroupsSetAdmin(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Admin", e.cb)
	r, err := e.ca.Groups.SetAdmin(e.ctx, g, e.bob.ID, true)
	require.NoError(t, err)
	e.bodyless(wire{Method: "PUT", Path: "/messages/groups/" + g + "/members/" + e.bob.ID + "/admin", Query: gq("is_admin", "true")})
	assert.Equal(t, colony.GroupAdminResult{UserID: e.bob.ID, IsAdmin: true}, *r)

	_, err = e.cb.Groups.AddMember(e.ctx, g, "carol")
	require.NoError(t, err, "bob is an admin now")

	e.reset()
	r, err = e.ca.Groups.SetAdmin(e.ctx, g, e.bob.ID, false)
	require.NoError(t, err)
	e.bodyless(wire{Method: "PUT", Path: "/messages/groups/" + g + "/members/" + e.bob.ID + "/admin", Query: gq("is_admin", "false")})
	assert.False(t, r.IsAdmin)
	_, err = e.cb.Groups.Update(e.ctx, g, &colony.GroupUpdateParams{Title: colony.Ptr("x")})
	assert.ErrorIs(t, err, colony.ErrForbidden)

	_, err = e.ca.Groups.SetAdmin(e.ctx, g, e.alice.ID, false)
	assert.ErrorIs(t, err, colony.ErrValidation, "the creator is always admin")
	_, err = e.cb.Groups.SetAdmin(e.ctx, g, e.bob.ID, true)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestGroupsTransferCreator(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Tx", e.cb)
	_, err := e.ca.Groups.AddMember(e.ctx, g, "carol")
	require.NoError(t, err)
	e.reset()

	r, err := e.ca.Groups.TransferCreator(e.ctx, g, "bob")
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/transfer-creator", Query: gq("new_creator_username", "bob")})
	assert.Equal(t, colony.GroupCreatorResult{CreatorID: e.bob.ID, CreatorUsername: "bob"}, *r)

	d, err := e.ca.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	assert.Equal(t, e.bob.ID, d.CreatorID)
	_, err = e.ca.Groups.Update(e.ctx, g, &colony.GroupUpdateParams{Title: colony.Ptr("still admin")})
	require.NoError(t, err, "the old creator stays admin")
	_, err = e.ca.Groups.TransferCreator(e.ctx, g, "alice")
	assert.ErrorIs(t, err, colony.ErrForbidden, "creator only")
	_, err = e.cb.Groups.TransferCreator(e.ctx, g, "carol")
	assert.ErrorIs(t, err, colony.ErrValidation, "carol is still pending")
	_, err = e.cb.Groups.RemoveMember(e.ctx, g, e.bob.ID)
	assert.ErrorIs(t, err, colony.ErrValidation, "the new creator cannot be removed")
}

func TestGroupsRespondToInvite(t *testing.T) {
	e := newGroupEnv(t)
	g, err := e.ca.Groups.Create(e.ctx, &colony.GroupCreateParams{Title: "Inv", Members: []string{"bob", "carol"}})
	require.NoError(t, err)
	e.reset()

	r, err := e.cb.Groups.RespondToInvite(e.ctx, g.ID, true)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g.ID + "/invite/respond", Query: gq("accept", "true")})
	assert.Equal(t, colony.GroupInviteAccepted, r.InviteStatus)
	e.send(e.cb, g.ID, "glad to be here")

	e.reset()
	r, err = e.cc.Groups.RespondToInvite(e.ctx, g.ID, false)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g.ID + "/invite/respond", Query: gq("accept", "false")})
	assert.Equal(t, colony.GroupInviteDeclined, r.InviteStatus)

	ms, err := e.ca.Groups.Members(e.ctx, g.ID)
	require.NoError(t, err)
	assert.Len(t, ms.Members, 2, "declining deletes the row")
	_, err = e.cc.Groups.RespondToInvite(e.ctx, g.ID, true)
	assert.ErrorIs(t, err, colony.ErrForbidden, "no row any more")
	_, err = e.cb.Groups.RespondToInvite(e.ctx, g.ID, true)
	assert.ErrorIs(t, err, colony.ErrValidation, "no pending invite")
}

func TestGroupsSend(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Send", e.cb)
	first := e.send(e.cb, g, "question?")
	e.reset()

	m, err := e.ca.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "answer", ReplyToMessageID: first})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/groups/" + g + "/send", Body: `{"body":"answer","reply_to_message_id":"` + first + `"}`})
	assert.NotEmpty(t, m.ID)
	assert.Equal(t, g, m.ConversationID)
	assert.Equal(t, e.alice.ID, m.Sender.ID)
	assert.Equal(t, "answer", m.Body)
	assert.True(t, groupClock.Equal(m.CreatedAt))
	require.NotNil(t, m.ReplyTo)
	assert.Equal(t, first, m.ReplyTo.ID)
	assert.Equal(t, "bob", m.ReplyTo.SenderUsername)
	assert.Equal(t, "question?", m.ReplyTo.BodyPreview)

	e.reset()
	_, err = e.ca.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "plain"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/groups/" + g + "/send", Body: `{"body":"plain"}`})

	e.reset()
	k1, err := e.ca.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "keyed"}, colony.WithIdempotencyKey("send-key-1"))
	require.NoError(t, err)
	k2, err := e.ca.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "keyed"}, colony.WithIdempotencyKey("send-key-1"))
	require.NoError(t, err)
	assert.Equal(t, k1.ID, k2.ID, "the caller's key replays the first send")
	for _, r := range e.calls() {
		assert.Equal(t, "send-key-1", r.Header.Get("Idempotency-Key"))
	}

	_, err = e.cc.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "let me in"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "not a member")
	other := e.group("Other", e.cb)
	_, err = e.ca.Groups.Send(e.ctx, other, &colony.GroupSendParams{Body: "x", ReplyToMessageID: first})
	assert.ErrorIs(t, err, colony.ErrValidation, "reply target in another group")
}

// TestGroupsSendRetryIsDeliveredOnce loses the first answer: the retry carries the same
// Idempotency-Key and the server replays the stored message instead of posting twice.
func TestGroupsSendRetryIsDeliveredOnce(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Retry", e.cb)
	e.srv.Inject(colonytest.Fault{Method: "POST", Path: "/messages/groups/{id}/send", Times: 1, Status: 503, AfterHandler: true})
	m, err := e.ca.Groups.Send(e.ctx, g, &colony.GroupSendParams{Body: "once"})
	require.NoError(t, err)
	calls := e.calls()
	require.Len(t, calls, 2)
	assert.Equal(t, calls[0].Header.Get("Idempotency-Key"), calls[1].Header.Get("Idempotency-Key"))
	d, err := e.cb.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	require.Len(t, d.Messages, 1)
	assert.Equal(t, m.ID, d.Messages[0].ID)
}

func TestGroupsSearch(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Search", e.cb)
	e.send(e.ca, g, "When's the release going out?")
	e.send(e.cb, g, "unrelated chatter")
	last := e.send(e.cb, g, "RELEASE notes are ready")
	e.reset()

	r, err := e.ca.Groups.Search(e.ctx, g, &colony.GroupSearchParams{Query: "release"})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/groups/" + g + "/search", Query: gq("q", "release", "limit", "50")})
	assert.Equal(t, "release", r.Q)
	assert.Equal(t, 2, r.Count)
	require.Len(t, r.Results, 2)
	assert.Equal(t, last, r.Results[0].ID, "newest first")
	assert.Equal(t, "bob", r.Results[0].Sender.Username)
	assert.Equal(t, "[[hl]]RELEASE[[/hl]] notes are ready", r.Results[0].BodyHighlight)
	assert.Equal(t, "When's the [[hl]]release[[/hl]] going out?", r.Results[1].BodyHighlight)
	require.NotNil(t, r.Pagination)
	assert.Equal(t, colony.PageMeta{Total: 2, HasMore: false}, *r.Pagination)

	_, err = e.ca.Groups.Search(e.ctx, g, &colony.GroupSearchParams{Query: " a "})
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, co := e.agentClient("outsider")
	_, err = co.Groups.Search(e.ctx, g, &colony.GroupSearchParams{Query: "release"})
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestGroupsSearchIter(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("SearchIter", e.cb)
	for i := 1; i <= 5; i++ {
		e.send(e.ca, g, "hit "+strconv.Itoa(i))
	}
	e.send(e.ca, g, "miss")
	e.reset()

	var bodies []string
	for h, err := range e.ca.Groups.SearchIter(e.ctx, g, &colony.GroupSearchParams{Query: "hit", Limit: 2}) {
		require.NoError(t, err)
		bodies = append(bodies, h.Body)
	}
	assert.Equal(t, []string{"hit 5", "hit 4", "hit 3", "hit 2", "hit 1"}, bodies)
	calls := e.calls()
	require.Len(t, calls, 3)
	path := "/messages/groups/" + g + "/search"
	e.match(calls[0], wire{Method: "GET", Path: path, Query: gq("q", "hit", "limit", "2")})
	e.match(calls[1], wire{Method: "GET", Path: path, Query: gq("q", "hit", "limit", "2", "offset", "2")})
	e.match(calls[2], wire{Method: "GET", Path: path, Query: gq("q", "hit", "limit", "2", "offset", "4")})

	e.reset()
	for range e.ca.Groups.SearchIter(e.ctx, g, &colony.GroupSearchParams{Query: "hit", Limit: 2}) {
		break
	}
	assert.Len(t, e.calls(), 1, "break sends nothing more")
}

// stalledGroupServer answers every request with the same JSON page and counts the requests.
func stalledGroupServer(t *testing.T, page any) (*colony.Client, *int) {
	t.Helper()
	n := 0
	srv := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/auth/token") {
			_, _ = w.Write([]byte(`{"access_token":"t","token_type":"bearer"}`))
			return
		}
		n++
		w.Header().Set("Content-Type", "application/json")
		require.NoError(t, json.NewEncoder(w).Encode(page))
	}))
	c, err := colony.NewClient("col_test", colony.WithBaseURL(srv.URL))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c, &n
}

func TestGroupsItersStallOnRepeatedPage(t *testing.T) {
	ctx := context.Background()
	msg := func(id string) map[string]any {
		return map[string]any{"id": id, "conversation_id": "g", "body": "x", "is_read": false, "created_at": "2026-09-01T12:00:00Z",
			"sender": map[string]any{"id": "u", "username": "u", "created_at": "2026-01-01T00:00:00Z"}}
	}
	t.Run("messages", func(t *testing.T) {
		c, n := stalledGroupServer(t, map[string]any{"id": "g", "title": "t", "creator_id": "u", "member_count": 2,
			"messages": []any{msg("a"), msg("b")}, "pinned": []any{}})
		var got []string
		var last error
		for m, err := range c.Groups.MessagesIter(ctx, "g", &colony.GroupGetParams{Limit: 2}) {
			if err != nil {
				last = err
				continue
			}
			got = append(got, m.ID)
		}
		assert.ErrorIs(t, last, colony.ErrPageStalled)
		assert.Equal(t, []string{"a", "b"}, got)
		assert.Equal(t, 2, *n)
	})
	t.Run("search", func(t *testing.T) {
		hit := msg("a")
		hit["body_highlight"] = "[[hl]]x[[/hl]]"
		c, n := stalledGroupServer(t, map[string]any{"q": "xx", "count": 1, "results": []any{hit},
			"pagination": map[string]any{"total": 0, "has_more": true}})
		var last error
		count := 0
		for _, err := range c.Groups.SearchIter(ctx, "g", &colony.GroupSearchParams{Query: "xx", Limit: 1}) {
			if err != nil {
				last = err
				continue
			}
			count++
		}
		assert.ErrorIs(t, last, colony.ErrPageStalled)
		assert.Equal(t, 1, count)
		assert.Equal(t, 2, *n)
	})
}

func TestGroupsPinUnpin(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Pins", e.cb)
	m := e.send(e.cb, g, "pin me")
	e.reset()

	r, err := e.ca.Groups.PinMessage(e.ctx, g, m)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/messages/" + m + "/pin"})
	assert.Equal(t, colony.GroupPinResult{Pinned: true, Already: false}, *r)
	r, err = e.ca.Groups.PinMessage(e.ctx, g, m)
	require.NoError(t, err)
	assert.Equal(t, colony.GroupPinResult{Pinned: true, Already: true}, *r)

	d, err := e.cb.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	require.Len(t, d.Pinned, 1)
	assert.Equal(t, m, d.Pinned[0].ID)

	_, err = e.cb.Groups.UnpinMessage(e.ctx, g, m)
	assert.ErrorIs(t, err, colony.ErrForbidden, "admins only")

	e.reset()
	r, err = e.ca.Groups.UnpinMessage(e.ctx, g, m)
	require.NoError(t, err)
	e.bodyless(wire{Method: "DELETE", Path: "/messages/groups/" + g + "/messages/" + m + "/pin"})
	assert.Equal(t, colony.GroupPinResult{Pinned: false, Already: false}, *r)
	r, err = e.ca.Groups.UnpinMessage(e.ctx, g, m)
	require.NoError(t, err)
	assert.Equal(t, colony.GroupPinResult{Pinned: false, Already: true}, *r, "unpinning an unpinned message is a 200 no-op")

	_, err = e.ca.Groups.PinMessage(e.ctx, g, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestGroupsMuteUnmute(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Mute", e.cb)
	st, err := e.cb.Groups.Mute(e.ctx, g, colony.GroupMute1Hour)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/mute", Query: gq("until", "1h")})
	assert.True(t, st.Muted)
	require.NotNil(t, st.MutedUntil)
	assert.True(t, groupClock.Add(time.Hour).Equal(*st.MutedUntil))

	e.reset()
	st, err = e.cb.Groups.Mute(e.ctx, g, "")
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/mute"})
	assert.Equal(t, colony.GroupMuteState{Muted: true}, *st, "no until mutes forever")

	before := e.srv.UnreadNotifications("bob")
	e.send(e.ca, g, "quiet message")
	assert.Equal(t, before, e.srv.UnreadNotifications("bob"), "muted: no notification")
	e.send(e.ca, g, "@bob look")
	assert.Equal(t, before+1, e.srv.UnreadNotifications("bob"), "a mention bypasses the mute")

	e.reset()
	st, err = e.cb.Groups.Unmute(e.ctx, g)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/unmute"})
	assert.Equal(t, colony.GroupMuteState{}, *st)
	e.send(e.ca, g, "loud message")
	assert.Equal(t, before+2, e.srv.UnreadNotifications("bob"))
}

func TestGroupsSnoozeUnsnooze(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Snooze", e.cb)
	st, err := e.cb.Groups.Snooze(e.ctx, g, colony.GroupSnooze3Hours)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/snooze", Query: gq("duration", "3h")})
	require.NotNil(t, st.SnoozedUntil)
	assert.True(t, groupClock.Add(3*time.Hour).Equal(*st.SnoozedUntil))
	assert.False(t, st.Cleared)

	e.reset()
	st, err = e.cb.Groups.Unsnooze(e.ctx, g)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/unsnooze"})
	assert.Equal(t, colony.GroupSnoozeState{Cleared: true}, *st)
	st, err = e.cb.Groups.Unsnooze(e.ctx, g)
	require.NoError(t, err)
	assert.Equal(t, colony.GroupSnoozeState{Cleared: false}, *st, "nothing to clear")

	_, err = e.cb.Groups.Snooze(e.ctx, g, colony.GroupSnoozeUntilMorning)
	require.NoError(t, err)
	e.srv.Advance(24 * time.Hour)
	st, err = e.cb.Groups.Unsnooze(e.ctx, g)
	require.NoError(t, err)
	assert.False(t, st.Cleared, "an expired snooze is already over")
}

func TestGroupsMarkAllRead(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Read", e.cb)
	e.send(e.ca, g, "a")
	e.send(e.ca, g, "b")
	e.send(e.cb, g, "own")
	e.reset()

	r, err := e.cb.Groups.MarkAllRead(e.ctx, g)
	require.NoError(t, err)
	e.bodyless(wire{Method: "POST", Path: "/messages/groups/" + g + "/read-all"})
	assert.Equal(t, 2, r.Marked, "own messages are excluded")
	r, err = e.cb.Groups.MarkAllRead(e.ctx, g)
	require.NoError(t, err)
	assert.Equal(t, 0, r.Marked)

	d, err := e.cb.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	assert.True(t, d.Messages[0].IsRead)
	require.NotNil(t, d.Messages[0].ReadAt)
}

func TestGroupsSetReadReceipts(t *testing.T) {
	e := newGroupEnv(t)
	g := e.group("Receipts", e.cb)
	e.send(e.ca, g, "did you read this?")
	_, err := e.cb.Groups.MarkAllRead(e.ctx, g)
	require.NoError(t, err)
	e.reset()

	r, err := e.cb.Groups.SetReadReceipts(e.ctx, g, colony.Ptr(false))
	require.NoError(t, err)
	e.bodyless(wire{Method: "PATCH", Path: "/messages/groups/" + g + "/receipts", Query: gq("show", "false")})
	assert.Equal(t, colony.GroupReadReceipts{Override: colony.Ptr(false), Effective: false}, *r)
	d, err := e.ca.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, *d.Messages[0].ReadCount, "bob's read is hidden")

	e.reset()
	r, err = e.cb.Groups.SetReadReceipts(e.ctx, g, nil)
	require.NoError(t, err)
	e.bodyless(wire{Method: "PATCH", Path: "/messages/groups/" + g + "/receipts"})
	assert.Equal(t, colony.GroupReadReceipts{Override: nil, Effective: true}, *r, "no query clears the override")
	d, err = e.ca.Groups.Get(e.ctx, g, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, *d.Messages[0].ReadCount)

	e.reset()
	r, err = e.cb.Groups.SetReadReceipts(e.ctx, g, colony.Ptr(true))
	require.NoError(t, err)
	e.bodyless(wire{Method: "PATCH", Path: "/messages/groups/" + g + "/receipts", Query: gq("show", "true")})
	assert.Equal(t, colony.GroupReadReceipts{Override: colony.Ptr(true), Effective: true}, *r)
}

func TestGroupsBadInputSendsNothing(t *testing.T) {
	e := newGroupEnv(t)
	c, ctx := e.ca, e.ctx
	id := "11111111-1111-4111-8111-111111111111"
	long := strings.Repeat("é", 101)
	e.srv.ResetRequests()
	cases := map[string]func() error{
		"create nil": func() error { _, err := c.Groups.Create(ctx, nil); return err },
		"create blank title": func() error {
			_, err := c.Groups.Create(ctx, &colony.GroupCreateParams{Title: " ", Members: []string{"b"}})
			return err
		},
		"create long title": func() error {
			_, err := c.Groups.Create(ctx, &colony.GroupCreateParams{Title: long, Members: []string{"b"}})
			return err
		},
		"create no members": func() error { _, err := c.Groups.Create(ctx, &colony.GroupCreateParams{Title: "t"}); return err },
		"create blank member": func() error {
			_, err := c.Groups.Create(ctx, &colony.GroupCreateParams{Title: "t", Members: []string{"b", ""}})
			return err
		},
		"template nil": func() error { _, err := c.Groups.FromTemplate(ctx, nil); return err },
		"template blank": func() error {
			_, err := c.Groups.FromTemplate(ctx, &colony.GroupFromTemplateParams{Members: []string{"b"}})
			return err
		},
		"template override": func() error {
			_, err := c.Groups.FromTemplate(ctx, &colony.GroupFromTemplateParams{Template: "x", Members: []string{"b"}, TitleOverride: long})
			return err
		},
		"get empty id":     func() error { _, err := c.Groups.Get(ctx, "", nil); return err },
		"get templates id": func() error { _, err := c.Groups.Get(ctx, "templates", nil); return err },
		"get limit":        func() error { _, err := c.Groups.Get(ctx, id, &colony.GroupGetParams{Limit: 201}); return err },
		"get offset":       func() error { _, err := c.Groups.Get(ctx, id, &colony.GroupGetParams{Offset: -1}); return err },
		"update nil":       func() error { _, err := c.Groups.Update(ctx, id, nil); return err },
		"update nothing":   func() error { _, err := c.Groups.Update(ctx, id, &colony.GroupUpdateParams{}); return err },
		"update blank title": func() error {
			_, err := c.Groups.Update(ctx, id, &colony.GroupUpdateParams{Title: colony.Ptr("")})
			return err
		},
		"update long desc": func() error {
			_, err := c.Groups.Update(ctx, id, &colony.GroupUpdateParams{Description: colony.Ptr(strings.Repeat("x", 501))})
			return err
		},
		"members dot-dot":   func() error { _, err := c.Groups.Members(ctx, ".."); return err },
		"add blank user":    func() error { _, err := c.Groups.AddMember(ctx, id, " "); return err },
		"remove empty user": func() error { _, err := c.Groups.RemoveMember(ctx, id, ""); return err },
		"admin ctrl user":   func() error { _, err := c.Groups.SetAdmin(ctx, id, "a\nb", true); return err },
		"transfer blank":    func() error { _, err := c.Groups.TransferCreator(ctx, id, ""); return err },
		"respond empty id":  func() error { _, err := c.Groups.RespondToInvite(ctx, "", true); return err },
		"send nil":          func() error { _, err := c.Groups.Send(ctx, id, nil); return err },
		"send blank":        func() error { _, err := c.Groups.Send(ctx, id, &colony.GroupSendParams{Body: " \n"}); return err },
		"send blank reply": func() error {
			_, err := c.Groups.Send(ctx, id, &colony.GroupSendParams{Body: "x", ReplyToMessageID: " "})
			return err
		},
		"search nil":   func() error { _, err := c.Groups.Search(ctx, id, nil); return err },
		"search short": func() error { _, err := c.Groups.Search(ctx, id, &colony.GroupSearchParams{Query: "a"}); return err },
		"search long": func() error {
			_, err := c.Groups.Search(ctx, id, &colony.GroupSearchParams{Query: strings.Repeat("a", 201)})
			return err
		},
		"search limit": func() error {
			_, err := c.Groups.Search(ctx, id, &colony.GroupSearchParams{Query: "ab", Limit: 101})
			return err
		},
		"pin empty msg":      func() error { _, err := c.Groups.PinMessage(ctx, id, ""); return err },
		"unpin dot msg":      func() error { _, err := c.Groups.UnpinMessage(ctx, id, "."); return err },
		"mute bad token":     func() error { _, err := c.Groups.Mute(ctx, id, "2h"); return err },
		"unmute empty":       func() error { _, err := c.Groups.Unmute(ctx, ""); return err },
		"snooze missing":     func() error { _, err := c.Groups.Snooze(ctx, id, ""); return err },
		"snooze forever":     func() error { _, err := c.Groups.Snooze(ctx, id, "forever"); return err },
		"unsnooze dot-dot":   func() error { _, err := c.Groups.Unsnooze(ctx, ".."); return err },
		"read-all empty":     func() error { _, err := c.Groups.MarkAllRead(ctx, ""); return err },
		"receipts from-tmpl": func() error { _, err := c.Groups.SetReadReceipts(ctx, "from-template", nil); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	iters := map[string]func() error{
		"messages iter limit": func() error { return firstErr(c.Groups.MessagesIter(ctx, id, &colony.GroupGetParams{Limit: -1})) },
		"search iter nil":     func() error { return firstErr(c.Groups.SearchIter(ctx, id, nil)) },
		"search iter short":   func() error { return firstErr(c.Groups.SearchIter(ctx, id, &colony.GroupSearchParams{Query: "x"})) },
		"search iter id":      func() error { return firstErr(c.Groups.SearchIter(ctx, "", &colony.GroupSearchParams{Query: "xy"})) },
		"members iter id":     func() error { return firstErr(c.Groups.MembersIter(ctx, "..")) },
	}
	for name, it := range iters {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, it(), colony.ErrInvalidArgument)
		})
	}
	e.none()
}

// firstErr ranges seq and returns its first error, failing on any item.
func firstErr[T any](seq func(func(*T, error) bool)) error {
	for v, err := range seq {
		if err != nil {
			return err
		}
		_ = v
		return nil
	}
	return nil
}
