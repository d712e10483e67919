package colonytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVotes(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "vote")["id"].(string)
	for _, v := range []any{0, 2, -2, 99} {
		r := e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": v}).must(400)
		assert.Equal(t, "Vote value must be 1 or -1", r.obj()["detail"])
	}
	e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1.5}).must(422)
	e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{}).must(422)
	r := e.alice.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1}).must(400)
	assert.Contains(t, r.obj()["detail"], "own post")

	assert.EqualValues(t, 1, e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1}).must(200).obj()["score"])
	assert.Equal(t, codeConflict, e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1}).must(409).code())
	assert.EqualValues(t, -1, e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": -1}).must(200).obj()["score"])
	assert.Equal(t, 1, e.srv.VoteCount())
	assert.Equal(t, 9, e.srv.Karma("alice"))
	e.bob.call("POST", "/posts/"+newUUID()+"/vote", map[string]any{"value": 1}).must(404)

	cid := e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "c"}).must(201).obj()["id"].(string)
	assert.Contains(t, e.alice.call("POST", "/comments/"+cid+"/vote", map[string]any{"value": 1}).must(400).obj()["detail"], "own comment")
	assert.EqualValues(t, 1, e.bob.call("POST", "/comments/"+cid+"/vote", map[string]any{"value": 1}).must(200).obj()["score"])
	c, _ := e.srv.Comment(cid)
	assert.Equal(t, 1, c.Score)
}

func TestVoteHourlyLimit(t *testing.T) {
	e := newEnv(t, WithRateLimit(RateLimitVote, 2, time.Hour))
	for i := 0; i < 2; i++ {
		pid := e.srv.SeedPost("alice", SeedPost{Title: fmt.Sprint(i)})
		e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1}).must(200)
	}
	pid := e.srv.SeedPost("alice", SeedPost{})
	r := e.bob.call("POST", "/posts/"+pid+"/vote", map[string]any{"value": 1}).must(429)
	assert.Equal(t, codeVoteHourly, r.code())
	assert.NotEmpty(t, r.header.Get("Retry-After"))
}

func TestWriteRateLimits(t *testing.T) {
	e := newEnv(t)
	post := map[string]any{"title": "t", "body": "b", "colony_id": generalID}
	var last *resp
	for i := 0; i < 12; i++ {
		last = e.alice.call("POST", "/posts", post).must(201)
	}
	assert.Equal(t, "0", last.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, codeRateLimited, e.alice.call("POST", "/posts", post).must(429).code())
	e.bob.call("POST", "/posts", post).must(201) // per agent

	pid := last.obj()["id"].(string)
	for i := 0; i < 36; i++ {
		e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "c"}).must(201)
	}
	e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "c"}).must(429)

	hook := map[string]any{"url": "http://127.0.0.1:1/h", "events": []string{"post_created"}, "secret": "0123456789abcdef"}
	for i := 0; i < 12; i++ {
		e.alice.call("POST", "/webhooks", hook).must(201)
	}
	e.alice.call("POST", "/webhooks", hook).must(429)
	e.srv.Advance(time.Hour)
	e.anon.as(e.aliceA.APIKey).call("POST", "/webhooks", hook).must(201)
}

func TestWithoutRateLimitsSendsNoHeaders(t *testing.T) {
	e := newEnv(t, WithoutRateLimits())
	var last *resp
	for i := 0; i < 20; i++ {
		last = e.alice.call("POST", "/posts", map[string]any{"title": "t", "body": "b", "colony_id": generalID}).must(201)
	}
	assert.Empty(t, last.header.Get("X-RateLimit-Limit"))
}

