package colony

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const fuzzSecret = "whsec_fuzz_secret_0123456789"

var verifySentinels = []error{ErrWebhookSignatureMismatch, ErrWebhookSignatureExpired, ErrWebhookSignatureMalformed}

// matchesOneSentinel reports whether err matches exactly one of the verification sentinels.
func matchesOneSentinel(err error) bool {
	n := 0
	for _, s := range verifySentinels {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}

func FuzzParseSignature256Header(f *testing.F) {
	body := []byte(`{"event":"post_created","post_id":"p1"}`)
	for _, seed := range []string{
		"", "t=1767225600,v1=" + strings.Repeat("ab", 32), "v1=00,t=0", "t=1,v1=a,v2=b,v1=c", " t = 5 , v1 = x ",
		"t=-1,v1=a", "t=1.5,v1=a", "t=,v1=", "t=1,t=2,v1=a", "=,=,=", ",,,", "t", "t=99999999999999999999,v1=a",
		SignWebhook(body, fuzzSecret, time.Unix(1767225600, 0)).Get(WebhookHeaderSignature256),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		v := WebhookVerifier{Secret: fuzzSecret, Now: func() time.Time { return time.Unix(1767225600, 0) }}
		if err := v.Verify(body, header); err != nil && !matchesOneSentinel(err) {
			t.Fatalf("Verify(%q) = %v, not exactly one sentinel", header, err)
		}
		sh, err := parseSignature256Header(header)
		if err != nil {
			if !errors.Is(err, ErrWebhookSignatureMalformed) {
				t.Fatalf("parse error %v is not ErrWebhookSignatureMalformed", err)
			}
			return
		}
		if len(sh.v1) == 0 || sh.unix < 0 {
			t.Fatalf("parsed %q into %+v", header, sh)
		}
		if got, err := strconv.ParseInt(sh.rawTimestamp, 10, 64); err != nil || got != sh.unix {
			t.Fatalf("raw timestamp %q does not parse to %d", sh.rawTimestamp, sh.unix)
		}
		// Adding the right v1 for the parsed t must make any parseable header verify at that time.
		fixed := header + ",v1=" + signHex(fuzzSecret, []byte(sh.rawTimestamp), []byte("."), body)
		v.Now = func() time.Time { return time.Unix(sh.unix, 0) }
		if err := v.Verify(body, fixed); err != nil {
			t.Fatalf("Verify(%q) with a matching v1 = %v", fixed, err)
		}
	})
}

func FuzzVerifyWebhook(f *testing.F) {
	f.Add([]byte(`{"event":"post_created","post_id":"3f2b"}`), fuzzSecret, "sha256=00", int64(1767225600))
	f.Add([]byte{}, "", "", int64(0))
	f.Add([]byte("\x00\xff"), "k", "sha256=sha256=", int64(-1))
	f.Add([]byte(`{"event":"direct_message","sender":"alice"}`), "s", strings.Repeat("f", 64), int64(1<<62))
	f.Fuzz(func(t *testing.T, body []byte, secret, signature string, unix int64) {
		if secret == "" { // anyone can sign with an empty key: nothing may verify
			if VerifyWebhook(body, signature, secret) {
				t.Fatal("VerifyWebhook accepted an empty secret")
			}
			if err := (WebhookVerifier{}).Verify(body, signature); !errors.Is(err, ErrWebhookNoSecret) {
				t.Fatalf("Verify with an empty secret: %v", err)
			}
			return
		}
		want := signHex(secret, body)
		if got := VerifyWebhook(body, signature, secret); got != (strings.TrimPrefix(signature, "sha256=") == want) {
			t.Fatalf("VerifyWebhook(%q) = %v, expected signature %s", signature, got, want)
		}
		if unix < 0 {
			unix = -(unix + 1)
		}
		at := time.Unix(unix%1e17, 0)
		h := SignWebhook(body, secret, at)
		if !VerifyWebhook(body, h.Get(WebhookHeaderSignature), secret) {
			t.Fatalf("legacy header from SignWebhook does not verify")
		}
		sig := h.Get(WebhookHeaderSignature256)
		v := WebhookVerifier{Secret: secret, Tolerance: time.Minute, Now: func() time.Time { return at.Add(time.Minute) }}
		if err := v.Verify(body, sig); err != nil {
			t.Fatalf("header %q from SignWebhook does not verify: %v", sig, err)
		}
		v.Now = func() time.Time { return at.Add(-time.Minute - time.Second) }
		if err := v.Verify(body, sig); !errors.Is(err, ErrWebhookSignatureExpired) {
			t.Fatalf("outside the window: %v", err)
		}
		v.Now = func() time.Time { return at }
		if err := v.Verify(body, sig+",v2="+strings.ReplaceAll(signature, ",", "")); err != nil {
			t.Fatalf("an unknown key broke verification: %v", err)
		}
		tampered := append(bytes.Clone(body), 'x')
		if VerifyWebhook(tampered, h.Get(WebhookHeaderSignature), secret) {
			t.Fatalf("tampered body verifies with the legacy header")
		}
		if err := v.Verify(tampered, sig); !errors.Is(err, ErrWebhookSignatureMismatch) {
			t.Fatalf("tampered body: %v", err)
		}
		v.Secret = secret + "x"
		if err := v.Verify(body, sig); !errors.Is(err, ErrWebhookSignatureMismatch) {
			t.Fatalf("wrong secret: %v", err)
		}
	})
}

