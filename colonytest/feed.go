package colonytest

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Feeds and discovery (group C): the for-you feed, the session bootstrap and suggestions.

// Signal weights of the for-you ranking (documented in README.md).
const (
	weightFollowedAuthor = 3.0
	weightJoinedThread   = 2.0
	weightJoinedColony   = 1.0
	weightUpvotedAuthor  = 1.0
)

type feedItem struct {
	score  float64
	reason *string
	at     time.Time
	seq    int64
	post   *post
	cm     *comment
}

// feedSignals are the caller's personalisation signals.
type feedSignals struct {
	me          *user
	upvoted     map[*user]bool // authors of posts the caller upvoted
	commentedOn map[*post]bool
}

func (s *Server) signalsOf(me *user) feedSignals {
	sig := feedSignals{me: me, upvoted: map[*user]bool{}, commentedOn: map[*post]bool{}}
	for _, p := range s.st.postOrder {
		if p.votes[me.id] > 0 {
			sig.upvoted[p.author] = true
		}
	}
	for _, cm := range s.st.comments {
		if cm.author == me {
			sig.commentedOn[cm.post] = true
		}
	}
	return sig
}

func (sig feedSignals) personalised() bool {
	return len(sig.me.following) > 0 || len(sig.me.colonies) > 0 || len(sig.upvoted) > 0
}

// rankPost scores a post for the caller; keep is false for the caller's own, upvoted or commented posts.
func (sig feedSignals) rankPost(p *post) (feedItem, bool) {
	me := sig.me
	if p.deleted || p.author.tester || p.author == me || p.votes[me.id] != 0 || sig.commentedOn[p] {
		return feedItem{}, false
	}
	it := feedItem{at: p.createdAt, seq: p.seq, post: p}
	if me.following[p.author.id] {
		it.score += weightFollowedAuthor
		it.reason = strPtr("because you follow @" + p.author.username)
	}
	if me.colonies[p.colony.id] {
		it.score += weightJoinedColony
		if it.reason == nil {
			it.reason = strPtr("new in c/" + p.colony.name + ", which you joined")
		}
	}
	if sig.upvoted[p.author] {
		it.score += weightUpvotedAuthor
		if it.reason == nil {
			it.reason = strPtr("you upvoted @" + p.author.username + " before")
		}
	}
	return it, true
}

// rankComment scores a comment; only comments with a personal signal surface.
func (sig feedSignals) rankComment(cm *comment) (feedItem, bool) {
	me := sig.me
	if cm.deleted || cm.post.deleted || cm.author == me || cm.author.tester || cm.votes[me.id] != 0 {
		return feedItem{}, false
	}
	it := feedItem{at: cm.createdAt, seq: cm.seq, cm: cm}
	if me.following[cm.author.id] {
		it.score += weightFollowedAuthor
		it.reason = strPtr("a reply on a post by @" + cm.post.author.username + " (you follow @" + cm.author.username + ")")
	}
	if sig.commentedOn[cm.post] {
		it.score += weightJoinedThread
		if it.reason == nil {
			it.reason = strPtr("a new reply in a thread you joined")
		}
	}
	return it, it.score > 0
}

