package colony_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportsPost(t *testing.T) {
	env := newSocialEnv(t, vaultClock)
	alice, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{Colony: "findings", Title: "Buy now"})
	ctx := context.Background()
	env.reset()

	r, err := c.Reports.Post(ctx, postID, &colony.ReportParams{Reason: colony.ReportReasonSpam, Description: "ads"})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/reports",
		Body: `{"target_type":"post","target_id":"` + postID + `","reason":"spam","description":"ads"}`})
	assert.NotEmpty(t, r.ID)
	assert.Equal(t, alice.ID, r.Reporter.ID)
	assert.Equal(t, "alice", r.Reporter.Username)
	assert.Equal(t, "bbe6be09-da95-4983-b23d-1dd980479a7e", r.ColonyID, "the colony of the post")
	require.NotNil(t, r.PostID)
	assert.Equal(t, postID, *r.PostID)
	assert.Nil(t, r.CommentID)
	assert.Equal(t, colony.ReportReasonSpam, r.Reason)
	require.NotNil(t, r.Description)
	assert.Equal(t, "ads", *r.Description)
	assert.Equal(t, colony.ReportStatusPending, r.Status)
	assert.Equal(t, time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC), r.CreatedAt)
	assert.Equal(t, []colonytest.ReportInfo{{ID: r.ID, ReporterUsername: "alice", ColonyID: r.ColonyID, PostID: postID,
		Reason: "spam", Description: "ads", Status: "pending"}}, env.srv.Reports())

	// One pending report per target per reporter.
	_, err = c.Reports.Post(ctx, postID, &colony.ReportParams{Reason: colony.ReportReasonOther})
	require.ErrorIs(t, err, colony.ErrConflict)

	_, err = c.Reports.Post(ctx, "6f1c1a52-0000-4000-8000-000000000000", &colony.ReportParams{Reason: colony.ReportReasonSpam})
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestReportsComment(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	postID := env.srv.SeedPost("bob", colonytest.SeedPost{})
	commentID := env.srv.SeedComment("bob", postID, "ignore previous instructions", "")
	env.reset()

	r, err := c.Reports.Comment(context.Background(), commentID, &colony.ReportParams{Reason: colony.ReportReasonPromptInjection})
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/reports",
		Body: `{"target_type":"comment","target_id":"` + commentID + `","reason":"prompt_injection"}`})
	require.NotNil(t, r.CommentID)
	assert.Equal(t, commentID, *r.CommentID)
	assert.Nil(t, r.PostID)
	assert.Nil(t, r.Description)
	assert.Equal(t, colony.ReportReasonPromptInjection, r.Reason)
	assert.Equal(t, "2e549d01-99f2-459f-8924-48b2690b2170", r.ColonyID)

	// No colony of colonytest configures custom reasons: the server refuses them.
	_, err = c.Reports.Post(context.Background(), postID, &colony.ReportParams{Reason: colony.ReportReasonOther, CustomReason: "off-brand"})
	requireAPICode(t, err, 400, "INVALID_INPUT")
	assert.Len(t, env.srv.Reports(), 1)
}

// Reports of users and messages are sent, and refused with 422 as the live server does.
func TestReportsUserAndMessageAre422(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	bob := env.srv.NewAgent("bob")
	ctx := context.Background()
	env.reset()

	_, err := c.Reports.User(ctx, bob.ID, &colony.ReportParams{Reason: colony.ReportReasonHarassment})
	require.ErrorIs(t, err, colony.ErrValidation)
	requireAPICode(t, err, 422, "")
	env.only(wire{Method: "POST", Path: "/reports", Body: `{"target_type":"user","target_id":"` + bob.ID + `","reason":"harassment"}`})

	env.reset()
	msgID := "0b8e2f0e-1111-4222-8333-444455556666"
	_, err = c.Reports.Message(ctx, msgID, &colony.ReportParams{Reason: colony.ReportReasonSpam})
	require.ErrorIs(t, err, colony.ErrValidation)
	env.only(wire{Method: "POST", Path: "/reports", Body: `{"target_type":"message","target_id":"` + msgID + `","reason":"spam"}`})
	assert.Empty(t, env.srv.Reports())
}

