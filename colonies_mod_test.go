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

// modEnv is a colonytest server with a colony and one client per role: its founder
// (owner), a moderator who accepted an invitation, a member and an outsider.
type modEnv struct {
	*socialEnv
	owner, mod, member, outsider     *colony.Client
	ownerA, modA, memberA, outsiderA colonytest.Agent
	colony                           string // UUID
	ctx                              context.Context
}

func newModEnv(t *testing.T) *modEnv {
	t.Helper()
	env := newSocialEnv(t, colonytest.WithoutRateLimits())
	e := &modEnv{socialEnv: env, ctx: context.Background()}
	e.ownerA, e.owner = env.agentClient("olivia")
	e.modA, e.mod = env.agentClient("mona")
	e.memberA, e.member = env.agentClient("mike")
	e.outsiderA, e.outsider = env.agentClient("otto")
	col, err := e.owner.Colonies.Create(e.ctx, colony.ColonyCreateParams{Name: "modtest", DisplayName: "Mod Test"})
	require.NoError(t, err)
	e.colony = col.ID
	inv, err := e.owner.Colonies.InviteModerator(e.ctx, col.ID, colony.ModInviteParams{InviteeUsername: "mona"})
	require.NoError(t, err)
	_, err = e.mod.Colonies.AcceptModInvitation(e.ctx, inv.InviteID)
	require.NoError(t, err)
	require.NoError(t, e.member.Colonies.Join(e.ctx, col.ID))
	env.reset()
	return e
}

// col returns the colony path prefix of the wire.
func (e *modEnv) col(rest string) string { return "/colonies/" + e.colony + rest }

