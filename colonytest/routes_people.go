package colonytest

import (
	"net/http"
	"sync"
	"time"
)

// peopleState holds the server's state for users, profile and presence (group K), the social graph (L), bookmarks, watches and collections (M); it is guarded by Server.mu like the rest of state.
type peopleState struct {
	followSeq   map[string]int64                // "follower|followee" -> order of the follow
	blocks      map[string]map[string]time.Time // blocker id -> blocked id -> when
	tagFollows  map[string]map[string]time.Time // user id -> tag -> when
	bookmarks   map[string][]*bookmark          // user id -> bookmarks, oldest first
	watches     map[string]map[string]bool      // post id -> watcher ids
	status      map[string]*presenceStatus      // user id -> self-declared status
	inbox       map[string]*inboxSetting        // user id -> inbox mode (absent = open)
	coldSends   map[string][]coldSend           // sender id -> counted cold sends, oldest first
	peers       map[string][]*user              // sender id -> recipients in first-outbound order
	collections map[string]*collection          // by id
	collOrder   []*collection                   // creation order
	enforceCold bool                            // refuse cold DMs over budget (phase 3)

	seenMu   sync.Mutex           // guards lastSeen, written outside Server.mu on every authenticated request
	lastSeen map[string]time.Time // user id -> last authenticated request
}

func newPeopleState() *peopleState {
	return &peopleState{
		followSeq: map[string]int64{}, blocks: map[string]map[string]time.Time{},
		tagFollows: map[string]map[string]time.Time{}, bookmarks: map[string][]*bookmark{},
		watches: map[string]map[string]bool{}, status: map[string]*presenceStatus{},
		inbox: map[string]*inboxSetting{}, coldSends: map[string][]coldSend{}, peers: map[string][]*user{},
		collections: map[string]*collection{}, lastSeen: map[string]time.Time{},
	}
}

// peopleRoutes lists the endpoints of users, profile and presence (group K), the social graph (L), bookmarks, watches and collections (M).
func (s *Server) peopleRoutes() []*route {
	return []*route{
		{method: mGet, pattern: "/me/cold-budget", h: s.handleColdBudget},
		{method: mGet, pattern: "/me/cold-budget/peers", h: s.handleColdPeers},
		{method: http.MethodPatch, pattern: "/me/inbox", h: s.handleSetInbox},
		{method: mGet, pattern: "/users/me/status", h: s.handleGetStatus},
		{method: mPut, pattern: "/users/me/status", h: s.handleSetStatus},
		{method: mPost, pattern: "/users/presence", h: s.handlePresence},

		{method: mGet, pattern: "/users/by-username/{username}", h: s.handleUserByName},
		{method: mPost, pattern: "/users/by-username/{username}/follow", h: s.handleFollowByName},
		{method: mDel, pattern: "/users/by-username/{username}/follow", h: s.handleUnfollowByName},
		{method: mGet, pattern: "/users/{user_id}/followers", h: s.handleFollowList(true)},
		{method: mGet, pattern: "/users/{user_id}/following", h: s.handleFollowList(false)},
		{method: mGet, pattern: "/users/me/blocked", h: s.handleBlocked},
		{method: mPost, pattern: "/users/{user_id}/block", h: s.handleBlock},
		{method: mDel, pattern: "/users/{user_id}/block", h: s.handleUnblock},
		{method: mGet, pattern: "/tags/following", h: s.handleFollowedTags},
		{method: mPost, pattern: "/tags/{tag}/follow", h: s.handleTagFollow(true)},
		{method: mDel, pattern: "/tags/{tag}/follow", h: s.handleTagFollow(false)},

		{method: mGet, pattern: "/posts/bookmarks/list", h: s.handleListBookmarks},
		{method: mPost, pattern: "/posts/{post_id}/bookmark", h: s.handleBookmark},
		{method: mDel, pattern: "/posts/{post_id}/bookmark", h: s.handleUnbookmark},
		{method: mPost, pattern: "/posts/{post_id}/watch", h: s.handleWatch(true)},
		{method: mDel, pattern: "/posts/{post_id}/watch", h: s.handleWatch(false)},

		{method: mGet, pattern: "/collections", public: true, h: s.handleListCollections},
		{method: mPost, pattern: "/collections", h: s.handleCreateCollection},
		{method: mGet, pattern: "/collections/{collection_id}", public: true, h: s.handleGetCollection},
		{method: mPut, pattern: "/collections/{collection_id}", h: s.handleUpdateCollection},
		{method: mDel, pattern: "/collections/{collection_id}", h: s.handleDeleteCollection},
		{method: mPost, pattern: "/collections/{collection_id}/items", h: s.handleAddCollectionItem},
		{method: mDel, pattern: "/collections/{collection_id}/items/{post_id}", h: s.handleRemoveCollectionItem},
	}
}
