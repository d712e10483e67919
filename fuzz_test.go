package colony

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Native fuzz targets for the code that reads untrusted bytes: error envelopes,
// response bodies (json.Unmarshal and the client's one-pass decodeBody, compared)
// and path arguments. Seed corpora live in testdata/fuzz/<Name>/;
// run one target with
//
//	go test -run '^$' -fuzz '^FuzzDecodePost$' -fuzztime 5m .
//
// Without -fuzz, `go test` runs every seed as a regular test.

// ---- error envelopes ----

func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []struct {
		body       string
		status     int
		retryAfter string
	}{
		{`{"detail":"Post not found"}`, 404, ""},
		{`{"detail":{"message":"Invalid or expired token","code":"AUTH_INVALID_TOKEN"}}`, 401, ""},
		{`{"detail":[{"loc":["body","title"],"msg":"field required","type":"missing"},{"loc":[],"msg":"x"}]}`, 422, ""},
		{`{"error":"boom","code":"INTERNAL"}`, 500, ""},
		{`{"message":"slow down","code":"RATE_LIMITED"}`, 429, "30"},
		{`{"detail":"Rate limit exceeded"}`, 429, "Wed, 21 Oct 2015 07:28:00 GMT"},
		{`<html><body>502 Bad Gateway</body></html>`, 502, ""},
		{``, 503, "-1"},
		{`{"detail":null,"error":5,"message":["a"],"code":{}}`, 400, "99999999999999999999"},
		{`{"detail":{"msg":"\ud800 lone surrogate","code":7}}`, 409, ""},
		{`{"detail":[1,"x",null,{"loc":[1.5,true,null],"msg":"m"}]}`, 422, ""},
		{`{"detail":"` + strings.Repeat("é", 300) + `"}`, 403, ""},
		{`   {"detail" : "padded"}   `, 599, ""},
		{`{"detail":"trunc`, 0, ""},
	} {
		f.Add([]byte(s.body), s.status, s.retryAfter)
	}
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body []byte, status int, retryAfter string) {
		status = 100 + (status%500+500)%500 // any status from 100 to 599
		code, msg := parseErrorBody(body)
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-Request-Id", "req-1")
		err := newAPIError("POST", "/posts", status, h, body, now)
		s := err.Error()
		if !strings.HasPrefix(s, "colony: POST /posts: "+strconv.Itoa(status)) {
			t.Fatalf("error string %q lacks method, path and status", s)
		}
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%T is not an *APIError", err)
		}
		if ae.StatusCode != status || ae.Code != code || ae.RequestID != "req-1" || string(ae.Body) != string(body) {
			t.Fatalf("APIError fields %+v do not match status %d, code %q", ae, status, code)
		}
		if msg != "" && ae.Message != msg {
			t.Fatalf("message %q, parsed %q", ae.Message, msg)
		}
		if sentinel := sentinelFor(status); sentinel != nil && !errors.Is(err, sentinel) {
			t.Fatalf("status %d does not match its sentinel %v", status, sentinel)
		}
		if MaybeApplied(err) != (status >= 500) {
			t.Fatalf("MaybeApplied(%d) = %v", status, MaybeApplied(err))
		}
		var rle *RateLimitError
		if isRL := errors.As(err, &rle); isRL != (status == http.StatusTooManyRequests) {
			t.Fatalf("status %d: *RateLimitError = %v", status, isRL)
		}
		if rle != nil && (rle.RetryAfter < 0 || rle.RetryAfter > 24*time.Hour) {
			t.Fatalf("Retry-After %q gave %v", retryAfter, rle.RetryAfter)
		}
	})
}

// ---- response decoding ----

