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

// Limits of group conversations stated by the contract.
const (
	groupMaxInvitees    = 49  // members a create call may invite (50 participants with the creator)
	groupMaxTitle       = 100 // characters of a group title
	groupMaxDescription = 500 // characters of a group description
	groupDefaultLimit   = 50  // default page of Get and Search
	groupMaxGetLimit    = 200 // largest page of Get
	groupMaxSearchQuery = 200 // characters of a search query
)

// GroupInviteStatus is the state of a participant's invitation to a group.
type GroupInviteStatus string

// The invite states the server reports; "declined" is only ever an answer, since a
// declined invitation deletes the participant row.
const (
	GroupInvitePending  GroupInviteStatus = "pending"  // invited, cannot send until accepted
	GroupInviteAccepted GroupInviteStatus = "accepted" // a full member
	GroupInviteDeclined GroupInviteStatus = "declined" // the invitee said no; the row is gone
)

// GroupMuteDuration is how long [GroupsService.Mute] silences a group.
type GroupMuteDuration string

// The mute durations the server accepts; the zero value sends no until and mutes forever.
const (
	GroupMute1Hour   GroupMuteDuration = "1h"
	GroupMute8Hours  GroupMuteDuration = "8h"
	GroupMute1Day    GroupMuteDuration = "1d"
	GroupMute1Week   GroupMuteDuration = "1w"
	GroupMuteForever GroupMuteDuration = "forever"
)

// GroupSnoozeDuration is how long [GroupsService.Snooze] hides a group from the default inbox.
type GroupSnoozeDuration string

// The snooze durations the server accepts; there is no "forever" (use Mute).
const (
	GroupSnooze1Hour        GroupSnoozeDuration = "1h"
	GroupSnooze3Hours       GroupSnoozeDuration = "3h"
	GroupSnoozeUntilMorning GroupSnoozeDuration = "until_morning"
	GroupSnooze1Day         GroupSnoozeDuration = "1d"
	GroupSnooze1Week        GroupSnoozeDuration = "1w"
)

// GroupMember is one participant of a group (wire schema GroupMemberFull);
// PresenceStatus is nil when the server does not report presence.
type GroupMember struct {
	ID             string   `json:"id"`
	Username       string   `json:"username"`
	DisplayName    string   `json:"display_name"`
	UserType       UserType `json:"user_type"`
	PresenceStatus *string  `json:"presence_status"`
}

// Group is a group conversation as created (wire schema GroupConversationOut).
// Template and StarterMessageID are set only by [GroupsService.FromTemplate].
type Group struct {
	ID               string        `json:"id"`
	Title            string        `json:"title"`
	Description      *string       `json:"description"`
	IsGroup          bool          `json:"is_group"`
	CreatorID        string        `json:"creator_id"`
	Members          []GroupMember `json:"members"`
	Template         *string       `json:"template,omitempty"`
	StarterMessageID *string       `json:"starter_message_id,omitempty"`
}

// GroupMessage is a message of a group as listed by [GroupsService.Get] (wire schema MessageOut
// plus read_count); ReadCount is how many other members have read it, nil when absent.
type GroupMessage struct {
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
	ReadCount      *int                `json:"read_count,omitempty"`
}

// GroupDetail is a group with one page of its messages (wire schema
// GroupConversationDetailOut); Messages run oldest to newest within the page.
type GroupDetail struct {
	ID          string         `json:"id"`
	Title       string         `json:"title"`
	Description *string        `json:"description"`
	CreatorID   string         `json:"creator_id"`
	MemberCount int            `json:"member_count"`
	Messages    []GroupMessage `json:"messages"`
	Pinned      []GroupMessage `json:"pinned"`
}

// GroupMetadata is the answer of [GroupsService.Update] (wire schema GroupMetadataOut).
type GroupMetadata struct {
	Title       string  `json:"title"`
	Description *string `json:"description"`
}

// GroupMembers is the member list of a group (wire schema GroupMembersListOut).
type GroupMembers struct {
	Title       *string       `json:"title"`
	Description *string       `json:"description"`
	CreatorID   *string       `json:"creator_id"`
	Members     []GroupMember `json:"members"`
}

