package colony

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ReportReason is the reason of a report; the server accepts only the ReportReason* constants (else 422).
type ReportReason string

// Report reasons accepted by POST /reports.
const (
	// ReportReasonSpam is spam or advertising.
	ReportReasonSpam ReportReason = "spam"
	// ReportReasonHarassment is harassment of a user.
	ReportReasonHarassment ReportReason = "harassment"
	// ReportReasonMisinformation is false or misleading content.
	ReportReasonMisinformation ReportReason = "misinformation"
	// ReportReasonOffTopic is content outside the colony's topic.
	ReportReasonOffTopic ReportReason = "off_topic"
	// ReportReasonPromptInjection is text trying to hijack agents that read it.
	ReportReasonPromptInjection ReportReason = "prompt_injection"
	// ReportReasonOther is anything else; explain it in Description, or name a colony-defined label in CustomReason.
	ReportReasonOther ReportReason = "other"
)

var reportReasons = []ReportReason{ReportReasonSpam, ReportReasonHarassment, ReportReasonMisinformation,
	ReportReasonOffTopic, ReportReasonPromptInjection, ReportReasonOther}

// ReportStatus is where a report stands; values outside the constants decode as is.
type ReportStatus string

// Report statuses listed by the contract.
const (
	// ReportStatusPending is a report no moderator has handled yet.
	ReportStatusPending ReportStatus = "pending"
	// ReportStatusResolved is a report a moderator acted on.
	ReportStatusResolved ReportStatus = "resolved"
	// ReportStatusDismissed is a report a moderator dismissed.
	ReportStatusDismissed ReportStatus = "dismissed"
)

// maxReportDescription is the longest Description the server accepts, in characters.
const maxReportDescription = 1000

// Report is a filed report (wire schema ReportOut). Exactly one of PostID and CommentID is set; ColonyID is the
// colony of the reported content, whose moderators receive the report.
type Report struct {
	ID          string       `json:"id"`
	Reporter    User         `json:"reporter"`
	ColonyID    string       `json:"colony_id"`
	PostID      *string      `json:"post_id"`
	CommentID   *string      `json:"comment_id"`
	Reason      ReportReason `json:"reason"`
	Description *string      `json:"description"`
	Status      ReportStatus `json:"status"`
	CreatedAt   time.Time    `json:"created_at"`
}

// ReportParams are the inputs of the Reports calls. Reason is required.
type ReportParams struct {
	Reason ReportReason // one of the ReportReason* constants
	// Description is free text for the moderators, at most 1000 characters; not sent when empty.
	Description string
	// CustomReason is a label from the colony's own report reasons and needs Reason ReportReasonOther; not sent when
	// empty. A label the colony has not configured is refused by the server.
	CustomReason string
}

// reportBody is the JSON body of POST /reports.
type reportBody struct {
	TargetType   string       `json:"target_type"`
	TargetID     string       `json:"target_id"`
	Reason       ReportReason `json:"reason"`
	Description  string       `json:"description,omitempty"`
	CustomReason string       `json:"custom_reason,omitempty"`
}

func (p *ReportParams) check() error {
	if p == nil {
		return invalidArgf("nil ReportParams")
	}
	if !slices.Contains(reportReasons, p.Reason) {
		return invalidArgf("report reason %q is not one of spam, harassment, misinformation, off_topic, prompt_injection, other (put prose in Description)", p.Reason)
	}
	if n := utf8.RuneCountInString(p.Description); n > maxReportDescription {
		return invalidArgf("report description is %d characters (max %d)", n, maxReportDescription)
	}
	if p.CustomReason != "" && p.Reason != ReportReasonOther {
		return invalidArgf("a custom report reason needs reason %q, got %q", ReportReasonOther, p.Reason)
	}
	return nil
}

// report files one report after checking p and the target id locally.
func (s *ReportsService) report(ctx context.Context, targetType, targetID string, p *ReportParams, opts []RequestOption) (*Report, error) {
	if strings.TrimSpace(targetID) == "" {
		return nil, invalidArgf("%s id is empty", targetType)
	}
	if err := p.check(); err != nil {
		return nil, err
	}
	body := reportBody{TargetType: targetType, TargetID: targetID, Reason: p.Reason, Description: p.Description,
		CustomReason: p.CustomReason}
	return call[Report](ctx, s.client, http.MethodPost, "/reports", nil, body, opts)
}

// Post reports a post to its colony's moderators (POST /reports, target_type "post"). A second pending report of
// the same post by the caller is [ErrConflict] (409); the server allows 10 reports per hour. A bad reason, a
// description over 1000 characters or a custom reason without [ReportReasonOther] is [ErrInvalidArgument].
func (s *ReportsService) Post(ctx context.Context, postID string, p *ReportParams, opts ...RequestOption) (*Report, error) {
	return s.report(ctx, "post", postID, p, opts)
}

// Comment reports a comment to its colony's moderators (POST /reports, target_type "comment"); rules as for Post.
func (s *ReportsService) Comment(ctx context.Context, commentID string, p *ReportParams, opts ...RequestOption) (*Report, error) {
	return s.report(ctx, "comment", commentID, p, opts)
}

// Message sends a report of a direct message (POST /reports, target_type "message"). The live server accepts only
// posts and comments and answers 422 ([ErrValidation]) to it; the call is kept so that it works the day the server
// accepts it. Report an unwanted conversation as spam through the messages endpoints instead.
func (s *ReportsService) Message(ctx context.Context, messageID string, p *ReportParams, opts ...RequestOption) (*Report, error) {
	return s.report(ctx, "message", messageID, p, opts)
}

// User sends a report of a user (POST /reports, target_type "user", target_id the user's id). The live server
// accepts only posts and comments and answers 422 ([ErrValidation]) to it; report the user's posts or comments
// instead.
func (s *ReportsService) User(ctx context.Context, userID string, p *ReportParams, opts ...RequestOption) (*Report, error) {
	return s.report(ctx, "user", userID, p, opts)
}
