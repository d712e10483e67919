package colonytest

import (
	"net/http"
	"sort"
)

var queueSources = []string{"pending_post", "open_report", "automod_removed_post", "automod_removed_comment",
	"automod_filtered_post", "xss_probe_quarantined", "unmoderated", "edited_post"}

var queueActions = []string{"approve", "reject", "remove", "dismiss", "restore", "confirm_removal", "lock", "ban_author"}

// queueMatrix is which actions each source admits (the live matrix is in a server doc the contract does not
// quote; this one follows the action descriptions of NEWER_API.md).
var queueMatrix = map[string][]string{
	"pending_post":            {"approve", "reject", "lock", "ban_author"},
	"open_report":             {"remove", "dismiss", "lock", "ban_author"},
	"automod_removed_post":    {"restore", "confirm_removal", "ban_author"},
	"automod_removed_comment": {"restore", "confirm_removal", "ban_author"},
	"automod_filtered_post":   {"approve", "remove", "ban_author"},
	"xss_probe_quarantined":   {"remove", "restore"},
	"unmoderated":             {"remove", "lock", "ban_author"},
	"edited_post":             {"approve", "remove", "lock", "ban_author"},
}

// filterOnly sources appear only when asked for by name.
var filterOnly = map[string]bool{"unmoderated": true, "edited_post": true}

func queueItemOut(it *queueItem) map[string]any {
	var author *string
	if it.author != nil {
		author = &it.author.id
	}
	payload := map[string]any{}
	if it.post != nil {
		payload = map[string]any{"title": it.post.title, "post_type": it.post.postType}
	}
	return map[string]any{"source_kind": it.kind, "source_id": it.id, "target_kind": it.targetKind, "target_id": it.targetID,
		"author_id": author, "excerpt": it.excerpt, "created_at": ts(it.at), "payload": payload}
}

func (mc *modColony) pendingAppeals() int {
	n := 0
	for _, a := range mc.appeals {
		if a.status == "pending" {
			n++
		}
	}
	return n
}

func (s *Server) handleQueue(c *call) {
	mc := s.modOnly(c)
	if mc == nil {
		return
	}
	q := c.query()
	pg := q.integer("page", 1, 1, 0)
	size := q.integer("page_size", 25, 1, 50)
	order := q.enum("sort", "newest", "newest", "oldest")
	status := q.enum("queue_status", "open", "open", "resolved")
	source := q.enum("source", "", queueSources...)
	if !c.valid(q.errs) {
		return
	}
	chips := map[string]int{}
	for _, k := range queueSources {
		chips[k] = 0
	}
	var list []*queueItem
	for _, it := range mc.queue {
		if !it.resolved {
			chips[it.kind]++
		}
		if it.resolved != (status == "resolved") || (source != "" && it.kind != source) || (source == "" && filterOnly[it.kind]) {
			continue
		}
		list = append(list, it)
	}
	sort.SliceStable(list, func(i, j int) bool {
		if order == "oldest" {
			return list[i].at.Before(list[j].at)
		}
		return list[i].at.After(list[j].at)
	})
	lo, hi := min((pg-1)*size, len(list)), min(pg*size, len(list))
	items := []map[string]any{}
	for _, it := range list[lo:hi] {
		items = append(items, queueItemOut(it))
	}
	c.ok(map[string]any{"items": items, "chip_counts": chips, "total": len(list), "limit": size, "offset": (pg - 1) * size,
		"page": pg, "page_size": size, "pending_appeal_count": mc.pendingAppeals()})
}

// queueAction is one parsed action request.
type queueAction struct {
	kind, id, action, reasonID string
	reasonText                 *string
	banDays                    int
}

// readQueueAction reads one ModQueueActionRequest from f.
func readQueueAction(f *form) queueAction {
	var a queueAction
	a.kind, _ = f.str("source_kind", true, 0, 0)
	if a.kind != "" && !oneOf(a.kind, queueSources) {
		f.errs = append(f.errs, errEnum(bodyLoc("source_kind"), a.kind, queueSources))
	}
	a.id, _ = f.uuid("source_id", true)
	a.action, _ = f.str("action", true, 0, 0)
	if a.action != "" && !oneOf(a.action, queueActions) {
		f.errs = append(f.errs, errEnum(bodyLoc("action"), a.action, queueActions))
	}
	a.reasonID, _ = f.uuid("reason_id", false)
	if v, ok := f.str("reason_text", false, 0, 2000); ok {
		a.reasonText = &v
	}
	if v, ok := f.integer("ban_duration_days", false); ok {
		if v < 1 || v > 30 {
			f.errs = append(f.errs, errRange(bodyLoc("ban_duration_days"), v, 1, 30, v < 1))
		}
		a.banDays = v
	}
	return a
}

