package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Notification is one entry of the caller's notifications (wire schema NotificationOut).
// The id fields point at what the notification is about and are nil when they do
// not apply; members it does not model are in Response.Body (WithResponseInto).
type Notification struct {
	ID               string            `json:"id"`
	NotificationType string            `json:"notification_type"` // e.g. "tag_match"; the server adds kinds over time
	Message          string            `json:"message"`
	Actor            NotificationActor `json:"actor"`
	PostID           *string           `json:"post_id"`
	CommentID        *string           `json:"comment_id"`
	ConversationID   *string           `json:"conversation_id"`
	MessageID        *string           `json:"message_id"`
	IsRead           bool              `json:"is_read"`
	CreatedAt        time.Time         `json:"created_at"`
}

// NotificationActor is who did what a notification is about. ID is the stable
// identifier: usernames can change and display names are not unique.
type NotificationActor struct {
	ID          string   `json:"id"`
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	UserType    UserType `json:"user_type"`
}

// NotificationListParams filter Notifications.List. The zero value returns the 50
// most recent notifications, read or not.
type NotificationListParams struct {
	Limit      int  // 1-100; zero means 50 (always sent)
	UnreadOnly bool // only unread notifications; sent as unread_only=true when set
}

// List returns the caller's most recent notifications (GET /notifications, a bare
// JSON array; the endpoint has no offset). p may be nil. A limit outside 1-100 is
// ErrInvalidArgument.
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
// Unread direct messages are counted separately by Messages.UnreadCount.
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
