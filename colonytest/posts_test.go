package colonytest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCreatePostEchoesFields(t *testing.T) {
	e := newEnv(t)
	meta := map[string]any{"confidence": 0.9, "sources": []any{"a"}}
	p := e.createPost(e.alice, "Hello", map[string]any{"post_type": "finding", "metadata": meta,
		"client": "colony-go", "tags": []string{"Go", "#sdk", "go"}})
	assert.Equal(t, "Hello", p["title"])
	assert.Equal(t, "finding", p["post_type"])
	assert.Equal(t, generalID, p["colony_id"])
	assert.Equal(t, "general", p["colony_name"])
	assert.Equal(t, meta, p["metadata_"])
	assert.NotContains(t, p, "metadata")
	assert.Equal(t, "colony-go", p["client"])
	assert.Equal(t, []any{"go", "sdk"}, p["tags"])
	assert.Equal(t, "alice", p["author"].(map[string]any)["username"])
	assert.Equal(t, p["body"], p["safe_text"])
	_, err := time.Parse(time.RFC3339Nano, p["created_at"].(string))
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(p["created_at"].(string), "Z"))

	got := e.bob.call("GET", "/posts/"+p["id"].(string), nil).must(200).obj()
	assert.Equal(t, p["id"], got["id"])
	assert.Equal(t, 1, e.srv.PostCount())
	info, ok := e.srv.Post(p["id"].(string))
	require.True(t, ok)
	assert.Equal(t, "alice", info.AuthorUsername)

	// Without metadata, metadata_ is null and the post type defaults to discussion.
	p2 := e.createPost(e.alice, "Plain")
	assert.Nil(t, p2["metadata_"])
	assert.Equal(t, "discussion", p2["post_type"])
	assert.Nil(t, p2["client"])
}

func TestCreatePostValidation(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name string
		body any
		want int
		loc  string
	}{
		{"missing colony", map[string]any{"title": "t", "body": "b"}, 422, "colony_id"},
		{"slug colony", map[string]any{"title": "t", "body": "b", "colony_id": "general"}, 422, "colony_id"},
		{"empty title", map[string]any{"title": "", "body": "b", "colony_id": generalID}, 422, "title"},
		{"bad type", map[string]any{"title": "t", "body": "b", "colony_id": generalID, "post_type": "rant"}, 422, "post_type"},
		{"title not string", map[string]any{"title": 5, "body": "b", "colony_id": generalID}, 422, "title"},
		{"not json", "{nope", 422, ""},
		{"array", "[]", 422, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.alice.call("POST", "/posts", c.body).must(c.want)
			detail, ok := r.obj()["detail"].([]any)
			require.True(t, ok, "FastAPI list shape: %s", r.raw)
			if c.loc != "" {
				assert.Contains(t, detail[0].(map[string]any)["loc"], c.loc)
			}
		})
	}
	r := e.alice.call("POST", "/posts", map[string]any{"title": "t", "body": "b", "colony_id": newUUID()}).must(404)
	assert.Equal(t, codeNotFound, r.code())
	r = e.alice.call("POST", "/posts", "title=t", "Content-Type", "application/x-www-form-urlencoded").must(422)
	assert.Contains(t, string(r.raw), "model_attributes_type")
	assert.Equal(t, 0, e.srv.PostCount())
}

func TestPostEditWindowAndOwnership(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	id := e.createPost(e.alice, "Edit me")["id"].(string)
	r := e.bob.call("PUT", "/posts/"+id, map[string]any{"title": "hijack"}).must(403)
	assert.Equal(t, codeForbidden, r.code())
	e.srv.Advance(10 * time.Minute)
	up := e.alice.call("PUT", "/posts/"+id, map[string]any{"title": "Edited", "tags": []string{"x"}}).must(200).obj()
	assert.Equal(t, "Edited", up["title"])
	assert.Equal(t, "body of Edit me", up["body"])
	assert.Equal(t, []any{"x"}, up["tags"])
	assert.NotEqual(t, up["created_at"], up["updated_at"])
	e.srv.Advance(5*time.Minute + time.Second)
	r = e.alice.call("PUT", "/posts/"+id, map[string]any{"title": "late"}).must(403)
	assert.Equal(t, codeEditWindowExpired, r.code())
	e.alice.call("DELETE", "/posts/"+id, nil).must(403)

	id2 := e.createPost(e.alice, "Delete me")["id"].(string)
	e.bob.call("DELETE", "/posts/"+id2, nil).must(403)
	e.alice.call("DELETE", "/posts/"+id2, nil).must(204)
	e.alice.call("GET", "/posts/"+id2, nil).must(404)
	e.alice.call("DELETE", "/posts/"+id2, nil).must(404)
	e.alice.call("GET", "/posts/not-a-uuid", nil).must(422)
	assert.Equal(t, codeNotFound, e.alice.call("GET", "/posts/"+newUUID(), nil).must(404).code())
}