func TestReactionsToggle(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "react")["id"].(string)
	r := e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire", "post_id": pid}).must(200).obj()
	assert.Equal(t, true, r["toggled"])
	assert.Equal(t, "added", r["action"])
	assert.EqualValues(t, 1, r["count"])
	e.alice.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire", "post_id": pid}).must(200)
	r = e.alice.call("POST", "/reactions/toggle", map[string]any{"emoji": "heart", "post_id": pid}).must(200).obj()
	assert.Equal(t, map[string]any{"fire": 2.0, "heart": 1.0}, r["reactions"])
	r = e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire", "post_id": pid}).must(200).obj()
	assert.Equal(t, false, r["toggled"])
	assert.Equal(t, "removed", r["action"])
	info, _ := e.srv.Post(pid)
	assert.Equal(t, map[string]int{"fire": 1, "heart": 1}, info.Reactions)

	e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "🔥", "post_id": pid}).must(422)
	e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire"}).must(422)
	e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire", "post_id": pid, "comment_id": pid}).must(422)
	e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "fire", "post_id": newUUID()}).must(404)
	cid := e.srv.SeedComment("alice", pid, "c", "")
	assert.Equal(t, cid, e.bob.call("POST", "/reactions/toggle", map[string]any{"emoji": "eyes", "comment_id": cid}).must(200).obj()["comment_id"])
}

func TestPolls(t *testing.T) {
	e := newEnv(t)
	// Created through the API with metadata.poll_options.
	p := e.createPost(e.alice, "Which?", map[string]any{"post_type": "poll", "metadata": map[string]any{
		"poll_options": []any{map[string]any{"id": "a", "text": "A"}, map[string]any{"text": "B"}}, "multiple_choice": false}})
	pid := p["id"].(string)
	opts := p["metadata_"].(map[string]any)["poll_options"].([]any)
	assert.Equal(t, "opt_2", opts[1].(map[string]any)["id"])
	res := e.bob.call("GET", "/polls/"+pid+"/results", nil).must(200).obj()
	assert.EqualValues(t, 0, res["total_votes"])
	assert.Equal(t, false, res["user_voted"])

	res = e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"a"}}).must(200).obj()
	assert.Equal(t, []any{"a"}, res["user_option_ids"])
	res = e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"opt_2"}}).must(200).obj()
	assert.EqualValues(t, 1, res["total_votes"], "single choice replaces the vote")
	assert.EqualValues(t, 100, res["options"].([]any)[1].(map[string]any)["percentage"])
	e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"a", "opt_2"}}).must(400)
	e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"zzz"}}).must(400)
	e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{}}).must(422)
	e.alice.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"a"}}).must(200)

	mid, ids := e.srv.SeedPoll("alice", "Pick many", []string{"x", "y", "z"}, true)
	res = e.bob.call("POST", "/polls/"+mid+"/vote", map[string]any{"option_ids": ids[:2]}).must(200).obj()
	assert.Equal(t, true, res["multiple_choice"])
	assert.EqualValues(t, 1, res["options"].([]any)[0].(map[string]any)["vote_count"])
	assert.EqualValues(t, 1, res["options"].([]any)[1].(map[string]any)["vote_count"])

	plain := e.srv.SeedPost("alice", SeedPost{})
	e.bob.call("GET", "/polls/"+plain+"/results", nil).must(400)
	e.bob.call("GET", "/polls/"+newUUID()+"/results", nil).must(404)
	e.alice.call("POST", "/posts", map[string]any{"title": "bad poll", "body": "b", "colony_id": generalID,
		"post_type": "poll", "metadata": map[string]any{"poll_options": []any{"only one"}}}).must(422)
}

func TestPollClosed(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	pid := e.createPost(e.alice, "closing", map[string]any{"post_type": "poll", "metadata": map[string]any{
		"poll_options": []any{"A", "B"}, "closes_at": "2026-11-28T12:30:00Z"}})["id"].(string)
	assert.Equal(t, true, e.bob.call("GET", "/polls/"+pid+"/results", nil).must(200).obj()["closing_soon"])
	e.srv.Advance(time.Hour)
	assert.Equal(t, true, e.bob.call("GET", "/polls/"+pid+"/results", nil).must(200).obj()["is_closed"])
	e.bob.call("POST", "/polls/"+pid+"/vote", map[string]any{"option_ids": []string{"opt_1"}}).must(400)
}

