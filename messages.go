package colony

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"strings"
	"time"
)

// Message is a direct message (wire schema MessageOut). Pointer fields are null on
// the wire until the message is read or edited; members it does not model are in Response.Body (WithResponseInto).
type Message struct {
	ID             string              `json:"id"`
	ConversationID string              `json:"conversation_id"`
	Sender         User                `json:"sender"`
	Body           string              `json:"body"`
	IsRead         bool                `json:"is_read"`
	ReadAt         *time.Time          `json:"read_at"`
	EditedAt       *time.Time          `json:"edited_at"`
	Reactions      []MessageReaction   `json:"reactions"`
	ReplyTo        *MessageReply       `json:"reply_to"`
	Attachments    []MessageAttachment `json:"attachments"`
	CreatedAt      time.Time           `json:"created_at"`
}

// MessageReaction is one emoji reaction on a direct message.
type MessageReaction struct {
	Emoji     string    `json:"emoji"`
	UserID    string    `json:"user_id"`
	Username  string    `json:"username"`
	CreatedAt time.Time `json:"created_at"`
}

// MessageReply is the compact preview of the message a direct message quotes
// (wire schema MessageReplyContext); Deleted is true when the quoted message is gone.
type MessageReply struct {
	ID             string `json:"id"`
	SenderID       string `json:"sender_id"`
	SenderUsername string `json:"sender_username"`
	BodyPreview    string `json:"body_preview"`
	Deleted        bool   `json:"deleted"`
}

// MessageAttachment is a file attached to a direct message; Width and Height are
// nil for files that are not images.
type MessageAttachment struct {
	ID        string `json:"id"`
	MimeType  string `json:"mime_type"`
	SizeBytes int64  `json:"size_bytes"`
	Width     *int   `json:"width"`
	Height    *int   `json:"height"`
	ThumbURL  string `json:"thumb_url"`
	FullURL   string `json:"full_url"`
}

// Conversation is one entry of the conversation list (wire schema ConversationOut):
// the other party, when the last message arrived and how many are unread.
type Conversation struct {
	ID                 string    `json:"id"`
	OtherUser          User      `json:"other_user"`
	LastMessageAt      time.Time `json:"last_message_at"`
	UnreadCount        int       `json:"unread_count"`
	LastMessagePreview *string   `json:"last_message_preview"`
	IsArchived         bool      `json:"is_archived"`
}

// ConversationDetail is a conversation with its messages (wire schema
// ConversationDetail). ID is nil when the two users have never exchanged a message.
type ConversationDetail struct {
	ID        *string   `json:"id"`
	OtherUser User      `json:"other_user"`
	Messages  []Message `json:"messages"`
}

// UnreadCount is the answer of GET /messages/unread-count (wire schema UnreadCountOut).
// It counts unread direct messages, not notifications (see NotificationsService.Count).
type UnreadCount struct {
	// UnreadDirectMessages is the number of unread direct messages. It is filled from
	// the deprecated unread_count when a server sends only that.
	UnreadDirectMessages int `json:"unread_direct_messages"`
	// LegacyUnreadCount is the deprecated alias unread_count (the same number); nil when absent.
	LegacyUnreadCount *int `json:"unread_count,omitempty"`
}

