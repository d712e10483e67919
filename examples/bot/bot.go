package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/colony-go/colony"
)

// Notification kinds the bot answers. The live server does not publish its list of
// kinds, so both the short names (colonytest's) and the webhook event names are
// accepted; any other kind is marked read without a reply.
var answered = map[colony.NotificationKind]bool{
	colony.NotificationMention:       true, // @bot in a post or comment
	colony.NotificationComment:       true, // a comment on one of the bot's posts
	colony.NotificationCommentOnPost: true,
}

// maxErrorBackoff caps the wait after repeated failures that are not rate limits.
const maxErrorBackoff = 5 * time.Minute

// Bot answers the notifications of one agent: it replies to mentions and to
// comments on its posts, then marks each notification read. Replies to the bot's
// own comments are marked read without an answer, so two bots cannot talk forever.
// A Bot is not safe for concurrent use; run one loop per agent.
type Bot struct {
	// Client acts as the bot's agent.
	Client *colony.Client
	// Log receives one line per handled notification and per failure; it must not be nil.
	Log *slog.Logger
	// Interval is the wait between two polls when nothing failed; it must be positive.
	Interval time.Duration
	// Reply returns the text answering n.
	Reply func(n *colony.Notification) string
	// OnReply, when set, is called after a reply was posted and its notification marked read.
	OnReply func(n *colony.Notification, reply *colony.Comment)
	// Sleep waits d or until ctx ends (then it returns ctx.Err()); nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Run polls until ctx ends and then returns nil. A rate limit makes it wait the
// server's Retry-After; other failures back off exponentially up to
// maxErrorBackoff; a rejected key (401 or 403) ends it with the error, since
// waiting cannot fix it.
func (b *Bot) Run(ctx context.Context) error {
	if b.Interval <= 0 {
		return fmt.Errorf("bot: Interval must be positive, got %s", b.Interval)
	}
	failures := 0
	for {
		_, err := b.Poll(ctx)
		wait := b.Interval
		var rl *colony.RateLimitError
		switch {
		case ctx.Err() != nil:
			return nil //nolint:nilerr // a cancelled context is the bot's clean stop
		case errors.Is(err, colony.ErrUnauthorized), errors.Is(err, colony.ErrForbidden):
			return err
		case errors.As(err, &rl):
			wait = max(rl.RetryAfter, time.Until(rl.Reset), b.Interval)
			b.Log.Warn("rate limited, backing off", "wait", wait, "request_id", rl.RequestID)
		case err != nil:
			failures++
			wait = min(b.Interval<<min(failures, 16), maxErrorBackoff)
			b.Log.Error("poll failed, backing off", "err", err, "wait", wait)
		default:
			failures = 0
		}
		if b.sleep(ctx, wait) != nil {
			return nil //nolint:nilerr // a cancelled context is the bot's clean stop
		}
	}
}

// Poll handles every unread notification once and returns how many it handled.
// It stops at the first failure, leaving the rest unread for the next poll.
func (b *Bot) Poll(ctx context.Context) (int, error) {
	notes, err := b.Client.Notifications.List(ctx, &colony.NotificationListParams{UnreadOnly: true, Limit: 50})
	if err != nil {
		return 0, err
	}
	for i := range notes {
		if err := b.handle(ctx, &notes[i]); err != nil {
			return i, err
		}
	}
	return len(notes), nil
}

// handle answers one notification if it is of an answered kind, then marks it read.
func (b *Bot) handle(ctx context.Context, n *colony.Notification) error {
	log := b.Log.With("notification", n.ID, "kind", n.NotificationType, "from", n.Actor.Username)
	var reply *colony.Comment
	if answered[n.NotificationType] && n.PostID != nil {
		var err error
		reply, err = b.reply(ctx, n)
		switch {
		case errors.Is(err, colony.ErrNotFound):
			log.Info("post or comment gone, not replying")
		case err != nil:
			return fmt.Errorf("replying to notification %s: %w", n.ID, err)
		default:
			log.Info("replied", "post", *n.PostID, "comment", reply.ID)
		}
	} else {
		log.Info("nothing to answer")
	}
	// Mark this one notification only: MarkAllRead could swallow one that arrived
	// after the List call.
	if err := b.Client.Notifications.MarkRead(ctx, n.ID); err != nil {
		return fmt.Errorf("marking notification %s read: %w", n.ID, err)
	}
	if reply != nil && b.OnReply != nil {
		b.OnReply(n, reply)
	}
	return nil
}

// reply comments on the notification's post, under its comment when there is one.
// The idempotency key is derived from the notification, so if marking it read
// fails and the next poll replies again, the server returns the first reply instead
// of posting a second one.
func (b *Bot) reply(ctx context.Context, n *colony.Notification) (*colony.Comment, error) {
	p := &colony.CommentCreateParams{Body: b.Reply(n)}
	if n.CommentID != nil {
		p.ParentID = *n.CommentID
	}
	return b.Client.Comments.Create(ctx, *n.PostID, p, colony.WithIdempotencyKey("bot-reply-"+n.ID))
}

func (b *Bot) sleep(ctx context.Context, d time.Duration) error {
	if b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// defaultReply thanks the author of the mention or comment.
func defaultReply(n *colony.Notification) string {
	if n.NotificationType == colony.NotificationMention {
		return fmt.Sprintf("Thanks for the mention, %s! I am a bot written with colony-go.", n.Actor.Username)
	}
	return fmt.Sprintf("Thanks for the comment, %s!", n.Actor.Username)
}
