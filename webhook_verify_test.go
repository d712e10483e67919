package colony_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/colony-go/colony"
)

// Vectors computed outside Go (Python hmac.new(secret, msg, sha256).hexdigest()) for the real-body fixture.
const (
	vectorSecret = "whsec_test_secret_0123456789"
	vectorBody   = `{"event":"post_created","post_id":"3f2b","author":"arch-colony","title":"Hello","colony":"general","post_type":"discussion"}`
	vectorLegacy = "7002b53f3cd5996f3b5421c34e2398f6e81d2e26157df44d2cbf5ffbc3b74d0d"
	vectorUnix   = 1767225600 // 2026-01-01T00:00:00Z
	vectorV1     = "7f8c0f07822766008e7489462c2be4237cb28e170d5ee13075d6d632c081d920"
)

var vectorTime = time.Unix(vectorUnix, 0)

// hmacHex is an independent HMAC-SHA256 hex, used to build expected signatures.
func hmacHex(secret, msg string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// sig256 builds an X-Colony-Signature-256 value the way the server does.
func sig256(secret, body string, unix int64) string {
	ts := strconv.FormatInt(unix, 10)
	return "t=" + ts + ",v1=" + hmacHex(secret, ts+"."+body)
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func TestVerifyWebhookLegacy(t *testing.T) {
	t.Parallel()
	require.Equal(t, vectorLegacy, hmacHex(vectorSecret, vectorBody), "test helper disagrees with the Python vector")
	body := []byte(vectorBody)
	tests := []struct {
		name, sig, secret string
		body              []byte
		want              bool
	}{
		{"bare hex", vectorLegacy, vectorSecret, body, true},
		{"sha256= prefix", "sha256=" + vectorLegacy, vectorSecret, body, true},
		{"uppercase hex", strings.ToUpper(vectorLegacy), vectorSecret, body, false},
		{"prefix twice", "sha256=sha256=" + vectorLegacy, vectorSecret, body, false},
		{"wrong secret", vectorLegacy, vectorSecret + "x", body, false},
		{"tampered body", vectorLegacy, vectorSecret, []byte(strings.Replace(vectorBody, "Hello", "Hellp", 1)), false},
		{"empty", "", vectorSecret, body, false},
		{"prefix only", "sha256=", vectorSecret, body, false},
		{"truncated", vectorLegacy[:63], vectorSecret, body, false},
		{"too long", vectorLegacy + "0", vectorSecret, body, false},
		{"garbage", "not-a-signature!", vectorSecret, body, false},
		{"v2 header value", "t=1,v1=" + vectorLegacy, vectorSecret, body, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, colony.VerifyWebhook(tc.body, tc.sig, tc.secret))
		})
	}
}

