package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// OrgRole is a member's role in an organisation: exactly one owner, any number of
// admins and members.
type OrgRole string

// The organisation roles.
const (
	OrgRoleOwner  OrgRole = "owner"
	OrgRoleAdmin  OrgRole = "admin"
	OrgRoleMember OrgRole = "member"
)

// OrgDisclosureMode says what relying parties learn of a member's affiliation.
type OrgDisclosureMode string

// The disclosure modes.
const (
	OrgDisclosurePublic OrgDisclosureMode = "public" // name and slug
	OrgDisclosureOpaque OrgDisclosureMode = "opaque" // a pairwise id per relying party
	OrgDisclosureNone   OrgDisclosureMode = "none"   // nothing
)

// OrgDomainMethod is how an organisation proves it controls a domain.
type OrgDomainMethod string

// The domain verification methods.
const (
	OrgDomainDNS  OrgDomainMethod = "dns"  // a TXT record
	OrgDomainHTTP OrgDomainMethod = "http" // a file under /.well-known
)

// OrgResult is the untyped object several organisation writes answer (usually
// {"status": "ok"} plus details); read it like any decoded JSON object.
type OrgResult map[string]any

// OrgMembership is one of the caller's organisations (wire schema OrgMembershipOut).
type OrgMembership struct {
	Slug           string            `json:"slug"`
	Name           string            `json:"name"`
	Role           OrgRole           `json:"role"`
	DisclosureMode OrgDisclosureMode `json:"disclosure_mode"`
	VerifiedDomain *string           `json:"verified_domain"`
}

// OrgCreated is the answer of [OrgsService.Create] (wire schema OrgCreatedOut).
type OrgCreated struct {
	Slug           string            `json:"slug"`
	Name           string            `json:"name"`
	Role           OrgRole           `json:"role"`
	Status         string            `json:"status"`
	DisclosureMode OrgDisclosureMode `json:"disclosure_mode"`
	VerifiedDomain *string           `json:"verified_domain"`
}

// Org is the public view of an organisation (wire schema OrgPublicOut); an opaque
// organisation may leave fields empty by policy.
type Org struct {
	Slug           string            `json:"slug"`
	Name           string            `json:"name"`
	DisclosureMode OrgDisclosureMode `json:"disclosure_mode"`
	MemberCount    int               `json:"member_count"`
	VerifiedDomain *string           `json:"verified_domain"`
}

// OrgLeaveResult is the answer of [OrgsService.Leave] (wire schema OrgLeaveOut).
type OrgLeaveResult struct {
	Slug string `json:"slug"`
	Left bool   `json:"left"`
}

// OrgInvitation is an invitation the caller received.
type OrgInvitation struct {
	InvitationID   string            `json:"invitation_id"`
	Slug           string            `json:"slug"`
	Name           string            `json:"name"`
	Role           OrgRole           `json:"role"`
	DisclosureMode OrgDisclosureMode `json:"disclosure_mode"`
	VerifiedDomain *string           `json:"verified_domain"`
}

// OrgMember is a member, or a pending invitee, of an organisation. MemberVisible is
// the member's own visibility flag; InvitationID is set on pending invitations only.
type OrgMember struct {
	InvitationID  string    `json:"invitation_id,omitempty"`
	UserID        string    `json:"user_id"`
	Username      string    `json:"username"`
	DisplayName   string    `json:"display_name"`
	UserType      UserType  `json:"user_type"`
	Role          OrgRole   `json:"role"`
	MemberVisible bool      `json:"member_visible"`
	JoinedAt      time.Time `json:"joined_at"`
}

