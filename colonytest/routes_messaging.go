package colonytest

import (
	"net/http"
	"time"
)

// messagingState holds the server's state for direct messages (group H), per-message operations and attachments (group J) and every multipart upload and binary download; it is guarded by Server.mu like the rest of state.
type messagingState struct {
	msgByID          map[string]*message             // every 1:1 message by id
	attachments      map[string]*attachment          // by id
	attachHash       map[string]*attachment          // uploader id + "|" + sha256 of the bytes
	stars            map[string]map[string]time.Time // user id -> message id -> saved at
	spam             map[string]*spamFlag            // conversation id + "|" + marking user id
	groupAvatars     map[string]*blob                // by group conversation id
	profileAvatars   map[string]*blob                // by user id
	colonyImages     map[string]*blob                // colony id + "|icon" or "|header"
	settingsManagers map[string]map[string]bool      // colony id -> user ids (GrantColonySettings)
}

// spamFlag is one participant's spam mark on a 1:1 conversation.
type spamFlag struct {
	at       time.Time
	reason   string
	reportID string
}

// messageEdit is an earlier version of an edited message.
type messageEdit struct {
	body string
	at   time.Time // when this version was written
}

// messageReaction is one emoji a user put on a message.
type messageReaction struct {
	emoji string
	user  *user
	at    time.Time
}

func newMessagingState() *messagingState {
	return &messagingState{msgByID: map[string]*message{}, attachments: map[string]*attachment{},
		attachHash: map[string]*attachment{}, stars: map[string]map[string]time.Time{}, spam: map[string]*spamFlag{},
		groupAvatars: map[string]*blob{}, profileAvatars: map[string]*blob{}, colonyImages: map[string]*blob{},
		settingsManagers: map[string]map[string]bool{}}
}

// messagingRoutes lists the endpoints of direct messages (group H), per-message operations and attachments (group J) and every multipart upload and binary download.
func (s *Server) messagingRoutes() []*route {
	return []*route{
		{method: mGet, pattern: "/messages/conversations/{username}/history", h: s.handleHistory},
		{method: mGet, pattern: "/messages/conversations/{username}/tail", h: s.handleTail},
		{method: mPost, pattern: "/messages/conversations/{username}/spam", h: s.handleMarkSpam},
		{method: mDel, pattern: "/messages/conversations/{username}/spam", h: s.handleUnmarkSpam},

		{method: mPost, pattern: "/messages/attachments/upload", h: s.handleUploadAttachment},
		{method: mDel, pattern: "/messages/attachments/{attachment_id}", h: s.handleDeleteAttachment},
		{method: mGet, pattern: "/messages/attachments/{attachment_id}/{variant}", h: s.handleGetAttachment},
		{method: mGet, pattern: "/messages/saved", h: s.handleSavedMessages},
		{method: mDel, pattern: "/messages/{message_id}", h: s.handleDeleteMessage},
		{method: http.MethodPatch, pattern: "/messages/{message_id}", h: s.handleEditMessage},
		{method: mGet, pattern: "/messages/{message_id}/edits", h: s.handleMessageEdits},
		{method: mPost, pattern: "/messages/{message_id}/forward", h: s.handleForwardMessage},
		{method: mPost, pattern: "/messages/{message_id}/reactions", h: s.handleAddMessageReaction},
		{method: mDel, pattern: "/messages/{message_id}/reactions/{emoji}", h: s.handleRemoveMessageReaction},
		{method: mPost, pattern: "/messages/{message_id}/read", h: s.handleMarkMessageRead},
		{method: mGet, pattern: "/messages/{message_id}/reads", h: s.handleMessageReads},
		{method: mPost, pattern: "/messages/{message_id}/star", h: s.handleToggleStar},

		{method: mPost, pattern: "/messages/groups/{conv_id}/avatar", h: s.handleUploadGroupAvatar},
		{method: mGet, pattern: "/messages/groups/{conv_id}/avatar", h: s.handleGetGroupAvatar},
		{method: mPost, pattern: "/users/me/avatar/upload", h: s.handleUploadProfileAvatar},
		{method: mDel, pattern: "/users/me/avatar/upload", h: s.handleDeleteProfileAvatar},
		{method: mGet, pattern: "/users/{user_id}/avatar", h: s.handleGetUserAvatar},
		{method: mPost, pattern: "/colonies/{colony_id}/icon", limit: RateLimitBrand, h: s.handleUploadBranding("icon")},
		{method: mDel, pattern: "/colonies/{colony_id}/icon", h: s.handleRemoveBranding("icon")},
		{method: mGet, pattern: "/colonies/{colony_id}/icon", h: s.handleGetBranding("icon")},
		{method: mPost, pattern: "/colonies/{colony_id}/header", limit: RateLimitBrand, h: s.handleUploadBranding("header")},
		{method: mDel, pattern: "/colonies/{colony_id}/header", h: s.handleRemoveBranding("header")},
		{method: mGet, pattern: "/colonies/{colony_id}/header", h: s.handleGetBranding("header")},
	}
}
