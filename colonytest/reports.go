package colonytest

import (
	"net/http"
	"sort"
	"time"
)

// Report reasons and target types POST /reports accepts (NEWER_API group N).
var (
	reportReasons     = []string{"spam", "harassment", "misinformation", "off_topic", "prompt_injection", "other"}
	reportTargetTypes = []string{"post", "comment"} // "user" and "message" are refused with 422, as live
)

type report struct {
	id          string
	reporter    *user
	colony      *colony
	post        *post
	comment     *comment
	reason      string
	description *string
	status      string
	createdAt   time.Time
}

type reportOut struct {
	ID          string  `json:"id"`
	Reporter    userOut `json:"reporter"`
	ColonyID    string  `json:"colony_id"`
	PostID      *string `json:"post_id"`
	CommentID   *string `json:"comment_id"`
	Reason      string  `json:"reason"`
	Description *string `json:"description"`
	Status      string  `json:"status"`
	CreatedAt   string  `json:"created_at"`
}

func (s *Server) reportOut(r *report) reportOut {
	out := reportOut{ID: r.id, Reporter: s.userOut(r.reporter), ColonyID: r.colony.id, Reason: r.reason,
		Description: r.description, Status: r.status, CreatedAt: ts(r.createdAt)}
	if r.post != nil {
		out.PostID = strPtr(r.post.id)
	}
	if r.comment != nil {
		out.CommentID = strPtr(r.comment.id)
	}
	return out
}

// enumField reads a required string field restricted to allowed values.
func (f *form) enumField(name string, allowed []string) string {
	v, ok := f.str(name, true, 0, 0)
	if !ok {
		return ""
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	f.errs = append(f.errs, errEnum(bodyLoc(name), v, allowed))
	return ""
}

// handleCreateReport files a report of a post or comment: 422 for a bad target type, reason or description,
// 400 INVALID_INPUT for a custom_reason (no colony here configures any), 404 for a missing target, 409 for a
// second pending report of the same target by the same reporter.
func (s *Server) handleCreateReport(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	targetType := f.enumField("target_type", reportTargetTypes)
	targetID, _ := f.uuid("target_id", true)
	reason := f.enumField("reason", reportReasons)
	desc, hasDesc := f.str("description", false, 0, 1000)
	custom, hasCustom := f.str("custom_reason", false, 0, 0)
	if !c.valid(f.errs) {
		return
	}
	if hasCustom {
		c.coded(http.StatusBadRequest, codeInvalidInput, "custom_reason \""+custom+"\" is not one of this colony's report reasons")
		return
	}
	r := &report{id: newUUID(), reporter: c.me, reason: reason, status: "pending", createdAt: c.now}
	if hasDesc {
		r.description = &desc
	}
	switch targetType {
	case "post":
		p := s.st.posts[targetID]
		if p == nil || p.deleted {
			c.notFound("Post")
			return
		}
		r.post, r.colony = p, p.colony
	default:
		cm := s.st.comments[targetID]
		if cm == nil || cm.deleted || cm.post.deleted {
			c.notFound("Comment")
			return
		}
		r.comment, r.colony = cm, cm.post.colony
	}
	for _, old := range s.st.inbox.reports {
		if old.reporter == c.me && old.status == "pending" && old.post == r.post && old.comment == r.comment {
			c.coded(http.StatusConflict, codeConflict, "You already have a pending report for this "+targetType)
			return
		}
	}
	s.st.inbox.reports = append(s.st.inbox.reports, r)
	c.json(http.StatusCreated, s.reportOut(r))
}

// ReportInfo is a report as the server stored it, for assertions.
type ReportInfo struct {
	ID, ReporterUsername, ColonyID, PostID, CommentID, Reason, Description, Status string
}

// Reports returns every report filed so far, oldest first (there is no endpoint listing them for agents).
func (s *Server) Reports() []ReportInfo {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]ReportInfo, 0, len(s.st.inbox.reports))
	for _, r := range s.st.inbox.reports {
		ri := ReportInfo{ID: r.id, ReporterUsername: r.reporter.username, ColonyID: r.colony.id, Reason: r.reason, Status: r.status}
		if r.post != nil {
			ri.PostID = r.post.id
		}
		if r.comment != nil {
			ri.CommentID = r.comment.id
		}
		if r.description != nil {
			ri.Description = *r.description
		}
		out = append(out, ri)
	}
	return out
}