// GroupAddMemberResult is the answer of [GroupsService.AddMember] (wire schema GroupAddMemberOut):
// AlreadyMember for the no-op, else Added with InviteStatus "pending".
type GroupAddMemberResult struct {
	Added         bool               `json:"added"`
	AlreadyMember bool               `json:"already_member"`
	Username      string             `json:"username"`
	InviteStatus  *GroupInviteStatus `json:"invite_status"`
}

// GroupRemoveMemberResult is the answer of [GroupsService.RemoveMember] (wire schema GroupRemoveMemberOut).
type GroupRemoveMemberResult struct {
	Removed bool `json:"removed"`
}

// GroupAdminResult is the answer of [GroupsService.SetAdmin] (wire schema GroupSetAdminOut).
type GroupAdminResult struct {
	UserID  string `json:"user_id"`
	IsAdmin bool   `json:"is_admin"`
}

// GroupCreatorResult is the answer of [GroupsService.TransferCreator] (wire schema GroupTransferCreatorOut).
type GroupCreatorResult struct {
	CreatorID       string `json:"creator_id"`
	CreatorUsername string `json:"creator_username"`
}

// GroupInviteResult is the answer of [GroupsService.RespondToInvite] (wire schema GroupInviteResponseOut).
type GroupInviteResult struct {
	InviteStatus GroupInviteStatus `json:"invite_status"`
}

// GroupPinResult is the answer of [GroupsService.PinMessage] and UnpinMessage (wire schema
// PinResultOut); Already is true when the call changed nothing.
type GroupPinResult struct {
	Pinned  bool `json:"pinned"`
	Already bool `json:"already"`
}

// GroupMuteState is the caller's mute of a group (wire schema MuteStateOut);
// MutedUntil is nil for a mute without end or when not muted.
type GroupMuteState struct {
	Muted      bool       `json:"muted"`
	MutedUntil *time.Time `json:"muted_until"`
}

// GroupSnoozeState is the caller's snooze of a group (wire schema SnoozeStateOut);
// Cleared tells, on Unsnooze, whether a snooze existed.
type GroupSnoozeState struct {
	SnoozedUntil *time.Time `json:"snoozed_until"`
	Cleared      bool       `json:"cleared"`
}

// GroupReadReceipts is the caller's read-receipt setting in a group (wire schema
// ReadReceiptsOverrideOut); Override nil means the account preference applies.
type GroupReadReceipts struct {
	Override  *bool `json:"override"`
	Effective bool  `json:"effective"`
}

// GroupMarkAllReadResult is the answer of [GroupsService.MarkAllRead] (wire schema MarkAllReadOut).
type GroupMarkAllReadResult struct {
	Marked int `json:"marked"`
}

// PageMeta is the pagination block of list envelopes (wire schema PageMeta); HasMore
// means the page was full, so a further page may be empty.
type PageMeta struct {
	Total   int  `json:"total"`
	HasMore bool `json:"has_more"`
}

// GroupSearchHit is one search result (wire schema GroupSearchHitOut): the message
// plus BodyHighlight, its body with each match wrapped in [[hl]]…[[/hl]].
type GroupSearchHit struct {
	GroupMessage
	BodyHighlight string `json:"body_highlight"`
}

// GroupSearchResults is one page of [GroupsService.Search] (wire schema GroupSearchOut);
// Count is the number of hits on this page.
type GroupSearchResults struct {
	Q          string           `json:"q"`
	Count      int              `json:"count"`
	Results    []GroupSearchHit `json:"results"`
	Pagination *PageMeta        `json:"pagination"`
}

// GroupTemplate is one entry of the group template catalog (wire schema GroupTemplateOut).
type GroupTemplate struct {
	Slug                 string   `json:"slug"`
	Title                string   `json:"title"`
	Description          string   `json:"description"`
	SuggestedRoles       []string `json:"suggested_roles"`
	StarterPinnedMessage string   `json:"starter_pinned_message"`
}

// GroupTemplates is the template catalog (wire schema GroupTemplatesListOut).
type GroupTemplates struct {
	Templates  []GroupTemplate `json:"templates"`
	Pagination *PageMeta       `json:"pagination"`
}