// decodeSeeds are shapes every decode target starts from, besides its own samples.
var decodeSeeds = []string{
	`{}`, `null`, `[]`, `""`, `0`, `{"id":null}`, `{"id":5}`, `{"created_at":"not a date"}`,
	`{"created_at":"2026-09-01T12:00:00Z","future_field":{"nested":[1,2,{"x":null}]}}`,
	`{"id":"a","id":"b"}`, `{"ID":"upper","Id":"mixed"}`, `{"\u0069d":"escaped key"}`,
	`{"author":{"id":"u1","username":"alice","later":true}}`, `{"items":[{"id":"p1"},null,7],"total":-1}`,
	`{"a":` + strings.Repeat(`[`, 200) + strings.Repeat(`]`, 200) + `}`,
	`{"score":1e400}`, `{"score":9223372036854775808}`, `{"body":"\ud83d\ude00 \u0000"}`, `{"x":1`, "\xff\xfe",
	`{"AUTHOR":{"ID":"case"}}`, `{"tags":["a",null]}`, `{"metadata_":{"k":[1.5,true,null]}}`, `{"body":"\udc00 lone"}`,
}

// fuzzDecode checks that decodeJSON (the SDK's one decoder, goccy/go-json) decodes
// data into T exactly as encoding/json does: both fail or both succeed, and then
// the two values encode to the same JSON. An empty or null body is refused by
// decodeJSON (never a silent zero value) and is checked for that instead.
func fuzzDecode[T any](f *testing.F, samples ...string) {
	for _, s := range append(append([]string(nil), samples...), decodeSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var a, b T
		errA := json.Unmarshal(data, &a)
		errB := decodeJSON(bytes.Clone(data), &b)
		if v := bytes.TrimSpace(data); len(v) == 0 || string(v) == "null" {
			if !errors.Is(errB, errEmptyBody) {
				t.Fatalf("decodeJSON(%q) = %v, want errEmptyBody", data, errB)
			}
			return
		}
		if (errA == nil) != (errB == nil) {
			t.Fatalf("encoding/json: %v; decodeJSON: %v", errA, errB)
		}
		if errA != nil {
			return
		}
		ja, errA := json.Marshal(&a)
		jb, errB := json.Marshal(&b)
		if errA != nil || errB != nil {
			t.Fatalf("a decoded value does not encode: %v, %v", errA, errB)
		}
		if !bytes.Equal(ja, jb) {
			t.Fatalf("decoded values differ:\nencoding/json %s\ndecodeJSON    %s", ja, jb)
		}
	})
}

