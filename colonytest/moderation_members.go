package colonytest

import (
	"net/http"
	"sort"
	"time"
)

// banDurations is the closed set of temporary ban lengths (days) the live server accepts.
var banDurations = map[int]bool{1: true, 7: true, 30: true}

const msgBanDuration = "duration_days must be one of (1, 7, 30) or null"

// guardTarget answers, and reports false, when the caller may not act on u: the founder is protected (with
// founderStatus) and only managers act on admins.
func guardTarget(c *call, mc *modColony, u *user, verb string, founderStatus int) bool {
	switch {
	case mc.founder == u:
		c.detail(founderStatus, "The colony founder cannot be "+verb)
	case mc.roles[u.id] == roleAdmin && !mc.isManager(c.me):
		c.detail(http.StatusForbidden, "Only the founder or an admin can act on an admin")
	default:
		return true
	}
	return false
}

// modTarget is modOnly plus the {user_id} lookup.
func (s *Server) modTarget(c *call) (*modColony, *user) {
	mc := s.modOnly(c)
	if mc == nil {
		return nil, nil
	}
	u := s.lookupUser(c)
	if u == nil {
		return nil, nil
	}
	return mc, u
}

// banUser bans target from the colony for days (0 = permanent) and removes their membership.
func (s *Server) banUser(mc *modColony, c *call, target *user, days int, reason *string) *colonyBan {
	b := &colonyBan{target: target, by: c.me, reason: reason, at: c.now}
	if days > 0 {
		exp := c.now.Add(time.Duration(days) * 24 * time.Hour)
		b.expires = &exp
	}
	mc.bans[target.id] = b
	mc.removeMember(target)
	s.logMod(mc, c, "ban", target, reason, "")
	s.tellUser(target, c, "colony_banned", "You were banned from "+mc.col.name,
		map[string]any{"colony": mc.col.name, "colony_id": mc.col.id, "expires_at": tsPtr(b.expires)})
	return b
}

func (s *Server) handleBan(c *call) {
	mc, target := s.modTarget(c)
	if target == nil {
		return
	}
	f, ok := c.form(false)
	if !ok {
		return
	}
	days := 0
	if v, ok := f.integer("duration_days", false); ok {
		days = v
	}
	var reason *string
	if v, ok := f.str("reason", false, 0, 2000); ok {
		reason = &v
	}
	if !c.valid(f.errs) {
		return
	}
	switch {
	case f.has("duration_days") && !banDurations[days]:
		c.detail(http.StatusBadRequest, msgBanDuration)
	case target == c.me:
		c.detail(http.StatusBadRequest, "You cannot ban yourself")
	case !guardTarget(c, mc, target, "banned", http.StatusForbidden):
	default:
		b := s.banUser(mc, c, target, days, reason)
		c.ok(map[string]any{"status": "banned", "expires_at": tsPtr(b.expires)})
	}
}

func (s *Server) handleUnban(c *call) {
	mc, target := s.modTarget(c)
	if target == nil {
		return
	}
	b := mc.bans[target.id]
	if !b.active(c.now) {
		c.notFound("Ban")
		return
	}
	b.lifted = true
	s.logMod(mc, c, "unban", target, nil, "")
	s.tellUser(target, c, "colony_unbanned", "Your ban from "+mc.col.name+" was lifted", map[string]any{"colony": mc.col.name, "colony_id": mc.col.id})
	c.noContent()
}

// colonyPage reads limit (1-500, default 100) and offset and returns the bounds into a list of n.
func colonyPage(c *call, q *query, n int) (lo, hi int, ok bool) {
	limit := q.integer("limit", 100, 1, 500)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return 0, 0, false
	}
	lo, hi = min(offset, n), min(offset+limit, n)
	return lo, hi, true
}

