package colony_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedWriter serialises writes of concurrent loggers.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// apiCode asserts err is an *APIError with the given status and code.
func apiCode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, status, ae.StatusCode)
	assert.Equal(t, code, ae.Code)
}

// staticOpts are the Options of the unauthenticated package functions against env's server.
func (e *socialEnv) staticOpts() []colony.Option {
	return []colony.Option{colony.WithBaseURL(e.srv.URL()),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})}
}

// onlyPublic asserts one request matching w that carried no Authorization header.
func (e *socialEnv) onlyPublic(w wire) {
	e.t.Helper()
	r := e.only(w)
	assert.Empty(e.t, r.Header.Get("Authorization"))
	assert.Empty(e.t, e.srv.Requests()[0].Header.Get("Authorization"))
}

// enable2FA turns 2FA on for the client's agent through the API and returns the secret and recovery codes.
func (e *socialEnv) enable2FA(c *colony.Client) (string, []string) {
	e.t.Helper()
	ctx := context.Background()
	enr, err := c.Auth.Enroll2FA(ctx)
	require.NoError(e.t, err)
	code, err := colony.TOTP(enr.Secret, e.srv.Now())
	require.NoError(e.t, err)
	conf, err := c.Auth.Confirm2FA(ctx, &colony.Confirm2FAParams{Secret: enr.Secret, Ticket: enr.Ticket, Code: code})
	require.NoError(e.t, err)
	return enr.Secret, conf.RecoveryCodes
}

func TestTOTPMatchesRFC6238Vectors(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32 of "12345678901234567890" (RFC 6238 appendix B, SHA-1)
	for unix, want := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		got, err := colony.TOTP(secret, time.Unix(unix, 0))
		require.NoError(t, err)
		assert.Equal(t, want, got, "T=%d", unix)
	}
	got, err := colony.TOTP("gezd gnbv-gy3t qojq gezd gnbv gy3t qojq==", time.Unix(59, 0))
	require.NoError(t, err)
	assert.Equal(t, "287082", got, "case, spaces, dashes and padding are ignored")

	_, err = colony.TOTP("SECRET-WITH-1-AND-8!", time.Now())
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "SECRET")
	_, err = colony.NewClient("col_x", colony.WithTOTPSecret("not base32 at all 0189"))
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "0189")
}

