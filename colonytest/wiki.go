package colonytest

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Wiki (group W): pages scoped to the global wiki or one colony (by name), with full-snapshot revisions.

var wikiSlugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

type wikiRevision struct {
	id, title, content, summary string
	author                      *user
	createdAt                   time.Time
}

type wikiPage struct {
	id, slug, category string
	colony             *colony // nil for the global wiki
	createdBy          *user
	revisions          []*wikiRevision // oldest first; the last one is current
	locked, deleted    bool
	createdAt          time.Time
}

func wikiKey(colonyName, slug string) string { return strings.ToLower(colonyName) + "\x00" + slug }

func (pg *wikiPage) current() *wikiRevision { return pg.revisions[len(pg.revisions)-1] }

func wikiAuthor(u *user) map[string]any {
	return map[string]any{"username": u.username, "display_name": u.displayName}
}

func (pg *wikiPage) colonyName() *string {
	if pg.colony == nil {
		return nil
	}
	return strPtr(pg.colony.name)
}

func (pg *wikiPage) summaryOut() map[string]any {
	cur := pg.current()
	return map[string]any{"id": pg.id, "slug": pg.slug, "title": cur.title, "category": optStr(pg.category),
		"updated_by": wikiAuthor(cur.author), "revision_count": len(pg.revisions), "colony_name": pg.colonyName(),
		"colony": pg.colonyName(), "created_at": ts(pg.createdAt), "updated_at": ts(cur.createdAt)}
}

func (pg *wikiPage) out() map[string]any {
	m := pg.summaryOut()
	m["content"] = pg.current().content
	m["created_by"] = wikiAuthor(pg.createdBy)
	m["is_locked"] = pg.locked
	return m
}

// wikiScope resolves the optional colony query (a colony name); ok is false after answering 404.
func (s *Server) wikiScope(c *call, name string) (*colony, bool) {
	if name == "" {
		return nil, true
	}
	col := s.st.colonyNm[strings.ToLower(name)]
	if col == nil {
		c.notFound("Colony")
		return nil, false
	}
	return col, true
}

// lookupWiki resolves {slug} in the colony query's scope, answering 404 for a missing or deleted page.
func (s *Server) lookupWiki(c *call) *wikiPage {
	col, ok := s.wikiScope(c, c.r.URL.Query().Get("colony"))
	if !ok {
		return nil
	}
	name := ""
	if col != nil {
		name = col.name
	}
	pg := s.st.content.wiki[wikiKey(name, c.params["slug"])]
	if pg == nil || pg.deleted {
		c.notFound("Wiki page")
		return nil
	}
	return pg
}

func (s *Server) handleListWiki(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 200)
	offset := q.integer("offset", 0, 0, 100000)
	pg := q.integer("page", 0, 1, 0)
	search := q.str("search", false, 2)
	if search == "" {
		search = q.str("q", false, 2)
	}
	if len([]rune(search)) > 200 {
		q.errs = append(q.errs, errTooLong(queryLoc("search"), search, 200))
	}
	if !c.valid(q.errs) {
		return
	}
	if pg > 0 && !q.v.Has("offset") {
		offset = (pg - 1) * limit
	}
	col, ok := s.wikiScope(c, q.v.Get("colony"))
	if !ok {
		return
	}
	category := q.v.Get("category")
	var pages []*wikiPage
	for _, p := range s.st.content.wikiOrder {
		cur := p.current()
		switch {
		case p.deleted || p.colony != col, category != "" && p.category != category,
			search != "" && !containsFold(cur.title, search) && !containsFold(cur.content, search):
			continue
		}
		pages = append(pages, p)
	}
	slices.SortStableFunc(pages, func(a, b *wikiPage) int {
		return cmp.Compare(strings.ToLower(a.current().title), strings.ToLower(b.current().title))
	})
	lo, hi := page(len(pages), offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, p := range pages[lo:hi] {
		items = append(items, p.summaryOut())
	}
	c.ok(listOut{Items: items, Total: len(pages), HasMore: hi < len(pages)})
}

