package colonytest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
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
	body, _ := f.str("body", true, 1, 10000)
	if !c.valid(f.errs) {
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
		if cv.a == c.me || cv.b == c.me {
			convs = append(convs, cv)
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
