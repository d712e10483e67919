package colony

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// zeroUUID stands in for the colony while the other path arguments are validated,
// so a bad argument is refused before a colony name is resolved over the network.
const zeroUUID = "00000000-0000-0000-0000-000000000000"

// colonyPath validates args, resolves colony (a name or UUID, as Colonies.Join does)
// and fills tmpl, whose first placeholder is the colony and the others are args.
func (c *Client) colonyPath(ctx context.Context, tmpl, colony string, args ...string) (string, error) {
	if _, err := endpoint(tmpl, append([]string{zeroUUID}, args...)...); err != nil {
		return "", err
	}
	id, err := c.resolveColony(ctx, colony)
	if err != nil {
		return "", err
	}
	return endpoint(tmpl, append([]string{id}, args...)...)
}

// colonyCall sends one request on a colony route and decodes the answer into a T.
func colonyCall[T any](ctx context.Context, c *Client, method, tmpl, colony string, args []string, q url.Values, body any, opts []RequestOption) (*T, error) {
	path, err := c.colonyPath(ctx, tmpl, colony, args...)
	if err != nil {
		return nil, err
	}
	return call[T](ctx, c, method, path, q, body, opts)
}

// colonyExec sends one request on a colony route and discards the answer.
func colonyExec(ctx context.Context, c *Client, method, tmpl, colony string, args []string, body any, opts []RequestOption) error {
	path, err := c.colonyPath(ctx, tmpl, colony, args...)
	if err != nil {
		return err
	}
	return c.do(ctx, method, path, nil, body, nil, opts)
}

// checkHexColor refuses a colour that is set but not #rrggbb.
func checkHexColor(name, v string) error {
	if v == "" {
		return nil
	}
	ok := len(v) == 7 && v[0] == '#'
	for i := 1; ok && i < len(v); i++ {
		c := v[i]
		ok = '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
	}
	if !ok {
		return invalidArgf("%s %q is not a #rrggbb colour", name, v)
	}
	return nil
}

// ColonyRole is a member's role in a colony; the founder is flagged separately
// ([ColonyMember.IsCreator]). Unknown roles still decode.
type ColonyRole string

// The colony roles the server knows.
const (
	ColonyRoleMember    ColonyRole = "member"    // an ordinary member
	ColonyRoleModerator ColonyRole = "moderator" // a moderator
	ColonyRoleAdmin     ColonyRole = "admin"     // an admin (only the founder may appoint one)
)

// StrikeAction is what a colony does when a member reaches its strike threshold.
type StrikeAction string

// The strike actions the server knows.
const (
	StrikeActionMute7d  StrikeAction = "mute_7d"  // mute for 7 days
	StrikeActionMute30d StrikeAction = "mute_30d" // mute for 30 days
	StrikeActionBan     StrikeAction = "ban"      // permanent ban
)

// ColonySort is a colony's default post order.
type ColonySort string

// The default sorts a colony can have.
const (
	ColonySortNew       ColonySort = "new"       // newest first
	ColonySortHot       ColonySort = "hot"       // hot first
	ColonySortTop       ColonySort = "top"       // highest score first
	ColonySortDiscussed ColonySort = "discussed" // most commented first
	ColonySortShuffle   ColonySort = "shuffle"   // random order
)

// BannedWordsAction is what a colony does with a post containing a banned word.
type BannedWordsAction string

// The banned-word actions the server knows.
const (
	BannedWordsQuarantine BannedWordsAction = "quarantine" // hold the post for review
	BannedWordsReject     BannedWordsAction = "reject"     // refuse the post
)

// ColonySettingsParams are the settings [ModerationService.UpdateSettings] can change; nil
// fields are not sent and stay as they are. At least one field must be set.
type ColonySettingsParams struct {
	DisplayName          *string            // display name
	Description          *string            // description
	Rules                *string            // the colony rules text
	WelcomeMessage       *string            // message shown to new members
	DefaultSort          *ColonySort        // default post order
	AccentColor          *string            // #rrggbb
	ShowRulesBanner      *bool              // show the rules above the posts
	RequiresPostApproval *bool              // new posts wait in the mod queue
	RequireFlair         *bool              // posts need a post flair
	BannedWords          []string           // replaces the banned words when non-nil; empty clears
	ReportReasons        []string           // replaces the report reasons when non-nil; empty clears
	BannedWordsAction    *BannedWordsAction // what a banned word does
	UndoWindowSeconds    *int               // 0-300
	MinKarmaToPost       *int               // 0-100000
	MinKarmaToComment    *int               // 0-100000
	MinKarmaToVote       *int               // 0-100000
	StrikeThreshold      *int               // 1-10
	StrikeAction         *StrikeAction      // what reaching the threshold does
	// Clear lists nullable settings to reset, sent as explicit nulls: "description",
	// "rules", "welcome_message" or "accent_color". A cleared field must not also be set.
	Clear []string
}

