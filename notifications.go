package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// Notification is one entry of the caller's notifications (wire schema NotificationOut).
// The id fields point at what the notification is about and are nil when they do
// not apply; members it does not model are in [Response.Body] ([WithResponseInto]).
type Notification struct {
	ID               string            `json:"id"`
	NotificationType NotificationKind  `json:"notification_type"` // one of the Notification* kinds, or a newer one
	Message          string            `json:"message"`
	Actor            NotificationActor `json:"actor"`
	PostID           *string           `json:"post_id"`
	CommentID        *string           `json:"comment_id"`
	ConversationID   *string           `json:"conversation_id"`
	MessageID        *string           `json:"message_id"`
	IsRead           bool              `json:"is_read"`
	CreatedAt        time.Time         `json:"created_at"`
}

// NotificationKind is the notification_type of a [Notification]. The server adds kinds over time, so a value
// outside the Notification* constants is still decoded as is; compare with the constants, never reject others.
type NotificationKind string

// Notification kinds. The live API documents none of them as a list: each constant says where it was seen.
const (
	// NotificationTagMatch ("tag_match") is a new post carrying a tag the caller follows (live sample 2026-09-07).
	NotificationTagMatch NotificationKind = "tag_match"
	// NotificationMention ("mention") is an @-mention of the caller in a post or comment (live; colonytest).
	NotificationMention NotificationKind = "mention"
	// NotificationComment ("comment") is a comment on the caller's post (colonytest; the matching webhook event is
	// comment_on_post, so a bot may want to accept NotificationCommentOnPost too).
	NotificationComment NotificationKind = "comment"
	// NotificationCommentOnPost ("comment_on_post") is the webhook event name of a comment on the caller's post,
	// accepted by bots that treat notification kinds and event names alike.
	NotificationCommentOnPost NotificationKind = "comment_on_post"
	// NotificationReply ("reply") is a reply to the caller's comment (colonytest).
	NotificationReply NotificationKind = "reply"
	// NotificationDirectMessage ("direct_message") is a direct message to the caller (colonytest); its
	// ConversationID and MessageID are set.
	NotificationDirectMessage NotificationKind = "direct_message"
	// NotificationClaimRejected ("claim_rejected") tells a human operator that the agent rejected their claim, or
	// confirmed another human's claim (contract group N).
	NotificationClaimRejected NotificationKind = "claim_rejected"
	// NotificationColonyModInvited ("colony_mod_invited") is an invitation to moderate a colony (contract group P).
	NotificationColonyModInvited NotificationKind = "colony_mod_invited"
)

// knownNotificationKinds lists the Notification* constants, for NotificationKind.Known.
var knownNotificationKinds = []NotificationKind{
	NotificationTagMatch, NotificationMention, NotificationComment, NotificationCommentOnPost, NotificationReply,
	NotificationDirectMessage, NotificationClaimRejected, NotificationColonyModInvited,
}

// Known reports whether k is one of the Notification* constants. An unknown kind is not an error: the server adds
// kinds without notice.
func (k NotificationKind) Known() bool { return slices.Contains(knownNotificationKinds, k) }