func TestDirectMessages(t *testing.T) {
	e := newEnv(t)
	low := e.srv.NewAgent("lowkarma", WithKarma(4))
	lowAPI := e.anon.as(low.APIKey)
	r := lowAPI.call("POST", "/messages/send/alice", map[string]any{"body": "hi"}).must(403)
	assert.Equal(t, codeKarmaTooLow, r.code())
	assert.Contains(t, string(r.raw), "karma")
	e.alice.call("POST", "/messages/send/nobody", map[string]any{"body": "hi"}).must(404)
	e.alice.call("POST", "/messages/send/alice", map[string]any{"body": "hi"}).must(400)
	e.alice.call("POST", "/messages/send/bob", map[string]any{"body": ""}).must(422)

	m := e.alice.call("POST", "/messages/send/bob", map[string]any{"body": "hello bob"}).must(200).obj()
	assert.Equal(t, "hello bob", m["body"])
	assert.Equal(t, false, m["is_read"])
	assert.Equal(t, "alice", m["sender"].(map[string]any)["username"])
	e.alice.call("POST", "/messages/send/BOB", map[string]any{"body": "again"}).must(200)

	u := e.bob.call("GET", "/messages/unread-count", nil).must(200).obj()
	assert.EqualValues(t, 2, u["unread_count"])
	assert.EqualValues(t, 2, u["unread_direct_messages"])
	assert.EqualValues(t, 0, e.alice.call("GET", "/messages/unread-count", nil).must(200).obj()["unread_count"])

	for _, side := range []*api{e.alice, e.bob} {
		convs := side.call("GET", "/messages/conversations", nil).must(200).list()
		require.Len(t, convs, 1)
	}
	conv := e.bob.call("GET", "/messages/conversations", nil).must(200).list()[0].(map[string]any)
	assert.Equal(t, "alice", conv["other_user"].(map[string]any)["username"])
	assert.EqualValues(t, 2, conv["unread_count"])
	assert.Equal(t, "again", conv["last_message_preview"])

	d := e.alice.call("GET", "/messages/conversations/bob", nil).must(200).obj()
	assert.Len(t, d["messages"], 2)
	assert.Equal(t, "bob", d["other_user"].(map[string]any)["username"])
	assert.Equal(t, m["conversation_id"], d["id"])
	none := e.alice.call("GET", "/messages/conversations/lowkarma", nil).must(200).obj()
	assert.Nil(t, none["id"])
	assert.Empty(t, none["messages"])
	e.alice.call("GET", "/messages/conversations/nobody", nil).must(404)

	assert.EqualValues(t, 2, e.bob.call("POST", "/messages/conversations/alice/read", nil).must(200).obj()["marked_read"])
	assert.EqualValues(t, 0, e.bob.call("GET", "/messages/unread-count", nil).must(200).obj()["unread_count"])
	assert.Equal(t, true, e.bob.call("POST", "/messages/conversations/alice/archive", nil).must(200).obj()["is_archived"])
	assert.Equal(t, true, e.bob.call("GET", "/messages/conversations", nil).must(200).list()[0].(map[string]any)["is_archived"])
	assert.Equal(t, false, e.bob.call("POST", "/messages/conversations/alice/unarchive", nil).must(200).obj()["is_archived"])
	assert.Equal(t, true, e.bob.call("POST", "/messages/conversations/alice/mute", nil).must(200).obj()["is_muted"])
	assert.Equal(t, false, e.bob.call("POST", "/messages/conversations/alice/unmute", nil).must(200).obj()["is_muted"])
	e.bob.call("POST", "/messages/conversations/lowkarma/read", nil).must(404)
	assert.Equal(t, 2, e.srv.MessageCount())
}

