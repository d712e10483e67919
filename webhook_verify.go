package colony

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names of a webhook delivery, exactly as the Colony server sends them.
const (
	// WebhookHeaderSignature is the legacy body-only signature header, "sha256=<hex>"; it cannot bound replays.
	WebhookHeaderSignature = "X-Colony-Signature"
	// WebhookHeaderSignature256 is the replay-resistant signature header, "t=<unix seconds>,v1=<hex>".
	WebhookHeaderSignature256 = "X-Colony-Signature-256"
	// WebhookHeaderTimestamp carries the delivery's unix timestamp in seconds; it is not signed, verify against t= instead.
	WebhookHeaderTimestamp = "X-Colony-Timestamp"
	// WebhookHeaderDelivery carries the delivery id, which changes on every attempt; never de-duplicate on it.
	WebhookHeaderDelivery = "X-Colony-Delivery"
	// WebhookHeaderEventID carries the event id, which stays the same across retries; it is the de-duplication key.
	WebhookHeaderEventID = "X-Colony-Event-Id"
	// WebhookHeaderEvent carries the event name, a copy of the body's "event" field.
	WebhookHeaderEvent = "X-Colony-Event"
	// WebhookHeaderAttempt carries the 1-based attempt number of the delivery.
	WebhookHeaderAttempt = "X-Colony-Attempt"
)

// DefaultWebhookTolerance is the largest allowed distance, in either direction, between a signed timestamp and now.
const DefaultWebhookTolerance = 5 * time.Minute

// Errors returned by webhook signature verification; match them with errors.Is.
var (
	// ErrWebhookSignatureMismatch means no signature in the header matches the body and secret.
	ErrWebhookSignatureMismatch = errors.New("colony: webhook signature mismatch")
	// ErrWebhookSignatureExpired means the signature matches but its timestamp is outside the tolerance window.
	ErrWebhookSignatureExpired = errors.New("colony: webhook signature timestamp outside tolerance")
	// ErrWebhookSignatureMalformed means the signature header is missing, lacks t or v1, or has a non-integer t.
	ErrWebhookSignatureMalformed = errors.New("colony: webhook signature header malformed")
	// ErrWebhookInvalidTolerance means a zero or negative tolerance was given; there is no "no window" setting.
	ErrWebhookInvalidTolerance = errors.New("colony: webhook tolerance must be positive")
	// ErrWebhookNoSecret means the secret is empty: anyone could sign with it, so nothing verifies.
	ErrWebhookNoSecret = errors.New("colony: webhook secret is empty")
)

// maxTimestampDigits bounds t= so that it always fits in an int64.
const maxTimestampDigits = 18

// VerifyWebhook reports whether signature is the legacy X-Colony-Signature of payload under secret: lowercase hex
// HMAC-SHA256 of the raw body, with an optional "sha256=" prefix. It compares in constant time, returns false for
// empty, short or garbage signatures, and cannot detect replays; prefer [VerifyWebhookSignature256].
func VerifyWebhook(payload []byte, signature, secret string) bool {
	if secret == "" {
		return false // anyone can sign with an empty key: an unset secret must not verify
	}
	signature = strings.TrimPrefix(signature, "sha256=")
	return hmac.Equal([]byte(signature), []byte(signHex(secret, payload)))
}

// VerifyWebhookSignature256 checks an X-Colony-Signature-256 header ("t=<unix>,v1=<hex>") against payload and secret
// at the current time. The signature is checked before the timestamp, the window is two-sided, and a tolerance <= 0
// returns [ErrWebhookInvalidTolerance]; see [WebhookVerifier] for the rules and an injectable clock.
func VerifyWebhookSignature256(payload []byte, header, secret string, tolerance time.Duration) error {
	if tolerance <= 0 {
		return ErrWebhookInvalidTolerance
	}
	v := WebhookVerifier{Secret: secret, Tolerance: tolerance}
	return v.Verify(payload, header)
}

// WebhookVerifier checks X-Colony-Signature-256 headers with a fixed secret, tolerance and clock. A zero Tolerance
// means [DefaultWebhookTolerance], a negative one is refused, and a nil Now means time.Now; it is safe for concurrent
// use as long as its fields are not changed.
type WebhookVerifier struct {
	// Secret is the webhook secret given when the subscription was created.
	Secret string
	// Tolerance is the largest allowed |now - t|; zero means DefaultWebhookTolerance.
	Tolerance time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
}

// Verify checks header against payload. Unknown keys (such as a future v2=) are ignored, any matching v1 is enough,
// and the outcome is nil or an error matching exactly one of the ErrWebhook* sentinels.
func (v WebhookVerifier) Verify(payload []byte, header string) error {
	_, err := v.verify(payload, header)
	return err
}

