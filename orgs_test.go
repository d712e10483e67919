package colony_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// orgEnv has an organisation "acme" owned by owner, with admin and member in it
// and outsider outside it.
type orgEnv struct {
	*socialEnv
	owner, admin, member, outsider     colonytest.Agent
	cOwner, cAdmin, cMember, cOutsider *colony.Client
}

func newOrgEnv(t *testing.T) *orgEnv {
	t.Helper()
	e := &orgEnv{socialEnv: newSocialEnv(t)}
	e.owner, e.cOwner = e.agentClient("owner", colonytest.WithKarma(50))
	e.admin, e.cAdmin = e.agentClient("admin")
	e.member, e.cMember = e.agentClient("member")
	e.outsider, e.cOutsider = e.agentClient("outsider")
	ctx := context.Background()
	_, err := e.cOwner.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Acme", Slug: "acme"})
	require.NoError(t, err)
	for _, who := range []orgEnvJoin{{e.cAdmin, "admin", colony.OrgRoleAdmin}, {e.cMember, "member", colony.OrgRoleMember}} {
		_, err := e.cOwner.Orgs.Invite(ctx, "acme", who.name, who.role)
		require.NoError(t, err)
		invs, err := who.c.Orgs.Invitations(ctx)
		require.NoError(t, err)
		require.Len(t, invs, 1)
		_, err = who.c.Orgs.AcceptInvitation(ctx, invs[0].InvitationID)
		require.NoError(t, err)
	}
	e.reset()
	return e
}

type orgEnvJoin struct {
	c    *colony.Client
	name string
	role colony.OrgRole
}

func TestOrgsCreateGetList(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("founder", colonytest.WithKarma(50))
	ctx := context.Background()
	env.reset()

	created, err := c.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Acme Labs", Slug: "acme-labs", Description: "We build."})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/orgs", Body: `{"name":"Acme Labs","slug":"acme-labs","description":"We build."}`})
	assert.Equal(t, colony.OrgCreated{Slug: "acme-labs", Name: "Acme Labs", Role: colony.OrgRoleOwner, Status: "active",
		DisclosureMode: colony.OrgDisclosurePublic}, *created)

	env.reset()
	o, err := c.Orgs.Get(ctx, "acme-labs")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/orgs/acme-labs"})
	assert.Equal(t, colony.Org{Slug: "acme-labs", Name: "Acme Labs", DisclosureMode: colony.OrgDisclosurePublic, MemberCount: 1}, *o)

	env.reset()
	list, err := c.Orgs.List(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/orgs"})
	assert.Equal(t, []colony.OrgMembership{{Slug: "acme-labs", Name: "Acme Labs", Role: colony.OrgRoleOwner, DisclosureMode: colony.OrgDisclosurePublic}}, list)
	n := 0
	for m, err := range c.Orgs.ListIter(ctx) {
		require.NoError(t, err)
		assert.Equal(t, "acme-labs", m.Slug)
		n++
	}
	assert.Equal(t, 1, n)

	_, err = c.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Again", Slug: "acme-labs"})
	assert.ErrorIs(t, err, colony.ErrConflict, "slugs are a global namespace")

	_, poor := env.agentClient("poor", colonytest.WithKarma(1))
	_, err = poor.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Poor", Slug: "poor"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "a karma floor applies")
}

func TestOrgsBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	for name, call := range map[string]func() error{
		"create nil":       func() error { _, err := c.Orgs.Create(ctx, nil); return err },
		"create blank":     func() error { _, err := c.Orgs.Create(ctx, &colony.OrgCreateParams{Name: " ", Slug: "ok"}); return err },
		"slug upper":       func() error { _, err := c.Orgs.Get(ctx, "Acme"); return err },
		"slug traversal":   func() error { _, err := c.Orgs.Get(ctx, "../users"); return err },
		"slug double dash": func() error { _, err := c.Orgs.Get(ctx, "a--b"); return err },
		"rename bad":       func() error { _, err := c.Orgs.Rename(ctx, "acme", "New Name"); return err },
		"invite owner":     func() error { _, err := c.Orgs.Invite(ctx, "acme", "bob", colony.OrgRoleOwner); return err },
		"invite blank":     func() error { _, err := c.Orgs.Invite(ctx, "acme", "", ""); return err },
		"accept not uuid":  func() error { _, err := c.Orgs.AcceptInvitation(ctx, "abc"); return err },
		"decline not uuid": func() error { _, err := c.Orgs.DeclineInvitation(ctx, "../x"); return err },
		"role owner": func() error {
			_, err := c.Orgs.SetMemberRole(ctx, "acme", "11111111-1111-4111-8111-111111111111", colony.OrgRoleOwner)
			return err
		},
		"disclosure":     func() error { _, err := c.Orgs.SetDisclosure(ctx, "acme", "secret"); return err },
		"domain method":  func() error { _, err := c.Orgs.StartDomainChallenge(ctx, "acme", "acme.example", "smtp"); return err },
		"domain blank":   func() error { _, err := c.Orgs.StartDomainChallenge(ctx, "acme", "", colony.OrgDomainDNS); return err },
		"resource blank": func() error { _, err := c.Orgs.AddResource(ctx, "acme", &colony.OrgResourceParams{}); return err },
		"grant no scope": func() error {
			_, err := c.Orgs.AddDelegationGrant(ctx, "acme", &colony.OrgGrantParams{Resource: "https://r.example"})
			return err
		},
		"grant ttl": func() error {
			_, err := c.Orgs.AddDelegationGrant(ctx, "acme", &colony.OrgGrantParams{Resource: "r", Scopes: []string{"read"}, MaxTTLSeconds: colony.Ptr(0)})
			return err
		},
		"members limit": func() error { _, err := c.Orgs.Members(ctx, "acme", &colony.OrgMembersParams{Limit: 101}); return err },
		"transfer":      func() error { _, err := c.Orgs.TransferOwnership(ctx, "acme", ""); return err },
		"operated":      func() error { _, err := c.Orgs.AddOperatedAgent(ctx, "acme", " "); return err },
		"subscribe":     func() error { _, err := c.Premium.Subscribe(ctx, "weekly"); return err },
		"invoice":       func() error { _, err := c.Premium.Invoice(ctx, ""); return err },
	} {
		assert.ErrorIs(t, call(), colony.ErrInvalidArgument, name)
	}
	env.none()
}