func (s *Server) handleListBans(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	bans := make([]*colonyBan, 0, len(mc.bans))
	for _, b := range mc.bans {
		if !b.lifted {
			bans = append(bans, b)
		}
	}
	sort.Slice(bans, func(i, j int) bool {
		if !bans[i].at.Equal(bans[j].at) {
			return bans[i].at.After(bans[j].at)
		}
		return bans[i].target.username < bans[j].target.username
	})
	lo, hi, ok := colonyPage(c, c.query(), len(bans))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, b := range bans[lo:hi] {
		out = append(out, map[string]any{"user_id": b.target.id, "username": b.target.username, "display_name": b.target.displayName,
			"reason": b.reason, "banned_at": ts(b.at), "expires_at": tsPtr(b.expires), "is_active": b.active(c.now)})
	}
	c.ok(out)
}

func banInfoOut(b *colonyBan) map[string]any {
	if b == nil {
		return nil
	}
	return map[string]any{"reason": b.reason, "created_at": ts(b.at), "banned_at": ts(b.at), "expires_at": tsPtr(b.expires)}
}

func appealInfoOut(a *banAppeal) map[string]any {
	return map[string]any{"appeal_id": a.id, "status": a.status, "created_at": ts(a.at), "resolution_note": a.note,
		"resolved_at": tsPtr(a.resolved)}
}

func (s *Server) handleMyBanStatus(c *call) {
	mc := s.modLookup(c)
	if mc == nil {
		return
	}
	b := mc.bans[c.me.id]
	out := map[string]any{"banned": b.active(c.now), "ban": nil, "appeal": nil}
	if b.active(c.now) {
		out["ban"] = banInfoOut(b)
	}
	for i := len(mc.appeals) - 1; i >= 0; i-- {
		if mc.appeals[i].user == c.me {
			out["appeal"] = appealInfoOut(mc.appeals[i])
			break
		}
	}
	c.ok(out)
}

func (s *Server) handleSubmitAppeal(c *call) {
	mc := s.modLookup(c)
	if mc == nil {
		return
	}
	body, ok := textField(c, "body", 1, 2000)
	if !ok {
		return
	}
	b := mc.bans[c.me.id]
	if !b.active(c.now) {
		c.notFound("Active ban")
		return
	}
	for _, a := range mc.appeals {
		if a.user == c.me && a.status == "pending" {
			c.coded(http.StatusConflict, codeConflict, "You already have a pending appeal in this colony")
			return
		}
	}
	a := &banAppeal{id: newUUID(), body: body, status: "pending", colony: mc, user: c.me, ban: b, at: c.now}
	mc.appeals = append(mc.appeals, a)
	s.st.moderation.appeals[a.id] = a
	for _, m := range mc.mods(s.st) {
		s.tellUser(m, c, "ban_appeal_filed", c.me.username+" appealed their ban from "+mc.col.name,
			map[string]any{"colony": mc.col.name, "appeal_id": a.id})
	}
	c.json(http.StatusCreated, map[string]any{"appeal_id": a.id, "status": a.status, "created_at": ts(a.at)})
}

func (s *Server) handleListAppeals(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	out := []map[string]any{}
	for _, a := range mc.appeals {
		if a.status == "pending" {
			out = append(out, map[string]any{"appeal_id": a.id, "target_user_id": a.user.id, "target_username": a.user.username,
				"body": a.body, "created_at": ts(a.at), "ban": banInfoOut(a.ban)})
		}
	}
	c.ok(map[string]any{"appeals": out})
}

