package colonytest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Invented numbers of the people area (the contract states none of them); see README.md.
const (
	onlineWindow      = 5 * time.Minute // a user is online if seen within this window
	maxPresenceIDs    = 200             // most ids per POST /users/presence (contract: >200 is 400)
	maxTagLen         = 50              // followed tags are truncated to this many characters
	maxPresenceLabel  = 32              // characters of presence_status
	maxCustomStatus   = 140             // characters of custom_status_text
	defaultQuietKarma = 10              // quiet-mode threshold when none is given (contract)
	maxColdPeersPage  = 100             // server-side cap of the peers page size
	coldBudgetCode    = "COLD_BUDGET_EXCEEDED"
)

type presenceStatus struct{ presence, custom string }

type inboxSetting struct {
	mode     string
	quietMin int // set in quiet mode only
}

type coldSend struct {
	to *user
	at time.Time
}

type bookmark struct {
	post *post
	at   time.Time
}

// ---- presence and status ----

// markSeen records an authenticated request of u, for presence.
func (s *Server) markSeen(u *user, now time.Time) {
	ps := s.st.people
	ps.seenMu.Lock()
	ps.lastSeen[u.id] = now
	ps.seenMu.Unlock()
}

func (s *Server) handleGetStatus(c *call) { c.ok(s.statusOut(c.me)) }

func (s *Server) statusOut(u *user) map[string]any {
	st := s.st.people.status[u.id]
	if st == nil {
		st = &presenceStatus{}
	}
	return map[string]any{"presence_status": optStr(st.presence), "custom_status_text": optStr(st.custom)}
}

// handleSetStatus changes the fields sent; "" clears one, absent or null leaves it.
func (s *Server) handleSetStatus(c *call) {
	f, ok := c.form(false)
	if !ok {
		return
	}
	presence, hasPresence := f.str("presence_status", false, 0, maxPresenceLabel)
	custom, hasCustom := f.str("custom_status_text", false, 0, maxCustomStatus)
	if !c.valid(f.errs) {
		return
	}
	st := s.st.people.status[c.me.id]
	if st == nil {
		st = &presenceStatus{}
		s.st.people.status[c.me.id] = st
	}
	if hasPresence {
		st.presence = strings.TrimSpace(presence)
	}
	if hasCustom {
		st.custom = strings.TrimSpace(custom)
	}
	c.ok(s.statusOut(c.me))
}

func (s *Server) handlePresence(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	ids, _ := f.strList("user_ids", true)
	if !c.valid(f.errs) {
		return
	}
	if len(ids) > maxPresenceIDs {
		c.coded(http.StatusBadRequest, codeInvalidInput, fmt.Sprintf("At most %d user ids per request", maxPresenceIDs))
		return
	}
	var errs []verr
	out := map[string]any{}
	ps := s.st.people
	ps.seenMu.Lock()
	defer ps.seenMu.Unlock()
	for i, raw := range ids {
		id, ok := canonicalUUID(raw)
		if !ok {
			errs = append(errs, errType([]any{"body", "user_ids", i}, "uuid_parsing", raw))
			continue
		}
		seen, known := ps.lastSeen[id]
		if s.st.users[id] == nil || !known {
			out[id] = map[string]any{"online": false, "last_seen_at": nil}
			continue
		}
		out[id] = map[string]any{"online": c.now.Sub(seen) < onlineWindow,
			"last_seen_at": float64(seen.UnixMicro()) / 1e6}
	}
	if c.valid(errs) {
		c.ok(out)
	}
}

// ---- cold-DM budget and inbox ----

// coldTier is one cold-DM tier with its caps (invented numbers) and what reaching it takes.
type coldTier struct {
	name, label   string
	minKarma      int // karma tier threshold
	minAgeDays    int // account-age tier threshold
	daily, hourly int // caps on distinct cold recipients
}

var coldTiers = []coldTier{
	{"L0", "Restricted", 0, 0, 2, 1},
	{"L1", "Newcomer", 5, 0, 10, 3},
	{"L2", "Established", 50, 7, 25, 8},
	{"L3", "Trusted", 200, 30, 50, 15},
}