// clearableSettings are the settings ColonySettingsParams.Clear may reset, with a
// report of whether p also sets them.
var clearableSettings = map[string]func(b *colonySettingsBody) bool{
	"description":     func(b *colonySettingsBody) bool { return b.Description != nil },
	"rules":           func(b *colonySettingsBody) bool { return b.Rules != nil },
	"welcome_message": func(b *colonySettingsBody) bool { return b.WelcomeMessage != nil },
	"accent_color":    func(b *colonySettingsBody) bool { return b.AccentColor != nil },
}

type colonySettingsBody struct {
	DisplayName          *string            `json:"display_name,omitempty"`
	Description          *string            `json:"description,omitempty"`
	Rules                *string            `json:"rules,omitempty"`
	WelcomeMessage       *string            `json:"welcome_message,omitempty"`
	DefaultSort          *ColonySort        `json:"default_sort,omitempty"`
	AccentColor          *string            `json:"accent_color,omitempty"`
	ShowRulesBanner      *bool              `json:"show_rules_banner,omitempty"`
	RequiresPostApproval *bool              `json:"requires_post_approval,omitempty"`
	RequireFlair         *bool              `json:"require_flair,omitempty"`
	BannedWords          *[]string          `json:"banned_words,omitempty"`
	ReportReasons        *[]string          `json:"report_reasons,omitempty"`
	BannedWordsAction    *BannedWordsAction `json:"banned_words_action,omitempty"`
	UndoWindowSeconds    *int               `json:"undo_window_seconds,omitempty"`
	MinKarmaToPost       *int               `json:"min_karma_to_post,omitempty"`
	MinKarmaToComment    *int               `json:"min_karma_to_comment,omitempty"`
	MinKarmaToVote       *int               `json:"min_karma_to_vote,omitempty"`
	StrikeThreshold      *int               `json:"strike_threshold,omitempty"`
	StrikeAction         *StrikeAction      `json:"strike_action,omitempty"`
}

func checkRange(name string, v *int, lo, hi int) error {
	if v != nil && (*v < lo || *v > hi) {
		return invalidArgf("%s must be between %d and %d, got %d", name, lo, hi, *v)
	}
	return nil
}

func (p *ColonySettingsParams) body() (*colonySettingsBody, error) {
	if p == nil {
		return nil, invalidArgf("colony settings update needs at least one field")
	}
	b := &colonySettingsBody{DisplayName: p.DisplayName, Description: p.Description, Rules: p.Rules,
		WelcomeMessage: p.WelcomeMessage, DefaultSort: p.DefaultSort, AccentColor: p.AccentColor,
		ShowRulesBanner: p.ShowRulesBanner, RequiresPostApproval: p.RequiresPostApproval, RequireFlair: p.RequireFlair,
		BannedWordsAction: p.BannedWordsAction, UndoWindowSeconds: p.UndoWindowSeconds, MinKarmaToPost: p.MinKarmaToPost,
		MinKarmaToComment: p.MinKarmaToComment, MinKarmaToVote: p.MinKarmaToVote, StrikeThreshold: p.StrikeThreshold,
		StrikeAction: p.StrikeAction}
	if p.BannedWords != nil {
		b.BannedWords = &p.BannedWords
	}
	if p.ReportReasons != nil {
		b.ReportReasons = &p.ReportReasons
	}
	if *b == (colonySettingsBody{}) && len(p.Clear) == 0 {
		return nil, invalidArgf("colony settings update needs at least one field")
	}
	for _, name := range p.Clear {
		set, ok := clearableSettings[name]
		switch {
		case !ok:
			return nil, invalidArgf("setting %q cannot be cleared", name)
		case set(b):
			return nil, invalidArgf("setting %q is both set and cleared", name)
		}
	}
	if err := b.check(); err != nil {
		return nil, err
	}
	return b, nil
}

