package colonytest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Invented limits of collections (the contract states only the title and note lengths).
const (
	maxCollectionsPerUser = 100  // collections one user may own
	maxCollectionItems    = 500  // posts in one collection
	maxCollectionDesc     = 2000 // characters of a description
)

type collection struct {
	id          string
	owner       *user
	title, desc string
	public      bool
	items       []*collectionItem // curator order; replaced, never mutated in place
	createdAt   time.Time
	updatedAt   time.Time
	seq         int64 // orders collections updated at the same instant
}

type collectionItem struct {
	post    *post
	note    string
	addedAt time.Time
}

// optionalMe returns the caller of a public route when it carries a valid token, else nil; the caller holds s.mu.
func (s *Server) optionalMe(c *call) *user {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(c.r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return nil
	}
	t := s.st.tokens[strings.TrimSpace(tok)]
	if t == nil || !c.now.Before(t.expires) {
		return nil
	}
	return t.user
}

func (s *Server) collectionOut(col *collection) map[string]any {
	return map[string]any{"id": col.id, "user_id": col.owner.id, "title": col.title, "description": optStr(col.desc),
		"is_public": col.public, "item_count": len(s.liveItems(col)), "created_at": ts(col.createdAt),
		"updated_at": ts(col.updatedAt)}
}

// liveItems returns the items whose post still exists.
func (s *Server) liveItems(col *collection) []*collectionItem {
	out := make([]*collectionItem, 0, len(col.items))
	for _, it := range col.items {
		if !it.post.deleted && s.st.posts[it.post.id] == it.post {
			out = append(out, it)
		}
	}
	return out
}

func (s *Server) collectionItemOut(col *collection, it *collectionItem, pos int) map[string]any {
	return map[string]any{"collection_id": col.id, "post_id": it.post.id, "note": optStr(it.note), "position": pos,
		"added_at": ts(it.addedAt), "post": s.postOut(it.post, true)}
}

// lookupCollection resolves {collection_id}: 404 when unknown or private to someone else than viewer.
func (s *Server) lookupCollection(c *call, viewer *user) *collection {
	id, ok := c.pathUUID("collection_id")
	if !ok {
		return nil
	}
	col := s.st.people.collections[id]
	if col == nil || (!col.public && col.owner != viewer) {
		c.notFound("Collection")
		return nil
	}
	return col
}

// ownedCollection resolves {collection_id} for a write: 404 as lookupCollection, 403 for someone else's public one.
func (s *Server) ownedCollection(c *call) *collection {
	col := s.lookupCollection(c, c.me)
	if col != nil && col.owner != c.me {
		c.coded(http.StatusForbidden, codeForbidden, "You can only modify your own collections")
		return nil
	}
	return col
}

func (s *Server) touch(col *collection, now time.Time) {
	col.updatedAt = now
	col.seq = s.st.nextSeq()
}

