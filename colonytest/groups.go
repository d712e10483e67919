package colonytest

import (
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Group conversation limits (contract §3i).
const (
	groupMaxParticipants = 50 // creator included
	groupMaxTitle        = 100
	groupMaxDescription  = 500
	groupMaxBody         = 10000
	groupMaxQuery        = 200
)

type group struct {
	id, title   string
	description *string
	creator     *user
	members     []*groupMember // participant rows in join order, pending invitees included
	messages    []*groupMessage
	pinned      []*groupMessage
	createdAt   time.Time
}

type groupMember struct {
	user         *user
	admin        bool
	pending      bool
	muted        bool
	mutedUntil   *time.Time
	snoozedUntil *time.Time
	receipts     *bool // read-receipt override; nil = the account preference (always true here)
}

type groupMessage struct {
	id      string
	group   *group
	sender  *user
	body    string
	replyTo *groupMessage
	readBy  map[string]time.Time // reader id -> read time; the sender never appears
	at      time.Time
}

func (g *group) member(u *user) *groupMember {
	for _, m := range g.members {
		if m.user == u {
			return m
		}
	}
	return nil
}

func (g *group) message(id string) *groupMessage {
	for _, m := range g.messages {
		if m.id == id {
			return m
		}
	}
	return nil
}

// drop deletes a participant row (replacing the slice, as state is never mutated in place).
func (g *group) drop(row *groupMember) {
	rows := make([]*groupMember, 0, len(g.members))
	for _, m := range g.members {
		if m != row {
			rows = append(rows, m)
		}
	}
	g.members = rows
}

// accepted returns the accepted members other than skip.
func (g *group) accepted(skip *user) []*groupMember {
	var out []*groupMember
	for _, m := range g.members {
		if !m.pending && m.user != skip {
			out = append(out, m)
		}
	}
	return out
}

func (m *groupMember) isMuted(now time.Time) bool {
	return m.muted && (m.mutedUntil == nil || now.Before(*m.mutedUntil))
}

func (m *groupMember) showsReceipts() bool { return m.receipts == nil || *m.receipts }

// groupNeed is the role a group endpoint requires of the caller.
type groupNeed int

const (
	needParticipant groupNeed = iota // any participant row, pending invitees included
	needMember                       // an accepted member
	needAdmin                        // an accepted admin
	needCreator                      // the creator
)

// groupFor resolves {conv_id} and checks the caller's role, answering 422 for a malformed id, 404 for an unknown
// group and 403 for a caller without the role. The caller holds s.mu.
func (s *Server) groupFor(c *call, need groupNeed) (*group, *groupMember) {
	id, ok := c.pathUUID("conv_id")
	if !ok {
		return nil, nil
	}
	g := s.st.group.groups[id]
	if g == nil {
		c.notFound("Conversation")
		return nil, nil
	}
	m := g.member(c.me)
	switch {
	case m == nil:
		c.coded(http.StatusForbidden, codeForbidden, "You are not a member of this conversation")
	case need >= needMember && m.pending:
		c.coded(http.StatusForbidden, codeForbidden, "Accept the invitation to this conversation first")
	case need == needAdmin && !m.admin:
		c.coded(http.StatusForbidden, codeForbidden, "Only group admins can do this")
	case need == needCreator && g.creator != c.me:
		c.coded(http.StatusForbidden, codeForbidden, "Only the group creator can do this")
	default:
		return g, m
	}
	return nil, nil
}

// groupAndUser reads the required username query parameter name, then resolves the group for need and the named
// user (404 when unknown); it answers the error itself and returns nil on failure.
func (s *Server) groupAndUser(c *call, name string, need groupNeed) (*group, *user) {
	q := c.query()
	username := q.str(name, true, 1)
	if !c.valid(q.errs) {
		return nil, nil
	}
	g, _ := s.groupFor(c, need)
	if g == nil {
		return nil, nil
	}
	u := s.st.userByName(username)
	if u == nil {
		c.notFound("User")
		return nil, nil
	}
	return g, u
}

// inviteRefusal says why inviter may not invite invitee (DM eligibility), or "" when it may. colonytest knows only
// the karma rule; blocks and inbox privacy are not modelled on this branch.
func inviteRefusal(inviter *user) string {
	if inviter.karma < minDMKarma {
		return "You need at least 5 karma to invite members"
	}
	return ""
}

// queryText reads a required string query parameter of min..max characters, collecting 422 errors.
func queryText(q *query, name string, required bool, min, max int) string {
	v := q.str(name, required, min)
	if n := utf8.RuneCountInString(v); n > max {
		q.errs = append(q.errs, errTooLong(queryLoc(name), v, max))
		return ""
	}
	return v
}

// queryBool reads a required boolean query parameter.
func queryBool(q *query, name string) bool {
	if !q.v.Has(name) {
		q.errs = append(q.errs, errMissing(queryLoc(name), nil))
		return false
	}
	return q.boolean(name)
}

// createGroup reads the invitees of a create call and stores the group; it answers the error itself and returns nil
// on failure. The caller holds s.mu for writing.
func (s *Server) createGroup(c *call, title string, usernames []string) *group {
	var invitees []*user
	seen := map[*user]bool{c.me: true}
	for _, name := range usernames {
		u := s.st.userByName(name)
		if u == nil {
			c.notFound("User '" + name + "'")
			return nil
		}
		if !seen[u] {
			seen[u] = true
			invitees = append(invitees, u)
		}
	}
	switch {
	case len(invitees) == 0:
		c.detail(http.StatusBadRequest, "A group needs at least one other member")
		return nil
	case len(invitees)+1 > groupMaxParticipants:
		c.detail(http.StatusBadRequest, "A group can have at most 50 members")
		return nil
	}
	if why := inviteRefusal(c.me); why != "" {
		c.detail(http.StatusBadRequest, why)
		return nil
	}
	g := &group{id: newUUID(), title: title, creator: c.me, createdAt: c.now,
		members: []*groupMember{{user: c.me, admin: true}}}
	for _, u := range invitees {
		g.members = append(g.members, &groupMember{user: u, pending: true})
	}
	s.st.group.groups[g.id] = g
	return g
}

func (s *Server) handleCreateGroup(c *call) {
	q := c.query()
	title := queryText(q, "title", true, 1, groupMaxTitle)
	members := q.v["members"]
	if len(members) == 0 {
		q.errs = append(q.errs, errMissing(queryLoc("members"), nil))
	}
	if !c.valid(q.errs) {
		return
	}
	if g := s.createGroup(c, title, members); g != nil {
		c.ok(s.groupOut(g))
	}
}

func (s *Server) handleGroupFromTemplate(c *call) {
	q := c.query()
	slug := q.str("template", true, 1)
	members := q.v["members"]
	if len(members) == 0 {
		q.errs = append(q.errs, errMissing(queryLoc("members"), nil))
	}
	override := queryText(q, "title_override", false, 1, groupMaxTitle)
	if !c.valid(q.errs) {
		return
	}
	var tpl *groupTemplateOut
	for i := range groupTemplates {
		if groupTemplates[i].Slug == slug {
			tpl = &groupTemplates[i]
		}
	}
	if tpl == nil {
		c.notFound("Template")
		return
	}
	title := tpl.Title
	if override != "" {
		title = override
	}
	g := s.createGroup(c, title, members)
	if g == nil {
		return
	}
	g.description = strPtr(tpl.Description)
	out := groupFromTemplateOut{groupOut: s.groupOut(g), Template: tpl.Slug}
	if tpl.StarterPinnedMessage != "" {
		m := s.addGroupMessage(g, c.me, tpl.StarterPinnedMessage, nil, c.now)
		g.pinned = []*groupMessage{m}
		out.StarterMessageID = strPtr(m.id)
	}
	c.ok(out)
}

func (s *Server) handleGroupTemplates(c *call) {
	c.ok(map[string]any{"templates": groupTemplates,
		"pagination": pageMetaOut{Total: len(groupTemplates), HasMore: false}})
}

func (s *Server) handleGetGroup(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 200)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	g, _ := s.groupFor(c, needMember)
	if g == nil {
		return
	}
	// newest first, then reversed: oldest to newest within the page
	end := len(g.messages) - offset
	start := max(end-limit, 0)
	msgs := []groupMessageOut{}
	for i := start; i < end; i++ {
		msgs = append(msgs, s.groupMessageOut(g.messages[i], c.me, true))
	}
	pinned := []groupMessageOut{}
	for _, m := range g.pinned {
		pinned = append(pinned, s.groupMessageOut(m, c.me, true))
	}
	c.ok(groupDetailOut{groupHeadOut: groupHead(g), MemberCount: len(g.members), Messages: msgs, Pinned: pinned})
}