func FuzzParseWebhookBody(f *testing.F) {
	for _, seed := range []string{
		`{"event":"post_created","post_id":"3f2b","author":"arch-colony","title":"Hello","colony":"general","post_type":"discussion"}`,
		`{"event":"comment_created","comment_id":"c","post_id":"p","author":"a","post_title":"t"}`,
		`{"event":"direct_message","sender":"alice"}`,
		`{"event":"tip_received","amount_sats":21}`,
		`{"event":"tip_received","amount_sats":1e400}`,
		`{"event":"reply_to_comment","parent_id":null}`,
		`{"event":"mention","post_id":7}`,
		`{"event":""}`, `{"event":7}`, `{"event":"x","event":"y"}`, `{}`, `null`, `[]`, `"event"`, ``, `{"event":"a"} x`,
		"{\"event\":\"\xff\"}",
	} {
		f.Add([]byte(seed))
	}
	at := time.Unix(1767225600, 0)
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseWebhookEvent(body, nil)
		if err != nil && !errors.Is(err, ErrWebhookMalformedBody) {
			t.Fatalf("error %v is not ErrWebhookMalformedBody", err)
		}
		if err == nil {
			checkParsedEvent(t, ev, body)
		}

		// The handler answers 200 exactly when the body parses, and never 5xx.
		h, herr := NewWebhookHandler(fuzzSecret, WithWebhookClock(func() time.Time { return at }))
		if herr != nil {
			t.Fatal(herr)
		}
		h.OnDefault(func(_ context.Context, _ *WebhookEvent) error { return nil })
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header = SignWebhook(body, fuzzSecret, at)
		req.Header.Set(WebhookHeaderEventID, "evt")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		want := http.StatusOK
		if err != nil {
			want = http.StatusBadRequest
		}
		if rec.Code != want {
			t.Fatalf("handler answered %d, want %d (parse error %v)", rec.Code, want, err)
		}
	})
}

// checkParsedEvent checks the invariants of a successfully parsed body and that no typed decoder panics.
func checkParsedEvent(t *testing.T, ev *WebhookEvent, body []byte) {
	t.Helper()
	if ev.Type == "" || !bytes.Equal(ev.Raw, body) || ev.Fields["event"] == nil {
		t.Fatalf("parsed %q into %+v", body, ev)
	}
	decoders := []func() error{
		func() error { _, err := ev.AsPostCreated(); return err },
		func() error { _, err := ev.AsCommentCreated(); return err },
		func() error { _, err := ev.AsDirectMessage(); return err },
		func() error { _, err := ev.AsMention(); return err },
		func() error { _, err := ev.AsCommentOnPost(); return err },
		func() error { _, err := ev.AsReplyToComment(); return err },
		func() error { _, err := ev.AsTipReceived(); return err },
		func() error { var m map[string]any; return ev.Decode(&m) },
	}
	for _, decode := range decoders {
		_ = decode() // errors are expected for most names; only panics matter
	}
}
