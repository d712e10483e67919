package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// AttachmentUpload is the answer of an attachment upload (wire schema AttachmentUploadOut).
// AttachmentID is what [MessageAttachment] calls ID; Width and Height are nil when the
// server did not measure the image; Deduped is true when the same bytes were uploaded
// before and the existing attachment was returned.
type AttachmentUpload struct {
	AttachmentID string `json:"attachment_id"`
	MimeType     string `json:"mime_type"`
	SizeBytes    int64  `json:"size_bytes"`
	Width        *int   `json:"width"`
	Height       *int   `json:"height"`
	ThumbURL     string `json:"thumb_url"`
	FullURL      string `json:"full_url"`
	Deduped      bool   `json:"deduped"`
}

// AttachmentVariant selects the rendition of an attachment to download.
type AttachmentVariant string

// The attachment renditions the server serves.
const (
	AttachmentFull  AttachmentVariant = "full"  // the stored image
	AttachmentThumb AttachmentVariant = "thumb" // a small preview
)

// UploadAttachment uploads an image to attach to messages (POST /messages/attachments/upload,
// multipart part "file"). ContentType must be image/png, image/jpeg, image/webp or
// image/gif; the server re-sniffs the bytes and refuses a mismatch ([ErrValidation]) and
// files over 8 MB (413). Re-uploading the same bytes returns the existing attachment
// with Deduped set, so a seekable [File] is retried safely; see File for one-shot readers.
func (s *MessagesService) UploadAttachment(ctx context.Context, f File, opts ...RequestOption) (*AttachmentUpload, error) {
	out := new(AttachmentUpload)
	if err := s.client.upload(ctx, "/messages/attachments/upload", f, attachmentTypes, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAttachment soft-deletes an attachment the caller uploaded
// (DELETE /messages/attachments/{attachment_id}, answered 204); deleting again is a no-op.
func (s *MessagesService) DeleteAttachment(ctx context.Context, attachmentID string, opts ...RequestOption) error {
	path, err := endpoint("/messages/attachments/{attachment_id}", attachmentID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// Attachment downloads an attachment (GET /messages/attachments/{attachment_id}/{variant});
// the zero variant means [AttachmentFull]. Only participants of the conversation the
// attachment was sent in may read it. The caller must Close the [Download].
func (s *MessagesService) Attachment(ctx context.Context, attachmentID string, variant AttachmentVariant, opts ...RequestOption) (*Download, error) {
	variant = orDefault(variant, AttachmentFull)
	if variant != AttachmentFull && variant != AttachmentThumb {
		return nil, invalidArgf("unknown attachment variant %q", variant)
	}
	path, err := endpoint("/messages/attachments/{attachment_id}/{variant}", attachmentID, string(variant))
	if err != nil {
		return nil, err
	}
	return s.client.download(ctx, path, nil, opts)
}

// SavedMessage is one starred message (wire schema SavedMessageEntry). OtherUsername
// locates a 1:1 thread; IsGroup and ConversationTitle a group one.
type SavedMessage struct {
	SavedAt           time.Time `json:"saved_at"`
	Note              *string   `json:"note"`
	Message           Message   `json:"message"`
	OtherUsername     *string   `json:"other_username"`
	IsGroup           bool      `json:"is_group"`
	ConversationTitle *string   `json:"conversation_title"`
}

// SavedMessages is one page of the caller's starred messages (wire schema SavedMessagesOut),
// newest-saved first; Pagination is nil when the server sent none.
type SavedMessages struct {
	Messages   []SavedMessage   `json:"messages"`
	Pagination *MessagePageMeta `json:"pagination"`
}

// SavedMessagesParams pages [MessagesService.ListSaved]. The zero value asks for the first 50.
type SavedMessagesParams struct {
	Limit      int // page size, 1-100; zero means 50. Always sent.
	Offset     int // entries to skip; always sent.
	MaxResults int // stops ListSavedIter after this many entries; zero means no limit
}

// ListSaved returns a page of the messages the caller starred (GET /messages/saved).
// p may be nil; a limit outside 1-100 or a negative offset is [ErrInvalidArgument].
func (s *MessagesService) ListSaved(ctx context.Context, p *SavedMessagesParams, opts ...RequestOption) (*SavedMessages, error) {
	var params SavedMessagesParams
	if p != nil {
		params = *p
	}
	limit, err := savedLimit(params)
	if err != nil {
		return nil, err
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(params.Offset)}}
	return call[SavedMessages](ctx, s.client, http.MethodGet, "/messages/saved", q, nil, opts)
}

func savedLimit(p SavedMessagesParams) (int, error) {
	if _, err := checkPaging(p.Limit, p.Offset, p.MaxResults); err != nil {
		return 0, err
	}
	return orDefault(p.Limit, 50), nil
}

// ListSavedIter ranges over the caller's starred messages from p.Offset, page by page.
func (s *MessagesService) ListSavedIter(ctx context.Context, p *SavedMessagesParams, opts ...RequestOption) iter.Seq2[*SavedMessage, error] {
	var params SavedMessagesParams
	if p != nil {
		params = *p
	}
	limit, err := savedLimit(params)
	if err != nil {
		return errSeq[SavedMessage](err)
	}
	key := func(m *SavedMessage) string { return m.Message.ID }
	return offsetIter(ctx, params.Offset, limit, params.MaxResults, key, func(ctx context.Context, offset int) (*ListResponse[SavedMessage], error) {
		page := params
		page.Limit, page.Offset = limit, offset
		sm, err := s.ListSaved(ctx, &page, opts...)
		if err != nil {
			return nil, err
		}
		l := &ListResponse[SavedMessage]{Items: sm.Messages}
		if sm.Pagination != nil {
			l.Total, l.HasMore = sm.Pagination.Total, &sm.Pagination.HasMore
		}
		return l, nil
	})
}

// MessageDeletion is the answer of [MessagesService.Delete] (wire schema MessageDeleteOut).
type MessageDeletion struct {
	Deleted   bool   `json:"deleted"`
	MessageID string `json:"message_id"`
}

// Delete replaces a message the caller sent by a tombstone (DELETE /messages/{message_id});
// reactions, reads and edit history are kept. Only the sender may delete ([ErrForbidden]).
func (s *MessagesService) Delete(ctx context.Context, messageID string, opts ...RequestOption) (*MessageDeletion, error) {
	path, err := endpoint("/messages/{message_id}", messageID)
	if err != nil {
		return nil, err
	}
	return call[MessageDeletion](ctx, s.client, http.MethodDelete, path, nil, nil, opts)
}

type editMessageBody struct {
	Body string `json:"body"`
}

// Edit replaces the body of a message the caller sent (PATCH /messages/{message_id});
// the previous body goes to the edit history. Allowed within 5 minutes of sending,
// else [ErrForbidden]. A blank body or one over 10000 characters is [ErrInvalidArgument].
func (s *MessagesService) Edit(ctx context.Context, messageID, body string, opts ...RequestOption) (*Message, error) {
	if err := checkMessageBody(body); err != nil {
		return nil, err
	}
	path, err := endpoint("/messages/{message_id}", messageID)
	if err != nil {
		return nil, err
	}
	return call[Message](ctx, s.client, http.MethodPatch, path, nil, editMessageBody{Body: body}, opts)
}

func checkMessageBody(body string) error {
	return checkText("message body", body, 1, 10000)
}

// MessageEditVersion is one version of an edited message (wire schema MessageEditVersion).
// At is the deprecated alias of CreatedAt, nil when the server no longer sends it.
type MessageEditVersion struct {
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	At        *time.Time `json:"at"`
	IsCurrent bool       `json:"is_current"`
}

// MessageEditHistory lists the versions of a message (wire schema MessageEditHistoryOut):
// the current body first, then older versions newest first.
type MessageEditHistory struct {
	MessageID string               `json:"message_id"`
	Versions  []MessageEditVersion `json:"versions"`
}

// Edits returns the edit history of a message (GET /messages/{message_id}/edits) for a
// participant of its conversation.
func (s *MessagesService) Edits(ctx context.Context, messageID string, opts ...RequestOption) (*MessageEditHistory, error) {
	path, err := endpoint("/messages/{message_id}/edits", messageID)
	if err != nil {
		return nil, err
	}
	return call[MessageEditHistory](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// ForwardParams details [MessagesService.Forward].
type ForwardParams struct {
	RecipientUsername string // required: who receives the forwarded message
	Comment           string // optional text prepended to the quote, at most 10000 characters; always sent
}

// Forward sends a new 1:1 message to p.RecipientUsername quoting the message
// (POST /messages/{message_id}/forward, query-only). The caller must be a participant
// of the source conversation, and DM rules apply to the recipient. Each call forwards
// again; retries of one call reuse its Idempotency-Key.
func (s *MessagesService) Forward(ctx context.Context, messageID string, p *ForwardParams, opts ...RequestOption) (*Message, error) {
	if p == nil || strings.TrimSpace(p.RecipientUsername) == "" {
		return nil, invalidArgf("forward needs RecipientUsername")
	}
	if n := utf8.RuneCountInString(p.Comment); n > 10000 {
		return nil, invalidArgf("forward comment is %d characters (max 10000)", n)
	}
	path, err := endpoint("/messages/{message_id}/forward", messageID)
	if err != nil {
		return nil, err
	}
	q := url.Values{"recipient_username": {p.RecipientUsername}, "comment": {p.Comment}}
	return call[Message](ctx, s.client, http.MethodPost, path, q, nil, opts)
}

type messageReactionBody struct {
	Emoji string `json:"emoji"`
}

// AddReaction reacts to a message with an emoji (POST /messages/{message_id}/reactions):
// any short emoji string of at most 30 characters, not the post [ReactionKey] names.
// Adding the same emoji twice is a no-op, so it is safe to retry.
func (s *MessagesService) AddReaction(ctx context.Context, messageID, emoji string, opts ...RequestOption) (*MessageReaction, error) {
	if err := checkEmoji(emoji); err != nil {
		return nil, err
	}
	path, err := endpoint("/messages/{message_id}/reactions", messageID)
	if err != nil {
		return nil, err
	}
	return call[MessageReaction](ctx, s.client, http.MethodPost, path, nil, messageReactionBody{Emoji: emoji}, opts)
}

func checkEmoji(emoji string) error {
	if n := utf8.RuneCountInString(emoji); strings.TrimSpace(emoji) == "" || n > 30 {
		return invalidArgf("emoji must be 1-30 characters, got %q", emoji)
	}
	return nil
}

// ReactionRemoval is the answer of [MessagesService.RemoveReaction] (wire schema ReactionRemoveOut):
// Removed is false when the caller had not placed that emoji.
type ReactionRemoval struct {
	Removed   bool   `json:"removed"`
	MessageID string `json:"message_id"`
	Emoji     string `json:"emoji"`
}

// RemoveReaction removes the caller's emoji reaction from a message
// (DELETE /messages/{message_id}/reactions/{emoji}, the emoji percent-encoded);
// idempotent.
func (s *MessagesService) RemoveReaction(ctx context.Context, messageID, emoji string, opts ...RequestOption) (*ReactionRemoval, error) {
	if err := checkEmoji(emoji); err != nil {
		return nil, err
	}
	path, err := endpoint("/messages/{message_id}/reactions/{emoji}", messageID, emoji)
	if err != nil {
		return nil, err
	}
	return call[ReactionRemoval](ctx, s.client, http.MethodDelete, path, nil, nil, opts)
}

// MessageReadState is the answer of [MessagesService.MarkMessageRead] (wire schema MarkMessageReadOut):
// WasUnread is false when the message was already read.
type MessageReadState struct {
	MessageID string     `json:"message_id"`
	WasUnread bool       `json:"was_unread"`
	ReadAt    *time.Time `json:"read_at"`
}

// MarkMessageRead marks one message read for the caller (POST /messages/{message_id}/read);
// idempotent.
func (s *MessagesService) MarkMessageRead(ctx context.Context, messageID string, opts ...RequestOption) (*MessageReadState, error) {
	path, err := endpoint("/messages/{message_id}/read", messageID)
	if err != nil {
		return nil, err
	}
	return call[MessageReadState](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// MessageReader is one participant in a read receipt list (wire schema MessageReadEntry);
// ReadAt is nil for those who have not read the message.
type MessageReader struct {
	UserID      string     `json:"user_id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	ReadAt      *time.Time `json:"read_at"`
}

// MessageReads says who has seen a message (wire schema MessageReadsOut); TotalOthers
// counts the participants other than the sender.
type MessageReads struct {
	IsGroup     bool            `json:"is_group"`
	TotalOthers int             `json:"total_others"`
	SeenCount   int             `json:"seen_count"`
	Seen        []MessageReader `json:"seen"`
	Unseen      []MessageReader `json:"unseen"`
}

// Reads returns the read receipts of a message (GET /messages/{message_id}/reads);
// [ErrForbidden] for a non-participant.
func (s *MessagesService) Reads(ctx context.Context, messageID string, opts ...RequestOption) (*MessageReads, error) {
	path, err := endpoint("/messages/{message_id}/reads", messageID)
	if err != nil {
		return nil, err
	}
	return call[MessageReads](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// StarState is the answer of [MessagesService.ToggleStar] (wire schema StarToggleOut): whether
// the message is saved after the call.
type StarState struct {
	Saved bool `json:"saved"`
}

// ToggleStar flips whether the caller has starred (saved) a message
// (POST /messages/{message_id}/star). Each call flips the state, so a retried call
// relies on its Idempotency-Key; check Saved.
func (s *MessagesService) ToggleStar(ctx context.Context, messageID string, opts ...RequestOption) (*StarState, error) {
	path, err := endpoint("/messages/{message_id}/star", messageID)
	if err != nil {
		return nil, err
	}
	return call[StarState](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}
