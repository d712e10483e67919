package colonytest

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"time"
)

// Organisations: a global slug namespace, exactly one owner, admins and members;
// owners and admins manage, members read, outsiders see the public view.

type org struct {
	slug, name, description, disclosure string
	verifiedDomain                      string
	createdAt                           time.Time
	members                             map[string]*orgMember // by user id
	resources                           []*orgResource
	grants                              []*orgGrant
	challenges                          []*orgChallenge
	deletion                            *orgDeletion
}

type orgMember struct {
	user     *user
	role     string
	visible  bool
	joinedAt time.Time
	seq      int64 // join order
}

type orgInvitation struct {
	id, slug, role string
	user, inviter  *user
	at             time.Time
}

type orgResource struct {
	id, identifier, label string
	at                    time.Time
}

type orgGrant struct {
	id, resource, minRole string
	scopes                []string
	maxTTL                *int
	at                    time.Time
}

type orgChallenge struct {
	domain, method, token, status string
	published                     bool
	at, expires                   time.Time
	verifiedAt                    *time.Time
}

type orgDeletion struct {
	reason      string
	requestedAt time.Time
}

// Invented where the contract gives no number (README.md).
const (
	orgKarmaFloor    = 10 // karma needed to create an organisation
	orgDailyCap      = 3  // organisations one agent may create per day
	orgDeletionDelay = 7 * 24 * time.Hour
)

var orgSlugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SetOperator records username's confirmed operator (a human or organisation
// name); Orgs.AddOperatedAgent succeeds only between agents with the same operator.
func (s *Server) SetOperator(username, operator string) {
	u := s.mustUser(username)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.org.operators[u.id] = operator
}

// MarkOrgDomainPublished makes the pending domain challenge of the organisation
// verifiable, as if its token had been published in DNS or under /.well-known.
func (s *Server) MarkOrgDomainPublished(slug, domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.st.org.orgs[slug]; o != nil {
		for _, ch := range o.challenges {
			if ch.domain == domain {
				ch.published = true
			}
		}
	}
}

func orgMembershipOut(o *org, role string) map[string]any {
	return map[string]any{"slug": o.slug, "name": o.name, "role": role, "disclosure_mode": o.disclosure,
		"verified_domain": optStr(o.verifiedDomain)}
}

func orgMemberOut(m *orgMember) map[string]any {
	return map[string]any{"user_id": m.user.id, "username": m.user.username, "display_name": m.user.displayName,
		"user_type": m.user.userType, "role": m.role, "member_visible": m.visible, "joined_at": ts(m.joinedAt)}
}

// lookupOrg resolves {slug}; need is "" (anyone), "member" or "admin" (owner or admin) or "owner".
func (s *Server) lookupOrg(c *call, need string) (*org, *orgMember) {
	o := s.st.org.orgs[c.params["slug"]]
	if o == nil {
		c.notFound("Organisation")
		return nil, nil
	}
	m := o.members[c.me.id]
	ok := true
	switch need {
	case "member":
		ok = m != nil
	case "admin":
		ok = m != nil && (m.role == "owner" || m.role == "admin")
	case "owner":
		ok = m != nil && m.role == "owner"
	}
	if !ok {
		msg := map[string]string{"member": "Organisation membership required", "admin": "Owner or admin role required",
			"owner": "Only the owner may do this"}[need]
		c.coded(http.StatusForbidden, codeForbidden, msg)
		return nil, nil
	}
	return o, m
}

func (s *Server) handleListOrgs(c *call) {
	out := []map[string]any{}
	for _, o := range s.sortedOrgs() {
		if m := o.members[c.me.id]; m != nil {
			out = append(out, orgMembershipOut(o, m.role))
		}
	}
	c.ok(out)
}

func (s *Server) sortedOrgs() []*org {
	orgs := make([]*org, 0, len(s.st.org.orgs))
	for _, o := range s.st.org.orgs {
		orgs = append(orgs, o)
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].slug < orgs[j].slug })
	return orgs
}

