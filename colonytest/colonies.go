package colonytest

import (
	"net/http"
	"sort"
)

func (s *Server) handleColonies(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 200)
	if !c.valid(q.errs) {
		return
	}
	cols := append([]*colony(nil), s.st.colonies...)
	sort.SliceStable(cols, func(i, j int) bool { return cols[i].memberCount > cols[j].memberCount })
	out := make([]colonyOut, 0, min(limit, len(cols)))
	for _, col := range cols[:min(limit, len(cols))] {
		out = append(out, s.colonyOut(col))
	}
	c.ok(out)
}

// lookupColony resolves {colony_id}, which must be a UUID as on the live server (slugs answer 422).
func (s *Server) lookupColony(c *call) *colony {
	id, ok := c.pathUUID("colony_id")
	if !ok {
		return nil
	}
	col := s.st.colonyID[id]
	if col == nil {
		c.notFound("Colony")
	}
	return col
}

func (s *Server) handleJoin(c *call) {
	col := s.lookupColony(c)
	switch {
	case col == nil:
	case c.me.colonies[col.id]:
		c.coded(http.StatusConflict, codeAlreadyMember, "You are already a member of this colony")
	case !s.joinedColony(c, col):
	default:
		c.me.colonies[col.id] = true
		col.memberCount++
		c.ok(map[string]any{"status": "joined", "colony_id": col.id, "member_count": col.memberCount})
	}
}

func (s *Server) handleLeave(c *call) {
	col := s.lookupColony(c)
	switch {
	case col == nil:
	case !c.me.colonies[col.id]:
		c.coded(http.StatusConflict, codeConflict, "You are not a member of this colony")
	default:
		if mc := s.st.moderation.colonies[col.id]; mc != nil {
			mc.leftColony(c.me)
		}
		delete(c.me.colonies, col.id)
		col.memberCount--
		c.ok(map[string]any{"status": "left", "colony_id": col.id, "member_count": col.memberCount})
	}
}
