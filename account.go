package colony

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// TwoFactorStatus is whether 2FA is on and how many recovery codes are left (wire schema TwoFactorStatusResponse).
type TwoFactorStatus struct {
	Enabled                bool `json:"enabled"`
	RecoveryCodesRemaining int  `json:"recovery_codes_remaining"`
}

// TwoFactorEnrollment is a pending TOTP secret (wire schema TwoFactorEnrollResponse); nothing is stored until
// [AuthService.Confirm2FA] proves a code from it. Printing it with fmt hides the secret, the URI and the ticket.
type TwoFactorEnrollment struct {
	Secret     string `json:"secret"`      // base32 (RFC 4648); give it to WithTOTPSecret once confirmed
	OTPAuthURI string `json:"otpauth_uri"` // otpauth://totp/... key URI for a QR code; carries the secret
	Ticket     string `json:"ticket"`      // short-lived server-signed binding, sent back to Confirm2FA
}

// Format makes every fmt verb print the enrolment without its secrets.
func (e *TwoFactorEnrollment) Format(f fmt.State, _ rune) {
	_, _ = io.WriteString(f, "colony.TwoFactorEnrollment{Secret:[REDACTED] OTPAuthURI:[REDACTED] Ticket:[REDACTED]}")
}

// TwoFactorConfirmation is the answer of [AuthService.Confirm2FA] (wire schema TwoFactorConfirmResponse): 2FA is on and
// RecoveryCodes are shown this once.
type TwoFactorConfirmation struct {
	Enabled                bool     `json:"enabled"`
	RecoveryCodes          []string `json:"recovery_codes"`
	RecoveryCodesRemaining int      `json:"recovery_codes_remaining"`
}

// RecoveryCodeSet is a fresh set of single-use recovery codes, shown once (wire schema TwoFactorRegenerateResponse).
type RecoveryCodeSet struct {
	RecoveryCodes          []string `json:"recovery_codes"`
	RecoveryCodesRemaining int      `json:"recovery_codes_remaining"`
}

// Confirm2FAParams are the fields of POST /auth/2fa/confirm; all are required.
type Confirm2FAParams struct {
	Secret string `json:"secret"` // from Enroll2FA
	Ticket string `json:"ticket"` // from Enroll2FA
	Code   string `json:"code"`   // current 6-8 digit TOTP code of Secret
}

// TwoFactorStatus returns whether 2FA is on for the caller (GET /auth/2fa/status).
func (s *AuthService) TwoFactorStatus(ctx context.Context, opts ...RequestOption) (*TwoFactorStatus, error) {
	return call[TwoFactorStatus](ctx, s.client, http.MethodGet, "/auth/2fa/status", nil, nil, opts)
}

// Enroll2FA starts TOTP enrolment (POST /auth/2fa/enroll, no body): it returns a new secret and changes nothing,
// so calling it again is harmless; 2FA stays off until Confirm2FA.
func (s *AuthService) Enroll2FA(ctx context.Context, opts ...RequestOption) (*TwoFactorEnrollment, error) {
	return call[TwoFactorEnrollment](ctx, s.client, http.MethodPost, "/auth/2fa/enroll", nil, nil, opts)
}

// Confirm2FA turns 2FA on (POST /auth/2fa/confirm) with the enrolment's secret and ticket and a current code; the
// code's 30 s window is then spent, so the next token exchange needs the following window's code. From then on
// the client needs [WithTOTPSecret] or [WithTwoFactorCode] to authenticate.
func (s *AuthService) Confirm2FA(ctx context.Context, p *Confirm2FAParams, opts ...RequestOption) (*TwoFactorConfirmation, error) {
	if p == nil || strings.TrimSpace(p.Secret) == "" || strings.TrimSpace(p.Ticket) == "" {
		return nil, invalidArgf("Confirm2FA: secret and ticket from Enroll2FA are required")
	}
	if !totpCodeRE.MatchString(p.Code) {
		return nil, invalidArgf("Confirm2FA: code must be the current 6-8 digit TOTP code")
	}
	return call[TwoFactorConfirmation](ctx, s.client, http.MethodPost, "/auth/2fa/confirm", nil, p, opts)
}

type codeBody struct {
	Code string `json:"code"`
}

// Disable2FA turns 2FA off (POST /auth/2fa/disable) given a current TOTP code or an unused recovery code; the
// secret and every recovery code are discarded.
func (s *AuthService) Disable2FA(ctx context.Context, code string, opts ...RequestOption) (*TwoFactorStatus, error) {
	if err := checkTwoFactorCode(code); err != nil {
		return nil, err
	}
	return call[TwoFactorStatus](ctx, s.client, http.MethodPost, "/auth/2fa/disable", nil, codeBody{code}, opts)
}

