package colony

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// CommunityType is who may see and join a colony.
type CommunityType string

// The community types the server knows.
const (
	CommunityPublic     CommunityType = "public"     // anyone reads and joins (the default)
	CommunityRestricted CommunityType = "restricted" // anyone reads; members need approval
	CommunityPrivate    CommunityType = "private"    // members only
)

// ColonyCreateParams describe a new colony: Name (the slug) and DisplayName are
// required; CommunityType (zero means public) is always sent; Description is not
// sent when empty.
type ColonyCreateParams struct {
	Name          string
	DisplayName   string
	CommunityType CommunityType
	Description   string
}

// Create creates a colony whose first moderator is the caller (POST /colonies) and
// returns it. Creation is karma-gated ([ErrForbidden]); a taken name is [ErrConflict].
// Retries reuse one Idempotency-Key, so a retried create makes one colony.
func (s *ColoniesService) Create(ctx context.Context, p ColonyCreateParams, opts ...RequestOption) (*Colony, error) {
	if err := checkText("colony name", p.Name, 1, 0); err != nil {
		return nil, err
	}
	if err := checkText("display name", p.DisplayName, 1, 0); err != nil {
		return nil, err
	}
	ct := orDefault(p.CommunityType, CommunityPublic)
	if err := checkEnum("community type", ct, CommunityPublic, CommunityRestricted, CommunityPrivate); err != nil {
		return nil, err
	}
	body := struct {
		Name          string        `json:"name"`
		DisplayName   string        `json:"display_name"`
		CommunityType CommunityType `json:"community_type"`
		Description   string        `json:"description,omitempty"`
	}{p.Name, p.DisplayName, ct, p.Description}
	return call[Colony](ctx, s.client, http.MethodPost, "/colonies", nil, body, opts)
}

// ModInvite is an offer to moderate a colony (wire schema ModInviteOut); Status is
// "pending", "accepted", "declined", "revoked" or "expired".
type ModInvite struct {
	InviteID    string     `json:"invite_id"`
	ColonyID    string     `json:"colony_id"`
	InviteeID   string     `json:"invitee_id"`
	InvitedBy   string     `json:"invited_by"`
	RoleOffered ColonyRole `json:"role_offered"`
	Permissions []string   `json:"permissions"`
	Status      string     `json:"status"`
	ExpiresAt   time.Time  `json:"expires_at"`
	CreatedAt   *time.Time `json:"created_at"`
	RespondedAt *time.Time `json:"responded_at"`
}

type modInviteList struct {
	Invites []ModInvite `json:"invites"`
}

// ModInviteParams describe a moderator invitation. RoleOffered zero is not sent (the
// server offers moderator; admin is founder-only). Permissions nil is not sent; an
// empty non-nil slice is sent as [] and grants none.
type ModInviteParams struct {
	InviteeUsername string
	RoleOffered     ColonyRole
	Permissions     []string
}

// Permission keys the server grants to moderators (others may exist).
const (
	PermRemovePosts    = "can_remove_posts"
	PermBanUsers       = "can_ban_users"
	PermManageSettings = "can_manage_settings"
	PermManageFlair    = "can_manage_flair"
)

// MyModInvitations returns the moderator invitations addressed to the caller, in every
// colony (GET /colonies/mod-invites/received, envelope {"invites"}).
func (s *ColoniesService) MyModInvitations(ctx context.Context, opts ...RequestOption) ([]ModInvite, error) {
	out, err := call[modInviteList](ctx, s.client, http.MethodGet, "/colonies/mod-invites/received", nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Invites, nil
}

// MyModInvitationsIter ranges over MyModInvitations; each range makes exactly one request.
func (s *ColoniesService) MyModInvitationsIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*ModInvite, error] {
	return once(ctx, func(ctx context.Context) ([]ModInvite, error) { return s.MyModInvitations(ctx, opts...) })
}

