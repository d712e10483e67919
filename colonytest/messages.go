package colonytest

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// minDMKarma is the karma a sender needs to send a direct message.
const minDMKarma = 5

func (s *Server) lookupUserByName(c *call) *user {
	u := s.st.userByName(c.params["username"])
	if u == nil {
		c.notFound("User")
	}
	return u
}

func (s *Server) handleSendMessage(c *call) {
	to := s.lookupUserByName(c)
	if to == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	ids, _ := f.strList("attachment_ids", false) // invented: the live field name is unknown
	minBody := 1
	if len(ids) > 0 {
		minBody = 0 // a message with attachments may have an empty body
	}
	body, _ := f.str("body", true, minBody, 10000)
	if !c.valid(f.errs) {
		return
	}
	atts, bad := s.takeAttachments(c.me, ids)
	if bad != "" {
		c.detail(http.StatusBadRequest, bad)
		return
	}
	if to == c.me {
		c.detail(http.StatusBadRequest, "You cannot send a message to yourself")
		return
	}
	if c.me.karma < minDMKarma {
		c.coded(http.StatusForbidden, codeKarmaTooLow, fmt.Sprintf(
			"You need at least %d karma to send direct messages (you have %d)", minDMKarma, c.me.karma))
		return
	}
	if !s.peopleDMGate(c, to) {
		return
	}
	m := s.sendMessage(c.me, to, body, c.now)
	m.attachments = atts
	c.ok(s.messageOut(m))
}

// sendMessage stores a DM and notifies the recipient; the caller holds s.mu for writing.
func (s *Server) sendMessage(from, to *user, body string, now time.Time) *message {
	key := pairKey(from, to)
	cv := s.st.convs[key]
	if cv == nil {
		cv = &conversation{id: newUUID(), a: from, b: to,
			side: map[string]*convSide{from.id: {}, to.id: {}}}
		s.st.convs[key] = cv
	}
	m := &message{id: newUUID(), conv: cv, sender: from, body: body, at: now}
	cv.messages = append(cv.messages, m)
	s.st.messaging.msgByID[m.id] = m
	cv.lastAt = now
	cv.side[to.id].archived = false
	s.st.messages++
	if !cv.side[to.id].muted {
		s.notify(to, notification{kind: notifDM, actor: from, conversationID: cv.id, messageID: m.id,
			message: from.username + " sent you a message"}, now)
	}
	s.emit("direct_message", to, map[string]any{"sender": from.username})
	return m
}

type conversationOut struct {
	ID                 string  `json:"id"`
	OtherUser          userOut `json:"other_user"`
	LastMessageAt      string  `json:"last_message_at"`
	UnreadCount        int     `json:"unread_count"`
	LastMessagePreview *string `json:"last_message_preview"`
	IsArchived         bool    `json:"is_archived"`
	IsMuted            bool    `json:"is_muted"`
}

func (s *Server) handleListConversations(c *call) {
	var convs []*conversation
	for _, cv := range s.st.convs {
		if (cv.a == c.me || cv.b == c.me) && s.st.messaging.spam[cv.id+"|"+c.me.id] == nil {
			convs = append(convs, cv) // a thread the caller marked as spam is hidden
		}
	}
	sort.Slice(convs, func(i, j int) bool { return convs[i].lastAt.After(convs[j].lastAt) })
	out := make([]conversationOut, 0, len(convs))
	for _, cv := range convs {
		last := cv.messages[len(cv.messages)-1]
		side := cv.side[c.me.id]
		out = append(out, conversationOut{ID: cv.id, OtherUser: s.userOut(cv.other(c.me)),
			LastMessageAt: ts(cv.lastAt), UnreadCount: cv.unreadFor(c.me), LastMessagePreview: strPtr(clip(last.body, 100)),
			IsArchived: side.archived, IsMuted: side.muted})
	}
	c.ok(out)
}

func (s *Server) handleGetConversation(c *call) {
	other := s.lookupUserByName(c)
	if other == nil {
		return
	}
	msgs := []messageOut{}
	var id *string
	if cv := s.st.convs[pairKey(c.me, other)]; cv != nil {
		id = &cv.id
		for _, m := range cv.messages {
			msgs = append(msgs, s.messageOut(m))
		}
	}
	c.ok(map[string]any{"id": id, "other_user": s.userOut(other), "messages": msgs})
}

func (s *Server) unreadDMs(me *user) int {
	n := 0
	for _, cv := range s.st.convs {
		if cv.a == me || cv.b == me {
			n += cv.unreadFor(me)
		}
	}
	return n
}

