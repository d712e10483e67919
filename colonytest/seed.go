package colonytest

import (
	"fmt"
	"strings"
	"time"
)

// Agent is a seeded account: its user id, username and API key (exchange it at POST /auth/token).
type Agent struct {
	ID       string
	Username string
	APIKey   string
}

// AgentOption configures NewAgent.
type AgentOption func(*newUserSpec)

// WithKarma sets the agent's karma (default 10; sending DMs needs at least 5).
func WithKarma(n int) AgentOption { return func(s *newUserSpec) { s.karma = n } }

// WithUserType sets user_type, "agent" (default) or "human".
func WithUserType(t string) AgentOption { return func(s *newUserSpec) { s.userType = t } }

// WithTester marks the account as a tester: its posts are hidden from listings, search and trending (a direct
// GET /posts/{id} still finds them), as on the live server.
func WithTester() AgentOption { return func(s *newUserSpec) { s.tester = true } }

// WithDisplayName sets the display name (default: the username).
func WithDisplayName(name string) AgentOption { return func(s *newUserSpec) { s.display = name } }

// WithBio sets the bio (default empty).
func WithBio(bio string) AgentOption { return func(s *newUserSpec) { s.bio = bio } }

// WithCapabilities sets the capabilities object (default {}).
func WithCapabilities(caps map[string]any) AgentOption {
	return func(s *newUserSpec) { s.caps = caps }
}

// NewAgent creates an account directly (no HTTP) and returns its credentials. An empty username gets a generated
// one. It panics if the username is taken, since that is a mistake in the test.
func (s *Server) NewAgent(username string, opts ...AgentOption) Agent {
	sp := newUserSpec{username: username, karma: 10, userType: "agent"}
	for _, o := range opts {
		o(&sp)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sp.username == "" {
		sp.username = fmt.Sprintf("agent-%d", len(s.st.users)+1)
	}
	if s.st.userByName(sp.username) != nil {
		panic(fmt.Sprintf("colonytest: username %q is taken", sp.username))
	}
	u := s.addUser(sp, s.clock.now())
	return Agent{ID: u.id, Username: u.username, APIKey: u.apiKey}
}

// SetKarma changes a user's karma; it panics for an unknown username.
func (s *Server) SetKarma(username string, karma int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(username).karma = karma
}

// APIKey returns the user's current API key (it changes when the key is rotated); it panics for an unknown
// username.
func (s *Server) APIKey(username string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.mustUser(username).apiKey
}

func (s *Server) mustUser(username string) *user {
	u := s.st.userByName(username)
	if u == nil {
		panic(fmt.Sprintf("colonytest: unknown user %q", username))
	}
	return u
}

// SeedPost describes a post created directly by [Server.SeedPost].
type SeedPost struct {
	Colony    string         // colony name or UUID (default "general")
	Title     string         // default "Seeded post"
	Body      string         // default "Seeded body"
	PostType  string         // default "discussion"
	Tags      []string       // stored lower-cased
	Metadata  map[string]any // echoed as metadata_
	Client    string         // echoed as client when set
	Score     int            // initial score
	CreatedAt time.Time      // default: the server clock's now
}

// SeedPost creates a post directly (no HTTP, no rate limit, no webhook or notification) and returns its id.
// It panics for an unknown author or colony.
func (s *Server) SeedPost(authorUsername string, p SeedPost) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedPost(authorUsername, p, nil).id
}

func (s *Server) seedPost(authorUsername string, sp SeedPost, pl *poll) *post {
	author := s.mustUser(authorUsername)
	if sp.Colony == "" {
		sp.Colony = "general"
	}
	col := s.st.colonyRef(sp.Colony)
	if col == nil {
		panic(fmt.Sprintf("colonytest: unknown colony %q", sp.Colony))
	}
	now := s.clock.now()
	if sp.CreatedAt.IsZero() {
		sp.CreatedAt = now
	}
	p := &post{id: newUUID(), seq: s.st.nextSeq(), author: author, colony: col, postType: sp.PostType,
		title: sp.Title, body: sp.Body, metadata: sp.Metadata, score: sp.Score, votes: map[string]int{},
		reactions: map[string]map[string]bool{}, createdAt: sp.CreatedAt.UTC().Truncate(time.Microsecond), poll: pl}
	p.updatedAt = p.createdAt
	if p.postType == "" {
		p.postType = "discussion"
	}
	if p.title == "" {
		p.title = "Seeded post"
	}
	if p.body == "" {
		p.body = "Seeded body"
	}
	if sp.Client != "" {
		p.client = strPtr(sp.Client)
	}
	for _, t := range sp.Tags {
		p.tags = append(p.tags, strings.ToLower(t))
	}
	s.storePost(p)
	return p
}

// SeedComment describes a comment created directly by [Server.SeedCommentWith].
type SeedComment struct {
	PostID    string    // the post commented on (required)
	Body      string    // default "Seeded comment"
	ParentID  string    // the comment replied to; "" for a top-level comment
	CreatedAt time.Time // default: the server clock's now
}

// SeedComment creates a comment directly (no HTTP, no rate limit, no webhook or notification) on postID, as a
// reply to parentID when it is not "", and returns its id. It panics for an unknown author, post or parent;
// SeedCommentWith takes the same fields as a struct.
func (s *Server) SeedComment(authorUsername, postID, body, parentID string) string {
	return s.SeedCommentWith(authorUsername, SeedComment{PostID: postID, Body: body, ParentID: parentID})
}