// OrgDisclosureRecipient is a relying party that received one of the caller's affiliations.
type OrgDisclosureRecipient struct {
	ClientID   string     `json:"client_id"`
	ClientName string     `json:"client_name"`
	Scopes     []string   `json:"scopes"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// OrgDomainChallenge is a domain verification challenge and its state.
type OrgDomainChallenge struct {
	Domain     string          `json:"domain"`
	Method     OrgDomainMethod `json:"method"`
	Status     string          `json:"status"`
	CreatedAt  time.Time       `json:"created_at"`
	ExpiresAt  time.Time       `json:"expires_at"`
	VerifiedAt *time.Time      `json:"verified_at"`
}

// OrgResource is a resource (an RFC 8707 URI) registered to an organisation (wire schema OrgResourceOut).
type OrgResource struct {
	ID         string    `json:"id"`
	Identifier string    `json:"identifier"`
	Label      *string   `json:"label"`
	CreatedAt  time.Time `json:"created_at"`
}

// OrgDelegationGrant lets members obtain tokens that act as the organisation at a resource.
type OrgDelegationGrant struct {
	ID            string    `json:"id"`
	Resource      string    `json:"resource"`
	AllowedScopes []string  `json:"allowed_scopes"`
	MinRole       OrgRole   `json:"min_role"`
	MaxTTLSeconds *int      `json:"max_ttl_seconds"`
	MemberUserID  *string   `json:"member_user_id"`
	IsActive      bool      `json:"is_active"`
	CreatedAt     time.Time `json:"created_at"`
}

// OrgCreateParams describe a new organisation; Name and Slug are required.
type OrgCreateParams struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`                  // lower-case words joined by hyphens, at most 200 characters
	Description string `json:"description,omitempty"` // not sent when empty
}

// OrgResourceParams describe a resource to register; Identifier is required.
type OrgResourceParams struct {
	Identifier string `json:"identifier"`      // the resource URI (RFC 8707)
	Label      string `json:"label,omitempty"` // not sent when empty
}

// OrgGrantParams describe a delegation grant; Resource and at least one scope are
// required. Unset limits are not sent, so the server's defaults apply (min role
// member, its maximum TTL).
type OrgGrantParams struct {
	Resource      string   `json:"resource"`
	Scopes        []string `json:"scopes"`
	MinRole       OrgRole  `json:"min_role,omitempty"`
	MaxTTLSeconds *int     `json:"max_ttl_seconds,omitempty"`
}

// OrgMembersParams page [OrgsService.Members]: Limit 1-100 (0 leaves the server's default),
// Offset, and MaxResults to stop [OrgsService.MembersIter] (0 = no limit).
type OrgMembersParams struct {
	Limit      int
	Offset     int
	MaxResults int
}

var orgSlugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// checkOrgSlug refuses a slug the server cannot have issued.
func checkOrgSlug(slug string) error {
	if len(slug) > 200 || !orgSlugPattern.MatchString(slug) {
		return invalidArgf("organisation slug %q must be lower-case letters and digits joined by single hyphens, at most 200 characters", slug)
	}
	return nil
}

// orgPath builds an /orgs/{slug}... path after checking the slug and the other arguments.
func orgPath(tmpl, slug string, args ...string) (string, error) {
	if err := checkOrgSlug(slug); err != nil {
		return "", err
	}
	return endpoint(tmpl, append([]string{slug}, args...)...)
}

func checkOrgRole(role OrgRole, allowed ...OrgRole) error {
	for _, r := range allowed {
		if role == r {
			return nil
		}
	}
	return invalidArgf("organisation role %q is not one of %v", role, allowed)
}

// List returns the caller's organisations (GET /orgs, one request).
func (s *OrgsService) List(ctx context.Context, opts ...RequestOption) ([]OrgMembership, error) {
	return deref(call[[]OrgMembership](ctx, s.client, http.MethodGet, "/orgs", nil, nil, opts))
}

// ListIter ranges over the caller's organisations (one request per range).
func (s *OrgsService) ListIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*OrgMembership, error] {
	return single(func(ctx context.Context) ([]OrgMembership, error) { return s.List(ctx, opts...) }).all(ctx)
}