// applyQueueAction performs a; it returns the result, or an HTTP status and message on failure.
func (s *Server) applyQueueAction(c *call, mc *modColony, a queueAction) (map[string]any, int, string) {
	var it *queueItem
	for _, x := range mc.queue {
		if x.id == a.id && x.kind == a.kind {
			it = x
		}
	}
	switch {
	case !oneOf(a.action, queueMatrix[a.kind]):
		return nil, http.StatusBadRequest, "Action " + a.action + " is not allowed for source " + a.kind
	case a.action == "ban_author" && !banDurations[a.banDays]:
		return nil, http.StatusBadRequest, "ban_author needs ban_duration_days of 1, 7 or 30"
	case it == nil:
		return nil, http.StatusNotFound, "Queue item not found"
	case it.resolved:
		return nil, http.StatusConflict, "This queue item is already resolved"
	}
	var reasonID *string
	if a.reasonID != "" {
		found := false
		for _, r := range mc.reasons {
			found = found || r.id == a.reasonID
		}
		if !found {
			return nil, http.StatusNotFound, "Removal reason not found"
		}
		reasonID = &a.reasonID
	}
	it.resolved = true
	if p := it.post; p != nil && !p.deleted && (a.action == "reject" || a.action == "remove" || a.action == "confirm_removal") {
		p.deleted = true
		delete(s.st.posts, p.id)
		p.author.postCount--
	}
	if a.action == "ban_author" && it.author != nil {
		s.banUser(mc, c, it.author, a.banDays, a.reasonText)
	}
	e := s.logMod(mc, c, a.action, it.author, a.reasonText, it.targetID)
	var target *string
	if it.targetID != "" {
		target = &it.targetID
	}
	return map[string]any{"modlog_id": e.id, "source_kind": it.kind, "source_id": it.id, "action": a.action,
		"target_kind": it.targetKind, "target_id": target, "cascaded_report_ids": []string{}, "reason_id": reasonID}, 0, ""
}

func (s *Server) handleQueueAction(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	a := readQueueAction(f)
	if !c.valid(f.errs) {
		return
	}
	out, status, msg := s.applyQueueAction(c, mc, a)
	switch status {
	case 0:
		c.ok(out)
	case http.StatusNotFound:
		c.coded(status, codeNotFound, msg)
	case http.StatusConflict:
		c.coded(status, codeConflict, msg)
	default:
		c.coded(status, codeInvalidInput, msg)
	}
}

func (s *Server) handleQueueBulk(c *call) {
	mc, f := s.modBody(c)
	if f == nil {
		return
	}
	raw, _ := f.raw("items", true)
	var shared queueAction
	shared.reasonID, _ = f.uuid("reason_id", false)
	if v, ok := f.str("reason_text", false, 0, 2000); ok {
		shared.reasonText = &v
	}
	var items []queueAction
	if raw != nil {
		var list []map[string]any
		switch {
		case !jsonList(raw, &list):
			f.errs = append(f.errs, errType(bodyLoc("items"), "list_type", rawInput(raw)))
		case len(list) == 0:
			f.errs = append(f.errs, errListTooShort(bodyLoc("items"), list, 1))
		case len(list) > 100:
			f.errs = append(f.errs, verr{Type: "too_long", Loc: bodyLoc("items"), Input: list, Ctx: map[string]any{"max_length": 100},
				Msg: "List should have at most 100 items after validation"})
		}
		for i, m := range list {
			itf := formOf(m)
			items = append(items, readQueueAction(itf))
			for _, e := range itf.errs {
				e.Loc = append([]any{"body", "items", i}, e.Loc[1:]...)
				f.errs = append(f.errs, e)
			}
		}
	}
	if !c.valid(f.errs) {
		return
	}
	succeeded, failed := []map[string]any{}, []map[string]any{}
	for _, a := range items {
		if a.reasonID == "" {
			a.reasonID = shared.reasonID
		}
		if a.reasonText == nil {
			a.reasonText = shared.reasonText
		}
		out, status, msg := s.applyQueueAction(c, mc, a)
		if status != 0 {
			failed = append(failed, map[string]any{"source_kind": a.kind, "source_id": a.id, "action": a.action, "message": msg})
			continue
		}
		succeeded = append(succeeded, out)
	}
	c.ok(map[string]any{"succeeded": succeeded, "failed": failed})
}
