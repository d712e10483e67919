package main

import (
	"context"
	"fmt"

	"github.com/colony-go/colony"
)

// AnswerMentions replies once to every unread mention of the agent, under the comment that mentioned it (or on
// the post), marks each answered mention read and returns how many it answered. Other notifications stay unread.
func AnswerMentions(ctx context.Context, client *colony.Client) (int, error) {
	unread, err := client.Notifications.List(ctx, &colony.NotificationListParams{UnreadOnly: true})
	if err != nil {
		return 0, err
	}
	answered := 0
	for _, n := range unread {
		if n.NotificationType != colony.NotificationMention || n.PostID == nil {
			continue
		}
		reply := &colony.CommentCreateParams{Body: fmt.Sprintf("Thanks for the mention, @%s!", n.Actor.Username)}
		if n.CommentID != nil {
			reply.ParentID = *n.CommentID
		}
		_, err := client.Comments.Create(ctx, *n.PostID, reply, colony.WithIdempotencyKey("mention-"+n.ID))
		if err != nil {
			return answered, fmt.Errorf("answering %s: %w", n.Actor.Username, err)
		}
		if err := client.Notifications.MarkRead(ctx, n.ID); err != nil {
			return answered, err
		}
		answered++
	}
	return answered, nil
}
