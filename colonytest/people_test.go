package colonytest

import (
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func init() {
	for _, rt := range (&Server{}).peopleRoutes() {
		selfChecked[rt.method+" "+rt.pattern] = true
	}
	for _, r := range []string{"GET /users/me/blocked", "GET /users/{user_id}/followers", "GET /users/{user_id}/following"} {
		arrayRoutes[r] = true // bare arrays of UserOut
	}
	partSchemas["POST /collections/{collection_id}/items"] = []struct {
		key, schema string
		array       bool
	}{{"post", "PostOut", false}}
}

// TestPeopleConformance drives every people route to a success answer (responses are checked against the live
// schemas where the snapshot has one) and checks README.md names each route without one.
func TestPeopleConformance(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "Watched", map[string]any{"tags": []string{"go"}})["id"].(string)
	var colID string
	steps := []struct {
		who          *api
		method, path string
		body         any
		status       int
	}{
		{e.alice, "POST", "/messages/send/bob", map[string]any{"body": "hi"}, 200},
		{e.alice, "GET", "/me/cold-budget", nil, 200},
		{e.alice, "GET", "/me/cold-budget/peers?limit=50", nil, 200},
		{e.bob, "PATCH", "/me/inbox", map[string]any{"inbox_mode": "quiet"}, 200},
		{e.bob, "GET", "/users/me/status", nil, 200},
		{e.bob, "PUT", "/users/me/status", map[string]any{"presence_status": "busy"}, 200},
		{e.bob, "POST", "/users/presence", map[string]any{"user_ids": []string{e.aliceA.ID}}, 200},
		{e.bob, "GET", "/users/by-username/alice", nil, 200},
		{e.bob, "POST", "/users/by-username/alice/follow", nil, 200},
		{e.bob, "GET", "/users/" + e.aliceA.ID + "/followers?limit=50&offset=0", nil, 200},
		{e.bob, "GET", "/users/" + e.bobA.ID + "/following?limit=50&offset=0", nil, 200},
		{e.bob, "DELETE", "/users/by-username/alice/follow", nil, 200},
		{e.bob, "POST", "/users/" + e.aliceA.ID + "/block", nil, 200},
		{e.bob, "GET", "/users/me/blocked", nil, 200},
		{e.bob, "DELETE", "/users/" + e.aliceA.ID + "/block", nil, 204},
		{e.bob, "POST", "/tags/Go/follow", nil, 200},
		{e.bob, "GET", "/tags/following", nil, 200},
		{e.bob, "DELETE", "/tags/go/follow", nil, 200},
		{e.bob, "POST", "/posts/" + pid + "/bookmark", nil, 200},
		{e.bob, "GET", "/posts/bookmarks/list?limit=20&offset=0", nil, 200},
		{e.bob, "DELETE", "/posts/" + pid + "/bookmark", nil, 204},
		{e.bob, "POST", "/posts/" + pid + "/watch", nil, 200},
		{e.bob, "DELETE", "/posts/" + pid + "/watch", nil, 200},
		{e.bob, "POST", "/collections", map[string]any{"title": "Reading", "is_public": true}, 201},
		{e.anon, "GET", "/collections?limit=20&offset=0", nil, 200},
		{e.bob, "PUT", "/collections/{col}", map[string]any{"description": "d"}, 200},
		{e.bob, "POST", "/collections/{col}/items", map[string]any{"post_id": pid, "note": "n"}, 201},
		{e.anon, "GET", "/collections/{col}", nil, 200},
		{e.bob, "DELETE", "/collections/{col}/items/" + pid, nil, 204},
		{e.bob, "DELETE", "/collections/{col}", nil, 204},
	}
	covered := map[string]bool{}
	for _, st := range steps {
		path := strings.ReplaceAll(st.path, "{col}", colID)
		r := st.who.call(st.method, path, st.body).must(st.status)
		if st.method == "POST" && path == "/collections" {
			colID = r.obj()["id"].(string)
		}
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(st.method, segs)
		require.NotNil(t, rt, path)
		covered[rt.method+" "+rt.pattern] = true
	}
	doc, err := os.ReadFile("README.md")
	require.NoError(t, err)
	for _, rt := range e.srv.peopleRoutes() {
		key := rt.method + " " + rt.pattern
		assert.True(t, covered[key], "route not exercised: %s", key)
		if name, _ := liveSchema(t, e.srv, rt.method, basePath+rt.pattern); name == "" || schemaFor(t, name) == nil {
			assert.Contains(t, string(doc), "`"+key+"`", "README.md must list routes without a live schema")
		}
	}
}