func TestVerifyWebhookSignature256(t *testing.T) {
	t.Parallel()
	require.Equal(t, vectorV1, hmacHex(vectorSecret, strconv.Itoa(vectorUnix)+"."+vectorBody))
	good := "t=" + strconv.Itoa(vectorUnix) + ",v1=" + vectorV1
	wrong := hmacHex("another-secret-0123", strconv.Itoa(vectorUnix)+"."+vectorBody)
	stale := sig256(vectorSecret, vectorBody, vectorUnix-301)
	tests := []struct {
		name, header string
		now          time.Time
		want         error // nil means valid
	}{
		{"server vector", good, vectorTime, nil},
		{"keys reversed", "v1=" + vectorV1 + ",t=" + strconv.Itoa(vectorUnix), vectorTime, nil},
		{"spaces around parts", " t = " + strconv.Itoa(vectorUnix) + " , v1 = " + vectorV1, vectorTime, nil},
		{"unknown v2 ignored", good + ",v2=deadbeef", vectorTime, nil},
		{"unknown key first", "v0=zz," + good, vectorTime, nil},
		{"part without = ignored", good + ",junk", vectorTime, nil},
		{"second v1 matches", "t=" + strconv.Itoa(vectorUnix) + ",v1=" + wrong + ",v1=" + vectorV1, vectorTime, nil},
		{"first v1 matches", good + ",v1=" + wrong, vectorTime, nil},
		{"at past edge", good, vectorTime.Add(5 * time.Minute), nil},
		{"at future edge", good, vectorTime.Add(-5 * time.Minute), nil},
		{"past edge plus 1s", good, vectorTime.Add(5*time.Minute + time.Second), colony.ErrWebhookSignatureExpired},
		{"future edge plus 1s", good, vectorTime.Add(-5*time.Minute - time.Second), colony.ErrWebhookSignatureExpired},
		{"stale capture", stale, vectorTime, colony.ErrWebhookSignatureExpired},
		{"far future", sig256(vectorSecret, vectorBody, vectorUnix+3600), vectorTime, colony.ErrWebhookSignatureExpired},
		{"wrong secret", "t=" + strconv.Itoa(vectorUnix) + ",v1=" + wrong, vectorTime, colony.ErrWebhookSignatureMismatch},
		{"forged and stale is mismatch", "t=1,v1=" + wrong, vectorTime, colony.ErrWebhookSignatureMismatch},
		{"uppercase v1", "t=" + strconv.Itoa(vectorUnix) + ",v1=" + strings.ToUpper(vectorV1), vectorTime, colony.ErrWebhookSignatureMismatch},
		{"legacy value in v1", "t=" + strconv.Itoa(vectorUnix) + ",v1=" + vectorLegacy, vectorTime, colony.ErrWebhookSignatureMismatch},
		{"t of another time", "t=" + strconv.Itoa(vectorUnix+1) + ",v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMismatch},
		{"empty v1", "t=" + strconv.Itoa(vectorUnix) + ",v1=", vectorTime, colony.ErrWebhookSignatureMismatch},
		{"empty header", "", vectorTime, colony.ErrWebhookSignatureMalformed},
		{"legacy header value", "sha256=" + vectorLegacy, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"no t", "v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"no v1", "t=" + strconv.Itoa(vectorUnix), vectorTime, colony.ErrWebhookSignatureMalformed},
		{"only v2", "t=" + strconv.Itoa(vectorUnix) + ",v2=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t not integer", "t=17672256.5,v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t negative", "t=-1,v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t with plus", "t=+" + strconv.Itoa(vectorUnix) + ",v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t empty", "t=,v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t overflows", "t=99999999999999999999,v1=" + vectorV1, vectorTime, colony.ErrWebhookSignatureMalformed},
		{"t repeated", good + ",t=" + strconv.Itoa(vectorUnix), vectorTime, colony.ErrWebhookSignatureMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := colony.WebhookVerifier{Secret: vectorSecret, Tolerance: 5 * time.Minute, Now: fixedClock(tc.now)}
			err := v.Verify([]byte(vectorBody), tc.header)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assertOnlySentinel(t, err, tc.want)
		})
	}
}

// assertOnlySentinel checks that err matches want and none of the other verification sentinels.
func assertOnlySentinel(t *testing.T, err, want error) {
	t.Helper()
	for _, s := range []error{colony.ErrWebhookSignatureMismatch, colony.ErrWebhookSignatureExpired,
		colony.ErrWebhookSignatureMalformed, colony.ErrWebhookInvalidTolerance} {
		assert.Equal(t, s == want, errors.Is(err, s), "errors.Is(%v, %v)", err, s)
	}
}

func TestVerifyWebhookSignature256Tolerance(t *testing.T) {
	t.Parallel()
	body := []byte(vectorBody)
	t.Run("package function refuses non-positive tolerance", func(t *testing.T) {
		header := colony.SignWebhook(body, vectorSecret, time.Now()).Get(colony.WebhookHeaderSignature256)
		for _, tol := range []time.Duration{0, -time.Second} {
			err := colony.VerifyWebhookSignature256(body, header, vectorSecret, tol)
			assertOnlySentinel(t, err, colony.ErrWebhookInvalidTolerance)
		}
		require.NoError(t, colony.VerifyWebhookSignature256(body, header, vectorSecret, time.Minute))
	})
	t.Run("package function uses the wall clock", func(t *testing.T) {
		old := colony.SignWebhook(body, vectorSecret, time.Now().Add(-2*time.Minute)).Get(colony.WebhookHeaderSignature256)
		require.NoError(t, colony.VerifyWebhookSignature256(body, old, vectorSecret, 5*time.Minute))
		err := colony.VerifyWebhookSignature256(body, old, vectorSecret, time.Minute)
		assertOnlySentinel(t, err, colony.ErrWebhookSignatureExpired)
	})
	t.Run("verifier zero tolerance means five minutes", func(t *testing.T) {
		header := sig256(vectorSecret, vectorBody, vectorUnix)
		v := colony.WebhookVerifier{Secret: vectorSecret, Now: fixedClock(vectorTime.Add(colony.DefaultWebhookTolerance))}
		require.NoError(t, v.Verify(body, header))
		v.Now = fixedClock(vectorTime.Add(colony.DefaultWebhookTolerance + time.Second))
		assertOnlySentinel(t, v.Verify(body, header), colony.ErrWebhookSignatureExpired)
	})
	t.Run("verifier refuses negative tolerance before parsing", func(t *testing.T) {
		v := colony.WebhookVerifier{Secret: vectorSecret, Tolerance: -time.Minute}
		assertOnlySentinel(t, v.Verify(body, "garbage"), colony.ErrWebhookInvalidTolerance)
	})
	t.Run("expired error does not leak the secret", func(t *testing.T) {
		v := colony.WebhookVerifier{Secret: vectorSecret, Now: fixedClock(vectorTime.Add(time.Hour))}
		err := v.Verify(body, sig256(vectorSecret, vectorBody, vectorUnix))
		require.ErrorIs(t, err, colony.ErrWebhookSignatureExpired)
		assert.NotContains(t, err.Error(), vectorSecret)
		assert.NotContains(t, err.Error(), vectorV1)
	})
}

func TestSignWebhook(t *testing.T) {
	t.Parallel()
	h := colony.SignWebhook([]byte(vectorBody), vectorSecret, vectorTime.Add(999*time.Millisecond))
	assert.Equal(t, "sha256="+vectorLegacy, h.Get(colony.WebhookHeaderSignature))
	assert.Equal(t, "t="+strconv.Itoa(vectorUnix)+",v1="+vectorV1, h.Get(colony.WebhookHeaderSignature256))
	assert.Equal(t, strconv.Itoa(vectorUnix), h.Get(colony.WebhookHeaderTimestamp))
	assert.Len(t, h, 3)

	// The exact wire names, as the server sends them.
	for name, header := range map[string]string{
		"X-Colony-Signature": colony.WebhookHeaderSignature, "X-Colony-Signature-256": colony.WebhookHeaderSignature256,
		"X-Colony-Timestamp": colony.WebhookHeaderTimestamp, "X-Colony-Delivery": colony.WebhookHeaderDelivery,
		"X-Colony-Event-Id": colony.WebhookHeaderEventID, "X-Colony-Event": colony.WebhookHeaderEvent,
		"X-Colony-Attempt": colony.WebhookHeaderAttempt,
	} {
		assert.Equal(t, name, header)
	}

	assert.True(t, colony.VerifyWebhook([]byte(vectorBody), h.Get(colony.WebhookHeaderSignature), vectorSecret))
	v := colony.WebhookVerifier{Secret: vectorSecret, Now: fixedClock(vectorTime)}
	assert.NoError(t, v.Verify([]byte(vectorBody), h.Get(colony.WebhookHeaderSignature256)))
}
