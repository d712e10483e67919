package colony_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestModerationPermissions checks each role-gated resource for the four roles: the
// founder (owner), a moderator, a member and an outsider.
func TestModerationPermissions(t *testing.T) {
	type role int
	const (
		owner role = iota
		mod
		member
		outsider
	)
	cases := []struct {
		name    string
		allowed []role
		call    func(e *modEnv, c *colony.Client, r role) error
	}{
		{"ListMembers", []role{owner, mod, member, outsider}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListMembers(e.ctx, e.colony, nil)
			return err
		}},
		{"ListPostFlairs", []role{owner, mod, member, outsider}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListPostFlairs(e.ctx, e.colony)
			return err
		}},
		{"MyBanStatus", []role{owner, mod, member, outsider}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.MyBanStatus(e.ctx, e.colony)
			return err
		}},
		{"ListBans", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListBans(e.ctx, e.colony, nil)
			return err
		}},
		{"ListAppeals", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListAppeals(e.ctx, e.colony)
			return err
		}},
		{"ListAutomodRules", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListAutomodRules(e.ctx, e.colony)
			return err
		}},
		{"ListRemovalReasons", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListRemovalReasons(e.ctx, e.colony)
			return err
		}},
		{"Queue", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.Queue(e.ctx, e.colony, nil)
			return err
		}},
		{"ListModmail", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListModmail(e.ctx, e.colony)
			return err
		}},
		{"Activity", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.Activity(e.ctx, e.colony, 7)
			return err
		}},
		{"ListNotes", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListNotes(e.ctx, e.colony, e.memberA.ID)
			return err
		}},
		{"ListStrikes", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ListStrikes(e.ctx, e.colony, e.memberA.ID)
			return err
		}},
		{"MemberHistory", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.MemberHistory(e.ctx, e.colony, e.memberA.ID)
			return err
		}},
		{"UpdateSettings", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{WelcomeMessage: ptr("hi")})
			return err
		}},
		{"CreatePostFlair", []role{owner, mod}, func(e *modEnv, c *colony.Client, r role) error {
			_, err := c.Moderation.CreatePostFlair(e.ctx, e.colony, colony.FlairParams{Label: "flair " + string(rune('a'+r))})
			return err
		}},
		{"CreateUserFlair (can_manage_flair)", []role{owner}, func(e *modEnv, c *colony.Client, r role) error {
			_, err := c.Moderation.CreateUserFlair(e.ctx, e.colony, colony.FlairParams{Label: "tpl " + string(rune('a'+r))})
			return err
		}},
		{"Ban", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.Ban(e.ctx, e.colony, e.outsiderA.ID, nil)
			return err
		}},
		{"IssueStrike", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.IssueStrike(e.ctx, e.colony, e.memberA.ID, colony.StrikeParams{Reason: "r"})
			return err
		}},
		{"AddNote", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.AddNote(e.ctx, e.colony, e.memberA.ID, "n")
			return err
		}},
		{"CreateAutomodRule", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.CreateAutomodRule(e.ctx, e.colony, rule("r", ""))
			return err
		}},
		{"CreateRemovalReason", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.CreateRemovalReason(e.ctx, e.colony, "l", "b", 0)
			return err
		}},
		{"Promote", []role{owner, mod}, func(e *modEnv, c *colony.Client, r role) error {
			a, joiner := e.agentClient("joiner" + string(rune('a'+r)))
			if err := joiner.Colonies.Join(e.ctx, e.colony); err != nil {
				return err
			}
			return c.Moderation.Promote(e.ctx, e.colony, a.ID)
		}},
		{"MovePostOut", []role{owner, mod}, func(e *modEnv, c *colony.Client, _ role) error {
			p, err := e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "t", Body: "b", Colony: e.colony})
			if err != nil {
				return err
			}
			_, err = c.Colonies.MovePostOut(e.ctx, e.colony, p.ID)
			return err
		}},
		{"ModInvitations (managers)", []role{owner}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Colonies.ModInvitations(e.ctx, e.colony)
			return err
		}},
		{"DeletionRequest (founder)", []role{owner}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.DeletionRequest(e.ctx, e.colony)
			return err
		}},
		{"ProposeTransfer (founder)", []role{owner}, func(e *modEnv, c *colony.Client, _ role) error {
			_, err := c.Moderation.ProposeTransfer(e.ctx, e.colony, "mona")
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newModEnv(t)
			clients := []*colony.Client{e.owner, e.mod, e.member, e.outsider}
			for r, c := range clients {
				err := tc.call(e, c, role(r))
				want := false
				for _, a := range tc.allowed {
					want = want || a == role(r)
				}
				if want {
					assert.NoError(t, err, "role %d", r)
				} else {
					assert.ErrorIs(t, err, colony.ErrForbidden, "role %d", r)
				}
			}
		})
	}
}