func TestPeopleBlocksStopDMsBothWays(t *testing.T) {
	e := newEnv(t)
	e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "before"}).must(200)
	e.bob.call("POST", "/users/by-username/alice/follow", nil).must(200)
	e.alice.call("POST", "/users/"+e.bobA.ID+"/block", nil).must(200)
	e.alice.call("POST", "/users/"+e.bobA.ID+"/block", nil).must(200) // idempotent
	assert.Equal(t, "FORBIDDEN", e.bob.call("POST", "/messages/send/alice", map[string]any{"body": "x"}).must(403).code())
	assert.Equal(t, "FORBIDDEN", e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "x"}).must(403).code())
	assert.Equal(t, "FORBIDDEN", e.bob.call("POST", "/users/"+e.aliceA.ID+"/follow", nil).must(403).code())
	assert.Empty(t, e.bob.call("GET", "/users/"+e.bobA.ID+"/following", nil).must(200).list(), "the block dropped the follow")
	blocked := e.alice.call("GET", "/users/me/blocked", nil).must(200).list()
	require.Len(t, blocked, 1)
	assert.Equal(t, "bob", blocked[0].(map[string]any)["username"])
	assert.Empty(t, e.bob.call("GET", "/users/me/blocked", nil).must(200).list())

	e.alice.call("DELETE", "/users/"+e.bobA.ID+"/block", nil).must(204)
	e.alice.call("DELETE", "/users/"+e.bobA.ID+"/block", nil).must(404)
	e.bob.call("POST", "/messages/send/alice", map[string]any{"body": "after"}).must(200)
	e.alice.call("POST", "/users/"+e.aliceA.ID+"/block", nil).must(400)
}

func TestPeopleInboxModes(t *testing.T) {
	e := newEnv(t)
	carolA := e.srv.NewAgent("carol", WithKarma(30))
	carol := e.anon.as(carolA.APIKey)

	r := e.bob.call("PATCH", "/me/inbox", map[string]any{"inbox_mode": "quiet"}).must(200).obj()
	assert.EqualValues(t, 10, r["inbox_quiet_min_karma"], "server default")
	r = e.bob.call("PATCH", "/me/inbox", map[string]any{"inbox_mode": "quiet", "inbox_quiet_min_karma": 20}).must(200).obj()
	assert.EqualValues(t, 20, r["inbox_quiet_min_karma"])
	e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "x"}).must(403) // karma 10 < 20
	carol.call("POST", "/messages/send/bob", map[string]any{"body": "x"}).must(200)

	r = e.bob.call("PATCH", "/me/inbox", map[string]any{"inbox_mode": "contacts_only", "inbox_quiet_min_karma": 5}).must(200).obj()
	assert.Nil(t, r["inbox_quiet_min_karma"], "non-quiet modes reset the threshold")
	e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "x"}).must(403)
	e.bob.call("POST", "/messages/send/alice", map[string]any{"body": "hello"}).must(200)
	e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "reply"}).must(200) // bob wrote first
	carol.call("POST", "/messages/send/bob", map[string]any{"body": "x"}).must(403)       // carol only wrote, bob never did

	e.bob.call("PATCH", "/me/inbox", map[string]any{"inbox_mode": "loud"}).must(422)
	e.bob.call("PATCH", "/me/inbox", map[string]any{}).must(422)
	e.bob.call("PATCH", "/me/inbox", map[string]any{"inbox_mode": "quiet", "inbox_quiet_min_karma": -1}).must(422)
	assert.Equal(t, "contacts_only", e.bob.call("GET", "/me/cold-budget", nil).must(200).obj()["inbox_mode"])
}

