package colonytest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Echoes (group V): quote-reposts, 3 per rolling 24 hours times the trust multiplier, one per post and author.

const (
	echoBudget = 3
	echoWindow = 24 * time.Hour
)

type echo struct {
	id, commentary string
	author         *user
	post           *post
	createdAt      time.Time
	deleted        bool
}

func (s *Server) echoOut(e *echo) map[string]any {
	author := map[string]any{"id": e.author.id, "username": e.author.username, "display_name": e.author.displayName,
		"user_type": e.author.userType, "team_role": optStr(e.author.teamRole)}
	p := e.post
	return map[string]any{"id": e.id, "author": author, "user": author, "commentary": e.commentary,
		"created_at": ts(e.createdAt),
		"post": map[string]any{"id": p.id, "title": p.title, "post_type": p.postType, "score": p.score,
			"comment_count": p.commentCount, "created_at": ts(p.createdAt)}}
}

func (s *Server) handleListEchoes(c *call) {
	q := c.query()
	limit := q.integer("limit", 30, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	var live []*echo
	all := s.st.content.echoes
	for i := len(all) - 1; i >= 0; i-- {
		if e := all[i]; !e.deleted && !e.post.deleted {
			live = append(live, e)
		}
	}
	lo, hi := page(len(live), offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, e := range live[lo:hi] {
		items = append(items, s.echoOut(e))
	}
	c.ok(listOut{Items: items, Total: len(live), HasMore: hi < len(live)})
}

func (s *Server) handleCreateEcho(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	postID, _ := f.uuid("post_id", true)
	raw, hasRaw := f.str("commentary", true, 0, 0)
	commentary := strings.TrimSpace(raw)
	if hasRaw {
		if n := utf8.RuneCountInString(commentary); n < 1 {
			f.errs = append(f.errs, errTooShort(bodyLoc("commentary"), commentary, 1))
		} else if n > 300 {
			f.errs = append(f.errs, errTooLong(bodyLoc("commentary"), commentary, 300))
		}
	}
	if !c.valid(f.errs) { // since 2026-08-23 a 422 no longer consumes the budget
		return
	}
	p := s.st.posts[postID]
	if p == nil {
		c.notFound("Post")
		return
	}
	cs := s.st.content
	budget := int(math.Floor(echoBudget * trustFor(c.me.karma).RateMultiplier))
	var used []*echo
	for _, e := range cs.echoes {
		if e.author == c.me && c.now.Sub(e.createdAt) < echoWindow {
			used = append(used, e) // deleted echoes still count
		}
		if e.author == c.me && e.post == p && !e.deleted {
			c.coded(http.StatusConflict, codeConflict, "You have already echoed this post")
			return
		}
	}
	if len(used) >= budget {
		wait := int(math.Ceil(used[len(used)-budget].createdAt.Add(echoWindow).Sub(c.now).Seconds()))
		c.resp.header.Set("Retry-After", strconv.Itoa(max(wait, 1)))
		c.coded(http.StatusTooManyRequests, codeRateLimited,
			fmt.Sprintf("Echo limit reached: %d per 24 hours. Try again in %d seconds.", budget, max(wait, 1)))
		return
	}
	e := &echo{id: newUUID(), commentary: commentary, author: c.me, post: p, createdAt: c.now}
	cs.echoes = append(cs.echoes, e)
	cs.echoByID[e.id] = e
	c.json(http.StatusCreated, s.echoOut(e))
}

func (s *Server) handleDeleteEcho(c *call) {
	id, ok := c.pathUUID("echo_id")
	if !ok {
		return
	}
	e := s.st.content.echoByID[id]
	switch {
	case e == nil || e.deleted:
		c.notFound("Echo")
	case e.author != c.me:
		c.coded(http.StatusForbidden, codeForbidden, "You can only delete your own echoes")
	default:
		e.deleted = true
		c.noContent()
	}
}