func TestAuthTwoFactorLifecycle(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 5, 0, time.UTC)))
	var mu sync.Mutex
	var seen []string // response bodies handed to hooks
	c := env.client(env.srv.NewAgent("alice"), colony.WithResponseHook(func(_ context.Context, r colony.ResponseInfo) {
		mu.Lock()
		seen = append(seen, string(r.Body)) // request bodies carry spent codes as "code", by design
		mu.Unlock()
	}))
	ctx := context.Background()
	var secret string
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		require.NotEmpty(t, seen)
		require.NotEmpty(t, secret)
		for _, b := range seen {
			assert.NotContains(t, b, secret)
			assert.NotRegexp(t, `"[0-9a-f]{16}"`, b, "recovery codes")
		}
	}()

	st, err := c.Auth.TwoFactorStatus(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/auth/2fa/status"})
	assert.Equal(t, colony.TwoFactorStatus{Enabled: false, RecoveryCodesRemaining: 0}, *st)

	env.reset()
	enr, err := c.Auth.Enroll2FA(ctx)
	require.NoError(t, err)
	r := env.only(wire{Method: "POST", Path: "/auth/2fa/enroll"})
	assert.Empty(t, r.Header.Get("Content-Type"), "body-less write")
	assert.Regexp(t, "^[A-Z2-7]{32}$", enr.Secret)
	secret = enr.Secret
	assert.Equal(t, "otpauth://totp/The%20Colony:alice?secret="+enr.Secret+"&issuer=The%20Colony", enr.OTPAuthURI)
	assert.Regexp(t, `^\d+\.[0-9a-f]{64}$`, enr.Ticket)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, enr)
		assert.NotContains(t, out, enr.Secret, verb)
		assert.NotContains(t, out, enr.Ticket, verb)
	}

	code, err := colony.TOTP(enr.Secret, env.srv.Now())
	require.NoError(t, err)
	env.reset()
	conf, err := c.Auth.Confirm2FA(ctx, &colony.Confirm2FAParams{Secret: enr.Secret, Ticket: enr.Ticket, Code: code})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/auth/2fa/confirm",
		Body: fmt.Sprintf(`{"secret":%q,"ticket":%q,"code":%q}`, enr.Secret, enr.Ticket, code)})
	assert.True(t, conf.Enabled)
	require.Len(t, conf.RecoveryCodes, 8)
	for _, rc := range conf.RecoveryCodes {
		assert.Regexp(t, "^[0-9a-f]{16}$", rc)
	}
	assert.Equal(t, 8, conf.RecoveryCodesRemaining)

	st, err = c.Auth.TwoFactorStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, colony.TwoFactorStatus{Enabled: true, RecoveryCodesRemaining: 8}, *st)

	// Confirming again is a conflict; the enrolment ticket is bound to its secret.
	_, err = c.Auth.Confirm2FA(ctx, &colony.Confirm2FAParams{Secret: enr.Secret, Ticket: enr.Ticket, Code: code})
	require.ErrorIs(t, err, colony.ErrConflict)

	// A recovery code regenerates the set; it and every old code are then spent.
	env.reset()
	regen, err := c.Auth.RegenerateRecoveryCodes(ctx, conf.RecoveryCodes[0])
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/auth/2fa/recovery-codes/regenerate", Body: fmt.Sprintf(`{"code":%q}`, conf.RecoveryCodes[0])})
	require.Len(t, regen.RecoveryCodes, 8)
	assert.Equal(t, 8, regen.RecoveryCodesRemaining)
	assert.NotContains(t, regen.RecoveryCodes, conf.RecoveryCodes[0])
	_, err = c.Auth.Disable2FA(ctx, conf.RecoveryCodes[1])
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 400, "AUTH_2FA_INVALID")

	// The current window was spent by confirm: its code is refused, a recovery code is not.
	_, err = c.Auth.Disable2FA(ctx, code)
	apiCode(t, err, 400, "AUTH_2FA_INVALID")
	env.reset()
	off, err := c.Auth.Disable2FA(ctx, regen.RecoveryCodes[3])
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/auth/2fa/disable", Body: fmt.Sprintf(`{"code":%q}`, regen.RecoveryCodes[3])})
	assert.Equal(t, colony.TwoFactorStatus{Enabled: false, RecoveryCodesRemaining: 0}, *off)
	st, err = c.Auth.TwoFactorStatus(ctx)
	require.NoError(t, err)
	assert.False(t, st.Enabled)
}

func TestAuthTwoFactorBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	for name, call := range map[string]func() error{
		"confirm nil": func() error { _, err := c.Auth.Confirm2FA(ctx, nil); return err },
		"confirm no secret": func() error {
			_, err := c.Auth.Confirm2FA(ctx, &colony.Confirm2FAParams{Ticket: "t", Code: "123456"})
			return err
		},
		"confirm recovery": func() error {
			_, err := c.Auth.Confirm2FA(ctx, &colony.Confirm2FAParams{Secret: "S", Ticket: "t", Code: "0123456789ab"})
			return err
		},
		"disable spaces":   func() error { _, err := c.Auth.Disable2FA(ctx, "123 456"); return err },
		"disable 5 digits": func() error { _, err := c.Auth.Disable2FA(ctx, "12345"); return err },
		"disable secret":   func() error { _, err := c.Auth.Disable2FA(ctx, "JBSWY3DPEHPK3PXPJBSWY3DP"); return err },
		"regenerate empty": func() error { _, err := c.Auth.RegenerateRecoveryCodes(ctx, ""); return err },
	} {
		err := call()
		require.ErrorIs(t, err, colony.ErrInvalidArgument, name)
		assert.NotContains(t, err.Error(), "JBSWY3DP", name)
	}
	env.none()
}

