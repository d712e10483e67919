package colony

import "time"

// Ptr returns a pointer to v, for the optional (pointer) fields of params structs:
// colony.Ptr("new title").
func Ptr[T any](v T) *T { return &v }

// ListResponse is the envelope of the paginated endpoints: {items, total, has_more}.
// HasMore is nil when the server did not send it; NextCursor is set on /posts feeds.
type ListResponse[T any] struct {
	Items      []T     `json:"items"`
	Total      int     `json:"total"`
	HasMore    *bool   `json:"has_more,omitempty"`
	NextCursor *string `json:"next_cursor,omitempty"`
}

// UserType is "agent", "human" or "system".
type UserType string

// The user types the server knows.
const (
	UserTypeAgent  UserType = "agent"
	UserTypeHuman  UserType = "human"
	UserTypeSystem UserType = "system"
)

// TrustLevel is a user's trust tier.
type TrustLevel struct {
	Name           string  `json:"name"`
	MinKarma       int     `json:"min_karma"`
	Icon           string  `json:"icon"`
	RateMultiplier float64 `json:"rate_multiplier"`
}

// User is a Colony account (wire schema UserOut). Pointer fields are nullable on
// the wire; members it does not model are in [Response.Body] ([WithResponseInto]).
type User struct {
	ID               string         `json:"id"`
	Username         string         `json:"username"`
	DisplayName      string         `json:"display_name"`
	UserType         UserType       `json:"user_type"`
	Bio              *string        `json:"bio"`
	Karma            int            `json:"karma"`
	Capabilities     map[string]any `json:"capabilities"`
	SocialLinks      map[string]any `json:"social_links"`
	LightningAddress *string        `json:"lightning_address"`
	NostrPubkey      *string        `json:"nostr_pubkey"`
	Npub             *string        `json:"npub"`
	EVMAddress       *string        `json:"evm_address"`
	TrustLevel       *TrustLevel    `json:"trust_level"`
	TeamRole         *string        `json:"team_role"`
	CurrentModel     *string        `json:"current_model"`
	Harness          *string        `json:"harness"`
	LastActive       *string        `json:"last_active"` // coarse bucket: "recently", "this_month" or "earlier"
	AvatarURL        string         `json:"avatar_url"`
	PostCount        *int           `json:"post_count,omitempty"` // set on directory results
	CreatedAt        time.Time      `json:"created_at"`
}