func TestPeopleColdBudget(t *testing.T) {
	e := newEnv(t)
	for _, n := range []string{"p1", "p2", "p3", "p4"} {
		e.srv.NewAgent(n)
	}
	b := e.alice.call("GET", "/me/cold-budget", nil).must(200).obj()
	assert.Equal(t, "L1", b["tier"], "karma 10, new account")
	hourly := b["hourly"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 3, hourly["cap"])
	assert.EqualValues(t, 3, hourly["remaining"])
	assert.Nil(t, hourly["earliest_send_in_window_at"])
	assert.EqualValues(t, 3600, hourly["window_seconds"])
	next := b["next_tier"].(map[string]any)
	assert.Equal(t, "L2", next["tier"])
	assert.Equal(t, map[string]any{"karma": float64(50), "account_age_days": float64(7)}, next["requires"])

	e.alice.call("POST", "/messages/send/p1", map[string]any{"body": "1"}).must(200)
	e.alice.call("POST", "/messages/send/p1", map[string]any{"body": "follow-up"}).must(200) // not counted again
	e.alice.call("POST", "/messages/send/p2", map[string]any{"body": "2"}).must(200)
	e.alice.call("POST", "/messages/send/p3", map[string]any{"body": "3"}).must(200)
	e.alice.call("POST", "/messages/send/p4", map[string]any{"body": "observe-only"}).must(200)
	b = e.alice.call("GET", "/me/cold-budget", nil).must(200).obj()
	hourly = b["hourly"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 0, hourly["remaining"])
	assert.NotNil(t, hourly["earliest_send_in_window_at"])
	assert.EqualValues(t, 6, b["daily"].([]any)[0].(map[string]any)["remaining"])

	e.srv.SetColdBudgetEnforced(true)
	e.srv.NewAgent("p5")
	r := e.alice.call("POST", "/messages/send/p5", map[string]any{"body": "over"}).must(429)
	assert.Equal(t, coldBudgetCode, r.code())
	wait, err := strconv.Atoi(r.header.Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, wait > 3000 && wait <= 3600, "seconds until the first send leaves the hour: %d", wait)
	e.alice.call("POST", "/messages/send/p1", map[string]any{"body": "awaiting reply, not cold"}).must(200)
	e.srv.Advance(time.Hour)
	e.alice.call("POST", "/messages/send/p5", map[string]any{"body": "next hour"}).must(200)

	// The ledger: first-outbound order, cursor pages, warmth.
	p1 := e.anon.as(e.srv.APIKey("p1"))
	p1.call("POST", "/messages/send/alice", map[string]any{"body": "hi back"}).must(200)
	var handles []string
	cursor := ""
	for range 10 {
		q := url.Values{"limit": {"2"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		pg := e.alice.call("GET", "/me/cold-budget/peers?"+q.Encode(), nil).must(200).obj()
		for _, it := range pg["items"].([]any) {
			m := it.(map[string]any)
			handles = append(handles, m["handle"].(string))
			if m["handle"] == "p1" {
				assert.Equal(t, true, m["warm"])
				assert.Equal(t, false, m["awaiting_reply"])
			} else {
				assert.Equal(t, false, m["warm"])
				assert.Equal(t, true, m["awaiting_reply"])
			}
		}
		if pg["next_cursor"] == nil {
			break
		}
		cursor = pg["next_cursor"].(string)
	}
	assert.Equal(t, []string{"p1", "p2", "p3", "p4", "p5"}, handles)
	e.alice.call("GET", "/me/cold-budget/peers?cursor=bogus", nil).must(422)
}

func TestPeopleWatchNotifiesOnComment(t *testing.T) {
	e := newEnv(t)
	carolA := e.srv.NewAgent("carol")
	carol := e.anon.as(carolA.APIKey)
	pid := e.createPost(e.alice, "Watch me")["id"].(string)
	e.bob.call("POST", "/posts/"+pid+"/watch", nil).must(200)
	e.bob.call("POST", "/posts/"+pid+"/watch", nil).must(200)
	e.alice.call("POST", "/posts/"+pid+"/watch", nil).must(200) // the author is notified once, as author
	before := e.srv.UnreadNotifications("bob")
	carol.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "a comment"}).must(201)
	assert.Equal(t, before+1, e.srv.UnreadNotifications("bob"))
	assert.Equal(t, 1, e.srv.UnreadNotifications("alice"))
	ns := e.bob.call("GET", "/notifications", nil).must(200).list()
	assert.Equal(t, notifWatch, ns[0].(map[string]any)["notification_type"])
	e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "own comment"}).must(201)
	assert.Equal(t, before+1, e.srv.UnreadNotifications("bob"), "no notification for one's own comment")

	e.bob.call("DELETE", "/posts/"+pid+"/watch", nil).must(200)
	e.bob.call("DELETE", "/posts/"+pid+"/watch", nil).must(404)
	carol.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "again"}).must(201)
	assert.Equal(t, before+1, e.srv.UnreadNotifications("bob"))
}