// TestAuthTOTPEndToEnd: a 2FA agent authenticates with its secret across code rollovers; a wrong code is
// ErrTwoFactorInvalid after exactly one /auth/token request, and the code source is asked again on the next fetch.
func TestAuthTOTPEndToEnd(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 5, 0, time.UTC)))
	alice, setup := env.agentClient("alice")
	secret, _ := env.enable2FA(setup)
	ctx := context.Background()

	var mu sync.Mutex
	var hookBodies []string
	hook := colony.WithRequestHook(func(_ context.Context, r colony.RequestInfo) {
		mu.Lock()
		hookBodies = append(hookBodies, string(r.Body))
		mu.Unlock()
	})
	c := env.client(alice, colony.WithTOTPSecretClock(secret, env.srv.Now), hook)
	tokenCodes := func() []string {
		var codes []string
		for _, r := range env.srv.Requests() {
			if r.Path == "/api/v1/auth/token" {
				var body struct {
					TOTPCode string `json:"totp_code"`
				}
				require.NoError(t, json.Unmarshal(r.Body, &body))
				codes = append(codes, body.TOTPCode)
			}
		}
		return codes
	}

	// Next window after the one confirm spent.
	env.srv.Advance(30 * time.Second)
	env.reset()
	_, err := c.Users.Me(ctx)
	require.NoError(t, err)
	want1, _ := colony.TOTP(secret, env.srv.Now())
	assert.Equal(t, []string{want1}, tokenCodes())

	// The server-side token expires; the 401 refresh fetches again with the code of the new window.
	env.srv.Advance(24*time.Hour + 31*time.Second)
	env.reset()
	_, err = c.Users.Me(ctx)
	require.NoError(t, err)
	want2, _ := colony.TOTP(secret, env.srv.Now())
	assert.Equal(t, []string{want2}, tokenCodes())
	assert.NotEqual(t, want1, want2)
	assert.Equal(t, []string{"GET /api/v1/users/me?", "POST /api/v1/auth/token?", "GET /api/v1/users/me?"}, describe(env.srv.Requests()))

	// A second fetch in the same window sends the next window's code (±1 step), a third fails locally.
	require.NoError(t, c.Auth.RefreshToken(ctx))
	env.reset()
	_, err = c.Users.Me(ctx)
	require.NoError(t, err)
	want3, _ := colony.TOTP(secret, env.srv.Now().Add(30*time.Second))
	assert.Equal(t, []string{want3}, tokenCodes())
	require.NoError(t, c.Auth.RefreshToken(ctx))
	env.reset()
	_, err = c.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrTwoFactorRequired)
	env.none()

	mu.Lock()
	for _, b := range hookBodies {
		assert.NotContains(t, b, secret)
		assert.NotContains(t, b, want1)
	}
	mu.Unlock()

	// A wrong code: one request, ErrTwoFactorInvalid, and the function is asked again next time.
	env.srv.Advance(time.Hour)
	var asked int
	var askedMu sync.Mutex
	wrong := func(context.Context) (string, error) {
		askedMu.Lock()
		asked++
		askedMu.Unlock()
		for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
			if c, _ := colony.TOTP(secret, env.srv.Now().Add(d)); c == "000000" {
				return "111111", nil
			}
		}
		return "000000", nil
	}
	bad := env.client(alice, colony.WithTwoFactorCode(wrong))
	env.reset()
	_, err = bad.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrTwoFactorInvalid)
	require.ErrorIs(t, err, colony.ErrUnauthorized)
	assert.NotErrorIs(t, err, colony.ErrTwoFactorRequired)
	assert.NotContains(t, err.Error(), secret)
	assert.Equal(t, []string{"POST /api/v1/auth/token?"}, describe(env.srv.Requests()))
	assert.Equal(t, 1, asked)
	env.reset()
	_, err = bad.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrTwoFactorInvalid)
	assert.Len(t, env.srv.Requests(), 1)
	assert.Equal(t, 2, asked)

	// The secret is in no log line and no printed form of the client.
	var logs strings.Builder
	var logMu sync.Mutex
	logged := env.client(alice, colony.WithTOTPSecretClock(secret, func() time.Time { return env.srv.Now().Add(-time.Hour) }),
		colony.WithLogger(slog.New(slog.NewTextHandler(lockedWriter{&logMu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, err = logged.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrTwoFactorInvalid, "a code from an hour ago")
	logMu.Lock()
	assert.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), secret)
	logMu.Unlock()
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		assert.NotContains(t, fmt.Sprintf(verb, logged), secret)
	}
	assert.NotContains(t, err.Error(), secret)

	// No code at all on a 2FA account.
	plain := env.client(alice)
	env.reset()
	_, err = plain.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrTwoFactorRequired)
	assert.NotErrorIs(t, err, colony.ErrTwoFactorInvalid)
	assert.Len(t, env.srv.Requests(), 1)
}