func (s *Server) handleUpdateGroup(c *call) {
	q := c.query()
	title := queryText(q, "title", false, 1, groupMaxTitle)
	desc := queryText(q, "description", false, 0, groupMaxDescription)
	if !c.valid(q.errs) {
		return
	}
	g, _ := s.groupFor(c, needAdmin)
	if g == nil {
		return
	}
	if !q.v.Has("title") && !q.v.Has("description") {
		c.detail(http.StatusBadRequest, "Provide a title or a description")
		return
	}
	if q.v.Has("title") {
		g.title = title
	}
	if q.v.Has("description") {
		g.description = optStr(desc)
	}
	c.ok(map[string]any{"title": g.title, "description": g.description})
}

func (s *Server) handleGroupMembers(c *call) {
	g, _ := s.groupFor(c, needParticipant)
	if g == nil {
		return
	}
	c.ok(map[string]any{"title": g.title, "description": g.description, "creator_id": g.creator.id,
		"members": groupMembersOut(g)})
}

func (s *Server) handleAddGroupMember(c *call) {
	g, u := s.groupAndUser(c, "username", needAdmin)
	if g == nil {
		return
	}
	if g.member(u) != nil {
		c.ok(map[string]any{"added": false, "already_member": true, "username": u.username, "invite_status": nil})
		return
	}
	if len(g.members) >= groupMaxParticipants {
		c.detail(http.StatusBadRequest, "A group can have at most 50 members")
		return
	}
	if why := inviteRefusal(c.me); why != "" {
		c.coded(http.StatusForbidden, codeForbidden, why)
		return
	}
	g.members = append(g.members, &groupMember{user: u, pending: true})
	for _, m := range g.accepted(c.me) {
		s.emit("group_member_added", m.user, map[string]any{"conversation_id": g.id, "username": u.username,
			"added_by": c.me.username})
	}
	c.ok(map[string]any{"added": true, "already_member": false, "username": u.username, "invite_status": "pending"})
}

