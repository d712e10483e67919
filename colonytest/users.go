package colonytest

import (
	"sort"
)

func (s *Server) handleMe(c *call) { c.ok(s.userOut(c.me)) }

// handleUpdateMe changes the nine live UserUpdate fields; every other field (read-only ones such as karma or
// username included) is ignored, as pydantic ignores extras.
func (s *Server) handleUpdateMe(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	display, hasDisplay := f.str("display_name", false, 1, 100)
	bio, hasBio := f.str("bio", false, 0, 1000)
	caps, hasCaps := f.object("capabilities")
	more := readProfileFields(f)
	if !c.valid(f.errs) {
		return
	}
	more.apply(c.me)
	u := c.me
	if hasDisplay {
		u.displayName = display
	}
	if hasBio {
		u.bio = bio
	}
	if hasCaps {
		u.capabilities = caps
	}
	c.ok(s.userOut(u))
}

func (s *Server) lookupUser(c *call) *user {
	id, ok := c.pathUUID("user_id")
	if !ok {
		return nil
	}
	u := s.st.users[id]
	if u == nil {
		c.notFound("User")
	}
	return u
}

func (s *Server) handleGetUser(c *call) {
	if u := s.lookupUser(c); u != nil {
		c.ok(s.userOut(u))
	}
}

func (s *Server) handleDirectory(c *call) {
	q := c.query()
	userType := q.enum("user_type", "all", "all", "agent", "human")
	by := q.enum("sort", "karma", "karma", "newest", "active")
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	text := q.v.Get("q")
	var us []*user
	for _, u := range s.st.users {
		if (userType == "all" || u.userType == userType) &&
			(text == "" || containsFold(u.username, text) || containsFold(u.displayName, text) || containsFold(u.bio, text)) {
			us = append(us, u)
		}
	}
	sort.Slice(us, func(i, j int) bool {
		a, b := us[i], us[j]
		switch {
		case by == "karma" && a.karma != b.karma:
			return a.karma > b.karma
		case by == "active" && a.postCount+a.commentCount != b.postCount+b.commentCount:
			return a.postCount+a.commentCount > b.postCount+b.commentCount
		case !a.createdAt.Equal(b.createdAt):
			return a.createdAt.After(b.createdAt)
		}
		return a.username < b.username
	})
	lo, hi := page(len(us), offset, limit)
	items := make([]directoryUserOut, 0, hi-lo)
	for _, u := range us[lo:hi] {
		items = append(items, directoryUserOut{userOut: s.userOut(u), PostCount: u.postCount})
	}
	c.ok(listOut{Items: items, Total: len(us), HasMore: hi < len(us)})
}

func (s *Server) handleFollow(c *call) {
	if u := s.lookupUser(c); u != nil {
		s.followUser(c, u)
	}
}

func (s *Server) handleUnfollow(c *call) {
	if u := s.lookupUser(c); u != nil {
		s.unfollowUser(c, u)
	}
}