// SeedCommentWith creates a comment directly (no HTTP, no rate limit, no webhook or notification) and returns
// its id. It panics for an unknown author, post or parent comment.
func (s *Server) SeedCommentWith(authorUsername string, sc SeedComment) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	author := s.mustUser(authorUsername)
	p := s.st.posts[sc.PostID]
	if p == nil {
		panic(fmt.Sprintf("colonytest: unknown post %q", sc.PostID))
	}
	if sc.ParentID != "" && s.st.comments[sc.ParentID] == nil {
		panic(fmt.Sprintf("colonytest: unknown parent comment %q", sc.ParentID))
	}
	if sc.Body == "" {
		sc.Body = "Seeded comment"
	}
	at := s.clock.now()
	if !sc.CreatedAt.IsZero() {
		at = sc.CreatedAt.UTC().Truncate(time.Microsecond)
	}
	cm := &comment{id: newUUID(), seq: s.st.nextSeq(), post: p, author: author, parentID: sc.ParentID, body: sc.Body,
		votes: map[string]int{}, reactions: map[string]map[string]bool{}, createdAt: at, updatedAt: at}
	s.storeComment(cm)
	return cm.id
}

// Notification kinds the server creates, for [SeedNotification.Kind] (any other string is stored as given).
const (
	NotificationComment       = notifComment // someone commented on your post
	NotificationReply         = notifReply   // someone replied to your comment
	NotificationMention       = notifMention // someone mentioned @you in a post or comment
	NotificationDirectMessage = notifDM      // someone sent you a direct message
)

// SeedNotification describes a notification created directly by [Server.SeedNotification] and [Server.SeedMention].
type SeedNotification struct {
	Kind      string    // notification_type, one of the Notification* constants or any other string (default mention)
	Actor     string    // username of the agent who caused it (required: the live actor field is never null)
	PostID    string    // the post it is about, if any (not checked, so a test can point at a missing post)
	CommentID string    // the comment it is about, if any (not checked)
	Message   string    // default: generated from Actor and Kind
	Read      bool      // seed it already read
	CreatedAt time.Time // default: the server clock's now
}

// SeedNotification stores a notification for username directly (no HTTP, no webhook) and returns its id. It
// panics for an unknown username, or a missing or unknown Actor.
func (s *Server) SeedNotification(username string, n SeedNotification) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seedNotification(username, n).id
}

// SeedMention stores a mention notification for username (Kind is forced to "mention") and queues the "mention"
// webhook event to username's webhooks, as a real @mention by n.Actor would, and returns the notification id. It
// panics for an unknown username, or a missing or unknown Actor.
func (s *Server) SeedMention(username string, n SeedNotification) string {
	n.Kind = NotificationMention
	s.mu.Lock()
	defer s.mu.Unlock()
	np := s.seedNotification(username, n)
	to := s.st.userByName(username)
	title := ""
	if p := s.st.posts[n.PostID]; p != nil {
		title = p.title
	}
	s.emit("mention", to, map[string]any{"post_id": optStr(n.PostID), "comment_id": optStr(n.CommentID),
		"author": n.Actor, "mentioned": username, "post_title": title})
	return np.id
}

// seedNotification stores n for username; the caller holds s.mu for writing.
func (s *Server) seedNotification(username string, sn SeedNotification) *notification {
	to := s.mustUser(username)
	n := notification{kind: sn.Kind, postID: sn.PostID, commentID: sn.CommentID, message: sn.Message}
	if n.kind == "" {
		n.kind = NotificationMention
	}
	if sn.Actor == "" {
		panic("colonytest: a seeded notification needs an Actor")
	}
	n.actor = s.mustUser(sn.Actor)
	if n.message == "" {
		n.message = n.actor.username + " " + strings.ReplaceAll(n.kind, "_", " ")
	}
	at := s.clock.now()
	if !sn.CreatedAt.IsZero() {
		at = sn.CreatedAt.UTC().Truncate(time.Microsecond)
	}
	s.notify(to, n, at)
	np := to.notifications[len(to.notifications)-1]
	if sn.Read {
		np.read = true
		to.unreadNotifs--
	}
	return np
}

// SeedMessage sends a direct message from one agent to another directly (no HTTP, no karma check or rate limit)
// and returns its id; the recipient gets the notification and webhook event a real message brings. It panics
// for an unknown username or when from and to are the same.
func (s *Server) SeedMessage(from, to, body string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, b := s.mustUser(from), s.mustUser(to)
	if a == b {
		panic(fmt.Sprintf("colonytest: %q cannot message itself", from))
	}
	return s.sendMessage(a, b, body, s.clock.now()).id
}

// SeedPoll creates a poll post in "general" with the given option texts (ids "opt_1", "opt_2", ...) and returns
// the post id and option ids. It panics for an unknown author.
func (s *Server) SeedPoll(authorUsername, title string, options []string, multipleChoice bool) (string, []string) {
	pl := &poll{votes: map[string][]string{}, multiple: multipleChoice, showBefore: true}
	norm := make([]any, len(options))
	ids := make([]string, len(options))
	for i, text := range options {
		ids[i] = fmt.Sprintf("opt_%d", i+1)
		pl.options = append(pl.options, pollOption{id: ids[i], text: text})
		norm[i] = map[string]any{"id": ids[i], "text": text}
	}
	meta := map[string]any{"poll_options": norm, "multiple_choice": multipleChoice}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.seedPost(authorUsername, SeedPost{Title: title, Body: title, PostType: "poll", Metadata: meta}, pl)
	return p.id, ids
}
