package colonytest

import (
	"strconv"
	"time"
)

func (s *Server) handleNotifications(c *call) {
	q := c.query()
	unreadOnly := q.boolean("unread_only")
	limit := q.integer("limit", 50, 1, 100)
	if !c.valid(q.errs) {
		return
	}
	ns := c.me.notifications
	out := make([]notificationOut, 0, min(limit, len(ns)))
	for i := len(ns) - 1; i >= 0 && len(out) < limit; i-- {
		if !unreadOnly || !ns[i].read {
			out = append(out, notificationOutOf(ns[i]))
		}
	}
	c.ok(out)
}

func (s *Server) handleNotificationCount(c *call) {
	c.ok(map[string]any{"unread_count": c.me.unreadNotifs})
}

func (s *Server) handleReadAll(c *call) {
	for _, n := range c.me.notifications {
		n.read = true
	}
	c.me.unreadNotifs = 0
	c.noContent()
}

func (s *Server) handleReadOne(c *call) {
	id, ok := c.pathUUID("notification_id")
	if !ok {
		return
	}
	n := s.st.notifByID[id]
	if n == nil || s.st.notifUser[id] != c.me {
		c.notFound("Notification")
		return
	}
	if !n.read {
		n.read = true
		c.me.unreadNotifs--
	}
	c.noContent()
}

// notificationIDs reads the {ids: [uuid, ...]} body of the batch endpoints (1-100 ids), answering 422 otherwise.
func (c *call) notificationIDs() ([]string, bool) {
	f, ok := c.form(true)
	if !ok {
		return nil, false
	}
	raw, ok := f.strList("ids", true)
	if ok {
		switch {
		case len(raw) == 0:
			f.errs = append(f.errs, errListTooShort(bodyLoc("ids"), []any{}, 1))
		case len(raw) > 100:
			f.errs = append(f.errs, verr{Type: "too_long", Loc: bodyLoc("ids"), Input: raw,
				Ctx: map[string]any{"max_length": 100, "actual_length": len(raw)},
				Msg: "List should have at most 100 items after validation, not " + strconv.Itoa(len(raw))})
		}
	}
	ids := make([]string, 0, len(raw))
	for i, r := range raw {
		id, ok := canonicalUUID(r)
		if !ok {
			f.errs = append(f.errs, errType([]any{"body", "ids", i}, "uuid_parsing", r))
			continue
		}
		ids = append(ids, id)
	}
	return ids, c.valid(f.errs)
}

// myNotification returns the caller's notification of that id, or nil (unknown and foreign ids look alike).
func (s *Server) myNotification(me *user, id string) *notification {
	if n := s.st.notifByID[id]; n != nil && s.st.notifUser[id] == me {
		return n
	}
	return nil
}

// handleReadBatch marks the caller's notifications among ids read; other ids are ignored.
func (s *Server) handleReadBatch(c *call) {
	ids, ok := c.notificationIDs()
	if !ok {
		return
	}
	for _, id := range ids {
		if n := s.myNotification(c.me, id); n != nil && !n.read {
			n.read = true
			c.me.unreadNotifs--
		}
	}
	c.ok(map[string]any{"unread_count": c.me.unreadNotifs, "unread_notifications": c.me.unreadNotifs})
}

// deleteNotifications removes the caller's notifications for which drop is true.
func (s *Server) deleteNotifications(me *user, drop func(*notification) bool) int {
	kept := make([]*notification, 0, len(me.notifications))
	n := 0
	for _, x := range me.notifications {
		if !drop(x) {
			kept = append(kept, x)
			continue
		}
		n++
		if !x.read {
			me.unreadNotifs--
		}
		delete(s.st.notifByID, x.id)
		delete(s.st.notifUser, x.id)
	}
	me.notifications = kept
	return n
}

// handleDeleteBatch deletes the caller's notifications among ids for good; other ids are ignored.
func (s *Server) handleDeleteBatch(c *call) {
	ids, ok := c.notificationIDs()
	if !ok {
		return
	}
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	s.deleteNotifications(c.me, func(n *notification) bool { return set[n.id] })
	c.ok(map[string]any{"unread_notifications": c.me.unreadNotifs, "unread_count": c.me.unreadNotifs})
}

// handleDeleteRead deletes every read notification of the caller.
func (s *Server) handleDeleteRead(c *call) {
	n := s.deleteNotifications(c.me, func(n *notification) bool { return n.read })
	c.ok(map[string]any{"deleted": n})
}

// handleDeleteNotification deletes one notification; unknown and foreign ids answer the same 204.
func (s *Server) handleDeleteNotification(c *call) {
	id, ok := c.pathUUID("notification_id")
	if !ok {
		return
	}
	if s.myNotification(c.me, id) != nil {
		s.deleteNotifications(c.me, func(n *notification) bool { return n.id == id })
	}
	c.noContent()
}

// ---- system notifications ----

type systemNotice struct {
	id, level, title, body string
	publishedAt            time.Time
}

// SeedSystemNotification publishes a platform announcement (an operator action, no API call creates one) at the
// server clock's now and returns its id. level is one of "info", "maintenance", "feature"; others panic.
func (s *Server) SeedSystemNotification(level, title, body string) string {
	switch level {
	case "info", "maintenance", "feature":
	default:
		panic("colonytest: unknown system notification level " + strconv.Quote(level))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := &systemNotice{id: newUUID(), level: level, title: title, body: body, publishedAt: s.clock.now()}
	s.st.inbox.system = append(s.st.inbox.system, n)
	return n.id
}

// handleSystemNotifications lists the announcements, newest first, to anyone (no authentication).
func (s *Server) handleSystemNotifications(c *call) {
	out := make([]map[string]any, 0, len(s.st.inbox.system))
	for i := len(s.st.inbox.system) - 1; i >= 0; i-- {
		n := s.st.inbox.system[i]
		out = append(out, map[string]any{"id": n.id, "level": n.level, "title": n.title, "body": n.body,
			"published_at": ts(n.publishedAt)})
	}
	c.ok(out)
}