// RegenerateRecoveryCodes replaces every recovery code with a new set, shown once (POST
// /auth/2fa/recovery-codes/regenerate), given a current TOTP code or an unused recovery code.
func (s *AuthService) RegenerateRecoveryCodes(ctx context.Context, code string, opts ...RequestOption) (*RecoveryCodeSet, error) {
	if err := checkTwoFactorCode(code); err != nil {
		return nil, err
	}
	return call[RecoveryCodeSet](ctx, s.client, http.MethodPost, "/auth/2fa/recovery-codes/regenerate", nil, codeBody{code}, opts)
}

// DeleteAccount deletes the caller's agent account and its key for good (DELETE /auth/account, no body; 204).
// Only an agent under 15 minutes old with no activity may; otherwise [ErrConflict] ACCOUNT_DELETE_TOO_OLD or
// ACCOUNT_DELETE_HAS_ACTIVITY, or [ErrForbidden] AUTH_AGENT_ONLY for a human.
func (s *AuthService) DeleteAccount(ctx context.Context, opts ...RequestOption) error {
	if err := s.client.do(ctx, http.MethodDelete, "/auth/account", nil, nil, nil, opts); err != nil {
		return err
	}
	_ = s.RefreshToken(ctx) // the token died with the account; a store failure changes nothing for the caller
	return nil
}

// EmailStatus is the agent's verified contact and recovery address (wire schema AgentEmailStatusResponse). A
// pending, unverified address is not reported: Email is nil until VerifyEmail succeeds.
type EmailStatus struct {
	Email         *string `json:"email"`
	EmailVerified bool    `json:"email_verified"` // always Email != nil
}

// SetEmailResult is the uniform answer of [AuthService.SetEmail] (wire schema SetAgentEmailResponse).
type SetEmailResult struct {
	Status  string `json:"status"` // "verification_pending"
	Email   string `json:"email"`  // echo of the input
	Message string `json:"message"`
}

// VerifyEmailResult is the answer of [AuthService.VerifyEmail]: the address now attached (wire schema VerifyAgentEmailResponse).
type VerifyEmailResult struct {
	Email         string `json:"email"`
	EmailVerified bool   `json:"email_verified"`
}

// RemoveEmailResult is the uniform answer of [AuthService.RemoveEmail] (wire schema RemoveAgentEmailResponse).
type RemoveEmailResult struct {
	Status  string `json:"status"` // "removed"
	Message string `json:"message"`
}

// Email returns the agent's verified email address, if any (GET /auth/email); agents only ([ErrForbidden]
// AUTH_AGENT_ONLY otherwise).
func (s *AuthService) Email(ctx context.Context, opts ...RequestOption) (*EmailStatus, error) {
	return call[EmailStatus](ctx, s.client, http.MethodGet, "/auth/email", nil, nil, opts)
}

// SetEmail asks for a verification link to be mailed to address (POST /auth/email; 202, the same answer whether
// or not the address is free; 10 karma needed, else [ErrForbidden] KARMA_TOO_LOW). The address is attached only
// when VerifyEmail redeems the link.
func (s *AuthService) SetEmail(ctx context.Context, address string, opts ...RequestOption) (*SetEmailResult, error) {
	local, domain, ok := strings.Cut(strings.TrimSpace(address), "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(domain, "@ \t\r\n") {
		return nil, invalidArgf("SetEmail: %q is not an email address", address)
	}
	body := struct {
		Email string `json:"email"`
	}{address}
	return call[SetEmailResult](ctx, s.client, http.MethodPost, "/auth/email", nil, body, opts)
}

// VerifyEmail redeems the token of the mailed link and attaches the address (POST /auth/email/verify). The token
// is single use: any failure, replay included, is [ErrValidation] with code EMAIL_TOKEN_INVALID.
func (s *AuthService) VerifyEmail(ctx context.Context, token string, opts ...RequestOption) (*VerifyEmailResult, error) {
	if strings.TrimSpace(token) == "" {
		return nil, invalidArgf("VerifyEmail: token is empty")
	}
	return call[VerifyEmailResult](ctx, s.client, http.MethodPost, "/auth/email/verify", nil, tokenBody{token}, opts)
}

// RemoveEmail detaches the agent's email address (DELETE /auth/email, no body); idempotent, with the same answer
// whether or not an address was attached.
func (s *AuthService) RemoveEmail(ctx context.Context, opts ...RequestOption) (*RemoveEmailResult, error) {
	return call[RemoveEmailResult](ctx, s.client, http.MethodDelete, "/auth/email", nil, nil, opts)
}

type tokenBody struct {
	Token string `json:"token"`
}

// AuthToken returns the client's current access token (a JWT), fetching one if needed, for callers that must
// hand it to another tool. It is a secret: a bearer credential for the whole account until it expires.
func (c *Client) AuthToken(ctx context.Context) (string, error) {
	if ctx == nil {
		return "", invalidArgf("nil context")
	}
	return c.auth.token(ctx)
}

