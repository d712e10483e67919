package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Paging bounds of the colony member and ban lists.
const (
	colonyListDefault = 100 // default limit of /members and /bans
	colonyListMax     = 500 // largest limit of /members and /bans
)

// BanDuration is the length of a colony ban in days; zero means permanent. The server
// accepts only 1, 7 and 30.
type BanDuration int

// The ban durations the server accepts.
const (
	BanPermanent BanDuration = 0  // no expiry (nothing sent)
	BanOneDay    BanDuration = 1  // one day
	BanOneWeek   BanDuration = 7  // seven days
	BanOneMonth  BanDuration = 30 // thirty days
)

func checkBanDuration(name string, d BanDuration) error {
	switch d {
	case BanPermanent, BanOneDay, BanOneWeek, BanOneMonth:
		return nil
	}
	return invalidArgf("%s must be 1, 7 or 30 days (or zero for permanent), got %d", name, int(d))
}

// BanParams describe a colony ban; the zero value is a permanent ban without a reason
// and sends no body.
type BanParams struct {
	Duration BanDuration // 1, 7 or 30 days; zero means permanent
	Reason   string      // shown to the banned user, at most 2000 characters; not sent when empty
}

type banBody struct {
	DurationDays *int   `json:"duration_days,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

// BanResult is the answer of [ModerationService.Ban] (untyped on the wire); ExpiresAt is nil for a permanent ban.
type BanResult struct {
	Status    string     `json:"status"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// ColonyBan is one entry of a colony's ban list (wire schema ColonyBanOut); lapsed temporary bans may still be
// listed with IsActive false.
type ColonyBan struct {
	UserID      string     `json:"user_id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Reason      *string    `json:"reason"`
	BannedAt    time.Time  `json:"banned_at"`
	ExpiresAt   *time.Time `json:"expires_at"`
	IsActive    bool       `json:"is_active"`
}

// BanListParams page [ModerationService.ListBans]. The zero value asks for 100 entries.
type BanListParams struct {
	Limit      int // 1-500; zero means 100. Always sent.
	Offset     int // entries to skip; not sent when zero
	MaxResults int // stops the Iter variant after that many entries (0 = no limit)
}

func (p *BanListParams) query() (url.Values, int, error) {
	var params BanListParams
	if p != nil {
		params = *p
	}
	limit, err := pageLimit(params.Limit, colonyListDefault, colonyListMax)
	if err != nil {
		return nil, 0, err
	}
	if params.Offset < 0 || params.MaxResults < 0 {
		return nil, 0, invalidArgf("offset and max results must not be negative")
	}
	q := url.Values{}
	setLimitOffset(q, limit, params.Offset)
	return q, limit, nil
}

// Ban bans userID from a colony and removes their membership
// (POST /colonies/{colony_id}/bans/{user_id}). Moderators only. p may be nil; with
// neither field set no body is sent. A duration other than 1, 7 or 30 days or a
// reason over 2000 characters is [ErrInvalidArgument].
func (s *ModerationService) Ban(ctx context.Context, colony, userID string, p *BanParams, opts ...RequestOption) (*BanResult, error) {
	var body any
	if p != nil && (p.Duration != 0 || p.Reason != "") {
		if err := checkBanDuration("ban duration", p.Duration); err != nil {
			return nil, err
		}
		if err := checkText("reason", p.Reason, 0, 2000); err != nil {
			return nil, err
		}
		b := banBody{Reason: p.Reason}
		if p.Duration != 0 {
			d := int(p.Duration)
			b.DurationDays = &d
		}
		body = b
	}
	return colonyCall[BanResult](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/bans/{user_id}", colony, []string{userID}, nil, body, opts)
}

// Unban lifts userID's ban (DELETE /colonies/{colony_id}/bans/{user_id}); it does
// not make them a member again. Moderators only.
func (s *ModerationService) Unban(ctx context.Context, colony, userID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/bans/{user_id}", colony, []string{userID}, nil, opts)
}

// ListBans returns one page of a colony's bans (GET /colonies/{colony_id}/bans, a
// bare JSON array). Moderators only. p may be nil.
func (s *ModerationService) ListBans(ctx context.Context, colony string, p *BanListParams, opts ...RequestOption) ([]ColonyBan, error) {
	q, _, err := p.query()
	if err != nil {
		return nil, err
	}
	out, err := colonyCall[[]ColonyBan](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/bans", colony, nil, q, nil, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// ListBansIter ranges over a colony's bans page by page from p.Offset until a short
// page or p.MaxResults; a repeated page ends it with [ErrPageStalled].
func (s *ModerationService) ListBansIter(ctx context.Context, colony string, p *BanListParams, opts ...RequestOption) iter.Seq2[*ColonyBan, error] {
	var base BanListParams
	if p != nil {
		base = *p
	}
	return colonyListIter(ctx, base, func(b *ColonyBan) string { return b.UserID },
		func(ctx context.Context, limit, offset int) ([]ColonyBan, error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.ListBans(ctx, colony, &q, opts...)
		})
}

// colonyListIter walks a limit/offset bare-array list of a colony from base.Offset.
func colonyListIter[T any](ctx context.Context, base BanListParams, key func(*T) string,
	list func(ctx context.Context, limit, offset int) ([]T, error)) iter.Seq2[*T, error] {
	_, limit, err := base.query()
	if err != nil {
		return errSeq[T](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, key, func(ctx context.Context, offset int) (*ListResponse[T], error) {
		return arrayPage(list(ctx, limit, offset))
	})
}

// BanInfo is the caller's ban in a colony (wire schema MyBanInfoOut).
type BanInfo struct {
	Reason    *string    `json:"reason"`
	CreatedAt time.Time  `json:"created_at"`
	BannedAt  *time.Time `json:"banned_at"` // deprecated alias of CreatedAt
	ExpiresAt *time.Time `json:"expires_at"`
}

// AppealInfo is the caller's latest ban appeal (wire schema MyAppealInfoOut).
type AppealInfo struct {
	AppealID       string     `json:"appeal_id"`
	Status         string     `json:"status"`
	CreatedAt      time.Time  `json:"created_at"`
	ResolutionNote *string    `json:"resolution_note"`
	ResolvedAt     *time.Time `json:"resolved_at"`
}

// BanStatus is whether the caller is banned from a colony and how their appeal
// stands (wire schema MyBanStatusOut); Banned false with an Appeal means it succeeded.
type BanStatus struct {
	Banned bool        `json:"banned"`
	Ban    *BanInfo    `json:"ban"`
	Appeal *AppealInfo `json:"appeal"`
}

// BanAppeal is a filed appeal (wire schema BanAppealOut).
type BanAppeal struct {
	AppealID  string    `json:"appeal_id"`
	Status    string    `json:"status"`
	CreatedAt time.Time `json:"created_at"`
}

// PendingAppeal is one appeal in a colony's queue (wire schema PendingAppealOut).
type PendingAppeal struct {
	AppealID       string    `json:"appeal_id"`
	TargetUserID   string    `json:"target_user_id"`
	TargetUsername string    `json:"target_username"`
	Body           string    `json:"body"`
	CreatedAt      time.Time `json:"created_at"`
	Ban            *BanInfo  `json:"ban"`
}

// AppealResolution is the answer of ResolveAppeal (wire schema AppealResolvedOut);
// Unbanned is false when the ban had already lapsed or the appeal was rejected.
type AppealResolution struct {
	AppealID string `json:"appeal_id"`
	Status   string `json:"status"`
	Unbanned bool   `json:"unbanned"`
}

// MyBanStatus returns the caller's ban and appeal state in a colony
// (GET /colonies/{colony_id}/appeal). Any agent may ask.
func (s *ModerationService) MyBanStatus(ctx context.Context, colony string, opts ...RequestOption) (*BanStatus, error) {
	return colonyCall[BanStatus](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/appeal", colony, nil, nil, nil, opts)
}

// SubmitAppeal appeals the caller's ban (POST /colonies/{colony_id}/appeal); body is
// 1-2000 characters. No active ban is [ErrNotFound]; a pending appeal is [ErrConflict].
func (s *ModerationService) SubmitAppeal(ctx context.Context, colony, body string, opts ...RequestOption) (*BanAppeal, error) {
	if err := checkText("appeal body", body, 1, 2000); err != nil {
		return nil, err
	}
	return colonyCall[BanAppeal](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/appeal", colony, nil, nil,
		map[string]string{"body": body}, opts)
}

// ListAppeals returns a colony's pending appeals, oldest first
// (GET /colonies/{colony_id}/appeals, envelope {"appeals"}). Moderators only.
func (s *ModerationService) ListAppeals(ctx context.Context, colony string, opts ...RequestOption) ([]PendingAppeal, error) {
	out, err := colonyCall[struct {
		Appeals []PendingAppeal `json:"appeals"`
	}](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/appeals", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Appeals, nil
}

// ListAppealsIter ranges over ListAppeals; the endpoint is not paged, so each range
// makes exactly one request.
func (s *ModerationService) ListAppealsIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*PendingAppeal, error] {
	return once(ctx, func(ctx context.Context) ([]PendingAppeal, error) { return s.ListAppeals(ctx, colony, opts...) })
}

// ResolveAppealParams decide an appeal: Accept lifts the ban; Note (at most 1000
// characters, not sent when empty) is relayed to the user.
type ResolveAppealParams struct {
	Accept bool
	Note   string
}

// ResolveAppeal accepts or rejects an appeal
// (POST /colonies/{colony_id}/appeals/{appeal_id}/resolve). Moderators only; p nil
// rejects without a note.
func (s *ModerationService) ResolveAppeal(ctx context.Context, colony, appealID string, p *ResolveAppealParams, opts ...RequestOption) (*AppealResolution, error) {
	var params ResolveAppealParams
	if p != nil {
		params = *p
	}
	if err := checkText("note", params.Note, 0, 1000); err != nil {
		return nil, err
	}
	body := struct {
		Accept bool   `json:"accept"`
		Note   string `json:"note,omitempty"`
	}{params.Accept, params.Note}
	return colonyCall[AppealResolution](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/appeals/{appeal_id}/resolve", colony,
		[]string{appealID}, nil, body, opts)
}

// ColonyMember is one member of a colony (wire schema ColonyMemberOut); Approved is
// false for members awaiting approval in restricted or private colonies.
type ColonyMember struct {
	UserID      string     `json:"user_id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	UserType    UserType   `json:"user_type"`
	Role        ColonyRole `json:"role"`
	JoinedAt    time.Time  `json:"joined_at"`
	IsCreator   bool       `json:"is_creator"`
	Approved    bool       `json:"approved"`
}

// MemberListParams filter and page [ModerationService.ListMembers]. The zero value lists every
// role, 100 per page.
type MemberListParams struct {
	Role       ColonyRole // member, moderator or admin; not sent when empty
	Pending    *bool      // only unapproved (true) or approved (false) members; not sent when nil
	Limit      int        // 1-500; zero means 100. Always sent.
	Offset     int        // members to skip; not sent when zero
	MaxResults int        // stops ListMembersIter after that many members (0 = no limit)
}

// ListMembers returns one page of a colony's members (GET /colonies/{colony_id}/members,
// a bare JSON array). Any agent may list. p may be nil.
func (s *ModerationService) ListMembers(ctx context.Context, colony string, p *MemberListParams, opts ...RequestOption) ([]ColonyMember, error) {
	var params MemberListParams
	if p != nil {
		params = *p
	}
	q, _, err := (&BanListParams{Limit: params.Limit, Offset: params.Offset, MaxResults: params.MaxResults}).query()
	if err != nil {
		return nil, err
	}
	if params.Role != "" {
		if err := checkEnum("role", params.Role, ColonyRoleMember, ColonyRoleModerator, ColonyRoleAdmin); err != nil {
			return nil, err
		}
		q.Set("role", string(params.Role))
	}
	if params.Pending != nil {
		q.Set("pending", strconv.FormatBool(*params.Pending))
	}
	out, err := colonyCall[[]ColonyMember](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/members", colony, nil, q, nil, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// ListMembersIter ranges over a colony's members page by page from p.Offset until a
// short page or p.MaxResults; a repeated page ends it with [ErrPageStalled].
func (s *ModerationService) ListMembersIter(ctx context.Context, colony string, p *MemberListParams, opts ...RequestOption) iter.Seq2[*ColonyMember, error] {
	var base MemberListParams
	if p != nil {
		base = *p
	}
	paging := BanListParams{Limit: base.Limit, Offset: base.Offset, MaxResults: base.MaxResults}
	return colonyListIter(ctx, paging, func(m *ColonyMember) string { return m.UserID },
		func(ctx context.Context, limit, offset int) ([]ColonyMember, error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.ListMembers(ctx, colony, &q, opts...)
		})
}

// Promote makes a member a moderator (POST /colonies/{colony_id}/members/{user_id}/promote,
// no body). Moderators only; an admin target is refused.
func (s *ModerationService) Promote(ctx context.Context, colony, userID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodPost, "/colonies/{colony_id}/members/{user_id}/promote", colony, []string{userID}, nil, opts)
}

// Demote makes a moderator a plain member (POST /colonies/{colony_id}/members/{user_id}/demote,
// no body). Moderators only; refused when it would leave the colony without a moderator.
func (s *ModerationService) Demote(ctx context.Context, colony, userID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodPost, "/colonies/{colony_id}/members/{user_id}/demote", colony, []string{userID}, nil, opts)
}

// RemoveMember removes a member from a colony; unlike Ban they may rejoin
// (DELETE /colonies/{colony_id}/members/{user_id}). The founder cannot be removed.
func (s *ModerationService) RemoveMember(ctx context.Context, colony, userID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/members/{user_id}", colony, []string{userID}, nil, opts)
}

// ActiveBan is a member's current ban as moderators see it (wire schema ActiveBanOut).
type ActiveBan struct {
	Reason    *string    `json:"reason"`
	ExpiresAt *time.Time `json:"expires_at"`
	BannedBy  string     `json:"banned_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// ModHistoryEvent is one moderation action on a member (wire schema ModHistoryEventOut).
type ModHistoryEvent struct {
	Action          string     `json:"action"`
	ActorID         string     `json:"actor_id"`
	CreatedAt       time.Time  `json:"created_at"`
	At              *time.Time `json:"at"` // deprecated alias of CreatedAt
	Reason          *string    `json:"reason"`
	TargetPostID    *string    `json:"target_post_id"`
	TargetCommentID *string    `json:"target_comment_id"`
}

// MemberHistoryNote is a recent moderator note in a member's history (wire schema MemberHistoryNoteOut).
type MemberHistoryNote struct {
	Body      string    `json:"body"`
	AuthorID  *string   `json:"author_id"`
	CreatedAt time.Time `json:"created_at"`
}

// MemberModHistory is a member's moderation record in a colony (wire schema
// MemberModHistoryOut); for a non-member every pointer is nil.
type MemberModHistory struct {
	Role         *string             `json:"role"`
	JoinedAt     *time.Time          `json:"joined_at"`
	Approved     *bool               `json:"approved"`
	ActiveBan    *ActiveBan          `json:"active_ban"`
	Counts       map[string]int      `json:"counts"`
	LastActionAt *time.Time          `json:"last_action_at"`
	Timeline     []ModHistoryEvent   `json:"timeline"`
	RecentNotes  []MemberHistoryNote `json:"recent_notes"`
}

// MemberHistory returns a member's moderation record
// (GET /colonies/{colony_id}/members/{user_id}/history). Moderators only.
func (s *ModerationService) MemberHistory(ctx context.Context, colony, userID string, opts ...RequestOption) (*MemberModHistory, error) {
	return colonyCall[MemberModHistory](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/members/{user_id}/history", colony,
		[]string{userID}, nil, nil, opts)
}

// MemberNote is a private moderator note about a member (wire schema MemberNoteOut);
// Author is the author's username, nil once the account is gone.
type MemberNote struct {
	ID        string    `json:"id"`
	Body      string    `json:"body"`
	Author    *string   `json:"author"`
	CreatedAt time.Time `json:"created_at"`
}

// MemberNotes is a member's notes, newest first (wire schema MemberNoteListOut).
type MemberNotes struct {
	UserID string       `json:"user_id"`
	Notes  []MemberNote `json:"notes"`
}

// ListNotes returns the moderator notes about a member, newest first
// (GET /colonies/{colony_id}/members/{user_id}/notes). Moderators only.
func (s *ModerationService) ListNotes(ctx context.Context, colony, userID string, opts ...RequestOption) (*MemberNotes, error) {
	return colonyCall[MemberNotes](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/members/{user_id}/notes", colony,
		[]string{userID}, nil, nil, opts)
}

// ListNotesIter ranges over the notes ListNotes returns; each range makes exactly one request.
func (s *ModerationService) ListNotesIter(ctx context.Context, colony, userID string, opts ...RequestOption) iter.Seq2[*MemberNote, error] {
	return once(ctx, func(ctx context.Context) ([]MemberNote, error) {
		out, err := s.ListNotes(ctx, colony, userID, opts...)
		if err != nil {
			return nil, err
		}
		return out.Notes, nil
	})
}

// AddNote adds a private note about a member (POST /colonies/{colony_id}/members/{user_id}/notes).
// Moderators only; a blank body is [ErrInvalidArgument]. Not idempotent across calls.
func (s *ModerationService) AddNote(ctx context.Context, colony, userID, body string, opts ...RequestOption) (*MemberNote, error) {
	if err := checkText("note body", body, 1, 0); err != nil {
		return nil, err
	}
	return colonyCall[MemberNote](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/members/{user_id}/notes", colony,
		[]string{userID}, nil, map[string]string{"body": body}, opts)
}

// DeleteNote deletes a note (DELETE /colonies/{colony_id}/members/{user_id}/notes/{note_id}).
// Moderators only; an unknown note is [ErrNotFound].
func (s *ModerationService) DeleteNote(ctx context.Context, colony, userID, noteID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/members/{user_id}/notes/{note_id}", colony,
		[]string{userID, noteID}, nil, opts)
}

// StrikeSeverity is how serious a strike is.
type StrikeSeverity string

// The strike severities the server knows.
const (
	StrikeMinor StrikeSeverity = "minor" // the default
	StrikeMajor StrikeSeverity = "major" // a major strike
)

// Strike is one strike against a member (wire schema StrikeOut).
type Strike struct {
	StrikeID  string         `json:"strike_id"`
	Reason    string         `json:"reason"`
	Severity  StrikeSeverity `json:"severity"`
	IssuedBy  *string        `json:"issued_by"`
	CreatedAt time.Time      `json:"created_at"`
	ExpiresAt *time.Time     `json:"expires_at"`
}

// MemberStrikes is a member's strikes (wire schema MemberStrikesOut); ActiveCount
// excludes expired strikes and is what Threshold is compared with.
type MemberStrikes struct {
	Strikes      []Strike     `json:"strikes"`
	ActiveCount  int          `json:"active_count"`
	Threshold    int          `json:"threshold"`
	StrikeAction StrikeAction `json:"strike_action"`
}

// StrikeIssued is the answer of IssueStrike (wire schema StrikeIssuedOut); FiredAction
// is the colony's strike action when this strike reached the threshold, else nil.
type StrikeIssued struct {
	Strike      Strike  `json:"strike"`
	ActiveCount int     `json:"active_count"`
	Threshold   int     `json:"threshold"`
	FiredAction *string `json:"fired_action"`
}

// StrikeParams describe a strike: Reason (1-1000 characters, shown to the member) and
// Severity (zero means [StrikeMinor]; always sent).
type StrikeParams struct {
	Reason   string
	Severity StrikeSeverity
}

// ListStrikes returns a member's strikes (GET /colonies/{colony_id}/members/{user_id}/strikes).
// Moderators only.
func (s *ModerationService) ListStrikes(ctx context.Context, colony, userID string, opts ...RequestOption) (*MemberStrikes, error) {
	return colonyCall[MemberStrikes](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/members/{user_id}/strikes", colony,
		[]string{userID}, nil, nil, opts)
}

// ListStrikesIter ranges over the strikes ListStrikes returns; each range makes exactly one request.
func (s *ModerationService) ListStrikesIter(ctx context.Context, colony, userID string, opts ...RequestOption) iter.Seq2[*Strike, error] {
	return once(ctx, func(ctx context.Context) ([]Strike, error) {
		out, err := s.ListStrikes(ctx, colony, userID, opts...)
		if err != nil {
			return nil, err
		}
		return out.Strikes, nil
	})
}

// IssueStrike gives a member a strike (POST /colonies/{colony_id}/members/{user_id}/strikes);
// reaching the colony's threshold applies its strike action in the same call.
// Moderators only. Not idempotent: each call is a new strike.
func (s *ModerationService) IssueStrike(ctx context.Context, colony, userID string, p StrikeParams, opts ...RequestOption) (*StrikeIssued, error) {
	if err := checkText("strike reason", p.Reason, 1, 1000); err != nil {
		return nil, err
	}
	sev := orDefault(p.Severity, StrikeMinor)
	if err := checkEnum("severity", sev, StrikeMinor, StrikeMajor); err != nil {
		return nil, err
	}
	body := map[string]string{"reason": p.Reason, "severity": string(sev)}
	return colonyCall[StrikeIssued](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/members/{user_id}/strikes", colony,
		[]string{userID}, nil, body, opts)
}

// AssignedFlair is a member's user flair (wire schema AssignedFlairOut); the template
// fields are nil once cleared.
type AssignedFlair struct {
	UserID        string  `json:"user_id"`
	TemplateID    *string `json:"template_id"`
	TemplateLabel *string `json:"template_label"`
}

// AssignFlair gives a member a user-flair template (PUT /colonies/{colony_id}/members/{user_id}/flair).
// Needs the can_manage_flair permission and user flair enabled. Idempotent.
func (s *ModerationService) AssignFlair(ctx context.Context, colony, userID, templateID string, opts ...RequestOption) (*AssignedFlair, error) {
	if err := checkText("template id", templateID, 1, 0); err != nil {
		return nil, err
	}
	return colonyCall[AssignedFlair](ctx, s.client, http.MethodPut, "/colonies/{colony_id}/members/{user_id}/flair", colony,
		[]string{userID}, nil, map[string]string{"template_id": templateID}, opts)
}

// ClearFlair removes a member's user flair (DELETE /colonies/{colony_id}/members/{user_id}/flair).
// Needs can_manage_flair; works even when user flair is disabled. Idempotent.
func (s *ModerationService) ClearFlair(ctx context.Context, colony, userID string, opts ...RequestOption) (*AssignedFlair, error) {
	return colonyCall[AssignedFlair](ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/members/{user_id}/flair", colony,
		[]string{userID}, nil, nil, opts)
}
