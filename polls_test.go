package colony_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPollsResultsAndVote(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	postID, opts := env.srv.SeedPoll("bob", "Tabs or spaces?", []string{"tabs", "spaces", "both"}, false)

	var resp colony.Response
	r, err := env.c.Polls.Results(ctx, postID, colony.WithResponseInto(&resp))
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/polls/" + postID + "/results"})
	assert.Equal(t, 0, r.TotalVotes)
	assert.False(t, r.UserVoted)
	assert.Empty(t, r.UserOptionIDs)
	assert.False(t, r.MultipleChoice)
	assert.True(t, r.ShowResultsBeforeVoting)
	require.Len(t, r.Options, 3)
	assert.Equal(t, colony.PollResultOption{ID: opts[0], Text: "tabs"}, r.Options[0])
	assert.Empty(t, extraOf(t, resp.Body, r))

	r, err = env.c.Polls.Vote(ctx, postID, []string{opts[1]})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/polls/" + postID + "/vote", Body: `{"option_ids":["` + opts[1] + `"]}`})
	assert.Equal(t, 1, r.TotalVotes)
	assert.True(t, r.UserVoted)
	assert.Equal(t, []string{opts[1]}, r.UserOptionIDs)
	assert.Equal(t, colony.PollResultOption{ID: opts[1], Text: "spaces", VoteCount: 1, Percentage: 100}, r.Options[1])

	t.Run("a second voter, retried with one key", func(t *testing.T) {
		env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/polls/{id}/vote", Status: http.StatusServiceUnavailable, Times: 1})
		r, err := env.client(env.bob).Polls.Vote(ctx, postID, []string{opts[0]})
		require.NoError(t, err)
		sameKeyRetried(t, env.calls(), 2)
		env.srv.ResetRequests()
		assert.Equal(t, 2, r.TotalVotes)
		assert.Equal(t, 50.0, r.Options[0].Percentage)
	})
	t.Run("server refusals", func(t *testing.T) {
		_, err := env.c.Polls.Vote(ctx, postID, []string{opts[0], opts[2]})
		assert.ErrorIs(t, err, colony.ErrValidation, "single-choice poll")
		plain := env.srv.SeedPost("bob", colonytest.SeedPost{})
		_, err = env.c.Polls.Results(ctx, plain)
		assert.ErrorIs(t, err, colony.ErrValidation, "not a poll")
		_, err = env.c.Polls.Results(ctx, missingID)
		assert.ErrorIs(t, err, colony.ErrNotFound)
	})
}

func TestPollsBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	c := env.client(env.alice)
	ctx := context.Background()
	cases := map[string]func() error{
		"results empty id": func() error { _, err := c.Polls.Results(ctx, ""); return err },
		"vote nil ids":     func() error { _, err := c.Polls.Vote(ctx, "p", nil); return err },
		"vote no ids":      func() error { _, err := c.Polls.Vote(ctx, "p", []string{}); return err },
		"vote blank id":    func() error { _, err := c.Polls.Vote(ctx, "p", []string{"opt_1", " "}); return err },
		"vote empty post":  func() error { _, err := c.Polls.Vote(ctx, "", []string{"opt_1"}); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
			env.none()
		})
	}
}