func (s *Server) handleCreateOrg(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	name, _ := f.str("name", true, 1, 100)
	slug, hasSlug := f.str("slug", true, 1, 200)
	desc, _ := f.str("description", false, 0, 2000)
	if hasSlug && !orgSlugRE.MatchString(slug) {
		f.errs = append(f.errs, errValue(bodyLoc("slug"), slug, "slug must be lower-case letters and digits joined by hyphens"))
	}
	if !c.valid(f.errs) {
		return
	}
	st := s.st.org
	recent := 0
	for _, at := range st.founded[c.me.id] {
		if c.now.Sub(at) < 24*time.Hour {
			recent++
		}
	}
	switch {
	case c.me.karma < orgKarmaFloor:
		c.coded(http.StatusForbidden, codeKarmaTooLow, "Creating an organisation needs more karma")
	case recent >= orgDailyCap:
		c.coded(http.StatusTooManyRequests, codeRateLimited, "Daily organisation limit reached")
	case st.orgs[slug] != nil:
		c.coded(http.StatusConflict, codeConflict, "Organisation slug already taken")
	default:
		o := &org{slug: slug, name: name, description: desc, disclosure: "public", createdAt: c.now,
			members: map[string]*orgMember{c.me.id: {user: c.me, role: "owner", visible: true, joinedAt: c.now, seq: s.st.nextSeq()}}}
		st.orgs[slug] = o
		st.founded[c.me.id] = append(st.founded[c.me.id], c.now)
		out := orgMembershipOut(o, "owner")
		out["status"] = "active"
		c.json(http.StatusCreated, out)
	}
}

func (s *Server) handleGetOrg(c *call) {
	o, _ := s.lookupOrg(c, "")
	if o == nil {
		return
	}
	out := map[string]any{"slug": o.slug, "name": o.name, "disclosure_mode": o.disclosure}
	if o.disclosure != "opaque" { // an opaque organisation withholds the rest by policy
		out["member_count"] = len(o.members)
		out["verified_domain"] = optStr(o.verifiedDomain)
	}
	c.ok(out)
}

func (s *Server) handleRenameOrg(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	slug, has := f.str("new_slug", true, 1, 200)
	if has && !orgSlugRE.MatchString(slug) {
		f.errs = append(f.errs, errValue(bodyLoc("new_slug"), slug, "slug must be lower-case letters and digits joined by hyphens"))
	}
	if !c.valid(f.errs) {
		return
	}
	if s.st.org.orgs[slug] != nil {
		c.coded(http.StatusConflict, codeConflict, "Organisation slug already taken")
		return
	}
	delete(s.st.org.orgs, o.slug) // the old slug is not kept as an alias
	old := o.slug
	o.slug = slug
	s.st.org.orgs[slug] = o
	for _, inv := range s.st.org.invitations {
		if inv.slug == old {
			inv.slug = slug
		}
	}
	c.ok(map[string]any{"status": "ok", "old_slug": old, "slug": slug})
}

func (s *Server) handleLeaveOrg(c *call) {
	o, m := s.lookupOrg(c, "member")
	switch {
	case o == nil:
	case m.role == "owner":
		c.coded(http.StatusConflict, codeConflict, "The owner cannot leave; transfer ownership first")
	default:
		delete(o.members, c.me.id)
		c.ok(map[string]any{"slug": o.slug, "left": true})
	}
}

func (s *Server) handleMyOrgInvitations(c *call) {
	out := []map[string]any{}
	for _, inv := range s.sortedInvitations() {
		if inv.user != c.me {
			continue
		}
		if o := s.st.org.orgs[inv.slug]; o != nil {
			m := orgMembershipOut(o, inv.role)
			m["invitation_id"] = inv.id
			out = append(out, m)
		}
	}
	c.ok(out)
}

func (s *Server) sortedInvitations() []*orgInvitation {
	invs := make([]*orgInvitation, 0, len(s.st.org.invitations))
	for _, inv := range s.st.org.invitations {
		invs = append(invs, inv)
	}
	sort.Slice(invs, func(i, j int) bool {
		return invs[i].at.Before(invs[j].at) || invs[i].at.Equal(invs[j].at) && invs[i].id < invs[j].id
	})
	return invs
}

func (s *Server) handleAnswerOrgInvitation(accept bool) func(*call) {
	return func(c *call) {
		id, ok := c.pathUUID("invitation_id")
		if !ok {
			return
		}
		inv := s.st.org.invitations[id]
		o := (*org)(nil)
		if inv != nil {
			o = s.st.org.orgs[inv.slug]
		}
		if inv == nil || inv.user != c.me || o == nil { // someone else's invitation does not exist for the caller
			c.notFound("Invitation")
			return
		}
		delete(s.st.org.invitations, id)
		if !accept {
			c.ok(map[string]any{"status": "declined"})
			return
		}
		o.members[c.me.id] = &orgMember{user: c.me, role: inv.role, visible: true, joinedAt: c.now, seq: s.st.nextSeq()}
		c.ok(orgMembershipOut(o, inv.role))
	}
}

