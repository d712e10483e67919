package colony_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- wiki (group W) ----

func wikiID(w *colony.WikiPageSummary) string    { return w.Slug }
func revID(r *colony.WikiRevisionSummary) string { return r.ID }

func TestWikiCreateGetUpdateDelete(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()

	pg, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Colony: "findings", Title: "Glossary", Slug: "glossary",
		Content: "v1", Category: "reference"})
	require.NoError(t, err)
	env.expect(wire{Method: "POST", Path: "/wiki",
		Body: `{"title":"Glossary","slug":"glossary","content":"v1","category":"reference","colony":"findings"}`})
	assert.Equal(t, "glossary", pg.Slug)
	assert.Equal(t, "v1", pg.Content)
	require.NotNil(t, pg.ColonyName)
	assert.Equal(t, "findings", *pg.ColonyName)
	assert.Equal(t, colony.WikiAuthor{Username: "alice", DisplayName: "alice"}, pg.CreatedBy)
	assert.Equal(t, 1, pg.RevisionCount)
	assert.True(t, pg.CreatedAt.Equal(contentEpoch))

	got, err := env.c.Wiki.Get(ctx, "findings", "glossary")
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/wiki/glossary", Query: q("colony", "findings")})
	assert.Equal(t, pg.ID, got.ID)
	_, err = env.c.Wiki.Get(ctx, "", "glossary")
	assert.ErrorIs(t, err, colony.ErrNotFound, "pages are scoped to their colony")
	env.srv.ResetRequests()

	bob := env.client(env.bob)
	up, err := bob.Wiki.Update(ctx, "findings", "glossary", &colony.WikiPageUpdateParams{Content: colony.Ptr("v2"),
		Summary: colony.Ptr("typo"), BaseRevision: colony.Ptr(1)})
	require.NoError(t, err)
	env.expect(wire{Method: "PUT", Path: "/wiki/glossary", Query: q("colony", "findings"),
		Body: `{"content":"v2","summary":"typo","base_revision":1}`})
	assert.Equal(t, "v2", up.Content)
	assert.Equal(t, 2, up.RevisionCount)
	assert.Equal(t, "bob", up.UpdatedBy.Username)
	assert.Equal(t, "Glossary", up.Title, "unsent fields are kept")

	_, err = env.c.Wiki.Update(ctx, "findings", "glossary", &colony.WikiPageUpdateParams{Content: colony.Ptr("v3"), BaseRevision: colony.Ptr(1)})
	var apiErr *colony.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorIs(t, err, colony.ErrConflict, "stale base revision")
	assert.Contains(t, apiErr.Message, "it is now at 2")
	got, err = env.c.Wiki.Get(ctx, "findings", "glossary")
	require.NoError(t, err)
	assert.Equal(t, "v2", got.Content, "a refused edit changes nothing")

	empty, err := env.c.Wiki.Update(ctx, "findings", "glossary", nil)
	require.NoError(t, err)
	assert.Equal(t, 3, empty.RevisionCount, "an empty edit still appends a revision")

	env.srv.LockWikiPage("findings", "glossary", true)
	_, err = env.c.Wiki.Update(ctx, "findings", "glossary", &colony.WikiPageUpdateParams{Title: colony.Ptr("New")})
	assert.ErrorIs(t, err, colony.ErrForbidden, "locked")
	env.srv.LockWikiPage("findings", "glossary", false)
	env.srv.ResetRequests()

	assert.ErrorIs(t, bob.Wiki.Delete(ctx, "findings", "glossary"), colony.ErrForbidden, "only the creator deletes")
	env.srv.ResetRequests()
	require.NoError(t, env.c.Wiki.Delete(ctx, "findings", "glossary"))
	env.expect(wire{Method: "DELETE", Path: "/wiki/glossary", Query: q("colony", "findings")})
	_, err = env.c.Wiki.Get(ctx, "findings", "glossary")
	assert.ErrorIs(t, err, colony.ErrNotFound)
	_, err = env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Colony: "findings", Title: "Again", Slug: "glossary"})
	assert.ErrorIs(t, err, colony.ErrConflict, "a deleted slug stays reserved")
	_, err = env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Colony: "nope", Title: "X", Slug: "x"})
	assert.ErrorIs(t, err, colony.ErrNotFound, "unknown colony")
}

func TestWikiHistoryAndRevision(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: "Home", Slug: "home", Content: "r1"})
	require.NoError(t, err)
	for i := 2; i <= 7; i++ {
		_, err := env.c.Wiki.Update(ctx, "", "home", &colony.WikiPageUpdateParams{Content: colony.Ptr(fmt.Sprintf("r%d", i)),
			Summary: colony.Ptr(fmt.Sprintf("edit %d", i))})
		require.NoError(t, err)
	}
	env.srv.ResetRequests()

	h, err := env.c.Wiki.History(ctx, "", "home", &colony.WikiHistoryParams{Limit: 2, Offset: 1})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/wiki/home/history", Query: q("limit", "2", "offset", "1")})
	require.Len(t, h, 2)
	require.NotNil(t, h[0].Summary)
	assert.Equal(t, "edit 6", *h[0].Summary, "newest first")
	assert.Equal(t, "alice", h[0].Author.Username)

	seq := env.c.Wiki.HistoryIter(ctx, "", "home", &colony.WikiHistoryParams{Limit: 3})
	env.none()
	ids, err := rangeIDs(seq, revID, 0)
	require.NoError(t, err)
	require.Len(t, ids, 7)
	page := offsetPages("/wiki/home/history", "3")
	env.expect(page(""), page("3"), page("6"))
	got, err := rangeIDs(seq, revID, 3)
	require.NoError(t, err)
	assert.Equal(t, ids[:3], got)
	env.expect(page(""))

	first := ids[6]
	r, err := env.c.Wiki.Revision(ctx, "", "home", first)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/wiki/home/revision/" + first})
	assert.Equal(t, "r1", r.Content, "a full snapshot")
	require.NotNil(t, r.Summary)
	assert.Equal(t, "Initial page creation", *r.Summary)

	_, err = env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: "Other", Slug: "other"})
	require.NoError(t, err)
	_, err = env.c.Wiki.Revision(ctx, "", "other", first)
	assert.ErrorIs(t, err, colony.ErrNotFound, "a revision of another page")
}

