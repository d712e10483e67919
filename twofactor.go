package colony

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// TOTP parameters of The Colony (RFC 6238 defaults, as the otpauth URIs it issues imply).
const (
	totpStep   = 30 // seconds per code
	totpDigits = 6
)

// twoFactorSource supplies the totp_code of one token exchange.
type twoFactorSource interface {
	code(ctx context.Context) (string, error)
}

// WithTwoFactorCode makes every token exchange (POST /auth/token) carry totp_code = fn(ctx): a current TOTP
// code or an unused recovery code. fn is called once per exchange, including re-authentication after expiry or a
// 401, and never twice for the same exchange: a code the server refused is never sent again by the SDK.
func WithTwoFactorCode(fn func(ctx context.Context) (string, error)) Option {
	return func(c *config) error {
		if fn == nil {
			return invalidArgf("WithTwoFactorCode: nil function")
		}
		c.twoFactor = codeFunc(fn)
		return nil
	}
}

// WithTOTPSecret makes every token exchange carry an RFC 6238 code (SHA-1, 6 digits, 30 s) of the agent's base32
// secret (from [AuthService.Enroll2FA]), which is never sent, logged or printed. As each window is accepted once, a second
// exchange in one window sends the next window's code (±1 step is accepted) and a third fails with [ErrTwoFactorRequired].
func WithTOTPSecret(secret string) Option {
	return WithTOTPSecretClock(secret, time.Now)
}

// WithTOTPSecretClock is [WithTOTPSecret] with the time read from now: a test clock, or a corrected clock on a
// host whose own clock drifts.
func WithTOTPSecretClock(secret string, now func() time.Time) Option {
	return func(c *config) error {
		key, err := decodeTOTPSecret(secret)
		if err != nil {
			return err
		}
		if now == nil {
			return invalidArgf("WithTOTPSecretClock: nil clock")
		}
		c.twoFactor = &totpGenerator{key: key, now: now}
		return nil
	}
}

// TOTP returns the RFC 6238 code (HMAC-SHA1, 6 digits, 30 s steps) of a base32 secret at time t. Spaces, dashes,
// padding and letter case in secret are ignored; an invalid secret is [ErrInvalidArgument] (the error never
// contains the secret).
func TOTP(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, t.Unix()/totpStep), nil
}

func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "=", "").Replace(secret))
	if s == "" {
		return nil, invalidArgf("TOTP secret is empty")
	}
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, invalidArgf("TOTP secret is not valid base32") // no detail: it would quote the secret
	}
	return key, nil
}

// hotp is RFC 4226 with SHA-1 and dynamic truncation to totpDigits digits.
func hotp(key []byte, counter int64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, v%1_000_000)
}

// totpGenerator computes codes from the secret, never the same window twice.
type totpGenerator struct {
	key  []byte
	now  func() time.Time
	mu   sync.Mutex
	last int64 // counter of the last code handed out; 0 before any
}

func (g *totpGenerator) code(context.Context) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now().Unix() / totpStep
	counter := max(now, g.last+1)
	if counter > now+1 {
		next := time.Unix((g.last)*totpStep, 0).UTC()
		return "", fmt.Errorf("%w: the TOTP codes valid now were already sent; the next one is valid from %s",
			ErrTwoFactorRequired, next.Format(time.RFC3339))
	}
	g.last = counter
	return hotp(g.key, counter), nil
}

// String hides the secret.
func (g *totpGenerator) String() string { return "colony.totp([REDACTED])" }

// Format makes every fmt verb print String, never the key.
func (g *totpGenerator) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, g.String()) }

// codeFunc is the caller's code source of WithTwoFactorCode.
type codeFunc func(ctx context.Context) (string, error)

func (f codeFunc) code(ctx context.Context) (string, error) { return f(ctx) }

var (
	totpCodeRE     = regexp.MustCompile(`^[0-9]{6,8}$`)
	recoveryCodeRE = regexp.MustCompile(`^[A-Za-z0-9]{10,16}$`)
	base32SecretRE = regexp.MustCompile(`^[A-Z2-7]{16,}=*$`)
)

// checkTwoFactorCode applies colony-sdk's local rules to a code; errors never quote it.
func checkTwoFactorCode(code string) error {
	switch {
	case totpCodeRE.MatchString(code):
		return nil
	case base32SecretRE.MatchString(code):
		return invalidArgf("two-factor code looks like the TOTP secret, not a code")
	case recoveryCodeRE.MatchString(code):
		return nil
	case len(code) >= 3 && len(code) <= 5 && strings.Trim(code, "0123456789") == "":
		return invalidArgf("two-factor code has %d digits (a leading zero stripped?); TOTP codes have 6", len(code))
	}
	return invalidArgf("two-factor code must be 6-8 digits or a 10-16 character recovery code, without spaces")
}

// tokenRequestBody is the body of POST /auth/token: the API key, plus totp_code when a code source is set.
func (c *Client) tokenRequestBody(ctx context.Context, apiKey string) (tokenRequest, error) {
	body := tokenRequest{APIKey: apiKey}
	if c.cfg.twoFactor == nil {
		return body, nil
	}
	code, err := c.cfg.twoFactor.code(ctx)
	if err != nil {
		return body, fmt.Errorf("two-factor code: %w", err)
	}
	if err := checkTwoFactorCode(code); err != nil {
		return body, err
	}
	body.TOTPCode = code
	return body, nil
}