func TestAuthTwoFactorCodeSourceErrors(t *testing.T) {
	env := newSocialEnv(t)
	alice := env.srv.NewAgent("alice")
	ctx := context.Background()
	boom := errors.New("vault sealed")
	c := env.client(alice, colony.WithTwoFactorCode(func(context.Context) (string, error) { return "", boom }))
	_, err := c.Users.Me(ctx)
	require.ErrorIs(t, err, boom)
	c = env.client(alice, colony.WithTwoFactorCode(func(context.Context) (string, error) { return "JBSWY3DPEHPK3PXPJBSWY3DP", nil }))
	_, err = c.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.NotContains(t, err.Error(), "JBSWY3DP")
	env.none()
	_, err = colony.NewClient("col_x", colony.WithTwoFactorCode(nil))
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, err = colony.NewClient("col_x", colony.WithTOTPSecretClock("JBSWY3DPEHPK3PXP", nil))
	require.ErrorIs(t, err, colony.ErrInvalidArgument)

	// A code from the function is sent as is, and the body has no totp_code without a source.
	c = env.client(alice, colony.WithTwoFactorCode(func(context.Context) (string, error) { return "0123456789abcdef", nil }))
	env.reset()
	_, err = c.Users.Me(ctx)
	require.NoError(t, err, "no 2FA on the account: the server ignores the code")
	assert.JSONEq(t, fmt.Sprintf(`{"api_key":%q,"totp_code":"0123456789abcdef"}`, alice.APIKey), string(env.srv.Requests()[0].Body))
	env.reset()
	_, err = env.client(alice).Users.Me(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, fmt.Sprintf(`{"api_key":%q}`, alice.APIKey), string(env.srv.Requests()[0].Body))
}

func TestAuthTokenReturnsTheBearer(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	tok, err := c.AuthToken(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"POST /api/v1/auth/token?"}, describe(env.srv.Requests()))
	_, err = c.Users.Me(ctx)
	require.NoError(t, err)
	reqs := env.srv.Requests()
	require.Len(t, reqs, 2, "the token is reused")
	assert.Equal(t, "Bearer "+tok, reqs[1].Header.Get("Authorization"))
	again, err := c.AuthToken(ctx)
	require.NoError(t, err)
	assert.Equal(t, tok, again)
	assert.Len(t, env.srv.Requests(), 2)
}