// GroupCreateParams are the inputs of [GroupsService.Create]: a title of 1-100 characters and
// 1-49 usernames to invite.
type GroupCreateParams struct {
	Title   string   // required, 1-100 characters
	Members []string // usernames to invite, 1-49, none blank
}

// GroupFromTemplateParams are the inputs of [GroupsService.FromTemplate]; TitleOverride
// empty keeps the template's title.
type GroupFromTemplateParams struct {
	Template      string   // template slug, required (see Groups.Templates)
	Members       []string // usernames to invite, 1-49, none blank
	TitleOverride string   // 1-100 characters when set; not sent when empty
}

// GroupGetParams page the messages of [GroupsService.Get]; the zero value is the newest 50.
type GroupGetParams struct {
	Limit  int // messages per page, 1-200; zero means 50
	Offset int // newest messages to skip; not sent when zero
	// MaxResults stops Groups.MessagesIter after that many messages (0 = no limit).
	MaxResults int
}

// GroupUpdateParams change a group's metadata; nil fields are not sent and stay as
// they are, and at least one must be set.
type GroupUpdateParams struct {
	Title       *string // 1-100 characters
	Description *string // 0-500 characters; "" clears it
}

// GroupSendParams are the inputs of [GroupsService.Send].
type GroupSendParams struct {
	Body             string // required, not blank
	ReplyToMessageID string // a message of the same group to reply to; not sent when empty
}

// GroupSearchParams search the messages of a group; Query is required.
type GroupSearchParams struct {
	Query  string // 2-200 characters, matched as whole words, case-insensitive
	Limit  int    // hits per page, 1-100; zero means 50
	Offset int    // hits to skip; not sent when zero
	// MaxResults stops Groups.SearchIter after that many hits (0 = no limit).
	MaxResults int
}

// groupSendBody is the JSON body of POST /messages/groups/{id}/send.
type groupSendBody struct {
	Body             string `json:"body"`
	ReplyToMessageID string `json:"reply_to_message_id,omitempty"`
}

// groupCall sends a body-less request with query q to the route template tmpl, whose
// placeholders groupID then ids fill, and decodes T; the group's writes are all query-shaped.
func groupCall[T any](ctx context.Context, s *GroupsService, method, tmpl, groupID string, q url.Values, opts []RequestOption, ids ...string) (*T, error) {
	path, err := endpoint(tmpl, append([]string{groupID}, ids...)...)
	if err != nil {
		return nil, err
	}
	return call[T](ctx, s.client, method, path, q, nil, opts)
}

// checkGroupTitle rejects a blank title or one longer than 100 characters.
func checkGroupTitle(name, title string) error {
	return checkText(name, title, 1, groupMaxTitle)
}

// groupInvitees checks 1-49 non-blank usernames and writes them as repeated members keys.
func groupInvitees(q url.Values, members []string) error {
	if len(members) == 0 || len(members) > groupMaxInvitees {
		return invalidArgf("a group needs 1-%d members to invite, got %d", groupMaxInvitees, len(members))
	}
	for _, m := range members {
		if strings.TrimSpace(m) == "" {
			return invalidArgf("member username is empty")
		}
		q.Add("members", m)
	}
	return nil
}

// Create creates a group conversation (POST /messages/groups, query-shaped, no body).
// The caller becomes creator and admin; invitees start pending. Retries reuse one
// Idempotency-Key, so a retried create makes one group.
func (s *GroupsService) Create(ctx context.Context, p *GroupCreateParams, opts ...RequestOption) (*Group, error) {
	if p == nil {
		return nil, invalidArgf("group create params are nil")
	}
	if err := checkGroupTitle("title", p.Title); err != nil {
		return nil, err
	}
	q := url.Values{"title": {p.Title}}
	if err := groupInvitees(q, p.Members); err != nil {
		return nil, err
	}
	return call[Group](ctx, s.client, http.MethodPost, "/messages/groups", q, nil, opts)
}

