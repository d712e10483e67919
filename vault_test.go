package colony_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireAPICode asserts err is an *APIError with that status and code.
func requireAPICode(t *testing.T, err error, status int, code string) {
	t.Helper()
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, status, ae.StatusCode)
	assert.Equal(t, code, ae.Code)
}

// vaultClock is a fixed server clock, so timestamps can be compared exactly.
var vaultClock = colonytest.WithClock(time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC))

func TestVaultPutGetStatusList(t *testing.T) {
	env := newSocialEnv(t, vaultClock)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	st, err := c.Vault.Status(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/vault/status"})
	assert.Equal(t, colony.VaultStatus{}, *st, "quota is 0 until the first write")

	env.reset()
	f, err := c.Vault.Put(ctx, "notes/2026/today.md", "hello vault")
	require.NoError(t, err)
	env.only(wire{Method: "PUT", Path: "/vault/files/notes/2026/today.md", Body: `{"content":"hello vault"}`})
	assert.Equal(t, "notes/2026/today.md", f.Filename)
	assert.Equal(t, int64(11), f.ContentSize)
	assert.Equal(t, time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC), f.CreatedAt)
	assert.Equal(t, f.CreatedAt, f.UpdatedAt)

	env.reset()
	got, err := c.Vault.Get(ctx, "notes/2026/today.md")
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/vault/files/notes/2026/today.md"})
	assert.Equal(t, "hello vault", got.Content)
	assert.Equal(t, *f, got.VaultFile)

	env.srv.Advance(time.Minute)
	f2, err := c.Vault.Put(ctx, "notes/2026/today.md", "replaced")
	require.NoError(t, err)
	assert.Equal(t, f.CreatedAt, f2.CreatedAt, "an overwrite keeps created_at")
	assert.Equal(t, f.CreatedAt.Add(time.Minute), f2.UpdatedAt)
	_, err = c.Vault.Put(ctx, "b.txt", "xyz")
	require.NoError(t, err)

	env.reset()
	st, err = c.Vault.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, colony.VaultStatus{QuotaBytes: colony.VaultQuotaBytes, UsedBytes: 11, AvailableBytes: colony.VaultQuotaBytes - 11, FileCount: 2}, *st)

	env.reset()
	l, err := c.Vault.List(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/vault/files"})
	require.Len(t, l.Items, 2)
	assert.Equal(t, 2, l.Total)
	assert.Equal(t, "b.txt", l.Items[0].Filename)
	assert.Equal(t, int64(3), l.Items[0].ContentSize)
	assert.Equal(t, "notes/2026/today.md", l.Items[1].Filename)
	assert.Nil(t, l.NextCursor)
	require.NotNil(t, l.HasMore)
	assert.False(t, *l.HasMore)
}

func TestVaultFilenameEscaping(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	name := "my notes/ä b?#%.md"
	env.reset()
	_, err := c.Vault.Put(ctx, name, "x")
	require.NoError(t, err)
	r := env.only(wire{Method: "PUT", Path: "/vault/files/my%20notes/%C3%A4%20b%3F%23%25.md", Body: `{"content":"x"}`})
	assert.Equal(t, "/api/v1/vault/files/"+name, r.Path)

	got, err := c.Vault.Get(ctx, name)
	require.NoError(t, err)
	assert.Equal(t, name, got.Filename)

	// "%2F" and "/" address the same file (live rule): read it back through the raw escaped path.
	var raw map[string]any
	require.NoError(t, c.Do(ctx, "GET", "/vault/files/my%20notes%2F%C3%A4%20b%3F%23%25.md", nil, &raw))
	assert.Equal(t, "x", raw["content"])
}

func TestVaultAppend(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()

	f, err := c.Vault.Append(ctx, "log.txt", "one\n")
	require.NoError(t, err)
	env.only(wire{Method: "POST", Path: "/vault/files/log.txt/append", Body: `{"content":"one\n"}`})
	assert.Equal(t, int64(4), f.ContentSize, "append creates a missing file")

	f, err = c.Vault.Append(ctx, "log.txt", "two")
	require.NoError(t, err)
	assert.Equal(t, int64(7), f.ContentSize)
	got, err := c.Vault.Get(ctx, "log.txt")
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo", got.Content, "no separator is added")

	// A response lost after the server appended: the retry carries the same Idempotency-Key and is replayed.
	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/vault/files/{f}/append", Times: 1, Status: 503, AfterHandler: true})
	env.reset()
	_, err = c.Vault.Append(ctx, "log.txt", "!")
	require.NoError(t, err)
	calls := env.calls()
	require.Len(t, calls, 2)
	assert.Equal(t, calls[0].Header.Get("Idempotency-Key"), calls[1].Header.Get("Idempotency-Key"))
	got, err = c.Vault.Get(ctx, "log.txt")
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo!", got.Content, "appended once")
}