func TestWikiListAndIter(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	var want []string
	for i := range 7 {
		slug := fmt.Sprintf("page-%d", i)
		cat := "even"
		if i%2 == 1 {
			cat = "odd"
		}
		_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: fmt.Sprintf("Page %d", i), Slug: slug,
			Content: "about gophers", Category: cat})
		require.NoError(t, err)
		want = append(want, slug)
	}
	_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Colony: "art", Title: "Elsewhere", Slug: "elsewhere"})
	require.NoError(t, err)
	env.srv.ResetRequests()

	l, err := env.c.Wiki.List(ctx, &colony.WikiListParams{Category: "odd", Search: "GOPHER", Limit: 2})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/wiki", Query: q("limit", "2", "category", "odd", "search", "GOPHER")})
	assert.Equal(t, []string{"page-1", "page-3"}, []string{l.Items[0].Slug, l.Items[1].Slug})
	assert.Equal(t, 3, l.Total)
	require.NotNil(t, l.HasMore)
	assert.True(t, *l.HasMore)
	assert.Nil(t, l.Items[0].ColonyName)

	l, err = env.c.Wiki.List(ctx, &colony.WikiListParams{Colony: "art"})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/wiki", Query: q("limit", "50", "colony", "art")})
	require.Len(t, l.Items, 1)
	assert.Equal(t, "elsewhere", l.Items[0].Slug)

	checkOffsetWalk(t, env, env.c.Wiki.ListIter(ctx, &colony.WikiListParams{Limit: 3}), wikiID, want, offsetPages("/wiki", "3"))
}

func TestWikiItersStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if strings.HasSuffix(r.URL.Path, "/history") {
			writeContentJSON(w, []map[string]any{{"id": "r1"}})
			return
		}
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"slug": "a"}}, "total": 9, "has_more": true})
	})
	got, err := rangeIDs(c.Wiki.ListIter(context.Background(), &colony.WikiListParams{Limit: 1}), wikiID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"a"}, got)
	assert.Equal(t, int32(2), calls.Load())

	revs, err := rangeIDs(c.Wiki.HistoryIter(context.Background(), "", "home", &colony.WikiHistoryParams{Limit: 1}), revID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"r1"}, revs)
	assert.Equal(t, int32(4), calls.Load())
}

func TestWikiBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	uuid := "cb4d2ed0-0425-4d26-8755-d4bfd0130c1d"
	for name, f := range map[string]func() error{
		"create nil": func() error { _, err := env.c.Wiki.Create(ctx, nil); return err },
		"create bad slug": func() error {
			_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: "T", Slug: "Bad Slug"})
			return err
		},
		"create blank": func() error {
			_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: " ", Slug: "ok"})
			return err
		},
		"create uuid": func() error {
			_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: "T", Slug: "ok", Colony: uuid})
			return err
		},
		"create long cat": func() error {
			_, err := env.c.Wiki.Create(ctx, &colony.WikiPageCreateParams{Title: "T", Slug: "ok", Category: strings.Repeat("c", 101)})
			return err
		},
		"get uuid colony": func() error { _, err := env.c.Wiki.Get(ctx, uuid, "ok"); return err },
		"get bad slug":    func() error { _, err := env.c.Wiki.Get(ctx, "", "../x"); return err },
		"update blank": func() error {
			_, err := env.c.Wiki.Update(ctx, "", "ok", &colony.WikiPageUpdateParams{Title: colony.Ptr(" ")})
			return err
		},
		"update base 0": func() error {
			_, err := env.c.Wiki.Update(ctx, "", "ok", &colony.WikiPageUpdateParams{BaseRevision: colony.Ptr(0)})
			return err
		},
		"delete slug": func() error { return env.c.Wiki.Delete(ctx, "", "") },
		"list limit":  func() error { _, err := env.c.Wiki.List(ctx, &colony.WikiListParams{Limit: 201}); return err },
		"list offset": func() error { _, err := env.c.Wiki.List(ctx, &colony.WikiListParams{Offset: 100001}); return err },
		"list search": func() error { _, err := env.c.Wiki.List(ctx, &colony.WikiListParams{Search: "a"}); return err },
		"history limit": func() error {
			_, err := env.c.Wiki.History(ctx, "", "ok", &colony.WikiHistoryParams{Limit: -1})
			return err
		},
		"revision empty id": func() error { _, err := env.c.Wiki.Revision(ctx, "", "ok", ""); return err },
		"iter uuid": func() error {
			_, err := rangeIDs(env.c.Wiki.HistoryIter(ctx, uuid, "ok", nil), revID, 0)
			return err
		},
	} {
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
	}
	env.none()
}