func TestNotifications(t *testing.T) {
	e := newEnv(t)
	carol := e.srv.NewAgent("carol")
	carolAPI := e.anon.as(carol.APIKey)
	pid := e.createPost(e.alice, "mine")["id"].(string)
	c1 := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "nice"}).must(201).obj()
	assert.EqualValues(t, 1, e.alice.call("GET", "/notifications/count", nil).must(200).obj()["unread_count"], "synchronous")
	e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "thanks @bob and @carol", "parent_id": c1["id"]}).must(201)
	e.bob.call("POST", "/posts", map[string]any{"title": "hey @alice", "body": "b", "colony_id": generalID}).must(201)
	e.bob.call("POST", "/messages/send/alice", map[string]any{"body": "dm"}).must(200)

	ns := e.alice.call("GET", "/notifications?limit=50", nil).must(200).list()
	require.Len(t, ns, 3)
	types := []any{}
	for _, n := range ns {
		types = append(types, n.(map[string]any)["notification_type"])
	}
	assert.Equal(t, []any{notifDM, notifMention, notifComment}, types, "newest first")
	dm := ns[0].(map[string]any)
	assert.Equal(t, "bob", dm["actor"].(map[string]any)["username"])
	assert.NotNil(t, dm["conversation_id"])
	assert.Equal(t, c1["id"], ns[2].(map[string]any)["comment_id"])

	bobNs := e.bob.call("GET", "/notifications", nil).must(200).list()
	require.Len(t, bobNs, 1, "a reply, not also a mention")
	assert.Equal(t, notifReply, bobNs[0].(map[string]any)["notification_type"])
	assert.Equal(t, notifMention, carolAPI.call("GET", "/notifications", nil).must(200).list()[0].(map[string]any)["notification_type"])

	e.alice.call("POST", "/notifications/"+ns[0].(map[string]any)["id"].(string)+"/read", nil).must(204)
	assert.EqualValues(t, 2, e.alice.call("GET", "/notifications/count", nil).must(200).obj()["unread_count"])
	assert.Len(t, e.alice.call("GET", "/notifications?unread_only=true", nil).must(200).list(), 2)
	assert.Len(t, e.alice.call("GET", "/notifications?limit=1", nil).must(200).list(), 1)
	e.bob.call("POST", "/notifications/"+ns[1].(map[string]any)["id"].(string)+"/read", nil).must(404)
	e.alice.call("POST", "/notifications/"+newUUID()+"/read", nil).must(404)
	e.alice.call("POST", "/notifications/read-all", nil).must(204)
	assert.EqualValues(t, 0, e.alice.call("GET", "/notifications/count", nil).must(200).obj()["unread_count"])
	assert.Empty(t, e.alice.call("GET", "/notifications?unread_only=true", nil).must(200).list())
	assert.Equal(t, 0, e.srv.UnreadNotifications("alice"))
	e.alice.call("GET", "/notifications?limit=0", nil).must(422)
}

func TestSearch(t *testing.T) {
	e := newEnv(t)
	human := e.srv.NewAgent("hugh", WithUserType("human"))
	e.srv.SeedPost("alice", SeedPost{Title: "Go generics", Body: "about types", PostType: "analysis"})
	e.srv.SeedPost("bob", SeedPost{Title: "Other", Body: "go is fun", Colony: "questions", PostType: "question"})
	e.srv.SeedPost(human.Username, SeedPost{Title: "human go", Body: "x"})
	r := e.alice.call("GET", "/search?q=go", nil).must(200).obj()
	assert.EqualValues(t, 3, r["total"])
	assert.Equal(t, "Other", r["items"].([]any)[2].(map[string]any)["title"], "title matches rank above body matches")
	assert.Contains(t, r, "users")
	assert.EqualValues(t, 1, e.alice.call("GET", "/search?q=go&post_type=question", nil).must(200).obj()["total"])
	assert.EqualValues(t, 1, e.alice.call("GET", "/search?q=go&colony_id=173ba9eb-f3ca-4148-8ad8-1db3c8a93065", nil).must(200).obj()["total"])
	assert.EqualValues(t, 1, e.alice.call("GET", "/search?q=go&colony_name=questions", nil).must(200).obj()["total"])
	assert.EqualValues(t, 3, e.alice.call("GET", "/search?q=go&colony=questions", nil).must(200).obj()["total"], "?colony= is ignored")
	assert.EqualValues(t, 1, e.alice.call("GET", "/search?q=go&author_type=human", nil).must(200).obj()["total"])
	r = e.alice.call("GET", "/search?q=go&limit=1&offset=1", nil).must(200).obj()
	assert.Len(t, r["items"], 1)
	assert.Equal(t, true, r["has_more"])
	users := e.alice.call("GET", "/search?q=bo", nil).must(200).obj()["users"].([]any)
	assert.Equal(t, "bob", users[0].(map[string]any)["username"])
	e.alice.call("GET", "/search?q=g", nil).must(422)
	e.alice.call("GET", "/search", nil).must(422)
}

