package colony_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func userName(u *colony.User) string { return u.Username }

func TestUsersByUsername(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	odd := env.srv.NewAgent("odd name/../x", colonytest.WithKarma(33))
	ctx := context.Background()
	env.reset()

	u, err := c.Users.ByUsername(ctx, "odd name/../x")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/by-username/odd%20name%2F..%2Fx"})
	assert.Equal(t, odd.ID, u.ID)
	assert.Equal(t, "odd name/../x", u.Username)
	assert.Equal(t, 33, u.Karma)

	_, err = c.Users.ByUsername(ctx, "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestUsersFollowByUsername(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	bob := env.srv.NewAgent("bob")
	ctx := context.Background()
	env.reset()

	res, err := c.Users.FollowByUsername(ctx, "bob")
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "POST", Path: "/users/by-username/bob/follow"}))
	assert.Equal(t, "following", res.Status)

	following, err := c.Users.Following(ctx, alice.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{bob.ID}, []string{following[0].ID}, "the follow reads back")

	_, err = c.Users.FollowByUsername(ctx, "bob")
	assert.ErrorIs(t, err, colony.ErrConflict, "following twice")
	_, err = c.Users.FollowByUsername(ctx, "alice")
	assert.ErrorIs(t, err, colony.ErrValidation, "following oneself")
	_, err = c.Users.FollowByUsername(ctx, "nobody")
	assert.ErrorIs(t, err, colony.ErrNotFound)

	env.reset()
	require.NoError(t, c.Users.UnfollowByUsername(ctx, "bob"))
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/users/by-username/bob/follow"}))
	following, err = c.Users.Following(ctx, alice.ID, nil)
	require.NoError(t, err)
	assert.Empty(t, following)
	assert.ErrorIs(t, c.Users.UnfollowByUsername(ctx, "bob"), colony.ErrNotFound)
}

func TestUsersFollowersAndFollowing(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	bob, bc := env.agentClient("bob")
	_, cc := env.agentClient("carol")
	ctx := context.Background()
	_, err := bc.Users.Follow(ctx, alice.ID)
	require.NoError(t, err)
	_, err = cc.Users.FollowByUsername(ctx, "alice")
	require.NoError(t, err)
	env.reset()

	fs, err := c.Users.Followers(ctx, alice.ID, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/" + alice.ID + "/followers", Query: url.Values{"limit": {"50"}, "offset": {"0"}}})
	assert.Equal(t, []string{"carol", "bob"}, usernames(fs), "most recent follow first")

	env.reset()
	fs, err = c.Users.Following(ctx, bob.ID, &colony.FollowListParams{Limit: 10, Offset: 0})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/" + bob.ID + "/following", Query: url.Values{"limit": {"10"}, "offset": {"0"}}})
	assert.Equal(t, []string{"alice"}, usernames(fs))
	assert.Equal(t, alice.ID, fs[0].ID)

	env.reset()
	fs, err = c.Users.Followers(ctx, alice.ID, &colony.FollowListParams{Limit: 1, Offset: 1})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/" + alice.ID + "/followers", Query: url.Values{"limit": {"1"}, "offset": {"1"}}})
	assert.Equal(t, []string{"bob"}, usernames(fs))

	_, err = c.Users.Followers(ctx, "00000000-0000-4000-8000-000000000000", nil)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = c.Users.Following(ctx, "not-a-uuid", nil)
	assert.ErrorIs(t, err, colony.ErrValidation)
}

func TestUsersFollowersIter(t *testing.T) {
	env := newSocialEnv(t)
	star, c := env.agentClient("star")
	ctx := context.Background()
	for i := range 7 {
		_, fc := env.agentClient(fmt.Sprintf("f%d", i))
		_, err := fc.Users.Follow(ctx, star.ID)
		require.NoError(t, err)
	}
	env.reset()

	got, err := rangeIDs(c.Users.FollowersIter(ctx, star.ID, &colony.FollowListParams{Limit: 2}), userName, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"f6", "f5", "f4", "f3", "f2", "f1", "f0"}, got)
	calls := env.calls()
	require.Len(t, calls, 4, "the short 4th page ends it: %v", describe(calls))
	for i, r := range calls {
		env.match(r, wire{Method: "GET", Path: "/users/" + star.ID + "/followers",
			Query: url.Values{"limit": {"2"}, "offset": {strconv.Itoa(2 * i)}}})
	}

	t.Run("early break sends nothing more, a new range starts over", func(t *testing.T) {
		env.reset()
		seq := c.Users.FollowersIter(ctx, star.ID, &colony.FollowListParams{Limit: 3})
		for range 2 {
			got, err := rangeIDs(seq, userName, 2)
			require.NoError(t, err)
			assert.Equal(t, []string{"f6", "f5"}, got)
		}
		calls := env.calls()
		require.Len(t, calls, 2)
		assert.Equal(t, "limit=3&offset=0", calls[1].RawQuery)
	})
	t.Run("max results and start offset", func(t *testing.T) {
		env.reset()
		got, err := rangeIDs(c.Users.FollowersIter(ctx, star.ID, &colony.FollowListParams{Limit: 2, Offset: 1, MaxResults: 3}), userName, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"f5", "f4", "f3"}, got)
		assert.Len(t, env.calls(), 2)
	})
	t.Run("following iter walks pages too", func(t *testing.T) {
		_, fan := env.agentClient("fan")
		for i := range 5 {
			_, err := fan.Users.FollowByUsername(ctx, fmt.Sprintf("f%d", i))
			require.NoError(t, err)
		}
		me, err := fan.Users.Me(ctx)
		require.NoError(t, err)
		env.reset()
		got, err := rangeIDs(c.Users.FollowingIter(ctx, me.ID, &colony.FollowListParams{Limit: 2}), userName, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"f4", "f3", "f2", "f1", "f0"}, got)
		assert.Len(t, env.calls(), 3)
	})
}

func TestUsersFollowListIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, []map[string]any{{"id": "u1", "username": "a"}, {"id": "u2", "username": "b"}})
	})
	for _, seq := range []iter.Seq2[*colony.User, error]{
		c.Users.FollowersIter(context.Background(), "x", &colony.FollowListParams{Limit: 2}),
		c.Users.FollowingIter(context.Background(), "x", &colony.FollowListParams{Limit: 2}),
	} {
		calls.Store(0)
		got, err := rangeIDs(seq, func(u *colony.User) string { return u.ID }, 0)
		assert.ErrorIs(t, err, colony.ErrPageStalled)
		assert.Equal(t, []string{"u1", "u2"}, got)
		assert.Equal(t, int32(2), calls.Load())
	}
}

func TestUsersBlock(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	bob, bc := env.agentClient("bob")
	ctx := context.Background()
	env.reset()

	res, err := c.Users.Block(ctx, bob.ID)
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "POST", Path: "/users/" + bob.ID + "/block"}))
	assert.Equal(t, "blocked", res.Status)
	_, err = c.Users.Block(ctx, bob.ID)
	require.NoError(t, err, "blocking again is a no-op")

	env.reset()
	blocked, err := c.Users.Blocked(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/me/blocked"})
	require.Len(t, blocked, 1)
	assert.Equal(t, bob.ID, blocked[0].ID)
	assert.Equal(t, "bob", blocked[0].Username)

	_, err = bc.Messages.Send(ctx, "alice", "hello?")
	assert.ErrorIs(t, err, colony.ErrForbidden, "the blocked user cannot DM the blocker")
	_, err = c.Messages.Send(ctx, "bob", "hello?")
	assert.ErrorIs(t, err, colony.ErrForbidden, "nor the blocker the blocked user")

	env.reset()
	require.NoError(t, c.Users.Unblock(ctx, bob.ID))
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/users/" + bob.ID + "/block"}))
	assert.ErrorIs(t, c.Users.Unblock(ctx, bob.ID), colony.ErrNotFound)
	_, err = bc.Messages.Send(ctx, "alice", "hello again")
	require.NoError(t, err)

	env.reset()
	n := 0
	for u, err := range c.Users.BlockedIter(ctx) {
		require.NoError(t, err)
		n++
		_ = u
	}
	assert.Zero(t, n)
	env.only(wire{Method: "GET", Path: "/users/me/blocked"})
}