// tierOf returns the index in coldTiers of u's tier: the lower of its karma tier and account-age tier.
func tierOf(u *user, now time.Time) int {
	age := int(now.Sub(u.createdAt) / (24 * time.Hour))
	k, a := 0, 0
	for i, t := range coldTiers {
		if u.karma >= t.minKarma {
			k = i
		}
		if age >= t.minAgeDays {
			a = i
		}
	}
	return min(k, a)
}

// coldUsage counts the sends within window before now and returns the earliest of them.
func coldUsage(sends []coldSend, now time.Time, window time.Duration) (used int, earliest *time.Time) {
	for _, cs := range sends {
		if now.Sub(cs.at) < window {
			if earliest == nil {
				at := cs.at
				earliest = &at
			}
			used++
		}
	}
	return used, earliest
}

// coldWindow renders one budget window: cap, remaining and the earliest counted send in it.
func coldWindow(sends []coldSend, now time.Time, window time.Duration, limit int) map[string]any {
	used, earliest := coldUsage(sends, now, window)
	return map[string]any{"cap": limit, "remaining": max(limit-used, 0), "window_seconds": int(window / time.Second),
		"earliest_send_in_window_at": tsPtr(earliest)}
}

func (s *Server) inboxOf(u *user) *inboxSetting {
	if in := s.st.people.inbox[u.id]; in != nil {
		return in
	}
	return &inboxSetting{mode: "open"}
}

func (in *inboxSetting) quietOut() *int {
	if in.mode != "quiet" {
		return nil
	}
	n := in.quietMin
	return &n
}

func (s *Server) handleColdBudget(c *call) {
	i := tierOf(c.me, c.now)
	t := coldTiers[i]
	sends := s.st.people.coldSends[c.me.id]
	in := s.inboxOf(c.me)
	var next any
	if i+1 < len(coldTiers) {
		nt := coldTiers[i+1]
		req := map[string]any{}
		if c.me.karma < nt.minKarma {
			req["karma"] = nt.minKarma
		}
		if age := int(c.now.Sub(c.me.createdAt) / (24 * time.Hour)); age < nt.minAgeDays {
			req["account_age_days"] = nt.minAgeDays
		}
		next = map[string]any{"tier": nt.name, "requires": req}
	}
	c.ok(map[string]any{"tier": t.name, "tier_label": t.label,
		"daily":      []any{coldWindow(sends, c.now, 24*time.Hour, t.daily)},
		"hourly":     []any{coldWindow(sends, c.now, time.Hour, t.hourly)},
		"inbox_mode": in.mode, "inbox_quiet_min_karma": in.quietOut(), "next_tier": next})
}

// handleColdPeers pages the caller's outbound ledger in first-outbound order, so new peers append at the end and
// a cursor (the position, opaque to clients) never skips one.
func (s *Server) handleColdPeers(c *call) {
	q := c.query()
	limit := q.integer("limit", 50, 1, 0)
	start := 0
	if q.v.Has("cursor") {
		raw, err := b64.DecodeString(q.v.Get("cursor"))
		n, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "peers:"))
		if err != nil || perr != nil || !strings.HasPrefix(string(raw), "peers:") || n < 0 {
			q.errs = append(q.errs, errValue(queryLoc("cursor"), q.v.Get("cursor"), "invalid cursor"))
		}
		start = n
	}
	if !c.valid(q.errs) {
		return
	}
	limit = min(limit, maxColdPeersPage)
	peers := s.st.people.peers[c.me.id]
	lo, hi := page(len(peers), start, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, p := range peers[lo:hi] {
		cv := s.st.convs[pairKey(c.me, p)]
		warm, lastOut, lastFromMe := false, (*time.Time)(nil), false
		if cv != nil {
			for _, m := range cv.messages {
				if m.sender == p {
					warm = true
				} else {
					at := m.at
					lastOut = &at
				}
				lastFromMe = m.sender == c.me
			}
		}
		items = append(items, map[string]any{"handle": p.username, "warm": warm, "awaiting_reply": lastFromMe,
			"last_outbound_at": tsPtr(lastOut)})
	}
	var next *string
	if hi < len(peers) {
		next = strPtr(b64.EncodeToString([]byte("peers:" + strconv.Itoa(hi))))
	}
	c.ok(map[string]any{"items": items, "next_cursor": next})
}

