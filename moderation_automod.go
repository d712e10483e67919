package colony

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// AutomodScope is what an automod rule scans.
type AutomodScope string

// The automod scopes the server knows.
const (
	AutomodScopePost    AutomodScope = "post"    // posts only
	AutomodScopeComment AutomodScope = "comment" // comments only
	AutomodScopeBoth    AutomodScope = "both"    // posts and comments (the default)
)

// AutomodRule is one automod rule of a colony, in evaluation order (wire schema
// AutoModRuleOut). Triggers (e.g. {"keywords": [...]}) and Actions (e.g.
// {"remove": true}) are free-form objects validated by the server.
type AutomodRule struct {
	RuleID     string         `json:"rule_id"`
	Name       string         `json:"name"`
	Scope      AutomodScope   `json:"scope"`
	Enabled    bool           `json:"enabled"`
	OrderIndex int            `json:"order_index"`
	Triggers   map[string]any `json:"triggers"`
	Actions    map[string]any `json:"actions"`
	CreatedAt  time.Time      `json:"created_at"`
}

// AutomodRuleParams describe a rule for CreateAutomodRule and DryRunAutomodRule:
// Name 1-120 characters, Scope (zero means [AutomodScopeBoth]; always sent), and at
// least one trigger and one action.
type AutomodRuleParams struct {
	Name     string
	Scope    AutomodScope
	Triggers map[string]any
	Actions  map[string]any
}

type automodRuleBody struct {
	Name     string         `json:"name"`
	Scope    AutomodScope   `json:"scope"`
	Triggers map[string]any `json:"triggers"`
	Actions  map[string]any `json:"actions"`
}

func checkScope(s AutomodScope) error {
	return checkEnum("automod scope", s, AutomodScopePost, AutomodScopeComment, AutomodScopeBoth)
}

func (p AutomodRuleParams) body() (*automodRuleBody, error) {
	if err := checkText("rule name", p.Name, 1, 120); err != nil {
		return nil, err
	}
	scope := orDefault(p.Scope, AutomodScopeBoth)
	if err := checkScope(scope); err != nil {
		return nil, err
	}
	if len(p.Triggers) == 0 || len(p.Actions) == 0 {
		return nil, invalidArgf("an automod rule needs at least one trigger and one action")
	}
	return &automodRuleBody{Name: p.Name, Scope: scope, Triggers: p.Triggers, Actions: p.Actions}, nil
}

// AutomodRuleUpdate are the fields UpdateAutomodRule changes; nil fields are not sent.
// Triggers and Actions replace the whole object. At least one field must be set.
type AutomodRuleUpdate struct {
	Name       *string        `json:"name,omitempty"`
	Scope      *AutomodScope  `json:"scope,omitempty"`
	Triggers   map[string]any `json:"triggers,omitempty"`
	Actions    map[string]any `json:"actions,omitempty"`
	Enabled    *bool          `json:"enabled,omitempty"`
	OrderIndex *int           `json:"order_index,omitempty"`
}

// AutomodDryRun is what a rule would have matched among recent content (wire schema
// of POST /colonies/{colony_id}/automod-rules/dry-run).
type AutomodDryRun struct {
	ScannedPosts    int            `json:"scanned_posts"`
	ScannedComments int            `json:"scanned_comments"`
	TotalScanned    int            `json:"total_scanned"`
	MatchCount      int            `json:"match_count"`
	Matches         []AutomodMatch `json:"matches"`
}

// AutomodMatch is one item a dry run matched (untyped on the wire); ItemType is "post" or "comment".
type AutomodMatch struct {
	ItemType       string    `json:"item_type"`
	ItemID         string    `json:"item_id"`
	Title          *string   `json:"title"`
	BodyExcerpt    string    `json:"body_excerpt"`
	AuthorUsername string    `json:"author_username"`
	CreatedAt      time.Time `json:"created_at"`
	MatchedKeys    []string  `json:"matched_keys"`
}

type automodRuleList struct {
	Rules []AutomodRule `json:"rules"`
}

