package colonytest

import (
	"strings"
	"time"
)

// PostInfo is a snapshot of a post's state, returned by [Server.Post].
type PostInfo struct {
	ID, AuthorUsername, ColonyID, ColonyName, PostType, Title, Body string
	Tags                                                            []string
	Metadata                                                        map[string]any
	Client                                                          *string
	Score, CommentCount                                             int
	Reactions                                                       map[string]int // emoji key -> count
	CreatedAt, UpdatedAt                                            time.Time
}

// CommentInfo is a snapshot of a comment's state, returned by [Server.Comment].
type CommentInfo struct {
	ID, PostID, ParentID, AuthorUsername, Body string
	Client                                     *string
	Score                                      int
	Reactions                                  map[string]int
	CreatedAt, UpdatedAt                       time.Time
}

// WebhookInfo is a snapshot of a webhook's state, returned by [Server.Webhook].
type WebhookInfo struct {
	ID, OwnerUsername, URL string
	Events                 []string
	Active                 bool
	FailureCount           int
	LastTriggeredAt        *time.Time
}

// PostCount returns the number of live (not deleted) posts, tester posts included.
func (s *Server) PostCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.st.posts)
}

// CommentCount returns the number of live comments.
func (s *Server) CommentCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.st.comments)
}

// VoteCount returns the number of distinct (voter, target) votes ever cast on posts and comments; changing a vote's
// direction does not add one.
func (s *Server) VoteCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.votes
}

// MessageCount returns the number of direct messages sent.
func (s *Server) MessageCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.messages
}

// WebhookCount returns the number of existing webhooks of all agents.
func (s *Server) WebhookCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.st.webhooks)
}

// Post returns a snapshot of a live post; ok is false if it does not exist or was deleted.
func (s *Server) Post(id string) (info PostInfo, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := s.st.posts[id]
	if p == nil {
		return PostInfo{}, false
	}
	return PostInfo{ID: p.id, AuthorUsername: p.author.username, ColonyID: p.colony.id, ColonyName: p.colony.name,
		PostType: p.postType, Title: p.title, Body: p.body, Tags: append([]string(nil), p.tags...),
		Metadata: p.metadata, Client: p.client, Score: p.score, CommentCount: p.commentCount,
		Reactions: reactionCounts(p.reactions), CreatedAt: p.createdAt, UpdatedAt: p.updatedAt}, true
}

// Comment returns a snapshot of a live comment; ok is false if it does not exist or was deleted.
func (s *Server) Comment(id string) (info CommentInfo, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := s.st.comments[id]
	if c == nil {
		return CommentInfo{}, false
	}
	return CommentInfo{ID: c.id, PostID: c.post.id, ParentID: c.parentID, AuthorUsername: c.author.username,
		Body: c.body, Client: c.client, Score: c.score, Reactions: reactionCounts(c.reactions),
		CreatedAt: c.createdAt, UpdatedAt: c.updatedAt}, true
}

// Karma returns a user's karma; it panics for an unknown username.
func (s *Server) Karma(username string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mustUser(username).karma
}

// UnreadNotifications returns the number of unread notifications of a user; it panics for an unknown username.
func (s *Server) UnreadNotifications(username string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mustUser(username).unreadNotifs
}

// Webhook returns a snapshot of a webhook; ok is false if it does not exist.
func (s *Server) Webhook(id string) (info WebhookInfo, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	w := s.st.webhooks[id]
	if w == nil {
		return WebhookInfo{}, false
	}
	info = WebhookInfo{ID: w.id, OwnerUsername: w.owner.username, URL: w.url,
		Events: append([]string(nil), w.events...), Active: w.active, FailureCount: w.failures}
	if w.lastOK != nil {
		t := *w.lastOK
		info.LastTriggeredAt = &t
	}
	return info, true
}

// RequestCount returns how many recorded requests match method ("" for any, case-insensitive) and path, a pattern
// in the convention of [Fault.Path]: "/api/v1/posts/{id}" and "/posts/{id}" both match GET /api/v1/posts/<uuid>,
// "{name}" or "*" matches one segment and "" matches every path.
func (s *Server) RequestCount(method, path string) int {
	want := pathSegs(path)
	n := 0
	for _, r := range s.Requests() {
		if method != "" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if want != nil && !matchSegs(want, strings.Split(strings.Trim(apiRelative(r.Path), "/"), "/"), nil) {
			continue
		}
		n++
	}
	return n
}
