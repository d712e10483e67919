package colonytest

import (
	"encoding/json"
	"net/http"
	"sort"
	"time"
)

// Colony roles as the live server names them; the founder is flagged separately (is_creator).
const (
	roleMember    = "member"
	roleModerator = "moderator"
	roleAdmin     = "admin"
)

// Moderator permission keys.
const (
	permRemovePosts    = "can_remove_posts"
	permBanUsers       = "can_ban_users"
	permManageSettings = "can_manage_settings"
	permManageFlair    = "can_manage_flair"
)

var defaultModPerms = []string{permRemovePosts, permBanUsers}

const msgModRequired = "Moderator access required"

// modColony is the moderation state of one colony.
type modColony struct {
	col            *colony
	founder        *user
	communityType  string
	roles          map[string]string   // user id -> moderator/admin
	perms          map[string][]string // user id -> permissions of a moderator
	joined         map[string]time.Time
	bans           map[string]*colonyBan // user id -> latest ban
	mutedUntil     map[string]time.Time
	appeals        []*banAppeal
	rules          []*automodRule
	postFlairs     []*flair
	userFlairs     []*flair
	assigned       map[string]*flair // user id -> user flair
	reasons        []*removalReason
	notes          map[string][]*memberNote // user id -> notes, oldest first
	strikes        map[string][]*strike     // user id -> strikes, oldest first
	log            []*modEvent
	modmail        []*modmailThread
	queue          []*queueItem
	deletion       *deletionReq
	settings       map[string]any
	userFlairOn    bool
	strikeLimit    int
	strikeAction   string
	requireApprove bool
}

type colonyBan struct {
	target, by *user
	reason     *string
	at         time.Time
	expires    *time.Time
	lifted     bool
}

func (b *colonyBan) active(now time.Time) bool {
	return b != nil && !b.lifted && (b.expires == nil || now.Before(*b.expires))
}

type banAppeal struct {
	id, body, status string
	colony           *modColony
	user             *user
	ban              *colonyBan
	note             *string
	at               time.Time
	resolved         *time.Time
}

type automodRule struct {
	id, name, scope   string
	enabled           bool
	triggers, actions map[string]any
	at                time.Time
}

type flair struct {
	id, label, bg, fg string
	modOnly           bool
	position          int
}

type removalReason struct {
	id, label, body string
	position        int
}

type memberNote struct {
	id, body string
	author   *user
	at       time.Time
}

type strike struct {
	id, reason, severity string
	by                   *user
	at                   time.Time
	expires              *time.Time
}

type modEvent struct {
	id, action        string
	actor, target     *user
	reason            *string
	postID, commentID string
	at                time.Time
}

type modmailThread struct {
	id, title    string
	opener       *user
	participants map[string]bool
	bodies       []string
	at, lastAt   time.Time
}

type queueItem struct {
	id, kind, targetKind, targetID string
	author                         *user
	post                           *post
	excerpt                        string
	at                             time.Time
	resolved                       bool
}

type deletionReq struct {
	id, reason, status string
	at                 time.Time
}

type modInvite struct {
	id           string
	colony       *modColony
	invitee, by  *user
	role, status string
	perms        []string
	at, expires  time.Time
	responded    *time.Time
}

type ownershipTransfer struct {
	id                   string
	colony               *modColony
	initiator, recipient *user
	status               string
	at                   time.Time
	responded            *time.Time
}

func (t *ownershipTransfer) statusAt(now time.Time) string {
	if t.status == "pending" && !now.Before(t.at.Add(7*24*time.Hour)) {
		return "expired"
	}
	return t.status
}

func newModColony(col *colony) *modColony {
	return &modColony{col: col, communityType: "public", roles: map[string]string{}, perms: map[string][]string{},
		joined: map[string]time.Time{}, bans: map[string]*colonyBan{}, mutedUntil: map[string]time.Time{},
		assigned: map[string]*flair{}, notes: map[string][]*memberNote{}, strikes: map[string][]*strike{},
		settings: map[string]any{}, userFlairOn: true, strikeLimit: 3, strikeAction: "mute_7d"}
}

