package colonytest

import (
	"net/http"
	"sort"
	"time"
)

var colonySorts = []string{"new", "hot", "top", "discussed", "shuffle"}

// handleUpdateSettings applies a caller-chosen subset of the colony settings; an explicit null clears a field.
func (s *Server) handleUpdateSettings(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	set := map[string]any{}
	cleared := []string{}
	for _, name := range []string{"rules", "welcome_message", "accent_color", "description"} {
		if r, present := f.m[name]; present && string(r) == "null" {
			cleared = append(cleared, name)
		}
	}
	display, hasDisplay := f.str("display_name", false, 1, 100)
	desc, hasDesc := f.str("description", false, 0, 1000)
	for _, name := range []string{"rules", "welcome_message"} {
		if v, ok := f.str(name, false, 0, 10000); ok {
			set[name] = v
		}
	}
	if v, ok := f.str("accent_color", false, 0, 0); ok {
		if !hexColorRE.MatchString(v) {
			f.errs = append(f.errs, errValue(bodyLoc("accent_color"), v, "accent_color must be #rrggbb"))
		}
		set["accent_color"] = v
	}
	enums := []struct {
		name    string
		allowed []string
	}{{"default_sort", colonySorts}, {"banned_words_action", []string{"quarantine", "reject"}},
		{"strike_action", []string{"mute_7d", "mute_30d", "ban"}}}
	for _, e := range enums {
		if v, ok := f.str(e.name, false, 0, 0); ok {
			if !oneOf(v, e.allowed) {
				f.errs = append(f.errs, errEnum(bodyLoc(e.name), v, e.allowed))
			}
			set[e.name] = v
		}
	}
	for _, name := range []string{"show_rules_banner", "requires_post_approval", "require_flair", "user_flair_enabled"} {
		if v, ok := f.boolean(name, false); ok {
			set[name] = v
		}
	}
	for _, name := range []string{"banned_words", "report_reasons"} {
		if v, ok := f.strList(name, false); ok {
			set[name] = v
		}
	}
	ranges := []struct {
		name   string
		lo, hi int
	}{{"undo_window_seconds", 0, 300}, {"min_karma_to_post", 0, 100000}, {"min_karma_to_comment", 0, 100000},
		{"min_karma_to_vote", 0, 100000}, {"strike_threshold", 1, 10}}
	for _, r := range ranges {
		if v, ok := f.integer(r.name, false); ok {
			if v < r.lo || v > r.hi {
				f.errs = append(f.errs, errRange(bodyLoc(r.name), v, r.lo, r.hi, v < r.lo))
			}
			set[r.name] = v
		}
	}
	if !c.valid(f.errs) {
		return
	}
	if hasDisplay {
		mc.col.displayName = display
	}
	if hasDesc {
		mc.col.description = desc
	}
	settings := map[string]any{}
	for k, v := range mc.settings {
		settings[k] = v
	}
	for _, k := range cleared {
		settings[k] = nil
		if k == "description" {
			mc.col.description = ""
		}
	}
	for k, v := range set {
		switch k {
		case "requires_post_approval":
			mc.requireApprove = v.(bool)
		case "user_flair_enabled":
			mc.userFlairOn = v.(bool)
		case "strike_threshold":
			mc.strikeLimit = v.(int)
		case "strike_action":
			mc.strikeAction = v.(string)
		default:
			settings[k] = v
		}
	}
	mc.settings = settings
	s.logMod(mc, c, "settings_updated", nil, nil, "")
	c.ok(s.modColonyOut(mc))
}

func transferOut(t *ownershipTransfer, now time.Time) map[string]any {
	return map[string]any{"transfer_id": t.id, "colony_id": t.colony.col.id, "initiator_id": t.initiator.id,
		"recipient_id": t.recipient.id, "status": t.statusAt(now), "created_at": ts(t.at), "responded_at": tsPtr(t.responded)}
}

// pendingTransfer returns the colony's open transfer, if any.
func (s *Server) pendingTransfer(mc *modColony, now time.Time) *ownershipTransfer {
	for _, t := range s.st.moderation.transfers {
		if t.colony == mc && t.statusAt(now) == "pending" {
			return t
		}
	}
	return nil
}

