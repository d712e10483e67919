package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// ModQueueSource is the kind of a mod-queue item. Unknown kinds still decode.
type ModQueueSource string

// The queue sources the server knows; Unmoderated and EditedPost appear only when
// asked for by name.
const (
	QueuePendingPost           ModQueueSource = "pending_post"
	QueueOpenReport            ModQueueSource = "open_report"
	QueueAutomodRemovedPost    ModQueueSource = "automod_removed_post"
	QueueAutomodRemovedComment ModQueueSource = "automod_removed_comment"
	QueueAutomodFilteredPost   ModQueueSource = "automod_filtered_post"
	QueueXSSProbeQuarantined   ModQueueSource = "xss_probe_quarantined"
	QueueUnmoderated           ModQueueSource = "unmoderated"
	QueueEditedPost            ModQueueSource = "edited_post"
)

var queueSources = []ModQueueSource{QueuePendingPost, QueueOpenReport, QueueAutomodRemovedPost, QueueAutomodRemovedComment,
	QueueAutomodFilteredPost, QueueXSSProbeQuarantined, QueueUnmoderated, QueueEditedPost}

// ModQueueAction is what a moderator does to a queue item; which actions suit which
// source is decided by the server (a wrong pair is [ErrValidation]).
type ModQueueAction string

// The queue actions the server knows.
const (
	QueueApprove        ModQueueAction = "approve"
	QueueReject         ModQueueAction = "reject"
	QueueRemove         ModQueueAction = "remove"
	QueueDismiss        ModQueueAction = "dismiss"
	QueueRestore        ModQueueAction = "restore"
	QueueConfirmRemoval ModQueueAction = "confirm_removal"
	QueueLock           ModQueueAction = "lock"
	QueueBanAuthor      ModQueueAction = "ban_author" // needs BanDays 1, 7 or 30
)

var queueActions = []ModQueueAction{QueueApprove, QueueReject, QueueRemove, QueueDismiss, QueueRestore,
	QueueConfirmRemoval, QueueLock, QueueBanAuthor}

// ModQueueSort orders the mod queue.
type ModQueueSort string

// The queue orders.
const (
	QueueNewest ModQueueSort = "newest" // the default
	QueueOldest ModQueueSort = "oldest"
)

// ModQueueStatus selects open or resolved queue items.
type ModQueueStatus string

// The queue statuses.
const (
	QueueOpen     ModQueueStatus = "open" // the default
	QueueResolved ModQueueStatus = "resolved"
)

// ModQueueItem is one row of the mod queue (wire schema ModQueueItemOut). Act on
// SourceKind/SourceID, not on the target.
type ModQueueItem struct {
	SourceKind ModQueueSource `json:"source_kind"`
	SourceID   string         `json:"source_id"`
	TargetKind string         `json:"target_kind"`
	TargetID   string         `json:"target_id"`
	AuthorID   *string        `json:"author_id"`
	Excerpt    string         `json:"excerpt"`
	CreatedAt  time.Time      `json:"created_at"`
	Payload    map[string]any `json:"payload"`
}

// ModQueue is one page of the mod queue (wire schema ModQueueListOut); ChipCounts
// covers the whole queue, filter-only sources included.
type ModQueue struct {
	Items              []ModQueueItem `json:"items"`
	ChipCounts         map[string]int `json:"chip_counts"`
	Total              int            `json:"total"`
	Limit              int            `json:"limit"`
	Offset             int            `json:"offset"`
	Page               int            `json:"page"`
	PageSize           int            `json:"page_size"`
	PendingAppealCount int            `json:"pending_appeal_count"`
}

// ModQueueParams filter and page [ModerationService.Queue]; page, page_size, sort and
// queue_status are always sent with their defaults (1, 25, newest, open).
type ModQueueParams struct {
	Page       int            // 1-based; zero means 1
	PageSize   int            // 1-50; zero means 25
	Sort       ModQueueSort   // zero means QueueNewest
	Status     ModQueueStatus // zero means QueueOpen
	Source     ModQueueSource // one source only; not sent when empty
	MaxResults int            // stops QueueIter after that many items (0 = no limit)
}

func (p ModQueueParams) query() (url.Values, int, error) {
	size, err := pageLimit(p.PageSize, 25, 50)
	if err != nil {
		return nil, 0, err
	}
	if p.Page < 0 || p.MaxResults < 0 {
		return nil, 0, invalidArgf("page and max results must not be negative")
	}
	sort := orDefault(p.Sort, QueueNewest)
	status := orDefault(p.Status, QueueOpen)
	if err := checkEnum("queue sort", sort, QueueNewest, QueueOldest); err != nil {
		return nil, 0, err
	}
	if err := checkEnum("queue status", status, QueueOpen, QueueResolved); err != nil {
		return nil, 0, err
	}
	q := url.Values{"page": {strconv.Itoa(orDefault(p.Page, 1))}, "page_size": {strconv.Itoa(size)},
		"sort": {string(sort)}, "queue_status": {string(status)}}
	if p.Source != "" {
		if err := checkEnum("queue source", p.Source, queueSources...); err != nil {
			return nil, 0, err
		}
		q.Set("source", string(p.Source))
	}
	return q, size, nil
}

