package colonytest

import "net/http"

// moderationState holds the server's state for colonies, branding and moderator invitations (group P) and colony moderation (Q); it is guarded by Server.mu like the rest of state.
type moderationState struct {
	colonies  map[string]*modColony // by colony id
	invites   map[string]*modInvite
	inviteSeq []*modInvite
	transfers map[string]*ownershipTransfer
	appeals   map[string]*banAppeal
}

func newModerationState() *moderationState {
	return &moderationState{colonies: map[string]*modColony{}, invites: map[string]*modInvite{},
		transfers: map[string]*ownershipTransfer{}, appeals: map[string]*banAppeal{}}
}

// moderationRoutes lists the endpoints of colonies, branding and moderator invitations (group P) and colony moderation (Q).
func (s *Server) moderationRoutes() []*route {
	return []*route{
		{method: mPost, pattern: "/colonies", h: s.handleCreateColony},
		{method: mGet, pattern: "/colonies/mod-invites/received", h: s.handleMyModInvites},
		{method: mPost, pattern: "/colonies/mod-invites/{invite_id}/accept", h: s.answerInvite(true)},
		{method: mPost, pattern: "/colonies/mod-invites/{invite_id}/decline", h: s.answerInvite(false)},
		{method: mGet, pattern: "/colonies/{colony_id}/mod-invites", h: s.handleColonyModInvites},
		{method: mPost, pattern: "/colonies/{colony_id}/mod-invites", h: s.handleInviteModerator},
		{method: mPost, pattern: "/colonies/{colony_id}/mod-invites/{invite_id}/revoke", h: s.handleRevokeModInvite},
		{method: mPost, pattern: "/colonies/{colony_id}/posts/{post_id}/move-out", h: s.handleMovePostOut},

		{method: http.MethodPatch, pattern: "/colonies/{colony_id}", h: s.handleUpdateSettings},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/accept", h: s.answerTransfer("accept")},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/decline", h: s.answerTransfer("decline")},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/cancel", h: s.answerTransfer("cancel")},
		{method: mGet, pattern: "/colonies/{colony_id}/ownership-transfers", h: s.handlePendingTransfer},
		{method: mPost, pattern: "/colonies/{colony_id}/ownership-transfers", h: s.handleProposeTransfer},
		{method: mGet, pattern: "/colonies/{colony_id}/deletion-request", h: s.handleGetDeletion},
		{method: mPost, pattern: "/colonies/{colony_id}/deletion-request", h: s.handleFileDeletion},
		{method: mDel, pattern: "/colonies/{colony_id}/deletion-request", h: s.handleCancelDeletion},
		{method: mGet, pattern: "/colonies/{colony_id}/mod-activity", h: s.handleModActivity},
		{method: mGet, pattern: "/colonies/{colony_id}/modmail", h: s.handleListModmail},
		{method: mPost, pattern: "/colonies/{colony_id}/modmail", h: s.handleOpenModmail},
		{method: mPost, pattern: "/colonies/{colony_id}/modmail/{conversation_id}/join", h: s.handleJoinModmail},

		{method: mGet, pattern: "/colonies/{colony_id}/appeal", h: s.handleMyBanStatus},
		{method: mPost, pattern: "/colonies/{colony_id}/appeal", h: s.handleSubmitAppeal},
		{method: mGet, pattern: "/colonies/{colony_id}/appeals", h: s.handleListAppeals},
		{method: mPost, pattern: "/colonies/{colony_id}/appeals/{appeal_id}/resolve", h: s.handleResolveAppeal},
		{method: mGet, pattern: "/colonies/{colony_id}/bans", h: s.handleListBans},
		{method: mPost, pattern: "/colonies/{colony_id}/bans/{user_id}", h: s.handleBan},
		{method: mDel, pattern: "/colonies/{colony_id}/bans/{user_id}", h: s.handleUnban},
		{method: mGet, pattern: "/colonies/{colony_id}/members", h: s.handleListMembers},
		{method: mDel, pattern: "/colonies/{colony_id}/members/{user_id}", h: s.handleRemoveMember},
		{method: mPost, pattern: "/colonies/{colony_id}/members/{user_id}/promote", h: s.handlePromote},
		{method: mPost, pattern: "/colonies/{colony_id}/members/{user_id}/demote", h: s.handleDemote},
		{method: mPut, pattern: "/colonies/{colony_id}/members/{user_id}/flair", h: s.handleAssignFlair},
		{method: mDel, pattern: "/colonies/{colony_id}/members/{user_id}/flair", h: s.handleClearFlair},
		{method: mGet, pattern: "/colonies/{colony_id}/members/{user_id}/history", h: s.handleMemberHistory},
		{method: mGet, pattern: "/colonies/{colony_id}/members/{user_id}/notes", h: s.handleListNotes},
		{method: mPost, pattern: "/colonies/{colony_id}/members/{user_id}/notes", h: s.handleAddNote},
		{method: mDel, pattern: "/colonies/{colony_id}/members/{user_id}/notes/{note_id}", h: s.handleDeleteNote},
		{method: mGet, pattern: "/colonies/{colony_id}/members/{user_id}/strikes", h: s.handleListStrikes},
		{method: mPost, pattern: "/colonies/{colony_id}/members/{user_id}/strikes", h: s.handleIssueStrike},

		{method: mGet, pattern: "/colonies/{colony_id}/automod-rules", h: s.handleListRules},
		{method: mPost, pattern: "/colonies/{colony_id}/automod-rules", h: s.handleCreateRule},
		{method: mPost, pattern: "/colonies/{colony_id}/automod-rules/dry-run", h: s.handleDryRunRule},
		{method: mPut, pattern: "/colonies/{colony_id}/automod-rules/order", h: s.handleReorderRules},
		{method: http.MethodPatch, pattern: "/colonies/{colony_id}/automod-rules/{rule_id}", h: s.handleUpdateRule},
		{method: mDel, pattern: "/colonies/{colony_id}/automod-rules/{rule_id}", h: s.handleDeleteRule},
		{method: mGet, pattern: "/colonies/{colony_id}/post-flairs", h: s.handleListPostFlairs},
		{method: mPost, pattern: "/colonies/{colony_id}/post-flairs", h: s.handleCreatePostFlair},
		{method: mDel, pattern: "/colonies/{colony_id}/post-flairs/{flair_id}", h: s.handleDeletePostFlair},
		{method: mGet, pattern: "/colonies/{colony_id}/user-flairs", h: s.handleListUserFlairs},
		{method: mPost, pattern: "/colonies/{colony_id}/user-flairs", h: s.handleCreateUserFlair},
		{method: mDel, pattern: "/colonies/{colony_id}/user-flairs/{template_id}", h: s.handleDeleteUserFlair},
		{method: mGet, pattern: "/colonies/{colony_id}/removal-reasons", h: s.handleListReasons},
		{method: mPost, pattern: "/colonies/{colony_id}/removal-reasons", h: s.handleCreateReason},
		{method: mDel, pattern: "/colonies/{colony_id}/removal-reasons/{reason_id}", h: s.handleDeleteReason},

		{method: mGet, pattern: "/colonies/{colony_id}/queue", h: s.handleQueue},
		{method: mPost, pattern: "/colonies/{colony_id}/queue/action", h: s.handleQueueAction},
		{method: mPost, pattern: "/colonies/{colony_id}/queue/bulk-action", h: s.handleQueueBulk},
	}
}