func (s *Server) handleProposeTransfer(c *call) {
	mc := s.founderOnly(c, "transfer ownership")
	if mc == nil {
		return
	}
	name, ok := textField(c, "recipient_username", 1, 0)
	if !ok {
		return
	}
	to := s.st.userByName(name)
	switch {
	case to == nil:
		c.notFound("User")
	case to == c.me || !mc.isMod(to):
		c.detail(http.StatusBadRequest, "The recipient must already be a moderator or admin of this colony")
	case s.pendingTransfer(mc, c.now) != nil:
		c.coded(http.StatusConflict, codeConflict, "An ownership transfer is already pending")
	default:
		t := &ownershipTransfer{id: newUUID(), colony: mc, initiator: c.me, recipient: to, status: "pending", at: c.now}
		s.st.moderation.transfers[t.id] = t
		s.tellUser(to, c, "ownership_transfer_proposed", c.me.username+" offered you ownership of "+mc.col.name,
			map[string]any{"colony": mc.col.name, "transfer_id": t.id})
		c.json(http.StatusCreated, transferOut(t, c.now))
	}
}

func (s *Server) handlePendingTransfer(c *call) {
	mc := s.modLookup(c)
	if mc == nil {
		return
	}
	t := s.pendingTransfer(mc, c.now)
	if t == nil || (t.initiator != c.me && t.recipient != c.me) {
		c.ok(map[string]any{"pending": nil})
		return
	}
	c.ok(map[string]any{"pending": transferOut(t, c.now)})
}

// answerTransfer handles accept/decline (by the recipient) and cancel (by the proposer).
func (s *Server) answerTransfer(verb string) func(*call) {
	return func(c *call) {
		id, ok := c.pathUUID("transfer_id")
		if !ok {
			return
		}
		t := s.st.moderation.transfers[id]
		if t == nil || (t.initiator != c.me && t.recipient != c.me) {
			c.notFound("Transfer")
			return
		}
		party := t.recipient
		if verb == "cancel" {
			party = t.initiator
		}
		switch {
		case party != c.me:
			c.detail(http.StatusForbidden, "Only the "+map[bool]string{true: "proposer", false: "recipient"}[verb == "cancel"]+" can "+verb+" this transfer")
			return
		case t.statusAt(c.now) != "pending":
			c.coded(http.StatusConflict, codeConflict, "This transfer is no longer pending")
			return
		}
		at := c.now
		t.responded = &at
		mc := t.colony
		switch verb {
		case "accept":
			t.status = "accepted"
			old := mc.founder
			mc.founder = t.recipient
			delete(mc.roles, t.recipient.id)
			delete(mc.perms, t.recipient.id)
			mc.roles[old.id] = roleAdmin
			s.logMod(mc, c, "ownership_transferred", old, nil, "")
		case "decline":
			t.status = "declined"
		default:
			t.status = "cancelled"
		}
		other := t.initiator
		if c.me == t.initiator {
			other = t.recipient
		}
		s.tellUser(other, c, "ownership_transfer_resolved", "The ownership transfer of "+mc.col.name+" was "+t.status,
			map[string]any{"colony": mc.col.name, "transfer_id": t.id, "status": t.status})
		c.ok(transferOut(t, c.now))
	}
}

func deletionOut(d *deletionReq) map[string]any {
	return map[string]any{"request_id": d.id, "status": d.status, "reason": d.reason, "created_at": ts(d.at), "deletion_scheduled_at": nil}
}

func (s *Server) handleFileDeletion(c *call) {
	mc := s.founderOnly(c, "request deletion")
	if mc == nil {
		return
	}
	reason, ok := textField(c, "reason", 1, 2000)
	if !ok {
		return
	}
	if mc.deletion != nil {
		c.coded(http.StatusConflict, codeConflict, "A deletion request is already open")
		return
	}
	mc.deletion = &deletionReq{id: newUUID(), reason: reason, status: "pending", at: c.now}
	c.json(http.StatusCreated, deletionOut(mc.deletion))
}

func (s *Server) handleGetDeletion(c *call) {
	mc := s.founderOnly(c, "see deletion requests")
	if mc == nil {
		return
	}
	var open any
	if mc.deletion != nil {
		open = deletionOut(mc.deletion)
	}
	c.ok(map[string]any{"open_request": open})
}