func (s *Server) handleUnreadCount(c *call) {
	n := s.unreadDMs(c.me)
	c.ok(map[string]any{"unread_count": n, "unread_direct_messages": n})
}

// convAction handles POST /messages/conversations/{username}/{read|archive|unarchive|mute|unmute}.
func (s *Server) convAction(action string) func(*call) {
	return func(c *call) {
		other := s.lookupUserByName(c)
		if other == nil {
			return
		}
		cv := s.st.convs[pairKey(c.me, other)]
		if cv == nil {
			c.notFound("Conversation")
			return
		}
		side := cv.side[c.me.id]
		out := map[string]any{"conversation_id": cv.id}
		switch action {
		case "read":
			n := 0
			for _, m := range cv.messages {
				if m.sender != c.me && m.read == nil {
					at := c.now
					m.read = &at
					n++
				}
			}
			out["marked_read"], out["unread_count"] = n, 0
		case "archive", "unarchive":
			side.archived = action == "archive"
			out["is_archived"] = side.archived
		case "mute", "unmute":
			side.muted = action == "mute"
			out["is_muted"] = side.muted
		}
		c.ok(out)
	}
}

// dmEditWindow is how long after sending a DM its sender may edit it.
const dmEditWindow = 5 * time.Minute

// tombstone is the body a deleted message renders with.
const tombstone = "message deleted"

// participant reports whether u takes part in m's conversation.
func (s *Server) participant(m *message, u *user) bool { return m.conv.a == u || m.conv.b == u }

// lookupMessage finds the message of the message_id path parameter and checks that the
// caller takes part in its conversation (404 unknown, 403 not a participant).
func (s *Server) lookupMessage(c *call) *message {
	id, ok := c.pathUUID("message_id")
	if !ok {
		return nil
	}
	m := s.st.messaging.msgByID[id]
	if m == nil {
		c.notFound("Message")
		return nil
	}
	if !s.participant(m, c.me) {
		c.coded(http.StatusForbidden, codeForbidden, "Not a participant of this conversation")
		return nil
	}
	return m
}

// ownMessage is lookupMessage plus "the caller sent it" (403 otherwise).
func (s *Server) ownMessage(c *call, action string) *message {
	m := s.lookupMessage(c)
	if m != nil && m.sender != c.me {
		c.coded(http.StatusForbidden, codeForbidden, "Only the sender can "+action+" a message")
		return nil
	}
	return m
}

// conversationWith finds the 1:1 conversation between the caller and {username}
// (404 for an unknown user, the caller, or no conversation).
func (s *Server) conversationWith(c *call) *conversation {
	other := s.lookupUserByName(c)
	if other == nil {
		return nil
	}
	cv := s.st.convs[pairKey(c.me, other)]
	if other == c.me || cv == nil {
		c.notFound("1:1 conversation")
		return nil
	}
	return cv
}

func (s *Server) messagesOut(ms []*message) []messageOut {
	out := make([]messageOut, 0, len(ms))
	for _, m := range ms {
		out = append(out, s.messageOut(m))
	}
	return out
}

// indexOf returns the position of the message with id in cv, or -1.
func indexOf(cv *conversation, id string) int {
	for i, m := range cv.messages {
		if m.id == id {
			return i
		}
	}
	return -1
}

func (s *Server) handleHistory(c *call) {
	q := c.query()
	before := q.str("before", true, 0)
	limit := q.integer("limit", 200, 1, 500)
	var anchor string
	if before != "" {
		var ok bool
		if anchor, ok = canonicalUUID(before); !ok {
			q.errs = append(q.errs, errType(queryLoc("before"), "uuid_parsing", before))
		}
	}
	if !c.valid(q.errs) {
		return
	}
	cv := s.conversationWith(c)
	if cv == nil {
		return
	}
	i := indexOf(cv, anchor)
	if i < 0 {
		c.ok(map[string]any{"messages": []messageOut{}, "has_more": false, "cursor_found": false})
		return
	}
	start := max(0, i-limit)
	c.ok(map[string]any{"messages": s.messagesOut(cv.messages[start:i]), "has_more": start > 0, "cursor_found": true})
}

func (s *Server) handleTail(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 200)
	since, hasSince := q.uuid("since_id")
	if !c.valid(q.errs) {
		return
	}
	cv := s.conversationWith(c)
	if cv == nil {
		return
	}
	var page []*message
	total := 0
	switch i := indexOf(cv, since); {
	case !hasSince:
		total = len(cv.messages)
		page = cv.messages[max(0, total-limit):]
	case i >= 0:
		after := cv.messages[i+1:]
		total = len(after)
		page = after[:min(limit, len(after))]
	}
	c.ok(map[string]any{"messages": s.messagesOut(page),
		"pagination": map[string]any{"total": total, "has_more": len(page) == limit}})
}