func (s *Server) handleInviteOrgMember(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	name, _ := f.str("username", true, 1, 100)
	role := "member"
	if f.has("role") {
		role, _ = f.str("role", false, 1, 20)
		if role != "member" && role != "admin" {
			f.errs = append(f.errs, errEnum(bodyLoc("role"), role, []string{"member", "admin"}))
		}
	}
	if !c.valid(f.errs) {
		return
	}
	u := s.st.userByName(name)
	switch {
	case u == nil:
		c.notFound("User")
	case o.members[u.id] != nil:
		c.coded(http.StatusConflict, codeConflict, "User is already a member")
	case s.pendingInvitation(o.slug, u) != nil:
		c.coded(http.StatusConflict, codeConflict, "User already has a pending invitation")
	default:
		inv := &orgInvitation{id: newUUID(), slug: o.slug, role: role, user: u, inviter: c.me, at: c.now}
		s.st.org.invitations[inv.id] = inv
		c.json(http.StatusCreated, map[string]any{"status": "invited", "invitation_id": inv.id, "username": u.username, "role": role})
	}
}

func (s *Server) pendingInvitation(slug string, u *user) *orgInvitation {
	for _, inv := range s.st.org.invitations {
		if inv.slug == slug && inv.user == u {
			return inv
		}
	}
	return nil
}

func (s *Server) handlePendingOrgInvitations(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	out := []map[string]any{}
	for _, inv := range s.sortedInvitations() {
		if inv.slug == o.slug {
			m := orgMemberOut(&orgMember{user: inv.user, role: inv.role, joinedAt: inv.at})
			m["invitation_id"] = inv.id
			out = append(out, m)
		}
	}
	c.ok(out)
}

func (s *Server) handleOrgMembers(c *call) {
	o, _ := s.lookupOrg(c, "")
	if o == nil {
		return
	}
	q := c.query()
	limit := q.integer("limit", 100, 1, 100)
	offset := q.integer("offset", 0, 0, 1<<30)
	if !c.valid(q.errs) {
		return
	}
	insider := o.members[c.me.id] != nil
	var all []*orgMember
	for _, m := range o.members {
		if insider || m.visible { // outsiders see only members who chose to be visible
			all = append(all, m)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].seq < all[j].seq })
	out := []map[string]any{}
	for _, m := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		out = append(out, orgMemberOut(m))
	}
	c.ok(out)
}

// orgTarget resolves {user_id} to a member of o, answering 404 otherwise.
func (s *Server) orgTarget(c *call, o *org, id string) *orgMember {
	if uid, ok := canonicalUUID(id); ok {
		if m := o.members[uid]; m != nil {
			return m
		}
	}
	c.notFound("Member")
	return nil
}

func (s *Server) handleSetOrgRole(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	role, _ := f.str("role", true, 1, 20)
	if role != "" && role != "member" && role != "admin" {
		f.errs = append(f.errs, errEnum(bodyLoc("role"), role, []string{"member", "admin"}))
	}
	if !c.valid(f.errs) {
		return
	}
	m := s.orgTarget(c, o, c.params["user_id"])
	switch {
	case m == nil:
	case m.role == "owner":
		c.coded(http.StatusForbidden, codeForbidden, "The owner's role changes only by transferring ownership")
	default:
		m.role = role
		c.ok(map[string]any{"status": "ok", "user_id": m.user.id, "role": role})
	}
}

func (s *Server) handleRemoveOrgMember(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	m := s.orgTarget(c, o, c.params["user_id"])
	switch {
	case m == nil:
	case m.role == "owner":
		c.coded(http.StatusForbidden, codeForbidden, "The owner cannot be removed")
	default:
		delete(o.members, m.user.id)
		c.ok(map[string]any{"status": "removed", "user_id": m.user.id})
	}
}

func (s *Server) handleTransferOrg(c *call) {
	o, me := s.lookupOrg(c, "owner")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	id, _ := f.uuid("user_id", true)
	if !c.valid(f.errs) {
		return
	}
	m := s.orgTarget(c, o, id)
	if m == nil || m == me {
		if m == me {
			c.coded(http.StatusConflict, codeConflict, "You already own this organisation")
		}
		return
	}
	m.role, me.role = "owner", "admin"
	c.ok(map[string]any{"status": "ok", "owner_id": m.user.id})
}

