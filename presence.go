package colony

import (
	"context"
	"iter"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// PresenceStatus is the caller's self-declared status (wire schema
// PresenceStatusOut); nil fields are unset.
type PresenceStatus struct {
	PresenceStatus   *string `json:"presence_status"`    // a free label such as "available", "away" or "busy"
	CustomStatusText *string `json:"custom_status_text"` // free text shown next to the name
}

// SetStatusParams change the caller's status: a nil field stays as it is, a
// pointer to "" clears it. With neither set, {} is sent and nothing changes.
type SetStatusParams struct {
	PresenceStatus   *string // the server enforces no list of labels
	CustomStatusText *string
}

type setStatusBody struct {
	PresenceStatus   *string `json:"presence_status,omitempty"`
	CustomStatusText *string `json:"custom_status_text,omitempty"`
}

// Presence is whether a user is online now (one value of the POST /users/presence
// map); LastSeenAt is Unix seconds, nil when the server has never seen the user.
type Presence struct {
	Online     bool     `json:"online"`
	LastSeenAt *float64 `json:"last_seen_at"`
}

// LastSeen returns LastSeenAt as a time; ok is false when it is nil.
func (p Presence) LastSeen() (t time.Time, ok bool) {
	if p.LastSeenAt == nil {
		return time.Time{}, false
	}
	sec, frac := math.Modf(*p.LastSeenAt)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
}

// maxPresenceIDs is the most user ids one presence call may carry.
const maxPresenceIDs = 200

// Status returns the caller's status (GET /users/me/status).
func (s *UsersService) Status(ctx context.Context, opts ...RequestOption) (*PresenceStatus, error) {
	return call[PresenceStatus](ctx, s.client, http.MethodGet, "/users/me/status", nil, nil, opts)
}

// SetStatus changes the caller's status (PUT /users/me/status) and returns it; p
// may be nil, which sends {}. It is idempotent, so safe to retry.
func (s *UsersService) SetStatus(ctx context.Context, p *SetStatusParams, opts ...RequestOption) (*PresenceStatus, error) {
	var body setStatusBody
	if p != nil {
		body = setStatusBody(*p)
	}
	return call[PresenceStatus](ctx, s.client, http.MethodPut, "/users/me/status", nil, body, opts)
}

// Presence returns whether each of the given users is online (POST
// /users/presence, read-only despite the method), keyed by user id; unknown ids
// come back offline. 1-200 non-blank ids are required, else [ErrInvalidArgument].
func (s *UsersService) Presence(ctx context.Context, userIDs []string, opts ...RequestOption) (map[string]Presence, error) {
	if len(userIDs) == 0 || len(userIDs) > maxPresenceIDs {
		return nil, invalidArgf("presence needs 1 to %d user ids, got %d", maxPresenceIDs, len(userIDs))
	}
	for i, id := range userIDs {
		if strings.TrimSpace(id) == "" {
			return nil, invalidArgf("user id %d is empty", i)
		}
	}
	body := struct {
		UserIDs []string `json:"user_ids"`
	}{userIDs}
	out, err := call[map[string]Presence](ctx, s.client, http.MethodPost, "/users/presence", nil, body, opts)
	if err != nil {
		return nil, err
	}
	return *out, nil
}

// ColdTier is a cold-DM budget tier, the lower of the caller's karma tier and
// account-age tier.
type ColdTier string

// The cold-DM tiers, from the most to the least restricted.
const (
	ColdTierL0 ColdTier = "L0"
	ColdTierL1 ColdTier = "L1"
	ColdTierL2 ColdTier = "L2"
	ColdTierL3 ColdTier = "L3"
)

// InboxMode says who may open a direct-message thread with the caller.
type InboxMode string

// The inbox modes.
const (
	InboxOpen         InboxMode = "open"          // cold DMs from senders of tier L1 and above
	InboxContactsOnly InboxMode = "contacts_only" // only warm threads and peers the caller messaged first
	InboxQuiet        InboxMode = "quiet"         // only senders with karma at or above a threshold (default 10)
)

func (m InboxMode) valid() bool {
	return m == InboxOpen || m == InboxContactsOnly || m == InboxQuiet
}

// ColdBudgetWindow is one rolling window of the cold-DM budget (wire schema
// ColdBudgetWindow): how many distinct cold recipients remain of the cap.
type ColdBudgetWindow struct {
	Cap           int `json:"cap"`
	Remaining     int `json:"remaining"`
	WindowSeconds int `json:"window_seconds"` // 86400 for daily, 3600 for hourly
	// EarliestSendInWindowAt is when the oldest counted send leaves the window;
	// nil when nothing is counted (Remaining == Cap).
	EarliestSendInWindowAt *time.Time `json:"earliest_send_in_window_at"`
}

// ColdBudget is the caller's cold-DM budget and inbox settings (wire schema
// ColdBudgetResponse, absent from the published snapshot).
type ColdBudget struct {
	Tier               ColdTier           `json:"tier"`
	TierLabel          string             `json:"tier_label"`
	Daily              []ColdBudgetWindow `json:"daily"`
	Hourly             []ColdBudgetWindow `json:"hourly"`
	InboxMode          InboxMode          `json:"inbox_mode"`
	InboxQuietMinKarma *int               `json:"inbox_quiet_min_karma"` // set only in quiet mode
	NextTier           *ColdNextTier      `json:"next_tier"`             // nil at the top tier
}

// ColdNextTier is the next cold-DM tier and what reaching it requires.
type ColdNextTier struct {
	Tier     ColdTier `json:"tier"`
	Requires struct {
		Karma          *int `json:"karma"`
		AccountAgeDays *int `json:"account_age_days"`
	} `json:"requires"`
}

// ColdPeer is one recipient of the caller's direct messages in the cold-DM ledger:
// Warm once the peer has sent at least one message, AwaitingReply while the caller's last message is unanswered.
type ColdPeer struct {
	Handle         string     `json:"handle"`
	Warm           bool       `json:"warm"`
	AwaitingReply  bool       `json:"awaiting_reply"`
	LastOutboundAt *time.Time `json:"last_outbound_at"`
}

// ColdPeersPage is one page of the cold-DM ledger (wire schema ColdPeersResponse);
// NextCursor is nil on the last page.
type ColdPeersPage struct {
	Items      []ColdPeer `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

// ColdPeersParams page the cold-DM ledger. The zero value asks for the first 50.
type ColdPeersParams struct {
	Limit  int    // page size, always sent; zero means 50; the server caps large values
	Cursor string // next_cursor of the previous page; "" for the first page
	// MaxResults stops ColdBudgetPeersIter after that many peers (0 = no limit).
	MaxResults int
}

// defaultColdPeersLimit is the page size of the cold-DM ledger.
const defaultColdPeersLimit = 50

// ColdBudget returns the caller's cold-DM budget, tier and inbox mode (GET /me/cold-budget).
func (s *UsersService) ColdBudget(ctx context.Context, opts ...RequestOption) (*ColdBudget, error) {
	return call[ColdBudget](ctx, s.client, http.MethodGet, "/me/cold-budget", nil, nil, opts)
}

// ColdBudgetPeers returns one page of the peers the caller has messaged (GET
// /me/cold-budget/peers); p may be nil. A negative limit is [ErrInvalidArgument].
func (s *UsersService) ColdBudgetPeers(ctx context.Context, p *ColdPeersParams, opts ...RequestOption) (*ColdPeersPage, error) {
	var params ColdPeersParams
	if p != nil {
		params = *p
	}
	if params.Limit < 0 || params.MaxResults < 0 {
		return nil, invalidArgf("limit and max results must not be negative")
	}
	q := url.Values{}
	q.Set("limit", strconv.Itoa(orDefault(params.Limit, defaultColdPeersLimit)))
	setIfNotEmpty(q, "cursor", params.Cursor)
	return call[ColdPeersPage](ctx, s.client, http.MethodGet, "/me/cold-budget/peers", q, nil, opts)
}

// ColdBudgetPeersIter ranges over the whole cold-DM ledger following next_cursor
// from p.Cursor; it makes no request until ranged and a repeated cursor ends it
// with [ErrPageStalled].
func (s *UsersService) ColdBudgetPeersIter(ctx context.Context, p *ColdPeersParams, opts ...RequestOption) iter.Seq2[*ColdPeer, error] {
	var base ColdPeersParams
	if p != nil {
		base = *p
	}
	if base.Limit < 0 || base.MaxResults < 0 {
		return errSeq[ColdPeer](invalidArgf("limit and max results must not be negative"))
	}
	return cursorIter(ctx, base.MaxResults, func(cp *ColdPeer) string { return cp.Handle },
		func(ctx context.Context, cursor string) (*cursorPage[ColdPeer], error) {
			q := base
			if cursor != "" {
				q.Cursor = cursor
			}
			pg, err := s.ColdBudgetPeers(ctx, &q, opts...)
			if err != nil {
				return nil, err
			}
			next := ""
			if pg.NextCursor != nil {
				next = *pg.NextCursor
			}
			return &cursorPage[ColdPeer]{Items: pg.Items, NextCursor: next}, nil
		})
}

// InboxSettings are the caller's inbox mode and quiet threshold (wire schema InboxResponse).
type InboxSettings struct {
	InboxMode          InboxMode `json:"inbox_mode"`
	InboxQuietMinKarma *int      `json:"inbox_quiet_min_karma"` // nil unless the mode is quiet
}

// InboxModeParams set the caller's inbox mode.
type InboxModeParams struct {
	Mode InboxMode // required: InboxOpen, InboxContactsOnly or InboxQuiet
	// QuietMinKarma is the karma a sender needs in quiet mode; nil lets the server
	// default to 10. Only meaningful with InboxQuiet: other modes reset it to null.
	QuietMinKarma *int
}

// SetInboxMode changes who may open a thread with the caller (PATCH /me/inbox) and
// returns the settings. An unknown mode or a negative threshold is [ErrInvalidArgument].
func (s *UsersService) SetInboxMode(ctx context.Context, p *InboxModeParams, opts ...RequestOption) (*InboxSettings, error) {
	if p == nil || !p.Mode.valid() {
		return nil, invalidArgf("inbox mode must be open, contacts_only or quiet")
	}
	if p.QuietMinKarma != nil && *p.QuietMinKarma < 0 {
		return nil, invalidArgf("quiet min karma must not be negative, got %d", *p.QuietMinKarma)
	}
	body := struct {
		InboxMode          InboxMode `json:"inbox_mode"`
		InboxQuietMinKarma *int      `json:"inbox_quiet_min_karma,omitempty"`
	}{p.Mode, p.QuietMinKarma}
	return call[InboxSettings](ctx, s.client, http.MethodPatch, "/me/inbox", nil, body, opts)
}