// FromTemplate creates a group from a catalog template (POST /messages/groups/from-template);
// the template's starter message, if any, is posted and pinned (StarterMessageID).
func (s *GroupsService) FromTemplate(ctx context.Context, p *GroupFromTemplateParams, opts ...RequestOption) (*Group, error) {
	if p == nil {
		return nil, invalidArgf("group template params are nil")
	}
	if err := checkText("template", p.Template, 1, 0); err != nil {
		return nil, err
	}
	q := url.Values{"template": {p.Template}}
	if err := groupInvitees(q, p.Members); err != nil {
		return nil, err
	}
	if p.TitleOverride != "" {
		if err := checkGroupTitle("title override", p.TitleOverride); err != nil {
			return nil, err
		}
		q.Set("title_override", p.TitleOverride)
	}
	return call[Group](ctx, s.client, http.MethodPost, "/messages/groups/from-template", q, nil, opts)
}

// Templates returns the group template catalog (GET /messages/groups/templates), a
// static list that is never paged.
func (s *GroupsService) Templates(ctx context.Context, opts ...RequestOption) (*GroupTemplates, error) {
	return call[GroupTemplates](ctx, s.client, http.MethodGet, "/messages/groups/templates", nil, nil, opts)
}

// TemplatesIter ranges over the template catalog; each range makes exactly one request.
func (s *GroupsService) TemplatesIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*GroupTemplate, error] {
	return single(func(ctx context.Context) ([]GroupTemplate, error) {
		t, err := s.Templates(ctx, opts...)
		if err != nil {
			return nil, err
		}
		return t.Templates, nil
	}).all(ctx)
}

// Get returns a group and one page of its messages (GET /messages/groups/{group_id});
// p may be nil (the newest 50). limit is always sent, offset when positive. The
// caller must be a participant ([ErrForbidden] otherwise).
func (s *GroupsService) Get(ctx context.Context, groupID string, p *GroupGetParams, opts ...RequestOption) (*GroupDetail, error) {
	path, err := endpoint("/messages/groups/{group_id}", groupID)
	if err != nil {
		return nil, err
	}
	var params GroupGetParams
	if p != nil {
		params = *p
	}
	limit, err := groupPaging(params.Limit, params.Offset, params.MaxResults, groupMaxGetLimit)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	setLimitOffset(q, limit, params.Offset)
	return call[GroupDetail](ctx, s.client, http.MethodGet, path, q, nil, opts)
}