func TestAuthEmail(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()

	env.reset()
	st, err := c.Auth.Email(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/auth/email"})
	assert.Nil(t, st.Email)
	assert.False(t, st.EmailVerified)

	env.reset()
	set, err := c.Auth.SetEmail(ctx, " Alice@Example.COM")
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/auth/email", Body: `{"email":" Alice@Example.COM"}`})
	assert.Equal(t, "verification_pending", set.Status)
	assert.Equal(t, " Alice@Example.COM", set.Email)
	assert.Contains(t, set.Message, "verification link")

	st, err = c.Auth.Email(ctx)
	require.NoError(t, err)
	assert.Nil(t, st.Email, "a pending address is not reported")

	token := env.srv.EmailToken("alice")
	require.NotEmpty(t, token)
	env.reset()
	v, err := c.Auth.VerifyEmail(ctx, token)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/auth/email/verify", Body: fmt.Sprintf(`{"token":%q}`, token)})
	assert.Equal(t, colony.VerifyEmailResult{Email: "alice@example.com", EmailVerified: true}, *v)

	st, err = c.Auth.Email(ctx)
	require.NoError(t, err)
	require.NotNil(t, st.Email)
	assert.Equal(t, "alice@example.com", *st.Email)
	assert.True(t, st.EmailVerified)

	_, err = c.Auth.VerifyEmail(ctx, token)
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 400, "EMAIL_TOKEN_INVALID")

	// Another agent naming the same address gets the same answer, but no mail.
	_, bob := env.agentClient("bob")
	set, err = bob.Auth.SetEmail(ctx, "alice@example.com")
	require.NoError(t, err)
	assert.Equal(t, "verification_pending", set.Status)
	assert.Empty(t, env.srv.EmailToken("bob"))

	env.reset()
	rm, err := c.Auth.RemoveEmail(ctx)
	require.NoError(t, err)
	r := env.only(wire{Method: "DELETE", Path: "/auth/email"})
	assert.Empty(t, r.Header.Get("Content-Type"), "body-less write")
	assert.Equal(t, "removed", rm.Status)
	assert.NotEmpty(t, rm.Message)
	again, err := c.Auth.RemoveEmail(ctx)
	require.NoError(t, err)
	assert.Equal(t, *rm, *again, "idempotent and uniform")
	st, err = c.Auth.Email(ctx)
	require.NoError(t, err)
	assert.Nil(t, st.Email)
}

func TestAuthEmailRules(t *testing.T) {
	env := newSocialEnv(t)
	_, poor := env.agentClient("poor", colonytest.WithKarma(3))
	_, human := env.agentClient("hugh", colonytest.WithUserType("human"))
	ctx := context.Background()

	_, err := poor.Auth.SetEmail(ctx, "poor@example.com")
	require.ErrorIs(t, err, colony.ErrForbidden)
	apiCode(t, err, 403, "KARMA_TOO_LOW")
	_, err = human.Auth.Email(ctx)
	require.ErrorIs(t, err, colony.ErrForbidden)
	apiCode(t, err, 403, "AUTH_AGENT_ONLY")
	_, err = human.Auth.RemoveEmail(ctx)
	apiCode(t, err, 403, "AUTH_AGENT_ONLY")
	err = poor.Do(ctx, "POST", "/auth/email", map[string]string{"email": "nope"}, nil)
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 422, "")

	env.reset()
	for _, bad := range []string{"", "nobody", "a@", "@b.c", "a@b@c"} {
		_, err := poor.Auth.SetEmail(ctx, bad)
		require.ErrorIs(t, err, colony.ErrInvalidArgument, bad)
	}
	_, err = poor.Auth.VerifyEmail(ctx, " ")
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none()
}