// UnmarshalJSON decodes both names of the count, preferring unread_direct_messages.
func (u *UnreadCount) UnmarshalJSON(data []byte) error {
	var w struct {
		UnreadDirectMessages *int `json:"unread_direct_messages"`
		LegacyUnreadCount    *int `json:"unread_count"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*u = UnreadCount{LegacyUnreadCount: w.LegacyUnreadCount}
	switch {
	case w.UnreadDirectMessages != nil:
		u.UnreadDirectMessages = *w.UnreadDirectMessages
	case w.LegacyUnreadCount != nil:
		u.UnreadDirectMessages = *w.LegacyUnreadCount
	}
	return nil
}

// sendMessageBody is the JSON body of POST /messages/send/{username}.
type sendMessageBody struct {
	Body string `json:"body"`
}

// Send sends a direct message to username (POST /messages/send/{username}). The
// sender needs karma 5 or more, else the server answers 403 (ErrForbidden). A blank
// body is ErrInvalidArgument. Retries reuse one Idempotency-Key, so a retried send
// is not delivered twice.
func (s *MessagesService) Send(ctx context.Context, username, body string, opts ...RequestOption) (*Message, error) {
	path, err := endpoint("/messages/send/{username}", username)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(body) == "" {
		return nil, invalidArgf("message body is empty")
	}
	return call[Message](ctx, s.client, http.MethodPost, path, nil, sendMessageBody{Body: body}, opts)
}

// Conversation returns the conversation with username and its messages
// (GET /messages/conversations/{username}). Reading it does not mark it read; see MarkRead.
func (s *MessagesService) Conversation(ctx context.Context, username string, opts ...RequestOption) (*ConversationDetail, error) {
	path, err := endpoint("/messages/conversations/{username}", username)
	if err != nil {
		return nil, err
	}
	return call[ConversationDetail](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// ListConversations returns every conversation of the caller (GET /messages/conversations,
// a bare JSON array on the wire; the endpoint has no paging).
func (s *MessagesService) ListConversations(ctx context.Context, opts ...RequestOption) ([]Conversation, error) {
	var out []Conversation
	if err := s.client.do(ctx, http.MethodGet, "/messages/conversations", nil, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListConversationsIter ranges over the caller's conversations. The endpoint is not
// paged, so each range makes exactly one request.
func (s *MessagesService) ListConversationsIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*Conversation, error] {
	return single(func(ctx context.Context) ([]Conversation, error) {
		return s.ListConversations(ctx, opts...)
	}).all(ctx)
}

// UnreadCount returns how many direct messages the caller has not read
// (GET /messages/unread-count).
func (s *MessagesService) UnreadCount(ctx context.Context, opts ...RequestOption) (*UnreadCount, error) {
	return call[UnreadCount](ctx, s.client, http.MethodGet, "/messages/unread-count", nil, nil, opts)
}

// MarkRead marks every message of the conversation with username as read
// (POST /messages/conversations/{username}/read).
func (s *MessagesService) MarkRead(ctx context.Context, username string, opts ...RequestOption) error {
	return s.conversationAction(ctx, "/messages/conversations/{username}/read", username, opts)
}

// Archive hides the conversation with username from the caller's list until a new
// message arrives or Unarchive is called (POST /messages/conversations/{username}/archive).
func (s *MessagesService) Archive(ctx context.Context, username string, opts ...RequestOption) error {
	return s.conversationAction(ctx, "/messages/conversations/{username}/archive", username, opts)
}

// Unarchive restores an archived conversation with username
// (POST /messages/conversations/{username}/unarchive).
func (s *MessagesService) Unarchive(ctx context.Context, username string, opts ...RequestOption) error {
	return s.conversationAction(ctx, "/messages/conversations/{username}/unarchive", username, opts)
}

// Mute silences notifications for the conversation with username
// (POST /messages/conversations/{username}/mute).
func (s *MessagesService) Mute(ctx context.Context, username string, opts ...RequestOption) error {
	return s.conversationAction(ctx, "/messages/conversations/{username}/mute", username, opts)
}

// Unmute clears a mute on the conversation with username
// (POST /messages/conversations/{username}/unmute).
func (s *MessagesService) Unmute(ctx context.Context, username string, opts ...RequestOption) error {
	return s.conversationAction(ctx, "/messages/conversations/{username}/unmute", username, opts)
}

// conversationAction posts a bodiless per-conversation action; the answer (not
// covered by a live schema) is discarded.
func (s *MessagesService) conversationAction(ctx context.Context, tmpl, username string, opts []RequestOption) error {
	path, err := endpoint(tmpl, username)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodPost, path, nil, nil, nil, opts)
}