func (s *Server) handleCreateWiki(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	title, _ := f.str("title", true, 1, 300)
	slug, hasSlug := f.str("slug", true, 1, 200)
	if hasSlug && !wikiSlugRE.MatchString(slug) {
		f.errs = append(f.errs, verr{Type: "string_pattern_mismatch", Loc: bodyLoc("slug"), Input: slug,
			Msg: "String should match pattern '" + wikiSlugRE.String() + "'", Ctx: map[string]any{"pattern": wikiSlugRE.String()}})
	}
	content, _ := f.str("content", false, 0, 200000)
	category, _ := f.str("category", false, 0, 100)
	summary, hasSummary := f.str("summary", false, 0, 500)
	colonyName, _ := f.str("colony", false, 0, 100)
	if !c.valid(f.errs) {
		return
	}
	col, ok := s.wikiScope(c, colonyName)
	if !ok {
		return
	}
	name := ""
	if col != nil {
		name = col.name
	}
	cs := s.st.content
	if cs.wiki[wikiKey(name, slug)] != nil {
		c.coded(http.StatusConflict, codeConflict, fmt.Sprintf("A wiki page with slug %q already exists", slug))
		return
	}
	if !hasSummary {
		summary = "Initial page creation"
	}
	pg := &wikiPage{id: newUUID(), slug: slug, category: category, colony: col, createdBy: c.me, createdAt: c.now,
		revisions: []*wikiRevision{{id: newUUID(), title: title, content: content, summary: summary, author: c.me, createdAt: c.now}}}
	cs.wiki[wikiKey(name, slug)] = pg
	cs.wikiOrder = append(cs.wikiOrder, pg)
	c.json(http.StatusCreated, pg.out())
}

func (s *Server) handleGetWiki(c *call) {
	if pg := s.lookupWiki(c); pg != nil {
		c.ok(pg.out())
	}
}

func (s *Server) handleUpdateWiki(c *call) {
	pg := s.lookupWiki(c)
	if pg == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	title, hasTitle := f.str("title", false, 1, 300)
	content, hasContent := f.str("content", false, 0, 200000)
	category, hasCategory := f.str("category", false, 0, 0)
	summary, _ := f.str("summary", false, 0, 500)
	base, hasBase := f.integer("base_revision", false)
	if hasBase && base < 1 {
		f.errs = append(f.errs, errRange(bodyLoc("base_revision"), base, 1, 0, true))
	}
	if !c.valid(f.errs) {
		return
	}
	if pg.locked {
		c.coded(http.StatusForbidden, codeForbidden, "This wiki page is locked")
		return
	}
	if n := len(pg.revisions); hasBase && base != n {
		c.coded(http.StatusConflict, codeConflict, fmt.Sprintf(
			"This page has been edited since revision %d (it is now at %d). Re-read it and retry.", base, n))
		return
	}
	cur := *pg.current()
	rev := &wikiRevision{id: newUUID(), title: cur.title, content: cur.content, summary: summary, author: c.me, createdAt: c.now}
	if hasTitle {
		rev.title = title
	}
	if hasContent {
		rev.content = content
	}
	if hasCategory {
		pg.category = category
	}
	pg.revisions = append(slices.Clip(pg.revisions), rev)
	c.ok(pg.out())
}

// handleDeleteWiki deletes a page (its creator or an admin); the slug stays reserved.
func (s *Server) handleDeleteWiki(c *call) {
	pg := s.lookupWiki(c)
	if pg == nil {
		return
	}
	if pg.createdBy != c.me && c.me.teamRole != "admin" {
		c.coded(http.StatusForbidden, codeForbidden, "Only the page's creator can delete it")
		return
	}
	pg.deleted = true
	c.noContent()
}

func (s *Server) handleWikiHistory(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 200)
	offset := q.integer("offset", 0, 0, 100000)
	pg := q.integer("page", 0, 1, 0)
	if !c.valid(q.errs) {
		return
	}
	if pg > 0 && !q.v.Has("offset") {
		offset = (pg - 1) * limit
	}
	wp := s.lookupWiki(c)
	if wp == nil {
		return
	}
	n := len(wp.revisions)
	lo, hi := page(n, offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for i := lo; i < hi; i++ { // newest first
		r := wp.revisions[n-1-i]
		items = append(items, map[string]any{"id": r.id, "title": r.title, "summary": optStr(r.summary),
			"author": wikiAuthor(r.author), "created_at": ts(r.createdAt)})
	}
	c.ok(items)
}

func (s *Server) handleWikiRevision(c *call) {
	id, ok := c.pathUUID("revision_id")
	if !ok {
		return
	}
	pg := s.lookupWiki(c)
	if pg == nil {
		return
	}
	for _, r := range pg.revisions {
		if r.id == id {
			c.ok(map[string]any{"id": r.id, "title": r.title, "content": r.content, "summary": optStr(r.summary),
				"author": wikiAuthor(r.author), "created_at": ts(r.createdAt)})
			return
		}
	}
	c.notFound("Revision")
}
