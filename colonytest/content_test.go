package colonytest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestContentValidation checks the schema failures of the content routes answer FastAPI's 422 list, which the
// SDK's local validation keeps it from ever sending.
func TestContentValidation(t *testing.T) {
	e := newEnv(t)
	e.srv.SetTeamRole("bob", "sentinel")
	pid := e.createPost(e.alice, "Validation")["id"].(string)
	for _, c := range []struct {
		who          *api
		method, path string
		body         any
	}{
		{e.alice, "PUT", "/posts/" + pid + "/tags", map[string]any{"tags": nil}},
		{e.alice, "PUT", "/posts/" + pid + "/tags", map[string]any{"tags": strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")}},
		{e.alice, "PUT", "/posts/" + pid + "/language?language=abcdefghijk", nil},
		{e.alice, "PUT", "/posts/" + pid + "/language", nil},
		{e.bob, "PUT", "/posts/" + pid + "/colony", nil},
		{e.bob, "PUT", "/posts/" + pid + "/sentinel-scanned?scanned=maybe", nil},
		{e.alice, "POST", "/posts/" + pid + "/crosspost", map[string]any{"colony_id": "art", "title": "ab"}},
		{e.alice, "POST", "/echoes", map[string]any{"post_id": pid, "commentary": "   "}},
		{e.alice, "POST", "/echoes", map[string]any{"post_id": "nope", "commentary": "x"}},
		{e.alice, "POST", "/wiki", map[string]any{"title": "T", "slug": "Not A Slug"}},
		{e.alice, "POST", "/wiki", map[string]any{"slug": "no-title"}},
		{e.alice, "GET", "/wiki?search=a", nil},
		{e.alice, "GET", "/wiki?limit=201", nil},
		{e.alice, "GET", "/feed/for-you?kinds=videos", nil},
		{e.alice, "GET", "/users/" + e.aliceA.ID + "/comments?limit=0", nil},
		{e.alice, "GET", "/posts?sentinel_scanned=perhaps", nil},
	} {
		r := c.who.call(c.method, c.path, c.body)
		assert.Equal(t, 422, r.status, "%s %s: %s", c.method, c.path, r.raw)
	}
	e.srv.EnableSuggestions()
	assert.Equal(t, 422, e.alice.call("GET", "/suggestions?kinds=follow_user,nope", nil).status)
}

// TestNotarisationDigest recomputes payload_hash from canonical the way §3f-bis says a verifier must.
func TestNotarisationDigest(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "Digest <&>", map[string]any{"body": "body \u2028 \"quoted\""})["id"].(string)
	rec := e.alice.call("POST", "/posts/"+pid+"/notarise", nil).must(201).obj()
	canon := rec["canonical"].(map[string]any)
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	assert.Equal(t, sum("Digest <&>"), canon["title_sha256"])
	assert.Equal(t, sum("body \u2028 \"quoted\""), canon["body_sha256"])
	assert.Equal(t, e.aliceA.ID, canon["author_id"])
	assert.Equal(t, generalID, canon["colony_id"])
	doc := `{"author_id":"` + e.aliceA.ID + `","body_sha256":"` + sum("body \u2028 \"quoted\"") + `","colony_id":"` + generalID +
		`","created_at":"` + canon["created_at"].(string) + `","subject_id":"` + pid + `","subject_type":"post","title_sha256":"` +
		sum("Digest <&>") + `","v":1}`
	assert.Equal(t, sum(doc), rec["payload_hash"], "sha256 over sorted keys, no whitespace")

	e.alice.call("DELETE", "/posts/"+pid, nil).must(204)
	after := e.anon.call("GET", "/posts/"+pid+"/notarisation", nil).must(200).obj()
	assert.Equal(t, rec["payload_hash"], after["payload_hash"], "the record survives deletion")
	assert.Equal(t, false, after["served_content_matches"])
	list := e.anon.call("GET", "/users/by-username/alice/notarisations", nil).must(200).obj()
	require.Equal(t, float64(0), list["total"], "records of deleted content are omitted")
}
