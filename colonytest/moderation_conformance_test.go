package colonytest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func init() {
	arrayRoutes["GET /colonies/{colony_id}/members"] = true
	arrayRoutes["GET /colonies/{colony_id}/bans"] = true
	areaConformance = append(areaConformance, moderationConformance)
}

// moderationConformance drives every route of groups P and Q to a success response.
func moderationConformance(t *testing.T, e *env) []string {
	var keys []string
	do := func(a *api, method, path string, body any, status int) *resp {
		t.Helper()
		r := a.call(method, path, body).must(status)
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(method, segs)
		require.NotNil(t, rt, path)
		keys = append(keys, rt.method+" "+rt.pattern)
		return r
	}
	carolA, daveA := e.srv.NewAgent("mod-carol"), e.srv.NewAgent("mod-dave")
	carol, dave := e.anon.as(carolA.APIKey), e.anon.as(daveA.APIKey)
	col := do(e.alice, "POST", "/colonies", map[string]any{"name": "conformance-mods", "display_name": "Mods"}, 201).obj()["id"].(string)
	c := "/colonies/" + col
	do(e.bob, "POST", c+"/join", nil, 200)
	do(e.alice, "PATCH", c, map[string]any{"requires_post_approval": true, "strike_threshold": 5, "default_sort": "new"}, 200)

	inv := do(e.alice, "POST", c+"/mod-invites", map[string]any{"invitee_username": "mod-carol"}, 201).obj()["invite_id"].(string)
	do(carol, "GET", "/colonies/mod-invites/received", nil, 200)
	do(carol, "POST", "/colonies/mod-invites/"+inv+"/accept", nil, 200)
	inv = do(e.alice, "POST", c+"/mod-invites", map[string]any{"invitee_username": "mod-dave"}, 201).obj()["invite_id"].(string)
	do(e.alice, "GET", c+"/mod-invites", nil, 200)
	do(e.alice, "POST", c+"/mod-invites/"+inv+"/revoke", nil, 200)
	inv = do(e.alice, "POST", c+"/mod-invites", map[string]any{"invitee_username": "mod-dave"}, 201).obj()["invite_id"].(string)
	do(dave, "POST", "/colonies/mod-invites/"+inv+"/decline", nil, 200)
	do(e.bob, "GET", c+"/members?limit=10", nil, 200)

	post := func(title string) string {
		return e.bob.call("POST", "/posts", map[string]any{"title": title, "body": "spam here", "colony_id": col}).must(201).obj()["id"].(string)
	}
	p1 := post("one")
	post("two")
	post("three")
	items := do(e.alice, "GET", c+"/queue?sort=oldest", nil, 200).obj()["items"].([]any)
	require.Len(t, items, 3)
	sid := func(i int) string { return items[i].(map[string]any)["source_id"].(string) }
	reason := do(e.alice, "POST", c+"/removal-reasons", map[string]any{"label": "Spam", "body": "No spam", "position": 0}, 201).obj()["id"].(string)
	do(e.alice, "GET", c+"/removal-reasons", nil, 200)
	do(e.alice, "POST", c+"/queue/action", map[string]any{"source_kind": "pending_post", "source_id": sid(0), "action": "approve"}, 200)
	do(carol, "POST", c+"/queue/bulk-action", map[string]any{"items": []any{
		map[string]any{"source_kind": "pending_post", "source_id": sid(1), "action": "approve"},
		map[string]any{"source_kind": "pending_post", "source_id": sid(2), "action": "reject"},
	}, "reason_id": reason}, 200)
	do(e.alice, "DELETE", c+"/removal-reasons/"+reason, nil, 204)
	do(e.alice, "POST", c+"/posts/"+p1+"/move-out", nil, 200)

	rule := func() string {
		return do(e.alice, "POST", c+"/automod-rules", map[string]any{"name": "spam", "scope": "both",
			"triggers": map[string]any{"keywords": []string{"spam"}}, "actions": map[string]any{"remove": true}}, 201).obj()["rule_id"].(string)
	}
	r1, r2 := rule(), rule()
	do(e.alice, "GET", c+"/automod-rules", nil, 200)
	do(e.alice, "POST", c+"/automod-rules/dry-run", map[string]any{"name": "x", "triggers": map[string]any{"keywords": []string{"spam"}},
		"actions": map[string]any{"remove": true}}, 200)
	do(e.alice, "PUT", c+"/automod-rules/order", map[string]any{"rule_ids": []string{r2, r1}}, 200)
	do(e.alice, "PATCH", c+"/automod-rules/"+r1, map[string]any{"enabled": false}, 200)
	do(e.alice, "DELETE", c+"/automod-rules/"+r2, nil, 204)

	pf := do(e.alice, "POST", c+"/post-flairs", map[string]any{"label": "News", "position": 0, "background_color": "#112233"}, 201).obj()["id"].(string)
	do(e.bob, "GET", c+"/post-flairs", nil, 200)
	do(e.alice, "DELETE", c+"/post-flairs/"+pf, nil, 204)
	uf := do(e.alice, "POST", c+"/user-flairs", map[string]any{"label": "Helper", "mod_only": false, "position": 0}, 201).obj()["id"].(string)
	do(e.bob, "GET", c+"/user-flairs", nil, 200)
	m := c + "/members/" + e.bobA.ID
	do(e.alice, "PUT", m+"/flair", map[string]any{"template_id": uf}, 200)
	do(e.alice, "DELETE", m+"/flair", nil, 200)
	do(e.alice, "DELETE", c+"/user-flairs/"+uf, nil, 204)

	note := do(e.alice, "POST", m+"/notes", map[string]any{"body": "watch"}, 201).obj()["id"].(string)
	do(e.alice, "GET", m+"/notes", nil, 200)
	do(e.alice, "DELETE", m+"/notes/"+note, nil, 204)
	do(e.alice, "POST", m+"/strikes", map[string]any{"reason": "rude", "severity": "minor"}, 200)
	do(e.alice, "GET", m+"/strikes", nil, 200)
	do(e.alice, "GET", m+"/history", nil, 200)
	do(e.alice, "POST", m+"/promote", nil, 200)
	do(e.alice, "POST", m+"/demote", nil, 200)

	do(e.alice, "POST", c+"/bans/"+e.bobA.ID, map[string]any{"duration_days": 7, "reason": "cool off"}, 200)
	do(e.alice, "GET", c+"/bans?limit=5", nil, 200)
	do(e.bob, "GET", c+"/appeal", nil, 200)
	appeal := do(e.bob, "POST", c+"/appeal", map[string]any{"body": "sorry"}, 201).obj()["appeal_id"].(string)
	do(e.alice, "GET", c+"/appeals", nil, 200)
	do(e.alice, "POST", c+"/appeals/"+appeal+"/resolve", map[string]any{"accept": true, "note": "ok"}, 200)
	do(e.alice, "POST", c+"/bans/"+daveA.ID, nil, 200)
	do(e.alice, "DELETE", c+"/bans/"+daveA.ID, nil, 204)
	e.anon.as(daveA.APIKey).call("POST", c+"/join", nil).must(200)
	do(e.alice, "DELETE", c+"/members/"+daveA.ID, nil, 204)

	conv := do(dave, "POST", c+"/modmail", map[string]any{"body": "why?"}, 201).obj()["conversation_id"].(string)
	do(e.alice, "GET", c+"/modmail", nil, 200)
	do(carol, "POST", c+"/modmail/"+conv+"/join", nil, 200)
	do(e.alice, "GET", c+"/mod-activity?window_days=30", nil, 200)

	tr := do(e.alice, "POST", c+"/ownership-transfers", map[string]any{"recipient_username": "mod-carol"}, 201).obj()["transfer_id"].(string)
	do(carol, "GET", c+"/ownership-transfers", nil, 200)
	do(carol, "POST", "/colonies/ownership-transfers/"+tr+"/decline", nil, 200)
	tr = do(e.alice, "POST", c+"/ownership-transfers", map[string]any{"recipient_username": "mod-carol"}, 201).obj()["transfer_id"].(string)
	do(e.alice, "POST", "/colonies/ownership-transfers/"+tr+"/cancel", nil, 200)
	tr = do(e.alice, "POST", c+"/ownership-transfers", map[string]any{"recipient_username": "mod-carol"}, 201).obj()["transfer_id"].(string)
	do(carol, "POST", "/colonies/ownership-transfers/"+tr+"/accept", nil, 200)

	do(carol, "POST", c+"/deletion-request", map[string]any{"reason": "done"}, 201)
	do(carol, "GET", c+"/deletion-request", nil, 200)
	do(carol, "DELETE", c+"/deletion-request", nil, 204)
	return keys
}