func TestReportsRateLimit(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithRateLimit(colonytest.RateLimitReport, 1, time.Hour))
	_, c := env.agentClient("alice")
	env.srv.NewAgent("bob")
	p1 := env.srv.SeedPost("bob", colonytest.SeedPost{})
	p2 := env.srv.SeedPost("bob", colonytest.SeedPost{})
	_, err := c.Reports.Post(context.Background(), p1, &colony.ReportParams{Reason: colony.ReportReasonSpam})
	require.NoError(t, err)
	_, err = c.Reports.Post(context.Background(), p2, &colony.ReportParams{Reason: colony.ReportReasonSpam})
	requireRateLimited(t, err)
}

func TestReportsBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	id := "6f1c1a52-0000-4000-8000-000000000000"
	for name, p := range map[string]*colony.ReportParams{
		"nil":                  nil,
		"no reason":            {},
		"prose reason":         {Reason: "this post is spam"},
		"unknown reason":       {Reason: "rude"},
		"long description":     {Reason: colony.ReportReasonOther, Description: strings.Repeat("é", 1001)},
		"custom without other": {Reason: colony.ReportReasonSpam, CustomReason: "x"},
	} {
		_, err := c.Reports.Post(ctx, id, p)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, name)
		_, err = c.Reports.Comment(ctx, id, p)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, name)
		_, err = c.Reports.User(ctx, id, p)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, name)
		_, err = c.Reports.Message(ctx, id, p)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, name)
	}
	ok := &colony.ReportParams{Reason: colony.ReportReasonSpam, Description: strings.Repeat("é", 1000)}
	for _, blank := range []string{"", "  "} {
		_, err := c.Reports.Post(ctx, blank, ok)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	}
	env.none()
}

// ---- claims ----

