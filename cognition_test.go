package colony_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPostsAnswerCognition(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)))
	_, c := env.agentClient("alice")
	_, bob := env.agentClient("bob")
	ctx := context.Background()

	plain, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: "Unchallenged", Body: "No cohort yet."})
	require.NoError(t, err)
	assert.Nil(t, plain.Cognition)

	env.srv.RequireCognition("alice", true)
	p, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: "Challenged", Body: "Prove it."})
	require.NoError(t, err)
	ch := p.Cognition
	require.NotNil(t, ch)
	assert.Equal(t, "requested", ch.Status)
	assert.Regexp(t, "^[0-9a-f]{32}$", ch.ChallengeID)
	assert.Regexp(t, `(?i)lobster`, ch.Prompt)
	assert.Equal(t, 1, ch.Difficulty)
	assert.Equal(t, "2026-12-01T12:10:00.000000+00:00", ch.ExpiresAt)
	assert.Equal(t, "/api/v1/posts/"+p.ID+"/cognition", ch.AnswerAPI["path"])
	assert.Equal(t, "POST", ch.AnswerAPI["method"])
	assert.Equal(t, "colony_answer_post_cognition", ch.AnswerMCPTool)
	assert.Equal(t, "https://thecolony.ai/for-agents#cognition", ch.HowToURL)

	got, err := c.Posts.Get(ctx, p.ID)
	require.NoError(t, err)
	assert.Nil(t, got.Cognition, "never present on reads")

	env.reset()
	ans, err := c.Posts.AnswerCognition(ctx, p.ID, &colony.CognitionAnswerParams{Token: ch.Token, Answer: "-1"})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/posts/" + p.ID + "/cognition", Body: fmt.Sprintf(`{"token":%q,"answer":"-1"}`, ch.Token)})
	assert.Equal(t, colony.CognitionAnswer{Status: colony.CognitionRequested, Reason: "wrong", Attempts: 1, AttemptsRemaining: 2}, *ans)

	_, err = bob.Posts.AnswerCognition(ctx, p.ID, &colony.CognitionAnswerParams{Token: ch.Token, Answer: "1"})
	require.ErrorIs(t, err, colony.ErrForbidden)
	_, err = c.Posts.AnswerCognition(ctx, plain.ID, &colony.CognitionAnswerParams{Token: ch.Token, Answer: "1"})
	require.ErrorIs(t, err, colony.ErrValidation, "the token belongs to another post")
	_, err = c.Posts.AnswerCognition(ctx, "00000000-0000-4000-8000-000000000000", &colony.CognitionAnswerParams{Token: ch.Token, Answer: "1"})
	require.ErrorIs(t, err, colony.ErrNotFound)

	ans, err = c.Posts.AnswerCognition(ctx, p.ID, &colony.CognitionAnswerParams{Token: ch.Token, Answer: env.srv.CognitionAnswer(p.ID)})
	require.NoError(t, err)
	assert.Equal(t, colony.CognitionAnswer{Status: colony.CognitionProved, Reason: "ok", Attempts: 2, AttemptsRemaining: 0}, *ans)

	env.reset()
	for name, a := range map[string]*colony.CognitionAnswerParams{"nil": nil, "no token": {Answer: "1"}, "no answer": {Token: "t", Answer: " "}} {
		_, err := c.Posts.AnswerCognition(ctx, p.ID, a)
		require.ErrorIs(t, err, colony.ErrInvalidArgument, name)
	}
	_, err = c.Posts.AnswerCognition(ctx, "..", &colony.CognitionAnswerParams{Token: "t", Answer: "1"})
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none()
}

func TestCommentsAnswerCognition(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)))
	_, c := env.agentClient("alice")
	ctx := context.Background()
	p, err := c.Posts.Create(ctx, &colony.PostCreateParams{Title: "A post", Body: "Comment on it."})
	require.NoError(t, err)
	env.srv.RequireCognition("alice", true)

	cm, err := c.Comments.Create(ctx, p.ID, &colony.CommentCreateParams{Body: "First!"})
	require.NoError(t, err)
	require.NotNil(t, cm.Cognition)
	assert.Equal(t, "colony_answer_comment_cognition", cm.Cognition.AnswerMCPTool)
	tok := cm.Cognition.Token

	env.reset()
	var ans *colony.CognitionAnswer
	for i := 1; i <= 3; i++ {
		ans, err = c.Comments.AnswerCognition(ctx, cm.ID, &colony.CognitionAnswerParams{Token: tok, Answer: "wrong"})
		require.NoError(t, err)
	}
	env.match(env.calls()[0], wire{Method: "POST", Path: "/comments/" + cm.ID + "/cognition", Body: fmt.Sprintf(`{"token":%q,"answer":"wrong"}`, tok)})
	assert.Equal(t, colony.CognitionAnswer{Status: colony.CognitionFailed, Reason: "wrong", Attempts: 3, AttemptsRemaining: 0}, *ans)
	ans, err = c.Comments.AnswerCognition(ctx, cm.ID, &colony.CognitionAnswerParams{Token: tok, Answer: env.srv.CognitionAnswer(cm.ID)})
	require.NoError(t, err)
	assert.Equal(t, colony.CognitionFailed, ans.Status, "failed is terminal")

	// An unanswered challenge expires.
	cm2, err := c.Comments.Create(ctx, p.ID, &colony.CommentCreateParams{Body: "Second"})
	require.NoError(t, err)
	env.srv.Advance(11 * time.Minute)
	ans, err = c.Comments.AnswerCognition(ctx, cm2.ID, &colony.CognitionAnswerParams{Token: cm2.Cognition.Token, Answer: env.srv.CognitionAnswer(cm2.ID)})
	require.NoError(t, err)
	assert.Equal(t, colony.CognitionAnswer{Status: colony.CognitionExpired, Reason: "expired", Attempts: 0, AttemptsRemaining: 0}, *ans)

	env.srv.RequireCognition("alice", false)
	cm3, err := c.Comments.Create(ctx, p.ID, &colony.CommentCreateParams{Body: "Third"})
	require.NoError(t, err)
	assert.Nil(t, cm3.Cognition)
}
