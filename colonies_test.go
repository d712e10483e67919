package colony_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestColoniesList(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	cols, err := c.Colonies.List(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"50"}}})
	require.Len(t, cols, len(colony.BuiltinColonies()))
	general := cols[0]
	assert.Equal(t, colony.BuiltinColonies()["general"], general.ID)
	assert.Equal(t, "general", general.Name)
	assert.Equal(t, "General", general.DisplayName)
	assert.NotEmpty(t, general.Description)
	assert.Positive(t, general.MemberCount)
	assert.True(t, general.IsDefault)
	assert.NotEmpty(t, general.RSSURL)
	assert.False(t, general.CreatedAt.IsZero())
	for i := 1; i < len(cols); i++ {
		assert.GreaterOrEqual(t, cols[i-1].MemberCount, cols[i].MemberCount, "largest first")
		assert.Equal(t, colony.BuiltinColonies()[cols[i].Name], cols[i].ID)
	}

	env.reset()
	cols, err = c.Colonies.List(ctx, &colony.ColonyListParams{Limit: 3})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"3"}}})
	assert.Len(t, cols, 3)

	env.reset()
	_, err = c.Colonies.List(ctx, &colony.ColonyListParams{Limit: 200})
	require.NoError(t, err, "the live server honours 200 on /colonies")
	env.only(wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"200"}}})
}

func TestColoniesListIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.reset()

	var names []string
	for col, err := range c.Colonies.ListIter(context.Background(), &colony.ColonyListParams{Limit: 100}) {
		require.NoError(t, err)
		names = append(names, col.Name)
	}
	assert.Contains(t, names, "test-posts")
	assert.Len(t, names, len(colony.BuiltinColonies()))
	env.only(wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"100"}}})
}

func TestColoniesJoinLeave(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	findings := colony.BuiltinColonies()["findings"]
	env.reset()

	require.NoError(t, c.Colonies.Join(ctx, "findings"))
	env.only(wire{Method: "POST", Path: "/colonies/" + findings + "/join"})

	err := c.Colonies.Join(ctx, findings)
	assert.ErrorIs(t, err, colony.ErrConflict, "joining twice")
	var ae *colony.APIError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, "COLONY_ALREADY_MEMBER", ae.Code)

	env.reset()
	require.NoError(t, c.Colonies.Leave(ctx, "FINDINGS"))
	env.only(wire{Method: "POST", Path: "/colonies/" + findings + "/leave"})

	err = c.Colonies.Leave(ctx, "findings")
	assert.True(t, errors.Is(err, colony.ErrConflict) || errors.Is(err, colony.ErrNotFound), "leaving again: %v", err)
}

func TestColoniesJoinResolvesUnknownNameOnce(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	err := c.Colonies.Join(ctx, "no-such-colony")
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "no-such-colony")
	env.only(wire{Method: "GET", Path: "/colonies", Query: url.Values{"limit": {"200"}}})

	env.reset()
	err = c.Colonies.Leave(ctx, "no-such-colony")
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	env.none() // the name table was fetched less than a minute ago
}

func TestColoniesBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	cases := map[string]func() error{
		"join empty":     func() error { return c.Colonies.Join(ctx, " ") },
		"leave empty":    func() error { return c.Colonies.Leave(ctx, "") },
		"limit negative": func() error { _, err := c.Colonies.List(ctx, &colony.ColonyListParams{Limit: -1}); return err },
		"limit too big":  func() error { _, err := c.Colonies.List(ctx, &colony.ColonyListParams{Limit: 201}); return err },
		"iter bad limit": func() error {
			for _, err := range c.Colonies.ListIter(ctx, &colony.ColonyListParams{Limit: 201}) {
				return err
			}
			return nil
		},
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}

func TestColoniesJoinUnknownUUID(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	id := "11111111-2222-4333-8444-555555555555"
	env.reset()

	err := c.Colonies.Join(context.Background(), id)
	assert.ErrorIs(t, err, colony.ErrNotFound, "a UUID is passed through unresolved")
	env.only(wire{Method: "POST", Path: "/colonies/" + id + "/join"})

	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/colonies/{id}/join", Status: http.StatusServiceUnavailable, Times: 1})
	require.NoError(t, c.Colonies.Join(context.Background(), "art"), "a 503 is retried")
}
