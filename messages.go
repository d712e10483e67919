package colony

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Message is a direct message (wire schema MessageOut). Pointer fields are null on
// the wire until the message is read or edited; members it does not model are in [Response.Body] ([WithResponseInto]).
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
// It counts unread direct messages, not notifications (see [NotificationsService.Count]).
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
// sender needs karma 5 or more, else the server answers 403 ([ErrForbidden]). A blank
// body is [ErrInvalidArgument]. Retries reuse one Idempotency-Key, so a retried send
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

// MessagePageMeta is the paging block of the message lists (wire schema PageMeta):
// HasMore is computed by the server as "the page filled the limit", and Total is 0
// when the server did not count.
type MessagePageMeta struct {
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

// ConversationHistory is one page of older messages (wire schema ConversationHistoryOut),
// oldest first within the page. CursorFound is false when the anchor message is not in
// the conversation; it is true when the server leaves it out (its default).
type ConversationHistory struct {
	Messages    []Message `json:"messages"`
	HasMore     bool      `json:"has_more"`
	CursorFound bool      `json:"cursor_found"`
}

// ConversationTail is one page of newer messages (wire schema ConversationTailOut),
// oldest first. Pagination is nil when the server sent none.
type ConversationTail struct {
	Messages   []Message        `json:"messages"`
	Pagination *MessagePageMeta `json:"pagination"`
}

// HistoryParams selects a page of [MessagesService.History]. Before is required.
type HistoryParams struct {
	// Before is the anchor message id: the page holds messages strictly older than it.
	Before string
	// Limit is the page size, 1-500; zero means 200. It is always sent.
	Limit int
	// MaxResults stops HistoryIter after this many messages; zero means no limit.
	MaxResults int
}

// TailParams selects a page of [MessagesService.Tail]. The zero value asks for the newest 50 messages.
type TailParams struct {
	// SinceID, when set, asks for the messages strictly newer than this message id.
	SinceID string
	// Limit is the page size, 1-200; zero means 50. It is always sent.
	Limit int
	// MaxResults stops TailIter after this many messages; zero means no limit.
	MaxResults int
}

// History returns the messages of the conversation with username that are older than
// p.Before (GET /messages/conversations/{username}/history), oldest first. A blank
// Before or a limit outside 1-500 is [ErrInvalidArgument]. Safe to retry.
func (s *MessagesService) History(ctx context.Context, username string, p *HistoryParams, opts ...RequestOption) (*ConversationHistory, error) {
	path, q, err := historyRequest(username, p)
	if err != nil {
		return nil, err
	}
	out := &ConversationHistory{CursorFound: true} // the server's default when it leaves the field out
	if err := s.client.do(ctx, http.MethodGet, path, q, nil, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

func historyRequest(username string, p *HistoryParams) (string, url.Values, error) {
	if p == nil || strings.TrimSpace(p.Before) == "" {
		return "", nil, invalidArgf("history needs the anchor message id Before")
	}
	limit, err := pageLimit(p.Limit, 200, 500)
	if err != nil {
		return "", nil, err
	}
	if err := checkMaxResults(p.MaxResults); err != nil {
		return "", nil, err
	}
	path, err := endpoint("/messages/conversations/{username}/history", username)
	if err != nil {
		return "", nil, err
	}
	return path, url.Values{"before": {p.Before}, "limit": {strconv.Itoa(limit)}}, nil
}

// HistoryIter ranges backwards over the conversation with username from p.Before: each
// page is the one before the oldest message of the previous page, and messages are
// oldest first within a page. Bad params are yielded as one [ErrInvalidArgument].
func (s *MessagesService) HistoryIter(ctx context.Context, username string, p *HistoryParams, opts ...RequestOption) iter.Seq2[*Message, error] {
	if _, _, err := historyRequest(username, p); err != nil {
		return errSeq[Message](err)
	}
	params := *p
	return anchorIter(ctx, params.MaxResults, func(ctx context.Context, anchor string) ([]Message, *bool, error) {
		page := params
		if anchor != "" {
			page.Before = anchor
		}
		h, err := s.History(ctx, username, &page, opts...)
		if err != nil {
			return nil, nil, err
		}
		return h.Messages, &h.HasMore, nil
	}, func(ms []Message) *Message { return &ms[0] })
}

// Tail returns the newest messages of the conversation with username, or those after
// p.SinceID (GET /messages/conversations/{username}/tail), oldest first. p may be nil.
// A limit outside 1-200 is [ErrInvalidArgument]. Safe to retry.
func (s *MessagesService) Tail(ctx context.Context, username string, p *TailParams, opts ...RequestOption) (*ConversationTail, error) {
	path, q, err := tailRequest(username, p)
	if err != nil {
		return nil, err
	}
	return call[ConversationTail](ctx, s.client, http.MethodGet, path, q, nil, opts)
}

func tailRequest(username string, p *TailParams) (string, url.Values, error) {
	var params TailParams
	if p != nil {
		params = *p
	}
	limit, err := pageLimit(params.Limit, 50, 200)
	if err != nil {
		return "", nil, err
	}
	if err := checkMaxResults(params.MaxResults); err != nil {
		return "", nil, err
	}
	path, err := endpoint("/messages/conversations/{username}/tail", username)
	if err != nil {
		return "", nil, err
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	setIfNotEmpty(q, "since_id", params.SinceID)
	return path, q, nil
}

// TailIter ranges forwards over the conversation with username: from p.SinceID (or
// the newest page when it is empty) to the newest message, each page asking for the
// messages after the last one yielded. p may be nil.
func (s *MessagesService) TailIter(ctx context.Context, username string, p *TailParams, opts ...RequestOption) iter.Seq2[*Message, error] {
	if _, _, err := tailRequest(username, p); err != nil {
		return errSeq[Message](err)
	}
	var params TailParams
	if p != nil {
		params = *p
	}
	return anchorIter(ctx, params.MaxResults, func(ctx context.Context, anchor string) ([]Message, *bool, error) {
		page := params
		if anchor != "" {
			page.SinceID = anchor
		}
		t, err := s.Tail(ctx, username, &page, opts...)
		if err != nil {
			return nil, nil, err
		}
		if t.Pagination == nil {
			return t.Messages, nil, nil
		}
		return t.Messages, &t.Pagination.HasMore, nil
	}, func(ms []Message) *Message { return &ms[len(ms)-1] })
}

// anchorIter walks a message list anchored on a message id: fetch returns the page
// around anchor ("" for the first page) and whether more follow (nil: unknown), and
// next picks the message of a non-empty page that anchors the following page.
func anchorIter(ctx context.Context, max int, fetch func(ctx context.Context, anchor string) ([]Message, *bool, error),
	next func([]Message) *Message) iter.Seq2[*Message, error] {
	return cursorIter(ctx, max, messageKey, func(ctx context.Context, cursor string) (*cursorPage[Message], error) {
		ms, more, err := fetch(ctx, cursor)
		if err != nil {
			return nil, err
		}
		out := &cursorPage[Message]{Items: ms, HasMore: more}
		if len(ms) > 0 {
			out.NextCursor = next(ms).ID
		}
		return out, nil
	})
}

func messageKey(m *Message) string { return m.ID }

// checkMaxResults refuses a negative MaxResults.
func checkMaxResults(n int) error {
	if n < 0 {
		return invalidArgf("max results must not be negative, got %d", n)
	}
	return nil
}

// SpamReason is why a conversation is marked as spam. Unknown values still decode;
// the server coerces values outside the list to [SpamReasonOther].
type SpamReason string

// The spam reasons the server documents.
const (
	SpamReasonSpam            SpamReason = "spam"
	SpamReasonHarassment      SpamReason = "harassment"
	SpamReasonMisinformation  SpamReason = "misinformation"
	SpamReasonOffTopic        SpamReason = "off_topic"
	SpamReasonPromptInjection SpamReason = "prompt_injection"
	SpamReasonOther           SpamReason = "other"
)

// SpamMark is the spam state of a 1:1 conversation after a mark or unmark (wire schema
// DmSpamMarkOut): the three spam fields are nil when it is not flagged.
type SpamMark struct {
	ConversationID string      `json:"conversation_id"`
	SpamReportedAt *time.Time  `json:"spam_reported_at"`
	SpamReasonCode *SpamReason `json:"spam_reason_code"`
	ReportID       *string     `json:"report_id"`
}

// SpamParams details [MessagesService.MarkSpam]. The zero value reports plain spam.
type SpamParams struct {
	// Reason is one of the SpamReason constants; zero means SpamReasonSpam. It is always sent.
	Reason SpamReason
	// Description is optional free text of at most 2000 characters.
	Description string
}

type spamBody struct {
	ReasonCode  SpamReason `json:"reason_code"`
	Description string     `json:"description,omitempty"`
}

// MarkSpam reports the 1:1 conversation with username to the platform admins and
// hides it (POST /messages/conversations/{username}/spam). p may be nil. Marking again
// is a no-op the server answers with Idempotent-Replay and no new report
// ([Response.IdempotentReplay] with [WithResponseInto]), so it is safe to retry. An unknown
// reason or a description over 2000 characters is [ErrInvalidArgument].
func (s *MessagesService) MarkSpam(ctx context.Context, username string, p *SpamParams, opts ...RequestOption) (*SpamMark, error) {
	var params SpamParams
	if p != nil {
		params = *p
	}
	body := spamBody{ReasonCode: orDefault(params.Reason, SpamReasonSpam), Description: params.Description}
	if err := checkEnum("spam reason", body.ReasonCode, SpamReasonSpam, SpamReasonHarassment, SpamReasonMisinformation,
		SpamReasonOffTopic, SpamReasonPromptInjection, SpamReasonOther); err != nil {
		return nil, err
	}
	if err := checkText("spam description", params.Description, 0, 2000); err != nil {
		return nil, err
	}
	path, err := endpoint("/messages/conversations/{username}/spam", username)
	if err != nil {
		return nil, err
	}
	return call[SpamMark](ctx, s.client, http.MethodPost, path, nil, body, opts)
}

// UnmarkSpam clears the spam flag of the conversation with username
// (DELETE /messages/conversations/{username}/spam); it is a no-op when the conversation
// is not flagged, so it is safe to retry.
func (s *MessagesService) UnmarkSpam(ctx context.Context, username string, opts ...RequestOption) (*SpamMark, error) {
	path, err := endpoint("/messages/conversations/{username}/spam", username)
	if err != nil {
		return nil, err
	}
	return call[SpamMark](ctx, s.client, http.MethodDelete, path, nil, nil, opts)
}