// ListAutomodRules returns a colony's automod rules in evaluation order
// (GET /colonies/{colony_id}/automod-rules, envelope {"rules"}). Moderators only.
func (s *ModerationService) ListAutomodRules(ctx context.Context, colony string, opts ...RequestOption) ([]AutomodRule, error) {
	out, err := colonyCall[automodRuleList](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/automod-rules", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Rules, nil
}

// ListAutomodRulesIter ranges over ListAutomodRules; each range makes exactly one request.
func (s *ModerationService) ListAutomodRulesIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*AutomodRule, error] {
	return once(ctx, func(ctx context.Context) ([]AutomodRule, error) { return s.ListAutomodRules(ctx, colony, opts...) })
}

// CreateAutomodRule appends an enabled rule (POST /colonies/{colony_id}/automod-rules).
// Moderators only. Not idempotent: each call adds a rule.
func (s *ModerationService) CreateAutomodRule(ctx context.Context, colony string, p AutomodRuleParams, opts ...RequestOption) (*AutomodRule, error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return colonyCall[AutomodRule](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/automod-rules", colony, nil, nil, body, opts)
}

// DryRunAutomodRule reports what a rule would match among the colony's 200 most recent
// posts and comments, writing nothing (POST /colonies/{colony_id}/automod-rules/dry-run).
// Safe to repeat.
func (s *ModerationService) DryRunAutomodRule(ctx context.Context, colony string, p AutomodRuleParams, opts ...RequestOption) (*AutomodDryRun, error) {
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	return colonyCall[AutomodDryRun](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/automod-rules/dry-run", colony, nil, nil, body, opts)
}

// UpdateAutomodRule changes a rule; the merged rule is re-validated by the server
// (PATCH /colonies/{colony_id}/automod-rules/{rule_id}). Idempotent.
func (s *ModerationService) UpdateAutomodRule(ctx context.Context, colony, ruleID string, p *AutomodRuleUpdate, opts ...RequestOption) (*AutomodRule, error) {
	if p == nil || (p.Name == nil && p.Scope == nil && p.Triggers == nil && p.Actions == nil && p.Enabled == nil && p.OrderIndex == nil) {
		return nil, invalidArgf("automod rule update needs at least one field")
	}
	if p.Name != nil {
		if err := checkText("rule name", *p.Name, 1, 120); err != nil {
			return nil, err
		}
	}
	if p.Scope != nil {
		if err := checkScope(*p.Scope); err != nil {
			return nil, err
		}
	}
	if p.OrderIndex != nil && *p.OrderIndex < 0 {
		return nil, invalidArgf("order index must not be negative, got %d", *p.OrderIndex)
	}
	return colonyCall[AutomodRule](ctx, s.client, http.MethodPatch, "/colonies/{colony_id}/automod-rules/{rule_id}", colony,
		[]string{ruleID}, nil, p, opts)
}

// ReorderAutomodRules sets the evaluation order; ruleIDs must name every rule exactly
// once, 1-200 ids (PUT /colonies/{colony_id}/automod-rules/order). A stale or partial
// list is [ErrConflict]. Idempotent.
func (s *ModerationService) ReorderAutomodRules(ctx context.Context, colony string, ruleIDs []string, opts ...RequestOption) ([]AutomodRule, error) {
	if len(ruleIDs) < 1 || len(ruleIDs) > 200 {
		return nil, invalidArgf("reorder needs 1-200 rule ids, got %d", len(ruleIDs))
	}
	seen := make(map[string]bool, len(ruleIDs))
	for _, id := range ruleIDs {
		if err := checkText("rule id", id, 1, 0); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, invalidArgf("rule id %q is listed twice", id)
		}
		seen[id] = true
	}
	out, err := colonyCall[automodRuleList](ctx, s.client, http.MethodPut, "/colonies/{colony_id}/automod-rules/order", colony, nil, nil,
		map[string][]string{"rule_ids": ruleIDs}, opts)
	if err != nil {
		return nil, err
	}
	return out.Rules, nil
}

// DeleteAutomodRule deletes a rule (DELETE /colonies/{colony_id}/automod-rules/{rule_id}).
// An unknown rule is [ErrNotFound].
func (s *ModerationService) DeleteAutomodRule(ctx context.Context, colony, ruleID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/automod-rules/{rule_id}", colony, []string{ruleID}, nil, opts)
}

// PostFlair is a flair posts of a colony can carry (wire schema PostFlairOut).
type PostFlair struct {
	ID              string `json:"id"`
	Label           string `json:"label"`
	BackgroundColor string `json:"background_color"`
	TextColor       string `json:"text_color"`
	Position        int    `json:"position"`
}

// FlairParams describe a post flair or a user-flair template: Label is required;
// colours are #rrggbb and not sent when empty; Position (default 0) is always sent.
type FlairParams struct {
	Label           string
	Position        int
	BackgroundColor string
	TextColor       string
	// ModOnly marks a user-flair template only moderators may assign; post flairs ignore it.
	ModOnly bool
}

type flairBody struct {
	Label           string `json:"label"`
	Position        int    `json:"position"`
	BackgroundColor string `json:"background_color,omitempty"`
	TextColor       string `json:"text_color,omitempty"`
	ModOnly         *bool  `json:"mod_only,omitempty"`
}

func (p FlairParams) body(user bool) (*flairBody, error) {
	if err := checkText("flair label", p.Label, 1, 0); err != nil {
		return nil, err
	}
	if p.Position < 0 {
		return nil, invalidArgf("position must not be negative, got %d", p.Position)
	}
	if err := checkHexColor("background colour", p.BackgroundColor); err != nil {
		return nil, err
	}
	if err := checkHexColor("text colour", p.TextColor); err != nil {
		return nil, err
	}
	b := &flairBody{Label: p.Label, Position: p.Position, BackgroundColor: p.BackgroundColor, TextColor: p.TextColor}
	if user {
		b.ModOnly = &p.ModOnly
	}
	return b, nil
}

// ListPostFlairs returns a colony's post flairs (GET /colonies/{colony_id}/post-flairs,
// envelope {"flairs"}).
func (s *ModerationService) ListPostFlairs(ctx context.Context, colony string, opts ...RequestOption) ([]PostFlair, error) {
	out, err := colonyCall[struct {
		Flairs []PostFlair `json:"flairs"`
	}](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/post-flairs", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.Flairs, nil
}

// ListPostFlairsIter ranges over ListPostFlairs; each range makes exactly one request.
func (s *ModerationService) ListPostFlairsIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*PostFlair, error] {
	return once(ctx, func(ctx context.Context) ([]PostFlair, error) { return s.ListPostFlairs(ctx, colony, opts...) })
}

// CreatePostFlair adds a post flair (POST /colonies/{colony_id}/post-flairs). Moderators
// only; at most 25 per colony; a duplicate label is [ErrConflict].
func (s *ModerationService) CreatePostFlair(ctx context.Context, colony string, p FlairParams, opts ...RequestOption) (*PostFlair, error) {
	body, err := p.body(false)
	if err != nil {
		return nil, err
	}
	return colonyCall[PostFlair](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/post-flairs", colony, nil, nil, body, opts)
}

// DeletePostFlair deletes a post flair (DELETE /colonies/{colony_id}/post-flairs/{flair_id}).
func (s *ModerationService) DeletePostFlair(ctx context.Context, colony, flairID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/post-flairs/{flair_id}", colony, []string{flairID}, nil, opts)
}

// UserFlairTemplate is a flair members of a colony can wear (wire schema UserFlairTemplateOut).
type UserFlairTemplate struct {
	ID              string `json:"id"`
	Label           string `json:"label"`
	BackgroundColor string `json:"background_color"`
	TextColor       string `json:"text_color"`
	ModOnly         bool   `json:"mod_only"`
	Position        int    `json:"position"`
}

// UserFlairTemplates is a colony's user-flair set (wire schema UserFlairTemplateListOut).
type UserFlairTemplates struct {
	UserFlairEnabled bool                `json:"user_flair_enabled"`
	Templates        []UserFlairTemplate `json:"templates"`
}

// ListUserFlairs returns a colony's user-flair templates and whether user flair is on
// (GET /colonies/{colony_id}/user-flairs).
func (s *ModerationService) ListUserFlairs(ctx context.Context, colony string, opts ...RequestOption) (*UserFlairTemplates, error) {
	return colonyCall[UserFlairTemplates](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/user-flairs", colony, nil, nil, nil, opts)
}

// ListUserFlairsIter ranges over the templates ListUserFlairs returns; each range makes exactly one request.
func (s *ModerationService) ListUserFlairsIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*UserFlairTemplate, error] {
	return once(ctx, func(ctx context.Context) ([]UserFlairTemplate, error) {
		out, err := s.ListUserFlairs(ctx, colony, opts...)
		if err != nil {
			return nil, err
		}
		return out.Templates, nil
	})
}

// CreateUserFlair adds a user-flair template (POST /colonies/{colony_id}/user-flairs);
// mod_only (default false) and position are always sent. Needs can_manage_flair;
// at most 25 per colony.
func (s *ModerationService) CreateUserFlair(ctx context.Context, colony string, p FlairParams, opts ...RequestOption) (*UserFlairTemplate, error) {
	body, err := p.body(true)
	if err != nil {
		return nil, err
	}
	return colonyCall[UserFlairTemplate](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/user-flairs", colony, nil, nil, body, opts)
}

// DeleteUserFlair deletes a template and clears it from everyone wearing it
// (DELETE /colonies/{colony_id}/user-flairs/{template_id}).
func (s *ModerationService) DeleteUserFlair(ctx context.Context, colony, templateID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/user-flairs/{template_id}", colony, []string{templateID}, nil, opts)
}

// RemovalReason is a canned removal message of a colony (wire schema RemovalReasonOut);
// queue actions refer to it by ID.
type RemovalReason struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Body     string `json:"body"`
	Position int    `json:"position"`
}

// ListRemovalReasons returns a colony's removal reasons
// (GET /colonies/{colony_id}/removal-reasons, envelope {"removal_reasons"}). Moderators only.
func (s *ModerationService) ListRemovalReasons(ctx context.Context, colony string, opts ...RequestOption) ([]RemovalReason, error) {
	out, err := colonyCall[struct {
		RemovalReasons []RemovalReason `json:"removal_reasons"`
	}](ctx, s.client, http.MethodGet, "/colonies/{colony_id}/removal-reasons", colony, nil, nil, nil, opts)
	if err != nil {
		return nil, err
	}
	return out.RemovalReasons, nil
}

// ListRemovalReasonsIter ranges over ListRemovalReasons; each range makes exactly one request.
func (s *ModerationService) ListRemovalReasonsIter(ctx context.Context, colony string, opts ...RequestOption) iter.Seq2[*RemovalReason, error] {
	return once(ctx, func(ctx context.Context) ([]RemovalReason, error) { return s.ListRemovalReasons(ctx, colony, opts...) })
}

// CreateRemovalReason adds a removal reason with label and body; position (default
// 0) is always sent (POST /colonies/{colony_id}/removal-reasons). Moderators only; at most 25.
func (s *ModerationService) CreateRemovalReason(ctx context.Context, colony, label, body string, position int, opts ...RequestOption) (*RemovalReason, error) {
	if err := checkText("label", label, 1, 0); err != nil {
		return nil, err
	}
	if err := checkText("body", body, 1, 0); err != nil {
		return nil, err
	}
	if position < 0 {
		return nil, invalidArgf("position must not be negative, got %d", position)
	}
	in := struct {
		Label    string `json:"label"`
		Body     string `json:"body"`
		Position int    `json:"position"`
	}{label, body, position}
	return colonyCall[RemovalReason](ctx, s.client, http.MethodPost, "/colonies/{colony_id}/removal-reasons", colony, nil, nil, in, opts)
}

// DeleteRemovalReason deletes a removal reason (DELETE /colonies/{colony_id}/removal-reasons/{reason_id}).
func (s *ModerationService) DeleteRemovalReason(ctx context.Context, colony, reasonID string, opts ...RequestOption) error {
	return colonyExec(ctx, s.client, http.MethodDelete, "/colonies/{colony_id}/removal-reasons/{reason_id}", colony, []string{reasonID}, nil, opts)
}
