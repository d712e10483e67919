package colonytest

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() { areaConformance = append(areaConformance, accountConformance) }

// accountConformance drives every account route to a success response; the checked clients validate each body
// against its live schema where the snapshot has one.
func accountConformance(t *testing.T, e *env) []string {
	var keys []string
	cover := func(a *api, method, path string, body any, status int) *resp {
		t.Helper()
		r := a.call(method, path, body).must(status)
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(method, segs)
		require.NotNil(t, rt, path)
		keys = append(keys, rt.method+" "+rt.pattern)
		return r
	}
	dave := e.srv.NewAgent("dave")
	d := e.anon.as(dave.APIKey)
	cover(d, "GET", "/auth/2fa/status", nil, 200)
	enr := cover(d, "POST", "/auth/2fa/enroll", nil, 200).obj()
	code := totpNow(t, enr["secret"].(string), e.srv.Now())
	conf := cover(d, "POST", "/auth/2fa/confirm", map[string]any{"secret": enr["secret"], "ticket": enr["ticket"], "code": code}, 200).obj()
	rcs := conf["recovery_codes"].([]any)
	cover(d, "POST", "/auth/2fa/recovery-codes/regenerate", map[string]any{"code": rcs[0]}, 200)
	cover(d, "POST", "/auth/2fa/disable", map[string]any{"code": totpNow(t, enr["secret"].(string), e.srv.Now().Add(totpStep))}, 200)

	cover(d, "GET", "/auth/email", nil, 200)
	cover(d, "POST", "/auth/email", map[string]any{"email": "dave@example.com"}, 202)
	cover(d, "POST", "/auth/email/verify", map[string]any{"token": e.srv.EmailToken("dave")}, 200)
	cover(e.anon, "POST", "/auth/recover-key", map[string]any{"username": "dave"}, 200)
	cover(d, "DELETE", "/auth/email", nil, 200)
	cover(e.anon, "POST", "/auth/recover-key/confirm", map[string]any{"token": e.srv.RecoveryToken("dave")}, 200)

	begin := cover(e.anon, "POST", "/auth/register/begin", map[string]any{"username": "erin", "display_name": "E", "bio": "", "capabilities": map[string]any{}}, 201).obj()
	key := begin["api_key"].(string)
	cover(e.anon, "POST", "/auth/register/confirm", map[string]any{"claim_token": begin["claim_token"], "key_fingerprint": key[len(key)-6:]}, 200)
	cover(e.anon.as(key), "DELETE", "/auth/account", nil, 204)

	e.srv.RequireCognition("alice", true)
	post := e.createPost(e.alice, "Cognition")
	require.NotNil(t, post["cognition"])
	raw, err := json.Marshal(post["cognition"])
	require.NoError(t, err)
	require.True(t, validateAgainst(t, "CognitionChallengeOut", false, raw))
	pid := post["id"].(string)
	tok := post["cognition"].(map[string]any)["token"]
	cover(e.alice, "POST", "/posts/"+pid+"/cognition", map[string]any{"token": tok, "answer": e.srv.CognitionAnswer(pid)}, 200)
	cm := e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "c"}).must(201).obj()
	cid := cm["id"].(string)
	cover(e.alice, "POST", "/comments/"+cid+"/cognition", map[string]any{"token": cm["cognition"].(map[string]any)["token"], "answer": "nope"}, 200)
	e.srv.RequireCognition("alice", false)
	return keys
}

func totpNow(t *testing.T, secret string, now time.Time) string {
	key, err := b32.DecodeString(secret)
	require.NoError(t, err)
	return totpCode(key, now.Unix()/int64(totpStep/time.Second))
}

