package colonytest

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	arrayRoutes["GET /claims"] = true
	arrayRoutes["GET /system/notifications"] = true
	for route, part := range map[string][2]string{
		"GET /vault/files":     {"items", "VaultFileInfo"},
		"GET /vault/search":    {"items", "VaultSearchResult"},
		"GET /me/capabilities": {"capabilities", "Capability"},
	} {
		partSchemas[route] = []struct {
			key, schema string
			array       bool
		}{{part[0], part[1], true}}
	}
}

// TestInboxConformance drives every route of reports, claims, notifications and the vault to a success response,
// each body checked against its live schema, and checks README.md lists the routes without one.
func TestInboxConformance(t *testing.T) {
	e := newEnv(t)
	carol := e.srv.NewAgent("carol", WithUserType("human"))
	carolAPI := e.anon.as(carol.APIKey)
	pid := e.createPost(e.alice, "Report me @bob")["id"].(string)
	cm := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "a comment"}).must(201).obj()
	claimA := e.srv.SeedClaim("carol", "bob")
	e.srv.SeedClaim("carol", "alice")
	e.srv.SeedSystemNotification("info", "Hello", "World")
	nids := func(a *api) []string {
		var out []string
		for _, n := range a.call("GET", "/notifications?limit=50", nil).must(200).list() {
			out = append(out, n.(map[string]any)["id"].(string))
		}
		return out
	}
	aliceN := nids(e.alice)
	require.NotEmpty(t, aliceN)

	steps := []struct {
		who          *api
		method, path string
		body         any
		status       int
	}{
		{e.bob, "POST", "/reports", map[string]any{"target_type": "post", "target_id": pid, "reason": "spam", "description": "d"}, 201},
		{e.alice, "POST", "/reports", map[string]any{"target_type": "comment", "target_id": cm["id"], "reason": "other"}, 201},
		{e.bob, "GET", "/claims", nil, 200},
		{carolAPI, "GET", "/claims/" + claimA, nil, 200},
		{e.bob, "POST", "/claims/" + claimA + "/confirm", nil, 200},
		{e.alice, "POST", "/claims/" + claimsOf(e.srv, "alice")[0] + "/reject", nil, 200},
		{e.alice, "POST", "/notifications/read", map[string]any{"ids": aliceN[:1]}, 200},
		{e.alice, "POST", "/notifications/delete-read", nil, 200},
		{e.alice, "POST", "/notifications/delete", map[string]any{"ids": aliceN}, 200},
		{e.bob, "DELETE", "/notifications/" + nids(e.bob)[0], nil, 204},
		{e.anon, "GET", "/system/notifications", nil, 200},
		{e.alice, "GET", "/me/capabilities", nil, 200},
		{e.alice, "PUT", "/vault/files/notes/a.md", map[string]any{"content": "alpha beta"}, 200},
		{e.alice, "POST", "/vault/files/notes/a.md/append", map[string]any{"content": " gamma"}, 200},
		{e.alice, "GET", "/vault/files/notes/a.md", nil, 200},
		{e.alice, "GET", "/vault/files", nil, 200},
		{e.alice, "GET", "/vault/status", nil, 200},
		{e.alice, "GET", "/vault/search?q=gamma", nil, 200},
		{e.alice, "DELETE", "/vault/files/notes/a.md", nil, 204},
	}
	covered := map[string]bool{}
	for _, st := range steps {
		st.who.call(st.method, st.path, st.body).must(st.status)
		segs, ok := splitPath(basePath + strings.SplitN(st.path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(st.method, segs)
		require.NotNil(t, rt, st.path)
		covered[rt.method+" "+rt.pattern] = true
	}
	doc, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, rt := range e.srv.inboxRoutes() {
		key := rt.method + " " + rt.pattern
		assert.True(t, covered[key], "route not exercised: %s", key)
		if name, _ := liveSchema(t, e.srv, rt.method, basePath+rt.pattern); name == "" || schemaFor(t, name) == nil {
			assert.Contains(t, string(doc), "`"+key+"`", "README.md must list routes without a live schema")
		}
	}
}

func claimsOf(s *Server, agent string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for id, cl := range s.st.inbox.claims {
		if cl.agent.username == agent && cl.status == "pending" {
			out = append(out, id)
		}
	}
	return out
}

func TestVaultPathForms(t *testing.T) {
	e := newEnv(t)
	e.alice.call("PUT", "/vault/files/a/b%20c.md", map[string]any{"content": "x"}).must(200)
	// %2F and / address the same file.
	got := e.alice.call("GET", "/vault/files/a%2Fb%20c.md", nil).must(200).obj()
	assert.Equal(t, "a/b c.md", got["filename"])
	assert.Equal(t, "x", got["content"])
	e.alice.call("GET", "/vault/files/a/b%20c.md/append", nil).must(404)
	e.alice.call("POST", "/vault/files/a/b%20c.md", map[string]any{"content": "x"}).must(405)
	e.alice.call("GET", "/vault/files/missing.md", nil).must(404)
	assert.Equal(t, "NOT_FOUND", e.bob.call("GET", "/vault/files/a/b%20c.md", nil).must(404).code(), "vaults are private")

	r := e.alice.call("PUT", "/vault/files/notes/run.exe", map[string]any{"content": "x"}).must(400)
	assert.Equal(t, "INVALID_INPUT", r.code())
	r = e.alice.call("PUT", "/vault/files/"+strings.Repeat("a", 260)+".md", map[string]any{"content": "x"}).must(400)
	assert.Equal(t, "INVALID_INPUT", r.code())
	e.alice.call("PUT", "/vault/files/x.md", map[string]any{}).must(422)
	e.alice.call("PUT", "/vault/files/x.md", map[string]any{"content": 5}).must(422)
	e.alice.call("PUT", "/vault/files/x.md", nil).must(422)
}

func TestVaultSearchSnippets(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("filler ", 30) + "the Needle is here"
	e.alice.call("PUT", "/vault/files/hay.txt", map[string]any{"content": long}).must(200)
	e.alice.call("PUT", "/vault/files/needle.md", map[string]any{"content": "no match inside"}).must(200)
	res := e.alice.call("GET", "/vault/search?q=needle&limit=5", nil).must(200).obj()
	assert.EqualValues(t, 2, res["total"])
	items := res["items"].([]any)
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	assert.Equal(t, "needle.md", first["filename"], "a filename match ranks higher")
	assert.Equal(t, "no match inside", first["snippet"])
	assert.Equal(t, "hay.txt", second["filename"])
	assert.True(t, strings.HasSuffix(second["snippet"].(string), "the [[hl]]Needle[[/hl]] is here"), second["snippet"])
	assert.Less(t, len(second["snippet"].(string)), len(long))

	e.alice.call("GET", "/vault/search", nil).must(422)
	e.alice.call("GET", "/vault/search?q=needle&limit=0", nil).must(422)
	e.alice.call("GET", "/vault/search?q=needle&offset=-1", nil).must(422)
	res = e.alice.call("GET", "/vault/search?q=needle&offset=1", nil).must(200).obj()
	assert.Len(t, res["items"], 1)
	assert.EqualValues(t, 2, res["total"])
}

func TestReportValidation(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "p")["id"].(string)
	for _, body := range []map[string]any{
		{"target_type": "user", "target_id": e.aliceA.ID, "reason": "spam"},
		{"target_type": "message", "target_id": pid, "reason": "spam"},
		{"target_type": "post", "target_id": pid, "reason": "this is spam"},
		{"target_type": "post", "target_id": pid},
		{"target_type": "post", "target_id": "nope", "reason": "spam"},
		{"target_type": "post", "target_id": pid, "reason": "spam", "description": strings.Repeat("x", 1001)},
	} {
		r := e.bob.call("POST", "/reports", body).must(422)
		var m struct{ Detail []verr }
		require.NoError(t, json.Unmarshal(r.raw, &m))
		assert.NotEmpty(t, m.Detail)
	}
	assert.Empty(t, e.srv.Reports())
}

func TestNotificationBatchValidation(t *testing.T) {
	e := newEnv(t)
	for _, body := range []any{nil, map[string]any{}, map[string]any{"ids": []string{}}, map[string]any{"ids": []string{"x"}},
		map[string]any{"ids": make([]string, 101)}, map[string]any{"ids": "x"}} {
		for _, path := range []string{"/notifications/read", "/notifications/delete"} {
			r := e.alice.call("POST", path, body)
			assert.Equal(t, http.StatusUnprocessableEntity, r.status, "%s %v: %s", path, body, r.raw)
		}
	}
	r := e.alice.call("POST", "/notifications/read", nil).must(422)
	assert.Contains(t, string(r.raw), `"missing"`)
	e.alice.call("DELETE", "/notifications/not-a-uuid", nil).must(422)
	e.anon.call("POST", "/notifications/delete-read", nil).must(401)
}

func TestClaimSeedingPanicsForUnknownUser(t *testing.T) {
	e := newEnv(t)
	assert.Panics(t, func() { e.srv.SeedClaim("nobody", "alice") })
	assert.Panics(t, func() { e.srv.SeedSystemNotification("urgent", "t", "b") })
}
