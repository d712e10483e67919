package colony_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

func TestModerationUpdateSettings(t *testing.T) {
	e := newModEnv(t)
	col, err := e.mod.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{
		DisplayName: ptr("Moderated"), StrikeThreshold: ptr(2), StrikeAction: ptr(colony.StrikeActionBan),
		BannedWords: []string{}, DefaultSort: ptr(colony.ColonySortTop)})
	require.NoError(t, err)
	e.only(wire{Method: "PATCH", Path: e.col(""),
		Body: `{"display_name":"Moderated","strike_threshold":2,"strike_action":"ban","banned_words":[],"default_sort":"top"}`})
	assert.Equal(t, "Moderated", col.DisplayName)
	assert.Equal(t, "modtest", col.Name)

	strikes, err := e.mod.Moderation.ListStrikes(e.ctx, e.colony, e.memberA.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, strikes.Threshold, "settings read back")
	assert.Equal(t, colony.StrikeActionBan, strikes.StrikeAction)

	_, err = e.member.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{Rules: ptr("be nice")})
	assert.ErrorIs(t, err, colony.ErrForbidden)

	_, err = e.mod.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{Rules: ptr("be nice")})
	require.NoError(t, err)
	e.reset()
	_, err = e.mod.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{Clear: []string{"rules"}, ShowRulesBanner: ptr(false)})
	require.NoError(t, err)
	e.only(wire{Method: "PATCH", Path: e.col(""), Body: `{"rules":null,"show_rules_banner":false}`})
	_, err = e.mod.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{Clear: []string{"name"}})
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	_, err = e.mod.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{Clear: []string{"rules"}, Rules: ptr("x")})
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
}