// TestModerationForbiddenDetail checks the live 403 body of a mod-only route reaches the error.
func TestModerationForbiddenDetail(t *testing.T) {
	e := newModEnv(t)
	_, err := e.member.Moderation.ListBans(e.ctx, e.colony, nil)
	var apiErr *colony.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusForbidden, apiErr.StatusCode)
	assert.Contains(t, apiErr.Error(), "Moderator access required")
}

func TestModerationBadInputSendsNothing(t *testing.T) {
	e := newModEnv(t)
	m, cs := e.mod.Moderation, e.mod.Colonies
	ctx, col, uid := e.ctx, e.colony, e.memberA.ID
	long := strings.Repeat("x", 2001)
	cases := map[string]func() error{
		"empty colony":        func() error { _, err := m.ListBans(ctx, " ", nil); return err },
		"empty user id":       func() error { _, err := m.Ban(ctx, col, "", nil); return err },
		"dot user id":         func() error { return m.Unban(ctx, col, "..") },
		"reserved rule id":    func() error { return m.DeleteAutomodRule(ctx, col, "order") },
		"ban 2 days":          func() error { _, err := m.Ban(ctx, col, uid, &colony.BanParams{Duration: 2}); return err },
		"ban reason too long": func() error { _, err := m.Ban(ctx, col, uid, &colony.BanParams{Reason: long}); return err },
		"bans limit 501":      func() error { _, err := m.ListBans(ctx, col, &colony.BanListParams{Limit: 501}); return err },
		"members bad role":    func() error { _, err := m.ListMembers(ctx, col, &colony.MemberListParams{Role: "owner"}); return err },
		"members negative":    func() error { _, err := m.ListMembers(ctx, col, &colony.MemberListParams{Offset: -1}); return err },
		"blank appeal":        func() error { _, err := m.SubmitAppeal(ctx, col, "  "); return err },
		"appeal too long":     func() error { _, err := m.SubmitAppeal(ctx, col, long); return err },
		"appeal note too long": func() error {
			_, err := m.ResolveAppeal(ctx, col, "a1", &colony.ResolveAppealParams{Note: long[:1001]})
			return err
		},
		"blank strike reason": func() error { _, err := m.IssueStrike(ctx, col, uid, colony.StrikeParams{}); return err },
		"strike bad severity": func() error {
			_, err := m.IssueStrike(ctx, col, uid, colony.StrikeParams{Reason: "r", Severity: "huge"})
			return err
		},
		"blank note":     func() error { _, err := m.AddNote(ctx, col, uid, ""); return err },
		"blank template": func() error { _, err := m.AssignFlair(ctx, col, uid, " "); return err },
		"empty settings": func() error { _, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{}); return err },
		"nil settings":   func() error { _, err := m.UpdateSettings(ctx, col, nil); return err },
		"bad sort": func() error {
			_, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{DefaultSort: ptr(colony.ColonySort("old"))})
			return err
		},
		"bad accent": func() error {
			_, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{AccentColor: ptr("red")})
			return err
		},
		"undo window 301": func() error {
			_, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{UndoWindowSeconds: ptr(301)})
			return err
		},
		"strike threshold 0": func() error {
			_, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{StrikeThreshold: ptr(0)})
			return err
		},
		"bad strike action": func() error {
			_, err := m.UpdateSettings(ctx, col, &colony.ColonySettingsParams{StrikeAction: ptr(colony.StrikeAction("kick"))})
			return err
		},
		"blank recipient":       func() error { _, err := m.ProposeTransfer(ctx, col, ""); return err },
		"empty transfer id":     func() error { _, err := m.AcceptTransfer(ctx, ""); return err },
		"blank deletion reason": func() error { _, err := m.FileDeletionRequest(ctx, col, ""); return err },
		"negative window":       func() error { _, err := m.Activity(ctx, col, -1); return err },
		"blank modmail":         func() error { _, err := m.OpenModmail(ctx, col, "\n"); return err },
		"rule without name":     func() error { _, err := m.CreateAutomodRule(ctx, col, colony.AutomodRuleParams{}); return err },
		"rule name too long":    func() error { _, err := m.CreateAutomodRule(ctx, col, rule(strings.Repeat("n", 121), "")); return err },
		"rule bad scope":        func() error { _, err := m.DryRunAutomodRule(ctx, col, rule("n", "all")); return err },
		"rule no triggers": func() error {
			_, err := m.CreateAutomodRule(ctx, col, colony.AutomodRuleParams{Name: "n", Actions: map[string]any{"remove": true}})
			return err
		},
		"empty rule update": func() error { _, err := m.UpdateAutomodRule(ctx, col, "r1", &colony.AutomodRuleUpdate{}); return err },
		"rule update bad scope": func() error {
			_, err := m.UpdateAutomodRule(ctx, col, "r1", &colony.AutomodRuleUpdate{Scope: ptr(colony.AutomodScope("x"))})
			return err
		},
		"reorder empty":     func() error { _, err := m.ReorderAutomodRules(ctx, col, nil); return err },
		"reorder duplicate": func() error { _, err := m.ReorderAutomodRules(ctx, col, []string{"a", "a"}); return err },
		"flair blank label": func() error { _, err := m.CreatePostFlair(ctx, col, colony.FlairParams{}); return err },
		"flair bad colour": func() error {
			_, err := m.CreateUserFlair(ctx, col, colony.FlairParams{Label: "l", TextColor: "#fff"})
			return err
		},
		"flair negative": func() error {
			_, err := m.CreatePostFlair(ctx, col, colony.FlairParams{Label: "l", Position: -1})
			return err
		},
		"reason blank body":  func() error { _, err := m.CreateRemovalReason(ctx, col, "l", "", 0); return err },
		"queue page size 51": func() error { _, err := m.Queue(ctx, col, &colony.ModQueueParams{PageSize: 51}); return err },
		"queue bad source":   func() error { _, err := m.Queue(ctx, col, &colony.ModQueueParams{Source: "reports"}); return err },
		"queue bad status":   func() error { _, err := m.Queue(ctx, col, &colony.ModQueueParams{Status: "closed"}); return err },
		"queue bad action":   func() error { _, err := m.ActOnQueue(ctx, col, qa(colony.QueueOpenReport, "nuke", 0)); return err },
		"ban_author no days": func() error {
			_, err := m.ActOnQueue(ctx, col, qa(colony.QueueOpenReport, colony.QueueBanAuthor, 0))
			return err
		},
		"days without ban": func() error {
			_, err := m.ActOnQueue(ctx, col, qa(colony.QueueOpenReport, colony.QueueRemove, 7))
			return err
		},
		"ban_author 14 days": func() error {
			_, err := m.ActOnQueue(ctx, col, qa(colony.QueueOpenReport, colony.QueueBanAuthor, 14))
			return err
		},
		"bulk empty":    func() error { _, err := m.ActOnQueueBulk(ctx, col, colony.ModQueueBulkParams{}); return err },
		"bulk bad item": func() error { _, err := m.ActOnQueueBulk(ctx, col, bulk(qa("x", colony.QueueRemove, 0))); return err },
		"bulk 101": func() error {
			_, err := m.ActOnQueueBulk(ctx, col, bulk(make([]colony.ModQueueActionParams, 101)...))
			return err
		},
		"create blank name": func() error { _, err := cs.Create(ctx, colony.ColonyCreateParams{DisplayName: "d"}); return err },
		"create bad type": func() error {
			_, err := cs.Create(ctx, colony.ColonyCreateParams{Name: "n", DisplayName: "d", CommunityType: "secret"})
			return err
		},
		"invite blank username": func() error { _, err := cs.InviteModerator(ctx, col, colony.ModInviteParams{}); return err },
		"invite bad role": func() error {
			_, err := cs.InviteModerator(ctx, col, colony.ModInviteParams{InviteeUsername: "u", RoleOffered: "member"})
			return err
		},
		"accept empty invite id": func() error { _, err := cs.AcceptModInvitation(ctx, ""); return err },
		"move-out empty post":    func() error { _, err := cs.MovePostOut(ctx, col, ""); return err },
		"unknown colony name":    func() error { _, err := m.ListAppeals(ctx, "nowhere-yet"); return err },
	}
	// The unknown name makes the one lookup GET /colonies; every other case must send nothing.
	_, err := m.ListAppeals(ctx, "nowhere-yet")
	require.ErrorIs(t, err, colony.ErrInvalidArgument)
	for name, f := range cases {
		e.srv.ResetRequests()
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
		assert.Empty(t, e.srv.Requests(), name)
	}
}

