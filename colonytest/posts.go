package colonytest

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// editWindow is how long after creation a post or comment may be edited or deleted.
const editWindow = 15 * time.Minute

var postTypes = []string{"finding", "question", "analysis", "human_request", "review_request", "discussion",
	"paid_task", "paid_offer", "poll"}

func validPostType(t string) bool { return oneOf(t, postTypes) }

// listOut is the {items, total, has_more} envelope of PaginatedList schemas.
type listOut struct {
	Items   any  `json:"items"`
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

// cursorListOut is CursorPaginatedList: listOut plus next_cursor (always null here; offsets page).
type cursorListOut struct {
	Items      any     `json:"items"`
	Total      int     `json:"total"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor"`
}

// page returns the [offset, offset+limit) window of n items.
func page(n, offset, limit int) (int, int) {
	lo := min(offset, n)
	return lo, min(lo+limit, n)
}

// readPostFields validates the shared fields of create and update; create requires title, body and colony_id.
type postInput struct {
	title, body, colonyID, postType string
	hasTitle, hasBody, hasTags      bool
	tags                            []string
	meta                            map[string]any
	hasMeta                         bool
	client                          *string
}

func readPostInput(f *form, create bool) postInput {
	var in postInput
	in.title, in.hasTitle = f.str("title", create, 1, 300)
	in.body, in.hasBody = f.str("body", create, 1, 50000)
	if create {
		in.colonyID, _ = f.uuid("colony_id", true)
		in.postType = "discussion"
		if f.has("post_type") {
			if t, ok := f.str("post_type", false, 0, 0); ok {
				if validPostType(t) {
					in.postType = t
				} else {
					f.errs = append(f.errs, errEnum(bodyLoc("post_type"), t, postTypes))
				}
			}
		}
		in.meta, in.hasMeta = f.object("metadata")
		if cl, ok := f.str("client", false, 0, 100); ok {
			in.client = &cl
		}
	}
	var tags []string
	tags, in.hasTags = f.strList("tags", false)
	if in.hasTags {
		in.tags = normaliseTags(f, tags)
	}
	return in
}

// normaliseTags lower-cases, trims and de-duplicates tags (at most 10, each at most 50 characters).
func normaliseTags(f *form, tags []string) []string {
	if len(tags) > 10 {
		f.errs = append(f.errs, verr{Type: "too_long", Loc: bodyLoc("tags"), Input: tags,
			Msg: "List should have at most 10 items after validation", Ctx: map[string]any{"max_length": 10}})
		return nil
	}
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "#")))
		if t == "" || seen[t] {
			continue
		}
		if len(t) > 50 {
			f.errs = append(f.errs, errTooLong(bodyLoc("tags"), t, 50))
			continue
		}
		seen[t] = true
		out = append(out, t)
	}
	return out
}

func (s *Server) handleCreatePost(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	in := readPostInput(f, true)
	var pl *poll
	if in.postType == "poll" && len(f.errs) == 0 {
		pl, in.meta = parsePoll(f, in.meta)
	}
	if !c.valid(f.errs) {
		return
	}
	col := s.st.colonyID[in.colonyID]
	if col == nil {
		c.notFound("Colony")
		return
	}
	if !s.colonyGate(c, col) {
		return
	}
	p := &post{id: newUUID(), seq: s.st.nextSeq(), author: c.me, colony: col, postType: in.postType,
		title: in.title, body: in.body, tags: in.tags, metadata: in.meta, client: in.client,
		votes: map[string]int{}, reactions: map[string]map[string]bool{}, createdAt: c.now, updatedAt: c.now, poll: pl}
	s.storePost(p)
	s.afterPost(p, c.now)
	s.afterColonyPost(p)
	c.json(http.StatusCreated, s.withCognition(c, "post", p.id, s.postOut(p, false)))
}

// storePost adds p to the state; the caller holds s.mu for writing.
func (s *Server) storePost(p *post) {
	s.st.posts[p.id] = p
	s.st.postOrder = append(s.st.postOrder, p)
	p.author.postCount++
}

// lookupPost resolves the {post_id} path parameter, answering 422 or 404 when it cannot.
func (s *Server) lookupPost(c *call) *post {
	id, ok := c.pathUUID("post_id")
	if !ok {
		return nil
	}
	p := s.st.posts[id]
	if p == nil {
		c.notFound("Post")
	}
	return p
}

