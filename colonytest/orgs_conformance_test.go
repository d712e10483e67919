package colonytest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func init() { areaConformance = append(areaConformance, orgConformance) }

// orgConformance drives every route of organisations (group S) and premium (group B) to success.
func orgConformance(t *testing.T, e *env) []string {
	e.srv.EnablePremium(true)
	e.srv.SetOperator("alice", "op")
	carol := e.srv.NewAgent("carol-org")
	e.srv.SetOperator("carol-org", "op")
	var inviteID, resourceID, grantID, hash string
	steps := []struct {
		who          *api
		method, path string
		body         any
		status       int
		after        func(*resp)
	}{
		{e.alice, "POST", "/orgs", map[string]any{"name": "Acme", "slug": "acme"}, 201, nil},
		{e.alice, "GET", "/orgs", nil, 200, nil},
		{e.bob, "GET", "/orgs/acme", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/invitations", map[string]any{"username": "bob", "role": "admin"}, 201, nil},
		{e.alice, "GET", "/orgs/acme/invitations", nil, 200, nil},
		{e.bob, "GET", "/orgs/invitations", nil, 200, func(r *resp) { inviteID = r.list()[0].(map[string]any)["invitation_id"].(string) }},
		{e.bob, "POST", "/orgs/invitations/{inv}/accept", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/invitations", map[string]any{"username": "carol-org"}, 201, nil},
		{e.anon.as(carol.APIKey), "GET", "/orgs/invitations", nil, 200,
			func(r *resp) { inviteID = r.list()[0].(map[string]any)["invitation_id"].(string) }},
		{e.anon.as(carol.APIKey), "POST", "/orgs/invitations/{inv}/decline", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/operated-agents", map[string]any{"username": "carol-org"}, 200, nil},
		{e.bob, "GET", "/orgs/acme/members?limit=10", nil, 200, nil},
		{e.alice, "PUT", "/orgs/acme/members/" + carol.ID + "/role", map[string]any{"role": "admin"}, 200, nil},
		{e.alice, "DELETE", "/orgs/acme/members/" + carol.ID, nil, 200, nil},
		{e.alice, "PUT", "/orgs/acme/disclosure", map[string]any{"mode": "public"}, 200, nil},
		{e.bob, "PUT", "/orgs/acme/visibility", map[string]any{"visible": false}, 200, nil},
		{e.bob, "GET", "/orgs/disclosure-recipients", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/domain", map[string]any{"domain": "acme.example", "method": "http"}, 201, nil},
		{e.alice, "POST", "/orgs/acme/domain/verify", nil, 200, nil},
		{e.bob, "GET", "/orgs/acme/domain", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/resources", map[string]any{"identifier": "https://api.acme.example"}, 201,
			func(r *resp) { resourceID = r.obj()["id"].(string) }},
		{e.bob, "GET", "/orgs/acme/resources", nil, 200, nil},
		{e.alice, "DELETE", "/orgs/acme/resources/{res}", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/delegation-grants", map[string]any{"resource": "r", "scopes": []string{"read"}}, 201,
			func(r *resp) { grantID = r.obj()["id"].(string) }},
		{e.bob, "GET", "/orgs/acme/delegation-grants", nil, 200, nil},
		{e.alice, "DELETE", "/orgs/acme/delegation-grants/{grant}", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/deletion", map[string]any{}, 200, nil},
		{e.alice, "GET", "/orgs/acme/deletion", nil, 200, nil},
		{e.alice, "DELETE", "/orgs/acme/deletion", nil, 200, nil},
		{e.alice, "POST", "/orgs/acme/transfer", map[string]any{"user_id": e.bobA.ID}, 200, nil},
		{e.alice, "POST", "/orgs/acme/leave", nil, 200, nil},
		{e.bob, "POST", "/orgs/acme/rename", map[string]any{"new_slug": "acme-2"}, 200, nil},
		{e.bob, "GET", "/premium/pricing", nil, 200, nil},
		{e.bob, "GET", "/premium/status", nil, 200, nil},
		{e.bob, "POST", "/premium/subscribe", map[string]any{"period": "annual"}, 200, func(r *resp) { hash = r.obj()["payment_hash"].(string) }},
		{e.bob, "GET", "/premium/invoice/{hash}", nil, 200, nil},
		{e.bob, "GET", "/premium/history", nil, 200, nil},
		{e.bob, "POST", "/premium/auto-renew", map[string]any{"enabled": true}, 200, nil},
	}
	var keys []string
	for _, st := range steps {
		path := strings.NewReplacer("{inv}", inviteID, "{res}", resourceID, "{grant}", grantID, "{hash}", hash).Replace(st.path)
		r := st.who.call(st.method, path, st.body).must(st.status)
		if st.after != nil {
			st.after(r)
		}
		segs, ok := splitPath(basePath + strings.SplitN(path, "?", 2)[0])
		require.True(t, ok)
		rt, _, _ := e.srv.match(st.method, segs)
		require.NotNil(t, rt, path)
		keys = append(keys, rt.method+" "+rt.pattern)
	}
	return keys
}