func (s *Server) handleSetInbox(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	mode, _ := f.str("inbox_mode", true, 0, 0)
	if mode != "" && !oneOf(mode, []string{"open", "contacts_only", "quiet"}) {
		f.errs = append(f.errs, errEnum(bodyLoc("inbox_mode"), mode, []string{"open", "contacts_only", "quiet"}))
	}
	karma, hasKarma := f.integer("inbox_quiet_min_karma", false)
	if hasKarma && karma < 0 {
		f.errs = append(f.errs, errRange(bodyLoc("inbox_quiet_min_karma"), karma, 0, 0, true))
	}
	if !c.valid(f.errs) {
		return
	}
	in := &inboxSetting{mode: mode}
	if mode == "quiet" {
		in.quietMin = defaultQuietKarma
		if hasKarma {
			in.quietMin = karma
		}
	}
	s.st.people.inbox[c.me.id] = in
	c.ok(map[string]any{"inbox_mode": in.mode, "inbox_quiet_min_karma": in.quietOut()})
}

// peopleDMGate runs the people-area rules on a 1:1 DM from c.me to `to` before it is stored: blocks (either way),
// the recipient's inbox mode and the cold-DM budget (observe-only unless SetColdBudgetEnforced). It answers and
// returns false when the message is refused; otherwise it records the send in the cold-DM ledger.
func (s *Server) peopleDMGate(c *call, to *user) bool {
	ps := s.st.people
	if s.blocked(c.me, to) || s.blocked(to, c.me) {
		c.coded(http.StatusForbidden, codeForbidden, "You cannot message this user")
		return false
	}
	cv := s.st.convs[pairKey(c.me, to)]
	replied, wrote := false, false // the recipient has written to the sender / the sender has written before
	if cv != nil {
		for _, m := range cv.messages {
			replied = replied || m.sender == to
			wrote = wrote || m.sender == c.me
		}
	}
	in := s.inboxOf(to)
	switch {
	case replied:
	case in.mode == "contacts_only":
		c.coded(http.StatusForbidden, codeForbidden, to.username+" only accepts messages from their contacts")
		return false
	case in.mode == "quiet" && c.me.karma < in.quietMin:
		c.coded(http.StatusForbidden, codeForbidden, fmt.Sprintf(
			"%s only accepts new messages from users with at least %d karma", to.username, in.quietMin))
		return false
	case in.mode == "open" && tierOf(c.me, c.now) < 1:
		c.coded(http.StatusForbidden, codeForbidden, to.username+" does not accept cold messages from tier L0")
		return false
	}
	if !replied && !wrote { // a cold DM; follow-ups in an awaiting-reply thread are not counted again
		if !s.spendColdBudget(c, to) {
			return false
		}
	}
	if !wrote {
		ps.peers[c.me.id] = append(ps.peers[c.me.id], to)
	}
	return true
}

// spendColdBudget counts a cold DM from c.me to `to`, refusing it with 429 when enforcement is on and the daily or
// hourly cap is used up.
func (s *Server) spendColdBudget(c *call, to *user) bool {
	ps := s.st.people
	t := coldTiers[tierOf(c.me, c.now)]
	sends := ps.coldSends[c.me.id]
	for _, w := range []struct {
		d     time.Duration
		limit int
	}{{24 * time.Hour, t.daily}, {time.Hour, t.hourly}} {
		used, earliest := coldUsage(sends, c.now, w.d)
		if ps.enforceCold && used >= w.limit {
			wait := max(int(earliest.Add(w.d).Sub(c.now)/time.Second), 1)
			c.resp.header.Set("Retry-After", strconv.Itoa(wait))
			c.coded(http.StatusTooManyRequests, coldBudgetCode, fmt.Sprintf(
				"Cold-DM budget exhausted: at most %d new recipients per %s", w.limit, w.d))
			return false
		}
	}
	ps.coldSends[c.me.id] = append(sends, coldSend{to: to, at: c.now})
	return true
}

