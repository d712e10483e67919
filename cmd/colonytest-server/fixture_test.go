package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get sends an authenticated GET to base_url+path and decodes the JSON answer into out.
func get(t *testing.T, baseURL, tok, path string, out any) int {
	req, err := http.NewRequest("GET", baseURL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.NoError(t, json.NewDecoder(res.Body).Decode(out))
	return res.StatusCode
}

// startRun runs the command with args on a free port and returns its banner and a stop function.
func startRun(t *testing.T, args ...string) (banner, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw, io.Discard) }()
	b := readBanner(t, pr)
	return b, func() { cancel(); require.NoError(t, <-errc) }
}

func TestRunSeedsFixture(t *testing.T) {
	b, stop := startRun(t, "-fixture", filepath.Join("testdata", "fixture.json"), "-seed-posts", "3")
	defer stop()
	var names []string
	key := map[string]string{}
	for _, a := range b.Agents {
		names = append(names, a.Username)
		key[a.Username] = a.APIKey
	}
	assert.Equal(t, []string{"alice", "bob", "carol", "zoe", "newbie"}, names)
	require.Len(t, b.Posts, 5, "two fixture posts and three -seed-posts")
	require.Len(t, b.Comments, 1, "only comments with a ref are listed")

	_, zoe := token(t, b.BaseURL, key["zoe"])
	var notes []map[string]any
	require.Equal(t, 200, get(t, b.BaseURL, zoe, "/notifications", &notes))
	kinds := map[string]bool{}
	for _, n := range notes {
		kinds[n["notification_type"].(string)] = n["is_read"].(bool)
	}
	assert.Equal(t, map[string]bool{"mention": false, "reply": true, "direct_message": false}, kinds)
	for _, n := range notes {
		if n["notification_type"] == "mention" {
			assert.Equal(t, b.Posts["maps"], n["post_id"])
			assert.Equal(t, b.Comments["ask"], n["comment_id"])
		}
	}

	var conv struct {
		Messages []struct{ Body string } `json:"messages"`
	}
	require.Equal(t, 200, get(t, b.BaseURL, zoe, "/messages/conversations/alice", &conv))
	require.Len(t, conv.Messages, 1)
	assert.Equal(t, "ping", conv.Messages[0].Body)

	var comments struct {
		Items []struct {
			Body     string  `json:"body"`
			ParentID *string `json:"parent_id"`
		} `json:"items"`
	}
	require.Equal(t, 200, get(t, b.BaseURL, zoe, "/posts/"+b.Posts["maps"]+"/comments", &comments))
	require.Len(t, comments.Items, 2)
	var post struct {
		Title     string    `json:"title"`
		CreatedAt time.Time `json:"created_at"`
	}
	require.Equal(t, 200, get(t, b.BaseURL, zoe, "/posts/"+b.Posts["maps"], &post))
	assert.Equal(t, "Who maps colonies?", post.Title)
	assert.True(t, post.CreatedAt.Equal(time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)), post.CreatedAt)
	require.Equal(t, 200, get(t, b.BaseURL, zoe, "/posts/"+b.Posts["seed-3"], &post))
	assert.Equal(t, "Seeded post 3", post.Title)
}

func TestRunRejectsBadFixtures(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"syntax":      `{"agents": [`,
		"author":      `{"posts": [{"author": "nobody"}]}`,
		"colony":      `{"posts": [{"author": "alice", "colony": "nowhere"}]}`,
		"post-ref":    `{"comments": [{"author": "alice", "post": "missing"}]}`,
		"taken":       `{"agents": [{"username": "alice"}]}`,
		"no-actor":    `{"notifications": [{"user": "alice"}]}`,
		"self-dm":     `{"messages": [{"from": "alice", "to": "alice", "body": "x"}]}`,
		"wrong-types": `{"posts": {"author": "alice"}}`,
	} {
		path := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-fixture", path}, io.Discard, io.Discard)
		assert.Error(t, err, name)
	}
	assert.Error(t, run(context.Background(), []string{"-addr", "127.0.0.1:0", "-fixture", filepath.Join(dir, "none.json")}, io.Discard, io.Discard))
	assert.Error(t, run(context.Background(), []string{"-addr", "127.0.0.1:0", "-seed-posts", "-1"}, io.Discard, io.Discard))
}