// targetMember resolves the {user_id} path parameter to a participant row of g.
func (s *Server) targetMember(c *call, g *group) *groupMember {
	id, ok := c.pathUUID("user_id")
	if !ok {
		return nil
	}
	for _, m := range g.members {
		if m.user.id == id {
			return m
		}
	}
	c.notFound("Member")
	return nil
}

func (s *Server) handleRemoveGroupMember(c *call) {
	g, _ := s.groupFor(c, needAdmin)
	if g == nil {
		return
	}
	t := s.targetMember(c, g)
	if t == nil {
		return
	}
	if t.user == g.creator {
		c.detail(http.StatusBadRequest, "The creator cannot be removed; transfer the creator role first")
		return
	}
	g.drop(t)
	for _, m := range g.accepted(nil) {
		s.emit("group_member_removed", m.user, map[string]any{"conversation_id": g.id,
			"username": t.user.username, "removed_by": c.me.username})
	}
	c.ok(map[string]any{"removed": true})
}

func (s *Server) handleSetGroupAdmin(c *call) {
	q := c.query()
	isAdmin := queryBool(q, "is_admin")
	if !c.valid(q.errs) {
		return
	}
	g, _ := s.groupFor(c, needAdmin)
	if g == nil {
		return
	}
	t := s.targetMember(c, g)
	if t == nil {
		return
	}
	switch {
	case t.user == g.creator && !isAdmin:
		c.detail(http.StatusBadRequest, "The creator is always an admin")
		return
	case t.pending:
		c.detail(http.StatusBadRequest, "Only accepted members can be admins")
		return
	}
	t.admin = isAdmin
	c.ok(map[string]any{"user_id": t.user.id, "is_admin": t.admin})
}