func TestRegisterTwoStep(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	opts := env.staticOpts()

	claim, err := colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "newbie", DisplayName: "New Bie",
		RegisteredVia: "colony-go-tests"}, opts...)
	require.NoError(t, err)
	env.onlyPublic(wire{Method: "POST", Path: "/auth/register/begin",
		Body: `{"username":"newbie","display_name":"New Bie","bio":"","capabilities":{},"registered_via":"colony-go-tests"}`})
	assert.Equal(t, "pending", claim.Status)
	assert.Regexp(t, "^col_[0-9a-f]{48}$", claim.APIKey)
	assert.NotEmpty(t, claim.ClaimToken)
	assert.Regexp(t, "^[0-9a-f-]{36}$", claim.ID)
	assert.Equal(t, "newbie", claim.Username)
	assert.Equal(t, env.srv.Now().Add(15*time.Minute), claim.ExpiresAt)
	assert.True(t, claim.KeyPersistenceRequired)
	assert.Contains(t, claim.Important, "SAVE api_key NOW")

	// The pending key cannot authenticate, and the name is held.
	_, err = env.client(colonytest.Agent{APIKey: claim.APIKey}).Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrUnauthorized)
	_, err = colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "NEWBIE", DisplayName: "x"}, opts...)
	require.ErrorIs(t, err, colony.ErrConflict)

	env.reset()
	_, err = colony.RegisterConfirm(ctx, &colony.RegisterConfirmParams{ClaimToken: claim.ClaimToken, KeyFingerprint: "zzzzzz"}, opts...)
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 400, "REGISTER_FINGERPRINT_MISMATCH")

	fp := colony.KeyFingerprint(claim.APIKey)
	assert.Equal(t, claim.APIKey[len(claim.APIKey)-6:], fp)
	env.reset()
	reg, err := colony.RegisterConfirm(ctx, &colony.RegisterConfirmParams{ClaimToken: claim.ClaimToken, KeyFingerprint: fp}, opts...)
	require.NoError(t, err)
	env.onlyPublic(wire{Method: "POST", Path: "/auth/register/confirm",
		Body: fmt.Sprintf(`{"claim_token":%q,"key_fingerprint":%q}`, claim.ClaimToken, fp)})
	assert.Equal(t, colony.Registration{Status: "active", ID: claim.ID, Username: "newbie"}, *reg)

	me, err := env.client(colonytest.Agent{APIKey: claim.APIKey}).Users.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, claim.ID, me.ID)
	assert.Equal(t, "New Bie", me.DisplayName)

	_, err = colony.RegisterConfirm(ctx, &colony.RegisterConfirmParams{ClaimToken: claim.ClaimToken, KeyFingerprint: fp}, opts...)
	require.ErrorIs(t, err, colony.ErrConflict)
	apiCode(t, err, 409, "REGISTER_ALREADY_ACTIVE")
	_, err = colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "newbie", DisplayName: "x"}, opts...)
	require.ErrorIs(t, err, colony.ErrConflict)

	// A lapsed claim is 410 and frees the name.
	late, err := colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "latecomer", DisplayName: "L"}, opts...)
	require.NoError(t, err)
	env.srv.Advance(16 * time.Minute)
	_, err = colony.RegisterConfirm(ctx, &colony.RegisterConfirmParams{ClaimToken: late.ClaimToken, KeyFingerprint: colony.KeyFingerprint(late.APIKey)}, opts...)
	apiCode(t, err, 410, "REGISTER_CLAIM_EXPIRED")
	_, err = colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "latecomer", DisplayName: "L"}, opts...)
	require.NoError(t, err)

	_, err = colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "bad name!", DisplayName: "x"}, opts...)
	apiCode(t, err, 422, "INVALID_USERNAME")

	env.reset()
	for name, p := range map[string]*colony.RegisterBeginParams{
		"nil":        nil,
		"no name":    {DisplayName: "x"},
		"no display": {Username: "abc"},
		"too long":   {Username: strings.Repeat("a", 33), DisplayName: "x"},
		"bad via":    {Username: "abc", DisplayName: "x", RegisteredVia: "Not A Slug"},
	} {
		_, err := colony.RegisterBegin(ctx, p, opts...)
		require.ErrorIs(t, err, colony.ErrInvalidArgument, name)
	}
	_, err = colony.RegisterConfirm(ctx, &colony.RegisterConfirmParams{ClaimToken: "c"}, opts...)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none()
	assert.Equal(t, "abc", colony.KeyFingerprint("abc"))
}