func TestUsersStatus(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	st, err := c.Users.Status(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/users/me/status"})
	assert.Nil(t, st.PresenceStatus)
	assert.Nil(t, st.CustomStatusText)

	env.reset()
	st, err = c.Users.SetStatus(ctx, &colony.SetStatusParams{PresenceStatus: colony.Ptr("busy"), CustomStatusText: colony.Ptr("shipping")})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me/status", Body: `{"presence_status":"busy","custom_status_text":"shipping"}`})
	require.NotNil(t, st.PresenceStatus)
	assert.Equal(t, "busy", *st.PresenceStatus)
	assert.Equal(t, "shipping", *st.CustomStatusText)

	env.reset()
	st, err = c.Users.SetStatus(ctx, &colony.SetStatusParams{CustomStatusText: colony.Ptr("")})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me/status", Body: `{"custom_status_text":""}`})
	assert.Equal(t, "busy", *st.PresenceStatus, "fields not sent stay")
	assert.Nil(t, st.CustomStatusText, "\"\" clears")

	env.reset()
	_, err = c.Users.SetStatus(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me/status", Body: `{}`})
	st, err = c.Users.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, "busy", *st.PresenceStatus)

	_, err = c.Users.SetStatus(ctx, &colony.SetStatusParams{PresenceStatus: colony.Ptr(strings.Repeat("x", 100))})
	assert.ErrorIs(t, err, colony.ErrValidation)
}

func TestUsersPresence(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	bob, bc := env.agentClient("bob")
	carol := env.srv.NewAgent("carol")
	ctx := context.Background()
	_, err := bc.Users.Me(ctx) // bob is seen now
	require.NoError(t, err)
	env.reset()

	out, err := c.Users.Presence(ctx, []string{bob.ID, carol.ID})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/users/presence", Body: `{"user_ids":["` + bob.ID + `","` + carol.ID + `"]}`})
	require.Contains(t, out, bob.ID)
	assert.True(t, out[bob.ID].Online)
	seen, ok := out[bob.ID].LastSeen()
	require.True(t, ok)
	assert.WithinDuration(t, env.srv.Now(), seen, time.Minute)
	assert.False(t, out[carol.ID].Online)
	_, ok = out[carol.ID].LastSeen()
	assert.False(t, ok, "never seen")

	env.srv.Advance(10 * time.Minute)
	out, err = c.Users.Presence(ctx, []string{bob.ID})
	require.NoError(t, err)
	assert.False(t, out[bob.ID].Online, "not seen for 10 minutes")

	_, err = c.Users.Presence(ctx, []string{"not-a-uuid"})
	assert.ErrorIs(t, err, colony.ErrValidation)
}

func TestUsersColdBudget(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	ctx := context.Background()
	_, err := c.Messages.Send(ctx, "bob", "cold hello")
	require.NoError(t, err)
	env.reset()

	b, err := c.Users.ColdBudget(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/me/cold-budget"})
	assert.Equal(t, colony.ColdTierL1, b.Tier)
	assert.Equal(t, "Newcomer", b.TierLabel)
	require.Len(t, b.Hourly, 1)
	assert.Equal(t, 3, b.Hourly[0].Cap)
	assert.Equal(t, 2, b.Hourly[0].Remaining)
	assert.Equal(t, 3600, b.Hourly[0].WindowSeconds)
	require.NotNil(t, b.Hourly[0].EarliestSendInWindowAt)
	assert.WithinDuration(t, env.srv.Now(), *b.Hourly[0].EarliestSendInWindowAt, time.Minute)
	require.Len(t, b.Daily, 1)
	assert.Equal(t, 86400, b.Daily[0].WindowSeconds)
	assert.Equal(t, 9, b.Daily[0].Remaining)
	assert.Equal(t, colony.InboxOpen, b.InboxMode)
	assert.Nil(t, b.InboxQuietMinKarma)
	require.NotNil(t, b.NextTier)
	assert.Equal(t, colony.ColdTierL2, b.NextTier.Tier)
	require.NotNil(t, b.NextTier.Requires.Karma)
	assert.Equal(t, 50, *b.NextTier.Requires.Karma)
	require.NotNil(t, b.NextTier.Requires.AccountAgeDays)
	assert.Equal(t, 7, *b.NextTier.Requires.AccountAgeDays)
}

func TestUsersColdBudgetPeers(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.srv.SetKarma("alice", 60)
	env.srv.Advance(8 * 24 * time.Hour) // tier L2: room for more cold DMs
	for i := range 5 {
		env.srv.NewAgent(fmt.Sprintf("p%d", i))
		_, err := c.Messages.Send(ctx, fmt.Sprintf("p%d", i), "hi")
		require.NoError(t, err)
	}
	env.reset()

	pg, err := c.Users.ColdBudgetPeers(ctx, nil)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/me/cold-budget/peers", Query: url.Values{"limit": {"50"}}})
	require.Len(t, pg.Items, 5)
	assert.Nil(t, pg.NextCursor)
	assert.Equal(t, "p0", pg.Items[0].Handle)
	assert.False(t, pg.Items[0].Warm)
	assert.True(t, pg.Items[0].AwaitingReply)
	require.NotNil(t, pg.Items[0].LastOutboundAt)

	env.reset()
	pg, err = c.Users.ColdBudgetPeers(ctx, &colony.ColdPeersParams{Limit: 2})
	require.NoError(t, err)
	require.NotNil(t, pg.NextCursor)
	pg2, err := c.Users.ColdBudgetPeers(ctx, &colony.ColdPeersParams{Limit: 2, Cursor: *pg.NextCursor})
	require.NoError(t, err)
	calls := env.calls()
	require.Len(t, calls, 2)
	env.match(calls[1], wire{Method: "GET", Path: "/me/cold-budget/peers", Query: url.Values{"limit": {"2"}, "cursor": {*pg.NextCursor}}})
	assert.Equal(t, "p2", pg2.Items[0].Handle)

	env.reset()
	var got []string
	for p, err := range c.Users.ColdBudgetPeersIter(ctx, &colony.ColdPeersParams{Limit: 2}) {
		require.NoError(t, err)
		got = append(got, p.Handle)
	}
	assert.Equal(t, []string{"p0", "p1", "p2", "p3", "p4"}, got)
	calls = env.calls()
	require.Len(t, calls, 3)
	assert.Equal(t, "limit=2", calls[0].RawQuery)
	assert.Contains(t, calls[1].RawQuery, "cursor=")
	assert.Contains(t, calls[2].RawQuery, "cursor=")

	env.reset()
	got, err = rangeIDs(c.Users.ColdBudgetPeersIter(ctx, &colony.ColdPeersParams{Limit: 2}), func(p *colony.ColdPeer) string { return p.Handle }, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"p0", "p1", "p2"}, got)
	assert.Len(t, env.calls(), 2, "a break sends nothing more")
}

func TestUsersColdBudgetPeersIterStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"handle": fmt.Sprint("h", n)}}, "next_cursor": "same"})
	})
	got, err := rangeIDs(c.Users.ColdBudgetPeersIter(context.Background(), nil), func(p *colony.ColdPeer) string { return p.Handle }, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"h1"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestUsersSetInboxMode(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	_, bc := env.agentClient("bob")
	ctx := context.Background()
	env.reset()

	in, err := c.Users.SetInboxMode(ctx, &colony.InboxModeParams{Mode: colony.InboxQuiet, QuietMinKarma: colony.Ptr(25)})
	require.NoError(t, err)
	env.only(wire{Method: "PATCH", Path: "/me/inbox", Body: `{"inbox_mode":"quiet","inbox_quiet_min_karma":25}`})
	assert.Equal(t, colony.InboxQuiet, in.InboxMode)
	require.NotNil(t, in.InboxQuietMinKarma)
	assert.Equal(t, 25, *in.InboxQuietMinKarma)
	_, err = bc.Messages.Send(ctx, "alice", "hi")
	assert.ErrorIs(t, err, colony.ErrForbidden, "bob has 10 karma, alice asks for 25")

	env.reset()
	in, err = c.Users.SetInboxMode(ctx, &colony.InboxModeParams{Mode: colony.InboxQuiet})
	require.NoError(t, err)
	env.only(wire{Method: "PATCH", Path: "/me/inbox", Body: `{"inbox_mode":"quiet"}`})
	assert.Equal(t, 10, *in.InboxQuietMinKarma, "server default")
	_, err = bc.Messages.Send(ctx, "alice", "hi")
	require.NoError(t, err)

	in, err = c.Users.SetInboxMode(ctx, &colony.InboxModeParams{Mode: colony.InboxContactsOnly})
	require.NoError(t, err)
	assert.Nil(t, in.InboxQuietMinKarma)
	b, err := c.Users.ColdBudget(ctx)
	require.NoError(t, err)
	assert.Equal(t, colony.InboxContactsOnly, b.InboxMode, "reads back")
}

func TestUsersUpdateFurtherProfileFields(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	u, err := c.Users.Update(ctx, &colony.UserUpdateParams{
		LightningAddress: colony.Ptr("alice@getalby.com"),
		NostrPubkey:      colony.Ptr("ab12"),
		EVMAddress:       colony.Ptr("0x00000000000000000000000000000000000000aa"),
		SocialLinks:      map[string]any{"github": "alice"},
		CurrentModel:     colony.Ptr("claude-opus-4"),
		Harness:          colony.Ptr("colony-go"),
	})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me", Body: `{"lightning_address":"alice@getalby.com","nostr_pubkey":"ab12",
		"evm_address":"0x00000000000000000000000000000000000000aa","social_links":{"github":"alice"},
		"current_model":"claude-opus-4","harness":"colony-go"}`})
	assert.Equal(t, "alice@getalby.com", *u.LightningAddress)
	assert.Equal(t, "ab12", *u.NostrPubkey)
	assert.Equal(t, "0x00000000000000000000000000000000000000aa", *u.EVMAddress)
	assert.Equal(t, map[string]any{"github": "alice"}, u.SocialLinks)
	assert.Equal(t, "claude-opus-4", *u.CurrentModel)
	assert.Equal(t, "colony-go", *u.Harness)

	env.reset()
	u, err = c.Users.Update(ctx, &colony.UserUpdateParams{Harness: colony.Ptr(""), SocialLinks: map[string]any{}})
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/users/me", Body: `{"harness":"","social_links":{}}`})
	assert.Nil(t, u.Harness, "\"\" clears")
	assert.Empty(t, u.SocialLinks)
	me, err := c.Users.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "claude-opus-4", *me.CurrentModel, "reads back")
}

func TestTagsFollow(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	res, err := c.Tags.Follow(ctx, "#Go")
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "POST", Path: "/tags/Go/follow"}))
	assert.Equal(t, colony.TagFollowResult{Tag: "go", Following: true}, *res)

	env.reset()
	res, err = c.Tags.Follow(ctx, "c++/ai")
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/tags/c++%2Fai/follow"})
	assert.Equal(t, "c++/ai", res.Tag)
	_, err = c.Tags.Follow(ctx, "go")
	require.NoError(t, err, "following again is a no-op")

	env.reset()
	tags, err := c.Tags.Following(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/tags/following"})
	require.Len(t, tags, 2)
	assert.Equal(t, "c++/ai", tags[0].TagName)
	assert.Equal(t, "go", tags[1].TagName)
	assert.WithinDuration(t, env.srv.Now(), tags[1].CreatedAt, time.Minute)

	env.reset()
	res, err = c.Tags.Unfollow(ctx, "go")
	require.NoError(t, err)
	bodyless(t, env.only(wire{Method: "DELETE", Path: "/tags/go/follow"}))
	assert.False(t, res.Following)

	env.reset()
	got, err := rangeIDs(c.Tags.FollowingIter(ctx), func(tf *colony.TagFollow) string { return tf.TagName }, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"c++/ai"}, got)
	env.only(wire{Method: "GET", Path: "/tags/following"})
}

func TestPeopleBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	many := make([]string, 201)
	for i := range many {
		many[i] = "id"
	}
	cases := map[string]func() error{
		"by username empty":      func() error { _, err := c.Users.ByUsername(ctx, ""); return err },
		"follow by username dot": func() error { _, err := c.Users.FollowByUsername(ctx, ".."); return err },
		"unfollow by name blank": func() error { return c.Users.UnfollowByUsername(ctx, " ") },
		"followers empty id":     func() error { _, err := c.Users.Followers(ctx, "", nil); return err },
		"followers limit":        func() error { _, err := c.Users.Followers(ctx, "u", &colony.FollowListParams{Limit: 101}); return err },
		"following offset":       func() error { _, err := c.Users.Following(ctx, "u", &colony.FollowListParams{Offset: -1}); return err },
		"following id me":        func() error { _, err := c.Users.Following(ctx, "directory", nil); return err },
		"block empty":            func() error { _, err := c.Users.Block(ctx, ""); return err },
		"unblock ctrl":           func() error { return c.Users.Unblock(ctx, "a\tb") },
		"presence none":          func() error { _, err := c.Users.Presence(ctx, nil); return err },
		"presence too many":      func() error { _, err := c.Users.Presence(ctx, many); return err },
		"presence blank id":      func() error { _, err := c.Users.Presence(ctx, []string{"a", " "}); return err },
		"peers negative limit":   func() error { _, err := c.Users.ColdBudgetPeers(ctx, &colony.ColdPeersParams{Limit: -1}); return err },
		"inbox nil":              func() error { _, err := c.Users.SetInboxMode(ctx, nil); return err },
		"inbox unknown mode":     func() error { _, err := c.Users.SetInboxMode(ctx, &colony.InboxModeParams{Mode: "loud"}); return err },
		"inbox negative karma": func() error {
			_, err := c.Users.SetInboxMode(ctx, &colony.InboxModeParams{Mode: colony.InboxQuiet, QuietMinKarma: colony.Ptr(-1)})
			return err
		},
		"update nothing": func() error { _, err := c.Users.Update(ctx, &colony.UserUpdateParams{}); return err },
		"tag empty":      func() error { _, err := c.Tags.Follow(ctx, "#"); return err },
		"untag blank":    func() error { _, err := c.Tags.Unfollow(ctx, " "); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	iters := map[string]func() error{
		"followers iter": func() error {
			_, err := rangeIDs(c.Users.FollowersIter(ctx, "", nil), userName, 0)
			return err
		},
		"following iter limit": func() error {
			_, err := rangeIDs(c.Users.FollowingIter(ctx, "u", &colony.FollowListParams{Limit: -3}), userName, 0)
			return err
		},
		"peers iter": func() error {
			_, err := rangeIDs(c.Users.ColdBudgetPeersIter(ctx, &colony.ColdPeersParams{MaxResults: -1}), func(p *colony.ColdPeer) string { return p.Handle }, 0)
			return err
		},
	}
	for name, call := range iters {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}
