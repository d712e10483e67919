package colonytest

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConformance drives every route of the server to a success response; the test client validates each JSON
// body against the route's schema in testdata/openapi_schemas.json (a copy of shared/contract's snapshot).
// It then checks that every route was covered and that README.md names each route without a live schema.
func TestConformance(t *testing.T) {
	e := newEnv(t)
	rc := newReceiver(t)
	carol := e.srv.NewAgent("carol", WithUserType("human"))
	pid := e.createPost(e.alice, "Conformance @bob", map[string]any{"metadata": map[string]any{"k": "v"}, "tags": []string{"go"}})["id"].(string)
	hookID := e.hook(e.bob, rc.URL, "post_created")
	pollID, opts := e.srv.SeedPoll("alice", "poll", []string{"a", "b"}, false)
	var cid, notifID string

	steps := []struct {
		who          *api
		method, path string
		body         any
		status       int
		after        func(r *resp)
	}{
		{e.anon, "POST", "/auth/token", map[string]any{"api_key": e.aliceA.APIKey}, 200, nil},
		{e.anon, "POST", "/auth/register", map[string]any{"username": "conf", "display_name": "C", "bio": ""}, 201, nil},
		{e.anon.as(carol.APIKey), "POST", "/auth/rotate-key", nil, 200, nil},
		{e.bob, "GET", "/posts?sort=hot&limit=5", nil, 200, nil},
		{e.bob, "POST", "/posts", map[string]any{"title": "t", "body": "b", "colony_id": generalID, "client": "x"}, 201, nil},
		{e.bob, "GET", "/posts/" + pid, nil, 200, nil},
		{e.alice, "PUT", "/posts/" + pid, map[string]any{"body": "edited"}, 200, nil},
		{e.bob, "GET", "/posts/" + pid + "/context", nil, 200, nil},
		{e.bob, "POST", "/posts/" + pid + "/comments", map[string]any{"body": "hi"}, 201, func(r *resp) { cid = r.obj()["id"].(string) }},
		{e.bob, "GET", "/posts/" + pid + "/conversation", nil, 200, nil},
		{e.bob, "GET", "/posts/" + pid + "/comments?page=1", nil, 200, nil},
		{e.bob, "POST", "/posts/" + pid + "/vote", map[string]any{"value": 1}, 200, nil},
		{e.bob, "GET", "/comments/{cid}", nil, 200, nil},
		{e.bob, "PUT", "/comments/{cid}", map[string]any{"body": "edited"}, 200, nil},
		{e.alice, "POST", "/comments/{cid}/vote", map[string]any{"value": -1}, 200, nil},
		{e.alice, "POST", "/reactions/toggle", map[string]any{"emoji": "rocket", "post_id": pid}, 200, nil},
		{e.bob, "GET", "/polls/" + pollID + "/results", nil, 200, nil},
		{e.bob, "POST", "/polls/" + pollID + "/vote", map[string]any{"option_ids": opts[:1]}, 200, nil},
		{e.alice, "POST", "/messages/send/bob", map[string]any{"body": "dm"}, 200, nil},
		{e.bob, "GET", "/messages/conversations", nil, 200, nil},
		{e.bob, "GET", "/messages/conversations/alice", nil, 200, nil},
		{e.bob, "GET", "/messages/unread-count", nil, 200, nil},
		{e.bob, "POST", "/messages/conversations/alice/read", nil, 200, nil},
		{e.bob, "POST", "/messages/conversations/alice/archive", nil, 200, nil},
		{e.bob, "POST", "/messages/conversations/alice/unarchive", nil, 200, nil},
		{e.bob, "POST", "/messages/conversations/alice/mute", nil, 200, nil},
		{e.bob, "POST", "/messages/conversations/alice/unmute", nil, 200, nil},
		{e.bob, "GET", "/search?q=conformance", nil, 200, nil},
		{e.bob, "GET", "/users/directory?user_type=all&sort=karma&limit=20", nil, 200, nil},
		{e.bob, "GET", "/users/me", nil, 200, nil},
		{e.bob, "PUT", "/users/me", map[string]any{"bio": "b", "capabilities": map[string]any{}}, 200, nil},
		{e.bob, "GET", "/users/" + e.aliceA.ID, nil, 200, nil},
		{e.bob, "POST", "/users/" + e.aliceA.ID + "/follow", nil, 200, nil},
		{e.bob, "DELETE", "/users/" + e.aliceA.ID + "/follow", nil, 200, nil},
		{e.alice, "GET", "/notifications?limit=50", nil, 200, func(r *resp) { notifID = r.list()[0].(map[string]any)["id"].(string) }},
		{e.alice, "GET", "/notifications/count", nil, 200, nil},
		{e.alice, "POST", "/notifications/{nid}/read", nil, 204, nil},
		{e.alice, "POST", "/notifications/read-all", nil, 204, nil},
		{e.bob, "GET", "/colonies?limit=50", nil, 200, nil},
		{e.bob, "POST", "/colonies/" + generalID + "/join", nil, 200, nil},
		{e.bob, "POST", "/colonies/" + generalID + "/leave", nil, 200, nil},
		{e.bob, "GET", "/webhooks", nil, 200, nil},
		{e.bob, "POST", "/webhooks", map[string]any{"url": rc.URL, "events": []string{"mention"}, "secret": secret}, 201, nil},
		{e.bob, "GET", "/webhooks/" + hookID, nil, 200, nil},
		{e.bob, "PUT", "/webhooks/" + hookID, map[string]any{"is_active": true}, 200, nil},
		{e.bob, "POST", "/webhooks/" + hookID + "/test", nil, 200, nil},
		{e.bob, "GET", "/webhooks/" + hookID + "/deliveries", nil, 200, nil},
		{e.bob, "DELETE", "/webhooks/" + hookID, nil, 204, nil},
		{e.bob, "GET", "/trending/posts/rising", nil, 200, nil},
		{e.bob, "GET", "/trending/tags", nil, 200, nil},
		{e.bob, "GET", "/agents/alice/report", nil, 200, nil},
		{e.bob, "DELETE", "/comments/{cid}", nil, 204, nil},
		{e.alice, "DELETE", "/posts/" + pid, nil, 204, nil},
	}
	steps = append(steps, groupConformanceSteps(e)...)
	covered := map[string]bool{}
	for _, st := range steps {
		path := strings.NewReplacer("{cid}", cid, "{nid}", notifID).Replace(st.path)
		r := st.who.call(st.method, path, st.body).must(st.status)
		if st.after != nil {
			st.after(r)
		}
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(st.method, segs)
		require.NotNil(t, rt, path)
		covered[rt.method+" "+rt.pattern] = true
	}
	for _, area := range areaConformance {
		for _, key := range area(t, e) {
			covered[key] = true
		}
	}
	waitDeliveries(t, e.srv)

	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var noSchema []string
	for _, rt := range e.srv.coreRoutes() { // the newer groups' routes have their own conformance tests
		key := rt.method + " " + rt.pattern
		if selfChecked[key] {
			continue // a resource group's own conformance test covers and documents it
		}
		assert.True(t, covered[key], "route not exercised: %s", key)
		if name, _ := liveSchema(t, e.srv, rt.method, basePath+rt.pattern); name == "" || schemaFor(t, name) == nil {
			noSchema = append(noSchema, key)
			assert.Contains(t, string(readme), "`"+key+"`", "README must list routes without a live schema")
		}
	}
	sort.Strings(noSchema)
	t.Logf("routes without a live schema: %s", strings.Join(noSchema, ", "))
}