func TestListPosts(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	for i := 0; i < 25; i++ {
		e.srv.SeedPost("alice", SeedPost{Title: fmt.Sprintf("post %02d", i), Score: i % 5, Tags: []string{"t" + fmt.Sprint(i%2)}})
		e.srv.Advance(time.Second)
	}
	q := e.srv.SeedPost("bob", SeedPost{Colony: "questions", Title: "a question", PostType: "question", Body: "needle here"})
	tester := e.srv.NewAgent("tess", WithTester())
	hidden := e.srv.SeedPost(tester.Username, SeedPost{Title: "hidden"})

	r := e.bob.call("GET", "/posts?sort=new&limit=10", nil).must(200).obj()
	items := r["items"].([]any)
	assert.Len(t, items, 10)
	assert.EqualValues(t, 26, r["total"])
	assert.Equal(t, true, r["has_more"])
	assert.Equal(t, q, items[0].(map[string]any)["id"])
	assert.Nil(t, items[0].(map[string]any)["safe_text"], "safe_text is null in lists")

	r = e.bob.call("GET", "/posts?sort=new&limit=10&offset=20", nil).must(200).obj()
	assert.Len(t, r["items"], 6)
	assert.Equal(t, false, r["has_more"])

	top := e.bob.call("GET", "/posts?sort=top&limit=1", nil).must(200).obj()["items"].([]any)[0].(map[string]any)
	assert.EqualValues(t, 4, top["score"])

	for _, qs := range []string{"colony_id=173ba9eb-f3ca-4148-8ad8-1db3c8a93065", "colony=questions",
		"post_type=question", "search=needle", "author=bob"} {
		r = e.bob.call("GET", "/posts?"+qs, nil).must(200).obj()
		assert.EqualValues(t, 1, r["total"], qs)
	}
	assert.EqualValues(t, 13, e.bob.call("GET", "/posts?tag=t0", nil).must(200).obj()["total"])
	assert.EqualValues(t, 0, e.bob.call("GET", "/posts?search=hidden", nil).must(200).obj()["total"])
	e.bob.call("GET", "/posts/"+hidden, nil).must(200)

	for _, qs := range []string{"colony_id=questions", "limit=0", "limit=101", "limit=x", "sort=best", "offset=-1",
		"search=a", "post_type=rant"} {
		e.bob.call("GET", "/posts?"+qs, nil).must(422)
	}
	assert.Equal(t, codeNotFound, e.bob.call("GET", "/posts?colony=nowhere", nil).must(404).code())
}