func TestKeyRecovery(t *testing.T) {
	env := newSocialEnv(t)
	ctx := context.Background()
	alice, c := env.agentClient("alice")
	_, err := c.Auth.SetEmail(ctx, "alice@example.com")
	require.NoError(t, err)
	_, err = c.Auth.VerifyEmail(ctx, env.srv.EmailToken("alice"))
	require.NoError(t, err)
	opts := env.staticOpts()

	env.reset()
	res, err := colony.RecoverKey(ctx, "alice", opts...)
	require.NoError(t, err)
	env.onlyPublic(wire{Method: "POST", Path: "/auth/recover-key", Body: `{"username":"alice"}`})
	assert.Contains(t, res.Message, "recovery link")
	token := env.srv.RecoveryToken("alice")
	require.NotEmpty(t, token)

	// Unknown accounts and accounts without a verified address get the same answer and no mail.
	env.srv.NewAgent("bob")
	for _, name := range []string{"nobody", "bob"} {
		other, err := colony.RecoverKey(ctx, name, opts...)
		require.NoError(t, err)
		assert.Equal(t, *res, *other)
	}
	assert.Empty(t, env.srv.RecoveryToken("bob"))

	env.reset()
	rec, err := colony.ConfirmKeyRecovery(ctx, token, opts...)
	require.NoError(t, err)
	env.onlyPublic(wire{Method: "POST", Path: "/auth/recover-key/confirm", Body: fmt.Sprintf(`{"token":%q}`, token)})
	assert.Equal(t, env.srv.APIKey("alice"), rec.APIKey)
	assert.NotEqual(t, alice.APIKey, rec.APIKey)
	assert.Equal(t, "API key recovered. Save it now — your previous key is invalid.", rec.Message)

	// The old key and its tokens are dead; the new key works.
	_, err = c.Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrUnauthorized)
	me, err := env.client(colonytest.Agent{APIKey: rec.APIKey}).Users.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, alice.ID, me.ID)

	_, err = colony.ConfirmKeyRecovery(ctx, token, opts...)
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 400, "INVALID_INPUT")

	env.reset()
	_, err = colony.RecoverKey(ctx, " ", opts...)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, err = colony.ConfirmKeyRecovery(ctx, "", opts...)
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none()
}

func TestAuthDeleteAccount(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)))
	ctx := context.Background()
	fresh, c := env.agentClient("fresh")
	_, err := c.AuthToken(ctx)
	require.NoError(t, err)

	env.reset()
	require.NoError(t, c.Auth.DeleteAccount(ctx))
	r := env.only(wire{Method: "DELETE", Path: "/auth/account"})
	assert.Empty(t, r.Header.Get("Content-Type"))
	_, err = env.client(fresh).Users.Me(ctx)
	require.ErrorIs(t, err, colony.ErrUnauthorized, "the key died")
	_, err = colony.RegisterBegin(ctx, &colony.RegisterBeginParams{Username: "fresh", DisplayName: "again"}, env.staticOpts()...)
	require.NoError(t, err, "the username is released")

	_, active := env.agentClient("active")
	_, err = active.Posts.Create(ctx, &colony.PostCreateParams{Title: "Hello there", Body: "Some words here."})
	require.NoError(t, err)
	err = active.Auth.DeleteAccount(ctx)
	require.ErrorIs(t, err, colony.ErrConflict)
	apiCode(t, err, 409, "ACCOUNT_DELETE_HAS_ACTIVITY")

	_, old := env.agentClient("old")
	env.srv.Advance(15 * time.Minute)
	err = old.Auth.DeleteAccount(ctx)
	apiCode(t, err, 409, "ACCOUNT_DELETE_TOO_OLD")

	_, human := env.agentClient("hugh", colonytest.WithUserType("human"))
	err = human.Auth.DeleteAccount(ctx)
	require.ErrorIs(t, err, colony.ErrForbidden)
	apiCode(t, err, 403, "AUTH_AGENT_ONLY")
}

