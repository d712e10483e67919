package colonytest

import (
	"fmt"
	"math"
	"net/http"
	"time"
)

// parsePoll reads metadata.poll_options ([{id?, text}] or plain strings, 2 to 10 of them), multiple_choice,
// show_results_before_voting and closes_at; missing option ids are generated. It returns the poll and the
// metadata to store (a copy with normalised options).
func parsePoll(f *form, meta map[string]any) (*poll, map[string]any) {
	loc := []any{"body", "metadata", "poll_options"}
	raw, _ := meta["poll_options"].([]any)
	if len(raw) < 2 || len(raw) > 10 {
		f.errs = append(f.errs, errValue(loc, meta["poll_options"], "a poll needs between 2 and 10 poll_options"))
		return nil, meta
	}
	pl := &poll{votes: map[string][]string{}, showBefore: true}
	norm := make([]any, 0, len(raw))
	seen := map[string]bool{}
	for i, o := range raw {
		var id, text string
		switch v := o.(type) {
		case string:
			text = v
		case map[string]any:
			id, _ = v["id"].(string)
			text, _ = v["text"].(string)
		}
		if text == "" {
			f.errs = append(f.errs, errValue(append(loc, i), o, "each poll option needs a non-empty text"))
			return nil, meta
		}
		if id == "" {
			id = fmt.Sprintf("opt_%d", i+1)
		}
		if seen[id] {
			f.errs = append(f.errs, errValue(append(loc, i), o, "poll option ids must be unique"))
			return nil, meta
		}
		seen[id] = true
		pl.options = append(pl.options, pollOption{id: id, text: text})
		norm = append(norm, map[string]any{"id": id, "text": text})
	}
	pl.multiple, _ = meta["multiple_choice"].(bool)
	if sb, ok := meta["show_results_before_voting"].(bool); ok {
		pl.showBefore = sb
	}
	if ca, ok := meta["closes_at"].(string); ok && ca != "" {
		t, err := time.Parse(time.RFC3339Nano, ca)
		if err != nil {
			f.errs = append(f.errs, errValue([]any{"body", "metadata", "closes_at"}, ca, "closes_at must be an ISO 8601 datetime"))
			return nil, meta
		}
		pl.closesAt = &t
	}
	out := make(map[string]any, len(meta))
	for k, v := range meta {
		out[k] = v
	}
	out["poll_options"] = norm
	out["multiple_choice"] = pl.multiple
	return pl, out
}

type pollOptionOut struct {
	ID         string  `json:"id"`
	Text       string  `json:"text"`
	VoteCount  int     `json:"vote_count"`
	Percentage float64 `json:"percentage"`
}

type pollResultsOut struct {
	TotalVotes              int             `json:"total_votes"`
	UserVoted               bool            `json:"user_voted"`
	UserOptionIDs           []string        `json:"user_option_ids"`
	Options                 []pollOptionOut `json:"options"`
	IsClosed                bool            `json:"is_closed"`
	MultipleChoice          bool            `json:"multiple_choice"`
	ShowResultsBeforeVoting bool            `json:"show_results_before_voting"`
	ClosingSoon             bool            `json:"closing_soon"`
}

func (pl *poll) closed(now time.Time) bool { return pl.closesAt != nil && !now.Before(*pl.closesAt) }

// results renders the PollResults schema; total_votes counts voters and percentages are of voters.
func (pl *poll) results(me *user, now time.Time) pollResultsOut {
	counts := map[string]int{}
	for _, ids := range pl.votes {
		for _, id := range ids {
			counts[id]++
		}
	}
	total := len(pl.votes)
	out := pollResultsOut{TotalVotes: total, UserOptionIDs: append([]string{}, pl.votes[me.id]...),
		IsClosed: pl.closed(now), MultipleChoice: pl.multiple, ShowResultsBeforeVoting: pl.showBefore,
		ClosingSoon: pl.closesAt != nil && !pl.closed(now) && pl.closesAt.Sub(now) < time.Hour}
	out.UserVoted = len(out.UserOptionIDs) > 0
	for _, o := range pl.options {
		pct := 0.0
		if total > 0 {
			pct = math.Round(float64(counts[o.id])*1000/float64(total)) / 10
		}
		out.Options = append(out.Options, pollOptionOut{ID: o.id, Text: o.text, VoteCount: counts[o.id], Percentage: pct})
	}
	return out
}

// lookupPoll resolves {post_id} to a poll post, answering 422, 404 or 400 (not a poll) when it cannot.
func (s *Server) lookupPoll(c *call) *post {
	p := s.lookupPost(c)
	if p != nil && p.poll == nil {
		c.detail(http.StatusBadRequest, "This post is not a poll")
		return nil
	}
	return p
}

func (s *Server) handlePollResults(c *call) {
	if p := s.lookupPoll(c); p != nil {
		c.ok(p.poll.results(c.me, c.now))
	}
}

func (s *Server) handlePollVote(c *call) {
	p := s.lookupPoll(c)
	if p == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	ids, ok := f.strList("option_ids", true)
	if ok && len(ids) == 0 {
		f.errs = append(f.errs, errListTooShort(bodyLoc("option_ids"), ids, 1))
	}
	if !c.valid(f.errs) {
		return
	}
	pl := p.poll
	if pl.closed(c.now) {
		c.detail(http.StatusBadRequest, "This poll is closed")
		return
	}
	chosen := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		if !pl.hasOption(id) {
			c.detail(http.StatusBadRequest, "Invalid poll option: "+id)
			return
		}
		if !seen[id] {
			seen[id] = true
			chosen = append(chosen, id)
		}
	}
	if !pl.multiple && len(chosen) > 1 {
		c.detail(http.StatusBadRequest, "This poll allows only one option")
		return
	}
	pl.votes[c.me.id] = chosen
	c.ok(pl.results(c.me, c.now))
}

func (pl *poll) hasOption(id string) bool {
	for _, o := range pl.options {
		if o.id == id {
			return true
		}
	}
	return false
}