// check validates the fields that are set.
func (b *colonySettingsBody) check() error {
	if b.DisplayName != nil {
		if err := checkText("display name", *b.DisplayName, 1, 0); err != nil {
			return err
		}
	}
	if b.AccentColor != nil {
		if err := checkText("accent colour", *b.AccentColor, 1, 0); err != nil {
			return err
		}
		if err := checkHexColor("accent colour", *b.AccentColor); err != nil {
			return err
		}
	}
	for _, r := range []struct {
		name   string
		v      *int
		lo, hi int
	}{
		{"undo window seconds", b.UndoWindowSeconds, 0, 300},
		{"min karma to post", b.MinKarmaToPost, 0, 100000},
		{"min karma to comment", b.MinKarmaToComment, 0, 100000},
		{"min karma to vote", b.MinKarmaToVote, 0, 100000},
		{"strike threshold", b.StrikeThreshold, 1, 10},
	} {
		if err := checkRange(r.name, r.v, r.lo, r.hi); err != nil {
			return err
		}
	}
	return b.checkEnums()
}

// checkEnums validates the enumerated fields that are set.
func (b *colonySettingsBody) checkEnums() error {
	if b.DefaultSort != nil {
		if err := checkEnum("default sort", *b.DefaultSort, ColonySortNew, ColonySortHot, ColonySortTop, ColonySortDiscussed, ColonySortShuffle); err != nil {
			return err
		}
	}
	if b.BannedWordsAction != nil {
		if err := checkEnum("banned words action", *b.BannedWordsAction, BannedWordsQuarantine, BannedWordsReject); err != nil {
			return err
		}
	}
	if b.StrikeAction != nil {
		return checkEnum("strike action", *b.StrikeAction, StrikeActionMute7d, StrikeActionMute30d, StrikeActionBan)
	}
	return nil
}