func (s *Server) handleCancelDeletion(c *call) {
	mc := s.founderOnly(c, "cancel deletion requests")
	if mc == nil {
		return
	}
	if mc.deletion == nil {
		c.notFound("Deletion request")
		return
	}
	mc.deletion = nil
	c.noContent()
}

// actionKind buckets a modlog action for the activity report.
func actionKind(action string) string {
	switch action {
	case "remove", "reject", "confirm_removal":
		return "removals"
	case "approve", "restore":
		return "approvals"
	case "dismiss":
		return "dismissals"
	}
	return "other"
}

func (s *Server) handleModActivity(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	q := c.query()
	window := q.integer("window_days", 30, 1, 365)
	if !c.valid(q.errs) {
		return
	}
	switch {
	case window <= 7:
		window = 7
	case window <= 30:
		window = 30
	default:
		window = 90
	}
	since := c.now.Add(-time.Duration(window) * 24 * time.Hour)
	counts := map[*user]map[string]int{}
	hourly := make([]int, 24)
	for _, e := range mc.log {
		if e.at.Before(since) {
			continue
		}
		if counts[e.actor] == nil {
			counts[e.actor] = map[string]int{}
		}
		counts[e.actor][actionKind(e.action)]++
		counts[e.actor]["total"]++
		hourly[e.at.UTC().Hour()]++
	}
	mods := []map[string]any{}
	for _, u := range mc.mods(s.st) {
		n := counts[u]
		mods = append(mods, map[string]any{"user_id": u.id, "username": u.username, "total": n["total"], "removals": n["removals"],
			"approvals": n["approvals"], "dismissals": n["dismissals"], "other": n["other"]})
	}
	pending, resolved := 0, 0
	for _, it := range mc.queue {
		switch {
		case it.kind == "pending_post" && !it.resolved:
			pending++
		case it.kind == "open_report" && it.resolved:
			resolved++
		}
	}
	c.ok(map[string]any{"window_days": window, "mods": mods, "hourly": hourly,
		"health": map[string]any{"open_reports": 0, "pending_posts": pending, "pending_appeals": mc.pendingAppeals(),
			"resolved_reports": resolved, "median_resolution_seconds": nil}})
}

func (s *Server) handleOpenModmail(c *call) {
	mc := s.modLookup(c)
	if mc == nil {
		return
	}
	body, ok := textField(c, "body", 1, 10000)
	if !ok {
		return
	}
	for _, t := range mc.modmail {
		if t.opener == c.me {
			t.bodies = append(t.bodies[:len(t.bodies):len(t.bodies)], body)
			t.lastAt = c.now
			c.ok(map[string]any{"conversation_id": t.id, "created": false})
			return
		}
	}
	t := &modmailThread{id: newUUID(), title: "Modmail from " + c.me.username, opener: c.me,
		participants: map[string]bool{c.me.id: true}, bodies: []string{body}, at: c.now, lastAt: c.now}
	mc.modmail = append(mc.modmail, t)
	c.json(http.StatusCreated, map[string]any{"conversation_id": t.id, "created": true})
}

func (s *Server) handleListModmail(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	threads := append([]*modmailThread{}, mc.modmail...)
	sort.SliceStable(threads, func(i, j int) bool { return threads[i].lastAt.After(threads[j].lastAt) })
	out := []map[string]any{}
	for _, t := range threads {
		out = append(out, map[string]any{"conversation_id": t.id, "title": t.title, "opener_id": t.opener.id,
			"last_message_at": ts(t.lastAt), "created_at": ts(t.at), "is_participant": t.participants[c.me.id]})
	}
	c.ok(map[string]any{"threads": out})
}

func (s *Server) handleJoinModmail(c *call) {
	mc, id := s.modPathID(c, "conversation_id")
	if id == "" {
		return
	}
	for _, t := range mc.modmail {
		if t.id == id {
			t.participants[c.me.id] = true
			c.ok(map[string]any{"conversation_id": t.id, "joined": true})
			return
		}
	}
	c.notFound("Modmail thread")
}