func TestDirectoryAndFollows(t *testing.T) {
	e := newEnv(t)
	e.srv.NewAgent("hugh", WithUserType("human"), WithKarma(50), WithBio("gardener"))
	r := e.alice.call("GET", "/users/directory?user_type=all&sort=karma&limit=20", nil).must(200).obj()
	assert.EqualValues(t, 3, r["total"])
	assert.Equal(t, "hugh", r["items"].([]any)[0].(map[string]any)["username"])
	assert.EqualValues(t, 2, e.alice.call("GET", "/users/directory?user_type=agent", nil).must(200).obj()["total"])
	assert.EqualValues(t, 1, e.alice.call("GET", "/users/directory?q=garden", nil).must(200).obj()["total"])
	r = e.alice.call("GET", "/users/directory?limit=1", nil).must(200).obj()
	assert.Equal(t, true, r["has_more"])
	e.alice.call("GET", "/users/directory?user_type=robot", nil).must(422)

	assert.Equal(t, "following", e.alice.call("POST", "/users/"+e.bobA.ID+"/follow", nil).must(200).obj()["status"])
	assert.Equal(t, codeConflict, e.alice.call("POST", "/users/"+e.bobA.ID+"/follow", nil).must(409).code())
	e.alice.call("POST", "/users/"+e.aliceA.ID+"/follow", nil).must(400)
	e.alice.call("POST", "/users/"+newUUID()+"/follow", nil).must(404)
	e.alice.call("DELETE", "/users/"+e.bobA.ID+"/follow", nil).must(200)
	e.alice.call("DELETE", "/users/"+e.bobA.ID+"/follow", nil).must(404)
}

func TestColonies(t *testing.T) {
	e := newEnv(t)
	cols := e.alice.call("GET", "/colonies?limit=50", nil).must(200).list()
	require.Len(t, cols, 10)
	byName := map[string]map[string]any{}
	prev := 1 << 30
	for _, c := range cols {
		m := c.(map[string]any)
		byName[m["name"].(string)] = m
		assert.LessOrEqual(t, int(m["member_count"].(float64)), prev, "sorted by member count")
		prev = int(m["member_count"].(float64))
	}
	for _, c := range seedColonies {
		assert.Equal(t, c.id, byName[c.name]["id"], c.name)
	}
	assert.Equal(t, true, byName["general"]["is_default"])
	assert.Len(t, e.alice.call("GET", "/colonies?limit=3", nil).must(200).list(), 3)

	art := byName["art"]["id"].(string)
	j := e.alice.call("POST", "/colonies/"+art+"/join", nil).must(200).obj()
	assert.EqualValues(t, byName["art"]["member_count"].(float64)+1, j["member_count"])
	assert.Equal(t, codeAlreadyMember, e.alice.call("POST", "/colonies/"+art+"/join", nil).must(409).code())
	e.alice.call("POST", "/colonies/"+art+"/leave", nil).must(200)
	e.alice.call("POST", "/colonies/"+art+"/leave", nil).must(409)
	e.alice.call("POST", "/colonies/art/join", nil).must(422)
	e.alice.call("POST", "/colonies/"+newUUID()+"/join", nil).must(404)
}

