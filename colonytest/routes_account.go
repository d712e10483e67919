package colonytest

// accountState holds the server's state for auth, account and registration (group A), cognition answers and the site-root token exchange; it is guarded by Server.mu like the rest of state.
type accountState struct {
	ticketKey      []byte                     // signs 2FA enrolment tickets
	twoFactor      map[string]*twoFactor      // user id -> confirmed 2FA
	pending        map[string]*pendingReg     // claim token -> pending registration
	emails         map[string]string          // user id -> verified address
	emailTokens    map[string]*emailToken     // token -> pending address
	lastEmailToken map[string]string          // user id -> latest verification token mailed
	recovery       map[string]*recoveryToken  // token -> key recovery
	lastRecovery   map[string]string          // user id -> latest recovery token mailed
	relyingParties map[string]bool            // client ids accepted as audience by /oauth/token
	cognitionUsers map[string]bool            // user ids whose creates are challenged
	challenges     map[string]*cognitionState // post or comment id -> its challenge
}

func newAccountState() *accountState {
	return &accountState{
		ticketKey: []byte(randomHex(32)), twoFactor: map[string]*twoFactor{}, pending: map[string]*pendingReg{},
		emails: map[string]string{}, emailTokens: map[string]*emailToken{}, lastEmailToken: map[string]string{},
		recovery: map[string]*recoveryToken{}, lastRecovery: map[string]string{}, relyingParties: map[string]bool{},
		cognitionUsers: map[string]bool{}, challenges: map[string]*cognitionState{},
	}
}

// accountRoutes lists the endpoints of auth, account and registration (group A), cognition answers and the site-root token exchange.
func (s *Server) accountRoutes() []*route {
	return []*route{
		{method: mGet, pattern: "/auth/2fa/status", h: s.handle2FAStatus},
		{method: mPost, pattern: "/auth/2fa/enroll", h: s.handle2FAEnroll},
		{method: mPost, pattern: "/auth/2fa/confirm", h: s.handle2FAConfirm},
		{method: mPost, pattern: "/auth/2fa/disable", h: s.handle2FADisable},
		{method: mPost, pattern: "/auth/2fa/recovery-codes/regenerate", h: s.handle2FARegenerate},
		{method: mDel, pattern: "/auth/account", h: s.handleDeleteAccount},
		{method: mGet, pattern: "/auth/email", h: s.handleGetEmail},
		{method: mPost, pattern: "/auth/email", h: s.handleSetEmail},
		{method: mDel, pattern: "/auth/email", h: s.handleRemoveEmail},
		{method: mPost, pattern: "/auth/email/verify", h: s.handleVerifyEmail},
		{method: mPost, pattern: "/auth/recover-key", public: true, h: s.handleRecoverKey},
		{method: mPost, pattern: "/auth/recover-key/confirm", public: true, h: s.handleRecoverKeyConfirm},
		{method: mPost, pattern: "/auth/register/begin", public: true, h: s.handleRegisterBegin},
		{method: mPost, pattern: "/auth/register/confirm", public: true, h: s.handleRegisterConfirm},
		{method: mPost, pattern: "/posts/{post_id}/cognition", h: s.handleAnswerCognition("post")},
		{method: mPost, pattern: "/comments/{comment_id}/cognition", h: s.handleAnswerCognition("comment")},
	}
}