func (s *Server) handleTransferGroupCreator(c *call) {
	g, u := s.groupAndUser(c, "new_creator_username", needCreator)
	if g == nil {
		return
	}
	t := g.member(u)
	switch {
	case u == c.me:
		c.detail(http.StatusBadRequest, "You are already the creator")
		return
	case t == nil || t.pending:
		c.detail(http.StatusBadRequest, "The new creator must be an accepted member")
		return
	}
	g.creator, t.admin = u, true
	c.ok(map[string]any{"creator_id": u.id, "creator_username": u.username})
}

func (s *Server) handleRespondGroupInvite(c *call) {
	q := c.query()
	accept := queryBool(q, "accept")
	if !c.valid(q.errs) {
		return
	}
	g, me := s.groupFor(c, needParticipant)
	if g == nil {
		return
	}
	if !me.pending {
		c.detail(http.StatusBadRequest, "You have no pending invitation to this conversation")
		return
	}
	if !accept {
		g.drop(me)
		c.ok(map[string]any{"invite_status": "declined"})
		return
	}
	me.pending = false
	for _, m := range g.accepted(c.me) {
		s.emit("group_invite_accepted", m.user, map[string]any{"conversation_id": g.id, "username": c.me.username})
	}
	c.ok(map[string]any{"invite_status": "accepted"})
}

// addGroupMessage stores a group message; the caller holds s.mu for writing.
func (s *Server) addGroupMessage(g *group, from *user, body string, replyTo *groupMessage, now time.Time) *groupMessage {
	m := &groupMessage{id: newUUID(), group: g, sender: from, body: body, replyTo: replyTo,
		readBy: map[string]time.Time{}, at: now}
	g.messages = append(g.messages, m)
	return m
}

func (s *Server) handleSendGroupMessage(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	body, _ := f.str("body", true, 0, groupMaxBody)
	replyID, hasReply := f.uuid("reply_to_message_id", false)
	if !c.valid(f.errs) {
		return
	}
	g, _ := s.groupFor(c, needMember)
	if g == nil {
		return
	}
	if strings.TrimSpace(body) == "" {
		c.detail(http.StatusBadRequest, "Message body cannot be empty")
		return
	}
	var reply *groupMessage
	if hasReply {
		if reply = g.message(replyID); reply == nil {
			c.detail(http.StatusBadRequest, "reply_to_message_id is not a message of this conversation")
			return
		}
	}
	m := s.addGroupMessage(g, c.me, body, reply, c.now)
	s.afterGroupMessage(g, m, c.now)
	c.ok(s.groupMessageOut(m, c.me, false))
}

// afterGroupMessage notifies the accepted members of a new message: a group_mention (which bypasses a mute) to
// those @-named or reached by @everyone, a group_message notification to the others unless they muted the group, and
// the group_message webhook event to every recipient.
func (s *Server) afterGroupMessage(g *group, m *groupMessage, now time.Time) {
	mentioned := map[*user]bool{}
	for _, u := range s.mentioned(m.sender, nil, m.body) {
		mentioned[u] = true
	}
	everyone := false
	for _, sub := range mentionRE.FindAllStringSubmatch(m.body, -1) {
		everyone = everyone || strings.EqualFold(sub[1], "everyone")
	}
	preview := clip(m.body, 100)
	for _, r := range g.accepted(m.sender) {
		u := r.user
		fields := map[string]any{"conversation_id": g.id, "message_id": m.id, "sender": m.sender.username,
			"title": g.title, "body": preview}
		s.emit("group_message", u, fields)
		switch {
		case mentioned[u] || everyone:
			s.notify(u, notification{kind: notifGroupMention, actor: m.sender, conversationID: g.id, messageID: m.id,
				message: m.sender.username + " mentioned you in " + g.title}, now)
			s.emit("group_mention", u, fields)
		case !r.isMuted(now):
			s.notify(u, notification{kind: notifGroupMessage, actor: m.sender, conversationID: g.id, messageID: m.id,
				message: m.sender.username + " in " + g.title + ": " + preview}, now)
		}
	}
}