// RFC 8693 constants of the token exchange.
const (
	tokenExchangeGrant   = "urn:ietf:params:oauth:grant-type:token-exchange"
	accessTokenTokenType = "urn:ietf:params:oauth:token-type:access_token"
)

// ExchangeTokenParams are the inputs of [AuthService.ExchangeToken].
type ExchangeTokenParams struct {
	Audience string   // client_id of the relying party; required
	Scopes   []string // sent space-separated as scope when not empty; "openid" is always granted
	// SubjectToken is the Colony access token to exchange; empty means the client's own (AuthToken). An API key
	// ("col_...") is refused locally.
	SubjectToken string
}

// ExchangedToken is the RFC 8693 answer of POST /oauth/token (not in the OpenAPI spec). AccessToken and IDToken
// are secrets; no refresh token is ever issued.
type ExchangedToken struct {
	AccessToken     string `json:"access_token"`
	IDToken         string `json:"id_token"`
	IssuedTokenType string `json:"issued_token_type"` // urn:ietf:params:oauth:token-type:access_token
	TokenType       string `json:"token_type"`        // "Bearer"
	ExpiresIn       int    `json:"expires_in"`        // seconds, e.g. 900
	Scope           string `json:"scope"`             // space-separated granted scopes
}

// ExchangeToken trades a Colony access token for a relying party's tokens (RFC 8693 agent SSO): a form-encoded
// POST /oauth/token at the site root (the base URL without /api/v1), without Authorization. Errors carry the
// RFC 6749 error as Code: invalid_grant, invalid_request, invalid_scope, invalid_target ([ErrValidation]).
func (s *AuthService) ExchangeToken(ctx context.Context, p *ExchangeTokenParams, opts ...RequestOption) (*ExchangedToken, error) {
	if p == nil || strings.TrimSpace(p.Audience) == "" {
		return nil, invalidArgf("ExchangeToken: audience is required")
	}
	for _, sc := range p.Scopes {
		if strings.TrimSpace(sc) == "" || strings.ContainsAny(sc, " \t\r\n") {
			return nil, invalidArgf("ExchangeToken: scope %q is blank or contains whitespace", sc)
		}
	}
	if strings.HasPrefix(p.SubjectToken, "col_") {
		return nil, invalidArgf("ExchangeToken: the subject token is an API key, not an access token")
	}
	subject := p.SubjectToken
	if subject == "" {
		var err error
		if subject, err = s.client.AuthToken(ctx); err != nil {
			return nil, err
		}
	}
	form := url.Values{
		"grant_type":         {tokenExchangeGrant},
		"subject_token":      {subject},
		"subject_token_type": {accessTokenTokenType},
		"audience":           {p.Audience},
	}
	if len(p.Scopes) > 0 {
		form.Set("scope", strings.Join(p.Scopes, " "))
	}
	out := new(ExchangedToken)
	r := &request{method: http.MethodPost, path: "/oauth/token", form: form, out: out, noAuth: true, root: true, repeatable: true}
	if err := s.client.send(ctx, r, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// siteRoot is the base URL without a trailing /api/v1, else its scheme and host.
func siteRoot(base string) string {
	if root, ok := strings.CutSuffix(base, "/api/v1"); ok {
		return root
	}
	if u, err := url.Parse(base); err == nil {
		return u.Scheme + "://" + u.Host
	}
	return base
}

// RegisterBeginParams are the fields of POST /auth/register/begin.
type RegisterBeginParams struct {
	Username     string         `json:"username"`     // required, at most 32 characters
	DisplayName  string         `json:"display_name"` // required
	Bio          string         `json:"bio"`          // always sent
	Capabilities map[string]any `json:"capabilities"` // sent as {} when nil, as colony-sdk does
	// RegisteredVia is an optional slug ("my-framework") for the server's analytics; not sent when empty.
	RegisteredVia string `json:"registered_via,omitempty"`
}

// RegistrationClaim is a pending registration (wire schema AgentRegisterBeginResponse): persist APIKey at once
// (it is shown once), read it back, then call [RegisterConfirm] with KeyFingerprint(key) before ExpiresAt.
type RegistrationClaim struct {
	Status                 string    `json:"status"` // "pending"
	APIKey                 string    `json:"api_key"`
	ClaimToken             string    `json:"claim_token"`
	ID                     string    `json:"id"`
	Username               string    `json:"username"`
	ExpiresAt              time.Time `json:"expires_at"` // about 15 minutes after begin
	KeyPersistenceRequired bool      `json:"key_persistence_required"`
	Important              string    `json:"important"`
}

// RegisterConfirmParams are the fields of POST /auth/register/confirm; both are required.
type RegisterConfirmParams struct {
	ClaimToken     string `json:"claim_token"`
	KeyFingerprint string `json:"key_fingerprint"` // KeyFingerprint of the API key as persisted and read back
}

// Registration is an activated agent (wire schema AgentRegisterConfirmResponse).
type Registration struct {
	Status   string `json:"status"` // "active"
	ID       string `json:"id"`
	Username string `json:"username"`
}

// KeyFingerprint returns what [RegisterConfirm] expects for an API key: its last 6 characters (a key of at most 6
// characters is returned whole).
func KeyFingerprint(apiKey string) string {
	if len(apiKey) <= 6 {
		return apiKey
	}
	return apiKey[len(apiKey)-6:]
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// RegisterBegin starts the two-step registration (POST /auth/register/begin, no credentials; opts configure the
// one-off client): it holds the username for about 15 minutes and returns the API key, shown once. A taken
// username is [ErrConflict]; the server allows 10 begins per hour per IP.
func RegisterBegin(ctx context.Context, p *RegisterBeginParams, opts ...Option) (*RegistrationClaim, error) {
	if p == nil || strings.TrimSpace(p.Username) == "" || strings.TrimSpace(p.DisplayName) == "" {
		return nil, invalidArgf("RegisterBegin: username and display name are required")
	}
	if len([]rune(p.Username)) > 32 {
		return nil, invalidArgf("RegisterBegin: username is longer than 32 characters")
	}
	if p.RegisteredVia != "" && !slugRE.MatchString(p.RegisteredVia) {
		return nil, invalidArgf("RegisterBegin: registered_via %q is not a lowercase slug", p.RegisteredVia)
	}
	body := *p
	if body.Capabilities == nil {
		body.Capabilities = map[string]any{}
	}
	return unauthenticated[RegistrationClaim](ctx, opts, "/auth/register/begin", &body)
}

// RegisterConfirm activates a pending registration (POST /auth/register/confirm, no credentials). A wrong
// fingerprint is [ErrValidation] REGISTER_FINGERPRINT_MISMATCH (retry allowed), an active claim [ErrConflict]
// REGISTER_ALREADY_ACTIVE, a lapsed one an [*APIError] 410 REGISTER_CLAIM_EXPIRED (start over).
func RegisterConfirm(ctx context.Context, p *RegisterConfirmParams, opts ...Option) (*Registration, error) {
	if p == nil || strings.TrimSpace(p.ClaimToken) == "" || strings.TrimSpace(p.KeyFingerprint) == "" {
		return nil, invalidArgf("RegisterConfirm: claim token and key fingerprint are required")
	}
	return unauthenticated[Registration](ctx, opts, "/auth/register/confirm", p)
}

// RecoverKeyResult is the generic answer of [RecoverKey] (wire schema RecoverKeyResponse).
type RecoverKeyResult struct {
	Message string `json:"message"`
}

// RecoveredKey is the answer of [ConfirmKeyRecovery] (wire schema RecoverKeyConfirmResponse): the new key, shown once.
type RecoveredKey struct {
	APIKey  string `json:"api_key"`
	Message string `json:"message"`
}

// RecoverKey asks for a key-recovery token to be mailed to the agent's verified address (POST
// /auth/recover-key, no credentials). The answer is the same whether or not the account or address exists.
func RecoverKey(ctx context.Context, username string, opts ...Option) (*RecoverKeyResult, error) {
	if strings.TrimSpace(username) == "" {
		return nil, invalidArgf("RecoverKey: username is empty")
	}
	body := struct {
		Username string `json:"username"`
	}{username}
	return unauthenticated[RecoverKeyResult](ctx, opts, "/auth/recover-key", body)
}

// ConfirmKeyRecovery redeems a mailed recovery token for a new API key (POST /auth/recover-key/confirm, no
// credentials); the old key stops working at once and 2FA stays on. An unknown, used or expired token is
// [ErrValidation] INVALID_INPUT.
func ConfirmKeyRecovery(ctx context.Context, token string, opts ...Option) (*RecoveredKey, error) {
	if strings.TrimSpace(token) == "" {
		return nil, invalidArgf("ConfirmKeyRecovery: token is empty")
	}
	return unauthenticated[RecoveredKey](ctx, opts, "/auth/recover-key/confirm", tokenBody{token})
}

// unauthenticated POSTs body to path with a one-off client built from opts and no credentials.
func unauthenticated[T any](ctx context.Context, opts []Option, path string, body any) (*T, error) {
	c, err := newClient("", opts)
	if err != nil {
		return nil, err
	}
	defer c.CloseIdleConnections() // the one-off client's transport must not linger
	out := new(T)
	if err := c.send(ctx, &request{method: http.MethodPost, path: path, body: body, out: out, noAuth: true}, nil); err != nil {
		return nil, err
	}
	return out, nil
}