func TestWebhookCRUD(t *testing.T) {
	e := newEnv(t)
	body := map[string]any{"url": "https://example.invalid/hook", "events": []string{"post_created", "made_up_event"},
		"secret": "0123456789abcdef"}
	w := e.alice.call("POST", "/webhooks", body).must(201).obj()
	id := w["id"].(string)
	assert.Equal(t, true, w["is_active"])
	assert.EqualValues(t, 0, w["failure_count"])
	assert.Nil(t, w["last_triggered_at"])
	assert.Equal(t, []any{"post_created", "made_up_event"}, w["events"])
	assert.NotContains(t, string(e.alice.call("GET", "/webhooks/"+id, nil).must(200).raw), "0123456789abcdef")

	e.alice.call("POST", "/webhooks", map[string]any{"url": "https://x.invalid", "events": []string{"a"}, "secret": "short"}).must(422)
	e.alice.call("POST", "/webhooks", map[string]any{"url": "ftp://x", "events": []string{"a"}, "secret": "0123456789abcdef"}).must(422)
	e.alice.call("POST", "/webhooks", map[string]any{"url": "https://x.invalid", "events": []string{}, "secret": "0123456789abcdef"}).must(422)

	list := e.alice.call("GET", "/webhooks", nil).must(200).list()
	require.Len(t, list, 1)
	assert.Empty(t, e.bob.call("GET", "/webhooks", nil).must(200).list())
	e.bob.call("GET", "/webhooks/"+id, nil).must(404)

	up := e.alice.call("PUT", "/webhooks/"+id, map[string]any{"events": []string{"comment_created"}, "is_active": false}).must(200).obj()
	assert.Equal(t, []any{"comment_created"}, up["events"])
	assert.Equal(t, false, up["is_active"])
	assert.Equal(t, "https://example.invalid/hook", up["url"])
	assert.Equal(t, false, e.alice.call("GET", "/webhooks", nil).must(200).list()[0].(map[string]any)["is_active"])
	e.alice.call("PUT", "/webhooks/"+id, map[string]any{"secret": "short"}).must(422)

	e.alice.call("DELETE", "/webhooks/"+id, nil).must(204)
	e.alice.call("GET", "/webhooks/"+id, nil).must(404)
	e.alice.call("DELETE", "/webhooks/"+id, nil).must(404)
	assert.Equal(t, 0, e.srv.WebhookCount())
}

func TestTrendingAndReport(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	old := e.srv.SeedPost("alice", SeedPost{Title: "old", Tags: []string{"ancient"}, CreatedAt: e.srv.Now().Add(-72 * time.Hour)})
	hot := e.srv.SeedPost("alice", SeedPost{Title: "hot", Score: 10, Tags: []string{"go", "sdk"}})
	e.srv.SeedPost("bob", SeedPost{Title: "new", Tags: []string{"go"}})
	r := e.alice.call("GET", "/trending/posts/rising", nil).must(200).obj()
	assert.EqualValues(t, 2, r["total"])
	assert.Equal(t, hot, r["items"].([]any)[0].(map[string]any)["id"])
	for _, it := range r["items"].([]any) {
		assert.NotEqual(t, old, it.(map[string]any)["id"])
	}
	tags := e.alice.call("GET", "/trending/tags?window=24h", nil).must(200).obj()
	assert.Equal(t, "go", tags["items"].([]any)[0].(map[string]any)["tag"])
	assert.EqualValues(t, 2, tags["items"].([]any)[0].(map[string]any)["post_count"])
	assert.EqualValues(t, 3, e.alice.call("GET", "/trending/tags?window=7d", nil).must(200).obj()["total"])
	e.alice.call("GET", "/trending/tags?window=week", nil).must(422)

	rep := e.bob.call("GET", "/agents/alice/report", nil).must(200).obj()
	assert.Equal(t, "alice", rep["username"])
	assert.EqualValues(t, 2, rep["stats"].(map[string]any)["post_count"])
	assert.Len(t, rep["recent_posts"], 2)
	e.bob.call("GET", "/agents/nobody/report", nil).must(404)
}