func (s *Server) handleResolveAppeal(c *call) {
	mc, id := s.modPathID(c, "appeal_id")
	if id == "" {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	accept, _ := f.boolean("accept", true)
	var note *string
	if v, ok := f.str("note", false, 0, 1000); ok {
		note = &v
	}
	if !c.valid(f.errs) {
		return
	}
	a := s.st.moderation.appeals[id]
	switch {
	case a == nil || a.colony != mc:
		c.notFound("Appeal")
		return
	case a.status != "pending":
		c.coded(http.StatusConflict, codeConflict, "This appeal is already resolved")
		return
	}
	at := c.now
	a.resolved, a.note, a.status = &at, note, "rejected"
	unbanned := false
	if accept {
		a.status = "accepted"
		if b := mc.bans[a.user.id]; b.active(c.now) {
			b.lifted, unbanned = true, true
		}
		s.logMod(mc, c, "appeal_accepted", a.user, note, "")
		s.tellUser(a.user, c, "colony_unbanned", "Your appeal in "+mc.col.name+" was accepted", map[string]any{"colony": mc.col.name, "colony_id": mc.col.id})
	} else {
		s.logMod(mc, c, "appeal_rejected", a.user, note, "")
		msg := "Your appeal in " + mc.col.name + " was rejected"
		if note != nil {
			msg += ": " + *note
		}
		s.notify(a.user, notification{kind: "ban_appeal_resolved", message: msg, actor: c.me}, c.now)
	}
	c.ok(map[string]any{"appeal_id": a.id, "status": a.status, "unbanned": unbanned})
}

// members returns the colony's members ordered by join time, then username.
func (s *Server) members(mc *modColony) []*user {
	var out []*user
	for _, u := range s.st.users {
		if u.colonies[mc.col.id] {
			out = append(out, u)
		}
	}
	joined := func(u *user) time.Time {
		if t, ok := mc.joined[u.id]; ok {
			return t
		}
		return mc.col.createdAt
	}
	sort.Slice(out, func(i, j int) bool {
		ti, tj := joined(out[i]), joined(out[j])
		if !ti.Equal(tj) {
			return ti.Before(tj)
		}
		return out[i].username < out[j].username
	})
	return out
}

func (s *Server) memberOut(mc *modColony, u *user) map[string]any {
	joined, ok := mc.joined[u.id]
	if !ok {
		joined = mc.col.createdAt
	}
	return map[string]any{"user_id": u.id, "username": u.username, "display_name": u.displayName, "user_type": u.userType,
		"role": mc.roleOf(u), "joined_at": ts(joined), "is_creator": mc.founder == u, "approved": true}
}

func (s *Server) handleListMembers(c *call) {
	mc := s.modLookup(c)
	if mc == nil {
		return
	}
	q := c.query()
	role := q.enum("role", "", roleMember, roleModerator, roleAdmin)
	pending := q.v.Has("pending") && q.boolean("pending")
	var list []*user
	for _, u := range s.members(mc) {
		if (role == "" || mc.roleOf(u) == role) && !pending {
			list = append(list, u)
		}
	}
	lo, hi, ok := colonyPage(c, q, len(list))
	if !ok {
		return
	}
	out := []map[string]any{}
	for _, u := range list[lo:hi] {
		out = append(out, s.memberOut(mc, u))
	}
	c.ok(out)
}

// modMember is modTarget for routes whose target must be a member.
func (s *Server) modMember(c *call) (*modColony, *user) {
	mc, u := s.modTarget(c)
	if u != nil && !u.colonies[mc.col.id] {
		c.notFound("Member")
		return nil, nil
	}
	return mc, u
}

func (s *Server) handlePromote(c *call) {
	mc, u := s.modMember(c)
	switch {
	case u == nil:
	case mc.roles[u.id] == roleAdmin || mc.founder == u:
		c.detail(http.StatusBadRequest, "This member is an admin and cannot be promoted to moderator")
	default:
		if mc.roles[u.id] != roleModerator {
			mc.roles[u.id] = roleModerator
			mc.perms[u.id] = defaultModPerms
			s.logMod(mc, c, "promote", u, nil, "")
		}
		c.ok(map[string]any{"user_id": u.id, "role": roleModerator})
	}
}

func (s *Server) handleDemote(c *call) {
	mc, u := s.modMember(c)
	switch {
	case u == nil:
	case !guardTarget(c, mc, u, "demoted", http.StatusBadRequest):
	case mc.roles[u.id] == "":
		c.detail(http.StatusBadRequest, "This member is not a moderator")
	case mc.founder == nil && len(mc.roles) == 1:
		c.detail(http.StatusBadRequest, "The colony must keep at least one moderator")
	default:
		delete(mc.roles, u.id)
		delete(mc.perms, u.id)
		s.logMod(mc, c, "demote", u, nil, "")
		c.ok(map[string]any{"user_id": u.id, "role": roleMember})
	}
}

func (s *Server) handleRemoveMember(c *call) {
	mc, u := s.modMember(c)
	switch {
	case u == nil:
	case !guardTarget(c, mc, u, "removed", http.StatusForbidden):
	default:
		mc.removeMember(u)
		s.logMod(mc, c, "remove_member", u, nil, "")
		c.noContent()
	}
}

func (s *Server) handleMemberHistory(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	out := map[string]any{"role": nil, "joined_at": nil, "approved": nil, "active_ban": nil, "counts": map[string]int{},
		"last_action_at": nil, "timeline": []any{}, "recent_notes": []any{}}
	if b := mc.bans[u.id]; b.active(c.now) {
		out["active_ban"] = map[string]any{"reason": b.reason, "expires_at": tsPtr(b.expires), "banned_by": b.by.id, "created_at": ts(b.at)}
	}
	if !u.colonies[mc.col.id] && out["active_ban"] == nil {
		c.ok(out)
		return
	}
	if u.colonies[mc.col.id] {
		m := s.memberOut(mc, u)
		out["role"], out["joined_at"], out["approved"] = m["role"], m["joined_at"], true
	}
	counts := map[string]int{}
	timeline := []map[string]any{}
	for i := len(mc.log) - 1; i >= 0; i-- {
		e := mc.log[i]
		if e.target != u {
			continue
		}
		counts[e.action]++
		if out["last_action_at"] == nil {
			out["last_action_at"] = ts(e.at)
		}
		timeline = append(timeline, map[string]any{"action": e.action, "actor_id": e.actor.id, "created_at": ts(e.at), "at": ts(e.at),
			"reason": e.reason, "target_post_id": optStr(e.postID), "target_comment_id": optStr(e.commentID)})
	}
	notes := []map[string]any{}
	ns := mc.notes[u.id]
	for i := len(ns) - 1; i >= 0 && len(notes) < 5; i-- {
		notes = append(notes, map[string]any{"body": ns[i].body, "author_id": optStr(ns[i].author.id), "created_at": ts(ns[i].at)})
	}
	out["counts"], out["timeline"], out["recent_notes"] = counts, timeline, notes
	c.ok(out)
}

func noteOut(n *memberNote) map[string]any {
	return map[string]any{"id": n.id, "body": n.body, "author": optStr(n.author.username), "created_at": ts(n.at)}
}

func (s *Server) handleListNotes(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	out := []map[string]any{}
	ns := mc.notes[u.id]
	for i := len(ns) - 1; i >= 0; i-- {
		out = append(out, noteOut(ns[i]))
	}
	c.ok(map[string]any{"user_id": u.id, "notes": out})
}

func (s *Server) handleAddNote(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	body, ok := textField(c, "body", 1, 2000)
	if !ok {
		return
	}
	n := &memberNote{id: newUUID(), body: body, author: c.me, at: c.now}
	mc.notes[u.id] = append(mc.notes[u.id][:len(mc.notes[u.id]):len(mc.notes[u.id])], n)
	c.json(http.StatusCreated, noteOut(n))
}

func (s *Server) handleDeleteNote(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	id, ok := c.pathUUID("note_id")
	if !ok {
		return
	}
	ns := mc.notes[u.id]
	for i, n := range ns {
		if n.id == id {
			mc.notes[u.id] = without(ns, i)
			c.noContent()
			return
		}
	}
	c.notFound("Note")
}

func strikeOut(st *strike) map[string]any {
	var by *string
	if st.by != nil {
		by = &st.by.id
	}
	return map[string]any{"strike_id": st.id, "reason": st.reason, "severity": st.severity, "issued_by": by,
		"created_at": ts(st.at), "expires_at": tsPtr(st.expires)}
}

func (mc *modColony) activeStrikes(u *user, now time.Time) int {
	n := 0
	for _, st := range mc.strikes[u.id] {
		if st.expires == nil || now.Before(*st.expires) {
			n++
		}
	}
	return n
}

func (s *Server) handleListStrikes(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	out := []map[string]any{}
	ss := mc.strikes[u.id]
	for i := len(ss) - 1; i >= 0; i-- {
		out = append(out, strikeOut(ss[i]))
	}
	c.ok(map[string]any{"strikes": out, "active_count": mc.activeStrikes(u, c.now), "threshold": mc.strikeLimit,
		"strike_action": mc.strikeAction})
}

// strikeLifetime is how long a strike counts, by severity (invented: the contract does not say).
var strikeLifetime = map[string]time.Duration{"minor": 90 * 24 * time.Hour, "major": 365 * 24 * time.Hour}

func (s *Server) handleIssueStrike(c *call) {
	mc, u := s.modTarget(c)
	if u == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	reason, _ := f.str("reason", true, 1, 1000)
	severity := "minor"
	if v, ok := f.str("severity", false, 0, 0); ok {
		if !oneOf(v, []string{"minor", "major"}) {
			f.errs = append(f.errs, errEnum(bodyLoc("severity"), v, []string{"minor", "major"}))
		}
		severity = v
	}
	if !c.valid(f.errs) {
		return
	}
	if u == c.me || mc.founder == u {
		c.detail(http.StatusBadRequest, "This member cannot receive a strike")
		return
	}
	exp := c.now.Add(strikeLifetime[severity])
	st := &strike{id: newUUID(), reason: reason, severity: severity, by: c.me, at: c.now, expires: &exp}
	mc.strikes[u.id] = append(mc.strikes[u.id][:len(mc.strikes[u.id]):len(mc.strikes[u.id])], st)
	s.logMod(mc, c, "strike", u, &reason, "")
	s.tellUser(u, c, "colony_strike", "You received a strike in "+mc.col.name+": "+reason,
		map[string]any{"colony": mc.col.name, "severity": severity, "reason": reason})
	active := mc.activeStrikes(u, c.now)
	var fired *string
	if active >= mc.strikeLimit {
		action := mc.strikeAction
		fired = &action
		switch action {
		case "ban":
			s.banUser(mc, c, u, 0, &reason)
		case "mute_7d":
			mc.mutedUntil[u.id] = c.now.Add(7 * 24 * time.Hour)
		case "mute_30d":
			mc.mutedUntil[u.id] = c.now.Add(30 * 24 * time.Hour)
		}
	}
	c.ok(map[string]any{"strike": strikeOut(st), "active_count": active, "threshold": mc.strikeLimit, "fired_action": fired})
}

// flairManager resolves the colony and requires the can_manage_flair permission.
func (s *Server) flairManager(c *call) *modColony {
	mc := s.modOnly(c)
	if mc != nil && !mc.hasPerm(c.me, permManageFlair) {
		c.detail(http.StatusForbidden, "You need the can_manage_flair permission")
		return nil
	}
	return mc
}

func (s *Server) handleAssignFlair(c *call) {
	mc := s.flairManager(c)
	if mc == nil {
		return
	}
	u := s.lookupUser(c)
	if u == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	tid, _ := f.uuid("template_id", true)
	if !c.valid(f.errs) {
		return
	}
	var tpl *flair
	for _, fl := range mc.userFlairs {
		if fl.id == tid {
			tpl = fl
		}
	}
	switch {
	case !mc.userFlairOn:
		c.detail(http.StatusBadRequest, "User flair is not enabled in this colony")
	case !u.colonies[mc.col.id]:
		c.notFound("Member")
	case tpl == nil:
		c.notFound("Flair template")
	default:
		mc.assigned[u.id] = tpl
		c.ok(map[string]any{"user_id": u.id, "template_id": tpl.id, "template_label": tpl.label})
	}
}

func (s *Server) handleClearFlair(c *call) {
	mc := s.flairManager(c)
	if mc == nil {
		return
	}
	u := s.lookupUser(c)
	if u == nil {
		return
	}
	delete(mc.assigned, u.id)
	c.ok(map[string]any{"user_id": u.id, "template_id": nil, "template_label": nil})
}
