package colonytest

import (
	"net/http"
	"regexp"
	"strings"
	"time"
)

var colonySlugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$`)

// minKarmaCreateColony is the karma colonytest requires to create a colony (the live value is not documented).
const minKarmaCreateColony = 10

// modColonyOut renders a colony with its moderation settings (ColonyOut / ColonyUpdateOut).
func (s *Server) modColonyOut(mc *modColony) map[string]any {
	out := map[string]any{}
	base := s.colonyOut(mc.col)
	out["id"], out["name"], out["display_name"], out["description"] = base.ID, base.Name, base.DisplayName, base.Description
	out["member_count"], out["is_default"], out["rss_url"], out["created_at"] = base.MemberCount, base.IsDefault, base.RSSURL, base.CreatedAt
	out["community_type"] = mc.communityType
	var creator *string
	if mc.founder != nil {
		creator = &mc.founder.id
	}
	out["creator_id"] = creator
	for k, v := range mc.settings {
		out[k] = v
	}
	out["requires_post_approval"] = mc.requireApprove
	out["strike_threshold"] = mc.strikeLimit
	out["strike_action"] = mc.strikeAction
	out["user_flair_enabled"] = mc.userFlairOn
	return out
}

func (s *Server) handleCreateColony(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	name, _ := f.str("name", true, 3, 50)
	display, _ := f.str("display_name", true, 1, 100)
	desc, _ := f.str("description", false, 0, 1000)
	ctype := "public"
	if v, ok := f.str("community_type", false, 0, 0); ok {
		if !oneOf(v, []string{"public", "restricted", "private"}) {
			f.errs = append(f.errs, errEnum(bodyLoc("community_type"), v, []string{"public", "restricted", "private"}))
		}
		ctype = v
	}
	if name != "" && !colonySlugRE.MatchString(name) {
		f.errs = append(f.errs, errValue(bodyLoc("name"), name, "name must be lower-case letters, digits and hyphens"))
	}
	if strings.TrimSpace(display) == "" && f.has("display_name") && len(f.errs) == 0 {
		f.errs = append(f.errs, errTooShort(bodyLoc("display_name"), display, 1))
	}
	if !c.valid(f.errs) {
		return
	}
	if c.me.karma < minKarmaCreateColony {
		c.coded(http.StatusForbidden, codeKarmaTooLow, "Creating a colony needs at least 10 karma")
		return
	}
	if s.st.colonyNm[name] != nil {
		c.coded(http.StatusConflict, codeConflict, "A colony with this name already exists")
		return
	}
	col := &colony{id: newUUID(), name: name, displayName: display, description: desc, createdAt: c.now}
	s.st.colonies = append(s.st.colonies, col)
	s.st.colonyID[col.id] = col
	s.st.colonyNm[col.name] = col
	mc := s.modColonyOf(col, true)
	mc.founder, mc.communityType = c.me, ctype
	mc.addMember(c.me, c.now)
	c.json(http.StatusCreated, s.modColonyOut(mc))
}

func (s *Server) modInviteOut(inv *modInvite, now time.Time) map[string]any {
	status := inv.status
	if status == "pending" && !now.Before(inv.expires) {
		status = "expired"
	}
	perms := inv.perms
	if perms == nil {
		perms = []string{}
	}
	return map[string]any{"invite_id": inv.id, "colony_id": inv.colony.col.id, "invitee_id": inv.invitee.id,
		"invited_by": inv.by.id, "role_offered": inv.role, "permissions": perms, "status": status,
		"expires_at": ts(inv.expires), "created_at": ts(inv.at), "responded_at": tsPtr(inv.responded)}
}

func (s *Server) handleMyModInvites(c *call) {
	out := []map[string]any{}
	for _, inv := range s.st.moderation.inviteSeq {
		if inv.invitee == c.me && inv.status == "pending" && c.now.Before(inv.expires) {
			out = append(out, s.modInviteOut(inv, c.now))
		}
	}
	c.ok(map[string]any{"invites": out})
}

// lookupInvite resolves {invite_id}; a foreign colony's invite is not found.
func (s *Server) lookupInvite(c *call, mc *modColony) *modInvite {
	id, ok := c.pathUUID("invite_id")
	if !ok {
		return nil
	}
	inv := s.st.moderation.invites[id]
	if inv == nil || (mc != nil && inv.colony != mc) {
		c.notFound("Invite")
		return nil
	}
	return inv
}

func (s *Server) answerInvite(accept bool) func(*call) {
	return func(c *call) {
		inv := s.lookupInvite(c, nil)
		switch {
		case inv == nil:
		case inv.invitee != c.me:
			c.notFound("Invite")
		case inv.status != "pending" || !c.now.Before(inv.expires):
			c.coded(http.StatusConflict, codeConflict, "This invite is no longer pending")
		default:
			at := c.now
			inv.responded = &at
			inv.status = "declined"
			if accept {
				inv.status = "accepted"
				mc := inv.colony
				mc.addMember(c.me, c.now)
				if mc.founder != c.me {
					mc.roles[c.me.id] = inv.role
					mc.perms[c.me.id] = inv.perms
				}
				s.logMod(mc, c, "mod_invite_accepted", c.me, nil, "")
			}
			c.ok(s.modInviteOut(inv, c.now))
		}
	}
}

func (s *Server) handleColonyModInvites(c *call) {
	mc := s.managerOnly(c)
	if mc == nil {
		return
	}
	out := []map[string]any{}
	for _, inv := range s.st.moderation.inviteSeq {
		if inv.colony == mc && inv.status == "pending" && c.now.Before(inv.expires) {
			out = append(out, s.modInviteOut(inv, c.now))
		}
	}
	c.ok(map[string]any{"invites": out})
}

// managerOnly is modOnly for the routes that manage moderators (founder and admins).
func (s *Server) managerOnly(c *call) *modColony {
	mc := s.modOnly(c)
	if mc != nil && !mc.isManager(c.me) {
		c.detail(http.StatusForbidden, "Only the colony founder or an admin can manage moderators")
		return nil
	}
	return mc
}

func (s *Server) handleInviteModerator(c *call) {
	mc := s.managerOnly(c)
	if mc == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	name, _ := f.str("invitee_username", true, 1, 0)
	role := roleModerator
	if v, ok := f.str("role_offered", false, 0, 0); ok {
		if !oneOf(v, []string{roleModerator, roleAdmin}) {
			f.errs = append(f.errs, errEnum(bodyLoc("role_offered"), v, []string{roleModerator, roleAdmin}))
		}
		role = v
	}
	perms := defaultModPerms
	if list, ok := f.strList("permissions", false); ok {
		perms = list
	}
	if !c.valid(f.errs) {
		return
	}
	invitee := s.st.userByName(name)
	switch {
	case invitee == nil:
		c.notFound("User")
		return
	case role == roleAdmin && mc.founder != c.me:
		c.detail(http.StatusForbidden, "Only the colony founder can offer the admin role")
		return
	case mc.isMod(invitee):
		c.coded(http.StatusConflict, codeConflict, "This user is already a moderator")
		return
	case mc.bans[invitee.id].active(c.now):
		c.detail(http.StatusBadRequest, "This user is banned from the colony")
		return
	}
	for _, inv := range s.st.moderation.inviteSeq {
		if inv.colony == mc && inv.invitee == invitee && inv.status == "pending" && c.now.Before(inv.expires) {
			c.coded(http.StatusConflict, codeConflict, "This user already has a pending invite")
			return
		}
	}
	inv := &modInvite{id: newUUID(), colony: mc, invitee: invitee, by: c.me, role: role, status: "pending",
		perms: append([]string{}, perms...), at: c.now, expires: c.now.Add(7 * 24 * time.Hour)}
	s.st.moderation.invites[inv.id] = inv
	s.st.moderation.inviteSeq = append(s.st.moderation.inviteSeq, inv)
	s.tellUser(invitee, c, "colony_mod_invited", "You were invited to moderate "+mc.col.name, map[string]any{"colony": mc.col.name})
	c.json(http.StatusCreated, s.modInviteOut(inv, c.now))
}

func (s *Server) handleRevokeModInvite(c *call) {
	mc := s.managerOnly(c)
	if mc == nil {
		return
	}
	inv := s.lookupInvite(c, mc)
	switch {
	case inv == nil:
	case inv.status != "pending" || !c.now.Before(inv.expires):
		c.coded(http.StatusConflict, codeConflict, "This invite is no longer pending")
	default:
		at := c.now
		inv.status, inv.responded = "revoked", &at
		c.ok(s.modInviteOut(inv, c.now))
	}
}

func (s *Server) handleMovePostOut(c *call) {
	mc, id := s.modPathID(c, "post_id")
	if id == "" {
		return
	}
	p := s.st.posts[id]
	general := s.st.colonyNm["general"]
	switch {
	case p == nil || p.colony != mc.col:
		c.notFound("Post")
	case mc.col == general:
		c.detail(http.StatusBadRequest, "This post is already in general")
	case mc.communityType == "private":
		c.detail(http.StatusBadRequest, "Posts cannot be moved out of a private colony")
	default:
		from := p.colony
		p.colony = general
		s.logMod(mc, c, "move_out", p.author, nil, p.id)
		s.notify(p.author, notification{kind: "post_moved", message: "Your post was moved to general", actor: c.me, postID: p.id}, c.now)
		c.ok(map[string]any{"post_id": p.id, "from_colony_id": from.id, "to_colony_id": general.id, "moved": true})
	}
}