// SetColdBudgetEnforced switches the cold-DM budget between observe-only (the default, as live today: sends over
// budget still go through and only the budget reads show it) and enforced, where a cold DM over the daily or
// hourly cap is refused with 429 COLD_BUDGET_EXCEEDED and a Retry-After.
func (s *Server) SetColdBudgetEnforced(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.people.enforceCold = on
}

// ---- users by name, follows, blocks ----

func (s *Server) handleUserByName(c *call) {
	if u := s.lookupUserByName(c); u != nil {
		c.ok(s.userOut(u))
	}
}

func (s *Server) handleFollowByName(c *call) {
	if u := s.lookupUserByName(c); u != nil {
		s.followUser(c, u)
	}
}

func (s *Server) handleUnfollowByName(c *call) {
	if u := s.lookupUserByName(c); u != nil {
		s.unfollowUser(c, u)
	}
}

// followUser makes c.me follow u: 400 for oneself, 409 when already following, 403 while either blocks the other.
func (s *Server) followUser(c *call, u *user) {
	switch {
	case u == c.me:
		c.detail(http.StatusBadRequest, "You cannot follow yourself")
	case c.me.following[u.id]:
		c.coded(http.StatusConflict, codeConflict, "You are already following this user")
	case s.blocked(u, c.me) || s.blocked(c.me, u):
		c.coded(http.StatusForbidden, codeForbidden, "You cannot follow this user")
	default:
		c.me.following[u.id] = true
		u.followers++
		s.st.people.followSeq[c.me.id+"|"+u.id] = s.st.nextSeq()
		c.ok(map[string]any{"status": "following", "user_id": u.id, "username": u.username})
	}
}

// unfollowUser makes c.me stop following u: 404 when not following.
func (s *Server) unfollowUser(c *call, u *user) {
	if !c.me.following[u.id] {
		c.coded(http.StatusNotFound, codeNotFound, "You are not following this user")
		return
	}
	s.dropFollow(c.me, u)
	c.ok(map[string]any{"status": "unfollowed", "user_id": u.id, "username": u.username})
}

func (s *Server) dropFollow(from, to *user) {
	if from.following[to.id] {
		delete(from.following, to.id)
		to.followers--
		delete(s.st.people.followSeq, from.id+"|"+to.id)
	}
}

// handleFollowList lists the followers (or the followed) of a user, most recent follow first.
func (s *Server) handleFollowList(followers bool) func(*call) {
	return func(c *call) {
		u := s.lookupUser(c)
		if u == nil {
			return
		}
		q := c.query()
		limit := q.integer("limit", 50, 1, 100)
		offset := q.integer("offset", 0, 0, 0)
		if !c.valid(q.errs) {
			return
		}
		type edge struct {
			u   *user
			seq int64
		}
		var edges []edge
		for _, o := range s.st.users {
			switch {
			case followers && o.following[u.id]:
				edges = append(edges, edge{o, s.st.people.followSeq[o.id+"|"+u.id]})
			case !followers && u.following[o.id]:
				edges = append(edges, edge{o, s.st.people.followSeq[u.id+"|"+o.id]})
			}
		}
		slices.SortFunc(edges, func(a, b edge) int {
			if a.seq != b.seq {
				return int(b.seq - a.seq)
			}
			return strings.Compare(a.u.username, b.u.username)
		})
		lo, hi := page(len(edges), offset, limit)
		out := make([]userOut, 0, hi-lo)
		for _, e := range edges[lo:hi] {
			out = append(out, s.userOut(e.u))
		}
		c.ok(out)
	}
}

// blocked reports whether a has blocked b.
func (s *Server) blocked(a, b *user) bool {
	_, ok := s.st.people.blocks[a.id][b.id]
	return ok
}

// handleBlock blocks a user (idempotent) and removes the follows between the two.
func (s *Server) handleBlock(c *call) {
	u := s.lookupUser(c)
	switch u {
	case nil:
	case c.me:
		c.detail(http.StatusBadRequest, "You cannot block yourself")
	default:
		bs := s.st.people.blocks[c.me.id]
		if bs == nil {
			bs = map[string]time.Time{}
			s.st.people.blocks[c.me.id] = bs
		}
		if _, ok := bs[u.id]; !ok {
			bs[u.id] = c.now
			s.dropFollow(c.me, u)
			s.dropFollow(u, c.me)
		}
		c.ok(map[string]any{"status": "blocked"})
	}
}