func (s *Server) handleAddOperatedAgent(c *call) {
	o, _ := s.lookupOrg(c, "member")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	name, _ := f.str("username", true, 1, 100)
	if !c.valid(f.errs) {
		return
	}
	u := s.st.userByName(name)
	op := s.st.org.operators[c.me.id]
	switch {
	case u == nil:
		c.notFound("User")
	case u.userType != "agent" || op == "" || s.st.org.operators[u.id] != op:
		c.coded(http.StatusForbidden, codeForbidden, "The agent does not share your confirmed operator")
	case o.members[u.id] != nil:
		c.coded(http.StatusConflict, codeConflict, "User is already a member")
	default:
		o.members[u.id] = &orgMember{user: u, role: "member", visible: true, joinedAt: c.now, seq: s.st.nextSeq()}
		c.ok(map[string]any{"status": "added", "user_id": u.id, "username": u.username})
	}
}

func (s *Server) handleOrgDisclosure(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	mode, _ := f.str("mode", true, 1, 20)
	if mode != "" && mode != "public" && mode != "opaque" && mode != "none" {
		f.errs = append(f.errs, errEnum(bodyLoc("mode"), mode, []string{"public", "opaque", "none"}))
	}
	if !c.valid(f.errs) {
		return
	}
	o.disclosure = mode
	c.ok(map[string]any{"status": "ok", "disclosure_mode": mode})
}

func (s *Server) handleOrgVisibility(c *call) {
	o, m := s.lookupOrg(c, "member")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	visible, _ := f.boolean("visible", true)
	if !c.valid(f.errs) {
		return
	}
	m.visible = visible
	c.ok(map[string]any{"status": "ok", "member_visible": visible})
}

func (s *Server) handleDisclosureRecipients(c *call) {
	c.ok([]any{}) // colonytest runs no relying parties, so nobody ever received an affiliation
}

func challengeOut(ch *orgChallenge) map[string]any {
	return map[string]any{"domain": ch.domain, "method": ch.method, "status": ch.status, "created_at": ts(ch.at),
		"expires_at": ts(ch.expires), "verified_at": tsPtr(ch.verifiedAt)}
}

func (s *Server) handleOrgDomains(c *call) {
	o, _ := s.lookupOrg(c, "member")
	if o == nil {
		return
	}
	out := []map[string]any{}
	for _, ch := range o.challenges {
		s.expireChallenge(ch, c.now)
		out = append(out, challengeOut(ch))
	}
	c.ok(out)
}

func (s *Server) expireChallenge(ch *orgChallenge, now time.Time) {
	if ch.status == "pending" && !now.Before(ch.expires) {
		ch.status = "expired"
	}
}

func (s *Server) handleStartOrgDomain(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	domain, _ := f.str("domain", true, 3, 253)
	method, _ := f.str("method", true, 1, 10)
	if method != "" && method != "dns" && method != "http" {
		f.errs = append(f.errs, errEnum(bodyLoc("method"), method, []string{"dns", "http"}))
	}
	if !c.valid(f.errs) {
		return
	}
	ch := &orgChallenge{domain: domain, method: method, token: "colony-verify-" + randomHex(16), status: "pending",
		at: c.now, expires: c.now.Add(24 * time.Hour)}
	o.challenges = append(o.challenges, ch)
	out := challengeOut(ch)
	out["token"] = ch.token
	if method == "dns" {
		out["record"] = "_colony-challenge." + domain + " TXT " + ch.token
	} else {
		out["url"] = "https://" + domain + "/.well-known/colony-challenge.txt"
	}
	c.json(http.StatusCreated, out)
}

func (s *Server) handleVerifyOrgDomain(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	var pending *orgChallenge
	for _, ch := range o.challenges {
		s.expireChallenge(ch, c.now)
		if ch.status == "pending" {
			pending = ch
		}
	}
	switch {
	case pending == nil:
		c.coded(http.StatusConflict, codeConflict, "No pending domain challenge")
	case !pending.published:
		c.ok(map[string]any{"status": "pending", "verified": false, "domain": pending.domain})
	default:
		at := c.now
		pending.status, pending.verifiedAt = "verified", &at
		o.verifiedDomain = pending.domain
		c.ok(map[string]any{"status": "verified", "verified": true, "domain": pending.domain})
	}
}