func TestCommentsThreadingAndPages(t *testing.T) {
	e := newEnv(t)
	pid := e.createPost(e.alice, "Discuss")["id"].(string)
	c1 := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "first", "client": "colony-go"}).must(201).obj()
	assert.Equal(t, pid, c1["post_id"])
	assert.Nil(t, c1["parent_id"])
	assert.Equal(t, "colony-go", c1["client"])
	reply := e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "reply", "parent_id": c1["id"]}).must(201).obj()
	assert.Equal(t, c1["id"], reply["parent_id"])

	e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "x", "parent_id": newUUID()}).must(404)
	e.alice.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": ""}).must(422)
	e.alice.call("POST", "/posts/"+newUUID()+"/comments", map[string]any{"body": "x"}).must(404)
	other := e.createPost(e.alice, "Other")["id"].(string)
	e.alice.call("POST", "/posts/"+other+"/comments", map[string]any{"body": "x", "parent_id": c1["id"]}).must(400)

	for i := 0; i < 21; i++ {
		e.srv.SeedComment("bob", pid, fmt.Sprint("c", i), "")
	}
	pg := e.alice.call("GET", "/posts/"+pid+"/comments?page=1", nil).must(200).obj()
	assert.Len(t, pg["items"], 20)
	assert.EqualValues(t, 23, pg["total"])
	assert.Equal(t, true, pg["has_more"])
	assert.EqualValues(t, 1, pg["page"])
	pg = e.alice.call("GET", "/posts/"+pid+"/comments?page=2", nil).must(200).obj()
	assert.Len(t, pg["items"], 3)
	assert.Equal(t, false, pg["has_more"])
	e.alice.call("GET", "/posts/"+pid+"/comments?page=0", nil).must(422)
	assert.EqualValues(t, 23, e.alice.call("GET", "/posts/"+pid, nil).must(200).obj()["comment_count"])

	conv := e.alice.call("GET", "/posts/"+pid+"/conversation", nil).must(200).obj()
	assert.EqualValues(t, 22, conv["thread_count"])
	assert.EqualValues(t, 23, conv["total_comments"])
	first := conv["threads"].([]any)[0].(map[string]any)
	assert.Equal(t, "bob", first["author_username"])
	assert.Equal(t, reply["id"], first["replies"].([]any)[0].(map[string]any)["id"])

	ctx := e.bob.call("GET", "/posts/"+pid+"/context", nil).must(200).obj()
	for _, k := range []string{"post", "author", "colony", "comments", "comment_count", "related_posts", "your_vote", "your_comment_count"} {
		assert.Contains(t, ctx, k)
	}
	assert.EqualValues(t, 22, ctx["your_comment_count"])
	assert.Nil(t, ctx["your_vote"])

	got := e.alice.call("GET", "/comments/"+c1["id"].(string), nil).must(200).obj()
	assert.Equal(t, "first", got["body"])
	e.alice.call("PUT", "/comments/"+c1["id"].(string), map[string]any{"body": "nope"}).must(403)
	assert.Equal(t, "edited", e.bob.call("PUT", "/comments/"+c1["id"].(string), map[string]any{"body": "edited"}).must(200).obj()["body"])
	e.bob.call("DELETE", "/comments/"+c1["id"].(string), nil).must(204)
	e.bob.call("GET", "/comments/"+reply["id"].(string), nil).must(404) // replies go with their parent
	assert.EqualValues(t, 21, e.alice.call("GET", "/posts/"+pid, nil).must(200).obj()["comment_count"])
	assert.Equal(t, 21, e.srv.CommentCount())
}

func TestCommentEditWindow(t *testing.T) {
	e := newEnv(t, WithClock(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	pid := e.createPost(e.alice, "p")["id"].(string)
	cid := e.bob.call("POST", "/posts/"+pid+"/comments", map[string]any{"body": "b"}).must(201).obj()["id"].(string)
	e.srv.Advance(16 * time.Minute)
	assert.Equal(t, codeEditWindowExpired, e.bob.call("PUT", "/comments/"+cid, map[string]any{"body": "x"}).must(403).code())
	e.bob.call("DELETE", "/comments/"+cid, nil).must(403)
}

func TestUsersMeAndUpdate(t *testing.T) {
	e := newEnv(t)
	me := e.alice.call("GET", "/users/me", nil).must(200).obj()
	assert.Equal(t, "alice", me["username"])
	assert.EqualValues(t, 10, me["karma"])
	assert.NotEmpty(t, me["avatar_url"])
	up := e.alice.call("PUT", "/users/me", map[string]any{"display_name": "Alice A.", "bio": "hello",
		"capabilities": map[string]any{"languages": []any{"go"}}, "karma": 9999, "username": "mallory",
		"lightning_address": "a@b.c"}).must(200).obj()
	assert.Equal(t, "Alice A.", up["display_name"])
	assert.Equal(t, "hello", up["bio"])
	assert.Equal(t, map[string]any{"languages": []any{"go"}}, up["capabilities"])
	assert.EqualValues(t, 10, up["karma"], "read-only fields are ignored")
	assert.Equal(t, "alice", up["username"])
	assert.Equal(t, "a@b.c", up["lightning_address"], "the further UserUpdate fields are stored")
	e.alice.call("PUT", "/users/me", map[string]any{"display_name": ""}).must(422)
	e.alice.call("PUT", "/users/me", map[string]any{"capabilities": "x"}).must(422)

	u := e.bob.call("GET", "/users/"+e.aliceA.ID, nil).must(200).obj()
	assert.Equal(t, "Alice A.", u["display_name"])
	e.bob.call("GET", "/users/"+newUUID(), nil).must(404)
	e.bob.call("GET", "/users/alice", nil).must(422)
}

func TestJSONIsNotHTMLEscaped(t *testing.T) {
	e := newEnv(t)
	r := e.alice.call("POST", "/posts", map[string]any{"title": "a<b & c>", "body": "b", "colony_id": generalID}).must(201)
	assert.Contains(t, string(r.raw), `"title":"a<b & c>"`)
}
