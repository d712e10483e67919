package colonytest

import (
	"bufio"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestURLAndUnknownRoutes(t *testing.T) {
	e := newEnv(t)
	assert.True(t, strings.HasPrefix(e.srv.URL(), "http://127.0.0.1:"))
	assert.True(t, strings.HasSuffix(e.srv.URL(), "/api/v1"))
	r := e.alice.call("GET", "/nope", nil).must(404)
	assert.Equal(t, "Not Found", r.obj()["detail"])
	r = e.alice.call("PATCH", "/posts", nil).must(405)
	assert.Equal(t, "Method Not Allowed", r.obj()["detail"])
	e.alice.call("GET", "/posts/", nil).must(404)
	// Go-style react paths do not exist on the live server.
	e.alice.call("POST", "/posts/"+newUUID()+"/react", map[string]any{"emoji": "fire"}).must(404)
}

func TestTokenExchangeAndAuth(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	r := e.anon.call("POST", "/auth/token", map[string]any{"api_key": e.aliceA.APIKey}).must(200)
	tok := r.obj()["access_token"].(string)
	assert.Equal(t, "bearer", r.obj()["token_type"])
	assert.Equal(t, 3, len(strings.Split(tok, ".")), "JWT-shaped")
	assert.NotContains(t, tok, e.aliceA.APIKey)

	// Missing, malformed and unknown tokens.
	r = e.anon.call("GET", "/users/me", nil).must(401)
	assert.Equal(t, "Not authenticated", r.obj()["detail"])
	bad := *e.anon
	bad.tok = "nope"
	assert.Equal(t, codeInvalidToken, bad.call("GET", "/users/me", nil).must(401).code())
	// Header names are matched case-insensitively, and the scheme too.
	e.anon.call("GET", "/users/me", nil, "authorization", "bearer "+tok).must(200)

	// Bad key.
	r = e.anon.call("POST", "/auth/token", map[string]any{"api_key": "col_wrong"}).must(401)
	assert.Equal(t, "Invalid API key", r.obj()["detail"])
	e.anon.call("POST", "/auth/token", map[string]any{}).must(422)

	// Expiry after 24 h on the server clock.
	e.srv.Advance(23*time.Hour + 59*time.Minute)
	e.alice.call("GET", "/users/me", nil).must(200)
	e.srv.Advance(time.Minute)
	assert.Equal(t, codeInvalidToken, e.alice.call("GET", "/users/me", nil).must(401).code())
}

func TestRotateKeyRevokesKeyAndTokens(t *testing.T) {
	e := newEnv(t)
	r := e.alice.call("POST", "/auth/rotate-key", nil).must(200)
	newKey := r.obj()["api_key"].(string)
	assert.True(t, strings.HasPrefix(newKey, "col_"))
	assert.NotEmpty(t, r.obj()["message"])
	assert.Equal(t, newKey, e.srv.APIKey("alice"))
	assert.Equal(t, codeInvalidToken, e.alice.call("GET", "/users/me", nil).must(401).code())
	e.anon.call("POST", "/auth/token", map[string]any{"api_key": e.aliceA.APIKey}).must(401)
	fresh := e.anon.as(newKey)
	assert.Equal(t, "alice", fresh.call("GET", "/users/me", nil).must(200).obj()["username"])
}

func TestRegister(t *testing.T) {
	e := newEnv(t)
	r := e.anon.call("POST", "/auth/register", map[string]any{"username": "newbie", "display_name": "New",
		"bio": "hi", "capabilities": map[string]any{"skills": []string{"go"}}}).must(201)
	key := r.obj()["api_key"].(string)
	assert.True(t, strings.HasPrefix(key, "col_"))
	me := e.anon.as(key).call("GET", "/users/me", nil).must(200).obj()
	assert.Equal(t, r.obj()["agent_id"], me["id"])
	assert.Equal(t, "New", me["display_name"])
	assert.EqualValues(t, 0, me["karma"])

	r = e.anon.call("POST", "/auth/register", map[string]any{"username": "NEWBIE", "display_name": "x", "bio": ""})
	assert.Equal(t, codeConflict, r.must(409).code())
	r = e.anon.call("POST", "/auth/register", map[string]any{"username": "a b", "display_name": "x", "bio": ""})
	assert.Equal(t, codeInvalidUsername, r.must(422).code())
	r = e.anon.call("POST", "/auth/register", map[string]any{"username": "valid-name"}).must(422)
	assert.Contains(t, string(r.raw), `"display_name"`)
}

func TestTokenRateLimitPerAddress(t *testing.T) {
	srv := NewServer(t, WithClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), WithRateLimit(RateLimitToken, 3, time.Hour))
	a := newAPI(t, srv)
	ag := srv.NewAgent("x")
	var last *resp
	for i := 0; i < 3; i++ {
		last = a.call("POST", "/auth/token", map[string]any{"api_key": ag.APIKey}).must(200)
	}
	assert.Equal(t, "3", last.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "0", last.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, strconv.FormatInt(srv.Now().Add(time.Hour).Unix(), 10), last.header.Get("X-RateLimit-Reset"))
	r := a.call("POST", "/auth/token", map[string]any{"api_key": ag.APIKey}).must(429)
	assert.Equal(t, codeRateLimited, r.code())
	assert.Equal(t, "3600", r.header.Get("Retry-After"))
	srv.Advance(time.Hour)
	a.call("POST", "/auth/token", map[string]any{"api_key": ag.APIKey}).must(200)
}

func TestRequestsAreRecorded(t *testing.T) {
	e := newEnv(t)
	e.srv.ResetRequests()
	e.alice.call("GET", "/posts?sort=new&limit=5&search=a+b", nil, "X-Custom", "1").must(200)
	e.alice.call("GET", "/messages/conversations/"+"we%2Fird", nil).must(404)
	e.alice.call("POST", "/posts", `{"title":"t"}`).must(422)
	reqs := e.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/api/v1/posts", reqs[0].Path)
	assert.Equal(t, "a b", reqs[0].Query.Get("search"))
	assert.Equal(t, "sort=new&limit=5&search=a+b", reqs[0].RawQuery)
	assert.Equal(t, "1", reqs[0].Header.Get("X-Custom"))
	assert.Equal(t, "/api/v1/messages/conversations/we/ird", reqs[1].Path)
	assert.Equal(t, "/api/v1/messages/conversations/we%2Fird", reqs[1].RawPath)
	assert.Equal(t, `{"title":"t"}`, string(reqs[2].Body))
	e.srv.ResetRequests()
	assert.Empty(t, e.srv.Requests())
}

// rawExchange sends a raw HTTP/1.1 request and returns the raw response head, to see header casing on the wire.
func rawExchange(t *testing.T, srv *Server, req string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(srv.URL(), basePath), "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte(req))
	require.NoError(t, err)
	var head strings.Builder
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			return head.String()
		}
		head.WriteString(line)
	}
}

func TestRateLimitHeaderCasingOnTheWire(t *testing.T) {
	srv := NewServer(t)
	ag := srv.NewAgent("x")
	body := `{"api_key":"` + ag.APIKey + `"}`
	head := rawExchange(t, srv, "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Connection: close\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
	assert.Contains(t, head, "\r\nX-RateLimit-Limit: 30\r\n")
	assert.Contains(t, head, "\r\nX-RateLimit-Remaining: 29\r\n")
	assert.Contains(t, head, "\r\nX-RateLimit-Reset: ")
}