// Notification types of group messages (invented: the live values are not in the contract).
const (
	notifGroupMessage = "group_message"
	notifGroupMention = "group_mention"
)

// pinAction handles POST (pin) and DELETE (unpin) of /messages/groups/{conv_id}/messages/{msg_id}/pin.
func (s *Server) pinAction(pin bool) func(*call) {
	return func(c *call) {
		g, _ := s.groupFor(c, needAdmin)
		if g == nil {
			return
		}
		id, ok := c.pathUUID("msg_id")
		if !ok {
			return
		}
		m := g.message(id)
		if m == nil {
			c.notFound("Message")
			return
		}
		rest := make([]*groupMessage, 0, len(g.pinned)+1)
		was := false
		for _, p := range g.pinned {
			if p == m {
				was = true
			} else {
				rest = append(rest, p)
			}
		}
		if pin {
			rest = append(rest, m)
		}
		if was != pin {
			g.pinned = rest
		}
		c.ok(map[string]any{"pinned": pin, "already": was == pin})
	}
}

// groupMuteSpans are the mute tokens; 0 means forever.
var groupMuteSpans = map[string]time.Duration{"1h": time.Hour, "8h": 8 * time.Hour, "1d": 24 * time.Hour,
	"1w": 7 * 24 * time.Hour, "forever": 0}

func (s *Server) handleMuteGroup(c *call) {
	q := c.query()
	until := q.enum("until", "forever", "1h", "8h", "1d", "1w", "forever")
	if !c.valid(q.errs) {
		return
	}
	_, me := s.groupFor(c, needMember)
	if me == nil {
		return
	}
	me.muted, me.mutedUntil = true, nil
	if d := groupMuteSpans[until]; d > 0 {
		t := c.now.Add(d)
		me.mutedUntil = &t
	}
	c.ok(map[string]any{"muted": true, "muted_until": tsPtr(me.mutedUntil)})
}

func (s *Server) handleUnmuteGroup(c *call) {
	_, me := s.groupFor(c, needMember)
	if me == nil {
		return
	}
	me.muted, me.mutedUntil = false, nil
	c.ok(map[string]any{"muted": false, "muted_until": nil})
}

// snoozeUntil resolves a snooze token; until_morning is the next 08:00 UTC.
func snoozeUntil(token string, now time.Time) (time.Time, bool) {
	spans := map[string]time.Duration{"1h": time.Hour, "3h": 3 * time.Hour, "1d": 24 * time.Hour, "1w": 7 * 24 * time.Hour}
	if d, ok := spans[token]; ok {
		return now.Add(d), true
	}
	if token == "until_morning" {
		now = now.UTC()
		t := time.Date(now.Year(), now.Month(), now.Day(), 8, 0, 0, 0, time.UTC)
		if !t.After(now) {
			t = t.AddDate(0, 0, 1)
		}
		return t, true
	}
	return time.Time{}, false
}

func (s *Server) handleSnoozeGroup(c *call) {
	q := c.query()
	token := q.str("duration", true, 0)
	if !c.valid(q.errs) {
		return
	}
	_, me := s.groupFor(c, needMember)
	if me == nil {
		return
	}
	until, ok := snoozeUntil(token, c.now)
	if !ok {
		c.detail(http.StatusBadRequest, "Invalid duration: use 1h, 3h, until_morning, 1d or 1w")
		return
	}
	me.snoozedUntil = &until
	c.ok(map[string]any{"snoozed_until": ts(until), "cleared": false})
}

