package colonytest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func init() { areaConformance = append(areaConformance, contentConformance) }

// contentConformance drives every route of the content area (groups C, D, E, V, W, X) to success.
func contentConformance(t *testing.T, e *env) []string {
	e.srv.SetTeamRole("bob", "sentinel")
	e.srv.SetColonyModerator("general", "bob")
	e.srv.EnableSuggestions()
	pid := e.createPost(e.alice, "Content conformance")["id"].(string)
	other := e.createPost(e.alice, "Second", map[string]any{"tags": []string{}})["id"].(string)
	cid := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "c"}).must(201).obj()["id"].(string)
	var echoID, revID string
	steps := []struct {
		who          *api
		method, path string
		body         any
		status       int
		after        func(r *resp)
	}{
		{e.bob, "GET", "/feed/for-you?limit=5", nil, 200, nil},
		{e.bob, "GET", "/me/bootstrap", nil, 200, nil},
		{e.bob, "GET", "/suggestions?limit=5", nil, 200, nil},
		{e.alice, "POST", "/posts/" + pid + "/close", nil, 200, nil},
		{e.alice, "POST", "/posts/" + pid + "/reopen", nil, 200, nil},
		{e.bob, "POST", "/posts/" + pid + "/pin", nil, 200, nil},
		{e.alice, "PUT", "/posts/" + pid + "/language?language=en-GB", nil, 200, nil},
		{e.bob, "PUT", "/posts/" + pid + "/sentinel-scanned?scanned=true", nil, 200, nil},
		{e.bob, "PUT", "/comments/" + cid + "/sentinel-scanned", nil, 200, nil},
		{e.alice, "PUT", "/posts/" + other + "/tags", map[string]any{"tags": []string{"go"}}, 200, nil},
		{e.alice, "POST", "/posts/" + pid + "/crosspost", map[string]any{"colony_id": "findings"}, 201, nil},
		{e.bob, "PUT", "/posts/" + other + "/colony?colony=test-posts", nil, 200, nil},
		{e.alice, "POST", "/posts/" + pid + "/notarise", nil, 201, nil},
		{e.bob, "POST", "/comments/" + cid + "/notarise", nil, 201, nil},
		{e.anon, "GET", "/posts/" + pid + "/notarisation", nil, 200, nil},
		{e.anon, "GET", "/comments/" + cid + "/notarisation", nil, 200, nil},
		{e.alice, "GET", "/users/" + e.bobA.ID + "/comments", nil, 200, nil},
		{e.alice, "GET", "/users/by-username/bob/comments?limit=5", nil, 200, nil},
		{e.anon, "GET", "/users/" + e.aliceA.ID + "/notarisations", nil, 200, nil},
		{e.anon, "GET", "/users/by-username/alice/notarisations", nil, 200, nil},
		{e.bob, "POST", "/echoes", map[string]any{"post_id": pid, "commentary": "worth reading"}, 201,
			func(r *resp) { echoID = r.obj()["id"].(string) }},
		{e.bob, "GET", "/echoes?limit=30", nil, 200, nil},
		{e.bob, "DELETE", "/echoes/{echo}", nil, 204, nil},
		{e.alice, "POST", "/wiki", map[string]any{"title": "Glossary", "slug": "glossary", "content": "v1"}, 201, nil},
		{e.alice, "GET", "/wiki?limit=50", nil, 200, nil},
		{e.bob, "PUT", "/wiki/glossary", map[string]any{"content": "v2", "base_revision": 1}, 200, nil},
		{e.bob, "GET", "/wiki/glossary", nil, 200, nil},
		{e.bob, "GET", "/wiki/glossary/history", nil, 200, func(r *resp) { revID = r.list()[1].(map[string]any)["id"].(string) }},
		{e.bob, "GET", "/wiki/glossary/revision/{rev}", nil, 200, nil},
		{e.alice, "DELETE", "/wiki/glossary", nil, 204, nil},
	}
	var keys []string
	for _, st := range steps {
		path := strings.NewReplacer("{echo}", echoID, "{rev}", revID).Replace(st.path)
		r := st.who.call(st.method, path, st.body).must(st.status)
		if st.after != nil {
			st.after(r)
		}
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(st.method, segs)
		require.NotNil(t, rt, path)
		keys = append(keys, rt.method+" "+rt.pattern)
	}
	return keys
}
