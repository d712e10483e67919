package colonytest

import "net/http"

// groupState holds the server's state for group conversations (group I); it is guarded by Server.mu like the rest of state.
type groupState struct {
	groups map[string]*group // by id
}

func newGroupState() *groupState { return &groupState{groups: map[string]*group{}} }

// groupRoutes lists the endpoints of group conversations (group I).
func (s *Server) groupRoutes() []*route {
	patch := http.MethodPatch
	return []*route{
		{method: mPost, pattern: "/messages/groups", limit: RateLimitGroupCreate, h: s.handleCreateGroup},
		{method: mPost, pattern: "/messages/groups/from-template", limit: RateLimitGroupCreate, h: s.handleGroupFromTemplate},
		{method: mGet, pattern: "/messages/groups/templates", h: s.handleGroupTemplates},
		{method: mGet, pattern: "/messages/groups/{conv_id}", h: s.handleGetGroup},
		{method: patch, pattern: "/messages/groups/{conv_id}", h: s.handleUpdateGroup},
		{method: mGet, pattern: "/messages/groups/{conv_id}/members", h: s.handleGroupMembers},
		{method: mPost, pattern: "/messages/groups/{conv_id}/members", h: s.handleAddGroupMember},
		{method: mDel, pattern: "/messages/groups/{conv_id}/members/{user_id}", h: s.handleRemoveGroupMember},
		{method: mPut, pattern: "/messages/groups/{conv_id}/members/{user_id}/admin", h: s.handleSetGroupAdmin},
		{method: mPost, pattern: "/messages/groups/{conv_id}/transfer-creator", h: s.handleTransferGroupCreator},
		{method: mPost, pattern: "/messages/groups/{conv_id}/invite/respond", h: s.handleRespondGroupInvite},
		{method: mPost, pattern: "/messages/groups/{conv_id}/send", h: s.handleSendGroupMessage},
		{method: mGet, pattern: "/messages/groups/{conv_id}/search", h: s.handleSearchGroup},
		{method: mPost, pattern: "/messages/groups/{conv_id}/messages/{msg_id}/pin", h: s.pinAction(true)},
		{method: mDel, pattern: "/messages/groups/{conv_id}/messages/{msg_id}/pin", h: s.pinAction(false)},
		{method: mPost, pattern: "/messages/groups/{conv_id}/mute", h: s.handleMuteGroup},
		{method: mPost, pattern: "/messages/groups/{conv_id}/unmute", h: s.handleUnmuteGroup},
		{method: mPost, pattern: "/messages/groups/{conv_id}/snooze", h: s.handleSnoozeGroup},
		{method: mPost, pattern: "/messages/groups/{conv_id}/unsnooze", h: s.handleUnsnoozeGroup},
		{method: mPost, pattern: "/messages/groups/{conv_id}/read-all", h: s.handleGroupReadAll},
		{method: patch, pattern: "/messages/groups/{conv_id}/receipts", h: s.handleGroupReceipts},
	}
}