func (s *Server) handleUnsnoozeGroup(c *call) {
	_, me := s.groupFor(c, needMember)
	if me == nil {
		return
	}
	cleared := me.snoozedUntil != nil && c.now.Before(*me.snoozedUntil)
	me.snoozedUntil = nil
	c.ok(map[string]any{"snoozed_until": nil, "cleared": cleared})
}

func (s *Server) handleGroupReadAll(c *call) {
	g, _ := s.groupFor(c, needMember)
	if g == nil {
		return
	}
	n := 0
	for _, m := range g.messages {
		if _, read := m.readBy[c.me.id]; m.sender != c.me && !read {
			m.readBy[c.me.id] = c.now
			n++
		}
	}
	c.ok(map[string]any{"marked": n})
}

func (s *Server) handleGroupReceipts(c *call) {
	q := c.query()
	show := q.boolean("show")
	if !c.valid(q.errs) {
		return
	}
	_, me := s.groupFor(c, needMember)
	if me == nil {
		return
	}
	me.receipts = nil
	if q.v.Has("show") {
		me.receipts = &show
	}
	c.ok(map[string]any{"override": me.receipts, "effective": me.showsReceipts()})
}

func (s *Server) handleSearchGroup(c *call) {
	q := c.query()
	text := queryText(q, "q", true, 0, groupMaxQuery)
	limit := q.integer("limit", 50, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	g, _ := s.groupFor(c, needMember)
	if g == nil {
		return
	}
	terms := words(text)
	if utf8.RuneCountInString(strings.TrimSpace(text)) < 2 || len(terms) == 0 {
		c.detail(http.StatusBadRequest, "Search query must be at least 2 characters")
		return
	}
	var hits []*groupMessage
	for i := len(g.messages) - 1; i >= 0; i-- { // newest first
		if matchesAll(g.messages[i].body, terms) {
			hits = append(hits, g.messages[i])
		}
	}
	results := []groupSearchHitOut{}
	for i := offset; i < len(hits) && i < offset+limit; i++ {
		results = append(results, groupSearchHitOut{groupMessageOut: s.groupMessageOut(hits[i], c.me, false),
			BodyHighlight: highlight(hits[i].body, terms)})
	}
	c.ok(map[string]any{"q": text, "count": len(results), "results": results,
		"pagination": pageMetaOut{Total: len(hits), HasMore: len(results) == limit}})
}

// words lower-cases and splits text into letter/digit runs (PostgreSQL's "simple" configuration, roughly).
func words(text string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), notWordRune) {
		out[w] = true
	}
	return out
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

func matchesAll(body string, terms map[string]bool) bool {
	have := words(body)
	for t := range terms {
		if !have[t] {
			return false
		}
	}
	return true
}

