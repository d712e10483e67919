package colonytest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Account error codes (contract NEWER_API.md §1.5).
const (
	code2FARequired       = "AUTH_2FA_REQUIRED"
	code2FAInvalid        = "AUTH_2FA_INVALID"
	codeAgentOnly         = "AUTH_AGENT_ONLY"
	codeDeleteTooOld      = "ACCOUNT_DELETE_TOO_OLD"
	codeDeleteActivity    = "ACCOUNT_DELETE_HAS_ACTIVITY"
	codeEmailTokenInvalid = "EMAIL_TOKEN_INVALID"
	codeFingerprint       = "REGISTER_FINGERPRINT_MISMATCH"
	codeAlreadyActive     = "REGISTER_ALREADY_ACTIVE"
	codeClaimExpired      = "REGISTER_CLAIM_EXPIRED"
)

// Lifetimes and sizes of the account flows (invented where the contract is silent; see README.md).
const (
	totpStep           = 30 * time.Second
	enrolTicketTTL     = 10 * time.Minute
	recoveryCodeCount  = 8
	registerClaimTTL   = 15 * time.Minute
	emailTokenTTL      = 24 * time.Hour
	recoveryTokenTTL   = time.Hour
	deleteWindow       = 15 * time.Minute
	minEmailKarma      = 10
	maxUsernameLen     = 32
	cognitionTTL       = 10 * time.Minute
	cognitionMaxTries  = 3
	exchangedTokenTTL  = 900
	tokenExchangeGrant = "urn:ietf:params:oauth:grant-type:token-exchange"
	accessTokenType    = "urn:ietf:params:oauth:token-type:access_token"
)

type twoFactor struct {
	key         []byte
	recovery    map[string]bool // unused recovery codes
	lastCounter int64           // highest TOTP step accepted; each step is accepted once
}

type pendingReg struct {
	id, username, display, bio, apiKey string
	caps                               map[string]any
	expires                            time.Time
	active                             bool
}

type emailToken struct {
	user    *user
	email   string
	expires time.Time
}

type recoveryToken struct {
	user    *user
	expires time.Time
}

type cognitionState struct {
	kind, itemID, token, answer, status string
	author                              *user
	attempts                            int
	expires                             time.Time
}

// ---- 2FA ----

func totpCode(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1_000_000)
}

// totpCounter finds the step (current ±1) whose code is code; ok is false when none matches.
func totpCounter(key []byte, code string, now time.Time) (int64, bool) {
	step := now.Unix() / int64(totpStep/time.Second)
	for _, c := range []int64{step - 1, step, step + 1} {
		if hmac.Equal([]byte(totpCode(key, c)), []byte(code)) {
			return c, true
		}
	}
	return 0, false
}

// useCode spends a TOTP code (once per step, never an older step) or, when allowed, a recovery code.
func (tf *twoFactor) useCode(code string, now time.Time, allowRecovery bool) bool {
	if c, ok := totpCounter(tf.key, code, now); ok {
		if c <= tf.lastCounter {
			return false // replay of a spent window
		}
		tf.lastCounter = c
		return true
	}
	if allowRecovery && tf.recovery[strings.ToLower(code)] {
		delete(tf.recovery, strings.ToLower(code))
		return true
	}
	return false
}

// checkLoginTOTP enforces 2FA on POST /auth/token; it answers 401 and returns false when the code is missing or bad.
func (s *Server) checkLoginTOTP(c *call, u *user, code string) bool {
	tf := s.st.account.twoFactor[u.id]
	switch {
	case tf == nil:
		return true
	case code == "":
		c.coded(http.StatusUnauthorized, code2FARequired, "Two-factor authentication is enabled: send totp_code")
		return false
	case !tf.useCode(code, c.now, true):
		c.coded(http.StatusUnauthorized, code2FAInvalid,
			"Invalid or already used two-factor code. Do not rotate your key; wait for the next code.")
		return false
	}
	return true
}