// modColonyOf returns the moderation state of col; a colony nobody has moderated yet gets a fresh one, stored
// only when store is true (GET handlers run under the read lock and must not store).
func (s *Server) modColonyOf(col *colony, store bool) *modColony {
	st := s.st.moderation
	if mc := st.colonies[col.id]; mc != nil {
		return mc
	}
	mc := newModColony(col)
	if store {
		st.colonies[col.id] = mc
	}
	return mc
}

// modLookup resolves {colony_id} and returns its moderation state, answering 404/422 itself.
func (s *Server) modLookup(c *call) *modColony {
	col := s.lookupColony(c)
	if col == nil {
		return nil
	}
	return s.modColonyOf(col, c.r.Method != http.MethodGet)
}

// roleOf returns u's role in the colony, "" for a non-member.
func (mc *modColony) roleOf(u *user) string {
	if r := mc.roles[u.id]; r != "" {
		return r
	}
	if mc.founder == u {
		return roleModerator
	}
	if u.colonies[mc.col.id] {
		return roleMember
	}
	return ""
}

func (mc *modColony) isMod(u *user) bool {
	return mc.founder == u || mc.roles[u.id] == roleModerator || mc.roles[u.id] == roleAdmin
}

// isManager reports whether u may manage moderators (invitations): the founder and admins.
func (mc *modColony) isManager(u *user) bool { return mc.founder == u || mc.roles[u.id] == roleAdmin }

func (mc *modColony) hasPerm(u *user, perm string) bool {
	if mc.isManager(u) {
		return true
	}
	if !mc.isMod(u) {
		return false
	}
	for _, p := range mc.perms[u.id] {
		if p == perm {
			return true
		}
	}
	return false
}

// modOnly resolves the colony and answers 403 "Moderator access required" unless the caller moderates it.
func (s *Server) modOnly(c *call) *modColony {
	mc := s.modLookup(c)
	if mc != nil && !mc.isMod(c.me) {
		c.detail(http.StatusForbidden, msgModRequired)
		return nil
	}
	return mc
}

// founderOnly resolves the colony and answers 403 unless the caller founded it.
func (s *Server) founderOnly(c *call, what string) *modColony {
	mc := s.modLookup(c)
	if mc != nil && mc.founder != c.me {
		c.detail(http.StatusForbidden, "Only the colony founder can "+what)
		return nil
	}
	return mc
}

// activeMods returns the founder and the moderators/admins, by username.
func (mc *modColony) mods(st *state) []*user {
	var out []*user
	if mc.founder != nil {
		out = append(out, mc.founder)
	}
	for id := range mc.roles {
		if u := st.users[id]; u != nil && u != mc.founder {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].username < out[j].username })
	return out
}

// addMember makes u a member of the colony (no-op when already one).
func (mc *modColony) addMember(u *user, now time.Time) {
	if u.colonies[mc.col.id] {
		return
	}
	u.colonies[mc.col.id] = true
	mc.col.memberCount++
	mc.joined[u.id] = now
}

// removeMember ends u's membership and any role.
func (mc *modColony) removeMember(u *user) {
	if u.colonies[mc.col.id] {
		delete(u.colonies, mc.col.id)
		mc.col.memberCount--
	}
	delete(mc.roles, u.id)
	delete(mc.perms, u.id)
	delete(mc.joined, u.id)
}

func (s *Server) logMod(mc *modColony, c *call, action string, target *user, reason *string, postID string) *modEvent {
	e := &modEvent{id: newUUID(), action: action, actor: c.me, target: target, reason: reason, postID: postID, at: c.now}
	mc.log = append(mc.log, e)
	return e
}