func (s *Server) handleGetPost(c *call) {
	if p := s.lookupPost(c); p != nil {
		c.ok(s.postOut(p, false))
	}
}

// editable answers 403 unless me may still edit or delete content created at created by author.
func editable(c *call, author *user, created time.Time, what string) bool {
	if author != c.me {
		c.coded(http.StatusForbidden, codeForbidden, "You can only modify your own "+what)
		return false
	}
	if c.now.Sub(created) > editWindow {
		c.coded(http.StatusForbidden, codeEditWindowExpired,
			"The 15-minute edit window for this "+what+" has expired")
		return false
	}
	return true
}

func (s *Server) handleUpdatePost(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	in := readPostInput(f, false)
	if !c.valid(f.errs) || !editable(c, p.author, p.createdAt, "post") || frozen(c, p.notarisedAt, "post") {
		return
	}
	if in.hasTitle {
		p.title = in.title
	}
	if in.hasBody {
		p.body = in.body
	}
	if in.hasTags {
		p.tags = in.tags
	}
	p.updatedAt = c.now
	c.ok(s.postOut(p, false))
}

func (s *Server) handleDeletePost(c *call) {
	p := s.lookupPost(c)
	if p == nil || !editable(c, p.author, p.createdAt, "post") {
		return
	}
	p.deleted = true
	delete(s.st.posts, p.id)
	for _, cm := range p.comments {
		cm.deleted = true
		cm.author.commentCount--
		delete(s.st.comments, cm.id)
	}
	p.author.postCount--
	if len(s.st.postOrder) > 64 && len(s.st.posts) < len(s.st.postOrder)/2 {
		s.compactPosts()
	}
	c.noContent()
}

func (s *Server) compactPosts() {
	kept := make([]*post, 0, len(s.st.posts))
	for _, p := range s.st.postOrder {
		if !p.deleted {
			kept = append(kept, p)
		}
	}
	s.st.postOrder = kept
}

// postFilter selects posts for listings and search.
type postFilter struct {
	colony     *colony
	noColony   bool // a colony filter matched nothing
	postType   string
	tag        string
	text       string
	author     *user
	authorType string
	noAuthor   bool
	scanned    *bool // sentinel_scanned filter
}

func (pf *postFilter) keep(p *post) bool {
	switch {
	case p.deleted || p.author.tester || pf.noColony || pf.noAuthor:
		return false
	case pf.colony != nil && p.colony != pf.colony:
		return false
	case pf.postType != "" && p.postType != pf.postType:
		return false
	case pf.author != nil && p.author != pf.author:
		return false
	case pf.authorType != "" && p.author.userType != pf.authorType:
		return false
	case pf.scanned != nil && p.scanned != *pf.scanned:
		return false
	case pf.tag != "" && !hasTag(p, pf.tag):
		return false
	case pf.text != "" && !containsFold(p.title, pf.text) && !containsFold(p.body, pf.text) && !hasTag(p, pf.text):
		return false
	}
	return true
}

func hasTag(p *post, tag string) bool {
	tag = strings.ToLower(strings.TrimPrefix(tag, "#"))
	for _, t := range p.tags {
		if t == tag {
			return true
		}
	}
	return false
}

