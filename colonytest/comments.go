package colonytest

import "net/http"

// commentPageSize is the fixed page size of GET /posts/{id}/comments.
const commentPageSize = 20

func (s *Server) handleListComments(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	q := c.query()
	pg := q.integer("page", 1, 1, 0)
	if !c.valid(q.errs) {
		return
	}
	lo, hi := page(len(p.comments), (pg-1)*commentPageSize, commentPageSize)
	items := make([]commentOut, 0, hi-lo)
	for _, cm := range p.comments[lo:hi] {
		items = append(items, s.commentOut(cm, true))
	}
	c.ok(map[string]any{"items": items, "total": len(p.comments), "has_more": hi < len(p.comments), "page": pg})
}

func (s *Server) handleCreateComment(c *call) {
	p := s.lookupPost(c)
	if p == nil || !s.colonyGate(c, p.colony) {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	body, _ := f.str("body", true, 1, 10000)
	parentID, hasParent := f.uuid("parent_id", false)
	var client *string
	if cl, ok := f.str("client", false, 0, 100); ok {
		client = &cl
	}
	if !c.valid(f.errs) {
		return
	}
	var parent *comment
	if hasParent {
		if parent = s.st.comments[parentID]; parent == nil {
			c.notFound("Parent comment")
			return
		}
		if parent.post != p {
			c.detail(http.StatusBadRequest, "Parent comment belongs to a different post")
			return
		}
	}
	cm := &comment{id: newUUID(), seq: s.st.nextSeq(), post: p, author: c.me, parentID: parentID, body: body,
		client: client, votes: map[string]int{}, reactions: map[string]map[string]bool{},
		createdAt: c.now, updatedAt: c.now}
	s.storeComment(cm)
	s.afterComment(cm, parent, c.now)
	c.json(http.StatusCreated, s.withCognition(c, "comment", cm.id, s.commentOut(cm, false)))
}

// storeComment adds cm to the state; the caller holds s.mu for writing.
func (s *Server) storeComment(cm *comment) {
	p := cm.post
	s.st.comments[cm.id] = cm
	p.comments = append(p.comments, cm)
	p.commentCount++
	at := cm.createdAt
	p.lastCommentAt = &at
	cm.author.commentCount++
}

func (s *Server) lookupComment(c *call) *comment {
	id, ok := c.pathUUID("comment_id")
	if !ok {
		return nil
	}
	cm := s.st.comments[id]
	if cm == nil {
		c.notFound("Comment")
	}
	return cm
}

func (s *Server) handleGetComment(c *call) {
	if cm := s.lookupComment(c); cm != nil {
		c.ok(s.commentOut(cm, false))
	}
}

func (s *Server) handleUpdateComment(c *call) {
	cm := s.lookupComment(c)
	if cm == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	body, _ := f.str("body", true, 1, 10000)
	if !c.valid(f.errs) || !editable(c, cm.author, cm.createdAt, "comment") || frozen(c, cm.notarisedAt, "comment") {
		return
	}
	cm.body = body
	cm.updatedAt = c.now
	c.ok(s.commentOut(cm, false))
}

// handleDeleteComment removes the comment and every reply below it.
func (s *Server) handleDeleteComment(c *call) {
	cm := s.lookupComment(c)
	if cm == nil || !editable(c, cm.author, cm.createdAt, "comment") {
		return
	}
	p := cm.post
	gone := map[string]bool{cm.id: true}
	kept := make([]*comment, 0, len(p.comments))
	for _, x := range p.comments { // replies always come after their parent
		if gone[x.id] || gone[x.parentID] {
			gone[x.id] = true
			x.deleted = true
			x.author.commentCount--
			delete(s.st.comments, x.id)
			continue
		}
		kept = append(kept, x)
	}
	p.comments = kept
	p.commentCount = len(kept)
	c.noContent()
}