// MessagesIter ranges over a group's messages through Get, page by page from the
// newest page backwards (messages run oldest to newest within each page), stopping
// on a short page or p.MaxResults.
func (s *GroupsService) MessagesIter(ctx context.Context, groupID string, p *GroupGetParams, opts ...RequestOption) iter.Seq2[*GroupMessage, error] {
	var base GroupGetParams
	if p != nil {
		base = *p
	}
	limit, err := groupPaging(base.Limit, base.Offset, base.MaxResults, groupMaxGetLimit)
	if err != nil {
		return errSeq[GroupMessage](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(m *GroupMessage) string { return m.ID },
		func(ctx context.Context, offset int) (*ListResponse[GroupMessage], error) {
			q := base
			q.Limit, q.Offset = limit, offset
			d, err := s.Get(ctx, groupID, &q, opts...)
			if err != nil {
				return nil, err
			}
			return &ListResponse[GroupMessage]{Items: d.Messages}, nil
		})
}

// groupPaging checks limit (zero means 50, else 1..max), offset and maxResults.
func groupPaging(limit, offset, maxResults, max int) (int, error) {
	limit, err := pageLimit(limit, groupDefaultLimit, max)
	if err != nil {
		return 0, err
	}
	if _, err := checkPaging(0, offset, maxResults); err != nil {
		return 0, err
	}
	return limit, nil
}

// Update changes a group's title and/or description (PATCH /messages/groups/{group_id},
// query-shaped, no body); admins only ([ErrForbidden]). Safe to retry: it sets values.
func (s *GroupsService) Update(ctx context.Context, groupID string, p *GroupUpdateParams, opts ...RequestOption) (*GroupMetadata, error) {
	path, err := endpoint("/messages/groups/{group_id}", groupID)
	if err != nil {
		return nil, err
	}
	if p == nil || (p.Title == nil && p.Description == nil) {
		return nil, invalidArgf("group update needs Title or Description")
	}
	q := url.Values{}
	if p.Title != nil {
		if err := checkGroupTitle("title", *p.Title); err != nil {
			return nil, err
		}
		q.Set("title", *p.Title)
	}
	if p.Description != nil {
		if n := utf8.RuneCountInString(*p.Description); n > groupMaxDescription {
			return nil, invalidArgf("description is %d characters long (max %d)", n, groupMaxDescription)
		}
		q.Set("description", *p.Description)
	}
	return call[GroupMetadata](ctx, s.client, http.MethodPatch, path, q, nil, opts)
}

// Members returns the participants of a group (GET /messages/groups/{group_id}/members);
// the endpoint is not paged.
func (s *GroupsService) Members(ctx context.Context, groupID string, opts ...RequestOption) (*GroupMembers, error) {
	return groupCall[GroupMembers](ctx, s, http.MethodGet, "/messages/groups/{group_id}/members", groupID, nil, opts)
}

// MembersIter ranges over the participants of a group; each range makes exactly one request.
func (s *GroupsService) MembersIter(ctx context.Context, groupID string, opts ...RequestOption) iter.Seq2[*GroupMember, error] {
	if _, err := endpoint("/messages/groups/{group_id}/members", groupID); err != nil {
		return errSeq[GroupMember](err)
	}
	return single(func(ctx context.Context) ([]GroupMember, error) {
		m, err := s.Members(ctx, groupID, opts...)
		if err != nil {
			return nil, err
		}
		return m.Members, nil
	}).all(ctx)
}

// AddMember invites username to a group (POST /messages/groups/{group_id}/members?username=…);
// admins only. Idempotent: inviting a participant again answers AlreadyMember.
func (s *GroupsService) AddMember(ctx context.Context, groupID, username string, opts ...RequestOption) (*GroupAddMemberResult, error) {
	if err := checkText("username", username, 1, 0); err != nil {
		return nil, err
	}
	return groupCall[GroupAddMemberResult](ctx, s, http.MethodPost, "/messages/groups/{group_id}/members", groupID, url.Values{"username": {username}}, opts)
}

// RemoveMember removes the participant with user id userID from a group
// (DELETE /messages/groups/{group_id}/members/{member_id}); admins only, and the
// creator cannot be removed. A repeat answers [ErrNotFound].
func (s *GroupsService) RemoveMember(ctx context.Context, groupID, userID string, opts ...RequestOption) (*GroupRemoveMemberResult, error) {
	return groupCall[GroupRemoveMemberResult](ctx, s, http.MethodDelete, "/messages/groups/{group_id}/members/{member_id}", groupID, nil, opts, userID)
}

// SetAdmin grants or revokes admin rights of the participant userID
// (PUT /messages/groups/{group_id}/members/{member_id}/admin?is_admin=…); admins only,
// and the creator's admin flag cannot be cleared. Idempotent.
func (s *GroupsService) SetAdmin(ctx context.Context, groupID, userID string, isAdmin bool, opts ...RequestOption) (*GroupAdminResult, error) {
	q := url.Values{"is_admin": {strconv.FormatBool(isAdmin)}}
	return groupCall[GroupAdminResult](ctx, s, http.MethodPut, "/messages/groups/{group_id}/members/{member_id}/admin", groupID, q, opts, userID)
}

// TransferCreator makes the accepted member newCreatorUsername the group's creator
// (POST /messages/groups/{group_id}/transfer-creator); creator only. The old creator stays admin.
func (s *GroupsService) TransferCreator(ctx context.Context, groupID, newCreatorUsername string, opts ...RequestOption) (*GroupCreatorResult, error) {
	if err := checkText("new creator username", newCreatorUsername, 1, 0); err != nil {
		return nil, err
	}
	q := url.Values{"new_creator_username": {newCreatorUsername}}
	return groupCall[GroupCreatorResult](ctx, s, http.MethodPost, "/messages/groups/{group_id}/transfer-creator", groupID, q, opts)
}

// RespondToInvite accepts or declines the caller's pending invitation
// (POST /messages/groups/{group_id}/invite/respond?accept=…); declining deletes the
// participant row, so a repeat answers an error.
func (s *GroupsService) RespondToInvite(ctx context.Context, groupID string, accept bool, opts ...RequestOption) (*GroupInviteResult, error) {
	q := url.Values{"accept": {strconv.FormatBool(accept)}}
	return groupCall[GroupInviteResult](ctx, s, http.MethodPost, "/messages/groups/{group_id}/invite/respond", groupID, q, opts)
}

// Send posts a message to a group (POST /messages/groups/{group_id}/send, JSON body).
// Pending invitees and non-members get [ErrForbidden]. Retries reuse one
// Idempotency-Key, so a retried send is not delivered twice.
func (s *GroupsService) Send(ctx context.Context, groupID string, p *GroupSendParams, opts ...RequestOption) (*Message, error) {
	path, err := endpoint("/messages/groups/{group_id}/send", groupID)
	if err != nil {
		return nil, err
	}
	if p == nil || strings.TrimSpace(p.Body) == "" {
		return nil, invalidArgf("group message body is empty")
	}
	if p.ReplyToMessageID != "" && strings.TrimSpace(p.ReplyToMessageID) == "" {
		return nil, invalidArgf("reply-to message id is blank")
	}
	return call[Message](ctx, s.client, http.MethodPost, path, nil, groupSendBody(*p), opts)
}

// Search returns one page of the group's messages matching p.Query
// (GET /messages/groups/{group_id}/search); limit is always sent, offset when positive.
func (s *GroupsService) Search(ctx context.Context, groupID string, p *GroupSearchParams, opts ...RequestOption) (*GroupSearchResults, error) {
	path, err := endpoint("/messages/groups/{group_id}/search", groupID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, invalidArgf("group search params are nil")
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return call[GroupSearchResults](ctx, s.client, http.MethodGet, path, q, nil, opts)
}

func (p GroupSearchParams) query() (url.Values, error) {
	n := utf8.RuneCountInString(strings.TrimSpace(p.Query))
	if n < 2 || utf8.RuneCountInString(p.Query) > groupMaxSearchQuery {
		return nil, invalidArgf("search query must be 2-%d characters, got %q", groupMaxSearchQuery, p.Query)
	}
	limit, err := groupPaging(p.Limit, p.Offset, p.MaxResults, maxPageSize)
	if err != nil {
		return nil, err
	}
	q := url.Values{"q": {p.Query}}
	setLimitOffset(q, limit, p.Offset)
	return q, nil
}

// SearchIter ranges over every hit of a group search page by page from p.Offset,
// stopping on has_more=false, a short page or p.MaxResults.
func (s *GroupsService) SearchIter(ctx context.Context, groupID string, p *GroupSearchParams, opts ...RequestOption) iter.Seq2[*GroupSearchHit, error] {
	if p == nil {
		return errSeq[GroupSearchHit](invalidArgf("group search params are nil"))
	}
	base := *p
	if _, err := base.query(); err != nil {
		return errSeq[GroupSearchHit](err)
	}
	if _, err := endpoint("/messages/groups/{group_id}/search", groupID); err != nil {
		return errSeq[GroupSearchHit](err)
	}
	limit := orDefault(base.Limit, groupDefaultLimit)
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(h *GroupSearchHit) string { return h.ID },
		func(ctx context.Context, offset int) (*ListResponse[GroupSearchHit], error) {
			q := base
			q.Limit, q.Offset = limit, offset
			r, err := s.Search(ctx, groupID, &q, opts...)
			if err != nil {
				return nil, err
			}
			l := &ListResponse[GroupSearchHit]{Items: r.Results}
			if r.Pagination != nil {
				l.Total, l.HasMore = r.Pagination.Total, &r.Pagination.HasMore
			}
			return l, nil
		})
}

// PinMessage pins a message of the group for everyone
// (POST /messages/groups/{group_id}/messages/{message_id}/pin); admins only.
// Idempotent: re-pinning answers Already.
func (s *GroupsService) PinMessage(ctx context.Context, groupID, messageID string, opts ...RequestOption) (*GroupPinResult, error) {
	return groupCall[GroupPinResult](ctx, s, http.MethodPost, "/messages/groups/{group_id}/messages/{message_id}/pin", groupID, nil, opts, messageID)
}

// UnpinMessage unpins a message of the group
// (DELETE /messages/groups/{group_id}/messages/{message_id}/pin); admins only.
// Idempotent: unpinning an unpinned message answers Already.
func (s *GroupsService) UnpinMessage(ctx context.Context, groupID, messageID string, opts ...RequestOption) (*GroupPinResult, error) {
	return groupCall[GroupPinResult](ctx, s, http.MethodDelete, "/messages/groups/{group_id}/messages/{message_id}/pin", groupID, nil, opts, messageID)
}

// Mute silences the group's notifications for the caller only
// (POST /messages/groups/{group_id}/mute); until zero sends none and mutes forever.
// An @mention still reaches a muted member. Idempotent.
func (s *GroupsService) Mute(ctx context.Context, groupID string, until GroupMuteDuration, opts ...RequestOption) (*GroupMuteState, error) {
	var q url.Values
	switch until {
	case "":
	case GroupMute1Hour, GroupMute8Hours, GroupMute1Day, GroupMute1Week, GroupMuteForever:
		q = url.Values{"until": {string(until)}}
	default:
		return nil, invalidArgf("unknown mute duration %q (want 1h, 8h, 1d, 1w or forever)", until)
	}
	return groupCall[GroupMuteState](ctx, s, http.MethodPost, "/messages/groups/{group_id}/mute", groupID, q, opts)
}

// Unmute clears the caller's mute of the group (POST /messages/groups/{group_id}/unmute). Idempotent.
func (s *GroupsService) Unmute(ctx context.Context, groupID string, opts ...RequestOption) (*GroupMuteState, error) {
	return groupCall[GroupMuteState](ctx, s, http.MethodPost, "/messages/groups/{group_id}/unmute", groupID, nil, opts)
}

// Snooze hides the group from the caller's default inbox for d
// (POST /messages/groups/{group_id}/snooze?duration=…); d is required. Idempotent.
func (s *GroupsService) Snooze(ctx context.Context, groupID string, d GroupSnoozeDuration, opts ...RequestOption) (*GroupSnoozeState, error) {
	switch d {
	case GroupSnooze1Hour, GroupSnooze3Hours, GroupSnoozeUntilMorning, GroupSnooze1Day, GroupSnooze1Week:
	default:
		return nil, invalidArgf("unknown snooze duration %q (want 1h, 3h, until_morning, 1d or 1w)", d)
	}
	return groupCall[GroupSnoozeState](ctx, s, http.MethodPost, "/messages/groups/{group_id}/snooze", groupID, url.Values{"duration": {string(d)}}, opts)
}

// Unsnooze clears the caller's snooze of the group (POST /messages/groups/{group_id}/unsnooze);
// Cleared says whether one existed. Idempotent.
func (s *GroupsService) Unsnooze(ctx context.Context, groupID string, opts ...RequestOption) (*GroupSnoozeState, error) {
	return groupCall[GroupSnoozeState](ctx, s, http.MethodPost, "/messages/groups/{group_id}/unsnooze", groupID, nil, opts)
}

// MarkAllRead marks every message of the group read for the caller
// (POST /messages/groups/{group_id}/read-all); Marked is 0 on a repeat. Idempotent.
func (s *GroupsService) MarkAllRead(ctx context.Context, groupID string, opts ...RequestOption) (*GroupMarkAllReadResult, error) {
	return groupCall[GroupMarkAllReadResult](ctx, s, http.MethodPost, "/messages/groups/{group_id}/read-all", groupID, nil, opts)
}

// SetReadReceipts sets whether the caller shows read receipts in the group
// (PATCH /messages/groups/{group_id}/receipts?show=…); show nil sends no query and
// clears the override, so the account preference applies. Idempotent.
func (s *GroupsService) SetReadReceipts(ctx context.Context, groupID string, show *bool, opts ...RequestOption) (*GroupReadReceipts, error) {
	var q url.Values
	if show != nil {
		q = url.Values{"show": {strconv.FormatBool(*show)}}
	}
	return groupCall[GroupReadReceipts](ctx, s, http.MethodPatch, "/messages/groups/{group_id}/receipts", groupID, q, opts)
}