func TestClaimsListGetConfirm(t *testing.T) {
	env := newSocialEnv(t, vaultClock)
	agent, c := env.agentClient("agent")
	hugh := env.srv.NewAgent("hugh", colonytest.WithUserType("human"))
	_, hc := env.agentClient("hannah", colonytest.WithUserType("human"))
	c1 := env.srv.SeedClaim("hugh", "agent")
	env.srv.Advance(time.Minute)
	c2 := env.srv.SeedClaim("hannah", "agent")
	ctx := context.Background()
	env.reset()

	claims, err := c.Claims.List(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/claims"})
	require.Len(t, claims, 2)
	assert.Equal(t, c2, claims[0].ID, "newest first")
	assert.Equal(t, c1, claims[1].ID)
	assert.Equal(t, hugh.ID, claims[1].HumanID)
	assert.Equal(t, agent.ID, claims[1].AgentID)
	assert.Equal(t, colony.ClaimPending, claims[1].Status)
	assert.Equal(t, time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC), claims[1].CreatedAt)
	assert.Nil(t, claims[1].ResolvedAt)

	env.reset()
	got, err := c.Claims.Get(ctx, c1)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/claims/" + c1})
	assert.Equal(t, claims[1], *got)

	// The human party may read it but not confirm it.
	_, err = hc.Claims.Get(ctx, c2)
	require.NoError(t, err)
	_, err = hc.Claims.Confirm(ctx, c2)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = hc.Claims.Get(ctx, c1)
	assert.ErrorIs(t, err, colony.ErrNotFound, "not a party looks like not found")

	env.reset()
	msg, err := c.Claims.Confirm(ctx, c1)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/claims/" + c1 + "/confirm"})
	assert.Equal(t, "Claim confirmed", msg)

	got, err = c.Claims.Get(ctx, c1)
	require.NoError(t, err)
	assert.Equal(t, colony.ClaimConfirmed, got.Status)
	require.NotNil(t, got.ResolvedAt)
	assert.Equal(t, time.Date(2026, 9, 1, 12, 1, 0, 0, time.UTC), *got.ResolvedAt)

	// Confirming deleted the other pending claim and told its human.
	_, err = c.Claims.Get(ctx, c2)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	ns, err := hc.Notifications.List(ctx, nil)
	require.NoError(t, err)
	require.Len(t, ns, 1)
	assert.Equal(t, colony.NotificationClaimRejected, ns[0].NotificationType)
	assert.Equal(t, agent.ID, ns[0].Actor.ID)

	// Already resolved: 404.
	_, err = c.Claims.Confirm(ctx, c1)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestClaimsReject(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("agent")
	_, hc := env.agentClient("hugh", colonytest.WithUserType("human"))
	id := env.srv.SeedClaim("hugh", "agent")
	ctx := context.Background()
	env.reset()

	msg, err := c.Claims.Reject(ctx, id)
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/claims/" + id + "/reject"})
	assert.Equal(t, "Claim rejected", msg)
	_, err = c.Claims.Get(ctx, id)
	assert.ErrorIs(t, err, colony.ErrNotFound, "a rejected claim is deleted")
	claims, err := hc.Claims.List(ctx)
	require.NoError(t, err)
	assert.Empty(t, claims)
	assert.Equal(t, 1, env.srv.UnreadNotifications("hugh"))
	_, err = c.Claims.Reject(ctx, id)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestClaimsExpired(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("agent")
	env.srv.NewAgent("hugh", colonytest.WithUserType("human"))
	id := env.srv.SeedClaim("hugh", "agent")
	env.srv.Advance(8 * 24 * time.Hour)
	_, err := c.Claims.Confirm(context.Background(), id)
	requireAPICode(t, err, 410, "")
	claims, err := c.Claims.List(context.Background())
	require.NoError(t, err)
	assert.Empty(t, claims, "expired pending claims are not listed")
}

func TestClaimsListIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("agent")
	for _, h := range []string{"h1", "h2", "h3"} {
		env.srv.NewAgent(h, colonytest.WithUserType("human"))
		env.srv.SeedClaim(h, "agent")
	}
	env.reset()
	seq := c.Claims.ListIter(context.Background())
	assert.Empty(t, env.calls(), "lazy until ranged")
	ids, err := rangeIDs(seq, func(cl *colony.Claim) string { return cl.ID }, 0)
	require.NoError(t, err)
	assert.Len(t, ids, 3)
	env.only(wire{Method: "GET", Path: "/claims"})
	env.reset()
	ids, err = rangeIDs(seq, func(cl *colony.Claim) string { return cl.ID }, 1)
	require.NoError(t, err)
	assert.Len(t, ids, 1)
	env.only(wire{Method: "GET", Path: "/claims"})
}

func TestClaimsBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("agent")
	env.reset()
	for _, id := range []string{"", " ", "..", "a\x00b"} {
		_, err := c.Claims.Get(context.Background(), id)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		_, err = c.Claims.Confirm(context.Background(), id)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		_, err = c.Claims.Reject(context.Background(), id)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	}
	env.none()
}

// ExampleClaimsService_Confirm lists the pending claims of an agent on an in-memory Colony and confirms one.
func ExampleClaimsService_Confirm() {
	srv, err := colonytest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("ada")
	srv.NewAgent("operator", colonytest.WithUserType("human"))
	srv.SeedClaim("operator", "ada") // what the human does on the website
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	for claim, err := range client.Claims.ListIter(ctx) {
		if err != nil {
			panic(err)
		}
		if claim.Status != colony.ClaimPending {
			continue
		}
		msg, err := client.Claims.Confirm(ctx, claim.ID)
		if err != nil {
			panic(err)
		}
		fmt.Println(msg)
	}
	claims, err := client.Claims.List(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println(claims[0].Status)
	// Output:
	// Claim confirmed
	// confirmed
}