func (s *Server) filterPosts(pf *postFilter) []*post {
	var out []*post
	for _, p := range s.st.postOrder {
		if pf.keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// hotness is score decayed by age, as a "hot" feed does.
func hotness(p *post, now time.Time) float64 {
	hours := math.Max(0, now.Sub(p.createdAt).Hours())
	return float64(p.score+p.commentCount+1) / math.Pow(hours+2, 1.5)
}

// sortPosts orders posts for sort (new, top, hot, discussed, oldest); ties go to the newer post. Sort keys are
// computed once per post, so sorting stays cheap on large listings.
func sortPosts(ps []*post, by string, now time.Time) {
	type keyed struct {
		p   *post
		key float64
	}
	ks := make([]keyed, len(ps))
	for i, p := range ps {
		ks[i].p = p
		switch by {
		case "top":
			ks[i].key = float64(p.score)
		case "discussed":
			ks[i].key = float64(p.commentCount)
		case "hot":
			ks[i].key = hotness(p, now)
		}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		if c := cmp.Compare(b.key, a.key); c != 0 {
			return c
		}
		if c := b.p.createdAt.Compare(a.p.createdAt); c != 0 {
			return c
		}
		return cmp.Compare(b.p.seq, a.p.seq)
	})
	if by == "oldest" {
		slices.Reverse(ks)
	}
	for i := range ks {
		ps[i] = ks[i].p
	}
}

func (s *Server) renderPosts(ps []*post) []postOut {
	out := make([]postOut, len(ps))
	for i, p := range ps {
		out[i] = s.postOut(p, true)
	}
	return out
}

func (s *Server) handleListPosts(c *call) {
	q := c.query()
	by := q.enum("sort", "new", "new", "top", "hot", "discussed")
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	colonyID, hasColonyID := q.uuid("colony_id")
	pf := &postFilter{tag: q.v.Get("tag"), text: q.str("search", false, 2)}
	if q.v.Has("post_type") {
		pf.postType = q.enum("post_type", "", postTypes...)
	}
	authorID, hasAuthorID := q.uuid("author_id")
	if q.v.Has("sentinel_scanned") {
		scanned := q.boolean("sentinel_scanned")
		pf.scanned = &scanned
	}
	if !c.valid(q.errs) {
		return
	}
	switch {
	case hasColonyID:
		pf.colony = s.st.colonyID[colonyID]
		pf.noColony = pf.colony == nil
	case q.v.Get("colony") != "":
		if pf.colony = s.st.colonyRef(q.v.Get("colony")); pf.colony == nil {
			c.notFound("Colony")
			return
		}
	}
	switch {
	case hasAuthorID:
		pf.author = s.st.users[authorID]
		pf.noAuthor = pf.author == nil
	case q.v.Get("author") != "":
		if pf.author = s.st.userByName(strings.TrimPrefix(q.v.Get("author"), "@")); pf.author == nil {
			c.notFound("User") // live: an unknown handle is 404
			return
		}
	}
	ps := s.filterPosts(pf)
	sortPosts(ps, by, c.now)
	lo, hi := page(len(ps), offset, limit)
	c.ok(cursorListOut{Items: s.renderPosts(ps[lo:hi]), Total: len(ps), HasMore: hi < len(ps)})
}

func (s *Server) handlePostContext(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	comments := make([]commentOut, 0, min(len(p.comments), 20))
	mine := 0
	for _, cm := range p.comments {
		if len(comments) < 20 {
			comments = append(comments, s.commentOut(cm, true))
		}
		if cm.author == c.me {
			mine++
		}
	}
	related := []postOut{}
	for i := len(s.st.postOrder) - 1; i >= 0 && len(related) < 5; i-- {
		if q := s.st.postOrder[i]; q != p && !q.deleted && !q.author.tester && q.colony == p.colony {
			related = append(related, s.postOut(q, true))
		}
	}
	var yourVote *int
	if v, ok := p.votes[c.me.id]; ok {
		yourVote = &v
	}
	c.ok(map[string]any{"post": s.postOut(p, false), "author": s.userOut(p.author), "colony": s.colonyOut(p.colony),
		"comments": comments, "comment_count": p.commentCount, "related_posts": related, "your_vote": yourVote,
		"your_comment_count": mine})
}

type threadOut struct {
	ID             string      `json:"id"`
	Body           string      `json:"body"`
	Author         actorOut    `json:"author"`
	AuthorUsername string      `json:"author_username"`
	ParentID       *string     `json:"parent_id"`
	Score          int         `json:"score"`
	CreatedAt      string      `json:"created_at"`
	Replies        []threadOut `json:"replies"`
}

func (s *Server) handlePostConversation(c *call) {
	p := s.lookupPost(c)
	if p == nil {
		return
	}
	children := map[string][]*comment{}
	for _, cm := range p.comments {
		children[cm.parentID] = append(children[cm.parentID], cm)
	}
	var build func(parent string) []threadOut
	build = func(parent string) []threadOut {
		out := []threadOut{}
		for _, cm := range children[parent] {
			out = append(out, threadOut{ID: cm.id, Body: cm.body, Author: actorOf(cm.author),
				AuthorUsername: cm.author.username, ParentID: optStr(cm.parentID), Score: cm.score,
				CreatedAt: ts(cm.createdAt), Replies: build(cm.id)})
		}
		return out
	}
	threads := build("")
	c.ok(map[string]any{"post_id": p.id, "thread_count": len(threads), "total_comments": len(p.comments),
		"threads": threads})
}
