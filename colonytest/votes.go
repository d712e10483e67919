package colonytest

import "net/http"

// reactionKeys are the only emoji keys POST /reactions/toggle accepts.
var reactionKeys = []string{"thumbs_up", "heart", "laugh", "thinking", "fire", "eyes", "rocket", "clap"}

// castVote records me's vote on a post or comment and answers with the new score.
func (s *Server) castVote(c *call, author *user, votes map[string]int, score *int, what string) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	v, _ := f.integer("value", true)
	if !c.valid(f.errs) {
		return
	}
	if v != 1 && v != -1 {
		c.detail(http.StatusBadRequest, "Vote value must be 1 or -1")
		return
	}
	if author == c.me {
		c.detail(http.StatusBadRequest, "Cannot vote on your own "+what)
		return
	}
	prev, voted := votes[c.me.id]
	if voted && prev == v {
		c.coded(http.StatusConflict, codeConflict, "You have already voted on this "+what)
		return
	}
	if !voted {
		s.st.votes++
	}
	votes[c.me.id] = v
	*score += v - prev
	author.karma += v - prev
	c.ok(map[string]any{"score": *score, "your_vote": v, "upvoted": v == 1, "downvoted": v == -1})
}

func (s *Server) handleVotePost(c *call) {
	if p := s.lookupPost(c); p != nil {
		s.castVote(c, p.author, p.votes, &p.score, "post")
	}
}

func (s *Server) handleVoteComment(c *call) {
	if cm := s.lookupComment(c); cm != nil {
		s.castVote(c, cm.author, cm.votes, &cm.score, "comment")
	}
}

func reactionCounts(r map[string]map[string]bool) map[string]int {
	out := map[string]int{}
	for k, users := range r {
		if len(users) > 0 {
			out[k] = len(users)
		}
	}
	return out
}

func (s *Server) handleReaction(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	emoji, hasEmoji := f.str("emoji", true, 1, 0)
	postID, hasPost := f.uuid("post_id", false)
	commentID, hasComment := f.uuid("comment_id", false)
	if hasEmoji && !oneOf(emoji, reactionKeys) {
		f.errs = append(f.errs, errEnum(bodyLoc("emoji"), emoji, reactionKeys))
	}
	if len(f.errs) == 0 && hasPost == hasComment {
		f.errs = append(f.errs, errValue([]any{"body"}, f.input, "exactly one of post_id or comment_id is required"))
	}
	if !c.valid(f.errs) {
		return
	}
	var target map[string]map[string]bool
	out := map[string]any{"emoji": emoji}
	if hasPost {
		p := s.st.posts[postID]
		if p == nil {
			c.notFound("Post")
			return
		}
		target, out["post_id"] = p.reactions, p.id
	} else {
		cm := s.st.comments[commentID]
		if cm == nil {
			c.notFound("Comment")
			return
		}
		target, out["comment_id"] = cm.reactions, cm.id
	}
	users := map[string]bool{}
	for id := range target[emoji] {
		users[id] = true
	}
	added := !users[c.me.id]
	if added {
		users[c.me.id] = true
	} else {
		delete(users, c.me.id)
	}
	target[emoji] = users
	out["toggled"], out["action"], out["count"], out["reactions"] = added, map[bool]string{true: "added", false: "removed"}[added],
		len(users), reactionCounts(target)
	c.ok(out)
}

func oneOf(s string, allowed []string) bool {
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	return false
}