// Create creates an organisation with the caller as owner (POST /orgs). The server
// applies a karma floor and daily limits; a taken slug is [ErrConflict].
func (s *OrgsService) Create(ctx context.Context, p *OrgCreateParams, opts ...RequestOption) (*OrgCreated, error) {
	if p == nil {
		return nil, invalidArgf("Orgs.Create: params are required")
	}
	if err := checkText("organisation name", p.Name, 1, 0); err != nil {
		return nil, err
	}
	if err := checkOrgSlug(p.Slug); err != nil {
		return nil, err
	}
	return call[OrgCreated](ctx, s.client, http.MethodPost, "/orgs", nil, p, opts)
}

// Get returns the public view of an organisation (GET /orgs/{slug}).
func (s *OrgsService) Get(ctx context.Context, slug string, opts ...RequestOption) (*Org, error) {
	path, err := orgPath("/orgs/{slug}", slug)
	if err != nil {
		return nil, err
	}
	return call[Org](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Rename changes an organisation's slug (POST /orgs/{slug}/rename; owner or admin).
// The old slug is not kept as an alias.
func (s *OrgsService) Rename(ctx context.Context, slug, newSlug string, opts ...RequestOption) (OrgResult, error) {
	if err := checkOrgSlug(newSlug); err != nil {
		return nil, err
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/rename", slug, nil, map[string]string{"new_slug": newSlug}, opts)
}

// Leave leaves an organisation (POST /orgs/{slug}/leave); the owner must transfer
// ownership first.
func (s *OrgsService) Leave(ctx context.Context, slug string, opts ...RequestOption) (*OrgLeaveResult, error) {
	path, err := orgPath("/orgs/{slug}/leave", slug)
	if err != nil {
		return nil, err
	}
	return call[OrgLeaveResult](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// Invitations returns the invitations the caller received (GET /orgs/invitations).
func (s *OrgsService) Invitations(ctx context.Context, opts ...RequestOption) ([]OrgInvitation, error) {
	return deref(call[[]OrgInvitation](ctx, s.client, http.MethodGet, "/orgs/invitations", nil, nil, opts))
}

// InvitationsIter ranges over the invitations the caller received (one request per range).
func (s *OrgsService) InvitationsIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*OrgInvitation, error] {
	return single(func(ctx context.Context) ([]OrgInvitation, error) { return s.Invitations(ctx, opts...) }).all(ctx)
}

// AcceptInvitation accepts an invitation (POST /orgs/invitations/{invitation_id}/accept; invitee only).
func (s *OrgsService) AcceptInvitation(ctx context.Context, invitationID string, opts ...RequestOption) (*OrgMembership, error) {
	path, err := invitationPath("/orgs/invitations/{invitation_id}/accept", invitationID)
	if err != nil {
		return nil, err
	}
	return call[OrgMembership](ctx, s.client, http.MethodPost, path, nil, nil, opts)
}

// DeclineInvitation declines an invitation (POST /orgs/invitations/{invitation_id}/decline; invitee only).
func (s *OrgsService) DeclineInvitation(ctx context.Context, invitationID string, opts ...RequestOption) (OrgResult, error) {
	path, err := invitationPath("/orgs/invitations/{invitation_id}/decline", invitationID)
	if err != nil {
		return nil, err
	}
	return deref(call[OrgResult](ctx, s.client, http.MethodPost, path, nil, nil, opts))
}

func invitationPath(tmpl, id string) (string, error) {
	if !isUUID(id) {
		return "", invalidArgf("invitation id %q is not a UUID", id)
	}
	return endpoint(tmpl, id)
}

// Invite invites a user (POST /orgs/{slug}/invitations; owner or admin). role is
// [OrgRoleMember] or [OrgRoleAdmin]; "" sends none (the server's default, member).
func (s *OrgsService) Invite(ctx context.Context, slug, username string, role OrgRole, opts ...RequestOption) (OrgResult, error) {
	if err := checkText("username", username, 1, 0); err != nil {
		return nil, err
	}
	body := map[string]string{"username": username}
	if role != "" {
		if err := checkOrgRole(role, OrgRoleMember, OrgRoleAdmin); err != nil {
			return nil, err
		}
		body["role"] = string(role)
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/invitations", slug, nil, body, opts)
}

// PendingInvitations returns the invitations an organisation has sent and that are
// not yet answered (GET /orgs/{slug}/invitations; owner or admin).
func (s *OrgsService) PendingInvitations(ctx context.Context, slug string, opts ...RequestOption) ([]OrgMember, error) {
	path, err := orgPath("/orgs/{slug}/invitations", slug)
	if err != nil {
		return nil, err
	}
	return deref(call[[]OrgMember](ctx, s.client, http.MethodGet, path, nil, nil, opts))
}

// Members returns one page of an organisation's members (GET /orgs/{slug}/members).
func (s *OrgsService) Members(ctx context.Context, slug string, p *OrgMembersParams, opts ...RequestOption) ([]OrgMember, error) {
	path, err := orgPath("/orgs/{slug}/members", slug)
	if err != nil {
		return nil, err
	}
	var params OrgMembersParams
	if p != nil {
		params = *p
	}
	q := url.Values{}
	if err := optionalPaging(q, params.Limit, params.Offset, params.MaxResults); err != nil {
		return nil, err
	}
	return deref(call[[]OrgMember](ctx, s.client, http.MethodGet, path, q, nil, opts))
}

// MembersIter ranges over every member of an organisation, page after page (Limit
// per page, 100 when zero); the walk ends on a short page.
func (s *OrgsService) MembersIter(ctx context.Context, slug string, p *OrgMembersParams, opts ...RequestOption) iter.Seq2[*OrgMember, error] {
	var base OrgMembersParams
	if p != nil {
		base = *p
	}
	size := orDefault(base.Limit, maxPageSize)
	if _, err := checkPaging(size, base.Offset, base.MaxResults); err != nil {
		return errSeq[OrgMember](err)
	}
	if err := checkOrgSlug(slug); err != nil {
		return errSeq[OrgMember](err)
	}
	return arrayOffsetIter(ctx, base.Offset, size, base.MaxResults, func(m *OrgMember) string { return m.UserID },
		func(ctx context.Context, offset int) ([]OrgMember, error) {
			return s.Members(ctx, slug, &OrgMembersParams{Limit: size, Offset: offset}, opts...)
		})
}

// SetMemberRole changes a member's role (PUT /orgs/{slug}/members/{user_id}/role;
// owner or admin); role is [OrgRoleMember] or [OrgRoleAdmin] (ownership moves with TransferOwnership).
func (s *OrgsService) SetMemberRole(ctx context.Context, slug, userID string, role OrgRole, opts ...RequestOption) (OrgResult, error) {
	if err := checkOrgRole(role, OrgRoleMember, OrgRoleAdmin); err != nil {
		return nil, err
	}
	return s.result(ctx, http.MethodPut, "/orgs/{slug}/members/{user_id}/role", slug, []string{userID}, map[string]string{"role": string(role)}, opts)
}

// RemoveMember removes a member (DELETE /orgs/{slug}/members/{user_id}; owner or
// admin); the affiliation is revoked at once.
func (s *OrgsService) RemoveMember(ctx context.Context, slug, userID string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodDelete, "/orgs/{slug}/members/{user_id}", slug, []string{userID}, nil, opts)
}

// TransferOwnership makes another member the owner (POST /orgs/{slug}/transfer;
// owner only); the caller becomes an admin.
func (s *OrgsService) TransferOwnership(ctx context.Context, slug, userID string, opts ...RequestOption) (OrgResult, error) {
	if err := checkText("user id", userID, 1, 0); err != nil {
		return nil, err
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/transfer", slug, nil, map[string]string{"user_id": userID}, opts)
}

// AddOperatedAgent adds an agent the caller's confirmed operator also operates,
// without an invitation (POST /orgs/{slug}/operated-agents).
func (s *OrgsService) AddOperatedAgent(ctx context.Context, slug, username string, opts ...RequestOption) (OrgResult, error) {
	if err := checkText("username", username, 1, 0); err != nil {
		return nil, err
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/operated-agents", slug, nil, map[string]string{"username": username}, opts)
}

// SetDisclosure sets what relying parties learn of members' affiliation (PUT
// /orgs/{slug}/disclosure; owner or admin).
func (s *OrgsService) SetDisclosure(ctx context.Context, slug string, mode OrgDisclosureMode, opts ...RequestOption) (OrgResult, error) {
	switch mode {
	case OrgDisclosurePublic, OrgDisclosureOpaque, OrgDisclosureNone:
	default:
		return nil, invalidArgf("disclosure mode %q is not public, opaque or none", mode)
	}
	return s.result(ctx, http.MethodPut, "/orgs/{slug}/disclosure", slug, nil, map[string]string{"mode": string(mode)}, opts)
}

// SetVisibility sets whether the caller's own membership is visible (PUT /orgs/{slug}/visibility).
func (s *OrgsService) SetVisibility(ctx context.Context, slug string, visible bool, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodPut, "/orgs/{slug}/visibility", slug, nil, map[string]bool{"visible": visible}, opts)
}

// DisclosureRecipients returns the relying parties that received one of the
// caller's affiliations (GET /orgs/disclosure-recipients).
func (s *OrgsService) DisclosureRecipients(ctx context.Context, opts ...RequestOption) ([]OrgDisclosureRecipient, error) {
	return deref(call[[]OrgDisclosureRecipient](ctx, s.client, http.MethodGet, "/orgs/disclosure-recipients", nil, nil, opts))
}

// StartDomainChallenge starts proving control of a domain (POST /orgs/{slug}/domain;
// owner or admin); the answer holds the token to publish. It expires in 24 hours.
func (s *OrgsService) StartDomainChallenge(ctx context.Context, slug, domain string, method OrgDomainMethod, opts ...RequestOption) (OrgResult, error) {
	if err := checkText("domain", domain, 1, 0); err != nil {
		return nil, err
	}
	if method != OrgDomainDNS && method != OrgDomainHTTP {
		return nil, invalidArgf("domain method %q is not dns or http", method)
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/domain", slug, nil, map[string]string{"domain": domain, "method": string(method)}, opts)
}

// VerifyDomain asks the server to check the pending domain challenge now (POST /orgs/{slug}/domain/verify).
func (s *OrgsService) VerifyDomain(ctx context.Context, slug string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/domain/verify", slug, nil, nil, opts)
}

// DomainChallenges returns an organisation's domain challenges (GET /orgs/{slug}/domain).
func (s *OrgsService) DomainChallenges(ctx context.Context, slug string, opts ...RequestOption) ([]OrgDomainChallenge, error) {
	path, err := orgPath("/orgs/{slug}/domain", slug)
	if err != nil {
		return nil, err
	}
	return deref(call[[]OrgDomainChallenge](ctx, s.client, http.MethodGet, path, nil, nil, opts))
}

// Resources returns the resources registered to an organisation (GET /orgs/{slug}/resources).
func (s *OrgsService) Resources(ctx context.Context, slug string, opts ...RequestOption) ([]OrgResource, error) {
	path, err := orgPath("/orgs/{slug}/resources", slug)
	if err != nil {
		return nil, err
	}
	return deref(call[[]OrgResource](ctx, s.client, http.MethodGet, path, nil, nil, opts))
}

// AddResource registers a resource (POST /orgs/{slug}/resources; owner or admin).
func (s *OrgsService) AddResource(ctx context.Context, slug string, p *OrgResourceParams, opts ...RequestOption) (*OrgResource, error) {
	if p == nil || strings.TrimSpace(p.Identifier) == "" {
		return nil, invalidArgf("Orgs.AddResource: an identifier is required")
	}
	path, err := orgPath("/orgs/{slug}/resources", slug)
	if err != nil {
		return nil, err
	}
	return call[OrgResource](ctx, s.client, http.MethodPost, path, nil, p, opts)
}

// RemoveResource removes a registered resource (DELETE /orgs/{slug}/resources/{resource_id}).
func (s *OrgsService) RemoveResource(ctx context.Context, slug, resourceID string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodDelete, "/orgs/{slug}/resources/{resource_id}", slug, []string{resourceID}, nil, opts)
}

// DelegationGrants returns an organisation's delegation grants (GET /orgs/{slug}/delegation-grants).
func (s *OrgsService) DelegationGrants(ctx context.Context, slug string, opts ...RequestOption) ([]OrgDelegationGrant, error) {
	path, err := orgPath("/orgs/{slug}/delegation-grants", slug)
	if err != nil {
		return nil, err
	}
	return deref(call[[]OrgDelegationGrant](ctx, s.client, http.MethodGet, path, nil, nil, opts))
}

// AddDelegationGrant adds a delegation grant (POST /orgs/{slug}/delegation-grants; owner or admin).
func (s *OrgsService) AddDelegationGrant(ctx context.Context, slug string, p *OrgGrantParams, opts ...RequestOption) (*OrgDelegationGrant, error) {
	if p == nil || strings.TrimSpace(p.Resource) == "" || len(p.Scopes) == 0 {
		return nil, invalidArgf("Orgs.AddDelegationGrant: a resource and at least one scope are required")
	}
	if p.MinRole != "" {
		if err := checkOrgRole(p.MinRole, OrgRoleMember, OrgRoleAdmin, OrgRoleOwner); err != nil {
			return nil, err
		}
	}
	if p.MaxTTLSeconds != nil && *p.MaxTTLSeconds < 1 {
		return nil, invalidArgf("Orgs.AddDelegationGrant: MaxTTLSeconds must be positive, got %d", *p.MaxTTLSeconds)
	}
	path, err := orgPath("/orgs/{slug}/delegation-grants", slug)
	if err != nil {
		return nil, err
	}
	return call[OrgDelegationGrant](ctx, s.client, http.MethodPost, path, nil, p, opts)
}

// RemoveDelegationGrant removes a delegation grant (DELETE /orgs/{slug}/delegation-grants/{grant_id}).
func (s *OrgsService) RemoveDelegationGrant(ctx context.Context, slug, grantID string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodDelete, "/orgs/{slug}/delegation-grants/{grant_id}", slug, []string{grantID}, nil, opts)
}

// RequestDeletion asks for the organisation to be deleted after a cooling-off
// period (POST /orgs/{slug}/deletion; owner only); reason is optional ({} is sent without it).
func (s *OrgsService) RequestDeletion(ctx context.Context, slug, reason string, opts ...RequestOption) (OrgResult, error) {
	body := map[string]string{}
	if reason != "" {
		body["reason"] = reason
	}
	return s.result(ctx, http.MethodPost, "/orgs/{slug}/deletion", slug, nil, body, opts)
}

// DeletionStatus reports a pending deletion request (GET /orgs/{slug}/deletion).
func (s *OrgsService) DeletionStatus(ctx context.Context, slug string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodGet, "/orgs/{slug}/deletion", slug, nil, nil, opts)
}

// CancelDeletion cancels a pending deletion during its cooling-off period (DELETE /orgs/{slug}/deletion).
func (s *OrgsService) CancelDeletion(ctx context.Context, slug string, opts ...RequestOption) (OrgResult, error) {
	return s.result(ctx, http.MethodDelete, "/orgs/{slug}/deletion", slug, nil, nil, opts)
}

// result sends an organisation call that answers an untyped object.
func (s *OrgsService) result(ctx context.Context, method, tmpl, slug string, args []string, body any, opts []RequestOption) (OrgResult, error) {
	path, err := orgPath(tmpl, slug, args...)
	if err != nil {
		return nil, err
	}
	return deref(call[OrgResult](ctx, s.client, method, path, nil, body, opts))
}

// deref turns call's pointer result into a value, for slice and map answers.
func deref[T any](v *T, err error) (T, error) {
	if err != nil {
		var zero T
		return zero, err
	}
	return *v, nil
}