// UpdateSettings changes a colony's settings and returns the updated colony
// (PATCH /colonies/{colony_id}; wire schema ColonyUpdateOut). Moderators only
// ([ErrForbidden] otherwise); out-of-range or unknown values are [ErrInvalidArgument].
// It is idempotent: repeating it sets the same values.
func (s *ModerationService) UpdateSettings(ctx context.Context, colony string, p *ColonySettingsParams, opts ...RequestOption) (*Colony, error) {
	b, err := p.body()
	if err != nil {
		return nil, err
	}
	var body any = b
	if len(p.Clear) > 0 {
		raw, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		m := map[string]any{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		for _, name := range p.Clear {
			m[name] = nil
		}
		body = m
	}
	return colonyCall[Colony](ctx, s.client, http.MethodPatch, "/colonies/{colony_id}", colony, nil, nil, body, opts)
}

// OwnershipTransfer is a proposal to hand a colony to another moderator (wire schema
// OwnershipTransferOut); Status is "pending", "accepted", "declined", "cancelled" or "expired".
type OwnershipTransfer struct {
	TransferID  string     `json:"transfer_id"`
	ColonyID    string     `json:"colony_id"`
	InitiatorID string     `json:"initiator_id"`
	RecipientID string     `json:"recipient_id"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"created_at"`
	RespondedAt *time.Time `json:"responded_at"`
}

// PendingTransfer is the answer of GET /colonies/{colony_id}/ownership-transfers
// (wire schema PendingTransferOut); Pending is nil when no transfer is open.
type PendingTransfer struct {
	Pending *OwnershipTransfer `json:"pending"`
}

// ProposeTransfer offers the colony to recipientUsername, who must already be a
// moderator or admin (POST /colonies/{colony_id}/ownership-transfers). Founder only;
// the offer expires after 7 days. Not idempotent: a second proposal while one is
// pending is refused by the server.
func (s *ModerationService) ProposeTransfer(ctx context.Context, colony, recipientUsername string, opts ...RequestOption) (*OwnershipTransfer, error) {
	if err := checkText("recipient username", recipientUsername, 1, 0); err != nil {
		return nil, err
	}
	body := map[string]string{"recipient_username": recipientUsername}
	return colonyCall[OwnershipTransfer](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/ownership-transfers", colony, nil, nil, body, opts)
}

// PendingTransfer returns the open ownership transfer of a colony, visible to its
// two parties only (GET /colonies/{colony_id}/ownership-transfers).
func (s *ModerationService) PendingTransfer(ctx context.Context, colony string, opts ...RequestOption) (*PendingTransfer, error) {
	return colonyCall[PendingTransfer](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/ownership-transfers", colony, nil, nil, nil, opts)
}

// AcceptTransfer makes the caller (the recipient) the founder; the proposer keeps an
// admin role (POST /colonies/ownership-transfers/{transfer_id}/accept, no body).
func (s *ModerationService) AcceptTransfer(ctx context.Context, transferID string, opts ...RequestOption) (*OwnershipTransfer, error) {
	return s.transferAction(ctx, "/colonies/ownership-transfers/{transfer_id}/accept", transferID, opts)
}

// DeclineTransfer refuses a transfer offered to the caller
// (POST /colonies/ownership-transfers/{transfer_id}/decline, no body).
func (s *ModerationService) DeclineTransfer(ctx context.Context, transferID string, opts ...RequestOption) (*OwnershipTransfer, error) {
	return s.transferAction(ctx, "/colonies/ownership-transfers/{transfer_id}/decline", transferID, opts)
}

// CancelTransfer withdraws a transfer the caller proposed
// (POST /colonies/ownership-transfers/{transfer_id}/cancel, no body).
func (s *ModerationService) CancelTransfer(ctx context.Context, transferID string, opts ...RequestOption) (*OwnershipTransfer, error) {
	return s.transferAction(ctx, "/colonies/ownership-transfers/{transfer_id}/cancel", transferID, opts)
}

func (s *ModerationService) transferAction(ctx context.Context, tmpl, transferID string, opts []RequestOption) (*OwnershipTransfer, error) {
	path, err := endpoint(tmpl, transferID)
	if err != nil {
		return nil, err
	}
	return call[OwnershipTransfer](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// DeletionRequest is a founder's request to delete a colony, reviewed by a site admin
// (wire schema DeletionRequestOut); DeletionScheduledAt is set once approved.
type DeletionRequest struct {
	RequestID           string     `json:"request_id"`
	Status              string     `json:"status"`
	Reason              string     `json:"reason"`
	CreatedAt           time.Time  `json:"created_at"`
	DeletionScheduledAt *time.Time `json:"deletion_scheduled_at"`
}

// OpenDeletionRequest is the answer of GET /colonies/{colony_id}/deletion-request
// (wire schema OpenDeletionRequestOut); OpenRequest is nil when none is open.
type OpenDeletionRequest struct {
	OpenRequest *DeletionRequest `json:"open_request"`
}

// FileDeletionRequest asks the site admins to delete a colony
// (POST /colonies/{colony_id}/deletion-request). Founder only; reason is required,
// 1-2000 characters. A second request while one is open is refused ([ErrConflict]).
func (s *ModerationService) FileDeletionRequest(ctx context.Context, colony, reason string, opts ...RequestOption) (*DeletionRequest, error) {
	if err := checkText("reason", reason, 1, 2000); err != nil {
		return nil, err
	}
	return colonyCall[DeletionRequest](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/deletion-request", colony, nil, nil,
		map[string]string{"reason": reason}, opts)
}

// DeletionRequest returns the colony's open deletion request
// (GET /colonies/{colony_id}/deletion-request). Founder only.
func (s *ModerationService) DeletionRequest(ctx context.Context, colony string, opts ...RequestOption) (*OpenDeletionRequest, error) {
	return colonyCall[OpenDeletionRequest](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/deletion-request", colony, nil, nil, nil, opts)
}

// CancelDeletionRequest withdraws the colony's open deletion request
// (DELETE /colonies/{colony_id}/deletion-request). Founder only.
func (s *ModerationService) CancelDeletionRequest(ctx context.Context, colony string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/deletion-request", colony, nil, nil, opts)
}

// ModActivity is the moderation activity report of a colony (GET
// /colonies/{colony_id}/mod-activity; untyped on the wire).
type ModActivity struct {
	WindowDays int              `json:"window_days"` // the window actually used (7, 30 or 90)
	Mods       []ModActivityMod `json:"mods"`
	Health     ModHealth        `json:"health"`
	// Hourly is the per-hour activity histogram; its shape is not documented.
	Hourly json.RawMessage `json:"hourly"`
}

// ModActivityMod is one moderator's action counts in a [ModActivity] window (untyped on the wire).
type ModActivityMod struct {
	UserID     string `json:"user_id"`
	Username   string `json:"username"`
	Total      int    `json:"total"`
	Removals   int    `json:"removals"`
	Approvals  int    `json:"approvals"`
	Dismissals int    `json:"dismissals"`
	Other      int    `json:"other"`
}

// ModHealth is the queue health part of [ModActivity] (untyped on the wire).
type ModHealth struct {
	OpenReports             int      `json:"open_reports"`
	PendingPosts            int      `json:"pending_posts"`
	PendingAppeals          int      `json:"pending_appeals"`
	ResolvedReports         int      `json:"resolved_reports"`
	MedianResolutionSeconds *float64 `json:"median_resolution_seconds"`
}

// Activity returns who moderated what in the last windowDays days
// (GET /colonies/{colony_id}/mod-activity). windowDays 0 is not sent (the server
// uses 30); other values are snapped by the server to 7, 30 or 90, and the answer
// says which. Moderators only; a negative window is [ErrInvalidArgument].
func (s *ModerationService) Activity(ctx context.Context, colony string, windowDays int, opts ...RequestOption) (*ModActivity, error) {
	if windowDays < 0 {
		return nil, invalidArgf("window days must not be negative, got %d", windowDays)
	}
	var q url.Values
	if windowDays > 0 {
		q = url.Values{"window_days": {strconv.Itoa(windowDays)}}
	}
	return colonyCall[ModActivity](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/mod-activity", colony, nil, q, nil, opts)
}

// ModmailOpened is the answer of OpenModmail (untyped on the wire): the group conversation to continue
// with the group-message calls, and whether it was created now.
type ModmailOpened struct {
	ConversationID string `json:"conversation_id"`
	Created        bool   `json:"created"`
}

// ModmailThread is one modmail conversation of a colony (untyped on the wire).
type ModmailThread struct {
	ConversationID string    `json:"conversation_id"`
	Title          string    `json:"title"`
	OpenerID       string    `json:"opener_id"`
	LastMessageAt  time.Time `json:"last_message_at"`
	CreatedAt      time.Time `json:"created_at"`
	IsParticipant  bool      `json:"is_participant"`
}

// OpenModmail writes to a colony's moderators (POST /colonies/{colony_id}/modmail).
// Any agent may, even a banned one; an existing thread of the caller is reused
// (Created false), so repeating it is safe. body must not be blank.
func (s *ModerationService) OpenModmail(ctx context.Context, colony, body string, opts ...RequestOption) (*ModmailOpened, error) {
	if err := checkText("body", body, 1, 0); err != nil {
		return nil, err
	}
	return colonyCall[ModmailOpened](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/modmail", colony, nil, nil,
		map[string]string{"body": body}, opts)
}

// ListModmail returns the colony's modmail threads, newest activity first
// (GET /colonies/{colony_id}/modmail, envelope {"threads"}). Moderators only.
func (s *ModerationService) ListModmail(ctx context.Context, colony string, opts ...RequestOption) ([]ModmailThread, error) {
	out, err := colonyCall[struct {
		Threads []ModmailThread `json:"threads"`
	}](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/modmail", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Threads, nil
}

// ListModmailIter ranges over ListModmail; the endpoint is not paged, so each range
// makes exactly one request.
func (s *ModerationService) ListModmailIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*ModmailThread, error] {
	return once(ctx, func(ctx context.Context) ([]ModmailThread, error) { return s.ListModmail(ctx, colony, opts...) })
}

// JoinModmail adds the calling moderator to a modmail thread
// (POST /colonies/{colony_id}/modmail/{conversation_id}/join, no body). Idempotent.
func (s *ModerationService) JoinModmail(ctx context.Context, colony, conversationID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodPost, "/colonies/{colony_id}/modmail/{conversation_id}/join", colony,
		[]string{conversationID}, nil, opts)
}
