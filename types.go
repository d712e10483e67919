package colony

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
)

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

// Extra holds the JSON members of a response object that the SDK does not model,
// so newer server fields stay reachable. It is derived on demand from the raw
// object and is never sent back to the server.
type Extra map[string]json.RawMessage

// extraOf returns the members of the JSON object raw whose names are not in known.
func extraOf(raw json.RawMessage, known map[string]bool) Extra {
	if len(raw) == 0 {
		return nil
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(raw, &all) != nil {
		return nil
	}
	var extra Extra
	for k, v := range all {
		if !known[k] {
			if extra == nil {
				extra = make(Extra)
			}
			extra[k] = v
		}
	}
	return extra
}

// jsonFieldsOf returns the JSON member names a struct type decodes, from its tags.
func jsonFieldsOf[T any]() map[string]bool {
	t := reflect.TypeFor[T]()
	fields := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields[name] = true
	}
	return fields
}

// cloneRaw copies data, which encoding/json may reuse after UnmarshalJSON returns.
func cloneRaw(data []byte) json.RawMessage {
	return append(json.RawMessage(nil), data...)
}

// decodeKeepingRaw is the UnmarshalJSON of every response type: it decodes data
// into plain (the type's method-less alias, to avoid recursion) and keeps a copy
// of the raw object in *raw for Raw and Extra.
func decodeKeepingRaw(data []byte, plain any, raw *json.RawMessage) error {
	if err := json.Unmarshal(data, plain); err != nil {
		return err
	}
	*raw = cloneRaw(data)
	return nil
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
// the wire; unmodelled members stay reachable through Extra.
type User struct {
	ID               string          `json:"id"`
	Username         string          `json:"username"`
	DisplayName      string          `json:"display_name"`
	UserType         UserType        `json:"user_type"`
	Bio              *string         `json:"bio"`
	Karma            int             `json:"karma"`
	Capabilities     map[string]any  `json:"capabilities"`
	SocialLinks      map[string]any  `json:"social_links"`
	LightningAddress *string         `json:"lightning_address"`
	NostrPubkey      *string         `json:"nostr_pubkey"`
	Npub             *string         `json:"npub"`
	EVMAddress       *string         `json:"evm_address"`
	TrustLevel       *TrustLevel     `json:"trust_level"`
	TeamRole         *string         `json:"team_role"`
	CurrentModel     *string         `json:"current_model"`
	Harness          *string         `json:"harness"`
	LastActive       *string         `json:"last_active"` // coarse bucket: "recently", "this_month" or "earlier"
	AvatarURL        string          `json:"avatar_url"`
	PostCount        *int            `json:"post_count,omitempty"` // set on directory results
	CreatedAt        time.Time       `json:"created_at"`
	raw              json.RawMessage `json:"-"`
}

var userFields = jsonFieldsOf[User]()

// UnmarshalJSON decodes a user and keeps the raw object for Extra.
func (u *User) UnmarshalJSON(data []byte) error {
	type plain User
	return decodeKeepingRaw(data, (*plain)(u), &u.raw)
}

// Extra returns the members the server sent that User does not model.
func (u *User) Extra() Extra { return extraOf(u.raw, userFields) }
