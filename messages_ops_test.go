package colony_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var dmClock = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

// dmEnv is a colonytest server with alice and bob (karma 10) and their clients.
type dmEnv struct {
	*socialEnv
	alice, bob colonytest.Agent
	ca, cb     *colony.Client
}

func newDMEnv(t *testing.T) *dmEnv {
	t.Helper()
	e := &dmEnv{socialEnv: newSocialEnv(t, colonytest.WithClock(dmClock))}
	e.alice, e.ca = e.agentClient("alice")
	e.bob, e.cb = e.agentClient("bob")
	return e
}

// send sends n messages from c to username with bodies "m1".."mn", advancing the clock a second each, and
// returns their ids in order.
func (e *dmEnv) send(c *colony.Client, username string, n int) []string {
	e.t.Helper()
	var ids []string
	for i := 1; i <= n; i++ {
		e.srv.Advance(time.Second)
		m, err := c.Messages.Send(context.Background(), username, fmt.Sprintf("m%02d", i))
		require.NoError(e.t, err)
		ids = append(ids, m.ID)
	}
	return ids
}

func bodies(ms []colony.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Body
	}
	return out
}

func msgIDs(seq func(func(*colony.Message, error) bool), limit int) ([]string, error) {
	var out []string
	for m, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, m.Body)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

func TestMessagesHistory(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 5)
	e.reset()

	h, err := e.cb.Messages.History(context.Background(), "alice", &colony.HistoryParams{Before: ids[4], Limit: 2})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/conversations/alice/history", Query: url.Values{"before": {ids[4]}, "limit": {"2"}}})
	assert.Equal(t, []string{"m03", "m04"}, bodies(h.Messages))
	assert.Equal(t, ids[2], h.Messages[0].ID)
	assert.Equal(t, e.alice.ID, h.Messages[0].Sender.ID)
	assert.True(t, h.HasMore)
	assert.True(t, h.CursorFound)

	e.reset()
	h, err = e.cb.Messages.History(context.Background(), "alice", &colony.HistoryParams{Before: ids[1]})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/conversations/alice/history", Query: url.Values{"before": {ids[1]}, "limit": {"200"}}})
	assert.Equal(t, []string{"m01"}, bodies(h.Messages))
	assert.False(t, h.HasMore)

	h, err = e.cb.Messages.History(context.Background(), "alice", &colony.HistoryParams{Before: "00000000-0000-4000-8000-000000000000"})
	require.NoError(t, err)
	assert.False(t, h.CursorFound, "an anchor outside the conversation")
	assert.Empty(t, h.Messages)

	_, err = e.cb.Messages.History(context.Background(), "nobody", &colony.HistoryParams{Before: ids[1]})
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = e.cb.Messages.History(context.Background(), "alice", &colony.HistoryParams{Before: "not-a-uuid"})
	assert.ErrorIs(t, err, colony.ErrValidation)
}

func TestMessagesHistoryCursorFoundDefaultsToTrue(t *testing.T) {
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeContentJSON(w, map[string]any{"messages": []any{}, "has_more": false})
	})
	h, err := c.Messages.History(context.Background(), "bob", &colony.HistoryParams{Before: "m1"})
	require.NoError(t, err)
	assert.True(t, h.CursorFound, "absent cursor_found is the server default, true")
}

func TestMessagesHistoryIter(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 7)
	e.reset()

	seq := e.cb.Messages.HistoryIter(context.Background(), "alice", &colony.HistoryParams{Before: ids[6], Limit: 2})
	got, err := msgIDs(seq, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"m05", "m06", "m03", "m04", "m01", "m02"}, got)
	calls := e.calls()
	require.Len(t, calls, 3, "%v", describe(calls))
	for i, before := range []string{ids[6], ids[4], ids[2]} {
		e.match(calls[i], wire{Method: "GET", Path: "/messages/conversations/alice/history", Query: url.Values{"before": {before}, "limit": {"2"}}})
	}

	e.reset()
	got, err = msgIDs(seq, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"m05", "m06", "m03"}, got)
	assert.Len(t, e.calls(), 2, "a break sends nothing more")

	e.reset()
	got, err = msgIDs(e.cb.Messages.HistoryIter(context.Background(), "alice", &colony.HistoryParams{Before: ids[6], Limit: 2, MaxResults: 2}), 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"m05", "m06"}, got)
	assert.Len(t, e.calls(), 1)
}

