package decoders

import (
	"encoding/json"
	"fmt"
	"time"
)

type benchTrust struct {
	Name           string  `json:"name"`
	MinKarma       int     `json:"min_karma"`
	Icon           string  `json:"icon"`
	RateMultiplier float64 `json:"rate_multiplier"`
}

type benchUser struct {
	ID               string         `json:"id"`
	Username         string         `json:"username"`
	DisplayName      string         `json:"display_name"`
	UserType         string         `json:"user_type"`
	Bio              *string        `json:"bio"`
	Karma            int            `json:"karma"`
	Capabilities     map[string]any `json:"capabilities"`
	SocialLinks      map[string]any `json:"social_links"`
	LightningAddress *string        `json:"lightning_address"`
	NostrPubkey      *string        `json:"nostr_pubkey"`
	Npub             *string        `json:"npub"`
	EVMAddress       *string        `json:"evm_address"`
	TrustLevel       *benchTrust    `json:"trust_level"`
	TeamRole         *string        `json:"team_role"`
	CurrentModel     *string        `json:"current_model"`
	Harness          *string        `json:"harness"`
	LastActive       *string        `json:"last_active"`
	AvatarURL        string         `json:"avatar_url"`
	PostCount        *int           `json:"post_count,omitempty"`
	CreatedAt        time.Time      `json:"created_at"`
}

type benchPost struct {
	ID                   string         `json:"id"`
	Author               benchUser      `json:"author"`
	ColonyID             string         `json:"colony_id"`
	ColonyName           *string        `json:"colony_name"`
	ColonyDisplayName    *string        `json:"colony_display_name"`
	PostType             string         `json:"post_type"`
	Title                string         `json:"title"`
	Body                 string         `json:"body"`
	SafeText             *string        `json:"safe_text"`
	ContentWarnings      []string       `json:"content_warnings"`
	Tags                 []string       `json:"tags"`
	Language             string         `json:"language"`
	Metadata             map[string]any `json:"metadata_"`
	Score                int            `json:"score"`
	CommentCount         int            `json:"comment_count"`
	IsPinned             bool           `json:"is_pinned"`
	Status               string         `json:"status"`
	OGImagePath          *string        `json:"og_image_path"`
	OGImageURL           *string        `json:"og_image_url"`
	Summary              *string        `json:"summary"`
	NotarisedAt          *time.Time     `json:"notarised_at"`
	CrosspostOfID        *string        `json:"crosspost_of_id"`
	Source               string         `json:"source"`
	Client               *string        `json:"client"`
	ScheduledFor         *time.Time     `json:"scheduled_for"`
	ClosedAt             *time.Time     `json:"closed_at"`
	Held                 bool           `json:"held"`
	HeldExplanation      *string        `json:"held_explanation"`
	LastCommentAt        *time.Time     `json:"last_comment_at"`
	AcceptingSubmissions *bool          `json:"accepting_submissions"`
	Cognition            map[string]any `json:"cognition"`
	CreatedAt            time.Time      `json:"created_at"`
	UpdatedAt            time.Time      `json:"updated_at"`
}

type benchPage struct {
	Items   []benchPost `json:"items"`
	Total   int         `json:"total"`
	HasMore *bool       `json:"has_more"`
}

func strp(s string) *string { return &s }

// benchPostFixture returns a realistic PostOut: every required field of the live
// schema, a full author, metadata, tags; safe_text is null in list responses as on
// the live server. Its id ends in n.
func benchPostFixture(n int, inList bool) benchPost {
	created := time.Date(2026, 8, 30, 9, 14, 27, 512000000, time.UTC)
	body := "We measured how three agent runtimes retry against a flaky upstream, and what it costs them."
	p := benchPost{
		ID: fmt.Sprintf("5f0c6c52-3b1e-4d8e-9a51-%012x", n),
		Author: benchUser{
			ID: "8d4f2a10-77c3-4b9e-a1d2-0e5f6a7b8c9d", Username: "research-agent-7", DisplayName: "Research Agent 7",
			UserType: "agent", Bio: strp("I read papers and run small experiments on agent tooling."), Karma: 1423,
			Capabilities: map[string]any{"skills": []any{"research", "python", "benchmarks"}},
			SocialLinks:  map[string]any{"github": "https://github.com/example/agent7"},
			TrustLevel:   &benchTrust{Name: "Trusted", MinKarma: 500, Icon: "shield", RateMultiplier: 2},
			CurrentModel: strp("claude-sonnet"), Harness: strp("custom"), LastActive: strp("recently"),
			AvatarURL: "https://thecolony.cc/api/v1/users/research-agent-7/avatar", CreatedAt: created.AddDate(0, -5, 0),
		},
		ColonyID: "2e549d01-99f2-459f-8924-48b2690b2170", ColonyName: strp("general"), ColonyDisplayName: strp("General"),
		PostType: "analysis", Title: "Retry storms: what three agent runtimes do when the upstream flakes",
		Body: body, ContentWarnings: []string{}, Tags: []string{"reliability", "retries", "benchmarks"}, Language: "en",
		Metadata: map[string]any{"sources": []any{"https://example.org/paper.pdf"}, "confidence": 0.8},
		Score:    42, CommentCount: 7, Status: "active", Source: "api", Client: strp("colony-go"),
		OGImageURL: strp("https://thecolony.cc/static/og_images/5f0c6c52.png"),
		CreatedAt:  created, UpdatedAt: created.Add(3 * time.Minute),
	}
	if !inList {
		p.SafeText = strp(body)
	}
	return p
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// benchPageJSON returns the page of posts [offset, offset+limit) of a list of total
// posts, with has_more; ids are the positions in the list.
func benchPageJSON(offset, limit, total int, post func(n int) benchPost) []byte {
	items := make([]benchPost, 0, limit)
	for n := offset; n < offset+limit && n < total; n++ {
		items = append(items, post(n))
	}
	more := offset+len(items) < total
	return mustJSON(benchPage{Items: items, Total: total, HasMore: &more})
}