// tellUser stores a notification and queues the webhook event of a moderation action.
func (s *Server) tellUser(to *user, c *call, event, msg string, fields map[string]any) {
	s.notify(to, notification{kind: event, message: msg, actor: c.me}, c.now)
	s.emit(event, to, fields)
}

// colonyGate refuses a write by a banned or muted member of col (403); it reports whether the caller may write.
// Called by the post and comment handlers.
func (s *Server) colonyGate(c *call, col *colony) bool {
	mc := s.st.moderation.colonies[col.id]
	if mc == nil {
		return true
	}
	if s.bannedHere(c, mc) {
		return false
	}
	if until, ok := mc.mutedUntil[c.me.id]; ok && c.now.Before(until) {
		c.detail(http.StatusForbidden, "You are muted in this colony until "+ts(until))
		return false
	}
	return true
}

// afterColonyPost queues a new post for approval when its colony requires it. Called by handleCreatePost.
func (s *Server) afterColonyPost(p *post) {
	mc := s.st.moderation.colonies[p.colony.id]
	if mc == nil || !mc.requireApprove || mc.isMod(p.author) {
		return
	}
	mc.queue = append(mc.queue, &queueItem{id: newUUID(), kind: "pending_post", targetKind: "post", targetID: p.id,
		author: p.author, post: p, excerpt: clip(p.title+" "+p.body, 200), at: p.createdAt})
}

// joinedColony records a join; called by handleJoin. It answers 403 for a banned user and reports whether the
// join may proceed.
func (s *Server) joinedColony(c *call, col *colony) bool {
	mc := s.st.moderation.colonies[col.id]
	if mc == nil {
		return true
	}
	if s.bannedHere(c, mc) {
		return false
	}
	mc.joined[c.me.id] = c.now
	return true
}

// jsonList decodes raw as a JSON array of objects.
func jsonList(raw []byte, out *[]map[string]any) bool { return json.Unmarshal(raw, out) == nil }

// formOf wraps an already-decoded object (a list item) as a form.
func formOf(m map[string]any) *form {
	f := &form{m: map[string]json.RawMessage{}, input: m}
	for k, v := range m {
		b, _ := json.Marshal(v)
		f.m[k] = b
	}
	return f
}

// bannedHere answers 403 when the caller is banned from the colony and reports whether they are.
func (s *Server) bannedHere(c *call, mc *modColony) bool {
	if mc.bans[c.me.id].active(c.now) {
		c.detail(http.StatusForbidden, "You are banned from this colony")
		return true
	}
	return false
}

// modBody is modOnly plus the required JSON body; f is nil when an answer was written.
func (s *Server) modBody(c *call) (*modColony, *form) {
	mc := s.modOnly(c)
	if mc == nil {
		return nil, nil
	}
	f, ok := c.form(true)
	if !ok {
		return nil, nil
	}
	return mc, f
}

// modPathID is modOnly plus the UUID path parameter param; id is "" when an answer was written.
func (s *Server) modPathID(c *call, param string) (*modColony, string) {
	mc := s.modOnly(c)
	if mc == nil {
		return nil, ""
	}
	id, _ := c.pathUUID(param)
	return mc, id
}

// textField reads a JSON body with one required string field of min-max characters, answering 422 otherwise.
func textField(c *call, name string, min, max int) (string, bool) {
	f, ok := c.form(true)
	if !ok {
		return "", false
	}
	v, _ := f.str(name, true, min, max)
	return v, c.valid(f.errs)
}

// without returns a copy of list without element i (stored slices are never changed in place).
func without[T any](list []T, i int) []T {
	return append(append([]T{}, list[:i]...), list[i+1:]...)
}

// leftColony forgets the join time and any role of a member who left; called by handleLeave.
func (mc *modColony) leftColony(u *user) {
	delete(mc.joined, u.id)
	delete(mc.roles, u.id)
	delete(mc.perms, u.id)
}
