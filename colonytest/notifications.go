package colonytest

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