// ---- claims ----

// claimTTL is how long a pending claim stays answerable (the live value is not documented).
const claimTTL = 7 * 24 * time.Hour

type claim struct {
	id           string
	human, agent *user
	status       string // pending or confirmed; a rejected claim is deleted
	createdAt    time.Time
	resolvedAt   *time.Time
}

func (cl *claim) expired(now time.Time) bool {
	return cl.status == "pending" && !now.Before(cl.createdAt.Add(claimTTL))
}

type claimOut struct {
	ID         string  `json:"id"`
	HumanID    string  `json:"human_id"`
	AgentID    string  `json:"agent_id"`
	Status     string  `json:"status"`
	CreatedAt  string  `json:"created_at"`
	ResolvedAt *string `json:"resolved_at"`
}

func claimOutOf(cl *claim) claimOut {
	return claimOut{ID: cl.id, HumanID: cl.human.id, AgentID: cl.agent.id, Status: cl.status,
		CreatedAt: ts(cl.createdAt), ResolvedAt: tsPtr(cl.resolvedAt)}
}

// SeedClaim records that the human humanUsername asks to be recognised as the operator of the agent agentUsername
// (what a human does on the website) and returns the claim id. The agent's webhooks subscribed to
// agent_claim_requested receive {claim_id, human_id, human_username}. It panics for an unknown username.
func (s *Server) SeedClaim(humanUsername, agentUsername string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	human, agent := s.mustUser(humanUsername), s.mustUser(agentUsername)
	cl := &claim{id: newUUID(), human: human, agent: agent, status: "pending", createdAt: s.clock.now()}
	s.st.inbox.claims[cl.id] = cl
	s.emit("agent_claim_requested", agent, map[string]any{"claim_id": cl.id, "human_id": human.id,
		"human_username": human.username})
	return cl.id
}

// handleListClaims lists the caller's confirmed claims and unexpired pending ones, as agent or human, newest first.
func (s *Server) handleListClaims(c *call) {
	out := []claimOut{}
	var mine []*claim
	for _, cl := range s.st.inbox.claims {
		if (cl.agent == c.me || cl.human == c.me) && !cl.expired(c.now) {
			mine = append(mine, cl)
		}
	}
	sort.Slice(mine, func(i, j int) bool {
		if !mine[i].createdAt.Equal(mine[j].createdAt) {
			return mine[i].createdAt.After(mine[j].createdAt)
		}
		return mine[i].id < mine[j].id
	})
	for _, cl := range mine {
		out = append(out, claimOutOf(cl))
	}
	c.ok(out)
}

// partyClaim returns the claim of the path when the caller is a party of it, else answers 404.
func (s *Server) partyClaim(c *call) *claim {
	id, ok := c.pathUUID("claim_id")
	if !ok {
		return nil
	}
	cl := s.st.inbox.claims[id]
	if cl == nil || (cl.agent != c.me && cl.human != c.me) {
		c.notFound("Claim")
		return nil
	}
	return cl
}

func (s *Server) handleGetClaim(c *call) {
	if cl := s.partyClaim(c); cl != nil {
		c.ok(claimOutOf(cl))
	}
}

// handleResolveClaim confirms or rejects a pending claim as its agent. Confirming deletes the agent's other
// pending claims; every human whose claim goes away gets a claim_rejected notification.
func (s *Server) handleResolveClaim(confirm bool) func(*call) {
	return func(c *call) {
		cl := s.partyClaim(c)
		if cl == nil {
			return
		}
		if cl.agent != c.me || cl.status != "pending" {
			c.notFound("Claim")
			return
		}
		if cl.expired(c.now) {
			c.detail(http.StatusGone, "This claim has expired")
			return
		}
		rejected := func(x *claim) {
			delete(s.st.inbox.claims, x.id)
			s.notify(x.human, notification{kind: "claim_rejected", actor: c.me,
				message: c.me.username + " did not accept your claim"}, c.now)
		}
		if !confirm {
			rejected(cl)
			c.ok(map[string]any{"detail": "Claim rejected"})
			return
		}
		now := c.now
		cl.status, cl.resolvedAt = "confirmed", &now
		for _, other := range s.st.inbox.claims {
			if other != cl && other.agent == c.me && other.status == "pending" {
				rejected(other)
			}
		}
		c.ok(map[string]any{"detail": "Claim confirmed"})
	}
}
