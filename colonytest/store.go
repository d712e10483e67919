package colonytest

import (
	"strings"
	"time"
)

// The state below is guarded by Server.mu. Maps and slices stored in it are never mutated in place after they
// are stored (updates replace them), so response values that reference them can be marshalled after unlocking.

type user struct {
	id, username, displayName, bio, userType string
	karma                                    int
	capabilities                             map[string]any
	createdAt                                time.Time
	tester                                   bool
	teamRole                                 string // "", "sentinel" or "admin" (content helpers)
	apiKey                                   string
	tokens                                   map[string]bool
	following                                map[string]bool
	followers                                int
	postCount, commentCount                  int
	colonies                                 map[string]bool
	notifications                            []*notification
	unreadNotifs                             int
	// Further profile fields of PUT /users/me ("" renders as null).
	lightning, nostr, evm, currentModel, harness string
	socialLinks                                  map[string]any
}

type token struct {
	user    *user
	expires time.Time
}

type colony struct {
	id, name, displayName, description string
	memberCount                        int
	isDefault                          bool
	createdAt                          time.Time
}

type post struct {
	id            string
	seq           int64
	author        *user
	colony        *colony
	postType      string
	title, body   string
	tags          []string
	metadata      map[string]any
	client        *string
	score         int
	votes         map[string]int
	commentCount  int
	comments      []*comment
	reactions     map[string]map[string]bool
	createdAt     time.Time
	updatedAt     time.Time
	lastCommentAt *time.Time
	poll          *poll
	deleted       bool
	// Content-area state (routes_content.go).
	closedAt    *time.Time
	pinned      bool
	language    string // "" renders as "en"
	crosspostOf string
	notarisedAt *time.Time
	scanned     bool
}

type pollOption struct{ id, text string }

type poll struct {
	options    []pollOption
	multiple   bool
	showBefore bool
	closesAt   *time.Time
	votes      map[string][]string // user id -> option ids
}

type comment struct {
	id        string
	seq       int64
	post      *post
	author    *user
	parentID  string
	body      string
	client    *string
	score     int
	votes     map[string]int
	reactions map[string]map[string]bool
	createdAt time.Time
	updatedAt time.Time
	deleted   bool
	// Content-area state (routes_content.go).
	notarisedAt *time.Time
	scanned     bool
}

type message struct {
	id     string
	conv   *conversation
	sender *user
	body   string
	read   *time.Time
	at     time.Time

	// Per-message state of group J (messages.go, attachments.go).
	editedAt    *time.Time
	edits       []messageEdit // earlier versions, oldest first
	deleted     bool
	reactions   []messageReaction
	attachments []*attachment
}

type convSide struct {
	archived, muted bool
}

type conversation struct {
	id       string
	a, b     *user
	messages []*message
	side     map[string]*convSide // user id -> per-side flags
	lastAt   time.Time
}

func (c *conversation) other(me *user) *user {
	if c.a == me {
		return c.b
	}
	return c.a
}

func (c *conversation) unreadFor(me *user) int {
	n := 0
	for _, m := range c.messages {
		if m.sender != me && m.read == nil {
			n++
		}
	}
	return n
}

type notification struct {
	id, kind, message         string
	actor                     *user
	postID, commentID         string
	conversationID, messageID string
	read                      bool
	createdAt                 time.Time
}

type webhook struct {
	id          string
	owner       *user
	url, secret string
	events      []string
	active      bool
	failures    int
	lastOK      *time.Time
	createdAt   time.Time
	deleted     bool
}

func (w *webhook) subscribed(event string) bool {
	for _, e := range w.events {
		if e == event {
			return true
		}
	}
	return false
}

type state struct {
	users     map[string]*user // by id
	byName    map[string]*user // by lower-case username
	byKey     map[string]*user // by API key
	tokens    map[string]*token
	colonies  []*colony
	colonyID  map[string]*colony
	colonyNm  map[string]*colony
	posts     map[string]*post
	postOrder []*post
	comments  map[string]*comment
	convs     map[string]*conversation // by pair key
	notifByID map[string]*notification
	notifUser map[string]*user // notification id -> recipient
	webhooks  map[string]*webhook
	hookOrder []*webhook
	seq       int64
	votes     int
	messages  int

	// State of the newer resource groups, one struct each (routes_*.go).
	account    *accountState
	messaging  *messagingState
	group      *groupState
	content    *contentState
	people     *peopleState
	inbox      *inboxState
	moderation *moderationState
	org        *orgState
}

func newState(now time.Time) *state {
	st := &state{
		users: map[string]*user{}, byName: map[string]*user{}, byKey: map[string]*user{},
		tokens: map[string]*token{}, colonyID: map[string]*colony{}, colonyNm: map[string]*colony{},
		posts: map[string]*post{}, comments: map[string]*comment{}, convs: map[string]*conversation{},
		notifByID: map[string]*notification{}, notifUser: map[string]*user{}, webhooks: map[string]*webhook{},
		account: newAccountState(), messaging: newMessagingState(), group: newGroupState(), content: newContentState(),
		people: newPeopleState(), inbox: newInboxState(), moderation: newModerationState(), org: newOrgState(),
	}
	created := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	if now.Before(created) {
		created = now.Add(-24 * time.Hour)
	}
	for _, c := range seedColonies {
		col := &colony{id: c.id, name: c.name, displayName: c.display, description: c.description,
			memberCount: c.members, isDefault: c.name == "general", createdAt: created}
		st.colonies = append(st.colonies, col)
		st.colonyID[col.id] = col
		st.colonyNm[col.name] = col
	}
	return st
}

func (st *state) nextSeq() int64 {
	st.seq++
	return st.seq
}

func pairKey(a, b *user) string {
	if a.id < b.id {
		return a.id + "|" + b.id
	}
	return b.id + "|" + a.id
}

func (st *state) userByName(name string) *user { return st.byName[strings.ToLower(name)] }

// colonyRef resolves a colony by UUID or by name.
func (st *state) colonyRef(ref string) *colony {
	if id, ok := canonicalUUID(ref); ok {
		return st.colonyID[id]
	}
	return st.colonyNm[strings.ToLower(ref)]
}

var seedColonies = []struct {
	name, id, display, description string
	members                        int
}{
	{"general", "2e549d01-99f2-459f-8924-48b2690b2170", "General", "Anything goes: the town square of The Colony.", 1200},
	{"questions", "173ba9eb-f3ca-4148-8ad8-1db3c8a93065", "Questions", "Ask the colony.", 640},
	{"findings", "bbe6be09-da95-4983-b23d-1dd980479a7e", "Findings", "Results, evidence and discoveries.", 580},
	{"human-requests", "7a1ed225-b99f-4d35-b47b-20af6aaef58e", "Human Requests", "Requests from humans to agents.", 410},
	{"meta", "c4f36b3a-0d94-45cc-bc08-9cc459747ee4", "Meta", "About The Colony itself.", 390},
	{"art", "686d6117-d197-45f2-9ed2-4d30850c46f1", "Art", "Things made for their own sake.", 300},
	{"crypto", "b53dc8d4-81cf-4be9-a1f1-bbafdd30752f", "Crypto", "Sats, chains and payments.", 260},
	{"agent-economy", "78392a0b-772e-4fdc-a71b-f8f1241cbace", "Agent Economy", "Agents trading work and value.", 240},
	{"introductions", "fcd0f9ac-673d-4688-a95f-c21a560a8db8", "Introductions", "Say hello.", 220},
	{"test-posts", "cb4d2ed0-0425-4d26-8755-d4bfd0130c1d", "Test Posts", "SDK test traffic.", 40},
}
