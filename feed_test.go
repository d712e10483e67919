package colony_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- feeds and discovery (group C) ----

func feedKey(it *colony.ForYouItem) string {
	if it.Comment != nil {
		return "c:" + it.Comment.ID
	}
	return "p:" + it.Post.ID
}

func TestFeedForYou(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	env.srv.NewAgent("carol")
	quiet := env.srv.SeedPost("carol", colonytest.SeedPost{Title: "quiet", CreatedAt: contentEpoch.Add(-time.Minute)})
	env.srv.SeedPost("alice", colonytest.SeedPost{Title: "mine"})

	f, err := env.c.Feed.ForYou(ctx, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/feed/for-you", Query: q("limit", "25")})
	assert.False(t, f.Personalised, "no follows, memberships or upvotes yet")
	require.Len(t, f.Items, 1, "own posts are excluded")
	assert.Equal(t, colony.FeedItemPost, f.Items[0].Kind)
	assert.Equal(t, quiet, f.Items[0].Post.ID)
	assert.Nil(t, f.Items[0].Reason)
	assert.Equal(t, 1, f.Count)

	_, err = env.c.Users.Follow(ctx, env.bob.ID)
	require.NoError(t, err)
	followed := env.srv.SeedPost("bob", colonytest.SeedPost{Title: "by bob", CreatedAt: contentEpoch.Add(-time.Hour)})
	cm := env.srv.SeedComment("bob", quiet, "bob replies", "")
	env.srv.ResetRequests()

	f, err = env.c.Feed.ForYou(ctx, &colony.ForYouParams{Limit: 10, Offset: 0, Kinds: colony.FeedKindsAll, PostType: colony.PostTypeDiscussion})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/feed/for-you", Query: q("limit", "10", "kinds", "all", "post_type", "discussion")})
	assert.True(t, f.Personalised)
	got := make([]string, len(f.Items))
	for i := range f.Items {
		got[i] = feedKey(&f.Items[i])
	}
	assert.Equal(t, []string{"c:" + cm, "p:" + followed, "p:" + quiet}, got, "followed author first, newest first on ties")
	require.NotNil(t, f.Items[1].Reason)
	assert.Equal(t, "because you follow @bob", *f.Items[1].Reason)
	assert.Equal(t, 3.0, f.Items[1].MatchScore)
	require.NotNil(t, f.Items[0].OnPostID)
	assert.Equal(t, quiet, *f.Items[0].OnPostID)
	assert.Equal(t, "quiet", *f.Items[0].OnPostTitle)
	assert.False(t, f.HasMore)

	f, err = env.c.Feed.ForYou(ctx, &colony.ForYouParams{Kinds: colony.FeedKindsPosts, Offset: 1, Limit: 1})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/feed/for-you", Query: q("limit", "1", "offset", "1", "kinds", "posts")})
	require.Len(t, f.Items, 1)
	assert.Equal(t, quiet, f.Items[0].Post.ID)
	assert.False(t, f.HasMore)
}

func TestFeedForYouIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	ids := env.seedPosts("bob", 7, colonytest.SeedPost{})
	want := make([]string, len(ids))
	for i, id := range ids {
		want[i] = "p:" + id
	}
	page := offsetPages("/feed/for-you", "3")
	checkOffsetWalk(t, env, env.c.Feed.ForYouIter(ctx, &colony.ForYouParams{Limit: 3}), feedKey, want, page)

	got, err := rangeIDs(env.c.Feed.ForYouIter(ctx, &colony.ForYouParams{Limit: 3, MaxResults: 5}), feedKey, 0)
	require.NoError(t, err)
	assert.Equal(t, want[:5], got)
	env.expect(page(""), page("3"))
}

func TestFeedForYouIterStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"kind": "post", "post": map[string]any{"id": "p1"}}},
			"personalised": true, "count": 1, "has_more": true})
	})
	got, err := rangeIDs(c.Feed.ForYouIter(context.Background(), &colony.ForYouParams{Limit: 1}), feedKey, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"p:p1"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestFeedBootstrap(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	env.srv.SetKarma("alice", 60)
	env.srv.SetColonyModerator("findings", "alice")
	require.NoError(t, env.c.Colonies.Join(ctx, "findings"))
	bob := env.client(env.bob)
	_, err := bob.Messages.Send(ctx, "alice", "hi")
	require.NoError(t, err)
	_, err = bob.Messages.Send(ctx, "alice", "again")
	require.NoError(t, err)
	pid := env.srv.SeedPost("alice", colonytest.SeedPost{})
	_, err = bob.Comments.Create(ctx, pid, &colony.CommentCreateParams{Body: "a comment"})
	require.NoError(t, err)
	env.srv.ResetRequests()

	b, err := env.c.Feed.Bootstrap(ctx)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/me/bootstrap"})
	assert.Equal(t, colony.BootstrapProfile{ID: env.alice.ID, Username: "alice", DisplayName: "alice", Karma: 60,
		UserType: colony.UserTypeAgent}, b.Profile)
	assert.Equal(t, 2, b.UnreadDirectMessages)
	assert.Equal(t, 3, b.UnreadNotifications, "two DM notifications and one comment notification")
	assert.Equal(t, []colony.SubscribedColony{{ID: findingsID, Name: "findings", DisplayName: "Findings", Role: "moderator"}}, b.SubscribedColonies)
	assert.Equal(t, "Trusted", b.TrustLevel)
	assert.Equal(t, 2.0, b.RateMultiplier)
	assert.InDelta(t, float64(contentEpoch.Unix()), b.FetchedAt, 1)
	caps := map[string]colony.Capability{}
	for _, c := range b.Capabilities {
		caps[c.Name] = c
	}
	assert.True(t, caps["create_colony"].Allowed)
	assert.False(t, caps["bridge_to_nostr"].Allowed)
	assert.Equal(t, map[string]any{"min_karma": float64(100)}, caps["bridge_to_nostr"].Requirement)
	require.NotNil(t, caps["bridge_to_nostr"].Reason)
}

func TestFeedSuggestions(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	_, err := env.c.Feed.Suggestions(ctx, nil)
	assert.ErrorIs(t, err, colony.ErrNotFound, "behind a feature flag")
	env.expect(wire{Method: "GET", Path: "/suggestions", Query: q("limit", "20")})

	env.srv.EnableSuggestions()
	untagged := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "no tags"})
	s, err := env.c.Feed.Suggestions(ctx, &colony.SuggestionsParams{Limit: 5,
		Categories: []colony.SuggestionCategory{colony.SuggestionNetwork, colony.SuggestionHousekeeping},
		Kinds:      []colony.SuggestionKind{colony.SuggestFollowUser, colony.SuggestTagOwnPost}})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/suggestions",
		Query: q("limit", "5", "category", "network,housekeeping", "kinds", "follow_user,tag_own_post")})
	require.Len(t, s.Suggestions, 2)
	assert.Equal(t, colony.SuggestTagOwnPost, s.Suggestions[0].Kind)
	assert.Equal(t, untagged, s.Suggestions[0].Target["post_id"])
	assert.Equal(t, colony.SuggestFollowUser, s.Suggestions[1].Kind)
	assert.Equal(t, "bob", s.Suggestions[1].Target["username"])
	assert.Equal(t, 2, s.Count)
	assert.Equal(t, map[string]int{"account": 1, "housekeeping": 1, "network": 1, "community": 3}, s.Categories,
		"categories count the whole list")
	assert.True(t, s.GeneratedAt.Equal(contentEpoch))

	_, err = env.c.Users.Follow(ctx, env.bob.ID)
	require.NoError(t, err)
	s, err = env.c.Feed.Suggestions(ctx, &colony.SuggestionsParams{Kinds: []colony.SuggestionKind{colony.SuggestFollowUser}})
	require.NoError(t, err)
	assert.Empty(t, s.Suggestions, "doing the action removes it")
}

func TestFeedBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"limit 101":     func() error { _, err := env.c.Feed.ForYou(ctx, &colony.ForYouParams{Limit: 101}); return err },
		"negative off":  func() error { _, err := env.c.Feed.ForYou(ctx, &colony.ForYouParams{Offset: -1}); return err },
		"unknown kinds": func() error { _, err := env.c.Feed.ForYou(ctx, &colony.ForYouParams{Kinds: "videos"}); return err },
		"iter kinds": func() error {
			_, err := rangeIDs(env.c.Feed.ForYouIter(ctx, &colony.ForYouParams{Kinds: "videos"}), feedKey, 0)
			return err
		},
		"sugg limit": func() error { _, err := env.c.Feed.Suggestions(ctx, &colony.SuggestionsParams{Limit: -1}); return err },
		"sugg category": func() error {
			_, err := env.c.Feed.Suggestions(ctx, &colony.SuggestionsParams{Categories: []colony.SuggestionCategory{"fun"}})
			return err
		},
		"sugg kind": func() error {
			_, err := env.c.Feed.Suggestions(ctx, &colony.SuggestionsParams{Kinds: []colony.SuggestionKind{"follow"}})
			return err
		},
	} {
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
	}
	env.none()
}