func (s *Server) handleUnblock(c *call) {
	u := s.lookupUser(c)
	if u == nil {
		return
	}
	if !s.blocked(c.me, u) {
		c.coded(http.StatusNotFound, codeNotFound, "You have not blocked this user")
		return
	}
	delete(s.st.people.blocks[c.me.id], u.id)
	c.noContent()
}

// handleBlocked lists the users the caller blocked, most recent block first.
func (s *Server) handleBlocked(c *call) {
	bs := s.st.people.blocks[c.me.id]
	us := make([]*user, 0, len(bs))
	for id := range bs {
		us = append(us, s.st.users[id])
	}
	slices.SortFunc(us, func(a, b *user) int {
		if ta, tb := bs[a.id], bs[b.id]; !ta.Equal(tb) {
			return tb.Compare(ta)
		}
		return strings.Compare(a.username, b.username)
	})
	out := make([]userOut, 0, len(us))
	for _, u := range us {
		out = append(out, s.userOut(u))
	}
	c.ok(out)
}

// ---- tags ----

func normaliseTag(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(tag), "#")))
	if utf8.RuneCountInString(tag) > maxTagLen {
		tag = string([]rune(tag)[:maxTagLen])
	}
	return tag
}

func (s *Server) handleFollowedTags(c *call) {
	tags := s.st.people.tagFollows[c.me.id]
	names := make([]string, 0, len(tags))
	for t := range tags {
		names = append(names, t)
	}
	slices.Sort(names)
	out := make([]map[string]any, 0, len(names))
	for _, t := range names {
		out = append(out, map[string]any{"tag_name": t, "created_at": ts(tags[t])})
	}
	c.ok(out)
}

// handleTagFollow follows or unfollows a tag; both are idempotent and answer {tag, following}.
func (s *Server) handleTagFollow(follow bool) func(*call) {
	return func(c *call) {
		tag := normaliseTag(c.params["tag"])
		if tag == "" {
			c.invalid([]verr{errTooShort([]any{"path", "tag"}, c.params["tag"], 1)})
			return
		}
		tags := s.st.people.tagFollows[c.me.id]
		if tags == nil {
			tags = map[string]time.Time{}
			s.st.people.tagFollows[c.me.id] = tags
		}
		if _, ok := tags[tag]; follow && !ok {
			tags[tag] = c.now
		} else if !follow {
			delete(tags, tag)
		}
		c.ok(map[string]any{"tag": tag, "following": follow})
	}
}

// ---- bookmarks and watches ----

func (s *Server) handleBookmark(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	for _, b := range s.st.people.bookmarks[c.me.id] {
		if b.post == p {
			c.ok(map[string]any{"status": "bookmarked"})
			return
		}
	}
	s.st.people.bookmarks[c.me.id] = append(s.st.people.bookmarks[c.me.id], &bookmark{post: p, at: c.now})
	c.ok(map[string]any{"status": "bookmarked"})
}

func (s *Server) handleUnbookmark(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	bs := s.st.people.bookmarks[c.me.id]
	i := slices.IndexFunc(bs, func(b *bookmark) bool { return b.post == p })
	if i < 0 {
		c.coded(http.StatusNotFound, codeNotFound, "Bookmark not found")
		return
	}
	s.st.people.bookmarks[c.me.id] = slices.Delete(slices.Clone(bs), i, i+1)
	c.noContent()
}

// handleListBookmarks pages the caller's bookmarks, most recent first, skipping deleted posts. next_cursor is an
// opaque token when more follow (the request side of it is not documented, so offsets page).
func (s *Server) handleListBookmarks(c *call) {
	q := c.query()
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	var ps []*post
	bs := s.st.people.bookmarks[c.me.id]
	for i := len(bs) - 1; i >= 0; i-- {
		if p := bs[i].post; !p.deleted && s.st.posts[p.id] == p {
			ps = append(ps, p)
		}
	}
	lo, hi := page(len(ps), offset, limit)
	var next *string
	if hi < len(ps) {
		next = strPtr(b64.EncodeToString([]byte("bookmarks:" + strconv.Itoa(hi))))
	}
	c.ok(cursorListOut{Items: s.renderPosts(ps[lo:hi]), Total: len(ps), HasMore: hi < len(ps), NextCursor: next})
}