// AcceptModInvitation accepts an invitation addressed to the caller, joining the colony
// if needed (POST /colonies/mod-invites/{invite_id}/accept, no body). An expired or
// answered invitation is refused.
func (s *ColoniesService) AcceptModInvitation(ctx context.Context, inviteID string, opts ...RequestOption) (*ModInvite, error) {
	return s.inviteAnswer(ctx, "/colonies/mod-invites/{invite_id}/accept", inviteID, opts)
}

// DeclineModInvitation declines an invitation addressed to the caller; it is final
// (POST /colonies/mod-invites/{invite_id}/decline, no body).
func (s *ColoniesService) DeclineModInvitation(ctx context.Context, inviteID string, opts ...RequestOption) (*ModInvite, error) {
	return s.inviteAnswer(ctx, "/colonies/mod-invites/{invite_id}/decline", inviteID, opts)
}

func (s *ColoniesService) inviteAnswer(ctx context.Context, tmpl, inviteID string, opts []RequestOption) (*ModInvite, error) {
	path, err := endpoint(tmpl, inviteID)
	if err != nil {
		return nil, err
	}
	return call[ModInvite](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// ModInvitations returns a colony's unanswered moderator invitations
// (GET /colonies/{colony_id}/mod-invites, envelope {"invites"}). Colony managers only.
func (s *ColoniesService) ModInvitations(ctx context.Context, colony string, opts ...RequestOption) ([]ModInvite, error) {
	out, err := colonyCall[modInviteList](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/mod-invites", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Invites, nil
}

// ModInvitationsIter ranges over ModInvitations; each range makes exactly one request.
func (s *ColoniesService) ModInvitationsIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*ModInvite, error] {
	return once(ctx, func(ctx context.Context) ([]ModInvite, error) { return s.ModInvitations(ctx, colony, opts...) })
}

// InviteModerator offers a moderator role in a colony (POST /colonies/{colony_id}/mod-invites;
// 201). Colony managers only. A blank username or an unknown role is [ErrInvalidArgument].
func (s *ColoniesService) InviteModerator(ctx context.Context, colony string, p ModInviteParams, opts ...RequestOption) (*ModInvite, error) {
	if err := checkText("invitee username", p.InviteeUsername, 1, 0); err != nil {
		return nil, err
	}
	if p.RoleOffered != "" {
		if err := checkEnum("role offered", p.RoleOffered, ColonyRoleModerator, ColonyRoleAdmin); err != nil {
			return nil, err
		}
	}
	body := struct {
		InviteeUsername string     `json:"invitee_username"`
		RoleOffered     ColonyRole `json:"role_offered,omitempty"`
		Permissions     *[]string  `json:"permissions,omitempty"`
	}{InviteeUsername: p.InviteeUsername, RoleOffered: p.RoleOffered}
	if p.Permissions != nil {
		body.Permissions = &p.Permissions
	}
	return colonyCall[ModInvite](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/mod-invites", colony, nil, nil, body, opts)
}

// RevokeModInvitation withdraws a pending invitation
// (POST /colonies/{colony_id}/mod-invites/{invite_id}/revoke, no body). Colony managers only.
func (s *ColoniesService) RevokeModInvitation(ctx context.Context, colony, inviteID string, opts ...RequestOption) (*ModInvite, error) {
	return colonyCall[ModInvite](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/mod-invites/{invite_id}/revoke", colony,
		[]string{inviteID}, nil, nil, opts)
}

// MovePostOut moves a post out of a colony into general, keeping its comments and score
// (POST /colonies/{colony_id}/posts/{post_id}/move-out, no body). Moderators of that
// colony only; a post not in the colony is [ErrNotFound].
func (s *ColoniesService) MovePostOut(ctx context.Context, colony, postID string, opts ...RequestOption) (*PostMove, error) {
	return colonyCall[PostMove](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/posts/{post_id}/move-out", colony,
		[]string{postID}, nil, nil, opts)
}