func TestModerationOwnershipTransfer(t *testing.T) {
	e := newModEnv(t)
	tr, err := e.owner.Moderation.ProposeTransfer(e.ctx, e.colony, "mona")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/ownership-transfers"), Body: `{"recipient_username":"mona"}`})
	assert.Equal(t, "pending", tr.Status)
	assert.Equal(t, e.ownerA.ID, tr.InitiatorID)
	assert.Equal(t, e.modA.ID, tr.RecipientID)
	assert.Equal(t, e.colony, tr.ColonyID)
	assert.Nil(t, tr.RespondedAt)

	e.reset()
	pend, err := e.mod.Moderation.PendingTransfer(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/ownership-transfers")})
	require.NotNil(t, pend.Pending)
	assert.Equal(t, tr.TransferID, pend.Pending.TransferID)
	other, err := e.member.Moderation.PendingTransfer(e.ctx, e.colony)
	require.NoError(t, err)
	assert.Nil(t, other.Pending, "only the two parties see it")
	_, err = e.owner.Moderation.ProposeTransfer(e.ctx, e.colony, "mona")
	assert.ErrorIs(t, err, colony.ErrConflict)

	e.reset()
	d, err := e.mod.Moderation.DeclineTransfer(e.ctx, tr.TransferID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/colonies/ownership-transfers/" + tr.TransferID + "/decline"})
	assert.Equal(t, "declined", d.Status)
	require.NotNil(t, d.RespondedAt)

	tr, err = e.owner.Moderation.ProposeTransfer(e.ctx, e.colony, "mona")
	require.NoError(t, err)
	_, err = e.owner.Moderation.AcceptTransfer(e.ctx, tr.TransferID)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the proposer cannot accept")
	e.reset()
	cx, err := e.owner.Moderation.CancelTransfer(e.ctx, tr.TransferID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/colonies/ownership-transfers/" + tr.TransferID + "/cancel"})
	assert.Equal(t, "cancelled", cx.Status)

	tr, err = e.owner.Moderation.ProposeTransfer(e.ctx, e.colony, "mona")
	require.NoError(t, err)
	e.reset()
	acc, err := e.mod.Moderation.AcceptTransfer(e.ctx, tr.TransferID)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/colonies/ownership-transfers/" + tr.TransferID + "/accept"})
	assert.Equal(t, "accepted", acc.Status)

	members, err := e.member.Moderation.ListMembers(e.ctx, e.colony, nil)
	require.NoError(t, err)
	roles := map[string]colony.ColonyMember{}
	for _, m := range members {
		roles[m.Username] = m
	}
	assert.True(t, roles["mona"].IsCreator)
	assert.False(t, roles["olivia"].IsCreator)
	assert.Equal(t, colony.ColonyRoleAdmin, roles["olivia"].Role, "the old founder keeps an admin role")
	_, err = e.owner.Moderation.FileDeletionRequest(e.ctx, e.colony, "gone")
	assert.ErrorIs(t, err, colony.ErrForbidden)
	_, err = e.owner.Moderation.ProposeTransfer(e.ctx, e.colony, "mike")
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestModerationDeletionRequest(t *testing.T) {
	e := newModEnv(t)
	req, err := e.owner.Moderation.FileDeletionRequest(e.ctx, e.colony, "Not needed any more")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/deletion-request"), Body: `{"reason":"Not needed any more"}`})
	assert.Equal(t, "pending", req.Status)
	assert.Equal(t, "Not needed any more", req.Reason)
	assert.Nil(t, req.DeletionScheduledAt)
	_, err = e.owner.Moderation.FileDeletionRequest(e.ctx, e.colony, "again")
	assert.ErrorIs(t, err, colony.ErrConflict)

	e.reset()
	open, err := e.owner.Moderation.DeletionRequest(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/deletion-request")})
	require.NotNil(t, open.OpenRequest)
	assert.Equal(t, req.RequestID, open.OpenRequest.RequestID)

	e.reset()
	require.NoError(t, e.owner.Moderation.CancelDeletionRequest(e.ctx, e.colony))
	e.only(wire{Method: "DELETE", Path: e.col("/deletion-request")})
	open, err = e.owner.Moderation.DeletionRequest(e.ctx, e.colony)
	require.NoError(t, err)
	assert.Nil(t, open.OpenRequest)
	assert.ErrorIs(t, e.owner.Moderation.CancelDeletionRequest(e.ctx, e.colony), colony.ErrNotFound)
	_, err = e.mod.Moderation.DeletionRequest(e.ctx, e.colony)
	assert.ErrorIs(t, err, colony.ErrForbidden, "founder only")
}

func TestModerationActivity(t *testing.T) {
	e := newModEnv(t)
	require.NoError(t, e.mod.Moderation.Promote(e.ctx, e.colony, e.memberA.ID))
	e.reset()
	act, err := e.owner.Moderation.Activity(e.ctx, e.colony, 20)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/mod-activity"), Query: url.Values{"window_days": {"20"}}})
	assert.Equal(t, 30, act.WindowDays, "the server snaps the window")
	byName := map[string]colony.ModActivityMod{}
	for _, m := range act.Mods {
		byName[m.Username] = m
	}
	assert.Equal(t, 2, byName["mona"].Total, "accepting her invitation and the promotion")
	assert.Equal(t, 2, byName["mona"].Other)
	assert.Equal(t, 0, byName["olivia"].Total)
	assert.Contains(t, byName, "mike", "a promoted member is listed")
	assert.Nil(t, act.Health.MedianResolutionSeconds)
	assert.NotEmpty(t, act.Hourly)

	e.reset()
	_, err = e.owner.Moderation.Activity(e.ctx, e.colony, 0)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/mod-activity")})
}

func TestModerationModmail(t *testing.T) {
	e := newModEnv(t)
	opened, err := e.outsider.Moderation.OpenModmail(e.ctx, e.colony, "Why was my post removed?")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/modmail"), Body: `{"body":"Why was my post removed?"}`})
	assert.True(t, opened.Created)
	again, err := e.outsider.Moderation.OpenModmail(e.ctx, e.colony, "Hello?")
	require.NoError(t, err)
	assert.False(t, again.Created)
	assert.Equal(t, opened.ConversationID, again.ConversationID)

	e.reset()
	threads, err := e.mod.Moderation.ListModmail(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/modmail")})
	require.Len(t, threads, 1)
	assert.Equal(t, e.outsiderA.ID, threads[0].OpenerID)
	assert.False(t, threads[0].IsParticipant)

	e.reset()
	require.NoError(t, e.mod.Moderation.JoinModmail(e.ctx, e.colony, opened.ConversationID))
	e.only(wire{Method: "POST", Path: e.col("/modmail/" + opened.ConversationID + "/join")})
	require.NoError(t, e.mod.Moderation.JoinModmail(e.ctx, e.colony, opened.ConversationID), "idempotent")
	threads, err = e.mod.Moderation.ListModmail(e.ctx, e.colony)
	require.NoError(t, err)
	assert.True(t, threads[0].IsParticipant)
	_, err = e.outsider.Moderation.ListModmail(e.ctx, e.colony)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestModerationBans(t *testing.T) {
	e := newModEnv(t)
	post, err := e.owner.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Rules", Body: "read them", Colony: e.colony})
	require.NoError(t, err)
	e.reset()
	res, err := e.mod.Moderation.Ban(e.ctx, e.colony, e.memberA.ID, &colony.BanParams{Duration: colony.BanOneWeek, Reason: "Spam"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/bans/" + e.memberA.ID), Body: `{"duration_days":7,"reason":"Spam"}`})
	assert.Equal(t, "banned", res.Status)
	require.NotNil(t, res.ExpiresAt)

	_, err = e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Let me in", Body: "please", Colony: e.colony})
	assert.ErrorIs(t, err, colony.ErrForbidden, "a banned user cannot post there")
	_, err = e.member.Comments.Create(e.ctx, post.ID, &colony.CommentCreateParams{Body: "hello?"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "nor comment")
	notes, err := e.member.Notifications.List(e.ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, notes)
	assert.Equal(t, colony.NotificationKind("colony_banned"), notes[0].NotificationType, "the banned member is told")
	assert.ErrorIs(t, e.member.Colonies.Join(e.ctx, e.colony), colony.ErrForbidden, "nor rejoin")

	e.reset()
	status, err := e.member.Moderation.MyBanStatus(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/appeal")})
	assert.True(t, status.Banned)
	require.NotNil(t, status.Ban)
	assert.Equal(t, "Spam", *status.Ban.Reason)
	assert.Equal(t, res.ExpiresAt, status.Ban.ExpiresAt)
	assert.Nil(t, status.Appeal)

	res, err = e.mod.Moderation.Ban(e.ctx, e.colony, e.outsiderA.ID, nil)
	require.NoError(t, err)
	e.match(e.calls()[1], wire{Method: "POST", Path: e.col("/bans/" + e.outsiderA.ID)})
	assert.Nil(t, res.ExpiresAt, "permanent")

	e.reset()
	bans, err := e.mod.Moderation.ListBans(e.ctx, e.colony, nil)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/bans"), Query: url.Values{"limit": {"100"}}})
	require.Len(t, bans, 2)
	byName := map[string]colony.ColonyBan{}
	for _, b := range bans {
		byName[b.Username] = b
	}
	assert.True(t, byName["mike"].IsActive)
	assert.Equal(t, "Spam", *byName["mike"].Reason)
	assert.Nil(t, byName["otto"].Reason)
	assert.Nil(t, byName["otto"].ExpiresAt)

	e.reset()
	require.NoError(t, e.mod.Moderation.Unban(e.ctx, e.colony, e.memberA.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/bans/" + e.memberA.ID)})
	status, err = e.member.Moderation.MyBanStatus(e.ctx, e.colony)
	require.NoError(t, err)
	assert.False(t, status.Banned)
	members, err := e.mod.Moderation.ListMembers(e.ctx, e.colony, nil)
	require.NoError(t, err)
	assert.NotContains(t, memberNames(members), "mike", "unban does not rejoin")
	assert.ErrorIs(t, e.mod.Moderation.Unban(e.ctx, e.colony, e.memberA.ID), colony.ErrNotFound)
	require.NoError(t, e.member.Colonies.Join(e.ctx, e.colony))

	_, err = e.mod.Moderation.Ban(e.ctx, e.colony, e.memberA.ID, &colony.BanParams{Duration: colony.BanOneDay})
	require.NoError(t, err)
	assert.ErrorIs(t, e.member.Colonies.Join(e.ctx, e.colony), colony.ErrForbidden)
	e.srv.Advance(25 * time.Hour)
	require.NoError(t, e.member.Colonies.Join(e.ctx, e.colony), "a one-day ban lapses on the server clock")
	bans, err = e.mod.Moderation.ListBans(e.ctx, e.colony, nil)
	require.NoError(t, err)
	for _, b := range bans {
		assert.Equal(t, b.Username == "otto", b.IsActive, b.Username)
	}

	_, err = e.mod.Moderation.Ban(e.ctx, e.colony, e.ownerA.ID, nil)
	assert.ErrorIs(t, err, colony.ErrForbidden, "the founder cannot be banned")
	_, err = e.member.Moderation.Ban(e.ctx, e.colony, e.outsiderA.ID, nil)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestModerationAppeals(t *testing.T) {
	e := newModEnv(t)
	_, err := e.member.Moderation.SubmitAppeal(e.ctx, e.colony, "I am not banned")
	assert.ErrorIs(t, err, colony.ErrNotFound, "no active ban")
	_, err = e.mod.Moderation.Ban(e.ctx, e.colony, e.memberA.ID, &colony.BanParams{Reason: "Rude"})
	require.NoError(t, err)

	e.reset()
	ap, err := e.member.Moderation.SubmitAppeal(e.ctx, e.colony, "I will behave")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/appeal"), Body: `{"body":"I will behave"}`})
	assert.Equal(t, "pending", ap.Status)
	_, err = e.member.Moderation.SubmitAppeal(e.ctx, e.colony, "again")
	assert.ErrorIs(t, err, colony.ErrConflict)

	e.reset()
	appeals, err := e.mod.Moderation.ListAppeals(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/appeals")})
	require.Len(t, appeals, 1)
	assert.Equal(t, ap.AppealID, appeals[0].AppealID)
	assert.Equal(t, "mike", appeals[0].TargetUsername)
	assert.Equal(t, "I will behave", appeals[0].Body)
	require.NotNil(t, appeals[0].Ban)
	assert.Equal(t, "Rude", *appeals[0].Ban.Reason)

	e.reset()
	resolved, err := e.mod.Moderation.ResolveAppeal(e.ctx, e.colony, ap.AppealID, &colony.ResolveAppealParams{Accept: true, Note: "ok"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/appeals/" + ap.AppealID + "/resolve"), Body: `{"accept":true,"note":"ok"}`})
	assert.Equal(t, colony.AppealResolution{AppealID: ap.AppealID, Status: "accepted", Unbanned: true}, *resolved)
	_, err = e.mod.Moderation.ResolveAppeal(e.ctx, e.colony, ap.AppealID, nil)
	assert.ErrorIs(t, err, colony.ErrConflict)

	status, err := e.member.Moderation.MyBanStatus(e.ctx, e.colony)
	require.NoError(t, err)
	assert.False(t, status.Banned)
	require.NotNil(t, status.Appeal)
	assert.Equal(t, "accepted", status.Appeal.Status)
	assert.Equal(t, "ok", *status.Appeal.ResolutionNote)

	_, err = e.member.Moderation.ListAppeals(e.ctx, e.colony)
	assert.ErrorIs(t, err, colony.ErrForbidden)

	e.reset()
	_, err = e.mod.Moderation.ResolveAppeal(e.ctx, e.colony, ap.AppealID, nil)
	e.only(wire{Method: "POST", Path: e.col("/appeals/" + ap.AppealID + "/resolve"), Body: `{"accept":false}`})
	assert.ErrorIs(t, err, colony.ErrConflict)
}

func TestModerationMembers(t *testing.T) {
	e := newModEnv(t)
	members, err := e.outsider.Moderation.ListMembers(e.ctx, e.colony, &colony.MemberListParams{Role: colony.ColonyRoleMember, Limit: 5})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/members"), Query: url.Values{"limit": {"5"}, "role": {"member"}}})
	require.Len(t, members, 1)
	m := members[0]
	assert.Equal(t, e.memberA.ID, m.UserID)
	assert.Equal(t, "mike", m.Username)
	assert.Equal(t, colony.UserTypeAgent, m.UserType)
	assert.False(t, m.IsCreator)
	assert.True(t, m.Approved)
	assert.False(t, m.JoinedAt.IsZero())

	e.reset()
	require.NoError(t, e.mod.Moderation.Promote(e.ctx, e.colony, e.memberA.ID))
	e.only(wire{Method: "POST", Path: e.col("/members/" + e.memberA.ID + "/promote")})
	mods, err := e.outsider.Moderation.ListMembers(e.ctx, e.colony, &colony.MemberListParams{Role: colony.ColonyRoleModerator})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"olivia", "mona", "mike"}, memberNames(mods))

	e.reset()
	require.NoError(t, e.mod.Moderation.Demote(e.ctx, e.colony, e.memberA.ID))
	e.only(wire{Method: "POST", Path: e.col("/members/" + e.memberA.ID + "/demote")})
	assert.ErrorIs(t, e.mod.Moderation.Demote(e.ctx, e.colony, e.memberA.ID), colony.ErrValidation, "not a moderator")

	e.reset()
	require.NoError(t, e.mod.Moderation.RemoveMember(e.ctx, e.colony, e.memberA.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/members/" + e.memberA.ID)})
	all, err := e.mod.Moderation.ListMembers(e.ctx, e.colony, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"olivia", "mona"}, memberNames(all))
	require.NoError(t, e.member.Colonies.Join(e.ctx, e.colony), "removal is not a ban")

	assert.ErrorIs(t, e.mod.Moderation.RemoveMember(e.ctx, e.colony, e.ownerA.ID), colony.ErrForbidden, "founder protected")
	assert.ErrorIs(t, e.member.Moderation.Promote(e.ctx, e.colony, e.outsiderA.ID), colony.ErrForbidden)
	assert.ErrorIs(t, e.mod.Moderation.Promote(e.ctx, e.colony, e.outsiderA.ID), colony.ErrNotFound, "not a member")
}

func TestModerationNotesAndHistory(t *testing.T) {
	e := newModEnv(t)
	note, err := e.mod.Moderation.AddNote(e.ctx, e.colony, e.memberA.ID, "Warned in DM")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/members/" + e.memberA.ID + "/notes"), Body: `{"body":"Warned in DM"}`})
	assert.Equal(t, "Warned in DM", note.Body)
	require.NotNil(t, note.Author)
	assert.Equal(t, "mona", *note.Author)
	second, err := e.owner.Moderation.AddNote(e.ctx, e.colony, e.memberA.ID, "Second")
	require.NoError(t, err)

	e.reset()
	notes, err := e.mod.Moderation.ListNotes(e.ctx, e.colony, e.memberA.ID)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/members/" + e.memberA.ID + "/notes")})
	assert.Equal(t, e.memberA.ID, notes.UserID)
	require.Len(t, notes.Notes, 2)
	assert.Equal(t, second.ID, notes.Notes[0].ID, "newest first")

	_, err = e.mod.Moderation.IssueStrike(e.ctx, e.colony, e.memberA.ID, colony.StrikeParams{Reason: "Spam"})
	require.NoError(t, err)
	e.reset()
	h, err := e.mod.Moderation.MemberHistory(e.ctx, e.colony, e.memberA.ID)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/members/" + e.memberA.ID + "/history")})
	require.NotNil(t, h.Role)
	assert.Equal(t, "member", *h.Role)
	assert.Equal(t, map[string]int{"strike": 1}, h.Counts)
	require.Len(t, h.Timeline, 1)
	assert.Equal(t, e.modA.ID, h.Timeline[0].ActorID)
	assert.Equal(t, "Spam", *h.Timeline[0].Reason)
	require.Len(t, h.RecentNotes, 2)
	assert.Equal(t, "Second", h.RecentNotes[0].Body)
	assert.Nil(t, h.ActiveBan)

	outsider, err := e.mod.Moderation.MemberHistory(e.ctx, e.colony, e.outsiderA.ID)
	require.NoError(t, err)
	assert.Nil(t, outsider.Role, "a non-member has an empty record, not a 404")
	assert.Nil(t, outsider.JoinedAt)
	assert.Empty(t, outsider.Timeline)

	e.reset()
	require.NoError(t, e.mod.Moderation.DeleteNote(e.ctx, e.colony, e.memberA.ID, note.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/members/" + e.memberA.ID + "/notes/" + note.ID)})
	assert.ErrorIs(t, e.mod.Moderation.DeleteNote(e.ctx, e.colony, e.memberA.ID, note.ID), colony.ErrNotFound)
	_, err = e.member.Moderation.ListNotes(e.ctx, e.colony, e.memberA.ID)
	assert.ErrorIs(t, err, colony.ErrForbidden, "members never see notes")
}

func TestModerationStrikes(t *testing.T) {
	e := newModEnv(t)
	_, err := e.owner.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{StrikeThreshold: ptr(2)})
	require.NoError(t, err)
	e.reset()
	first, err := e.mod.Moderation.IssueStrike(e.ctx, e.colony, e.memberA.ID, colony.StrikeParams{Reason: "Off topic"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/members/" + e.memberA.ID + "/strikes"), Body: `{"reason":"Off topic","severity":"minor"}`})
	assert.Equal(t, "Off topic", first.Strike.Reason)
	assert.Equal(t, colony.StrikeMinor, first.Strike.Severity)
	assert.Equal(t, e.modA.ID, *first.Strike.IssuedBy)
	assert.Equal(t, 1, first.ActiveCount)
	assert.Equal(t, 2, first.Threshold)
	assert.Nil(t, first.FiredAction)

	second, err := e.mod.Moderation.IssueStrike(e.ctx, e.colony, e.memberA.ID, colony.StrikeParams{Reason: "Spam", Severity: colony.StrikeMajor})
	require.NoError(t, err)
	require.NotNil(t, second.FiredAction)
	assert.Equal(t, "mute_7d", *second.FiredAction)
	_, err = e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Muted?", Body: "yes", Colony: e.colony})
	assert.ErrorIs(t, err, colony.ErrForbidden, "the fired mute is enforced")

	e.reset()
	list, err := e.mod.Moderation.ListStrikes(e.ctx, e.colony, e.memberA.ID)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/members/" + e.memberA.ID + "/strikes")})
	assert.Equal(t, 2, list.ActiveCount)
	assert.Equal(t, colony.StrikeActionMute7d, list.StrikeAction)
	require.Len(t, list.Strikes, 2)
	assert.Equal(t, second.Strike.StrikeID, list.Strikes[0].StrikeID)
	_, err = e.member.Moderation.IssueStrike(e.ctx, e.colony, e.outsiderA.ID, colony.StrikeParams{Reason: "x"})
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestModerationAutomodRules(t *testing.T) {
	e := newModEnv(t)
	_, err := e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Buy crypto", Body: "cheap pills", Colony: e.colony})
	require.NoError(t, err)
	spec := colony.AutomodRuleParams{Name: "No spam", Triggers: map[string]any{"keywords": []string{"pills"}},
		Actions: map[string]any{"remove": true}}
	e.reset()
	r1, err := e.mod.Moderation.CreateAutomodRule(e.ctx, e.colony, spec)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/automod-rules"),
		Body: `{"name":"No spam","scope":"both","triggers":{"keywords":["pills"]},"actions":{"remove":true}}`})
	assert.Equal(t, "No spam", r1.Name)
	assert.Equal(t, colony.AutomodScopeBoth, r1.Scope)
	assert.True(t, r1.Enabled)
	assert.Equal(t, 0, r1.OrderIndex)
	assert.Equal(t, map[string]any{"keywords": []any{"pills"}}, r1.Triggers)
	spec.Scope = colony.AutomodScopeComment
	r2, err := e.mod.Moderation.CreateAutomodRule(e.ctx, e.colony, spec)
	require.NoError(t, err)
	assert.Equal(t, 1, r2.OrderIndex)

	e.reset()
	dry, err := e.mod.Moderation.DryRunAutomodRule(e.ctx, e.colony, colony.AutomodRuleParams{Name: "t", Scope: colony.AutomodScopePost,
		Triggers: map[string]any{"keywords": []string{"PILLS"}}, Actions: map[string]any{"remove": true}})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/automod-rules/dry-run"),
		Body: `{"name":"t","scope":"post","triggers":{"keywords":["PILLS"]},"actions":{"remove":true}}`})
	assert.Equal(t, 1, dry.ScannedPosts)
	assert.Equal(t, 1, dry.MatchCount)
	require.Len(t, dry.Matches, 1)
	assert.Equal(t, "post", dry.Matches[0].ItemType)
	assert.Equal(t, "mike", dry.Matches[0].AuthorUsername)
	assert.Equal(t, []string{"PILLS"}, dry.Matches[0].MatchedKeys)

	e.reset()
	rules, err := e.mod.Moderation.ReorderAutomodRules(e.ctx, e.colony, []string{r2.RuleID, r1.RuleID})
	require.NoError(t, err)
	e.only(wire{Method: "PUT", Path: e.col("/automod-rules/order"), Body: `{"rule_ids":["` + r2.RuleID + `","` + r1.RuleID + `"]}`})
	require.Len(t, rules, 2)
	assert.Equal(t, r2.RuleID, rules[0].RuleID)
	_, err = e.mod.Moderation.ReorderAutomodRules(e.ctx, e.colony, []string{r1.RuleID})
	assert.ErrorIs(t, err, colony.ErrConflict, "a partial list is stale")

	e.reset()
	up, err := e.mod.Moderation.UpdateAutomodRule(e.ctx, e.colony, r1.RuleID, &colony.AutomodRuleUpdate{Enabled: ptr(false), Name: ptr("Renamed")})
	require.NoError(t, err)
	e.only(wire{Method: "PATCH", Path: e.col("/automod-rules/" + r1.RuleID), Body: `{"name":"Renamed","enabled":false}`})
	assert.False(t, up.Enabled)
	assert.Equal(t, "Renamed", up.Name)
	_, err = e.mod.Moderation.UpdateAutomodRule(e.ctx, e.colony, r1.RuleID, &colony.AutomodRuleUpdate{Actions: map[string]any{"remove": true, "approve": true}})
	assert.ErrorIs(t, err, colony.ErrValidation, "the merged rule is re-validated")

	e.reset()
	require.NoError(t, e.mod.Moderation.DeleteAutomodRule(e.ctx, e.colony, r2.RuleID))
	e.only(wire{Method: "DELETE", Path: e.col("/automod-rules/" + r2.RuleID)})
	e.reset()
	rules, err = e.mod.Moderation.ListAutomodRules(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/automod-rules")})
	require.Len(t, rules, 1)
	assert.Equal(t, "Renamed", rules[0].Name)
	assert.ErrorIs(t, e.mod.Moderation.DeleteAutomodRule(e.ctx, e.colony, r2.RuleID), colony.ErrNotFound)
}

func TestModerationFlairs(t *testing.T) {
	e := newModEnv(t)
	pf, err := e.mod.Moderation.CreatePostFlair(e.ctx, e.colony, colony.FlairParams{Label: "News", BackgroundColor: "#112233"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/post-flairs"), Body: `{"label":"News","position":0,"background_color":"#112233"}`})
	assert.Equal(t, colony.PostFlair{ID: pf.ID, Label: "News", BackgroundColor: "#112233", TextColor: "#1f2937"}, *pf)
	_, err = e.mod.Moderation.CreatePostFlair(e.ctx, e.colony, colony.FlairParams{Label: "news"})
	assert.ErrorIs(t, err, colony.ErrConflict, "duplicate label")
	e.reset()
	flairs, err := e.member.Moderation.ListPostFlairs(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/post-flairs")})
	assert.Equal(t, []colony.PostFlair{*pf}, flairs)
	e.reset()
	require.NoError(t, e.mod.Moderation.DeletePostFlair(e.ctx, e.colony, pf.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/post-flairs/" + pf.ID)})

	_, err = e.mod.Moderation.CreateUserFlair(e.ctx, e.colony, colony.FlairParams{Label: "Helper"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "the moderator lacks can_manage_flair")
	e.reset()
	tpl, err := e.owner.Moderation.CreateUserFlair(e.ctx, e.colony, colony.FlairParams{Label: "Helper", ModOnly: true, Position: 2, TextColor: "#ffffff"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/user-flairs"), Body: `{"label":"Helper","position":2,"text_color":"#ffffff","mod_only":true}`})
	assert.True(t, tpl.ModOnly)
	assert.Equal(t, 2, tpl.Position)
	e.reset()
	set, err := e.member.Moderation.ListUserFlairs(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/user-flairs")})
	assert.True(t, set.UserFlairEnabled)
	assert.Equal(t, []colony.UserFlairTemplate{*tpl}, set.Templates)

	e.reset()
	as, err := e.owner.Moderation.AssignFlair(e.ctx, e.colony, e.memberA.ID, tpl.ID)
	require.NoError(t, err)
	e.only(wire{Method: "PUT", Path: e.col("/members/" + e.memberA.ID + "/flair"), Body: `{"template_id":"` + tpl.ID + `"}`})
	assert.Equal(t, colony.AssignedFlair{UserID: e.memberA.ID, TemplateID: &tpl.ID, TemplateLabel: ptr("Helper")}, *as)
	_, err = e.owner.Moderation.AssignFlair(e.ctx, e.colony, e.outsiderA.ID, tpl.ID)
	assert.ErrorIs(t, err, colony.ErrNotFound, "the target must be a member")
	e.reset()
	cl, err := e.owner.Moderation.ClearFlair(e.ctx, e.colony, e.memberA.ID)
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: e.col("/members/" + e.memberA.ID + "/flair")})
	assert.Nil(t, cl.TemplateID)
	e.reset()
	require.NoError(t, e.owner.Moderation.DeleteUserFlair(e.ctx, e.colony, tpl.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/user-flairs/" + tpl.ID)})
	assert.ErrorIs(t, e.owner.Moderation.DeleteUserFlair(e.ctx, e.colony, tpl.ID), colony.ErrNotFound)
}

func TestModerationRemovalReasons(t *testing.T) {
	e := newModEnv(t)
	r, err := e.mod.Moderation.CreateRemovalReason(e.ctx, e.colony, "Spam", "This is spam.", 0)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/removal-reasons"), Body: `{"label":"Spam","body":"This is spam.","position":0}`})
	assert.Equal(t, colony.RemovalReason{ID: r.ID, Label: "Spam", Body: "This is spam."}, *r)
	e.reset()
	list, err := e.mod.Moderation.ListRemovalReasons(e.ctx, e.colony)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/removal-reasons")})
	assert.Equal(t, []colony.RemovalReason{*r}, list)
	e.reset()
	require.NoError(t, e.mod.Moderation.DeleteRemovalReason(e.ctx, e.colony, r.ID))
	e.only(wire{Method: "DELETE", Path: e.col("/removal-reasons/" + r.ID)})
	list, err = e.mod.Moderation.ListRemovalReasons(e.ctx, e.colony)
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = e.member.Moderation.ListRemovalReasons(e.ctx, e.colony)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

// queuePosts turns on post approval and has the member post n posts, returned oldest first.
func (e *modEnv) queuePosts(t *testing.T, n int) []string {
	t.Helper()
	_, err := e.owner.Moderation.UpdateSettings(e.ctx, e.colony, &colony.ColonySettingsParams{RequiresPostApproval: ptr(true)})
	require.NoError(t, err)
	var ids []string
	for i := range n {
		p, err := e.member.Posts.Create(e.ctx, &colony.PostCreateParams{Title: "Queued " + string(rune('a'+i)), Body: "wait", Colony: e.colony})
		require.NoError(t, err)
		ids = append(ids, p.ID)
		e.srv.Advance(1e9)
	}
	e.reset()
	return ids
}

func TestModerationQueue(t *testing.T) {
	e := newModEnv(t)
	posts := e.queuePosts(t, 3)
	q, err := e.mod.Moderation.Queue(e.ctx, e.colony, &colony.ModQueueParams{Sort: colony.QueueOldest})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: e.col("/queue"), Query: url.Values{"page": {"1"}, "page_size": {"25"}, "sort": {"oldest"}, "queue_status": {"open"}}})
	assert.Equal(t, 3, q.Total)
	assert.Equal(t, 1, q.Page)
	assert.Equal(t, 25, q.PageSize)
	assert.Equal(t, 3, q.ChipCounts["pending_post"])
	require.Len(t, q.Items, 3)
	it := q.Items[0]
	assert.Equal(t, colony.QueuePendingPost, it.SourceKind)
	assert.Equal(t, "post", it.TargetKind)
	assert.Equal(t, posts[0], it.TargetID)
	assert.Equal(t, e.memberA.ID, *it.AuthorID)

	reason, err := e.mod.Moderation.CreateRemovalReason(e.ctx, e.colony, "Spam", "spam", 0)
	require.NoError(t, err)
	e.reset()
	res, err := e.mod.Moderation.ActOnQueue(e.ctx, e.colony, colony.ModQueueActionParams{SourceKind: it.SourceKind, SourceID: it.SourceID,
		Action: colony.QueueReject, ReasonID: reason.ID})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/queue/action"),
		Body: `{"source_kind":"pending_post","source_id":"` + it.SourceID + `","action":"reject","reason_id":"` + reason.ID + `"}`})
	assert.Equal(t, "reject", res.Action)
	assert.Equal(t, posts[0], *res.TargetID)
	assert.Equal(t, reason.ID, *res.ReasonID)
	assert.Empty(t, res.CascadedReportIDs)
	_, err = e.member.Posts.Get(e.ctx, posts[0])
	assert.ErrorIs(t, err, colony.ErrNotFound, "a rejected post is gone")
	_, err = e.mod.Moderation.ActOnQueue(e.ctx, e.colony, colony.ModQueueActionParams{SourceKind: it.SourceKind, SourceID: it.SourceID, Action: colony.QueueApprove})
	assert.ErrorIs(t, err, colony.ErrConflict, "already resolved")
	_, err = e.mod.Moderation.ActOnQueue(e.ctx, e.colony, colony.ModQueueActionParams{SourceKind: colony.QueuePendingPost, SourceID: q.Items[1].SourceID, Action: colony.QueueDismiss})
	assert.ErrorIs(t, err, colony.ErrValidation, "dismiss does not apply to a pending post")

	e.reset()
	bulk, err := e.mod.Moderation.ActOnQueueBulk(e.ctx, e.colony, colony.ModQueueBulkParams{Items: []colony.ModQueueActionParams{
		{SourceKind: colony.QueuePendingPost, SourceID: q.Items[1].SourceID, Action: colony.QueueApprove},
		{SourceKind: colony.QueuePendingPost, SourceID: it.SourceID, Action: colony.QueueApprove},
		{SourceKind: colony.QueuePendingPost, SourceID: q.Items[2].SourceID, Action: colony.QueueBanAuthor, BanDays: colony.BanOneDay},
	}, ReasonText: "bulk"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: e.col("/queue/bulk-action"), Body: `{"items":[` +
		`{"source_kind":"pending_post","source_id":"` + q.Items[1].SourceID + `","action":"approve"},` +
		`{"source_kind":"pending_post","source_id":"` + it.SourceID + `","action":"approve"},` +
		`{"source_kind":"pending_post","source_id":"` + q.Items[2].SourceID + `","action":"ban_author","ban_duration_days":1}],"reason_text":"bulk"}`})
	require.Len(t, bulk.Succeeded, 2)
	require.Len(t, bulk.Failed, 1, "partial success on 200")
	assert.Equal(t, it.SourceID, bulk.Failed[0].SourceID)
	assert.Equal(t, "ban_author", bulk.Succeeded[1].Action)
	status, err := e.member.Moderation.MyBanStatus(e.ctx, e.colony)
	require.NoError(t, err)
	assert.True(t, status.Banned, "ban_author bans the author")

	resolved, err := e.mod.Moderation.Queue(e.ctx, e.colony, &colony.ModQueueParams{Status: colony.QueueResolved})
	require.NoError(t, err)
	assert.Equal(t, 3, resolved.Total)
	_, err = e.member.Moderation.Queue(e.ctx, e.colony, nil)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}