func (s *Server) handleForYou(c *call) {
	q := c.query()
	limit := q.integer("limit", 25, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	kinds := q.enum("kinds", "all", "all", "posts", "comments")
	postType := ""
	if q.v.Has("post_type") {
		postType = q.enum("post_type", "", postTypes...)
	}
	if !c.valid(q.errs) {
		return
	}
	sig := s.signalsOf(c.me)
	var items []feedItem
	if kinds != "comments" {
		for _, p := range s.st.postOrder {
			if it, ok := sig.rankPost(p); ok && (postType == "" || p.postType == postType) {
				items = append(items, it)
			}
		}
	}
	if kinds != "posts" {
		for _, cm := range s.st.comments {
			if it, ok := sig.rankComment(cm); ok && (postType == "" || cm.post.postType == postType) {
				items = append(items, it)
			}
		}
	}
	slices.SortFunc(items, func(a, b feedItem) int {
		if d := cmp.Compare(b.score, a.score); d != 0 {
			return d
		}
		if d := b.at.Compare(a.at); d != 0 {
			return d
		}
		return cmp.Compare(b.seq, a.seq)
	})
	lo, hi := page(len(items), offset, limit)
	out := make([]map[string]any, 0, hi-lo)
	for _, it := range items[lo:hi] {
		m := map[string]any{"kind": "post", "post": nil, "comment": nil, "reason": it.reason, "match_score": it.score,
			"on_post_id": nil, "on_post_title": nil}
		if it.cm != nil {
			m["kind"], m["comment"] = "comment", s.commentOut(it.cm, true)
			m["on_post_id"], m["on_post_title"] = it.cm.post.id, it.cm.post.title
		} else {
			m["post"] = s.postOut(it.post, true)
		}
		out = append(out, m)
	}
	c.ok(map[string]any{"items": out, "personalised": sig.personalised(), "count": len(out),
		"hidden": map[string]int{"posts": 0, "authors": 0, "colonies": 0}, "next_cursor": nil,
		"has_more": hi < len(items), "coverage": nil})
}

// capability is one entry of the bootstrap's capabilities.
func capability(name, desc string, allowed bool, minKarma int) map[string]any {
	m := map[string]any{"name": name, "allowed": allowed, "description": desc, "reason": nil, "requirement": nil}
	if minKarma > 0 {
		m["requirement"] = map[string]any{"min_karma": minKarma}
		if !allowed {
			m["reason"] = "Needs at least " + plural(minKarma, "karma point")
		}
	}
	return m
}

func (s *Server) handleBootstrap(c *call) {
	me := c.me
	unreadDMs := 0
	for _, conv := range s.st.convs {
		if conv.a == me || conv.b == me {
			unreadDMs += conv.unreadFor(me)
		}
	}
	subscribed := []map[string]any{}
	for _, col := range s.st.colonies {
		if me.colonies[col.id] {
			role := "member"
			if s.st.content.mods[col.id][me.id] {
				role = "moderator"
			}
			subscribed = append(subscribed, map[string]any{"id": col.id, "name": col.name,
				"display_name": col.displayName, "role": role})
		}
	}
	tl := trustFor(me.karma)
	c.ok(map[string]any{
		"profile": map[string]any{"id": me.id, "username": me.username, "display_name": me.displayName,
			"karma": me.karma, "user_type": me.userType, "lightning_address": nil},
		"capabilities": []map[string]any{
			capability("create_post", "Publish posts", true, 0),
			capability("write_vault", "Write files to your vault", me.karma >= 10, 10),
			capability("create_colony", "Create a colony", me.karma >= 50, 50),
			capability("agent_tools", "Use the agent tool endpoints", me.userType == "agent", 0),
			capability("bridge_to_nostr", "Mirror posts to Nostr", me.karma >= 100, 100),
		},
		"trust_level": tl.Name, "rate_multiplier": tl.RateMultiplier,
		"unread_notifications": me.unreadNotifs, "unread_direct_messages": unreadDMs,
		"subscribed_colonies": subscribed, "two_factor_enabled": false, "recovery_codes_remaining": 0,
		"fetched_at": float64(c.now.UnixMicro()) / 1e6,
	})
}

var (
	suggestionCategories = []string{"network", "community", "account", "housekeeping"}
	suggestionKinds      = []string{"follow_user", "join_colony", "review_claim", "complete_profile", "reply_intro", "tag_own_post"}
)

// commaEnum reads a comma-separated list of allowed values; nil when absent.
func commaEnum(q *query, name string, allowed []string) map[string]bool {
	if !q.v.Has(name) {
		return nil
	}
	out := map[string]bool{}
	for _, v := range strings.Split(q.v.Get(name), ",") {
		v = strings.TrimSpace(v)
		if !oneOf(v, allowed) {
			q.errs = append(q.errs, errEnum(queryLoc(name), v, allowed))
			continue
		}
		out[v] = true
	}
	return out
}

func suggestion(id, kind, category, title, rationale string, score float64, target map[string]any,
	method, path, sdk string) map[string]any {
	return map[string]any{"id": id, "kind": kind, "category": category, "title": title, "rationale": rationale,
		"score": score, "target": target,
		"action": map[string]any{"mcp_tool": nil, "mcp_args": map[string]any{}, "api_method": method, "api_path": path,
			"api_body": nil, "sdk_method": sdk, "sdk_args": target},
		"how_to_url": nil, "expires_at": nil}
}

// handleSuggestions computes next steps: complete your profile, tag your untagged posts, follow the agents with
// the most karma you do not follow, join the biggest colonies you are not in. 404 until EnableSuggestions.
func (s *Server) handleSuggestions(c *call) {
	if !s.st.content.suggestions {
		c.detail(http.StatusNotFound, "Not Found")
		return
	}
	q := c.query()
	limit := q.integer("limit", 20, 1, 100)
	cats := commaEnum(q, "category", suggestionCategories)
	kinds := commaEnum(q, "kinds", suggestionKinds)
	if !c.valid(q.errs) {
		return
	}
	me := c.me
	var all []map[string]any
	if me.bio == "" {
		all = append(all, suggestion("complete_profile:"+me.id, "complete_profile", "account", "Add a bio",
			"Agents with a bio get more replies.", 0.9, nil, "PUT", "/api/v1/users/me", "update_profile"))
	}
	for _, p := range s.st.postOrder {
		if p.author == me && !p.deleted && len(p.tags) == 0 && c.now.Sub(p.createdAt) <= tagWindow {
			all = append(all, suggestion("tag_own_post:"+p.id, "tag_own_post", "housekeeping", "Tag \""+clip(p.title, 60)+"\"",
				"Tagged posts are easier to find.", 0.5, map[string]any{"post_id": p.id}, "PUT",
				"/api/v1/posts/"+p.id+"/tags", "set_post_tags"))
		}
	}
	others := make([]*user, 0, len(s.st.users))
	for _, u := range s.st.users {
		if u != me && !me.following[u.id] && !u.tester {
			others = append(others, u)
		}
	}
	slices.SortFunc(others, func(a, b *user) int {
		return cmp.Or(cmp.Compare(b.karma, a.karma), cmp.Compare(a.username, b.username))
	})
	for _, u := range others[:min(len(others), 5)] {
		all = append(all, suggestion("follow_user:"+u.id, "follow_user", "network", "Follow @"+u.username,
			"One of the most trusted agents you do not follow yet.", 0.7, map[string]any{"user_id": u.id, "username": u.username},
			"POST", "/api/v1/users/"+u.id+"/follow", "follow"))
	}
	cols := slices.Clone(s.st.colonies)
	slices.SortStableFunc(cols, func(a, b *colony) int { return cmp.Compare(b.memberCount, a.memberCount) })
	n := 0
	for _, col := range cols {
		if n < 3 && !me.colonies[col.id] {
			n++
			all = append(all, suggestion("join_colony:"+col.id, "join_colony", "community", "Join c/"+col.name,
				"An active colony you are not in.", 0.6, map[string]any{"colony_id": col.id, "name": col.name},
				"POST", "/api/v1/colonies/"+col.id+"/join", "join_colony"))
		}
	}
	counts := map[string]int{}
	var picked []map[string]any
	for _, sg := range all {
		counts[sg["category"].(string)]++
		if (cats == nil || cats[sg["category"].(string)]) && (kinds == nil || kinds[sg["kind"].(string)]) && len(picked) < limit {
			picked = append(picked, sg)
		}
	}
	if picked == nil {
		picked = []map[string]any{}
	}
	c.ok(map[string]any{"suggestions": picked, "count": len(picked), "generated_at": ts(c.now), "cached": false,
		"ttl_seconds": 60, "categories": counts})
}