// verify is Verify that also returns the signed timestamp.
func (v WebhookVerifier) verify(payload []byte, header string) (time.Time, error) {
	if v.Secret == "" {
		return time.Time{}, ErrWebhookNoSecret
	}
	tolerance, err := v.tolerance()
	if err != nil {
		return time.Time{}, err
	}
	sh, err := parseSignature256Header(header)
	if err != nil {
		return time.Time{}, err
	}
	if !sh.matches(v.Secret, payload) {
		return time.Time{}, ErrWebhookSignatureMismatch
	}
	now := v.now()
	if !withinTolerance(sh.unix, now.Unix(), tolerance) {
		return time.Time{}, fmt.Errorf("%w: signed at %d, now %d, tolerance %s",
			ErrWebhookSignatureExpired, sh.unix, now.Unix(), tolerance)
	}
	return time.Unix(sh.unix, 0), nil
}

func (v WebhookVerifier) tolerance() (time.Duration, error) {
	switch {
	case v.Tolerance == 0:
		return DefaultWebhookTolerance, nil
	case v.Tolerance < 0:
		return 0, ErrWebhookInvalidTolerance
	}
	return v.Tolerance, nil
}

func (v WebhookVerifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// SignWebhook returns the signature headers the Colony server would send for body at time t: X-Colony-Signature
// ("sha256=<hex>"), X-Colony-Signature-256 ("t=<unix>,v1=<hex>") and X-Colony-Timestamp. It is meant for testing
// receivers; t must not be before 1970, and the id, event and attempt headers are left to the caller.
func SignWebhook(body []byte, secret string, t time.Time) http.Header {
	ts := strconv.FormatInt(t.Unix(), 10)
	h := make(http.Header, 3)
	h.Set(WebhookHeaderSignature, "sha256="+signHex(secret, body))
	h.Set(WebhookHeaderSignature256, "t="+ts+",v1="+signHex(secret, []byte(ts), []byte("."), body))
	h.Set(WebhookHeaderTimestamp, ts)
	return h
}

// signHex returns the lowercase hex HMAC-SHA256 of the concatenated parts under secret.
func signHex(secret string, parts ...[]byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, p := range parts {
		mac.Write(p)
	}
	return hex.EncodeToString(mac.Sum(nil))
}

// signature256Header is a parsed X-Colony-Signature-256 value.
type signature256Header struct {
	rawTimestamp string   // t= exactly as sent; it is what was signed
	unix         int64    // t= as seconds since the epoch
	v1           []string // every v1= value, in order
}

// parseSignature256Header splits header on ',' and then on the first '=', trimming spaces. Unknown keys and parts
// without '=' are ignored; a missing, repeated or non-decimal t, or no v1, is ErrWebhookSignatureMalformed.
func parseSignature256Header(header string) (signature256Header, error) {
	var sh signature256Header
	seenT := false
	for _, part := range strings.Split(header, ",") {
		key, value, ok := strings.Cut(part, "=")
		if !ok {
			continue
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		switch key {
		case "t":
			if seenT {
				return signature256Header{}, fmt.Errorf("%w: repeated t", ErrWebhookSignatureMalformed)
			}
			seenT = true
			unix, err := parseUnixSeconds(value)
			if err != nil {
				return signature256Header{}, err
			}
			sh.rawTimestamp, sh.unix = value, unix
		case "v1":
			sh.v1 = append(sh.v1, value)
		}
	}
	switch {
	case !seenT:
		return signature256Header{}, fmt.Errorf("%w: no t", ErrWebhookSignatureMalformed)
	case len(sh.v1) == 0:
		return signature256Header{}, fmt.Errorf("%w: no v1", ErrWebhookSignatureMalformed)
	}
	return sh, nil
}

// parseUnixSeconds accepts 1 to maxTimestampDigits ASCII digits, with no sign.
func parseUnixSeconds(s string) (int64, error) {
	if s == "" || len(s) > maxTimestampDigits || strings.TrimLeft(s, "0123456789") != "" {
		return 0, fmt.Errorf("%w: t is not a unix timestamp", ErrWebhookSignatureMalformed)
	}
	return strconv.ParseInt(s, 10, 64) // cannot fail: at most 18 digits
}

// matches reports whether any v1 equals the expected signature, comparing each in constant time.
func (sh signature256Header) matches(secret string, payload []byte) bool {
	want := []byte(signHex(secret, []byte(sh.rawTimestamp), []byte("."), payload))
	ok := false
	for _, got := range sh.v1 {
		if hmac.Equal([]byte(got), want) {
			ok = true
		}
	}
	return ok
}

// withinTolerance reports whether |now - ts| <= tolerance, without overflowing for any int64 inputs.
func withinTolerance(ts, now int64, tolerance time.Duration) bool {
	var diff uint64
	if now >= ts {
		diff = uint64(now) - uint64(ts)
	} else {
		diff = uint64(ts) - uint64(now)
	}
	return diff <= uint64(tolerance/time.Second)
}