func rule(name string, scope colony.AutomodScope) colony.AutomodRuleParams {
	return colony.AutomodRuleParams{Name: name, Scope: scope, Triggers: map[string]any{"keywords": []string{"k"}}, Actions: map[string]any{"remove": true}}
}

func qa(kind colony.ModQueueSource, action colony.ModQueueAction, days colony.BanDuration) colony.ModQueueActionParams {
	return colony.ModQueueActionParams{SourceKind: kind, SourceID: "00000000-0000-0000-0000-000000000001", Action: action, BanDays: days}
}

func bulk(items ...colony.ModQueueActionParams) colony.ModQueueBulkParams {
	return colony.ModQueueBulkParams{Items: items}
}

// drain ranges over seq, stopping after stop items (0 = all), and returns the keys seen.
func drain[T any](seq iter.Seq2[*T, error], key func(*T) string, stop int) ([]string, error) {
	var out []string
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, key(v))
		if stop > 0 && len(out) == stop {
			break
		}
	}
	return out, nil
}

func TestModerationListBansIter(t *testing.T) {
	e := newModEnv(t)
	var want []string
	for _, name := range []string{"b1", "b2", "b3", "b4", "b5"} {
		a := e.srv.NewAgent(name)
		_, err := e.mod.Moderation.Ban(e.ctx, e.colony, a.ID, nil)
		require.NoError(t, err)
		want = append([]string{a.ID}, want...) // newest first
		e.srv.Advance(1e9)
	}
	e.reset()
	seq := e.mod.Moderation.ListBansIter(e.ctx, e.colony, &colony.BanListParams{Limit: 2})
	assert.Empty(t, e.calls(), "lazy")
	got, err := drain(seq, func(b *colony.ColonyBan) string { return b.UserID }, 0)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	calls := e.calls()
	require.Len(t, calls, 3, describe(calls))
	for i, off := range []string{"", "2", "4"} {
		q := wireQuery("limit", "2")
		if off != "" {
			q.Set("offset", off)
		}
		e.match(calls[i], wire{Method: "GET", Path: e.col("/bans"), Query: q})
	}

	e.reset()
	got, err = drain(seq, func(b *colony.ColonyBan) string { return b.UserID }, 3)
	require.NoError(t, err)
	assert.Equal(t, want[:3], got, "a second range starts again")
	assert.Len(t, e.calls(), 2, "break sends nothing more")
}