func TestColoniesCreate(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	env.reset()
	col, err := c.Colonies.Create(context.Background(), colony.ColonyCreateParams{Name: "robots", DisplayName: "Robots",
		CommunityType: colony.CommunityPrivate, Description: "Beep."})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/colonies",
		Body: `{"name":"robots","display_name":"Robots","community_type":"private","description":"Beep."}`})
	assert.Equal(t, "robots", col.Name)
	assert.Equal(t, "Robots", col.DisplayName)
	assert.Equal(t, "Beep.", col.Description)
	assert.Equal(t, 1, col.MemberCount)
	assert.Len(t, col.ID, 36)

	members, err := c.Moderation.ListMembers(context.Background(), col.ID, nil)
	require.NoError(t, err)
	require.Len(t, members, 1)
	assert.Equal(t, alice.ID, members[0].UserID)
	assert.True(t, members[0].IsCreator)
	assert.Equal(t, colony.ColonyRoleModerator, members[0].Role)

	env.reset()
	_, err = c.Colonies.Create(context.Background(), colony.ColonyCreateParams{Name: "robots", DisplayName: "Again"})
	assert.ErrorIs(t, err, colony.ErrConflict)
	env.only(wire{Method: "POST", Path: "/colonies", Body: `{"name":"robots","display_name":"Again","community_type":"public"}`})
	_, err = c.Colonies.Create(context.Background(), colony.ColonyCreateParams{Name: "Not A Slug", DisplayName: "x"})
	assert.ErrorIs(t, err, colony.ErrValidation)

	_, poor := env.agentClient("poor", colonytest.WithKarma(0))
	_, err = poor.Colonies.Create(context.Background(), colony.ColonyCreateParams{Name: "poorhouse", DisplayName: "P"})
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestColoniesModInvitations(t *testing.T) {
	e := newModEnv(t)
	inv, err := e.owner.Colonies.InviteModerator(e.ctx, e.colony, colony.ModInviteParams{InviteeUsername: "mike",
		RoleOffered: colony.ColonyRoleAdmin, Permissions: []string{}})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/mod-invites"), Body: `{"invitee_username":"mike","role_offered":"admin","permissions":[]}`})
	assert.Equal(t, "pending", inv.Status)
	assert.Equal(t, e.memberA.ID, inv.InviteeID)
	assert.Equal(t, e.ownerA.ID, inv.InvitedBy)
	assert.Equal(t, e.colony, inv.ColonyID)
	assert.Equal(t, colony.ColonyRoleAdmin, inv.RoleOffered)
	assert.Equal(t, []string{}, inv.Permissions)
	require.NotNil(t, inv.CreatedAt)
	assert.Equal(t, inv.CreatedAt.AddDate(0, 0, 7), inv.ExpiresAt)

	e.reset()
	mine, err := e.member.Colonies.MyModInvitations(e.ctx)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/colonies/mod-invites/received"})
	require.Len(t, mine, 1)
	assert.Equal(t, inv.InviteID, mine[0].InviteID)

	e.reset()
	list, err := e.owner.Colonies.ModInvitations(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/mod-invites")})
	require.Len(t, list, 1)
	assert.Equal(t, "mike", mustUser(t, e, list[0].InviteeID))

	e.reset()
	revoked, err := e.owner.Colonies.RevokeModInvitation(e.ctx, e.colony, inv.InviteID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/mod-invites/" + inv.InviteID + "/revoke")})
	assert.Equal(t, "revoked", revoked.Status)
	require.NotNil(t, revoked.RespondedAt)
	_, err = e.member.Colonies.AcceptModInvitation(e.ctx, inv.InviteID)
	assert.ErrorIs(t, err, colony.ErrConflict)

	inv, err = e.owner.Colonies.InviteModerator(e.ctx, e.colony, colony.ModInviteParams{InviteeUsername: "mike"})
	require.NoError(t, err)
	assert.Equal(t, []string{"can_remove_posts", "can_ban_users"}, inv.Permissions)
	e.reset()
	declined, err := e.member.Colonies.DeclineModInvitation(e.ctx, inv.InviteID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/colonies/mod-invites/" + inv.InviteID + "/decline"})
	assert.Equal(t, "declined", declined.Status)

	inv, err = e.owner.Colonies.InviteModerator(e.ctx, e.colony, colony.ModInviteParams{InviteeUsername: "otto"})
	require.NoError(t, err)
	_, err = e.member.Colonies.AcceptModInvitation(e.ctx, inv.InviteID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "only the invitee may answer")
	e.reset()
	accepted, err := e.outsider.Colonies.AcceptModInvitation(e.ctx, inv.InviteID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/colonies/mod-invites/" + inv.InviteID + "/accept"})
	assert.Equal(t, "accepted", accepted.Status)
	mods, err := e.owner.Moderation.ListMembers(e.ctx, e.colony, &colony.MemberListParams{Role: colony.ColonyRoleModerator})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"olivia", "mona", "otto"}, memberNames(mods), "accepting joins the colony with the role")

	_, err = e.mod.Colonies.InviteModerator(e.ctx, e.colony, colony.ModInviteParams{InviteeUsername: "mike"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "moderators do not manage moderators")
	_, err = e.member.Colonies.ModInvitations(e.ctx, e.colony)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func mustUser(t *testing.T, e *modEnv, id string) string {
	t.Helper()
	u, err := e.owner.Users.Get(e.ctx, id)
	require.NoError(t, err)
	return u.Username
}

func memberNames(ms []colony.ColonyMember) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Username
	}
	return out
}

func TestColoniesMovePostOut(t *testing.T) {
	e := newModEnv(t)
	p, err := e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Off topic", Body: "Belongs elsewhere", Colony: e.colony})
	require.NoError(t, err)
	e.reset()
	mv, err := e.mod.Colonies.MovePostOut(e.ctx, e.colony, p.ID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/posts/" + p.ID + "/move-out")})
	general, _ := colony.ColonyID("general")
	assert.Equal(t, colony.PostMove{PostID: p.ID, FromColonyID: e.colony, ToColonyID: general, Moved: true}, *mv)
	got, err := e.member.Posts.Get(e.ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, general, got.ColonyID)

	_, err = e.mod.Colonies.MovePostOut(e.ctx, e.colony, p.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "a post not in the colony is 404")
	_, err = e.member.Colonies.MovePostOut(e.ctx, e.colony, p.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestColonyArgumentResolvesNames(t *testing.T) {
	e := newModEnv(t)
	_, err := e.mod.Moderation.ListBans(e.ctx, "ModTest", nil)
	require.NoError(t, err)
	calls := e.calls()
	require.Len(t, calls, 2, describe(calls))
	e.match(calls[0], wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"200"}}})
	e.match(calls[1], wire{Method: "GET", Path: e.col("/bans"), Query: url.Values{"limit": {"100"}}})

	e.reset()
	_, err = e.mod.Moderation.ListBans(e.ctx, "no-such-colony", nil)
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
}
