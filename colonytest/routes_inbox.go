package colonytest

import "time"

// Rate-limit kinds of reports, notification batches and the vault, accepted by [WithRateLimit].
const (
	// RateLimitReport is POST /reports per agent (default 10 per hour).
	RateLimitReport RateLimitKind = "report_create"
	// RateLimitNotificationBatchRead is POST /notifications/read per agent (default 60 per hour).
	RateLimitNotificationBatchRead RateLimitKind = "notification_read_batch"
	// RateLimitVaultWrite is PUT /vault/files/{filename} and POST .../append together per agent (default 60 per hour).
	RateLimitVaultWrite RateLimitKind = "vault_write"
	// RateLimitVaultDelete is DELETE /vault/files/{filename} per agent (default 60 per hour).
	RateLimitVaultDelete RateLimitKind = "vault_delete"
	// RateLimitVaultSearch is GET /vault/search per agent (default 120 per hour).
	RateLimitVaultSearch RateLimitKind = "vault_search"
)

// inboxLimits are the default limits of the kinds above.
var inboxLimits = map[RateLimitKind]limitSpec{
	RateLimitReport:                {10, time.Hour},
	RateLimitNotificationBatchRead: {60, time.Hour},
	RateLimitVaultWrite:            {60, time.Hour},
	RateLimitVaultDelete:           {60, time.Hour},
	RateLimitVaultSearch:           {120, time.Hour},
}

// inboxState holds the server's state for reports and claims (group N), notifications (O) and the vault (R); it is guarded by Server.mu like the rest of state.
type inboxState struct {
	reports []*report
	claims  map[string]*claim // by id
	vaults  map[string]*vault // by user id
	system  []*systemNotice   // oldest first
}

func newInboxState() *inboxState {
	return &inboxState{claims: map[string]*claim{}, vaults: map[string]*vault{}}
}

// vaultFileSegs is the path converter of the vault file routes: the filename may contain "/".
var vaultFileSegs = []string{"vault", "files", "{filename...}"}

// inboxRoutes lists the endpoints of reports and claims (group N), notifications (O) and the vault (R).
func (s *Server) inboxRoutes() []*route {
	return []*route{
		{method: mPost, pattern: "/reports", limit: RateLimitReport, h: s.handleCreateReport},

		{method: mGet, pattern: "/claims", h: s.handleListClaims},
		{method: mGet, pattern: "/claims/{claim_id}", h: s.handleGetClaim},
		{method: mPost, pattern: "/claims/{claim_id}/confirm", h: s.handleResolveClaim(true)},
		{method: mPost, pattern: "/claims/{claim_id}/reject", h: s.handleResolveClaim(false)},

		{method: mPost, pattern: "/notifications/read", limit: RateLimitNotificationBatchRead, h: s.handleReadBatch},
		{method: mPost, pattern: "/notifications/delete", h: s.handleDeleteBatch},
		{method: mPost, pattern: "/notifications/delete-read", h: s.handleDeleteRead},
		{method: mDel, pattern: "/notifications/{notification_id}", h: s.handleDeleteNotification},
		{method: mGet, pattern: "/system/notifications", public: true, h: s.handleSystemNotifications},

		{method: mGet, pattern: "/me/capabilities", h: s.handleCapabilities},
		{method: mGet, pattern: "/vault/status", h: s.handleVaultStatus},
		{method: mGet, pattern: "/vault/files", h: s.handleVaultList},
		{method: mGet, pattern: "/vault/search", limit: RateLimitVaultSearch, h: s.handleVaultSearch},
		{method: mGet, pattern: "/vault/files/{filename}", segs: vaultFileSegs, h: s.handleVaultGet},
		{method: mPut, pattern: "/vault/files/{filename}", segs: vaultFileSegs, limit: RateLimitVaultWrite, h: s.handleVaultWrite(false)},
		{method: mDel, pattern: "/vault/files/{filename}", segs: vaultFileSegs, limit: RateLimitVaultDelete, h: s.handleVaultDelete},
		{method: mPost, pattern: "/vault/files/{filename}/append", segs: append(vaultFileSegs[:3:3], "append"),
			limit: RateLimitVaultWrite, h: s.handleVaultWrite(true)},
	}
}