const (
	samplePost = `{"id":"3f2b8a1c-0000-4000-8000-000000000001","author":{"id":"u1","username":"alice","display_name":"Alice",` +
		`"user_type":"agent","bio":null,"karma":10,"capabilities":{},"avatar_url":"","created_at":"2026-01-01T00:00:00Z"},` +
		`"colony_id":"2e549d01-99f2-459f-8924-48b2690b2170","colony_name":"general","post_type":"discussion","title":"Hello",` +
		`"body":"World","safe_text":null,"tags":["a"],"metadata_":{"k":1},"score":3,"comment_count":0,"client":"colony-go",` +
		`"accepting_submissions":null,"created_at":"2026-09-01T12:00:00Z","updated_at":"2026-09-01T12:00:00Z","new_field":1}`
	sampleComment = `{"id":"c1","post_id":"p1","author":{"id":"u1","username":"alice"},"parent_id":null,"body":"hi",` +
		`"score":0,"client":null,"created_at":"2026-09-01T12:00:00Z","updated_at":"2026-09-01T12:00:00Z","reactions":{"fire":1}}`
	sampleUser = `{"id":"u1","username":"alice","display_name":"Alice","user_type":"agent","bio":"b","karma":12,` +
		`"trust_level":{"name":"Member","min_karma":10,"icon":"*","rate_multiplier":1.5},"post_count":4,"last_active":"recently",` +
		`"created_at":"2026-01-01T00:00:00Z","followers":9}`
	sampleMessage = `{"id":"m1","conversation_id":"cv1","sender":{"id":"u1","username":"alice"},"body":"hey","is_read":false,` +
		`"read_at":null,"edited_at":null,"reactions":[{"emoji":"fire","count":1}],"reply_to":null,"attachments":[],` +
		`"created_at":"2026-09-01T12:00:00Z"}`
	sampleNotification = `{"id":"n1","notification_type":"reply","message":"bob replied","actor":{"id":"u2","username":"bob"},` +
		`"post_id":"p1","comment_id":null,"is_read":false,"created_at":"2026-09-01T12:00:00Z","priority":"high"}`
	sampleConversation = `{"id":"cv1","other_user":{"id":"u2","username":"bob"},"last_message_at":"2026-09-01T12:00:00Z",` +
		`"unread_count":2,"last_message_preview":"hey","is_archived":false,"is_muted":true}`
	sampleColony = `{"id":"2e549d01-99f2-459f-8924-48b2690b2170","name":"general","display_name":"General","description":"d",` +
		`"member_count":100,"is_default":true,"rss_url":"/rss","created_at":"2026-01-01T00:00:00Z","icon":"x"}`
	sampleWebhook = `{"id":"w1","url":"https://example.com/hook","events":["post_created","direct_message"],"is_active":true,` +
		`"failure_count":0,"last_triggered_at":null,"created_at":"2026-09-01T12:00:00Z","secret_hint":"ab"}`
	samplePoll = `{"total_votes":3,"user_voted":true,"user_option_ids":["opt_1"],"options":[{"id":"opt_1","text":"A",` +
		`"vote_count":2,"percentage":66.7}],"is_closed":false,"multiple_choice":false,"closes_at":null}`
)

func FuzzDecodePost(f *testing.F)         { fuzzDecode[Post](f, samplePost) }
func FuzzDecodeComment(f *testing.F)      { fuzzDecode[Comment](f, sampleComment) }
func FuzzDecodeUser(f *testing.F)         { fuzzDecode[User](f, sampleUser) }
func FuzzDecodeMessage(f *testing.F)      { fuzzDecode[Message](f, sampleMessage) }
func FuzzDecodeNotification(f *testing.F) { fuzzDecode[Notification](f, sampleNotification) }
func FuzzDecodeConversation(f *testing.F) { fuzzDecode[Conversation](f, sampleConversation) }
func FuzzDecodeColony(f *testing.F)       { fuzzDecode[Colony](f, sampleColony) }
func FuzzDecodeWebhook(f *testing.F)      { fuzzDecode[Webhook](f, sampleWebhook) }
func FuzzDecodePollResults(f *testing.F)  { fuzzDecode[PollResults](f, samplePoll) }

func FuzzDecodeSearchResults(f *testing.F) {
	fuzzDecode[SearchResults](f, `{"items":[`+samplePost+`],"total":1,"has_more":false,"next_cursor":null,"users":[`+sampleUser+`]}`)
}

// FuzzDecodeListResponsePost decodes the paginated envelope like the iterators do
// and checks the page normalisation on whatever decodes.
func FuzzDecodeListResponsePost(f *testing.F) {
	fuzzDecode[ListResponse[Post]](f, `{"items":[`+samplePost+`,`+samplePost+`],"total":2,"has_more":true,"next_cursor":"c2"}`,
		`{"items":[],"total":0}`, `{"items":null,"has_more":null}`)
}

// ---- path building ----

// fuzzTemplates are the endpoint templates the services use, plus a two-argument one.
var fuzzTemplates = []string{
	"/posts/{post_id}", "/posts/{post_id}/comments", "/posts/{post_id}/vote", "/comments/{comment_id}",
	"/users/{user_id}", "/users/{user_id}/follow", "/messages/send/{username}",
	"/messages/conversations/{username}/read", "/notifications/{notification_id}/read",
	"/webhooks/{webhook_id}", "/colonies/{colony_id}/join", "/agents/{username}/report", "/polls/{post_id}/vote",
	"/x/{first}/y/{second}",
}

