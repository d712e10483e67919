package colonytest

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// maxColonyItems caps flairs, user-flair templates and removal reasons per colony.
const maxColonyItems = 25

var hexColorRE = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func ruleOut(r *automodRule, index int) map[string]any {
	return map[string]any{"rule_id": r.id, "name": r.name, "scope": r.scope, "enabled": r.enabled, "order_index": index,
		"triggers": r.triggers, "actions": r.actions, "created_at": ts(r.at)}
}

func rulesOut(mc *modColony) map[string]any {
	out := []map[string]any{}
	for i, r := range mc.rules {
		out = append(out, ruleOut(r, i))
	}
	return map[string]any{"rules": out}
}

var automodScopes = []string{"post", "comment", "both"}

// checkRule validates a rule's triggers and actions the way the live server describes (FastAPI value errors).
func checkRule(f *form, triggers, actions map[string]any) {
	if len(triggers) == 0 {
		f.errs = append(f.errs, errValue(bodyLoc("triggers"), triggers, "at least one trigger is required"))
	}
	if len(actions) == 0 {
		f.errs = append(f.errs, errValue(bodyLoc("actions"), actions, "at least one action is required"))
	}
	for _, key := range []string{"regex", "regexes"} {
		for _, p := range stringsOf(triggers[key]) {
			if _, err := regexp.Compile(p); err != nil {
				f.errs = append(f.errs, errValue([]any{"body", "triggers", key}, p, "invalid regular expression"))
			}
		}
	}
	if truthy(actions["remove"]) && truthy(actions["approve"]) {
		f.errs = append(f.errs, errValue(bodyLoc("actions"), actions, "remove and approve are mutually exclusive"))
	}
}

func truthy(v any) bool { b, ok := v.(bool); return ok && b }

