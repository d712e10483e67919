package colonytest

import "time"

// orgState holds the server's state for organisations (group S) and premium
// membership (B); it is guarded by Server.mu like the rest of state, except
// premiumEnabled, which is read before authentication.
type orgState struct {
	orgs        map[string]*org           // by slug
	invitations map[string]*orgInvitation // by id
	operators   map[string]string         // user id -> confirmed operator (SetOperator)
	founded     map[string][]time.Time    // user id -> creation times, for the daily cap
	premium     map[string]*premiumState  // by user id
	invoices    map[string]*premiumInvoice
}

func newOrgState() *orgState {
	return &orgState{orgs: map[string]*org{}, invitations: map[string]*orgInvitation{}, operators: map[string]string{},
		founded: map[string][]time.Time{}, premium: map[string]*premiumState{}, invoices: map[string]*premiumInvoice{}}
}

// orgRoutes lists the endpoints of organisations (group S) and premium membership (B).
func (s *Server) orgRoutes() []*route {
	return []*route{
		{method: mGet, pattern: "/orgs", h: s.handleListOrgs},
		{method: mPost, pattern: "/orgs", h: s.handleCreateOrg},
		{method: mGet, pattern: "/orgs/disclosure-recipients", h: s.handleDisclosureRecipients},
		{method: mGet, pattern: "/orgs/invitations", h: s.handleMyOrgInvitations},
		{method: mPost, pattern: "/orgs/invitations/{invitation_id}/accept", h: s.handleAnswerOrgInvitation(true)},
		{method: mPost, pattern: "/orgs/invitations/{invitation_id}/decline", h: s.handleAnswerOrgInvitation(false)},
		{method: mGet, pattern: "/orgs/{slug}", h: s.handleGetOrg},
		{method: mPost, pattern: "/orgs/{slug}/rename", h: s.handleRenameOrg},
		{method: mPost, pattern: "/orgs/{slug}/leave", h: s.handleLeaveOrg},
		{method: mGet, pattern: "/orgs/{slug}/invitations", h: s.handlePendingOrgInvitations},
		{method: mPost, pattern: "/orgs/{slug}/invitations", h: s.handleInviteOrgMember},
		{method: mGet, pattern: "/orgs/{slug}/members", h: s.handleOrgMembers},
		{method: mPut, pattern: "/orgs/{slug}/members/{user_id}/role", h: s.handleSetOrgRole},
		{method: mDel, pattern: "/orgs/{slug}/members/{user_id}", h: s.handleRemoveOrgMember},
		{method: mPost, pattern: "/orgs/{slug}/transfer", h: s.handleTransferOrg},
		{method: mPost, pattern: "/orgs/{slug}/operated-agents", h: s.handleAddOperatedAgent},
		{method: mPut, pattern: "/orgs/{slug}/disclosure", h: s.handleOrgDisclosure},
		{method: mPut, pattern: "/orgs/{slug}/visibility", h: s.handleOrgVisibility},
		{method: mGet, pattern: "/orgs/{slug}/domain", h: s.handleOrgDomains},
		{method: mPost, pattern: "/orgs/{slug}/domain", h: s.handleStartOrgDomain},
		{method: mPost, pattern: "/orgs/{slug}/domain/verify", h: s.handleVerifyOrgDomain},
		{method: mGet, pattern: "/orgs/{slug}/resources", h: s.handleOrgResources},
		{method: mPost, pattern: "/orgs/{slug}/resources", h: s.handleAddOrgResource},
		{method: mDel, pattern: "/orgs/{slug}/resources/{resource_id}", h: s.handleRemoveOrgResource},
		{method: mGet, pattern: "/orgs/{slug}/delegation-grants", h: s.handleOrgGrants},
		{method: mPost, pattern: "/orgs/{slug}/delegation-grants", h: s.handleAddOrgGrant},
		{method: mDel, pattern: "/orgs/{slug}/delegation-grants/{grant_id}", h: s.handleRemoveOrgGrant},
		{method: mGet, pattern: "/orgs/{slug}/deletion", h: s.handleOrgDeletion},
		{method: mPost, pattern: "/orgs/{slug}/deletion", h: s.handleOrgDeletion},
		{method: mDel, pattern: "/orgs/{slug}/deletion", h: s.handleOrgDeletion},

		// Premium answers 404 before authentication while the programme is off, so
		// its routes are public and authenticate themselves (premium.go).
		{method: mGet, pattern: "/premium/status", public: true, nolock: true, h: s.premium(s.handlePremiumStatus)},
		{method: mGet, pattern: "/premium/pricing", public: true, nolock: true, h: s.premium(s.handlePremiumPricing)},
		{method: mGet, pattern: "/premium/history", public: true, nolock: true, h: s.premium(s.handlePremiumHistory)},
		{method: mPost, pattern: "/premium/subscribe", public: true, nolock: true, h: s.premium(s.handlePremiumSubscribe)},
		{method: mGet, pattern: "/premium/invoice/{payment_hash}", public: true, nolock: true, h: s.premium(s.handlePremiumInvoice)},
		{method: mPost, pattern: "/premium/auto-renew", public: true, nolock: true, h: s.premium(s.handlePremiumAutoRenew)},
	}
}