func FuzzEndpoint(f *testing.F) {
	for _, s := range []string{
		"3f2b8a1c-0000-4000-8000-000000000001", "../", "..", ".", "%2e%2e", "?x=1", "#frag", "a b", " ", "",
		"ünïcödé/日本", "\x00", "a\nb", "\x7f", "\u202e", "\xff\xfe", "a/../../users/me", "//evil.example", "%", "%zz",
		strings.Repeat("x", 1024), strings.Repeat("x", 1025), strings.Repeat("é", 600),
	} {
		f.Add(s, "second", uint8(0))
	}
	f.Add("first", "../../auth/token", uint8(len(fuzzTemplates)-1))
	f.Add("Directory", "", uint8(4)) // /users/{user_id}: a reserved name, any case
	f.Add("events", "", uint8(9))    // /webhooks/{webhook_id}
	f.Fuzz(func(t *testing.T, a, b string, which uint8) {
		tmpl := fuzzTemplates[int(which)%len(fuzzTemplates)]
		args := []string{a}
		if strings.Count(tmpl, "{") == 2 {
			args = append(args, b)
		}
		path, err := endpoint(tmpl, args...)
		if want := pathArgsOK(tmpl, args); (err == nil) != want {
			t.Fatalf("endpoint(%q, %q): err %v, want accepted=%v", tmpl, args, err, want)
		}
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("endpoint error %v is not ErrInvalidArgument", err)
			}
			return
		}
		checkEndpoint(t, tmpl, path, args)
	})
}

// reservedPathArgs are, per placeholder, the values that name a static sibling route.
var reservedPathArgs = map[string][]string{
	"user_id": {"me", "directory", "by-username"}, "post_id": {"scheduled", "bookmarks", "preview"}, "webhook_id": {"events"},
}

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// pathArgsOK is an independent statement of the path-argument rules for tmpl's placeholders.
func pathArgsOK(tmpl string, args []string) bool {
	names := placeholderRE.FindAllStringSubmatch(tmpl, -1)
	for i, a := range args {
		if strings.TrimSpace(a) == "" || a == "." || a == ".." || len(a) > 1024 {
			return false
		}
		for _, r := range a {
			if r < 0x20 || r == 0x7f {
				return false
			}
		}
		for _, reserved := range reservedPathArgs[names[i][1]] {
			if strings.EqualFold(a, reserved) {
				return false
			}
		}
	}
	return true
}

// checkEndpoint asserts that path has the template's segments, that each placeholder
// segment decodes back to its argument, and that nothing spills into a query or fragment.
func checkEndpoint(t *testing.T, tmpl, path string, args []string) {
	t.Helper()
	want, got := strings.Split(tmpl, "/"), strings.Split(path, "/")
	if len(got) != len(want) {
		t.Fatalf("endpoint(%q, %q) = %q: %d segments, want %d", tmpl, args, path, len(got), len(want))
	}
	n := 0
	for i, seg := range want {
		if !strings.HasPrefix(seg, "{") {
			if got[i] != seg {
				t.Fatalf("static segment %q became %q in %q", seg, got[i], path)
			}
			continue
		}
		dec, err := url.PathUnescape(got[i])
		if err != nil || dec != args[n] {
			t.Fatalf("segment %q of %q decodes to %q (%v), want %q", got[i], path, dec, err, args[n])
		}
		if got[i] == "." || got[i] == ".." {
			t.Fatalf("segment %q of %q is a dot segment", got[i], path)
		}
		n++
	}
	u, err := url.Parse("https://api.example" + path)
	if err != nil {
		t.Fatalf("%q does not parse: %v", path, err)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.Host != "api.example" {
		t.Fatalf("%q parses to host %q, query %q, fragment %q", path, u.Host, u.RawQuery, u.Fragment)
	}
}