// stringsOf returns v as a list of strings (a string alone counts as a list of one).
func stringsOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, it := range x {
			if s, ok := it.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// readRule reads name, scope, triggers and actions; create requires them all but scope.
func readRule(f *form, r *automodRule, create bool) {
	if v, ok := f.str("name", create, 1, 120); ok {
		r.name = v
	}
	if v, ok := f.str("scope", false, 0, 0); ok {
		if !oneOf(v, automodScopes) {
			f.errs = append(f.errs, errEnum(bodyLoc("scope"), v, automodScopes))
		}
		r.scope = v
	}
	if create && !f.has("triggers") {
		f.errs = append(f.errs, errMissing(bodyLoc("triggers"), f.input))
	}
	if create && !f.has("actions") {
		f.errs = append(f.errs, errMissing(bodyLoc("actions"), f.input))
	}
	if v, ok := f.object("triggers"); ok {
		r.triggers = v
	}
	if v, ok := f.object("actions"); ok {
		r.actions = v
	}
	if len(f.errs) == 0 {
		checkRule(f, r.triggers, r.actions)
	}
}

func (s *Server) handleListRules(c *call) {
	if mc := s.modOnly(c); mc != nil {
		c.ok(rulesOut(mc))
	}
}

func (s *Server) handleCreateRule(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	r := &automodRule{id: newUUID(), scope: "both", enabled: true, at: c.now}
	readRule(f, r, true)
	if !c.valid(f.errs) {
		return
	}
	mc.rules = append(mc.rules[:len(mc.rules):len(mc.rules)], r)
	s.logMod(mc, c, "automod_rule_created", nil, nil, "")
	c.json(http.StatusCreated, ruleOut(r, len(mc.rules)-1))
}

func (s *Server) lookupRule(c *call, mc *modColony) int {
	id, ok := c.pathUUID("rule_id")
	if !ok {
		return -1
	}
	for i, r := range mc.rules {
		if r.id == id {
			return i
		}
	}
	c.notFound("Rule")
	return -1
}

func (s *Server) handleUpdateRule(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	i := s.lookupRule(c, mc)
	if i < 0 {
		return
	}
	f, ok := c.form(true)
	if !ok {
		return
	}
	r := *mc.rules[i]
	readRule(f, &r, false)
	enabled, hasEnabled := f.boolean("enabled", false)
	order, hasOrder := f.integer("order_index", false)
	if hasOrder && order < 0 {
		f.errs = append(f.errs, errRange(bodyLoc("order_index"), order, 0, 0, true))
	}
	if !c.valid(f.errs) {
		return
	}
	if hasEnabled {
		r.enabled = enabled
	}
	rules := append([]*automodRule{}, mc.rules...)
	rules[i] = &r
	if hasOrder {
		rules = append(rules[:i], rules[i+1:]...)
		order = min(order, len(rules))
		rules = append(rules[:order], append([]*automodRule{&r}, rules[order:]...)...)
		i = order
	}
	mc.rules = rules
	c.ok(ruleOut(&r, i))
}

func (s *Server) handleDeleteRule(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	if i := s.lookupRule(c, mc); i >= 0 {
		mc.rules = without(mc.rules, i)
		c.noContent()
	}
}

func (s *Server) handleReorderRules(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	ids, ok := f.strList("rule_ids", true)
	if ok && len(ids) == 0 {
		f.errs = append(f.errs, errListTooShort(bodyLoc("rule_ids"), ids, 1))
	}
	if ok && len(ids) > 200 {
		f.errs = append(f.errs, verr{Type: "too_long", Loc: bodyLoc("rule_ids"), Msg: "List should have at most 200 items after validation",
			Input: ids, Ctx: map[string]any{"max_length": 200}})
	}
	if !c.valid(f.errs) {
		return
	}
	byID := map[string]*automodRule{}
	for _, r := range mc.rules {
		byID[r.id] = r
	}
	rules := make([]*automodRule, 0, len(ids))
	for _, id := range ids {
		r := byID[strings.ToLower(id)]
		if r == nil {
			break
		}
		delete(byID, r.id)
		rules = append(rules, r)
	}
	if len(rules) != len(ids) || len(byID) != 0 {
		c.coded(http.StatusConflict, codeConflict, "rule_ids must list every rule of the colony exactly once")
		return
	}
	mc.rules = rules
	c.ok(rulesOut(mc))
}

// ruleMatches returns the trigger keys of r that match text.
func ruleMatches(r *automodRule, text string) []string {
	var keys []string
	lower := strings.ToLower(text)
	for _, kw := range stringsOf(r.triggers["keywords"]) {
		if kw != "" && strings.Contains(lower, strings.ToLower(kw)) {
			keys = append(keys, kw)
		}
	}
	for _, key := range []string{"regex", "regexes"} {
		for _, p := range stringsOf(r.triggers[key]) {
			if re, err := regexp.Compile(p); err == nil && re.MatchString(text) {
				keys = append(keys, p)
			}
		}
	}
	return keys
}

func (s *Server) handleDryRunRule(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	r := &automodRule{scope: "both"}
	readRule(f, r, true)
	if !c.valid(f.errs) {
		return
	}
	var posts []*post
	for i := len(s.st.postOrder) - 1; i >= 0 && len(posts) < 200; i-- {
		if p := s.st.postOrder[i]; !p.deleted && p.colony == mc.col {
			posts = append(posts, p)
		}
	}
	var comments []*comment
	for _, p := range posts {
		for _, cm := range p.comments {
			if !cm.deleted {
				comments = append(comments, cm)
			}
		}
	}
	sort.Slice(comments, func(i, j int) bool { return comments[i].seq > comments[j].seq })
	comments = comments[:min(len(comments), 200)]
	matches := []map[string]any{}
	if r.scope != "comment" {
		for _, p := range posts {
			if keys := ruleMatches(r, p.title+"\n"+p.body); len(keys) > 0 {
				matches = append(matches, map[string]any{"item_type": "post", "item_id": p.id, "title": p.title,
					"body_excerpt": clip(p.body, 200), "author_username": p.author.username, "created_at": ts(p.createdAt), "matched_keys": keys})
			}
		}
	}
	if r.scope != "post" {
		for _, cm := range comments {
			if keys := ruleMatches(r, cm.body); len(keys) > 0 {
				matches = append(matches, map[string]any{"item_type": "comment", "item_id": cm.id, "title": nil,
					"body_excerpt": clip(cm.body, 200), "author_username": cm.author.username, "created_at": ts(cm.createdAt), "matched_keys": keys})
			}
		}
	}
	c.ok(map[string]any{"scanned_posts": len(posts), "scanned_comments": len(comments), "total_scanned": len(posts) + len(comments),
		"match_count": len(matches), "matches": matches})
}

// readFlair reads label, position and colours; user templates also read mod_only.
func readFlair(f *form, user bool) *flair {
	fl := &flair{id: newUUID(), bg: "#e5e7eb", fg: "#1f2937"}
	fl.label, _ = f.str("label", true, 1, 64)
	if v, ok := f.integer("position", false); ok {
		fl.position = v
	}
	for _, col := range []struct {
		name string
		dst  *string
	}{{"background_color", &fl.bg}, {"text_color", &fl.fg}} {
		if v, ok := f.str(col.name, false, 0, 0); ok {
			if !hexColorRE.MatchString(v) {
				f.errs = append(f.errs, verr{Type: "string_pattern_mismatch", Loc: bodyLoc(col.name), Input: v,
					Msg: "String should match pattern '^#[0-9a-fA-F]{6}$'", Ctx: map[string]any{"pattern": "^#[0-9a-fA-F]{6}$"}})
			}
			*col.dst = v
		}
	}
	if user {
		fl.modOnly, _ = f.boolean("mod_only", false)
	}
	return fl
}

func flairOut(fl *flair, user bool) map[string]any {
	out := map[string]any{"id": fl.id, "label": fl.label, "background_color": fl.bg, "text_color": fl.fg, "position": fl.position}
	if user {
		out["mod_only"] = fl.modOnly
	}
	return out
}

func flairsOut(list []*flair, user bool) []map[string]any {
	out := []map[string]any{}
	for _, fl := range list {
		out = append(out, flairOut(fl, user))
	}
	return out
}

// addFlair validates and appends a flair to *list (max 25, unique label).
func (s *Server) addFlair(c *call, list *[]*flair, user bool) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	fl := readFlair(f, user)
	if !c.valid(f.errs) {
		return
	}
	for _, x := range *list {
		if strings.EqualFold(x.label, fl.label) {
			c.coded(http.StatusConflict, codeConflict, "A flair with this label already exists")
			return
		}
	}
	if len(*list) >= maxColonyItems {
		c.coded(http.StatusBadRequest, codeInvalidInput, "A colony can have at most 25 flairs")
		return
	}
	next := append(append([]*flair{}, *list...), fl)
	sort.SliceStable(next, func(i, j int) bool { return next[i].position < next[j].position })
	*list = next
	c.json(http.StatusCreated, flairOut(fl, user))
}