// handleListCollections lists public collections and the caller's own private ones, most recently updated first.
func (s *Server) handleListCollections(c *call) {
	me := s.optionalMe(c)
	q := c.query()
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	owner, hasOwner := q.uuid("user_id")
	if !c.valid(q.errs) {
		return
	}
	var cols []*collection
	for _, col := range s.st.people.collOrder {
		if (col.public || col.owner == me) && (!hasOwner || col.owner.id == owner) {
			cols = append(cols, col)
		}
	}
	slices.SortFunc(cols, func(a, b *collection) int {
		if !a.updatedAt.Equal(b.updatedAt) {
			return b.updatedAt.Compare(a.updatedAt)
		}
		return int(b.seq - a.seq)
	})
	lo, hi := page(len(cols), offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, col := range cols[lo:hi] {
		items = append(items, s.collectionOut(col))
	}
	c.ok(listOut{Items: items, Total: len(cols), HasMore: hi < len(cols)})
}

func (s *Server) handleCreateCollection(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	title, _ := f.str("title", true, 1, 200)
	desc, _ := f.str("description", false, 0, maxCollectionDesc)
	public := true
	if b, ok := f.boolean("is_public", false); ok {
		public = b
	}
	if strings.TrimSpace(title) == "" && len(f.errs) == 0 {
		f.errs = append(f.errs, errTooShort(bodyLoc("title"), title, 1))
	}
	if !c.valid(f.errs) {
		return
	}
	owned := 0
	for _, col := range s.st.people.collOrder {
		if col.owner == c.me {
			owned++
		}
	}
	if owned >= maxCollectionsPerUser {
		c.coded(http.StatusBadRequest, codeInvalidInput, fmt.Sprintf("You can own at most %d collections", maxCollectionsPerUser))
		return
	}
	col := &collection{id: newUUID(), owner: c.me, title: strings.TrimSpace(title), desc: desc, public: public,
		createdAt: c.now}
	s.touch(col, c.now)
	s.st.people.collections[col.id] = col
	s.st.people.collOrder = append(s.st.people.collOrder, col)
	c.json(http.StatusCreated, s.collectionOut(col))
}

func (s *Server) handleGetCollection(c *call) {
	col := s.lookupCollection(c, s.optionalMe(c))
	if col == nil {
		return
	}
	out := s.collectionOut(col)
	items := []map[string]any{}
	for i, it := range s.liveItems(col) {
		items = append(items, s.collectionItemOut(col, it, i))
	}
	out["items"] = items
	c.ok(out)
}

func (s *Server) handleUpdateCollection(c *call) {
	col := s.ownedCollection(c)
	if col == nil {
		return
	}
	f, ok := c.form(false)
	if !ok {
		return
	}
	title, hasTitle := f.str("title", false, 1, 200)
	desc, hasDesc := f.str("description", false, 0, maxCollectionDesc)
	public, hasPublic := f.boolean("is_public", false)
	if hasTitle && strings.TrimSpace(title) == "" {
		f.errs = append(f.errs, errTooShort(bodyLoc("title"), title, 1))
	}
	if !c.valid(f.errs) {
		return
	}
	if hasTitle {
		col.title = strings.TrimSpace(title)
	}
	if hasDesc {
		col.desc = desc
	}
	if hasPublic {
		col.public = public
	}
	s.touch(col, c.now)
	c.ok(s.collectionOut(col))
}

func (s *Server) handleDeleteCollection(c *call) {
	col := s.ownedCollection(c)
	if col == nil {
		return
	}
	delete(s.st.people.collections, col.id)
	s.st.people.collOrder = slices.DeleteFunc(slices.Clone(s.st.people.collOrder), func(x *collection) bool { return x == col })
	c.noContent()
}

func (s *Server) handleAddCollectionItem(c *call) {
	col := s.ownedCollection(c)
	if col == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	postID, _ := f.uuid("post_id", true)
	note, _ := f.str("note", false, 0, 500)
	if !c.valid(f.errs) {
		return
	}
	p := s.st.posts[postID]
	if p == nil || p.deleted {
		c.notFound("Post")
		return
	}
	live := s.liveItems(col)
	if slices.ContainsFunc(live, func(it *collectionItem) bool { return it.post == p }) {
		c.coded(http.StatusConflict, codeConflict, "Post is already in this collection")
		return
	}
	if len(live) >= maxCollectionItems {
		c.coded(http.StatusBadRequest, codeInvalidInput, fmt.Sprintf("A collection holds at most %d posts", maxCollectionItems))
		return
	}
	it := &collectionItem{post: p, note: note, addedAt: c.now}
	col.items = append(slices.Clone(live), it)
	s.touch(col, c.now)
	c.json(http.StatusCreated, s.collectionItemOut(col, it, len(col.items)-1))
}

func (s *Server) handleRemoveCollectionItem(c *call) {
	col := s.ownedCollection(c)
	if col == nil {
		return
	}
	postID, ok := c.pathUUID("post_id")
	if !ok {
		return
	}
	i := slices.IndexFunc(col.items, func(it *collectionItem) bool { return it.post.id == postID })
	if i < 0 {
		c.notFound("Collection item")
		return
	}
	col.items = slices.Delete(slices.Clone(col.items), i, i+1)
	s.touch(col, c.now)
	c.noContent()
}