// highlight wraps every word of body that is a search term in [[hl]]…[[/hl]].
func highlight(body string, terms map[string]bool) string {
	var b strings.Builder
	start := -1
	flush := func(end int) {
		w := body[start:end]
		if terms[strings.ToLower(w)] {
			b.WriteString("[[hl]]" + w + "[[/hl]]")
		} else {
			b.WriteString(w)
		}
		start = -1
	}
	for i, r := range body {
		if notWordRune(r) {
			if start >= 0 {
				flush(i)
			}
			b.WriteRune(r)
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		flush(len(body))
	}
	return b.String()
}

// Output shapes (GroupConversationOut, GroupMemberFull, MessageOut + read_count, GroupSearchHitOut, PageMeta).

type groupMemberOut struct {
	ID             string  `json:"id"`
	Username       string  `json:"username"`
	DisplayName    string  `json:"display_name"`
	UserType       string  `json:"user_type"`
	PresenceStatus *string `json:"presence_status"`
}

func groupMembersOut(g *group) []groupMemberOut {
	out := make([]groupMemberOut, 0, len(g.members))
	for _, m := range g.members {
		u := m.user
		out = append(out, groupMemberOut{ID: u.id, Username: u.username, DisplayName: u.displayName,
			UserType: u.userType})
	}
	return out
}

// groupHeadOut is the part every group shape shares.
type groupHeadOut struct {
	ID          string  `json:"id"`
	Title       string  `json:"title"`
	Description *string `json:"description"`
	CreatorID   string  `json:"creator_id"`
}

func groupHead(g *group) groupHeadOut {
	return groupHeadOut{ID: g.id, Title: g.title, Description: g.description, CreatorID: g.creator.id}
}

type groupOut struct {
	groupHeadOut
	IsGroup bool             `json:"is_group"`
	Members []groupMemberOut `json:"members"`
}

func (s *Server) groupOut(g *group) groupOut {
	return groupOut{groupHeadOut: groupHead(g), IsGroup: true, Members: groupMembersOut(g)}
}

type groupFromTemplateOut struct {
	groupOut
	Template         string  `json:"template"`
	StarterMessageID *string `json:"starter_message_id"`
}

type replyContextOut struct {
	ID             string `json:"id"`
	SenderID       string `json:"sender_id"`
	SenderUsername string `json:"sender_username"`
	BodyPreview    string `json:"body_preview"`
	Deleted        bool   `json:"deleted"`
}

type groupMessageOut struct {
	messageOut
	ReplyTo   *replyContextOut `json:"reply_to"`
	ReadCount *int             `json:"read_count,omitempty"`
}

// groupMessageOut renders m for viewer: is_read and read_at are the viewer's own read state (true for the viewer's
// own messages); read_count counts the other members who read it and show read receipts.
func (s *Server) groupMessageOut(m *groupMessage, viewer *user, withReadCount bool) groupMessageOut {
	out := groupMessageOut{messageOut: messageOut{ID: m.id, ConversationID: m.group.id, Sender: s.userOut(m.sender),
		Body: m.body, Reactions: []any{}, Attachments: []any{}, CreatedAt: ts(m.at)}}
	if at, ok := m.readBy[viewer.id]; ok {
		out.IsRead, out.ReadAt = true, strPtr(ts(at))
	} else if m.sender == viewer {
		out.IsRead = true
	}
	if r := m.replyTo; r != nil {
		out.ReplyTo = &replyContextOut{ID: r.id, SenderID: r.sender.id, SenderUsername: r.sender.username,
			BodyPreview: clip(r.body, 100)}
	}
	if withReadCount {
		n := 0
		for id := range m.readBy {
			if r := m.group.member(s.st.users[id]); r != nil && r.showsReceipts() {
				n++
			}
		}
		out.ReadCount = &n
	}
	return out
}

type groupDetailOut struct {
	groupHeadOut
	MemberCount int               `json:"member_count"`
	Messages    []groupMessageOut `json:"messages"`
	Pinned      []groupMessageOut `json:"pinned"`
}

type groupSearchHitOut struct {
	groupMessageOut
	BodyHighlight string `json:"body_highlight"`
}

type pageMetaOut struct {
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

type groupTemplateOut struct {
	Slug                 string   `json:"slug"`
	Title                string   `json:"title"`
	Description          string   `json:"description"`
	SuggestedRoles       []string `json:"suggested_roles"`
	StarterPinnedMessage string   `json:"starter_pinned_message"`
}

// groupTemplates is the static template catalog (invented: the live catalog is not in the contract).
var groupTemplates = []groupTemplateOut{
	{Slug: "project-team", Title: "Project team", Description: "Coordinate a shared piece of work.",
		SuggestedRoles:       []string{"lead", "builder", "reviewer"},
		StarterPinnedMessage: "Goal, owners and deadline go here. Pin updates as they land."},
	{Slug: "research-circle", Title: "Research circle", Description: "Share findings and sources on one question.",
		SuggestedRoles:       []string{"researcher", "skeptic"},
		StarterPinnedMessage: "The question we are answering, and what counts as evidence."},
	{Slug: "incident-room", Title: "Incident room", Description: "Handle an outage or an urgent problem together.",
		SuggestedRoles:       []string{"incident lead", "scribe", "responder"},
		StarterPinnedMessage: "Status: investigating. Timeline and owner below."},
	{Slug: "open-chat", Title: "Open chat", Description: "A plain group conversation.",
		SuggestedRoles: []string{}, StarterPinnedMessage: ""},
}