func TestPeopleCollectionsRules(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "Post")["id"].(string)
	priv := e.bob.call("POST", "/collections", map[string]any{"title": "Secret", "is_public": false}).must(201).obj()
	id := priv["id"].(string)
	e.alice.call("GET", "/collections/"+id, nil).must(404)
	e.anon.call("GET", "/collections/"+id, nil).must(404)
	e.bob.call("GET", "/collections/"+id, nil).must(200)
	assert.Len(t, e.anon.call("GET", "/collections", nil).must(200).obj()["items"], 0)
	assert.Len(t, e.bob.call("GET", "/collections?user_id="+e.bobA.ID, nil).must(200).obj()["items"], 1)

	e.bob.call("PUT", "/collections/"+id, map[string]any{"is_public": true}).must(200)
	e.alice.call("PUT", "/collections/"+id, map[string]any{"title": "mine"}).must(403)
	e.alice.call("POST", "/collections/"+id+"/items", map[string]any{"post_id": pid}).must(403)
	e.bob.call("POST", "/collections/"+id+"/items", map[string]any{"post_id": pid}).must(201)
	assert.Equal(t, "CONFLICT", e.bob.call("POST", "/collections/"+id+"/items", map[string]any{"post_id": pid}).must(409).code())
	e.bob.call("POST", "/collections/"+id+"/items", map[string]any{"post_id": newUUID()}).must(404)
	e.bob.call("POST", "/collections/"+id+"/items", map[string]any{"post_id": pid, "note": strings.Repeat("n", 501)}).must(422)
	e.bob.call("POST", "/collections", map[string]any{"title": " "}).must(422)
	e.bob.call("POST", "/collections", map[string]any{"title": strings.Repeat("t", 201)}).must(422)
	e.bob.call("DELETE", "/collections/"+id+"/items/"+newUUID(), nil).must(404)

	for i := 1; i < maxCollectionsPerUser; i++ {
		e.bob.unchecked().call("POST", "/collections", map[string]any{"title": "c"}).must(201)
	}
	assert.Equal(t, codeInvalidInput, e.bob.call("POST", "/collections", map[string]any{"title": "one too many"}).must(400).code())
}

func TestPeoplePresenceAndStatus(t *testing.T) {
	e := newEnv(t)
	carol := e.srv.NewAgent("carol") // never authenticated
	e.alice.call("GET", "/users/me", nil).must(200)
	out := e.bob.call("POST", "/users/presence", map[string]any{"user_ids": []string{e.aliceA.ID, carol.ID, newUUID()}}).must(200).obj()
	alice := out[e.aliceA.ID].(map[string]any)
	assert.Equal(t, true, alice["online"])
	assert.InDelta(t, float64(e.srv.Now().UnixMicro())/1e6, alice["last_seen_at"], 1)
	assert.Equal(t, map[string]any{"online": false, "last_seen_at": nil}, out[carol.ID])
	e.srv.Advance(onlineWindow)
	out = e.bob.call("POST", "/users/presence", map[string]any{"user_ids": []string{e.aliceA.ID}}).must(200).obj()
	assert.Equal(t, false, out[e.aliceA.ID].(map[string]any)["online"])
	ids := make([]string, maxPresenceIDs+1)
	for i := range ids {
		ids[i] = newUUID()
	}
	e.bob.call("POST", "/users/presence", map[string]any{"user_ids": ids}).must(400)
	e.bob.call("POST", "/users/presence", map[string]any{"user_ids": []string{"x"}}).must(422)

	st := e.bob.call("PUT", "/users/me/status", map[string]any{"presence_status": "busy", "custom_status_text": "deep work"}).must(200).obj()
	assert.Equal(t, map[string]any{"presence_status": "busy", "custom_status_text": "deep work"}, st)
	st = e.bob.call("PUT", "/users/me/status", map[string]any{"custom_status_text": ""}).must(200).obj()
	assert.Equal(t, map[string]any{"presence_status": "busy", "custom_status_text": nil}, st)
	e.bob.call("PUT", "/users/me/status", map[string]any{"presence_status": strings.Repeat("x", maxPresenceLabel+1)}).must(422)
	assert.Equal(t, "busy", e.bob.call("GET", "/users/me/status", nil).must(200).obj()["presence_status"])
}

func TestPeopleTagFollowNotifiesOnNewPost(t *testing.T) {
	e := newEnv(t)
	e.bob.call("POST", "/tags/%23GoLang/follow", nil).must(200)
	e.alice.call("POST", "/tags/golang/follow", nil).must(200) // the author is not notified of their own post
	e.createPost(e.alice, "Untagged")
	assert.Zero(t, e.srv.UnreadNotifications("bob"))
	pid := e.createPost(e.alice, "Generics in practice", map[string]any{"tags": []string{"golang", "types"}})["id"].(string)
	ns := e.bob.call("GET", "/notifications", nil).must(200).list()
	require.Len(t, ns, 1)
	n := ns[0].(map[string]any)
	assert.Equal(t, notifTagMatch, n["notification_type"])
	assert.Equal(t, pid, n["post_id"])
	assert.Equal(t, `New post in a tag you follow: "Generics in practice" by alice`, n["message"])
	assert.Zero(t, e.srv.UnreadNotifications("alice"))
	e.bob.call("DELETE", "/tags/golang/follow", nil).must(200)
	e.createPost(e.alice, "More", map[string]any{"tags": []string{"golang"}})
	assert.Equal(t, 1, e.srv.UnreadNotifications("bob"))
}
