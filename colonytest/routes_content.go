package colonytest

import "fmt"

// contentState holds the server's state for feeds and discovery (group C), posts and comments (groups D, E), echoes (V), wiki (W) and notarisation (X); it is guarded by Server.mu like the rest of state.
type contentState struct {
	mods        map[string]map[string]bool // colony id -> moderator user ids
	sandbox     map[string]bool            // colony ids that accept moved posts
	moves       []postMove                 // the post_moves audit log
	notars      map[string]*notarRecord    // subject id -> record
	notarOrder  []*notarRecord
	notarSeq    int64
	echoes      []*echo // oldest first
	echoByID    map[string]*echo
	wiki        map[string]*wikiPage // scope key (colony name + "\x00" + slug) -> page, deleted ones kept
	wikiOrder   []*wikiPage
	suggestions bool // the feature flag of GET /suggestions
}

func newContentState() *contentState {
	return &contentState{mods: map[string]map[string]bool{},
		sandbox: map[string]bool{"cb4d2ed0-0425-4d26-8755-d4bfd0130c1d": true}, // test-posts
		notars:  map[string]*notarRecord{}, echoByID: map[string]*echo{}, wiki: map[string]*wikiPage{}}
}

// contentRoutes lists the endpoints of feeds and discovery (group C), posts and comments (groups D, E), echoes (V), wiki (W) and notarisation (X).
func (s *Server) contentRoutes() []*route {
	return []*route{
		{method: mGet, pattern: "/feed/for-you", h: s.handleForYou},
		{method: mGet, pattern: "/me/bootstrap", h: s.handleBootstrap},
		{method: mGet, pattern: "/suggestions", h: s.handleSuggestions},

		{method: mPost, pattern: "/posts/{post_id}/close", h: s.handleClosePost(true)},
		{method: mPost, pattern: "/posts/{post_id}/reopen", h: s.handleClosePost(false)},
		{method: mPost, pattern: "/posts/{post_id}/pin", h: s.handlePinPost},
		{method: mPut, pattern: "/posts/{post_id}/colony", h: s.handleMovePost},
		{method: mPost, pattern: "/posts/{post_id}/crosspost", limit: RateLimitPost, h: s.handleCrosspost},
		{method: mPut, pattern: "/posts/{post_id}/language", h: s.handlePostLanguage},
		{method: mPut, pattern: "/posts/{post_id}/sentinel-scanned", h: s.handleMarkScanned("post_id")},
		{method: mPut, pattern: "/comments/{comment_id}/sentinel-scanned", h: s.handleMarkScanned("comment_id")},
		{method: mPut, pattern: "/posts/{post_id}/tags", h: s.handleSetPostTags},

		{method: mPost, pattern: "/posts/{post_id}/notarise", h: s.handleNotarise("post")},
		{method: mPost, pattern: "/comments/{comment_id}/notarise", h: s.handleNotarise("comment")},
		{method: mGet, pattern: "/posts/{post_id}/notarisation", public: true, h: s.handleNotarisation("post_id")},
		{method: mGet, pattern: "/comments/{comment_id}/notarisation", public: true, h: s.handleNotarisation("comment_id")},
		{method: mGet, pattern: "/users/{user_id}/comments", h: s.handleUserComments},
		{method: mGet, pattern: "/users/by-username/{username}/comments", h: s.handleUserComments},
		{method: mGet, pattern: "/users/{user_id}/notarisations", public: true, h: s.handleUserNotarisations},
		{method: mGet, pattern: "/users/by-username/{username}/notarisations", public: true, h: s.handleUserNotarisations},

		{method: mGet, pattern: "/echoes", h: s.handleListEchoes},
		{method: mPost, pattern: "/echoes", h: s.handleCreateEcho},
		{method: mDel, pattern: "/echoes/{echo_id}", h: s.handleDeleteEcho},

		{method: mGet, pattern: "/wiki", h: s.handleListWiki},
		{method: mPost, pattern: "/wiki", h: s.handleCreateWiki},
		{method: mGet, pattern: "/wiki/{slug}", h: s.handleGetWiki},
		{method: mPut, pattern: "/wiki/{slug}", h: s.handleUpdateWiki},
		{method: mDel, pattern: "/wiki/{slug}", h: s.handleDeleteWiki},
		{method: mGet, pattern: "/wiki/{slug}/history", h: s.handleWikiHistory},
		{method: mGet, pattern: "/wiki/{slug}/revision/{revision_id}", h: s.handleWikiRevision},
	}
}

// SetTeamRole gives a user a platform team role: "sentinel" (may move posts to sandbox colonies and set
// sentinel-scanned marks), "admin" (moderates every colony) or "" (none). It panics for an unknown username.
func (s *Server) SetTeamRole(username, role string) {
	if role != "" && role != "sentinel" && role != "admin" {
		panic(fmt.Sprintf("colonytest: unknown team role %q", role))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustUser(username).teamRole = role
}

// SetColonyModerator makes a user a moderator of a colony (name or UUID), who may then close, reopen and pin its
// posts; no API call grants this in the content area. It panics for an unknown user or colony.
func (s *Server) SetColonyModerator(colony, username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	col := s.st.colonyRef(colony)
	if col == nil {
		panic(fmt.Sprintf("colonytest: unknown colony %q", colony))
	}
	u := s.mustUser(username)
	if s.st.content.mods[col.id] == nil {
		s.st.content.mods[col.id] = map[string]bool{}
	}
	s.st.content.mods[col.id][u.id] = true
}

// EnableSuggestions turns on the feature flag of GET /suggestions, which answers 404 until then, as live.
func (s *Server) EnableSuggestions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.content.suggestions = true
}

// LockWikiPage locks or unlocks a wiki page of a colony (name; "" for the global wiki): a locked page refuses
// every edit with 403. It panics for an unknown page.
func (s *Server) LockWikiPage(colony, slug string, locked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pg := s.st.content.wiki[wikiKey(colony, slug)]
	if pg == nil || pg.deleted {
		panic(fmt.Sprintf("colonytest: unknown wiki page %q in %q", slug, colony))
	}
	pg.locked = locked
}

// isModerator reports whether u moderates col (a colony moderator or an admin).
func (s *Server) isModerator(u *user, col *colony) bool {
	return u.teamRole == "admin" || s.st.content.mods[col.id][u.id]
}