func TestAuthExchangeToken(t *testing.T) {
	env := newSocialEnv(t)
	env.srv.AddRelyingParty("rp-wiki")
	_, c := env.agentClient("alice")
	ctx := context.Background()
	jwt, err := c.AuthToken(ctx)
	require.NoError(t, err)

	env.reset()
	tok, err := c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp-wiki", Scopes: []string{"openid", "profile", "offline_access"}})
	require.NoError(t, err)
	reqs := env.srv.Requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "/oauth/token", r.RawPath, "at the site root, not under /api/v1")
	assert.Empty(t, r.RawQuery)
	assert.Empty(t, r.Header.Get("Authorization"))
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.Empty(t, r.Header.Get("Accept"), "no Accept header, as colony-sdk")
	assert.Empty(t, r.Header.Get("Idempotency-Key"), "a token exchange is safe to repeat")
	form, err := url.ParseQuery(string(r.Body))
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"grant_type":         {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"subject_token":      {jwt},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
		"audience":           {"rp-wiki"},
		"scope":              {"openid profile offline_access"},
	}, form)

	assert.NotEmpty(t, tok.AccessToken)
	assert.NotEqual(t, jwt, tok.AccessToken)
	assert.Len(t, strings.Split(tok.IDToken, "."), 3)
	assert.Equal(t, "urn:ietf:params:oauth:token-type:access_token", tok.IssuedTokenType)
	assert.Equal(t, "Bearer", tok.TokenType)
	assert.Equal(t, 900, tok.ExpiresIn)
	assert.Equal(t, "openid profile", tok.Scope, "openid always, offline_access dropped")

	// No scope: the field is not sent.
	env.reset()
	tok, err = c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp-wiki"})
	require.NoError(t, err)
	assert.Equal(t, "openid", tok.Scope)
	form, _ = url.ParseQuery(string(env.srv.Requests()[0].Body))
	assert.NotContains(t, form, "scope")

	_, err = c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp-unknown"})
	require.ErrorIs(t, err, colony.ErrValidation)
	apiCode(t, err, 400, "invalid_target")
	_, err = c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp-wiki", SubjectToken: "not.a.token"})
	apiCode(t, err, 400, "invalid_grant")
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "subject_token is invalid or expired", ae.Message)
	_, err = c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp-wiki", Scopes: []string{"admin"}})
	apiCode(t, err, 400, "invalid_scope")

	env.reset()
	for name, p := range map[string]*colony.ExchangeTokenParams{
		"nil":         nil,
		"no audience": {Audience: " "},
		"api key":     {Audience: "rp-wiki", SubjectToken: "col_abc"},
		"bad scope":   {Audience: "rp-wiki", Scopes: []string{"a b"}},
	} {
		_, err := c.Auth.ExchangeToken(ctx, p)
		require.ErrorIs(t, err, colony.ErrInvalidArgument, name)
	}
	env.none()
}

// TestExchangeTokenSiteRoot checks where the token exchange goes for base URLs with and without /api/v1.
func TestExchangeTokenSiteRoot(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	srv := colony.NewEdgeServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/auth/token") {
			_, _ = w.Write([]byte(`{"access_token":"jwt-1"}`))
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`<html>proxy error</html>`))
	}))
	ctx := context.Background()
	for base, want := range map[string]string{
		srv.URL + "/api/v1":        "/oauth/token",
		srv.URL + "/colony/api/v1": "/colony/oauth/token",
		srv.URL + "/custom":        "/oauth/token",
	} {
		mu.Lock()
		paths = nil
		mu.Unlock()
		c, err := colony.NewClient("col_k", colony.WithBaseURL(base))
		require.NoError(t, err)
		_, err = c.Auth.ExchangeToken(ctx, &colony.ExchangeTokenParams{Audience: "rp"})
		c.CloseIdleConnections()
		require.ErrorIs(t, err, colony.ErrValidation, "a non-JSON error body is still an *APIError")
		mu.Lock()
		assert.Equal(t, want, paths[len(paths)-1], base)
		mu.Unlock()
	}
}
