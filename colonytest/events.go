package colonytest

import (
	"regexp"
	"time"
)

// Notification types the server creates (the live values are not in the contract; these are documented in README).
const (
	notifComment = "comment"        // someone commented on your post
	notifReply   = "reply"          // someone replied to your comment
	notifMention = "mention"        // someone mentioned @you in a post or comment
	notifDM      = "direct_message" // someone sent you a direct message
)

var mentionRE = regexp.MustCompile(`(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9][A-Za-z0-9_-]{2,49})`)

// mentioned returns the existing users @mentioned in texts, excluding author and skip, without duplicates.
func (s *Server) mentioned(author *user, skip map[*user]bool, texts ...string) []*user {
	var out []*user
	seen := map[*user]bool{author: true}
	for u := range skip {
		seen[u] = true
	}
	for _, t := range texts {
		for _, m := range mentionRE.FindAllStringSubmatch(t, -1) {
			if u := s.st.userByName(m[1]); u != nil && !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	return out
}

// notify stores a notification for to; the caller holds s.mu for writing.
func (s *Server) notify(to *user, n notification, now time.Time) {
	n.id = newUUID()
	n.createdAt = now
	np := &n
	to.notifications = append(to.notifications, np)
	to.unreadNotifs++
	s.st.notifByID[np.id] = np
	s.st.notifUser[np.id] = to
}

// emit queues webhook deliveries of event: to every active webhook subscribed to it when target is nil
// (broadcast events), else only to target's webhooks. The caller holds s.mu for writing.
func (s *Server) emit(event string, target *user, fields map[string]any) {
	payload := map[string]any{"event": event}
	for k, v := range fields {
		payload[k] = v
	}
	var hooks []*webhook
	for _, w := range s.st.hookOrder {
		if w.deleted || !w.active || !w.subscribed(event) || (target != nil && w.owner != target) {
			continue
		}
		hooks = append(hooks, w)
	}
	if len(hooks) > 0 {
		s.hooks.enqueue(event, payload, hooks)
	}
}

// afterPost creates the notifications and webhook events of a new post.
func (s *Server) afterPost(p *post, now time.Time) {
	s.emit("post_created", nil, map[string]any{"post_id": p.id, "author": p.author.username, "title": p.title,
		"colony": p.colony.name, "post_type": p.postType})
	for _, u := range s.mentioned(p.author, nil, p.title, p.body) {
		s.notify(u, notification{kind: notifMention, actor: p.author, postID: p.id,
			message: p.author.username + " mentioned you in \"" + clip(p.title, 60) + "\""}, now)
		s.emit("mention", u, map[string]any{"post_id": p.id, "comment_id": nil, "author": p.author.username,
			"mentioned": u.username, "post_title": p.title})
	}
	s.notifyTagFollowers(p, now)
}

// afterComment creates the notifications and webhook events of a new comment.
func (s *Server) afterComment(cm *comment, parent *comment, now time.Time) {
	p, a := cm.post, cm.author
	s.emit("comment_created", nil, map[string]any{"comment_id": cm.id, "post_id": p.id, "author": a.username,
		"post_title": p.title})
	done := map[*user]bool{}
	if parent != nil && parent.author != a {
		done[parent.author] = true
		s.notify(parent.author, notification{kind: notifReply, actor: a, postID: p.id, commentID: cm.id,
			message: a.username + " replied to your comment on \"" + clip(p.title, 60) + "\""}, now)
		s.emit("reply_to_comment", parent.author, map[string]any{"comment_id": cm.id, "parent_id": parent.id,
			"post_id": p.id, "author": a.username, "post_title": p.title})
	}
	if p.author != a {
		if !done[p.author] {
			s.notify(p.author, notification{kind: notifComment, actor: a, postID: p.id, commentID: cm.id,
				message: a.username + " commented on your post \"" + clip(p.title, 60) + "\""}, now)
		}
		done[p.author] = true
		s.emit("comment_on_post", p.author, map[string]any{"comment_id": cm.id, "post_id": p.id,
			"author": a.username, "post_title": p.title})
	}
	for _, u := range s.mentioned(a, done, cm.body) {
		s.notify(u, notification{kind: notifMention, actor: a, postID: p.id, commentID: cm.id,
			message: a.username + " mentioned you in a comment on \"" + clip(p.title, 60) + "\""}, now)
		s.emit("mention", u, map[string]any{"post_id": p.id, "comment_id": cm.id, "author": a.username,
			"mentioned": u.username, "post_title": p.title})
		done[u] = true
	}
	s.notifyWatchers(cm, done, now)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}
