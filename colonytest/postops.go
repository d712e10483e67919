package colonytest

import (
	"net/http"
	"time"
	"unicode/utf8"
)

// Post actions of group D (close, reopen, pin, move, crosspost, language, sentinel marks, tags).

const codePostAlreadyTagged = "POST_ALREADY_TAGGED"

// tagWindow is how long after posting an untagged post may still be tagged with PUT /posts/{id}/tags.
const tagWindow = 7 * 24 * time.Hour

type postMove struct {
	postID, from, to, by string
	at                   time.Time
}

// handleClosePost closes (or reopens) a post: its author or a moderator of its colony; repeating is a no-op.
func (s *Server) handleClosePost(closing bool) func(*call) {
	return func(c *call) {
		p := s.lookupPost(c)
		if p == nil {
			return
		}
		if !s.authorOrModerator(c, p, "close or reopen this post") {
			return
		}
		switch {
		case closing && p.closedAt == nil:
			at := c.now
			p.closedAt = &at
		case !closing:
			p.closedAt = nil
		}
		c.ok(s.postOut(p, false))
	}
}

// handlePinPost toggles the pin; moderators only (js/go rule).
func (s *Server) handlePinPost(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	if !s.isModerator(c.me, p.colony) {
		c.detail(http.StatusForbidden, "Moderator access required")
		return
	}
	p.pinned = !p.pinned
	c.ok(s.postOut(p, false))
}

func (s *Server) handleMovePost(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	q := c.query()
	name := q.str("colony", true, 1)
	if !c.valid(q.errs) {
		return
	}
	if c.me.teamRole != "sentinel" {
		c.coded(http.StatusForbidden, codeForbidden, "Only sentinels can move posts")
		return
	}
	col := s.st.colonyNm[name]
	if col == nil {
		c.notFound("Colony")
		return
	}
	if !s.st.content.sandbox[col.id] {
		c.coded(http.StatusBadRequest, codeInvalidInput, "Posts can only be moved into a sandbox colony")
		return
	}
	from := p.colony
	moved := from != col
	if moved {
		p.colony = col
		p.updatedAt = c.now
		s.st.content.moves = append(s.st.content.moves, postMove{postID: p.id, from: from.id, to: col.id, by: c.me.id, at: c.now})
	}
	c.ok(map[string]any{"post_id": p.id, "from_colony_id": from.id, "to_colony_id": col.id, "moved": moved})
}

// handleCrosspost copies a post into another colony; the author only.
func (s *Server) handleCrosspost(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	ref, _ := f.str("colony_id", true, 1, 100)
	title, hasTitle := f.str("title", false, 3, 300)
	if !c.valid(f.errs) {
		return
	}
	col := s.st.colonyRef(ref)
	if col == nil {
		c.notFound("Colony")
		return
	}
	if p.author != c.me {
		c.coded(http.StatusForbidden, codeForbidden, "You can only crosspost your own posts")
		return
	}
	if col == p.colony {
		c.coded(http.StatusBadRequest, codeInvalidInput, "The post is already in that colony")
		return
	}
	if !hasTitle {
		title = p.title
	}
	cp := &post{id: newUUID(), seq: s.st.nextSeq(), author: c.me, colony: col, postType: p.postType, title: title,
		body: p.body, tags: p.tags, metadata: p.metadata, client: p.client, votes: map[string]int{},
		reactions: map[string]map[string]bool{}, createdAt: c.now, updatedAt: c.now, crosspostOf: p.id,
		language: p.language}
	s.storePost(cp)
	s.afterPost(cp, c.now)
	c.json(http.StatusCreated, s.postOut(cp, false))
}

// handlePostLanguage sets the language tag; the author or a moderator.
func (s *Server) handlePostLanguage(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	q := c.query()
	lang := q.str("language", true, 2)
	if utf8.RuneCountInString(lang) > 10 {
		q.errs = append(q.errs, errTooLong(queryLoc("language"), lang, 10))
	}
	if !c.valid(q.errs) {
		return
	}
	if !s.authorOrModerator(c, p, "set the language") {
		return
	}
	p.language = lang
	c.ok(map[string]any{"post_id": p.id, "language": lang})
}

// handleMarkScanned sets the sentinel-scanned mark of a post or comment; sentinels only.
func (s *Server) handleMarkScanned(param string) func(*call) {
	return func(c *call) {
		var mark *bool
		var id string
		if param == "post_id" {
			if p := s.lookupPost(c); p != nil {
				mark, id = &p.scanned, p.id
			}
		} else if cm := s.lookupComment(c); cm != nil {
			mark, id = &cm.scanned, cm.id
		}
		if mark == nil {
			return
		}
		q := c.query()
		scanned := true
		if q.v.Has("scanned") {
			scanned = q.boolean("scanned")
		}
		if !c.valid(q.errs) {
			return
		}
		if c.me.teamRole != "sentinel" {
			c.coded(http.StatusForbidden, codeForbidden, "Sentinel access required")
			return
		}
		*mark = scanned
		c.ok(map[string]any{param: id, "sentinel_scanned": scanned})
	}
}

// handleSetPostTags tags an untagged post within 7 days of posting; the author only.
func (s *Server) handleSetPostTags(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	tags, _ := f.strList("tags", true)
	if len(f.errs) == 0 {
		tags = normaliseTags(f, tags)
	}
	if !c.valid(f.errs) {
		return
	}
	switch {
	case p.author != c.me:
		c.coded(http.StatusForbidden, codeForbidden, "You can only tag your own posts")
	case len(p.tags) > 0:
		c.coded(http.StatusConflict, codePostAlreadyTagged, "This post already has tags; edit them with PUT /posts/{id} within the edit window")
	case c.now.Sub(p.createdAt) > tagWindow:
		c.coded(http.StatusForbidden, codeEditWindowExpired, "Posts can only be tagged within 7 days of posting")
	default:
		p.tags = tags
		p.updatedAt = c.now
		c.ok(s.postOut(p, false))
	}
}

// authorOrModerator answers 403 unless the caller wrote p or moderates its colony.
func (s *Server) authorOrModerator(c *call, p *post, what string) bool {
	if p.author == c.me || s.isModerator(c.me, p.colony) {
		return true
	}
	c.coded(http.StatusForbidden, codeForbidden, "Only the author or a moderator can "+what)
	return false
}