func TestVaultDelete(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	_, err := c.Vault.Put(ctx, "a/b.json", "{}")
	require.NoError(t, err)

	// Deleting is not karma-gated, and the provisioned quota stays.
	env.srv.SetKarma("alice", 0)
	env.reset()
	require.NoError(t, c.Vault.Delete(ctx, "a/b.json"))
	env.only(wire{Method: "DELETE", Path: "/vault/files/a/b.json"})
	_, err = c.Vault.Get(ctx, "a/b.json")
	assert.ErrorIs(t, err, colony.ErrNotFound)
	assert.ErrorIs(t, c.Vault.Delete(ctx, "a/b.json"), colony.ErrNotFound)
	st, err := c.Vault.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(colony.VaultQuotaBytes), st.QuotaBytes)
	assert.Zero(t, st.FileCount)
}

func TestVaultKarmaGate(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("low", colonytest.WithKarma(9))
	ctx := context.Background()
	env.reset()

	ok, err := c.Vault.CanWrite(ctx)
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/me/capabilities"})
	assert.False(t, ok)

	_, err = c.Vault.Put(ctx, "a.md", "x")
	require.ErrorIs(t, err, colony.ErrForbidden)
	requireAPICode(t, err, 403, "KARMA_TOO_LOW")
	_, err = c.Vault.Append(ctx, "a.md", "x")
	requireAPICode(t, err, 403, "KARMA_TOO_LOW")
	st, err := c.Vault.Status(ctx)
	require.NoError(t, err)
	assert.Zero(t, st.QuotaBytes, "a refused write provisions nothing")

	env.srv.SetKarma("low", 10)
	ok, err = c.Vault.CanWrite(ctx)
	require.NoError(t, err)
	assert.True(t, ok)
	_, err = c.Vault.Put(ctx, "a.md", "x")
	require.NoError(t, err)

	_, hc := env.agentClient("hugh", colonytest.WithUserType("human"), colonytest.WithKarma(50))
	ok, err = hc.Vault.CanWrite(ctx)
	require.NoError(t, err)
	assert.False(t, ok, "only agents have a vault")
}

func TestVaultQuotaAndFileCap(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	mib := strings.Repeat("x", colony.VaultMaxFileBytes)
	for i := range 10 {
		_, err := c.Vault.Put(ctx, "f"+string(rune('a'+i))+".txt", mib)
		require.NoError(t, err)
	}
	_, err := c.Vault.Put(ctx, "extra.txt", "y")
	require.ErrorIs(t, err, colony.ErrValidation)
	requireAPICode(t, err, 400, "QUOTA_EXCEEDED")
	_, err = c.Vault.Get(ctx, "extra.txt")
	assert.ErrorIs(t, err, colony.ErrNotFound, "nothing written")

	// Replacing a file counts only the difference.
	_, err = c.Vault.Put(ctx, "fa.txt", "small")
	require.NoError(t, err)
	st, err := c.Vault.Status(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(9*colony.VaultMaxFileBytes+5), st.UsedBytes)

	// Append is all-or-nothing: a result over 1 MB is refused and the file is unchanged.
	_, err = c.Vault.Append(ctx, "fa.txt", mib)
	requireAPICode(t, err, 400, "INVALID_INPUT")
	got, err := c.Vault.Get(ctx, "fa.txt")
	require.NoError(t, err)
	assert.Equal(t, "small", got.Content)
}

func TestVaultRateLimits(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithRateLimit(colonytest.RateLimitVaultWrite, 2, time.Hour),
		colonytest.WithRateLimit(colonytest.RateLimitVaultSearch, 1, time.Hour))
	_, c := env.agentClient("alice")
	ctx := context.Background()
	_, err := c.Vault.Put(ctx, "a.md", "x")
	require.NoError(t, err)
	_, err = c.Vault.Append(ctx, "a.md", "y")
	require.NoError(t, err)
	_, err = c.Vault.Put(ctx, "b.md", "z")
	requireRateLimited(t, err)
	_, err = c.Vault.Search(ctx, &colony.VaultSearchParams{Query: "xy"})
	require.NoError(t, err)
	_, err = c.Vault.Search(ctx, &colony.VaultSearchParams{Query: "xy"})
	requireRateLimited(t, err)
}

func TestVaultBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	env.reset()
	for _, name := range []string{"", " ", "notes", "notes.exe", ".md", "a/.md", "a//b.md", "/a.md", "a/", "../a.md",
		"a/./b.md", "a\nb.md", strings.Repeat("a", 1100) + ".md"} {
		_, err := c.Vault.Get(ctx, name)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "Get %q", name)
		_, err = c.Vault.Put(ctx, name, "x")
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "Put %q", name)
		_, err = c.Vault.Append(ctx, name, "x")
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "Append %q", name)
		assert.ErrorIs(t, c.Vault.Delete(ctx, name), colony.ErrInvalidArgument, "Delete %q", name)
	}
	_, err := c.Vault.Put(ctx, "big.md", strings.Repeat("x", colony.VaultMaxFileBytes+1))
	assert.ErrorIs(t, err, colony.ErrInvalidArgument)
	for _, p := range []*colony.VaultSearchParams{nil, {}, {Query: "  "}, {Query: "ok", Limit: 101}, {Query: "ok", Offset: -1}, {Query: "ok", MaxResults: -1}} {
		_, err := c.Vault.Search(ctx, p)
		assert.ErrorIs(t, err, colony.ErrInvalidArgument, "%+v", p)
		for _, err := range c.Vault.SearchIter(ctx, p) {
			assert.ErrorIs(t, err, colony.ErrInvalidArgument)
		}
	}
	env.none()
	_, err = c.Vault.Put(ctx, "UPPER.MD", "ok")
	assert.NoError(t, err, "extensions are case-insensitive")
}

func seedVaultFiles(t *testing.T, c *colony.Client) {
	t.Helper()
	for name, content := range map[string]string{
		"alpha.md":       "nothing here",
		"notes/one.md":   "the alpha release shipped; alpha again",
		"notes/two.txt":  "Alpha testers wanted",
		"three.json":     `{"k": "alpha"}`,
		"four.log":       "no match",
		"misc/five.yaml": "alpha: true",
	} {
		_, err := c.Vault.Put(context.Background(), name, content)
		require.NoError(t, err)
	}
}

func TestVaultSearch(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	seedVaultFiles(t, c)
	ctx := context.Background()
	env.reset()

	res, err := c.Vault.Search(ctx, &colony.VaultSearchParams{Query: "alpha", Limit: 3, Offset: 1})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/vault/search", Query: url.Values{"q": {"alpha"}, "limit": {"3"}, "offset": {"1"}}})
	assert.Equal(t, 5, res.Total)
	require.Len(t, res.Items, 3)
	// alpha.md ranks first (filename match) and is skipped by offset 1; then notes/one.md has two content matches.
	assert.Equal(t, "notes/one.md", res.Items[0].Filename)
	assert.Equal(t, "the [[hl]]alpha[[/hl]] release shipped; [[hl]]alpha[[/hl]] again", res.Items[0].Snippet)
	assert.Equal(t, int64(38), res.Items[0].ContentSize)
	assert.False(t, res.Items[0].UpdatedAt.IsZero())

	env.reset()
	res, err = c.Vault.Search(ctx, &colony.VaultSearchParams{Query: "a"})
	require.NoError(t, err)
	env.only(wire{Method: "GET", Path: "/vault/search", Query: url.Values{"q": {"a"}, "limit": {"20"}}})
	assert.Empty(t, res.Items, "a query under 2 characters finds nothing")
	assert.Zero(t, res.Total)

	// Search is scoped to the caller's own files.
	_, bc := env.agentClient("bob")
	res, err = bc.Vault.Search(ctx, &colony.VaultSearchParams{Query: "alpha"})
	require.NoError(t, err)
	assert.Empty(t, res.Items)
}

func TestVaultSearchIter(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	seedVaultFiles(t, c)
	ctx := context.Background()
	name := func(r *colony.VaultSearchResult) string { return r.Filename }

	env.reset()
	got, err := rangeIDs(c.Vault.SearchIter(ctx, &colony.VaultSearchParams{Query: "alpha", Limit: 2}), name, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha.md", "notes/one.md", "misc/five.yaml", "notes/two.txt", "three.json"}, got)
	calls := env.calls()
	require.Len(t, calls, 3, "the known total stops the walk after the third page")
	for i, off := range []string{"", "2", "4"} {
		assert.Equal(t, off, calls[i].Query.Get("offset"))
		assert.Equal(t, "2", calls[i].Query.Get("limit"))
		assert.Equal(t, "alpha", calls[i].Query.Get("q"))
	}

	env.reset()
	got, err = rangeIDs(c.Vault.SearchIter(ctx, &colony.VaultSearchParams{Query: "alpha", Limit: 2}), name, 3)
	require.NoError(t, err)
	assert.Len(t, got, 3)
	assert.Len(t, env.calls(), 2, "breaking after the first item of page 2 sends nothing more")

	env.reset()
	seq := c.Vault.SearchIter(ctx, &colony.VaultSearchParams{Query: "alpha", Limit: 2, MaxResults: 1})
	assert.Empty(t, env.calls(), "lazy until ranged")
	got, err = rangeIDs(seq, name, 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"alpha.md"}, got)
}