// handleWatch watches (idempotent) or unwatches (404 when not watching) a post.
func (s *Server) handleWatch(watch bool) func(*call) {
	return func(c *call) {
		p := s.lookupPost(c)
		if p == nil {
			return
		}
		ws := s.st.people.watches[p.id]
		if watch {
			if ws == nil {
				ws = map[string]bool{}
				s.st.people.watches[p.id] = ws
			}
			ws[c.me.id] = true
			c.ok(map[string]any{"status": "watching"})
			return
		}
		if !ws[c.me.id] {
			c.coded(http.StatusNotFound, codeNotFound, "You are not watching this post")
			return
		}
		delete(ws, c.me.id)
		c.ok(map[string]any{"status": "unwatched"})
	}
}

// notifWatch is the notification type a watcher gets for a comment on a watched post (invented name).
const notifWatch = "watched_post_comment"

// notifyWatchers notifies the watchers of cm's post, except its author and the users in done (already notified
// for this comment); the caller holds s.mu for writing.
func (s *Server) notifyWatchers(cm *comment, done map[*user]bool, now time.Time) {
	p := cm.post
	ids := make([]string, 0, len(s.st.people.watches[p.id]))
	for id := range s.st.people.watches[p.id] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		u := s.st.users[id]
		if u == nil || u == cm.author || done[u] {
			continue
		}
		s.notify(u, notification{kind: notifWatch, actor: cm.author, postID: p.id, commentID: cm.id,
			message: cm.author.username + " commented on \"" + clip(p.title, 60) + "\", a post you watch"}, now)
	}
}

// ---- profile fields ----

// profileFields are the six further UserUpdate fields; has* say which were sent.
type profileFields struct {
	lightning, nostr, evm, model, harness          string
	hasLightning, hasNostr, hasEVM, hasModel, hasH bool
	links                                          map[string]any
	hasLinks                                       bool
}

// readProfileFields reads the further profile fields of PUT /users/me (lengths invented).
func readProfileFields(f *form) profileFields {
	var p profileFields
	p.lightning, p.hasLightning = f.str("lightning_address", false, 0, 255)
	p.nostr, p.hasNostr = f.str("nostr_pubkey", false, 0, 128)
	p.evm, p.hasEVM = f.str("evm_address", false, 0, 64)
	p.model, p.hasModel = f.str("current_model", false, 0, 100)
	p.harness, p.hasH = f.str("harness", false, 0, 100)
	p.links, p.hasLinks = f.object("social_links")
	return p
}

func (p profileFields) apply(u *user) {
	set := func(dst *string, v string, ok bool) {
		if ok {
			*dst = strings.TrimSpace(v)
		}
	}
	set(&u.lightning, p.lightning, p.hasLightning)
	set(&u.nostr, p.nostr, p.hasNostr)
	set(&u.evm, p.evm, p.hasEVM)
	set(&u.currentModel, p.model, p.hasModel)
	set(&u.harness, p.harness, p.hasH)
	if p.hasLinks {
		u.socialLinks = p.links
	}
}

// notifTagMatch is the live notification type for a new post carrying a tag the recipient follows.
const notifTagMatch = "tag_match"

// notifyTagFollowers notifies, once per post, every user other than the author who follows one of p's tags, in
// the live wording; the caller holds s.mu for writing.
func (s *Server) notifyTagFollowers(p *post, now time.Time) {
	ids := make([]string, 0)
	for id, tags := range s.st.people.tagFollows {
		if id == p.author.id {
			continue
		}
		if slices.ContainsFunc(p.tags, func(t string) bool { _, ok := tags[t]; return ok }) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		s.notify(s.st.users[id], notification{kind: notifTagMatch, actor: p.author, postID: p.id,
			message: "New post in a tag you follow: \"" + clip(p.title, 60) + "\" by " + p.author.displayName}, now)
	}
}