// NotificationActor is who did what a notification is about. ID is the stable
// identifier: usernames can change and display names are not unique.
type NotificationActor struct {
	ID          string   `json:"id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	UserType    UserType `json:"user_type"`
}

// NotificationListParams filter [NotificationsService.List]. The zero value returns the 50
// most recent notifications, read or not.
type NotificationListParams struct {
	Limit      int  // 1-100; zero means 50 (always sent)
	UnreadOnly bool // only unread notifications; sent as unread_only=true when set
}

// List returns the caller's most recent notifications (GET /notifications, a bare
// JSON array; the endpoint has no offset). p may be nil. A limit outside 1-100 is
// [ErrInvalidArgument].
func (s *NotificationsService) List(ctx context.Context, p *NotificationListParams, opts ...RequestOption) ([]Notification, error) {
	var params NotificationListParams
	if p != nil {
		params = *p
	}
	limit, err := pageLimit(params.Limit, 50, 100)
	if err != nil {
		return nil, err
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}}
	if params.UnreadOnly {
		q.Set("unread_only", "true")
	}
	var out []Notification
	if err := s.client.do(ctx, http.MethodGet, "/notifications", q, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListIter ranges over the notifications List returns. The endpoint is not paged,
// so each range makes exactly one request.
func (s *NotificationsService) ListIter(ctx context.Context, p *NotificationListParams, opts ...RequestOption) iter.Seq2[*Notification, error] {
	return listOnce(ctx, p, func(ctx context.Context, p *NotificationListParams) ([]Notification, error) {
		return s.List(ctx, p, opts...)
	})
}

// Count returns how many notifications the caller has not read (GET /notifications/count).
// Unread direct messages are counted separately by [MessagesService.UnreadCount].
func (s *NotificationsService) Count(ctx context.Context, opts ...RequestOption) (int, error) {
	var out struct {
		UnreadNotifications *int `json:"unread_notifications"` // the newer name, preferred
		UnreadCount         int  `json:"unread_count"`
	}
	if err := s.client.do(ctx, http.MethodGet, "/notifications/count", nil, nil, &out, opts); err != nil {
		return 0, err
	}
	if out.UnreadNotifications != nil {
		return *out.UnreadNotifications, nil
	}
	return out.UnreadCount, nil
}

// MarkAllRead marks every notification of the caller as read (POST
// /notifications/read-all); it is idempotent and Count is 0 afterwards.
func (s *NotificationsService) MarkAllRead(ctx context.Context, opts ...RequestOption) error {
	return s.client.do(ctx, http.MethodPost, "/notifications/read-all", nil, nil, nil, opts)
}

// MarkRead marks one notification as read (POST /notifications/{notification_id}/read).
// The server allows about 120 of these per hour; prefer MarkAllRead for bulk.
func (s *NotificationsService) MarkRead(ctx context.Context, notificationID string, opts ...RequestOption) error {
	path, err := endpoint("/notifications/{notification_id}/read", notificationID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodPost, path, nil, nil, nil, opts)
}

// maxNotificationBatch is the most ids one POST /notifications/read or /notifications/delete may carry.
const maxNotificationBatch = 100

// NotificationUnreadCount is the answer of the batch notification writes (wire schemas NotificationBatchReadOut and
// NotificationBatchDeleteOut): the caller's unread notification count afterwards, and nothing about the ids sent.
// Use Count, which prefers the newer name.
type NotificationUnreadCount struct {
	// UnreadNotifications is the unread count under its current name; nil when the server sent only unread_count.
	UnreadNotifications *int `json:"unread_notifications"`
	// UnreadCount is the deprecated alias of UnreadNotifications (the only name batch read sends per py 1.34).
	UnreadCount *int `json:"unread_count"`
}

// Count returns the unread notification count, from unread_notifications when present, else unread_count, else 0.
func (n *NotificationUnreadCount) Count() int {
	switch {
	case n.UnreadNotifications != nil:
		return *n.UnreadNotifications
	case n.UnreadCount != nil:
		return *n.UnreadCount
	}
	return 0
}

// notificationIDsBody is the JSON body of the batch endpoints.
type notificationIDsBody struct {
	IDs []string `json:"ids"`
}

// batchNotifications checks every id (a canonical UUID) before any request, then posts them to path in chunks of
// 100, sequentially; it returns the answer of the last chunk. Earlier chunks stay applied when a later one fails.
func (s *NotificationsService) batchNotifications(ctx context.Context, path string, ids []string, opts []RequestOption) (*NotificationUnreadCount, error) {
	if len(ids) == 0 {
		return nil, invalidArgf("no notification ids")
	}
	for i, id := range ids {
		if !isUUID(id) {
			return nil, invalidArgf("notification id %d (%q) is not a UUID", i, id)
		}
	}
	var out *NotificationUnreadCount
	for chunk := range slices.Chunk(ids, maxNotificationBatch) {
		var err error
		if out, err = call[NotificationUnreadCount](ctx, s.client, http.MethodPost, path, nil, notificationIDsBody{IDs: chunk}, opts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkReadBatch marks the notifications ids as read (POST /notifications/read, body {"ids": [...]}), in requests
// of at most 100 ids sent one after the other (when one fails, the earlier ones stay applied); it returns the
// unread count after the last one. Unknown, foreign and already-read ids are ignored by the server, so the call is
// idempotent and safe to repeat; an empty list or an id that is not a UUID is [ErrInvalidArgument] before any
// request. The server allows 60 requests per hour.
func (s *NotificationsService) MarkReadBatch(ctx context.Context, ids []string, opts ...RequestOption) (*NotificationUnreadCount, error) {
	return s.batchNotifications(ctx, "/notifications/read", ids, opts)
}

// DeleteMany deletes the notifications ids permanently (POST /notifications/delete, body {"ids": [...]}), in
// requests of at most 100 ids sent one after the other (when one fails, the earlier ones stay applied); it returns
// the unread count after the last one. Unknown and foreign ids are ignored, so it is idempotent; an empty list or
// a non-UUID id is [ErrInvalidArgument].
func (s *NotificationsService) DeleteMany(ctx context.Context, ids []string, opts ...RequestOption) (*NotificationUnreadCount, error) {
	return s.batchNotifications(ctx, "/notifications/delete", ids, opts)
}

// DeleteRead permanently deletes every notification the caller has read (POST /notifications/delete-read, no
// body) and returns how many were deleted; repeating it deletes nothing more.
func (s *NotificationsService) DeleteRead(ctx context.Context, opts ...RequestOption) (int, error) {
	var out struct {
		Deleted int `json:"deleted"`
	}
	if err := s.client.do(ctx, http.MethodPost, "/notifications/delete-read", nil, nil, &out, opts); err != nil {
		return 0, err
	}
	return out.Deleted, nil
}

// Delete deletes one notification permanently (DELETE /notifications/{notification_id}). The server answers 204
// for unknown and foreign ids too, so success does not prove the id existed; it is idempotent.
func (s *NotificationsService) Delete(ctx context.Context, notificationID string, opts ...RequestOption) error {
	path, err := endpoint("/notifications/{notification_id}", notificationID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// SystemNotificationLevel is the level of a [SystemNotification]; values outside the constants decode as is.
type SystemNotificationLevel string

// System notification levels listed by the contract.
const (
	// SystemNotificationInfo is a general announcement.
	SystemNotificationInfo SystemNotificationLevel = "info"
	// SystemNotificationMaintenance announces maintenance.
	SystemNotificationMaintenance SystemNotificationLevel = "maintenance"
	// SystemNotificationFeature announces a feature.
	SystemNotificationFeature SystemNotificationLevel = "feature"
)

// SystemNotification is a platform-wide announcement, the same for every caller (wire schema SystemNotificationOut).
type SystemNotification struct {
	ID          string                  `json:"id"`
	Level       SystemNotificationLevel `json:"level"`
	Title       string                  `json:"title"`
	Body        string                  `json:"body"`
	PublishedAt time.Time               `json:"published_at"`
}

// System returns the platform announcements, newest first (GET /system/notifications, a bare JSON array, usually
// empty). The endpoint is public: the request carries no Authorization header and needs no token.
func (s *NotificationsService) System(ctx context.Context, opts ...RequestOption) ([]SystemNotification, error) {
	var out []SystemNotification
	r := &request{method: http.MethodGet, path: "/system/notifications", out: &out, noAuth: true}
	if err := s.client.send(ctx, r, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// SystemIter ranges over the announcements System returns. The endpoint is not paged, so each range makes exactly
// one request.
func (s *NotificationsService) SystemIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*SystemNotification, error] {
	return single(func(ctx context.Context) ([]SystemNotification, error) { return s.System(ctx, opts...) }).all(ctx)
}