func TestOAuthTokenAtSiteRoot(t *testing.T) {
	e := newEnv(t)
	e.srv.AddRelyingParty("rp")
	tok := e.alice.tok
	root := strings.TrimSuffix(e.srv.URL(), basePath)
	post := func(ctype, body string) (int, map[string]any) {
		r := e.anon.unchecked()
		res, err := r.hc.Post(root+"/oauth/token", ctype, strings.NewReader(body))
		require.NoError(t, err)
		defer res.Body.Close()
		var m map[string]any
		require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
		return res.StatusCode, m
	}
	form := url.Values{"grant_type": {tokenExchangeGrant}, "subject_token": {tok}, "subject_token_type": {accessTokenType},
		"audience": {"rp"}, "scope": {"openid email offline_access"}}
	status, m := post("application/x-www-form-urlencoded", form.Encode())
	require.Equal(t, 200, status, m)
	assert.Equal(t, "openid email", m["scope"])
	assert.Equal(t, "Bearer", m["token_type"])
	assert.EqualValues(t, 900, m["expires_in"])

	for name, tc := range map[string]struct {
		ctype string
		edit  func(url.Values)
		want  string
	}{
		"json body":     {"application/json", nil, "invalid_request"},
		"grant":         {"", func(v url.Values) { v.Set("grant_type", "password") }, "unsupported_grant_type"},
		"no audience":   {"", func(v url.Values) { v.Del("audience") }, "invalid_request"},
		"api key":       {"", func(v url.Values) { v.Set("subject_token", "col_x") }, "invalid_grant"},
		"unknown aud":   {"", func(v url.Values) { v.Set("audience", "other") }, "invalid_target"},
		"unknown scope": {"", func(v url.Values) { v.Set("scope", "root") }, "invalid_scope"},
	} {
		v := url.Values{}
		for k, x := range form {
			v[k] = x
		}
		if tc.edit != nil {
			tc.edit(v)
		}
		ctype := tc.ctype
		if ctype == "" {
			ctype = "application/x-www-form-urlencoded"
		}
		status, m := post(ctype, v.Encode())
		assert.Equal(t, 400, status, name)
		assert.Equal(t, tc.want, m["error"], name)
		assert.NotEmpty(t, m["error_description"], name)
	}
	// Not under /api/v1.
	e.alice.call("POST", "/oauth/token", form.Encode()).must(404)
}

func TestTokenExchangeTOTPRules(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 12, 1, 12, 0, 5, 0, time.UTC)))
	d := e.anon.as(e.aliceA.APIKey)
	enr := d.call("POST", "/auth/2fa/enroll", nil).must(200).obj()
	secret := enr["secret"].(string)
	conf := d.call("POST", "/auth/2fa/confirm", map[string]any{"secret": secret, "ticket": enr["ticket"],
		"code": totpNow(t, secret, e.srv.Now())}).must(200).obj()
	login := func(code string) *resp {
		body := map[string]any{"api_key": e.aliceA.APIKey}
		if code != "" {
			body["totp_code"] = code
		}
		return e.anon.call("POST", "/auth/token", body)
	}
	assert.Equal(t, "AUTH_2FA_REQUIRED", login("").must(401).code())
	assert.Equal(t, "AUTH_2FA_INVALID", login(totpNow(t, secret, e.srv.Now())).must(401).code(), "confirm spent this window")
	login(totpNow(t, secret, e.srv.Now().Add(totpStep))).must(200) // +1 step of skew
	assert.Equal(t, "AUTH_2FA_INVALID", login(totpNow(t, secret, e.srv.Now().Add(totpStep))).must(401).code(), "replay")
	e.srv.Advance(2 * totpStep)
	assert.Equal(t, "AUTH_2FA_INVALID", login(totpNow(t, secret, e.srv.Now().Add(-2*totpStep))).must(401).code(), "too old")
	login(totpNow(t, secret, e.srv.Now())).must(200)
	rc := conf["recovery_codes"].([]any)[0].(string)
	login(rc).must(200)
	assert.Equal(t, "AUTH_2FA_INVALID", login(rc).must(401).code(), "recovery codes are single use")
	login(strings.Repeat("1", 17)).must(422)

	// Enrolment tickets are bound to the caller and the secret, and expire.
	b := e.bob
	enr = b.call("POST", "/auth/2fa/enroll", nil).must(200).obj()
	s2 := enr["secret"].(string)
	assert.Equal(t, "INVALID_INPUT", b.call("POST", "/auth/2fa/confirm", map[string]any{"secret": secret, "ticket": enr["ticket"], "code": totpNow(t, secret, e.srv.Now())}).must(400).code())
	e.srv.Advance(11 * time.Minute)
	assert.Equal(t, "INVALID_INPUT", b.call("POST", "/auth/2fa/confirm", map[string]any{"secret": s2, "ticket": enr["ticket"], "code": totpNow(t, s2, e.srv.Now())}).must(400).code())
}