// dropFlair removes flair {param} from *list, reporting the removed one.
func dropFlair(c *call, list *[]*flair, param string) *flair {
	id, ok := c.pathUUID(param)
	if !ok {
		return nil
	}
	for i, fl := range *list {
		if fl.id == id {
			*list = without((*list), i)
			c.noContent()
			return fl
		}
	}
	c.notFound("Flair")
	return nil
}

func (s *Server) handleListPostFlairs(c *call) {
	if mc := s.modLookup(c); mc != nil {
		c.ok(map[string]any{"flairs": flairsOut(mc.postFlairs, false)})
	}
}

func (s *Server) handleCreatePostFlair(c *call) {
	if mc := s.modOnly(c); mc != nil {
		s.addFlair(c, &mc.postFlairs, false)
	}
}

func (s *Server) handleDeletePostFlair(c *call) {
	if mc := s.modOnly(c); mc != nil {
		dropFlair(c, &mc.postFlairs, "flair_id")
	}
}

func (s *Server) handleListUserFlairs(c *call) {
	if mc := s.modLookup(c); mc != nil {
		c.ok(map[string]any{"user_flair_enabled": mc.userFlairOn, "templates": flairsOut(mc.userFlairs, true)})
	}
}

func (s *Server) handleCreateUserFlair(c *call) {
	if mc := s.flairManager(c); mc != nil {
		s.addFlair(c, &mc.userFlairs, true)
	}
}

func (s *Server) handleDeleteUserFlair(c *call) {
	mc := s.flairManager(c)
	if mc == nil {
		return
	}
	if fl := dropFlair(c, &mc.userFlairs, "template_id"); fl != nil {
		for uid, a := range mc.assigned {
			if a == fl {
				delete(mc.assigned, uid)
			}
		}
	}
}

func reasonOut(r *removalReason) map[string]any {
	return map[string]any{"id": r.id, "label": r.label, "body": r.body, "position": r.position}
}

func (s *Server) handleListReasons(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	out := []map[string]any{}
	for _, r := range mc.reasons {
		out = append(out, reasonOut(r))
	}
	c.ok(map[string]any{"removal_reasons": out})
}

func (s *Server) handleCreateReason(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	r := &removalReason{id: newUUID()}
	r.label, _ = f.str("label", true, 1, 100)
	r.body, _ = f.str("body", true, 1, 2000)
	if v, ok := f.integer("position", false); ok {
		r.position = v
	}
	if !c.valid(f.errs) {
		return
	}
	if len(mc.reasons) >= maxColonyItems {
		c.coded(http.StatusBadRequest, codeInvalidInput, "A colony can have at most 25 removal reasons")
		return
	}
	next := append(append([]*removalReason{}, mc.reasons...), r)
	sort.SliceStable(next, func(i, j int) bool { return next[i].position < next[j].position })
	mc.reasons = next
	c.json(http.StatusCreated, reasonOut(r))
}

func (s *Server) handleDeleteReason(c *call) {
	mc, id := s.modPathID(c, "reason_id")
	if id == "" {
		return
	}
	for i, r := range mc.reasons {
		if r.id == id {
			mc.reasons = without(mc.reasons, i)
			c.noContent()
			return
		}
	}
	c.notFound("Removal reason")
}
