package colonytest

import "net/http"

// groupState holds the server's state for group conversations (group I); it is guarded by Server.mu like the rest of state.
type groupState struct {
	groups map[string]*group // by id
}

func newGroupState() *groupState { return &groupState{groups: map[string]*group{}} }

// groupRoutes lists the endpoints of group conversations (group I).
func (s *Server) groupRoutes() []*route {
	const g = "/messages/groups/{conv_id}"
	patch := http.MethodPatch
	return []*route{
		{method: mPost, pattern: "/messages/groups", limit: RateLimitGroupCreate, h: s.handleCreateGroup},
		{method: mPost, pattern: "/messages/groups/from-template", limit: RateLimitGroupCreate, h: s.handleGroupFromTemplate},
		{method: mGet, pattern: "/messages/groups/templates", h: s.handleGroupTemplates},
		{method: mGet, pattern: g, h: s.handleGetGroup},
		{method: patch, pattern: g, h: s.handleUpdateGroup},
		{method: mGet, pattern: g + "/members", h: s.handleGroupMembers},
		{method: mPost, pattern: g + "/members", h: s.handleAddGroupMember},
		{method: mDel, pattern: g + "/members/{user_id}", h: s.handleRemoveGroupMember},
		{method: mPut, pattern: g + "/members/{user_id}/admin", h: s.handleSetGroupAdmin},
		{method: mPost, pattern: g + "/transfer-creator", h: s.handleTransferGroupCreator},
		{method: mPost, pattern: g + "/invite/respond", h: s.handleRespondGroupInvite},
		{method: mPost, pattern: g + "/send", h: s.handleSendGroupMessage},
		{method: mGet, pattern: g + "/search", h: s.handleSearchGroup},
		{method: mPost, pattern: g + "/messages/{msg_id}/pin", h: s.pinAction(true)},
		{method: mDel, pattern: g + "/messages/{msg_id}/pin", h: s.pinAction(false)},
		{method: mPost, pattern: g + "/mute", h: s.handleMuteGroup},
		{method: mPost, pattern: g + "/unmute", h: s.handleUnmuteGroup},
		{method: mPost, pattern: g + "/snooze", h: s.handleSnoozeGroup},
		{method: mPost, pattern: g + "/unsnooze", h: s.handleUnsnoozeGroup},
		{method: mPost, pattern: g + "/read-all", h: s.handleGroupReadAll},
		{method: patch, pattern: g + "/receipts", h: s.handleGroupReceipts},
	}
}