// selfChecked holds the routes whose resource group runs its own conformance test (filled by init functions).
var selfChecked = map[string]bool{}

// areaConformance holds, per resource group, a function that drives the group's routes to success on the
// conformance server and returns the "METHOD pattern" keys it covered (registered from each group's test file).
var areaConformance []func(t *testing.T, e *env) []string

// TestSchemaValidationIsNotVacuous checks the validator rejects what the live schemas forbid.
func TestSchemaValidationIsNotVacuous(t *testing.T) {
	e := newEnv(t)
	u := e.alice.call("GET", "/users/me", nil).must(200).obj()
	delete(u, "avatar_url")
	assert.Error(t, validate(t, "UserOut", u))
	u["avatar_url"], u["created_at"] = "x", "yesterday"
	assert.Error(t, validate(t, "UserOut", u), "date-time format is asserted")
	pr := map[string]any{"total_votes": 0, "user_voted": false, "user_option_ids": []any{}, "options": []any{},
		"is_closed": false, "multiple_choice": false, "show_results_before_voting": true, "post_id": "x"}
	assert.Error(t, validate(t, "PollResults", pr), "PollResults forbids extra keys")
	delete(pr, "post_id")
	assert.NoError(t, validate(t, "PollResults", pr))
}

func validate(t *testing.T, name string, v any) error {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	return schemaFor(t, name).Validate(inst)
}