func TestOrgsInvitationFlow(t *testing.T) {
	env := newSocialEnv(t)
	_, owner := env.agentClient("owner", colonytest.WithKarma(50))
	bob, cb := env.agentClient("bob")
	ctx := context.Background()
	_, err := owner.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Acme", Slug: "acme"})
	require.NoError(t, err)
	env.reset()

	res, err := owner.Orgs.Invite(ctx, "acme", "bob", colony.OrgRoleAdmin)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/orgs/acme/invitations", Body: `{"username":"bob","role":"admin"}`})
	assert.Equal(t, "invited", res["status"])

	env.reset()
	pending, err := owner.Orgs.PendingInvitations(ctx, "acme")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/orgs/acme/invitations"})
	require.Len(t, pending, 1)
	assert.Equal(t, bob.ID, pending[0].UserID)
	assert.Equal(t, colony.OrgRoleAdmin, pending[0].Role)
	assert.NotEmpty(t, pending[0].InvitationID)

	env.reset()
	invs, err := cb.Orgs.Invitations(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/orgs/invitations"})
	require.Len(t, invs, 1)
	assert.Equal(t, colony.OrgInvitation{InvitationID: pending[0].InvitationID, Slug: "acme", Name: "Acme", Role: colony.OrgRoleAdmin,
		DisclosureMode: colony.OrgDisclosurePublic}, invs[0])
	var seen []string
	for inv, err := range cb.Orgs.InvitationsIter(ctx) {
		require.NoError(t, err)
		seen = append(seen, inv.Slug)
	}
	assert.Equal(t, []string{"acme"}, seen)

	_, err = owner.Orgs.AcceptInvitation(ctx, invs[0].InvitationID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "only the invitee may answer")

	env.reset()
	m, err := cb.Orgs.AcceptInvitation(ctx, invs[0].InvitationID)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/orgs/invitations/" + invs[0].InvitationID + "/accept"})
	assert.Equal(t, colony.OrgRoleAdmin, m.Role)
	assert.Equal(t, "acme", m.Slug)

	// a second invitation, declined
	_, carol := env.agentClient("carol")
	_, err = owner.Orgs.Invite(ctx, "acme", "carol", "")
	require.NoError(t, err)
	assert.JSONEq(t, `{"username":"carol"}`, string(env.srv.Requests()[len(env.srv.Requests())-1].Body), "no role sends none")
	invs, err = carol.Orgs.Invitations(ctx)
	require.NoError(t, err)
	require.Len(t, invs, 1)
	assert.Equal(t, colony.OrgRoleMember, invs[0].Role, "the server's default role")
	env.reset()
	d, err := carol.Orgs.DeclineInvitation(ctx, invs[0].InvitationID)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/orgs/invitations/" + invs[0].InvitationID + "/decline"})
	assert.Equal(t, "declined", d["status"])
	list, err := carol.Orgs.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)

	_, err = owner.Orgs.Invite(ctx, "acme", "bob", "")
	assert.ErrorIs(t, err, colony.ErrConflict, "already a member")
	_, err = owner.Orgs.Invite(ctx, "acme", "nobody", "")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestOrgsMembersRolesAndOwnership(t *testing.T) {
	e := newOrgEnv(t)
	ctx := context.Background()

	members, err := e.cMember.Orgs.Members(ctx, "acme", nil)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/acme/members"})
	require.Len(t, members, 3)
	assert.Equal(t, []string{"owner", "admin", "member"}, []string{members[0].Username, members[1].Username, members[2].Username})
	assert.Equal(t, colony.OrgRoleOwner, members[0].Role)
	assert.True(t, members[2].MemberVisible)
	assert.False(t, members[2].JoinedAt.IsZero())

	e.reset()
	res, err := e.cMember.Orgs.SetVisibility(ctx, "acme", false)
	require.NoError(t, err)
	e.only(wire{Method: "PUT", Path: "/orgs/acme/visibility", Body: `{"visible":false}`})
	assert.Equal(t, false, res["member_visible"])
	outside, err := e.cOutsider.Orgs.Members(ctx, "acme", nil)
	require.NoError(t, err)
	assert.Len(t, outside, 2, "outsiders do not see a member who hid")

	e.reset()
	res, err = e.cAdmin.Orgs.SetMemberRole(ctx, "acme", e.member.ID, colony.OrgRoleAdmin)
	require.NoError(t, err)
	e.only(wire{Method: "PUT", Path: "/orgs/acme/members/" + e.member.ID + "/role", Body: `{"role":"admin"}`})
	assert.Equal(t, "admin", res["role"])
	_, err = e.cAdmin.Orgs.SetMemberRole(ctx, "acme", e.owner.ID, colony.OrgRoleMember)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the owner's role moves only by transfer")

	e.reset()
	res, err = e.cOwner.Orgs.TransferOwnership(ctx, "acme", e.admin.ID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/transfer", Body: fmt.Sprintf(`{"user_id":%q}`, e.admin.ID)})
	assert.Equal(t, e.admin.ID, res["owner_id"])
	_, err = e.cOwner.Orgs.TransferOwnership(ctx, "acme", e.owner.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the former owner is an admin now")

	e.reset()
	res, err = e.cOwner.Orgs.RemoveMember(ctx, "acme", e.member.ID)
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/orgs/acme/members/" + e.member.ID})
	assert.Equal(t, "removed", res["status"])
	_, err = e.cOwner.Orgs.RemoveMember(ctx, "acme", e.admin.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the owner cannot be removed")

	_, err = e.cAdmin.Orgs.Leave(ctx, "acme")
	assert.ErrorIs(t, err, colony.ErrConflict, "the owner cannot leave")
	e.reset()
	left, err := e.cOwner.Orgs.Leave(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/leave"})
	assert.Equal(t, colony.OrgLeaveResult{Slug: "acme", Left: true}, *left)
}

// TestOrgsPermissions runs every role-gated operation as each role.
func TestOrgsPermissions(t *testing.T) {
	e := newOrgEnv(t)
	ctx := context.Background()
	clients := map[string]*colony.Client{"owner": e.cOwner, "admin": e.cAdmin, "member": e.cMember, "outsider": e.cOutsider}
	ops := []struct {
		name    string
		allowed []string
		call    func(c *colony.Client) error
	}{
		{"pending invitations", []string{"owner", "admin"}, func(c *colony.Client) error { _, err := c.Orgs.PendingInvitations(ctx, "acme"); return err }},
		{"disclosure", []string{"owner", "admin"}, func(c *colony.Client) error {
			_, err := c.Orgs.SetDisclosure(ctx, "acme", colony.OrgDisclosurePublic)
			return err
		}},
		{"resources", []string{"owner", "admin", "member"}, func(c *colony.Client) error { _, err := c.Orgs.Resources(ctx, "acme"); return err }},
		{"add resource", []string{"owner", "admin"}, func(c *colony.Client) error {
			_, err := c.Orgs.AddResource(ctx, "acme", &colony.OrgResourceParams{Identifier: "https://api.example"})
			return err
		}},
		{"grants", []string{"owner", "admin", "member"}, func(c *colony.Client) error { _, err := c.Orgs.DelegationGrants(ctx, "acme"); return err }},
		{"domain challenges", []string{"owner", "admin", "member"}, func(c *colony.Client) error { _, err := c.Orgs.DomainChallenges(ctx, "acme"); return err }},
		{"deletion status", []string{"owner"}, func(c *colony.Client) error { _, err := c.Orgs.DeletionStatus(ctx, "acme"); return err }},
		{"visibility", []string{"owner", "admin", "member"}, func(c *colony.Client) error { _, err := c.Orgs.SetVisibility(ctx, "acme", true); return err }},
		{"public view", []string{"owner", "admin", "member", "outsider"}, func(c *colony.Client) error { _, err := c.Orgs.Get(ctx, "acme"); return err }},
	}
	for _, op := range ops {
		for role, c := range clients {
			err := op.call(c)
			if contains(op.allowed, role) {
				assert.NoError(t, err, "%s as %s", op.name, role)
			} else {
				assert.ErrorIs(t, err, colony.ErrForbidden, "%s as %s", op.name, role)
			}
		}
	}
	_, err := e.cOwner.Orgs.Get(ctx, "no-such-org")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func TestOrgsRenameDisclosureAndOperatedAgents(t *testing.T) {
	e := newOrgEnv(t)
	ctx := context.Background()

	res, err := e.cOwner.Orgs.SetDisclosure(ctx, "acme", colony.OrgDisclosureOpaque)
	require.NoError(t, err)
	e.only(wire{Method: "PUT", Path: "/orgs/acme/disclosure", Body: `{"mode":"opaque"}`})
	assert.Equal(t, "opaque", res["disclosure_mode"])
	o, err := e.cOutsider.Orgs.Get(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, colony.OrgDisclosureOpaque, o.DisclosureMode)
	assert.Zero(t, o.MemberCount, "an opaque organisation withholds its member count")

	e.reset()
	res, err = e.cAdmin.Orgs.Rename(ctx, "acme", "acme-two")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/rename", Body: `{"new_slug":"acme-two"}`})
	assert.Equal(t, "acme-two", res["slug"])
	_, err = e.cOwner.Orgs.Get(ctx, "acme")
	assert.ErrorIs(t, err, colony.ErrNotFound, "the old slug is not an alias")

	e.srv.SetOperator("owner", "op-1")
	e.srv.NewAgent("helper-bot")
	e.srv.SetOperator("helper-bot", "op-1")
	e.srv.NewAgent("stranger")
	e.reset()
	res, err = e.cOwner.Orgs.AddOperatedAgent(ctx, "acme-two", "helper-bot")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme-two/operated-agents", Body: `{"username":"helper-bot"}`})
	assert.Equal(t, "added", res["status"])
	_, err = e.cOwner.Orgs.AddOperatedAgent(ctx, "acme-two", "stranger")
	assert.ErrorIs(t, err, colony.ErrForbidden, "another operator's agent needs an invitation")

	e.reset()
	rec, err := e.cMember.Orgs.DisclosureRecipients(ctx)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/disclosure-recipients"})
	assert.Empty(t, rec)
}

func TestOrgsDomainResourcesGrantsDeletion(t *testing.T) {
	e := newOrgEnv(t)
	ctx := context.Background()

	ch, err := e.cAdmin.Orgs.StartDomainChallenge(ctx, "acme", "acme.example", colony.OrgDomainDNS)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/domain", Body: `{"domain":"acme.example","method":"dns"}`})
	assert.Equal(t, "pending", ch["status"])
	assert.NotEmpty(t, ch["token"])

	e.reset()
	v, err := e.cAdmin.Orgs.VerifyDomain(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/domain/verify"})
	assert.Equal(t, false, v["verified"], "the token is not published yet")
	e.srv.MarkOrgDomainPublished("acme", "acme.example")
	v, err = e.cAdmin.Orgs.VerifyDomain(ctx, "acme")
	require.NoError(t, err)
	assert.Equal(t, true, v["verified"])
	e.reset()
	chs, err := e.cMember.Orgs.DomainChallenges(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/acme/domain"})
	require.Len(t, chs, 1)
	assert.Equal(t, "verified", chs[0].Status)
	assert.Equal(t, colony.OrgDomainDNS, chs[0].Method)
	require.NotNil(t, chs[0].VerifiedAt)
	o, err := e.cOutsider.Orgs.Get(ctx, "acme")
	require.NoError(t, err)
	require.NotNil(t, o.VerifiedDomain)
	assert.Equal(t, "acme.example", *o.VerifiedDomain)

	e.reset()
	r, err := e.cOwner.Orgs.AddResource(ctx, "acme", &colony.OrgResourceParams{Identifier: "https://api.acme.example", Label: "API"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/resources", Body: `{"identifier":"https://api.acme.example","label":"API"}`})
	assert.Equal(t, "https://api.acme.example", r.Identifier)
	require.NotNil(t, r.Label)
	assert.Equal(t, "API", *r.Label)
	e.reset()
	rs, err := e.cMember.Orgs.Resources(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/acme/resources"})
	assert.Equal(t, []colony.OrgResource{*r}, rs)
	e.reset()
	_, err = e.cOwner.Orgs.RemoveResource(ctx, "acme", r.ID)
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/orgs/acme/resources/" + r.ID})
	_, err = e.cOwner.Orgs.RemoveResource(ctx, "acme", r.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound)

	e.reset()
	g, err := e.cOwner.Orgs.AddDelegationGrant(ctx, "acme", &colony.OrgGrantParams{Resource: "https://api.acme.example", Scopes: []string{"read", "write"}})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/delegation-grants", Body: `{"resource":"https://api.acme.example","scopes":["read","write"]}`})
	assert.Equal(t, colony.OrgRoleMember, g.MinRole, "the server's default")
	assert.Nil(t, g.MaxTTLSeconds, "an omitted limit stays unset")
	assert.True(t, g.IsActive)
	g2, err := e.cOwner.Orgs.AddDelegationGrant(ctx, "acme", &colony.OrgGrantParams{Resource: "r2", Scopes: []string{"read"},
		MinRole: colony.OrgRoleAdmin, MaxTTLSeconds: colony.Ptr(600)})
	require.NoError(t, err)
	assert.Equal(t, 600, *g2.MaxTTLSeconds)
	e.reset()
	gs, err := e.cMember.Orgs.DelegationGrants(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/acme/delegation-grants"})
	assert.Len(t, gs, 2)
	e.reset()
	_, err = e.cOwner.Orgs.RemoveDelegationGrant(ctx, "acme", g.ID)
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/orgs/acme/delegation-grants/" + g.ID})

	e.reset()
	d, err := e.cOwner.Orgs.RequestDeletion(ctx, "acme", "")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/orgs/acme/deletion", Body: `{}`})
	assert.Equal(t, true, d["pending"])
	_, err = e.cOwner.Orgs.RequestDeletion(ctx, "acme", "closing down")
	require.NoError(t, err)
	e.reset()
	d, err = e.cOwner.Orgs.DeletionStatus(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/orgs/acme/deletion"})
	assert.Equal(t, true, d["pending"])
	assert.NotEmpty(t, d["scheduled_for"])
	e.reset()
	d, err = e.cOwner.Orgs.CancelDeletion(ctx, "acme")
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/orgs/acme/deletion"})
	assert.Equal(t, false, d["pending"])
	_, err = e.cOwner.Orgs.CancelDeletion(ctx, "acme")
	assert.ErrorIs(t, err, colony.ErrConflict, "nothing left to cancel")
}

func TestOrgsMembersIter(t *testing.T) {
	e := newOrgEnv(t)
	ctx := context.Background()
	for i := range 4 {
		name := fmt.Sprintf("extra%d", i)
		_, c := e.agentClient(name)
		_, err := e.cOwner.Orgs.Invite(ctx, "acme", name, "")
		require.NoError(t, err)
		invs, err := c.Orgs.Invitations(ctx)
		require.NoError(t, err)
		_, err = c.Orgs.AcceptInvitation(ctx, invs[0].InvitationID)
		require.NoError(t, err)
	}
	e.reset()
	var names []string
	for m, err := range e.cMember.Orgs.MembersIter(ctx, "acme", &colony.OrgMembersParams{Limit: 2}) {
		require.NoError(t, err)
		names = append(names, m.Username)
	}
	assert.Equal(t, []string{"owner", "admin", "member", "extra0", "extra1", "extra2", "extra3"}, names)
	calls := e.calls()
	require.Len(t, calls, 4, "7 members in pages of 2: the fourth page is short")
	for i, r := range calls {
		want := url.Values{"limit": {"2"}}
		if i > 0 {
			want.Set("offset", fmt.Sprint(2*i))
		}
		assert.Equal(t, want.Encode(), r.RawQuery)
	}

	e.reset()
	for range e.cMember.Orgs.MembersIter(ctx, "acme", &colony.OrgMembersParams{Limit: 2}) {
		break
	}
	assert.Len(t, e.calls(), 1, "breaking out sends nothing more")

	var hits atomic.Int64
	srv := colony.NewEdgeServer(t, "tok", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`[{"user_id":"u1","username":"a"},{"user_id":"u2","username":"b"}]`))
	}))
	c, err := colony.NewClient("col_stalled_key", colony.WithBaseURL(srv.URL+"/api/v1"))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	var last error
	for _, err := range c.Orgs.MembersIter(ctx, "acme", &colony.OrgMembersParams{Limit: 2}) {
		last = err
	}
	assert.ErrorIs(t, last, colony.ErrPageStalled)
	assert.EqualValues(t, 2, hits.Load())
}

func TestPremium(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()

	_, err := c.Premium.Status(ctx)
	require.ErrorIs(t, err, colony.ErrNotFound, "the programme is off by default, as live")
	env.srv.EnablePremium(true)

	env.reset()
	pricing, err := c.Premium.Pricing(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/premium/pricing"})
	assert.True(t, pricing.ProgramEnabled)
	require.Len(t, pricing.Plans, 2)
	assert.Equal(t, colony.PremiumMonthly, pricing.Plans[0].Period)
	assert.Equal(t, 30, pricing.Plans[0].PeriodDays)
	require.NotNil(t, pricing.Plans[0].PriceSats)

	env.reset()
	st, err := c.Premium.Status(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/premium/status"})
	assert.Equal(t, colony.PremiumStatus{}, *st)

	env.reset()
	inv, err := c.Premium.Subscribe(ctx, "")
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/premium/subscribe", Body: `{"period":"monthly"}`})
	assert.Equal(t, "pending", inv.Status)
	assert.Equal(t, colony.PremiumMonthly, inv.Period)
	assert.NotEmpty(t, inv.PaymentRequest)
	assert.Positive(t, inv.AmountSats)

	require.True(t, env.srv.PayPremiumInvoice(inv.PaymentHash))
	env.reset()
	paid, err := c.Premium.Invoice(ctx, inv.PaymentHash)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/premium/invoice/" + inv.PaymentHash})
	assert.Equal(t, "active", paid.Status)

	env.reset()
	st, err = c.Premium.SetAutoRenew(ctx, true)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/premium/auto-renew", Body: `{"enabled":true}`})
	assert.True(t, st.IsPremium)
	assert.True(t, st.AutoRenew)
	require.NotNil(t, st.CurrentPeriod)
	assert.Equal(t, colony.PremiumMonthly, *st.CurrentPeriod)
	require.NotNil(t, st.PremiumUntil)

	annual, err := c.Premium.Subscribe(ctx, colony.PremiumAnnual)
	require.NoError(t, err)
	env.reset()
	hist, err := c.Premium.History(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/premium/history"})
	require.Len(t, hist, 2)
	assert.Equal(t, annual.MembershipID, hist[0].ID, "newest first")
	assert.Equal(t, "pending", hist[0].Status)
	assert.Equal(t, "active", hist[1].Status)
	require.NotNil(t, hist[1].PaidAt)
	n := 0
	for range c.Premium.HistoryIter(ctx) {
		n++
	}
	assert.Equal(t, 2, n)

	_, bob := env.agentClient("bob")
	_, err = bob.Premium.Invoice(ctx, inv.PaymentHash)
	assert.ErrorIs(t, err, colony.ErrNotFound, "someone else's invoice")
}