func TestModerationListMembersIter(t *testing.T) {
	e := newModEnv(t)
	for _, name := range []string{"m1", "m2", "m3"} {
		_, c := e.agentClient(name)
		require.NoError(t, c.Colonies.Join(e.ctx, e.colony))
		e.srv.Advance(1e9)
	}
	e.reset()
	got, err := drain(e.outsider.Moderation.ListMembersIter(e.ctx, e.colony, &colony.MemberListParams{Limit: 2, Offset: 1}),
		func(m *colony.ColonyMember) string { return m.Username }, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"mona", "mike", "m1", "m2", "m3"}, got)
	calls := e.calls()
	require.Len(t, calls, 3, describe(calls))
	for i, off := range []string{"1", "3", "5"} {
		e.match(calls[i], wire{Method: "GET", Path: e.col("/members"), Query: wireQuery("limit", "2", "offset", off)})
	}
	e.reset()
	got, err = drain(e.outsider.Moderation.ListMembersIter(e.ctx, e.colony, &colony.MemberListParams{Limit: 2, MaxResults: 3}),
		func(m *colony.ColonyMember) string { return m.Username }, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"olivia", "mona", "mike"}, got)
	assert.Len(t, e.calls(), 2, "MaxResults stops fetching")

	e.reset()
	_, err = drain(e.outsider.Moderation.ListMembersIter(e.ctx, e.colony, &colony.MemberListParams{Limit: 600}),
		func(m *colony.ColonyMember) string { return m.Username }, 0)
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	e.none()
}

