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
	const col = "/colonies/{colony_id}"
	const member = col + "/members/{user_id}"
	return []*route{
		{method: mPost, pattern: "/colonies", h: s.handleCreateColony},
		{method: mGet, pattern: "/colonies/mod-invites/received", h: s.handleMyModInvites},
		{method: mPost, pattern: "/colonies/mod-invites/{invite_id}/accept", h: s.answerInvite(true)},
		{method: mPost, pattern: "/colonies/mod-invites/{invite_id}/decline", h: s.answerInvite(false)},
		{method: mGet, pattern: col + "/mod-invites", h: s.handleColonyModInvites},
		{method: mPost, pattern: col + "/mod-invites", h: s.handleInviteModerator},
		{method: mPost, pattern: col + "/mod-invites/{invite_id}/revoke", h: s.handleRevokeModInvite},
		{method: mPost, pattern: col + "/posts/{post_id}/move-out", h: s.handleMovePostOut},

		{method: http.MethodPatch, pattern: col, h: s.handleUpdateSettings},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/accept", h: s.answerTransfer("accept")},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/decline", h: s.answerTransfer("decline")},
		{method: mPost, pattern: "/colonies/ownership-transfers/{transfer_id}/cancel", h: s.answerTransfer("cancel")},
		{method: mGet, pattern: col + "/ownership-transfers", h: s.handlePendingTransfer},
		{method: mPost, pattern: col + "/ownership-transfers", h: s.handleProposeTransfer},
		{method: mGet, pattern: col + "/deletion-request", h: s.handleGetDeletion},
		{method: mPost, pattern: col + "/deletion-request", h: s.handleFileDeletion},
		{method: mDel, pattern: col + "/deletion-request", h: s.handleCancelDeletion},
		{method: mGet, pattern: col + "/mod-activity", h: s.handleModActivity},
		{method: mGet, pattern: col + "/modmail", h: s.handleListModmail},
		{method: mPost, pattern: col + "/modmail", h: s.handleOpenModmail},
		{method: mPost, pattern: col + "/modmail/{conversation_id}/join", h: s.handleJoinModmail},

		{method: mGet, pattern: col + "/appeal", h: s.handleMyBanStatus},
		{method: mPost, pattern: col + "/appeal", h: s.handleSubmitAppeal},
		{method: mGet, pattern: col + "/appeals", h: s.handleListAppeals},
		{method: mPost, pattern: col + "/appeals/{appeal_id}/resolve", h: s.handleResolveAppeal},
		{method: mGet, pattern: col + "/bans", h: s.handleListBans},
		{method: mPost, pattern: col + "/bans/{user_id}", h: s.handleBan},
		{method: mDel, pattern: col + "/bans/{user_id}", h: s.handleUnban},
		{method: mGet, pattern: col + "/members", h: s.handleListMembers},
		{method: mDel, pattern: member, h: s.handleRemoveMember},
		{method: mPost, pattern: member + "/promote", h: s.handlePromote},
		{method: mPost, pattern: member + "/demote", h: s.handleDemote},
		{method: mPut, pattern: member + "/flair", h: s.handleAssignFlair},
		{method: mDel, pattern: member + "/flair", h: s.handleClearFlair},
		{method: mGet, pattern: member + "/history", h: s.handleMemberHistory},
		{method: mGet, pattern: member + "/notes", h: s.handleListNotes},
		{method: mPost, pattern: member + "/notes", h: s.handleAddNote},
		{method: mDel, pattern: member + "/notes/{note_id}", h: s.handleDeleteNote},
		{method: mGet, pattern: member + "/strikes", h: s.handleListStrikes},
		{method: mPost, pattern: member + "/strikes", h: s.handleIssueStrike},

		{method: mGet, pattern: col + "/automod-rules", h: s.handleListRules},
		{method: mPost, pattern: col + "/automod-rules", h: s.handleCreateRule},
		{method: mPost, pattern: col + "/automod-rules/dry-run", h: s.handleDryRunRule},
		{method: mPut, pattern: col + "/automod-rules/order", h: s.handleReorderRules},
		{method: http.MethodPatch, pattern: col + "/automod-rules/{rule_id}", h: s.handleUpdateRule},
		{method: mDel, pattern: col + "/automod-rules/{rule_id}", h: s.handleDeleteRule},
		{method: mGet, pattern: col + "/post-flairs", h: s.handleListPostFlairs},
		{method: mPost, pattern: col + "/post-flairs", h: s.handleCreatePostFlair},
		{method: mDel, pattern: col + "/post-flairs/{flair_id}", h: s.handleDeletePostFlair},
		{method: mGet, pattern: col + "/user-flairs", h: s.handleListUserFlairs},
		{method: mPost, pattern: col + "/user-flairs", h: s.handleCreateUserFlair},
		{method: mDel, pattern: col + "/user-flairs/{template_id}", h: s.handleDeleteUserFlair},
		{method: mGet, pattern: col + "/removal-reasons", h: s.handleListReasons},
		{method: mPost, pattern: col + "/removal-reasons", h: s.handleCreateReason},
		{method: mDel, pattern: col + "/removal-reasons/{reason_id}", h: s.handleDeleteReason},

		{method: mGet, pattern: col + "/queue", h: s.handleQueue},
		{method: mPost, pattern: col + "/queue/action", h: s.handleQueueAction},
		{method: mPost, pattern: col + "/queue/bulk-action", h: s.handleQueueBulk},
	}
}