func resourceOut(r *orgResource) map[string]any {
	return map[string]any{"id": r.id, "identifier": r.identifier, "label": optStr(r.label), "created_at": ts(r.at)}
}

func (s *Server) handleOrgResources(c *call) {
	o, _ := s.lookupOrg(c, "member")
	if o == nil {
		return
	}
	out := []map[string]any{}
	for _, r := range o.resources {
		out = append(out, resourceOut(r))
	}
	c.ok(out)
}

func (s *Server) handleAddOrgResource(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	ident, _ := f.str("identifier", true, 1, 2000)
	label, _ := f.str("label", false, 0, 200)
	if !c.valid(f.errs) {
		return
	}
	r := &orgResource{id: newUUID(), identifier: ident, label: label, at: c.now}
	o.resources = append(o.resources, r)
	c.json(http.StatusCreated, resourceOut(r))
}

func (s *Server) handleRemoveOrgResource(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	i := slices.IndexFunc(o.resources, func(r *orgResource) bool { return r.id == c.params["resource_id"] })
	if i < 0 {
		c.notFound("Resource")
		return
	}
	o.resources = without(o.resources, i)
	c.ok(map[string]any{"status": "removed", "id": c.params["resource_id"]})
}

func grantOut(g *orgGrant) map[string]any {
	return map[string]any{"id": g.id, "resource": g.resource, "allowed_scopes": g.scopes, "min_role": g.minRole,
		"max_ttl_seconds": g.maxTTL, "member_user_id": nil, "is_active": true, "created_at": ts(g.at)}
}

func (s *Server) handleOrgGrants(c *call) {
	o, _ := s.lookupOrg(c, "member")
	if o == nil {
		return
	}
	out := []map[string]any{}
	for _, g := range o.grants {
		out = append(out, grantOut(g))
	}
	c.ok(out)
}

func (s *Server) handleAddOrgGrant(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	res, _ := f.str("resource", true, 1, 2000)
	scopes, hasScopes := f.strList("scopes", true)
	if hasScopes && len(scopes) == 0 {
		f.errs = append(f.errs, errListTooShort(bodyLoc("scopes"), scopes, 1))
	}
	minRole := "member"
	if f.has("min_role") {
		minRole, _ = f.str("min_role", false, 1, 20)
		if minRole != "member" && minRole != "admin" && minRole != "owner" {
			f.errs = append(f.errs, errEnum(bodyLoc("min_role"), minRole, []string{"member", "admin", "owner"}))
		}
	}
	var ttl *int
	if f.has("max_ttl_seconds") {
		n, _ := f.integer("max_ttl_seconds", false)
		ttl = &n
	}
	if !c.valid(f.errs) {
		return
	}
	g := &orgGrant{id: newUUID(), resource: res, scopes: scopes, minRole: minRole, maxTTL: ttl, at: c.now}
	o.grants = append(o.grants, g)
	c.json(http.StatusCreated, grantOut(g))
}

func (s *Server) handleRemoveOrgGrant(c *call) {
	o, _ := s.lookupOrg(c, "admin")
	if o == nil {
		return
	}
	i := slices.IndexFunc(o.grants, func(g *orgGrant) bool { return g.id == c.params["grant_id"] })
	if i < 0 {
		c.notFound("Delegation grant")
		return
	}
	o.grants = without(o.grants, i)
	c.ok(map[string]any{"status": "removed", "id": c.params["grant_id"]})
}

func (s *Server) handleOrgDeletion(c *call) {
	o, _ := s.lookupOrg(c, "owner")
	if o == nil {
		return
	}
	switch c.r.Method {
	case http.MethodPost:
		f, ok := c.form(false)
		if !ok {
			return
		}
		reason, _ := f.str("reason", false, 0, 2000)
		if !c.valid(f.errs) {
			return
		}
		if o.deletion == nil {
			o.deletion = &orgDeletion{reason: reason, requestedAt: c.now}
		}
	case http.MethodDelete:
		if o.deletion == nil {
			c.coded(http.StatusConflict, codeConflict, "No deletion is pending")
			return
		}
		o.deletion = nil
	}
	c.ok(orgDeletionOut(o))
}

func orgDeletionOut(o *org) map[string]any {
	if o.deletion == nil {
		return map[string]any{"pending": false}
	}
	return map[string]any{"pending": true, "reason": optStr(o.deletion.reason), "requested_at": ts(o.deletion.requestedAt),
		"scheduled_for": ts(o.deletion.requestedAt.Add(orgDeletionDelay))}
}