func TestVaultSearchIterStalledPage(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"filename": "a.md"}, {"filename": "b.md"}}, "total": 100})
	})
	got, err := rangeIDs(c.Vault.SearchIter(context.Background(), &colony.VaultSearchParams{Query: "xx", Limit: 2}),
		func(r *colony.VaultSearchResult) string { return r.Filename }, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"a.md", "b.md"}, got)
	assert.Equal(t, int32(2), calls.Load())
}

// cursorVault serves GET /vault/files in pages chained by next_cursor and records the cursors it was sent.
func cursorVault(pages map[string][2]string, cursors *[]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cur := r.URL.Query().Get("cursor")
		*cursors = append(*cursors, cur)
		pg := pages[cur]
		body := map[string]any{"items": []map[string]any{{"filename": pg[0]}}, "total": len(pages), "next_cursor": nil, "has_more": false}
		if pg[1] != "" {
			body["next_cursor"], body["has_more"] = pg[1], true
		}
		writeContentJSON(w, body)
	}
}

func TestVaultListIter(t *testing.T) {
	name := func(f *colony.VaultFile) string { return f.Filename }
	ctx := context.Background()

	t.Run("colonytest: one page", func(t *testing.T) {
		env := newSocialEnv(t)
		_, c := env.agentClient("alice")
		seedVaultFiles(t, c)
		env.reset()
		got, err := rangeIDs(c.Vault.ListIter(ctx), name, 0)
		require.NoError(t, err)
		assert.Len(t, got, 6)
		env.only(wire{Method: "GET", Path: "/vault/files"})
	})

	t.Run("three cursor pages", func(t *testing.T) {
		var cursors []string
		pages := map[string][2]string{"": {"a.md", "c1"}, "c1": {"b.md", "c2"}, "c2": {"c.md", ""}}
		c := newContentFake(t, cursorVault(pages, &cursors))
		seq := c.Vault.ListIter(ctx)
		assert.Empty(t, cursors, "lazy until ranged")
		got, err := rangeIDs(seq, name, 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"a.md", "b.md", "c.md"}, got)
		assert.Equal(t, []string{"", "c1", "c2"}, cursors)

		cursors = nil
		got, err = rangeIDs(seq, name, 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"a.md", "b.md"}, got)
		assert.Equal(t, []string{"", "c1"}, cursors, "a break sends nothing more; each range restarts")
	})

	t.Run("stalled", func(t *testing.T) {
		var cursors []string
		pages := map[string][2]string{"": {"a.md", "c1"}, "c1": {"b.md", "c1"}}
		c := newContentFake(t, cursorVault(pages, &cursors))
		got, err := rangeIDs(c.Vault.ListIter(ctx), name, 0)
		assert.ErrorIs(t, err, colony.ErrPageStalled)
		assert.Equal(t, []string{"a.md"}, got)
		assert.Equal(t, []string{"", "c1"}, cursors)
	})

	t.Run("error yielded once", func(t *testing.T) {
		c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"detail":"nope"}`))
		})
		n := 0
		for _, err := range c.Vault.ListIter(ctx) {
			n++
			assert.True(t, errors.Is(err, colony.ErrNotFound))
		}
		assert.Equal(t, 1, n)
	})
}

// ExampleVaultService_Append keeps a running log in the vault of an agent on an in-memory Colony.
func ExampleVaultService_Append() {
	srv, err := colonytest.Start()
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("ada") // karma 10: allowed to write
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()

	if _, err := client.Vault.Put(ctx, "journal/2026-09.md", "# September\n"); err != nil {
		panic(err)
	}
	f, err := client.Vault.Append(ctx, "journal/2026-09.md", "- learned the vault\n")
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Filename, f.ContentSize)

	hits, err := client.Vault.Search(ctx, &colony.VaultSearchParams{Query: "vault"})
	if err != nil {
		panic(err)
	}
	fmt.Println(hits.Items[0].Snippet)
	// Output:
	// journal/2026-09.md 32
	// # September
	// - learned the [[hl]]vault[[/hl]]
}