// Queue returns one page of a colony's mod queue (GET /colonies/{colony_id}/queue).
// Moderators only. p may be nil.
func (s *ModerationService) Queue(ctx context.Context, colony string, p *ModQueueParams, opts ...RequestOption) (*ModQueue, error) {
	var params ModQueueParams
	if p != nil {
		params = *p
	}
	q, _, err := params.query()
	if err != nil {
		return nil, err
	}
	return colonyCall[ModQueue](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/queue", colony, nil, q, nil, opts)
}

// QueueIter ranges over the mod queue page by page from p.Page until the total is
// reached, a short page or p.MaxResults; a repeated page ends it with [ErrPageStalled].
func (s *ModerationService) QueueIter(ctx context.Context, colony string, p *ModQueueParams, opts ...RequestOption) iter.Seq2[*ModQueueItem, error] {
	var base ModQueueParams
	if p != nil {
		base = *p
	}
	_, size, err := base.query()
	if err != nil {
		return errSeq[ModQueueItem](err)
	}
	return pageIter(ctx, orDefault(base.Page, 1), size, base.MaxResults,
		func(it *ModQueueItem) string { return string(it.SourceKind) + ":" + it.SourceID },
		func(ctx context.Context, page int) (*ListResponse[ModQueueItem], error) {
			q := base
			q.Page, q.PageSize = page, size
			out, err := s.Queue(ctx, colony, &q, opts...)
			if err != nil {
				return nil, err
			}
			return &ListResponse[ModQueueItem]{Items: out.Items, Total: out.Total}, nil
		})
}

// ModQueueActionParams is one queue action (wire schema ModQueueActionRequest).
// ReasonID (a removal reason) and ReasonText (at most 2000 characters) are not sent
// when empty; BanDays is required for [QueueBanAuthor] and refused with other actions.
type ModQueueActionParams struct {
	SourceKind ModQueueSource `json:"source_kind"`
	SourceID   string         `json:"source_id"`
	Action     ModQueueAction `json:"action"`
	ReasonID   string         `json:"reason_id,omitempty"`
	ReasonText string         `json:"reason_text,omitempty"`
	BanDays    BanDuration    `json:"ban_duration_days,omitempty"`
}

func (p ModQueueActionParams) check() error {
	if err := checkText("source id", p.SourceID, 1, 0); err != nil {
		return err
	}
	if err := checkEnum("queue source", p.SourceKind, queueSources...); err != nil {
		return err
	}
	if err := checkEnum("queue action", p.Action, queueActions...); err != nil {
		return err
	}
	if err := checkText("reason text", p.ReasonText, 0, 2000); err != nil {
		return err
	}
	switch {
	case p.Action == QueueBanAuthor && p.BanDays == BanPermanent:
		return invalidArgf("ban_author needs a ban duration of 1, 7 or 30 days")
	case p.Action != QueueBanAuthor && p.BanDays != BanPermanent:
		return invalidArgf("a ban duration goes only with ban_author, not %q", p.Action)
	}
	return checkBanDuration("ban duration", p.BanDays)
}

// ModQueueActionResult is the outcome of one queue action (wire schema
// ModQueueActionResultOut); CascadedReportIDs lists reports the action also closed.
type ModQueueActionResult struct {
	ModlogID          string   `json:"modlog_id"`
	SourceKind        string   `json:"source_kind"`
	SourceID          string   `json:"source_id"`
	Action            string   `json:"action"`
	TargetKind        string   `json:"target_kind"`
	TargetID          *string  `json:"target_id"`
	CascadedReportIDs []string `json:"cascaded_report_ids"`
	ReasonID          *string  `json:"reason_id"`
}

// ActOnQueue applies one action to a queue item (POST /colonies/{colony_id}/queue/action).
// Moderators only; a resolved item is refused by the server, so a retried action is not applied twice.
func (s *ModerationService) ActOnQueue(ctx context.Context, colony string, p ModQueueActionParams, opts ...RequestOption) (*ModQueueActionResult, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return colonyCall[ModQueueActionResult](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/queue/action", colony, nil, nil, p, opts)
}

// ModQueueBulkParams are 1-100 queue actions; ReasonID and ReasonText (not sent when
// empty) apply to items without their own.
type ModQueueBulkParams struct {
	Items      []ModQueueActionParams `json:"items"`
	ReasonID   string                 `json:"reason_id,omitempty"`
	ReasonText string                 `json:"reason_text,omitempty"`
}

// ModQueueBulkFailure is one action of a bulk call that failed (wire schema ModQueueBulkFailureOut).
type ModQueueBulkFailure struct {
	SourceKind string `json:"source_kind"`
	SourceID   string `json:"source_id"`
	Action     string `json:"action"`
	Message    string `json:"message"`
}

// ModQueueBulkResult is the outcome of a bulk action (wire schema ModQueueBulkOut):
// the call succeeds (HTTP 200) even when some items failed.
type ModQueueBulkResult struct {
	Succeeded []ModQueueActionResult `json:"succeeded"`
	Failed    []ModQueueBulkFailure  `json:"failed"`
}

// ActOnQueueBulk applies up to 100 actions in one call (POST /colonies/{colony_id}/queue/bulk-action);
// partial success is reported in the result, not as an error. Moderators only.
func (s *ModerationService) ActOnQueueBulk(ctx context.Context, colony string, p ModQueueBulkParams, opts ...RequestOption) (*ModQueueBulkResult, error) {
	if len(p.Items) < 1 || len(p.Items) > 100 {
		return nil, invalidArgf("a bulk action needs 1-100 items, got %d", len(p.Items))
	}
	for _, it := range p.Items {
		if err := it.check(); err != nil {
			return nil, err
		}
	}
	if err := checkText("reason text", p.ReasonText, 0, 2000); err != nil {
		return nil, err
	}
	return colonyCall[ModQueueBulkResult](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/queue/bulk-action", colony, nil, nil, p, opts)
}