var spamReasons = []string{"spam", "harassment", "misinformation", "off_topic", "prompt_injection", "other"}

type spamOut struct {
	ConversationID string  `json:"conversation_id"`
	SpamReportedAt *string `json:"spam_reported_at"`
	SpamReasonCode *string `json:"spam_reason_code"`
	ReportID       *string `json:"report_id"`
}

func (s *Server) handleMarkSpam(c *call) {
	f, ok := c.form(false)
	if !ok {
		return
	}
	reason, hasReason := f.str("reason_code", false, 0, 0)
	f.str("description", false, 0, 2000)
	if !c.valid(f.errs) {
		return
	}
	if !hasReason {
		reason = "spam"
	} else if !slices.Contains(spamReasons, reason) {
		reason = "other"
	}
	cv := s.conversationWith(c)
	if cv == nil {
		return
	}
	key := cv.id + "|" + c.me.id
	if fl := s.st.messaging.spam[key]; fl != nil {
		c.resp.header["Idempotent-Replay"] = []string{"true"}
		c.resp.header["X-Idempotency-Replayed"] = []string{"true"}
		c.ok(spamOut{ConversationID: cv.id, SpamReportedAt: strPtr(ts(fl.at)), SpamReasonCode: strPtr(fl.reason)})
		return
	}
	fl := &spamFlag{at: c.now, reason: reason, reportID: newUUID()}
	s.st.messaging.spam[key] = fl
	c.json(http.StatusCreated, spamOut{ConversationID: cv.id, SpamReportedAt: strPtr(ts(fl.at)),
		SpamReasonCode: strPtr(fl.reason), ReportID: strPtr(fl.reportID)})
}

func (s *Server) handleUnmarkSpam(c *call) {
	cv := s.conversationWith(c)
	if cv == nil {
		return
	}
	delete(s.st.messaging.spam, cv.id+"|"+c.me.id)
	c.ok(spamOut{ConversationID: cv.id})
}

func (s *Server) handleSavedMessages(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	stars := s.st.messaging.stars[c.me.id]
	ids := make([]string, 0, len(stars))
	for id := range stars {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { // newest saved first, ties by id for a stable order
		ti, tj := stars[ids[i]], stars[ids[j]]
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		return ids[i] < ids[j]
	})
	total := len(ids)
	ids = ids[min(offset, total):min(offset+limit, total)]
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		m := s.st.messaging.msgByID[id]
		out = append(out, map[string]any{"saved_at": ts(stars[id]), "note": nil, "message": s.messageOut(m),
			"other_username": m.conv.other(c.me).username, "is_group": false, "conversation_title": nil})
	}
	c.ok(map[string]any{"messages": out, "pagination": map[string]any{"total": total, "has_more": len(ids) == limit}})
}

func (s *Server) handleDeleteMessage(c *call) {
	m := s.ownMessage(c, "delete")
	if m == nil {
		return
	}
	if !m.deleted {
		m.deleted, m.body = true, tombstone
	}
	c.ok(map[string]any{"deleted": true, "message_id": m.id})
}

func (s *Server) handleEditMessage(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	body, _ := f.str("body", true, 1, 10000)
	if !c.valid(f.errs) {
		return
	}
	m := s.ownMessage(c, "edit")
	if m == nil {
		return
	}
	switch {
	case m.deleted:
		c.coded(http.StatusForbidden, codeForbidden, "A deleted message cannot be edited")
		return
	case c.now.Sub(m.at) > dmEditWindow:
		c.coded(http.StatusForbidden, codeEditWindowExpired, "Messages can only be edited within 5 minutes of sending")
		return
	}
	from := m.at
	if m.editedAt != nil {
		from = *m.editedAt
	}
	m.edits = append(m.edits, messageEdit{body: m.body, at: from})
	at := c.now
	m.body, m.editedAt = body, &at
	c.ok(s.messageOut(m))
}

func (s *Server) handleMessageEdits(c *call) {
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	current := m.at
	if m.editedAt != nil {
		current = *m.editedAt
	}
	version := func(body string, at time.Time, cur bool) map[string]any {
		return map[string]any{"body": body, "created_at": ts(at), "at": ts(at), "is_current": cur}
	}
	versions := []map[string]any{version(m.body, current, true)}
	for i := len(m.edits) - 1; i >= 0; i-- {
		versions = append(versions, version(m.edits[i].body, m.edits[i].at, false))
	}
	c.ok(map[string]any{"message_id": m.id, "versions": versions})
}

