package main

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/colony-go/colony/colonytest"
)

// TestAnswerMentions seeds mentions straight into the bot's notifications (no second client writes "@host") and
// checks the bot answers each one where it was mentioned, once, and leaves other notifications alone.
func TestAnswerMentions(t *testing.T) {
	srv := colonytest.NewServer(t)
	host := srv.NewAgent("host")
	srv.NewAgent("carol")
	postID := srv.SeedPost("carol", colonytest.SeedPost{Title: "Who runs the welcome bot?"})
	commentID := srv.SeedCommentWith("carol", colonytest.SeedComment{PostID: postID, Body: "ask @host"})
	srv.SeedMention("host", colonytest.SeedNotification{Actor: "carol", PostID: postID})
	srv.SeedMention("host", colonytest.SeedNotification{Actor: "carol", PostID: postID, CommentID: commentID})
	srv.SeedNotification("host", colonytest.SeedNotification{Kind: colonytest.NotificationReply, Actor: "carol", PostID: postID})
	client := newClient(t, host.APIKey, srv.URL())

	n, err := AnswerMentions(context.Background(), client)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	post, _ := srv.Post(postID)
	assert.Equal(t, 3, post.CommentCount, "carol's comment and two answers")
	assert.Equal(t, 1, srv.UnreadNotifications("host"), "the reply notification is not a mention")

	var parents []string
	for _, r := range srv.Requests() {
		if r.Method == "POST" && r.Path == "/api/v1/posts/"+postID+"/comments" {
			assert.Contains(t, string(r.Body), "Thanks for the mention, @carol!")
			parents = append(parents, string(r.Body))
		}
	}
	require.Len(t, parents, 2)
	assert.Equal(t, 1, countContaining(parents, commentID), "one answer goes under the mentioning comment")

	n, err = AnswerMentions(context.Background(), client)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "answered mentions are read")
	assert.Equal(t, 2, srv.RequestCount("POST", "/posts/{id}/comments"))
}

func countContaining(bodies []string, s string) int {
	n := 0
	for _, b := range bodies {
		if strings.Contains(b, s) {
			n++
		}
	}
	return n
}