func TestModerationQueueIter(t *testing.T) {
	e := newModEnv(t)
	posts := e.queuePosts(t, 5)
	seq := e.mod.Moderation.QueueIter(e.ctx, e.colony, &colony.ModQueueParams{PageSize: 2, Sort: colony.QueueOldest})
	got, err := drain(seq, func(it *colony.ModQueueItem) string { return it.TargetID }, 0)
	require.NoError(t, err)
	assert.Equal(t, posts, got)
	calls := e.calls()
	require.Len(t, calls, 3, describe(calls))
	for i, pg := range []string{"1", "2", "3"} {
		e.match(calls[i], wire{Method: "GET", Path: e.col("/queue"),
			Query: wireQuery("page", pg, "page_size", "2", "sort", "oldest", "queue_status", "open")})
	}
	e.reset()
	got, err = drain(seq, func(it *colony.ModQueueItem) string { return it.TargetID }, 2)
	require.NoError(t, err)
	assert.Equal(t, posts[:2], got)
	assert.Len(t, e.calls(), 1, "break after the first page sends nothing more")
}

func wireQuery(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		q[kv[i]] = []string{kv[i+1]}
	}
	return q
}

// TestModerationPagedItersStall checks that a server repeating a page ends each paged
// iterator with ErrPageStalled instead of looping.
func TestModerationPagedItersStall(t *testing.T) {
	const col = "2e549d01-99f2-459f-8924-48b2690b2170"
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch {
		case strings.HasSuffix(r.URL.Path, "/queue"):
			writeContentJSON(w, map[string]any{"items": []map[string]any{{"source_kind": "pending_post", "source_id": "s1"},
				{"source_kind": "pending_post", "source_id": "s2"}}, "total": 100, "page": 1, "page_size": 2})
		default:
			writeContentJSON(w, []map[string]any{{"user_id": "u1"}, {"user_id": "u2"}})
		}
	})
	cases := map[string]func() ([]string, error){
		"bans": func() ([]string, error) {
			return drain(c.Moderation.ListBansIter(context.Background(), col, &colony.BanListParams{Limit: 2}), func(b *colony.ColonyBan) string { return b.UserID }, 0)
		},
		"members": func() ([]string, error) {
			return drain(c.Moderation.ListMembersIter(context.Background(), col, &colony.MemberListParams{Limit: 2}), func(m *colony.ColonyMember) string { return m.UserID }, 0)
		},
		"queue": func() ([]string, error) {
			return drain(c.Moderation.QueueIter(context.Background(), col, &colony.ModQueueParams{PageSize: 2}), func(it *colony.ModQueueItem) string { return it.SourceID }, 0)
		},
	}
	for name, f := range cases {
		calls.Store(0)
		got, err := f()
		assert.ErrorIs(t, err, colony.ErrPageStalled, name)
		assert.Len(t, got, 2, name)
		assert.Equal(t, int32(2), calls.Load(), name)
	}
}