// stalledMessages answers every request with body, which claims more pages follow, and counts requests.
func stalledMessages(t *testing.T, body map[string]any) (*colony.Client, *atomic.Int32) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, body)
	})
	return c, &calls
}

func TestMessagesHistoryIterStalled(t *testing.T) {
	c, calls := stalledMessages(t, map[string]any{"messages": []map[string]any{{"id": "a", "body": "a"}, {"id": "b", "body": "b"}}, "has_more": true})
	got, err := msgIDs(c.Messages.HistoryIter(context.Background(), "bob", &colony.HistoryParams{Before: "z"}), 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"a", "b"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestMessagesTail(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 3)
	e.reset()

	tail, err := e.cb.Messages.Tail(context.Background(), "alice", nil)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/conversations/alice/tail", Query: url.Values{"limit": {"50"}}})
	assert.Equal(t, []string{"m01", "m02", "m03"}, bodies(tail.Messages))
	require.NotNil(t, tail.Pagination)
	assert.Equal(t, 3, tail.Pagination.Total)
	assert.False(t, tail.Pagination.HasMore)

	e.reset()
	tail, err = e.cb.Messages.Tail(context.Background(), "alice", &colony.TailParams{SinceID: ids[0], Limit: 1})
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/conversations/alice/tail", Query: url.Values{"limit": {"1"}, "since_id": {ids[0]}}})
	assert.Equal(t, []string{"m02"}, bodies(tail.Messages))
	assert.True(t, tail.Pagination.HasMore)
	assert.Equal(t, 2, tail.Pagination.Total)
}

func TestMessagesTailIter(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 7)
	e.reset()

	seq := e.cb.Messages.TailIter(context.Background(), "alice", &colony.TailParams{SinceID: ids[0], Limit: 2})
	got, err := msgIDs(seq, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"m02", "m03", "m04", "m05", "m06", "m07"}, got)
	calls := e.calls()
	require.Len(t, calls, 4, "three full pages, then an empty one: %v", describe(calls))
	for i, since := range []string{ids[0], ids[2], ids[4], ids[6]} {
		e.match(calls[i], wire{Method: "GET", Path: "/messages/conversations/alice/tail", Query: url.Values{"since_id": {since}, "limit": {"2"}}})
	}

	e.reset()
	got, err = msgIDs(seq, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"m02", "m03", "m04"}, got)
	assert.Len(t, e.calls(), 2, "a break sends nothing more")
}