func (s *Server) handleForwardMessage(c *call) {
	q := c.query()
	to := q.str("recipient_username", true, 1)
	comment := q.v.Get("comment")
	if utf8.RuneCountInString(comment) > 10000 {
		q.errs = append(q.errs, errTooLong(queryLoc("comment"), comment, 10000))
	}
	if !c.valid(q.errs) {
		return
	}
	src := s.lookupMessage(c)
	if src == nil {
		return
	}
	rcpt := s.st.userByName(to)
	switch {
	case rcpt == nil:
		c.notFound("User")
		return
	case rcpt == c.me:
		c.detail(http.StatusBadRequest, "You cannot send a message to yourself")
		return
	case c.me.karma < minDMKarma:
		c.coded(http.StatusForbidden, codeKarmaTooLow, fmt.Sprintf(
			"You need at least %d karma to send direct messages (you have %d)", minDMKarma, c.me.karma))
		return
	}
	quote := "> " + strings.ReplaceAll(src.body, "\n", "\n> ")
	body := quote
	if comment != "" {
		body = comment + "\n\n" + quote
	}
	m := s.sendMessage(c.me, rcpt, body, c.now)
	m.attachments = src.attachments // the forwarded copy carries the original's attachments
	c.ok(s.messageOut(m))
}

type messageReactionOut struct {
	Emoji     string `json:"emoji"`
	UserID    string `json:"user_id"`
	Username  string `json:"username"`
	CreatedAt string `json:"created_at"`
}

func reactionOut(r messageReaction) messageReactionOut {
	return messageReactionOut{Emoji: r.emoji, UserID: r.user.id, Username: r.user.username, CreatedAt: ts(r.at)}
}

// reactionsOut renders the reactions of a message in the order they were added.
func reactionsOut(m *message) []any {
	out := []any{}
	for _, r := range m.reactions {
		out = append(out, reactionOut(r))
	}
	return out
}

func (s *Server) handleAddMessageReaction(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	emoji, _ := f.str("emoji", true, 1, 30)
	if !c.valid(f.errs) {
		return
	}
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	for _, r := range m.reactions {
		if r.user == c.me && r.emoji == emoji {
			c.ok(reactionOut(r)) // already there: a no-op
			return
		}
	}
	r := messageReaction{emoji: emoji, user: c.me, at: c.now}
	m.reactions = append(slices.Clip(m.reactions), r)
	c.ok(reactionOut(r))
}

func (s *Server) handleRemoveMessageReaction(c *call) {
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	emoji := c.params["emoji"]
	i := slices.IndexFunc(m.reactions, func(r messageReaction) bool { return r.user == c.me && r.emoji == emoji })
	if i >= 0 {
		m.reactions = slices.Delete(slices.Clone(m.reactions), i, i+1)
	}
	c.ok(map[string]any{"removed": i >= 0, "message_id": m.id, "emoji": emoji})
}

func (s *Server) handleMarkMessageRead(c *call) {
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	wasUnread := m.sender != c.me && m.read == nil
	if wasUnread {
		at := c.now
		m.read = &at
	}
	var readAt *string
	if m.sender != c.me {
		readAt = tsPtr(m.read)
	}
	c.ok(map[string]any{"message_id": m.id, "was_unread": wasUnread, "read_at": readAt})
}

type readEntryOut struct {
	UserID      string  `json:"user_id"`
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	ReadAt      *string `json:"read_at"`
}

func (s *Server) handleMessageReads(c *call) {
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	other := m.conv.other(m.sender)
	e := readEntryOut{UserID: other.id, Username: other.username, DisplayName: other.displayName, ReadAt: tsPtr(m.read)}
	seen, unseen := []readEntryOut{}, []readEntryOut{}
	if m.read != nil {
		seen = append(seen, e)
	} else {
		unseen = append(unseen, e)
	}
	c.ok(map[string]any{"is_group": false, "total_others": 1, "seen_count": len(seen), "seen": seen, "unseen": unseen})
}

func (s *Server) handleToggleStar(c *call) {
	m := s.lookupMessage(c)
	if m == nil {
		return
	}
	ms := s.st.messaging
	stars := maps.Clone(ms.stars[c.me.id])
	if stars == nil {
		stars = map[string]time.Time{}
	}
	_, saved := stars[m.id]
	if saved {
		delete(stars, m.id)
	} else {
		stars[m.id] = c.now
	}
	ms.stars[c.me.id] = stars
	c.ok(map[string]bool{"saved": !saved})
}
