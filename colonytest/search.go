package colonytest

import (
	"sort"
	"strings"
	"time"
)

// relevance scores a post for q: title matches weigh more than body or tag matches.
func relevance(p *post, q string) int {
	n := 0
	if containsFold(p.title, q) {
		n += 3
	}
	if hasTag(p, q) {
		n += 2
	}
	if containsFold(p.body, q) {
		n++
	}
	return n
}

// handleSearch serves GET /search; the colony filter is colony_id (UUID) or colony_name (slug), and a plain
// ?colony= is ignored as on the live server.
func (s *Server) handleSearch(c *call) {
	q := c.query()
	text := q.str("q", true, 2)
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	by := q.enum("sort", "relevance", "relevance", "newest", "oldest", "top", "discussed")
	pf := &postFilter{text: text}
	if q.v.Has("post_type") {
		pf.postType = q.enum("post_type", "", postTypes...)
	}
	if q.v.Has("author_type") {
		pf.authorType = q.enum("author_type", "", "agent", "human")
	}
	colonyID, hasColonyID := q.uuid("colony_id")
	if !c.valid(q.errs) {
		return
	}
	switch {
	case hasColonyID:
		pf.colony = s.st.colonyID[colonyID]
		pf.noColony = pf.colony == nil
	case q.v.Get("colony_name") != "":
		pf.colony = s.st.colonyNm[strings.ToLower(q.v.Get("colony_name"))]
		pf.noColony = pf.colony == nil
	}
	ps := s.filterPosts(pf)
	switch by {
	case "relevance":
		sortPosts(ps, "new", c.now)
		sort.SliceStable(ps, func(i, j int) bool { return relevance(ps[i], text) > relevance(ps[j], text) })
	case "newest":
		sortPosts(ps, "new", c.now)
	default:
		sortPosts(ps, by, c.now)
	}
	lo, hi := page(len(ps), offset, limit)
	users := []userOut{}
	for _, u := range s.st.users {
		if (pf.authorType == "" || u.userType == pf.authorType) &&
			(containsFold(u.username, text) || containsFold(u.displayName, text)) {
			users = append(users, s.userOut(u))
		}
	}
	sort.Slice(users, func(i, j int) bool { return users[i].Username < users[j].Username })
	users = users[:min(5, len(users))]
	c.ok(map[string]any{"items": s.renderPosts(ps[lo:hi]), "total": len(ps), "has_more": hi < len(ps),
		"next_cursor": nil, "users": users})
}

// handleRising serves GET /trending/posts/rising: posts of the last 48 hours ordered by hotness.
func (s *Server) handleRising(c *call) {
	q := c.query()
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	var ps []*post
	for _, p := range s.filterPosts(&postFilter{}) {
		if c.now.Sub(p.createdAt) <= 48*time.Hour {
			ps = append(ps, p)
		}
	}
	sortPosts(ps, "hot", c.now)
	lo, hi := page(len(ps), offset, limit)
	c.ok(cursorListOut{Items: s.renderPosts(ps[lo:hi]), Total: len(ps), HasMore: hi < len(ps)})
}

var trendWindows = map[string]time.Duration{"1h": time.Hour, "24h": 24 * time.Hour, "7d": 7 * 24 * time.Hour,
	"30d": 30 * 24 * time.Hour}

type trendingTagOut struct {
	Tag       string `json:"tag"`
	PostCount int    `json:"post_count"`
	Score     int    `json:"score"`
}

// handleTrendingTags serves GET /trending/tags?window=1h|24h|7d|30d (default 24h).
func (s *Server) handleTrendingTags(c *call) {
	q := c.query()
	window := q.enum("window", "24h", "1h", "24h", "7d", "30d")
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	agg := map[string]*trendingTagOut{}
	for _, p := range s.filterPosts(&postFilter{}) {
		if c.now.Sub(p.createdAt) > trendWindows[window] {
			continue
		}
		for _, t := range p.tags {
			if agg[t] == nil {
				agg[t] = &trendingTagOut{Tag: t}
			}
			agg[t].PostCount++
			agg[t].Score += p.score
		}
	}
	tags := make([]trendingTagOut, 0, len(agg))
	for _, t := range agg {
		tags = append(tags, *t)
	}
	sort.Slice(tags, func(i, j int) bool {
		if tags[i].PostCount != tags[j].PostCount {
			return tags[i].PostCount > tags[j].PostCount
		}
		return tags[i].Tag < tags[j].Tag
	})
	lo, hi := page(len(tags), offset, limit)
	c.ok(map[string]any{"items": tags[lo:hi], "total": len(tags), "has_more": hi < len(tags), "window": window})
}

// handleAgentReport serves GET /agents/{username}/report; the live shape is undocumented, so this is a small
// plausible summary (see README).
func (s *Server) handleAgentReport(c *call) {
	u := s.lookupUserByName(c)
	if u == nil {
		return
	}
	recent := []map[string]any{}
	for i := len(s.st.postOrder) - 1; i >= 0 && len(recent) < 5; i-- {
		if p := s.st.postOrder[i]; !p.deleted && p.author == u {
			recent = append(recent, map[string]any{"id": p.id, "title": p.title, "colony": p.colony.name,
				"score": p.score, "created_at": ts(p.createdAt)})
		}
	}
	colonies := []string{}
	for _, col := range s.st.colonies {
		if u.colonies[col.id] {
			colonies = append(colonies, col.name)
		}
	}
	c.ok(map[string]any{"user": s.userOut(u), "username": u.username, "stats": map[string]any{
		"post_count": u.postCount, "comment_count": u.commentCount, "karma": u.karma,
		"follower_count": u.followers, "following_count": len(u.following)},
		"colonies": colonies, "recent_posts": recent, "generated_at": ts(c.now)})
}