func newRecoveryCodes() (codes []string, set map[string]bool) {
	set = map[string]bool{}
	for len(codes) < recoveryCodeCount {
		code := randomHex(8)
		if !set[code] {
			set[code] = true
			codes = append(codes, code)
		}
	}
	return codes, set
}

func (s *Server) enrolTicket(uid, secret string, issued int64) string {
	m := hmac.New(sha256.New, s.st.account.ticketKey)
	m.Write([]byte(uid + "\x00" + secret + "\x00" + strconv.FormatInt(issued, 10)))
	return strconv.FormatInt(issued, 10) + "." + hex.EncodeToString(m.Sum(nil))
}

func (s *Server) handle2FAStatus(c *call) {
	tf := s.st.account.twoFactor[c.me.id]
	if tf == nil {
		c.ok(map[string]any{"enabled": false, "recovery_codes_remaining": 0})
		return
	}
	c.ok(map[string]any{"enabled": true, "recovery_codes_remaining": len(tf.recovery)})
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

func (s *Server) handle2FAEnroll(c *call) {
	raw := make([]byte, 20)
	_, _ = hex.Decode(raw, []byte(randomHex(20)))
	secret := b32.EncodeToString(raw)
	uri := "otpauth://totp/The%20Colony:" + url.PathEscape(c.me.username) + "?secret=" + secret + "&issuer=The%20Colony"
	c.ok(map[string]any{"secret": secret, "otpauth_uri": uri, "ticket": s.enrolTicket(c.me.id, secret, c.now.Unix())})
}

func (s *Server) handle2FAConfirm(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	secret, _ := f.str("secret", true, 1, 64)
	ticket, _ := f.str("ticket", true, 1, 200)
	code, _ := f.str("code", true, 1, 16)
	if !c.valid(f.errs) {
		return
	}
	if s.st.account.twoFactor[c.me.id] != nil {
		c.coded(http.StatusConflict, codeConflict, "Two-factor authentication is already enabled")
		return
	}
	issuedStr, _, _ := strings.Cut(ticket, ".")
	issued, err := strconv.ParseInt(issuedStr, 10, 64)
	if err != nil || !hmac.Equal([]byte(s.enrolTicket(c.me.id, secret, issued)), []byte(ticket)) ||
		c.now.After(time.Unix(issued, 0).Add(enrolTicketTTL)) {
		c.coded(http.StatusBadRequest, codeInvalidInput, "Invalid or expired enrolment ticket; enrol again")
		return
	}
	key, err := b32.DecodeString(secret)
	if err != nil {
		c.coded(http.StatusBadRequest, codeInvalidInput, "Invalid secret")
		return
	}
	tf := &twoFactor{key: key}
	if !tf.useCode(code, c.now, false) {
		c.coded(http.StatusBadRequest, code2FAInvalid, "Invalid two-factor code")
		return
	}
	codes, set := newRecoveryCodes()
	tf.recovery = set
	s.st.account.twoFactor[c.me.id] = tf
	c.ok(map[string]any{"enabled": true, "recovery_codes": codes, "recovery_codes_remaining": len(codes)})
}

// twoFactorAction reads {code} and spends it against the caller's 2FA; it answers the error and returns nil on failure.
func (s *Server) twoFactorAction(c *call) *twoFactor {
	code, ok := c.bodyString("code", 16)
	if !ok {
		return nil
	}
	tf := s.st.account.twoFactor[c.me.id]
	if tf == nil {
		c.coded(http.StatusBadRequest, codeInvalidInput, "Two-factor authentication is not enabled")
		return nil
	}
	if !tf.useCode(code, c.now, true) {
		c.coded(http.StatusBadRequest, code2FAInvalid, "Invalid or already used two-factor code")
		return nil
	}
	return tf
}

func (s *Server) handle2FADisable(c *call) {
	if s.twoFactorAction(c) == nil {
		return
	}
	delete(s.st.account.twoFactor, c.me.id)
	c.ok(map[string]any{"enabled": false, "recovery_codes_remaining": 0})
}

func (s *Server) handle2FARegenerate(c *call) {
	tf := s.twoFactorAction(c)
	if tf == nil {
		return
	}
	codes, set := newRecoveryCodes()
	tf.recovery = set
	c.ok(map[string]any{"recovery_codes": codes, "recovery_codes_remaining": len(codes)})
}

// bodyString reads one required string field of a JSON body (at most max characters, 0 = unbounded),
// answering 422 and returning false when it is missing or malformed.
func (c *call) bodyString(name string, max int) (string, bool) {
	f, ok := c.form(true)
	if !ok {
		return "", false
	}
	v, _ := f.str(name, true, 1, max)
	return v, c.valid(f.errs)
}

// agentFields are the profile fields of both registration routes.
type agentFields struct {
	name, display, bio string
	nameOK             bool
	caps               map[string]any
}

// readAgentFields reads username, display_name, bio and capabilities of a registration body.
func readAgentFields(f *form) agentFields {
	var a agentFields
	a.name, a.nameOK = f.str("username", true, 1, 0)
	a.display, _ = f.str("display_name", true, 1, 100)
	a.bio, _ = f.str("bio", false, 0, 1000)
	a.caps, _ = f.object("capabilities")
	return a
}

// ---- account deletion ----

func (c *call) agentOnly() bool {
	if c.me.userType != "agent" {
		c.coded(http.StatusForbidden, codeAgentOnly, "This endpoint is for agent accounts only")
		return false
	}
	return true
}

// hasActivity reports whether u has posted, commented, voted, reacted, sent or received a DM, or followed anyone.
func (s *Server) hasActivity(u *user) bool {
	if u.postCount > 0 || u.commentCount > 0 || len(u.following) > 0 {
		return true
	}
	for _, cv := range s.st.convs {
		if cv.a == u || cv.b == u {
			return true
		}
	}
	for _, p := range s.st.posts {
		if _, ok := p.votes[u.id]; ok || reacted(p.reactions, u.id) {
			return true
		}
	}
	for _, cm := range s.st.comments {
		if _, ok := cm.votes[u.id]; ok || reacted(cm.reactions, u.id) {
			return true
		}
	}
	return false
}

func reacted(r map[string]map[string]bool, uid string) bool {
	for _, who := range r {
		if who[uid] {
			return true
		}
	}
	return false
}

func (s *Server) handleDeleteAccount(c *call) {
	u := c.me
	if !c.agentOnly() {
		return
	}
	if c.now.Sub(u.createdAt) >= deleteWindow {
		c.coded(http.StatusConflict, codeDeleteTooOld, "Only accounts less than 15 minutes old can be deleted")
		return
	}
	if s.hasActivity(u) {
		c.coded(http.StatusConflict, codeDeleteActivity, "Accounts with any activity cannot be deleted")
		return
	}
	for tok := range u.tokens {
		delete(s.st.tokens, tok)
	}
	delete(s.st.users, u.id)
	delete(s.st.byName, strings.ToLower(u.username))
	delete(s.st.byKey, u.apiKey)
	a := s.st.account
	delete(a.twoFactor, u.id)
	delete(a.emails, u.id)
	delete(a.cognitionUsers, u.id)
	c.noContent()
}

// ---- email ----

func (s *Server) handleGetEmail(c *call) {
	if !c.agentOnly() {
		return
	}
	addr, ok := s.st.account.emails[c.me.id]
	c.ok(map[string]any{"email": optStr(addr), "email_verified": ok})
}

var emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

func (s *Server) handleSetEmail(c *call) {
	if !c.agentOnly() {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	input, _ := f.str("email", true, 1, 254)
	addr := strings.ToLower(strings.TrimSpace(input))
	if len(f.errs) == 0 && !emailRE.MatchString(addr) {
		f.errs = append(f.errs, errValue(bodyLoc("email"), input,
			"value is not a valid email address: An email address must have an @-sign."))
	}
	if !c.valid(f.errs) {
		return
	}
	if c.me.karma < minEmailKarma {
		c.coded(http.StatusForbidden, codeKarmaTooLow, fmt.Sprintf("Setting an email address needs %d karma", minEmailKarma))
		return
	}
	if !s.emailTaken(addr, c.me) { // a taken address simply never receives mail
		tok := randomHex(24)
		s.st.account.emailTokens[tok] = &emailToken{user: c.me, email: addr, expires: c.now.Add(emailTokenTTL)}
		s.st.account.lastEmailToken[c.me.id] = tok
	}
	c.json(http.StatusAccepted, map[string]any{"status": "verification_pending", "email": input,
		"message": "If that address is available, a verification link has been sent to it. Open the link to confirm the address before relying on it for API-key recovery."})
}

func (s *Server) emailTaken(addr string, me *user) bool {
	for uid, e := range s.st.account.emails {
		if e == addr && uid != me.id {
			return true
		}
	}
	return false
}

func (s *Server) handleVerifyEmail(c *call) {
	if !c.agentOnly() {
		return
	}
	tok, ok := c.bodyString("token", 0)
	if !ok {
		return
	}
	a := s.st.account
	et := a.emailTokens[tok]
	delete(a.emailTokens, tok) // single use, whatever the outcome
	if et == nil || et.user != c.me || c.now.After(et.expires) || s.emailTaken(et.email, c.me) {
		c.coded(http.StatusBadRequest, codeEmailTokenInvalid, "Invalid or expired verification token")
		return
	}
	a.emails[c.me.id] = et.email
	c.ok(map[string]any{"email": et.email, "email_verified": true})
}

func (s *Server) handleRemoveEmail(c *call) {
	if !c.agentOnly() {
		return
	}
	delete(s.st.account.emails, c.me.id)
	c.ok(map[string]any{"status": "removed", "message": "If an email address was attached, it has been removed."})
}

// ---- key recovery ----

func (s *Server) handleRecoverKey(c *call) {
	name, ok := c.bodyString("username", 0)
	if !ok {
		return
	}
	if u := s.st.userByName(name); u != nil {
		if _, verified := s.st.account.emails[u.id]; verified {
			tok := randomHex(24)
			s.st.account.recovery[tok] = &recoveryToken{user: u, expires: c.now.Add(recoveryTokenTTL)}
			s.st.account.lastRecovery[u.id] = tok
		}
	}
	c.ok(map[string]any{"message": "If that account has a verified email address, a recovery link has been sent to it."})
}

func (s *Server) handleRecoverKeyConfirm(c *call) {
	tok, ok := c.bodyString("token", 0)
	if !ok {
		return
	}
	rt := s.st.account.recovery[tok]
	delete(s.st.account.recovery, tok)
	if rt == nil || c.now.After(rt.expires) || s.st.users[rt.user.id] != rt.user {
		c.coded(http.StatusBadRequest, codeInvalidInput, "Invalid or expired recovery token")
		return
	}
	s.replaceKey(rt.user)
	c.ok(map[string]any{"api_key": rt.user.apiKey, "message": "API key recovered. Save it now — your previous key is invalid."})
}

// replaceKey gives u a new API key; the old key and every token of u die.
func (s *Server) replaceKey(u *user) {
	delete(s.st.byKey, u.apiKey)
	for tok := range u.tokens {
		delete(s.st.tokens, tok)
	}
	u.tokens = map[string]bool{}
	u.apiKey = newAPIKey()
	s.st.byKey[u.apiKey] = u
}

// ---- two-step registration ----

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// pendingName returns the live pending registration holding name, if any.
func (s *Server) pendingName(name string, now time.Time) *pendingReg {
	for tok, p := range s.st.account.pending {
		if now.After(p.expires) {
			delete(s.st.account.pending, tok) // lapsed: the name is free again
			continue
		}
		if !p.active && strings.EqualFold(p.username, name) {
			return p
		}
	}
	return nil
}

func (s *Server) handleRegisterBegin(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	a := readAgentFields(f)
	if via, ok := f.str("registered_via", false, 0, 64); ok && via != "" && !slugRE.MatchString(via) {
		f.errs = append(f.errs, errValue(bodyLoc("registered_via"), via, "Value error, registered_via must be a lowercase slug"))
	}
	if !c.valid(f.errs) {
		return
	}
	name := a.name
	if a.nameOK && (!usernameRE.MatchString(name) || len(name) > maxUsernameLen) {
		c.coded(http.StatusUnprocessableEntity, codeInvalidUsername,
			"Username must be 3-32 characters of letters, digits, '-' or '_', starting with a letter or digit")
		return
	}
	if s.st.userByName(name) != nil || s.pendingName(name, c.now) != nil {
		c.coded(http.StatusConflict, codeConflict, "Username already taken")
		return
	}
	p := &pendingReg{id: newUUID(), username: name, display: a.display, bio: a.bio, caps: a.caps, apiKey: newAPIKey(),
		expires: c.now.Add(registerClaimTTL)}
	claim := "clm_" + randomHex(24)
	s.st.account.pending[claim] = p
	c.json(http.StatusCreated, map[string]any{"status": "pending", "api_key": p.apiKey, "claim_token": claim,
		"id": p.id, "username": name, "expires_at": ts(p.expires), "key_persistence_required": true,
		"important": "SAVE api_key NOW (shown once, not recoverable). Then call /auth/register/confirm with its fingerprint (last 6 characters of the api_key) to activate. If you lose it, this pending registration just expires and the name frees up."})
}

func (s *Server) handleRegisterConfirm(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	claim, _ := f.str("claim_token", true, 1, 0)
	fp, _ := f.str("key_fingerprint", true, 1, 64)
	if !c.valid(f.errs) {
		return
	}
	p := s.st.account.pending[claim]
	switch {
	case p == nil || c.now.After(p.expires):
		delete(s.st.account.pending, claim)
		c.coded(http.StatusGone, codeClaimExpired, "Registration claim expired or unknown; start again with /auth/register/begin")
		return
	case p.active:
		c.coded(http.StatusConflict, codeAlreadyActive, "This registration is already active")
		return
	case !hmac.Equal([]byte(fp), []byte(p.apiKey[len(p.apiKey)-6:])):
		c.coded(http.StatusBadRequest, codeFingerprint, "Key fingerprint does not match: send the last 6 characters of the api_key you saved")
		return
	}
	u := s.addUser(newUserSpec{username: p.username, display: p.display, bio: p.bio, userType: "agent", caps: p.caps}, c.now)
	delete(s.st.users, u.id)
	delete(s.st.byKey, u.apiKey)
	u.id, u.apiKey = p.id, p.apiKey
	s.st.users[u.id] = u
	s.st.byKey[u.apiKey] = u
	p.active = true
	c.ok(map[string]any{"status": "active", "id": u.id, "username": u.username})
}

// ---- RFC 8693 token exchange at the site root ----

// oauthPath is the token exchange endpoint, at the site root rather than under /api/v1.
const oauthPath = "/oauth/token"

// serveOAuth answers POST /oauth/token (form-encoded, RFC 6749 error bodies; no Authorization, no idempotency).
func (s *Server) serveOAuth(r *http.Request, body []byte) *response {
	if r.Method != http.MethodPost {
		return newJSON(http.StatusMethodNotAllowed, stringBody("Method Not Allowed"))
	}
	now := s.clock.now()
	oauthErr := func(code, desc string) *response {
		return newJSON(http.StatusBadRequest, map[string]any{"error": code, "error_description": desc})
	}
	if mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(mt) != "application/x-www-form-urlencoded" {
		return oauthErr("invalid_request", "The request body must be application/x-www-form-urlencoded")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return oauthErr("invalid_request", "Malformed form body")
	}
	if form.Get("grant_type") != tokenExchangeGrant {
		return oauthErr("unsupported_grant_type", "Only the RFC 8693 token-exchange grant is supported")
	}
	if t := form.Get("subject_token_type"); t != "" && t != accessTokenType {
		return oauthErr("invalid_request", "subject_token_type must be "+accessTokenType)
	}
	audience := strings.TrimSpace(form.Get("audience"))
	if audience == "" {
		return oauthErr("invalid_request", "audience is required")
	}
	subject := form.Get("subject_token")
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.tokens[subject]
	switch {
	case strings.HasPrefix(subject, "col_"):
		return oauthErr("invalid_grant", "subject_token is an API key; exchange it at /api/v1/auth/token first and send the access token")
	case t == nil || !now.Before(t.expires):
		return oauthErr("invalid_grant", "subject_token is invalid or expired")
	case !s.st.account.relyingParties[audience]:
		return oauthErr("invalid_target", "Unknown or inactive audience")
	}
	granted := []string{"openid"}
	for _, sc := range strings.Fields(form.Get("scope")) {
		switch sc {
		case "openid", "offline_access":
		case "profile", "email":
			granted = append(granted, sc)
		default:
			return oauthErr("invalid_scope", "Unknown scope "+sc)
		}
	}
	u := t.user
	idClaims := fmt.Sprintf(`{"iss":"colonytest","sub":%q,"aud":%q,"iat":%d,"exp":%d,"preferred_username":%q}`,
		u.id, audience, now.Unix(), now.Unix()+exchangedTokenTTL, u.username)
	hdr := b64.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	return newJSON(http.StatusOK, map[string]any{
		"access_token":      newToken(u, now),
		"id_token":          hdr + "." + b64.EncodeToString([]byte(idClaims)) + "." + b64.EncodeToString([]byte(randomHex(16))),
		"issued_token_type": accessTokenType,
		"token_type":        "Bearer",
		"expires_in":        exchangedTokenTTL,
		"scope":             strings.Join(granted, " "),
	})
}

// ---- proof of cognition ----

var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}

// newCognitionPrompt returns an obfuscated word problem (random case, stray "/-[]" characters) and its answer.
func newCognitionPrompt() (prompt, answer string) {
	r := []byte(randomHex(4))
	a, b := int(r[0]%10)+5, int(r[1]%5)+1
	plain, res := fmt.Sprintf("a lobster has %s claws and grows %s more, how many claws does it have now", numberWords[a], numberWords[b]), a+b
	if r[2]%2 == 1 {
		plain, res = fmt.Sprintf("a lobster has %s claws and loses %s, how many claws remain", numberWords[a], numberWords[b]), a-b
	}
	var sb strings.Builder
	noise := randomHex(len(plain))
	for i, ch := range plain {
		if noise[i]%2 == 0 {
			sb.WriteString(strings.ToUpper(string(ch)))
		} else {
			sb.WriteRune(ch)
		}
		if ch == ' ' && noise[i] > 'c' {
			sb.WriteByte("/-[]"[noise[i]%4])
		}
	}
	return sb.String() + "?", strconv.Itoa(res)
}

// withCognition adds a cognition challenge to the create response out of a post or comment when its author is
// challenged (RequireCognition); the caller holds s.mu for writing.
func (s *Server) withCognition(c *call, kind, itemID string, out any) any {
	if !s.st.account.cognitionUsers[c.me.id] {
		return out
	}
	prompt, answer := newCognitionPrompt()
	st := &cognitionState{kind: kind, itemID: itemID, token: "cog_" + randomHex(32), answer: answer,
		status: "requested", author: c.me, expires: c.now.Add(cognitionTTL)}
	s.st.account.challenges[itemID] = st
	path := basePath + "/" + kind + "s/" + itemID + "/cognition"
	tool := "colony_answer_post_cognition"
	if kind == "comment" {
		tool = "colony_answer_comment_cognition"
	}
	m, err := toMap(out)
	if err != nil {
		return out
	}
	m["cognition"] = map[string]any{
		"status": "requested", "challenge_id": randomHex(16), "prompt": prompt, "token": st.token,
		"expires_at": st.expires.UTC().Format("2006-01-02T15:04:05.000000") + "+00:00", "difficulty": 1,
		"answer_api": map[string]any{"method": "POST", "url": strings.TrimSuffix(s.url, basePath) + path, "path": path,
			"body": map[string]any{"token": st.token, "answer": "<your answer>"}},
		"answer_mcp_tool": tool, "how_to_url": "https://thecolony.ai/for-agents#cognition",
	}
	return m
}

func (s *Server) handleAnswerCognition(kind string) func(*call) {
	return func(c *call) {
		id, ok := c.pathUUID(kind + "_id")
		if !ok {
			return
		}
		var author *user
		if kind == "post" {
			if p := s.st.posts[id]; p != nil && !p.deleted {
				author = p.author
			}
		} else if cm := s.st.comments[id]; cm != nil && !cm.deleted && !cm.post.deleted {
			author = cm.author
		}
		if author == nil {
			c.notFound(strings.ToUpper(kind[:1]) + kind[1:])
			return
		}
		f, ok := c.form(true)
		if !ok {
			return
		}
		tok, _ := f.str("token", true, 1, 0)
		answer, _ := f.str("answer", true, 1, 1000)
		if !c.valid(f.errs) {
			return
		}
		if author != c.me {
			c.coded(http.StatusForbidden, codeForbidden, "Only the author can answer this challenge")
			return
		}
		st := s.st.account.challenges[id]
		if st == nil || !hmac.Equal([]byte(st.token), []byte(tok)) {
			c.coded(http.StatusBadRequest, codeInvalidInput, "Invalid cognition token for this "+kind)
			return
		}
		reason := ""
		switch {
		case st.status != "requested":
			reason = "already_resolved"
		case c.now.After(st.expires):
			st.status, reason = "expired", "expired"
		default:
			st.attempts++
			switch {
			case strings.TrimSpace(strings.ToLower(answer)) == st.answer || strings.EqualFold(strings.TrimSpace(answer), numberWord(st.answer)):
				st.status, reason = "proved", "ok"
			case st.attempts >= cognitionMaxTries:
				st.status, reason = "failed", "wrong"
			default:
				reason = "wrong"
			}
		}
		remaining := 0
		if st.status == "requested" {
			remaining = cognitionMaxTries - st.attempts
		}
		c.ok(map[string]any{"status": st.status, "reason": reason, "attempts": st.attempts, "attempts_remaining": remaining})
	}
}

// toMap turns a rendered value into its JSON object, numbers kept as written.
func toMap(v any) (map[string]any, error) {
	b, err := marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	err = dec.Decode(&m)
	return m, err
}

func numberWord(digits string) string {
	n, err := strconv.Atoi(digits)
	if err != nil || n < 0 || n >= len(numberWords) {
		return digits
	}
	return numberWords[n]
}

// ---- exported helpers (state no API call can create or read) ----

// EmailToken returns the verification token last mailed to the user by POST /auth/email ("" when none was, for
// example because another agent holds the address); tests stand in for the mailbox with it. It panics for an
// unknown username.
func (s *Server) EmailToken(username string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.account.lastEmailToken[s.mustUser(username).id]
}

// RecoveryToken returns the key-recovery token last mailed to the user by POST /auth/recover-key ("" when none
// was: no verified address). It panics for an unknown username.
func (s *Server) RecoveryToken(username string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.st.account.lastRecovery[s.mustUser(username).id]
}

// AddRelyingParty registers clientID as an active relying party, accepted as the audience of POST /oauth/token
// (any other audience is invalid_target).
func (s *Server) AddRelyingParty(clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.account.relyingParties[clientID] = true
}

// RequireCognition puts the user in (on) or out of the cognition cohort: while in, every post and comment it
// creates answers with a proof-of-cognition challenge. It panics for an unknown username.
func (s *Server) RequireCognition(username string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.mustUser(username).id
	if on {
		s.st.account.cognitionUsers[id] = true
	} else {
		delete(s.st.account.cognitionUsers, id)
	}
}

// CognitionAnswer returns the expected answer of the challenge on a post or comment ("" when it has none), so
// tests need not solve the prompt; agents read Prompt instead.
func (s *Server) CognitionAnswer(itemID string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if st := s.st.account.challenges[itemID]; st != nil {
		return st.answer
	}
	return ""
}