func TestMessagesTailIterStalled(t *testing.T) {
	c, calls := stalledMessages(t, map[string]any{"messages": []map[string]any{{"id": "a", "body": "a"}}, "pagination": map[string]any{"has_more": true}})
	got, err := msgIDs(c.Messages.TailIter(context.Background(), "bob", nil), 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"a"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

func TestMessagesSpam(t *testing.T) {
	e := newDMEnv(t)
	e.send(e.ca, "bob", 1)
	ctx := context.Background()
	e.reset()

	var first colony.Response
	m, err := e.cb.Messages.MarkSpam(ctx, "alice", nil, colony.WithResponseInto(&first))
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/conversations/alice/spam", Body: `{"reason_code":"spam"}`})
	assert.NotEmpty(t, m.ConversationID)
	require.NotNil(t, m.SpamReportedAt)
	assert.True(t, m.SpamReportedAt.Equal(e.srv.Now()))
	require.NotNil(t, m.SpamReasonCode)
	assert.Equal(t, colony.SpamReasonSpam, *m.SpamReasonCode)
	require.NotNil(t, m.ReportID)
	assert.False(t, first.IdempotentReplay)

	convs, err := e.cb.Messages.ListConversations(ctx)
	require.NoError(t, err)
	assert.Empty(t, convs, "a thread marked as spam is hidden")

	e.reset()
	var resp colony.Response
	again, err := e.cb.Messages.MarkSpam(ctx, "alice", &colony.SpamParams{Reason: colony.SpamReasonHarassment, Description: "again"},
		colony.WithResponseInto(&resp))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, resp.IdempotentReplay, "marking again is a replay")
	e.only(wire{Method: "POST", Path: "/messages/conversations/alice/spam", Body: `{"reason_code":"harassment","description":"again"}`})
	assert.Nil(t, again.ReportID)
	assert.Equal(t, colony.SpamReasonSpam, *again.SpamReasonCode, "the first mark stands")

	e.reset()
	un, err := e.cb.Messages.UnmarkSpam(ctx, "alice")
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/messages/conversations/alice/spam"})
	assert.Equal(t, m.ConversationID, un.ConversationID)
	assert.Nil(t, un.SpamReportedAt)
	assert.Nil(t, un.SpamReasonCode)
	convs, err = e.cb.Messages.ListConversations(ctx)
	require.NoError(t, err)
	assert.Len(t, convs, 1)

	_, err = e.cb.Messages.MarkSpam(ctx, "bob", nil)
	assert.ErrorIs(t, err, colony.ErrNotFound, "yourself")
	e.srv.NewAgent("carol")
	_, err = e.cb.Messages.MarkSpam(ctx, "carol", nil)
	assert.ErrorIs(t, err, colony.ErrNotFound, "no 1:1 conversation")
}

func TestMessagesEditAndEdits(t *testing.T) {
	e := newDMEnv(t)
	id := e.send(e.ca, "bob", 1)[0]
	ctx := context.Background()
	e.reset()

	e.srv.Advance(time.Minute)
	m, err := e.ca.Messages.Edit(ctx, id, "edited once")
	require.NoError(t, err)
	e.only(wire{Method: "PATCH", Path: "/messages/" + id, Body: `{"body":"edited once"}`})
	assert.Equal(t, "edited once", m.Body)
	require.NotNil(t, m.EditedAt)
	assert.True(t, m.EditedAt.Equal(e.srv.Now()))
	e.srv.Advance(time.Minute)
	_, err = e.ca.Messages.Edit(ctx, id, "edited twice")
	require.NoError(t, err)

	e.reset()
	h, err := e.cb.Messages.Edits(ctx, id)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/" + id + "/edits"})
	assert.Equal(t, id, h.MessageID)
	require.Len(t, h.Versions, 3)
	assert.Equal(t, []string{"edited twice", "edited once", "m01"}, []string{h.Versions[0].Body, h.Versions[1].Body, h.Versions[2].Body})
	assert.True(t, h.Versions[0].IsCurrent)
	assert.False(t, h.Versions[2].IsCurrent)
	assert.True(t, h.Versions[0].CreatedAt.Equal(e.srv.Now()))
	require.NotNil(t, h.Versions[2].At)
	assert.True(t, h.Versions[2].At.Equal(h.Versions[2].CreatedAt))

	_, err = e.cb.Messages.Edit(ctx, id, "not mine")
	assert.ErrorIs(t, err, colony.ErrForbidden)
	e.srv.Advance(5 * time.Minute)
	_, err = e.ca.Messages.Edit(ctx, id, "too late")
	assert.ErrorIs(t, err, colony.ErrForbidden)
	_, err = e.ca.Messages.Edits(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, cc := e.agentClient("carol")
	_, err = cc.Messages.Edits(ctx, id)
	assert.ErrorIs(t, err, colony.ErrForbidden, "not a participant")
}

func TestMessagesDelete(t *testing.T) {
	e := newDMEnv(t)
	id := e.send(e.ca, "bob", 1)[0]
	ctx := context.Background()
	e.reset()

	_, err := e.cb.Messages.Delete(ctx, id)
	assert.ErrorIs(t, err, colony.ErrForbidden, "only the sender")
	e.reset()
	d, err := e.ca.Messages.Delete(ctx, id)
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/messages/" + id})
	assert.True(t, d.Deleted)
	assert.Equal(t, id, d.MessageID)
	conv, err := e.cb.Messages.Conversation(ctx, "alice")
	require.NoError(t, err)
	require.Len(t, conv.Messages, 1)
	assert.Equal(t, "message deleted", conv.Messages[0].Body)
	_, err = e.ca.Messages.Delete(ctx, "00000000-0000-4000-8000-000000000000")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestMessagesForward(t *testing.T) {
	e := newDMEnv(t)
	id := e.send(e.ca, "bob", 1)[0]
	_, cc := e.agentClient("carol")
	ctx := context.Background()
	e.reset()

	m, err := e.cb.Messages.Forward(ctx, id, &colony.ForwardParams{RecipientUsername: "carol", Comment: "fyi & more"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/" + id + "/forward", Query: url.Values{"recipient_username": {"carol"}, "comment": {"fyi & more"}}})
	assert.Equal(t, "fyi & more\n\n> m01", m.Body)
	assert.Equal(t, e.bob.ID, m.Sender.ID)
	conv, err := cc.Messages.Conversation(ctx, "bob")
	require.NoError(t, err)
	require.Len(t, conv.Messages, 1)
	assert.Equal(t, m.ID, conv.Messages[0].ID)

	e.reset()
	m, err = e.cb.Messages.Forward(ctx, id, &colony.ForwardParams{RecipientUsername: "carol"})
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/" + id + "/forward", Query: url.Values{"recipient_username": {"carol"}, "comment": {""}}})
	assert.Equal(t, "> m01", m.Body)

	_, err = cc.Messages.Forward(ctx, id, &colony.ForwardParams{RecipientUsername: "bob"})
	assert.ErrorIs(t, err, colony.ErrForbidden, "carol is not a participant of the source")
	_, err = e.cb.Messages.Forward(ctx, id, &colony.ForwardParams{RecipientUsername: "nobody"})
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestMessagesReactions(t *testing.T) {
	e := newDMEnv(t)
	id := e.send(e.ca, "bob", 1)[0]
	ctx := context.Background()
	e.reset()

	r, err := e.cb.Messages.AddReaction(ctx, id, "👍")
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/" + id + "/reactions", Body: `{"emoji":"👍"}`})
	assert.Equal(t, "👍", r.Emoji)
	assert.Equal(t, e.bob.ID, r.UserID)
	assert.Equal(t, "bob", r.Username)
	assert.True(t, r.CreatedAt.Equal(e.srv.Now()))
	_, err = e.cb.Messages.AddReaction(ctx, id, "👍")
	require.NoError(t, err, "twice is a no-op")
	conv, err := e.ca.Messages.Conversation(ctx, "bob")
	require.NoError(t, err)
	require.Len(t, conv.Messages[0].Reactions, 1)
	assert.Equal(t, "bob", conv.Messages[0].Reactions[0].Username)

	e.reset()
	rm, err := e.cb.Messages.RemoveReaction(ctx, id, "👍")
	require.NoError(t, err)
	e.only(wire{Method: "DELETE", Path: "/messages/" + id + "/reactions/%F0%9F%91%8D"})
	assert.True(t, rm.Removed)
	assert.Equal(t, "👍", rm.Emoji)
	rm, err = e.cb.Messages.RemoveReaction(ctx, id, "👍")
	require.NoError(t, err)
	assert.False(t, rm.Removed, "never placed")
	conv, err = e.ca.Messages.Conversation(ctx, "bob")
	require.NoError(t, err)
	assert.Empty(t, conv.Messages[0].Reactions)

	_, err = e.cb.Messages.AddReaction(ctx, "00000000-0000-4000-8000-000000000000", "🔥")
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestMessagesMarkReadAndReads(t *testing.T) {
	e := newDMEnv(t)
	id := e.send(e.ca, "bob", 1)[0]
	ctx := context.Background()

	e.reset()
	reads, err := e.ca.Messages.Reads(ctx, id)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/" + id + "/reads"})
	assert.False(t, reads.IsGroup)
	assert.Equal(t, 1, reads.TotalOthers)
	assert.Equal(t, 0, reads.SeenCount)
	require.Len(t, reads.Unseen, 1)
	assert.Equal(t, "bob", reads.Unseen[0].Username)
	assert.Nil(t, reads.Unseen[0].ReadAt)

	e.reset()
	st, err := e.cb.Messages.MarkMessageRead(ctx, id)
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/" + id + "/read"})
	assert.Equal(t, id, st.MessageID)
	assert.True(t, st.WasUnread)
	require.NotNil(t, st.ReadAt)
	assert.True(t, st.ReadAt.Equal(e.srv.Now()))
	st, err = e.cb.Messages.MarkMessageRead(ctx, id)
	require.NoError(t, err)
	assert.False(t, st.WasUnread, "idempotent")

	reads, err = e.ca.Messages.Reads(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 1, reads.SeenCount)
	require.Len(t, reads.Seen, 1)
	assert.Equal(t, e.bob.ID, reads.Seen[0].UserID)
	assert.NotNil(t, reads.Seen[0].ReadAt)
	assert.Empty(t, reads.Unseen)

	_, cc := e.agentClient("carol")
	_, err = cc.Messages.Reads(ctx, id)
	assert.ErrorIs(t, err, colony.ErrForbidden)
}

func TestMessagesStarAndSaved(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 2)
	ctx := context.Background()
	e.reset()

	st, err := e.cb.Messages.ToggleStar(ctx, ids[0])
	require.NoError(t, err)
	e.only(wire{Method: "POST", Path: "/messages/" + ids[0] + "/star"})
	assert.True(t, st.Saved)

	e.reset()
	saved, err := e.cb.Messages.ListSaved(ctx, nil)
	require.NoError(t, err)
	e.only(wire{Method: "GET", Path: "/messages/saved", Query: url.Values{"limit": {"50"}, "offset": {"0"}}})
	require.Len(t, saved.Messages, 1)
	s := saved.Messages[0]
	assert.Equal(t, ids[0], s.Message.ID)
	assert.Equal(t, "m01", s.Message.Body)
	require.NotNil(t, s.OtherUsername)
	assert.Equal(t, "alice", *s.OtherUsername)
	assert.False(t, s.IsGroup)
	assert.True(t, s.SavedAt.Equal(e.srv.Now()))
	require.NotNil(t, saved.Pagination)
	assert.Equal(t, 1, saved.Pagination.Total)

	st, err = e.cb.Messages.ToggleStar(ctx, ids[0])
	require.NoError(t, err)
	assert.False(t, st.Saved, "the second call unstars")
	saved, err = e.cb.Messages.ListSaved(ctx, &colony.SavedMessagesParams{Limit: 5, Offset: 0})
	require.NoError(t, err)
	assert.Empty(t, saved.Messages)
}

func TestMessagesListSavedIter(t *testing.T) {
	e := newDMEnv(t)
	ids := e.send(e.ca, "bob", 5)
	ctx := context.Background()
	for _, id := range ids {
		e.srv.Advance(time.Second)
		_, err := e.cb.Messages.ToggleStar(ctx, id)
		require.NoError(t, err)
	}
	e.reset()

	seq := e.cb.Messages.ListSavedIter(ctx, &colony.SavedMessagesParams{Limit: 2})
	var got []string
	for s, err := range seq {
		require.NoError(t, err)
		got = append(got, s.Message.Body)
	}
	assert.Equal(t, []string{"m05", "m04", "m03", "m02", "m01"}, got, "newest saved first")
	calls := e.calls()
	require.Len(t, calls, 3, "%v", describe(calls))
	for i, off := range []string{"0", "2", "4"} {
		e.match(calls[i], wire{Method: "GET", Path: "/messages/saved", Query: url.Values{"limit": {"2"}, "offset": {off}}})
	}

	e.reset()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Len(t, e.calls(), 2, "a break sends nothing more")
}

func TestMessagesListSavedIterStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"messages": []map[string]any{{"saved_at": "2026-09-01T12:00:00Z", "message": map[string]any{"id": "a"}}},
			"pagination": map[string]any{"total": 10, "has_more": true}})
	})
	n := 0
	var last error
	for _, err := range c.Messages.ListSavedIter(context.Background(), &colony.SavedMessagesParams{Limit: 1}) {
		n++
		last = err
	}
	assert.ErrorIs(t, last, colony.ErrPageStalled)
	assert.Equal(t, 2, n, "one item, then the stall")
	assert.Equal(t, int32(2), calls.Load())
}

func TestMessagesOpsBadInputSendsNothing(t *testing.T) {
	e := newDMEnv(t)
	ctx := context.Background()
	c := e.ca
	id := "00000000-0000-4000-8000-000000000000"
	e.reset()

	cases := map[string]func() error{
		"history nil":       func() error { _, err := c.Messages.History(ctx, "bob", nil); return err },
		"history no before": func() error { _, err := c.Messages.History(ctx, "bob", &colony.HistoryParams{}); return err },
		"history limit": func() error {
			_, err := c.Messages.History(ctx, "bob", &colony.HistoryParams{Before: id, Limit: 501})
			return err
		},
		"history max": func() error {
			_, err := c.Messages.History(ctx, "bob", &colony.HistoryParams{Before: id, MaxResults: -1})
			return err
		},
		"history user":  func() error { _, err := c.Messages.History(ctx, "..", &colony.HistoryParams{Before: id}); return err },
		"tail limit":    func() error { _, err := c.Messages.Tail(ctx, "bob", &colony.TailParams{Limit: 201}); return err },
		"tail negative": func() error { _, err := c.Messages.Tail(ctx, "bob", &colony.TailParams{Limit: -1}); return err },
		"tail user":     func() error { _, err := c.Messages.Tail(ctx, "", nil); return err },
		"spam reason": func() error {
			_, err := c.Messages.MarkSpam(ctx, "bob", &colony.SpamParams{Reason: "rude"})
			return err
		},
		"spam description": func() error {
			_, err := c.Messages.MarkSpam(ctx, "bob", &colony.SpamParams{Description: strings.Repeat("x", 2001)})
			return err
		},
		"unspam user":          func() error { _, err := c.Messages.UnmarkSpam(ctx, " "); return err },
		"edit blank":           func() error { _, err := c.Messages.Edit(ctx, id, " "); return err },
		"edit too long":        func() error { _, err := c.Messages.Edit(ctx, id, strings.Repeat("x", 10001)); return err },
		"edit saved":           func() error { _, err := c.Messages.Edit(ctx, "saved", "x"); return err },
		"delete empty":         func() error { _, err := c.Messages.Delete(ctx, ""); return err },
		"edits send":           func() error { _, err := c.Messages.Edits(ctx, "send"); return err },
		"forward nil":          func() error { _, err := c.Messages.Forward(ctx, id, nil); return err },
		"forward no recipient": func() error { _, err := c.Messages.Forward(ctx, id, &colony.ForwardParams{}); return err },
		"forward comment": func() error {
			_, err := c.Messages.Forward(ctx, id, &colony.ForwardParams{RecipientUsername: "bob", Comment: strings.Repeat("x", 10001)})
			return err
		},
		"react blank":   func() error { _, err := c.Messages.AddReaction(ctx, id, " "); return err },
		"react long":    func() error { _, err := c.Messages.AddReaction(ctx, id, strings.Repeat("x", 31)); return err },
		"unreact blank": func() error { _, err := c.Messages.RemoveReaction(ctx, id, ""); return err },
		"read dot":      func() error { _, err := c.Messages.MarkMessageRead(ctx, "."); return err },
		"reads ctrl":    func() error { _, err := c.Messages.Reads(ctx, "a\nb"); return err },
		"star empty":    func() error { _, err := c.Messages.ToggleStar(ctx, ""); return err },
		"saved limit":   func() error { _, err := c.Messages.ListSaved(ctx, &colony.SavedMessagesParams{Limit: 101}); return err },
		"saved offset":  func() error { _, err := c.Messages.ListSaved(ctx, &colony.SavedMessagesParams{Offset: -1}); return err },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	t.Run("iterators", func(t *testing.T) {
		for _, seq := range []func(func(*colony.Message, error) bool){
			c.Messages.HistoryIter(ctx, "bob", nil),
			c.Messages.TailIter(ctx, "bob", &colony.TailParams{Limit: 500}),
		} {
			_, err := msgIDs(seq, 0)
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		}
		for _, err := range c.Messages.ListSavedIter(ctx, &colony.SavedMessagesParams{Limit: -1}) {
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		}
	})
	e.none()
}
