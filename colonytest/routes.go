package colonytest

import "net/http"

const (
	mGet  = http.MethodGet
	mPost = http.MethodPost
	mPut  = http.MethodPut
	mDel  = http.MethodDelete
)

// routeTable lists every endpoint: the core routes below, then each resource
// group's own table. Order does not matter (see Server.match).
func (s *Server) routeTable() []*route {
	var all []*route
	for _, group := range [][]*route{
		s.coreRoutes(), s.accountRoutes(), s.messagingRoutes(), s.groupRoutes(), s.contentRoutes(),
		s.peopleRoutes(), s.inboxRoutes(), s.moderationRoutes(), s.orgRoutes(),
	} {
		all = append(all, group...)
	}
	return all
}

// coreRoutes are the endpoints colony-sdk 1.8 calls.
func (s *Server) coreRoutes() []*route {
	return []*route{
		{method: mPost, pattern: "/auth/token", public: true, limit: RateLimitToken, h: s.handleToken},
		{method: mPost, pattern: "/auth/register", public: true, h: s.handleRegister},
		{method: mPost, pattern: "/auth/rotate-key", h: s.handleRotateKey},

		{method: mGet, pattern: "/posts", h: s.handleListPosts},
		{method: mPost, pattern: "/posts", limit: RateLimitPost, h: s.handleCreatePost},
		{method: mGet, pattern: "/posts/{post_id}", h: s.handleGetPost},
		{method: mPut, pattern: "/posts/{post_id}", h: s.handleUpdatePost},
		{method: mDel, pattern: "/posts/{post_id}", h: s.handleDeletePost},
		{method: mGet, pattern: "/posts/{post_id}/context", h: s.handlePostContext},
		{method: mGet, pattern: "/posts/{post_id}/conversation", h: s.handlePostConversation},
		{method: mGet, pattern: "/posts/{post_id}/comments", h: s.handleListComments},
		{method: mPost, pattern: "/posts/{post_id}/comments", limit: RateLimitComment, h: s.handleCreateComment},
		{method: mPost, pattern: "/posts/{post_id}/vote", limit: RateLimitVote, h: s.handleVotePost},

		{method: mGet, pattern: "/comments/{comment_id}", h: s.handleGetComment},
		{method: mPut, pattern: "/comments/{comment_id}", h: s.handleUpdateComment},
		{method: mDel, pattern: "/comments/{comment_id}", h: s.handleDeleteComment},
		{method: mPost, pattern: "/comments/{comment_id}/vote", limit: RateLimitVote, h: s.handleVoteComment},

		{method: mPost, pattern: "/reactions/toggle", h: s.handleReaction},

		{method: mGet, pattern: "/polls/{post_id}/results", h: s.handlePollResults},
		{method: mPost, pattern: "/polls/{post_id}/vote", h: s.handlePollVote},

		{method: mPost, pattern: "/messages/send/{username}", h: s.handleSendMessage},
		{method: mGet, pattern: "/messages/conversations", h: s.handleListConversations},
		{method: mGet, pattern: "/messages/conversations/{username}", h: s.handleGetConversation},
		{method: mGet, pattern: "/messages/unread-count", h: s.handleUnreadCount},
		{method: mPost, pattern: "/messages/conversations/{username}/read", h: s.convAction("read")},
		{method: mPost, pattern: "/messages/conversations/{username}/archive", h: s.convAction("archive")},
		{method: mPost, pattern: "/messages/conversations/{username}/unarchive", h: s.convAction("unarchive")},
		{method: mPost, pattern: "/messages/conversations/{username}/mute", h: s.convAction("mute")},
		{method: mPost, pattern: "/messages/conversations/{username}/unmute", h: s.convAction("unmute")},

		{method: mGet, pattern: "/search", h: s.handleSearch},

		{method: mGet, pattern: "/users/directory", h: s.handleDirectory},
		{method: mGet, pattern: "/users/me", h: s.handleMe},
		{method: mPut, pattern: "/users/me", h: s.handleUpdateMe},
		{method: mGet, pattern: "/users/{user_id}", h: s.handleGetUser},
		{method: mPost, pattern: "/users/{user_id}/follow", h: s.handleFollow},
		{method: mDel, pattern: "/users/{user_id}/follow", h: s.handleUnfollow},

		{method: mGet, pattern: "/notifications", h: s.handleNotifications},
		{method: mGet, pattern: "/notifications/count", h: s.handleNotificationCount},
		{method: mPost, pattern: "/notifications/read-all", h: s.handleReadAll},
		{method: mPost, pattern: "/notifications/{notification_id}/read", h: s.handleReadOne},

		{method: mGet, pattern: "/colonies", h: s.handleColonies},
		{method: mPost, pattern: "/colonies/{colony_id}/join", h: s.handleJoin},
		{method: mPost, pattern: "/colonies/{colony_id}/leave", h: s.handleLeave},

		{method: mGet, pattern: "/webhooks", h: s.handleListWebhooks},
		{method: mPost, pattern: "/webhooks", limit: RateLimitWebhook, h: s.handleCreateWebhook},
		{method: mGet, pattern: "/webhooks/{webhook_id}", h: s.handleGetWebhook},
		{method: mPut, pattern: "/webhooks/{webhook_id}", h: s.handleUpdateWebhook},
		{method: mDel, pattern: "/webhooks/{webhook_id}", h: s.handleDeleteWebhook},
		{method: mPost, pattern: "/webhooks/{webhook_id}/test", nolock: true, h: s.handleTestWebhook},
		{method: mGet, pattern: "/webhooks/{webhook_id}/deliveries", h: s.handleWebhookDeliveries},

		{method: mGet, pattern: "/trending/posts/rising", h: s.handleRising},
		{method: mGet, pattern: "/trending/tags", h: s.handleTrendingTags},
		{method: mGet, pattern: "/agents/{username}/report", h: s.handleAgentReport},
	}
}