// TestModerationSingleRequestIters checks the iterators over unpaged lists: one
// request per range, every item, nothing more after a break, and errors yielded once.
func TestModerationSingleRequestIters(t *testing.T) {
	e := newModEnv(t)
	_, err := e.mod.Moderation.CreatePostFlair(e.ctx, e.colony, colony.FlairParams{Label: "A"})
	require.NoError(t, err)
	_, err = e.mod.Moderation.CreatePostFlair(e.ctx, e.colony, colony.FlairParams{Label: "B"})
	require.NoError(t, err)
	for _, label := range []string{"T1", "T2"} {
		_, err = e.owner.Moderation.CreateUserFlair(e.ctx, e.colony, colony.FlairParams{Label: label})
		require.NoError(t, err)
	}
	for _, label := range []string{"R1", "R2"} {
		_, err = e.mod.Moderation.CreateRemovalReason(e.ctx, e.colony, label, "b", 0)
		require.NoError(t, err)
	}
	for _, n := range []string{"x", "y"} {
		_, err = e.mod.Moderation.CreateAutomodRule(e.ctx, e.colony, rule(n, ""))
		require.NoError(t, err)
		_, err = e.mod.Moderation.AddNote(e.ctx, e.colony, e.memberA.ID, n)
		require.NoError(t, err)
		_, err = e.mod.Moderation.IssueStrike(e.ctx, e.colony, e.memberA.ID, colony.StrikeParams{Reason: n})
		require.NoError(t, err)
	}
	for _, who := range []string{"mike", "otto"} {
		_, err = e.owner.Colonies.InviteModerator(e.ctx, e.colony, colony.ModInviteParams{InviteeUsername: who})
		require.NoError(t, err)
	}
	for _, c := range []*colony.Client{e.member, e.outsider} {
		_, err = c.Moderation.OpenModmail(e.ctx, e.colony, "hello")
		require.NoError(t, err)
	}
	for _, a := range []string{"ap1", "ap2"} {
		ag, c := e.agentClient(a)
		_, err = e.mod.Moderation.Ban(e.ctx, e.colony, ag.ID, nil)
		require.NoError(t, err)
		_, err = c.Moderation.SubmitAppeal(e.ctx, e.colony, "sorry")
		require.NoError(t, err)
	}
	m, col, uid := e.mod.Moderation, e.colony, e.memberA.ID
	count := func(seq func(yield func(any, error) bool)) (int, error) {
		n := 0
		for _, err := range seq {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	cases := map[string]struct {
		path string
		seq  func(yield func(any, error) bool)
	}{
		"post flairs":     {e.col("/post-flairs"), anySeq(m.ListPostFlairsIter(e.ctx, col))},
		"user flairs":     {e.col("/user-flairs"), anySeq(m.ListUserFlairsIter(e.ctx, col))},
		"removal reasons": {e.col("/removal-reasons"), anySeq(m.ListRemovalReasonsIter(e.ctx, col))},
		"automod rules":   {e.col("/automod-rules"), anySeq(m.ListAutomodRulesIter(e.ctx, col))},
		"notes":           {e.col("/members/" + uid + "/notes"), anySeq(m.ListNotesIter(e.ctx, col, uid))},
		"strikes":         {e.col("/members/" + uid + "/strikes"), anySeq(m.ListStrikesIter(e.ctx, col, uid))},
		"modmail":         {e.col("/modmail"), anySeq(m.ListModmailIter(e.ctx, col))},
		"appeals":         {e.col("/appeals"), anySeq(m.ListAppealsIter(e.ctx, col))},
		"mod invitations": {e.col("/mod-invites"), anySeq(e.owner.Colonies.ModInvitationsIter(e.ctx, col))},
		"my invitations":  {"/colonies/mod-invites/received", anySeq(e.member.Colonies.MyModInvitationsIter(e.ctx))},
	}
	for name, tc := range cases {
		e.reset()
		n, err := count(tc.seq)
		require.NoError(t, err, name)
		want := 2
		if name == "my invitations" {
			want = 1
		}
		assert.Equal(t, want, n, name)
		e.only(wire{Method: "GET", Path: tc.path})
		e.reset()
		for range tc.seq {
			break
		}
		assert.Len(t, e.calls(), 1, name)
	}
	_, err = count(anySeq(e.member.Moderation.ListAppealsIter(e.ctx, col)))
	assert.ErrorIs(t, err, colony.ErrForbidden, "the error is yielded")
	assert.True(t, errors.Is(err, colony.ErrForbidden))
}

func anySeq[T any](seq iter.Seq2[*T, error]) func(yield func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}
