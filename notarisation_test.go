package colony_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ---- notarisation and author listings (group X) ----

func hexSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestNotarisePostAndVerify(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	id := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "Claim <1>", Body: "I said it first & \"here\""})

	n, err := env.c.Posts.Notarise(ctx, id)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "POST", Path: "/posts/" + id + "/notarise"})...)
	assert.Equal(t, "post", n.SubjectType)
	assert.Equal(t, id, n.SubjectID)
	assert.Equal(t, colony.ProofRecorded, n.ProofState)
	assert.False(t, n.Editable)
	assert.True(t, n.ServedContentMatches)
	assert.True(t, n.NotarisedAt.Equal(contentEpoch))
	require.NoError(t, n.Verify(), "payload_hash is sha256 of the JCS canonical document")
	require.NoError(t, n.VerifyContent("Claim <1>", "I said it first & \"here\""))
	assert.ErrorIs(t, n.VerifyContent("Claim <1>", "edited"), colony.ErrDigestMismatch)
	doc, err := n.CanonicalJSON()
	require.NoError(t, err)
	assert.Equal(t, hexSum(string(doc)), n.PayloadHash)
	assert.Contains(t, string(doc), `"subject_type":"post"`)
	assert.Contains(t, string(doc), `"v":1`)

	got, err := env.c.Posts.Notarisation(ctx, id)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/posts/" + id + "/notarisation"})
	assert.Equal(t, n.PayloadHash, got.PayloadHash, "the record reads back")
	require.NoError(t, got.Verify())
	p, err := env.c.Posts.Get(ctx, id)
	require.NoError(t, err)
	require.NotNil(t, p.NotarisedAt, "the post carries notarised_at")
	env.srv.ResetRequests()

	_, err = env.c.Posts.Notarise(ctx, id)
	assert.ErrorIs(t, err, colony.ErrConflict, "already notarised")
	other := env.srv.SeedPost("alice", colonytest.SeedPost{})
	env.srv.SetColonyModerator("general", "bob")
	_, err = env.client(env.bob).Posts.Notarise(ctx, other)
	assert.ErrorIs(t, err, colony.ErrForbidden, "author only, moderators included")
	_, err = env.c.Posts.Notarisation(ctx, other)
	assert.ErrorIs(t, err, colony.ErrNotFound, "no record")
	_, err = env.c.Posts.Notarise(ctx, missingID)
	assert.ErrorIs(t, err, colony.ErrNotFound)

	n.PayloadHash = hexSum("tampered")
	assert.ErrorIs(t, n.Verify(), colony.ErrDigestMismatch)
}

func TestNotariseComment(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	pid := env.srv.SeedPost("bob", colonytest.SeedPost{})
	cid := env.srv.SeedComment("alice", pid, "a comment worth keeping", "")

	n, err := env.c.Comments.Notarise(ctx, cid)
	require.NoError(t, err)
	bodyless(t, env.expect(wire{Method: "POST", Path: "/comments/" + cid + "/notarise"})...)
	assert.Equal(t, "comment", n.SubjectType)
	require.NoError(t, n.Verify())
	require.NoError(t, n.VerifyContent("", "a comment worth keeping"), "a comment's title hashes the empty string")

	got, err := env.c.Comments.Notarisation(ctx, cid)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/comments/" + cid + "/notarisation"})
	assert.Equal(t, n.PayloadHash, got.PayloadHash)

	_, err = env.c.Comments.Update(ctx, cid, "changed")
	assert.ErrorIs(t, err, colony.ErrConflict, "notarised text is frozen")
	_, err = env.client(env.bob).Comments.Notarise(ctx, env.srv.SeedComment("alice", pid, "x", ""))
	assert.ErrorIs(t, err, colony.ErrForbidden)
	_, err = env.c.Posts.Notarisation(ctx, cid)
	assert.ErrorIs(t, err, colony.ErrNotFound, "a comment record is not a post record")
}

func TestCanonicalJSON(t *testing.T) {
	n := &colony.Notarisation{Canonical: map[string]json.RawMessage{
		"v": json.RawMessage(`1`), "b": json.RawMessage(`"<é>\u2028\n\u0001\"\\"`), "a": json.RawMessage(`null`),
		"big": json.RawMessage(`12345678901234567890`),
	}}
	doc, err := n.CanonicalJSON()
	require.NoError(t, err)
	assert.Equal(t, "{\"a\":null,\"b\":\"<é>\u2028\\n\\u0001\\\"\\\\\",\"big\":12345678901234567890,\"v\":1}", string(doc),
		"sorted keys, no HTML escaping, integers kept literally")
	n.PayloadHash = hexSum(string(doc))
	require.NoError(t, n.Verify())

	for _, bad := range []string{`1.5`, `1e3`, `true`, `{}`, `[]`} {
		n.Canonical["v"] = json.RawMessage(bad)
		_, err := n.CanonicalJSON()
		assert.Error(t, err, bad)
	}
}

func notarID(n *colony.UserNotarisation) string { return n.SubjectID }

func TestUsersComments(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	pid := env.srv.SeedPost("alice", colonytest.SeedPost{})
	var want []string
	for range 7 {
		want = append([]string{env.srv.SeedComment("bob", pid, "c", "")}, want...) // newest first (same time: by order)
	}
	env.srv.SeedComment("alice", pid, "not bob", "")

	l, err := env.c.Users.Comments(ctx, env.bob.ID, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/users/" + env.bob.ID + "/comments", Query: q("limit", "50")})
	assert.Equal(t, 7, l.Total)
	got := make([]string, len(l.Items))
	for i := range l.Items {
		got[i] = l.Items[i].ID
		assert.Equal(t, "bob", l.Items[i].Author.Username)
	}
	assert.Equal(t, want, got)

	l, err = env.c.Users.CommentsByUsername(ctx, "bob", &colony.AuthorListParams{Limit: 2, Offset: 5})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/users/by-username/bob/comments", Query: q("limit", "2", "offset", "5")})
	assert.Equal(t, want[5:], []string{l.Items[0].ID, l.Items[1].ID})

	byID := offsetPages("/users/"+env.bob.ID+"/comments", "3")
	checkOffsetWalk(t, env, env.c.Users.CommentsIter(ctx, env.bob.ID, &colony.AuthorListParams{Limit: 3}), commentID, want, byID)

	byName := offsetPages("/users/by-username/bob/comments", "3")
	checkOffsetWalk(t, env, env.c.Users.CommentsByUsernameIter(ctx, "bob", &colony.AuthorListParams{Limit: 3}), commentID, want, byName)

	_, err = env.c.Users.CommentsByUsername(ctx, "nobody-here", nil)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestUsersNotarisations(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	var want []string
	var posts []string
	for i := range 4 {
		pid := env.srv.SeedPost("alice", colonytest.SeedPost{Title: "p" + string(rune('0'+i))})
		posts = append(posts, pid)
		_, err := env.c.Posts.Notarise(ctx, pid)
		require.NoError(t, err)
		cid := env.srv.SeedComment("alice", pid, "c", "")
		_, err = env.c.Comments.Notarise(ctx, cid)
		require.NoError(t, err)
		want = append([]string{cid, pid}, want...) // newest proof first
	}
	env.srv.ResetRequests()

	l, err := env.c.Users.Notarisations(ctx, env.alice.ID, nil)
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/users/" + env.alice.ID + "/notarisations", Query: q("limit", "50")})
	assert.Equal(t, 8, l.Total)
	require.Len(t, l.Items, 8)
	assert.Equal(t, want[0], l.Items[0].SubjectID)
	assert.Equal(t, "comment", l.Items[0].SubjectType)
	assert.Nil(t, l.Items[0].Title)
	assert.Equal(t, posts[3], l.Items[0].PostID, "a comment's post")
	require.NotNil(t, l.Items[1].Title)
	assert.Equal(t, "p3", *l.Items[1].Title)
	assert.Equal(t, colony.ProofRecorded, l.Items[1].ProofState)
	assert.NotEmpty(t, l.Items[1].RecordURL)

	page := offsetPages("/users/by-username/alice/notarisations", "3")
	checkOffsetWalk(t, env, env.c.Users.NotarisationsByUsernameIter(ctx, "alice", &colony.AuthorListParams{Limit: 3}), notarID, want, page)

	_, err = env.c.Users.NotarisationsByUsername(ctx, "alice", &colony.AuthorListParams{Limit: 1})
	require.NoError(t, err)
	env.expect(wire{Method: "GET", Path: "/users/by-username/alice/notarisations", Query: q("limit", "1")})
	ids, err := rangeIDs(env.c.Users.NotarisationsIter(ctx, env.alice.ID, &colony.AuthorListParams{MaxResults: 2}), notarID, 0)
	require.NoError(t, err)
	assert.Equal(t, want[:2], ids)
	env.expect(wire{Method: "GET", Path: "/users/" + env.alice.ID + "/notarisations", Query: q("limit", "50")})

	_, err = env.c.Users.Notarisations(ctx, missingID, nil)
	assert.ErrorIs(t, err, colony.ErrNotFound)
}

func TestAuthorListItersStalled(t *testing.T) {
	var calls atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		writeContentJSON(w, map[string]any{"items": []map[string]any{{"id": "c1", "subject_type": "post", "subject_id": "c1"}},
			"total": 9, "has_more": true})
	})
	ctx := context.Background()
	got, err := rangeIDs(c.Users.CommentsIter(ctx, "u1", &colony.AuthorListParams{Limit: 1}), commentID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"c1"}, got)
	got, err = rangeIDs(c.Users.NotarisationsByUsernameIter(ctx, "u", &colony.AuthorListParams{Limit: 1}), notarID, 0)
	assert.ErrorIs(t, err, colony.ErrPageStalled)
	assert.Equal(t, []string{"c1"}, got)
	assert.Equal(t, int32(4), calls.Load())
}

func TestNotarisationBadInputSendsNothing(t *testing.T) {
	env := newContentEnv(t)
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"notarise post": func() error { _, err := env.c.Posts.Notarise(ctx, ""); return err },
		"get comment":   func() error { _, err := env.c.Comments.Notarisation(ctx, "."); return err },
		"comments limit": func() error {
			_, err := env.c.Users.Comments(ctx, env.bob.ID, &colony.AuthorListParams{Limit: 101})
			return err
		},
		"comments user": func() error { _, err := env.c.Users.Comments(ctx, "me", nil); return err },
		"by-username":   func() error { _, err := env.c.Users.CommentsByUsername(ctx, " ", nil); return err },
		"notars offset": func() error {
			_, err := env.c.Users.Notarisations(ctx, env.bob.ID, &colony.AuthorListParams{Offset: -1})
			return err
		},
		"iter max": func() error {
			_, err := rangeIDs(env.c.Users.NotarisationsIter(ctx, "x", &colony.AuthorListParams{MaxResults: -1}), notarID, 0)
			return err
		},
		"iter empty user": func() error {
			_, err := rangeIDs(env.c.Users.CommentsByUsernameIter(ctx, "", nil), commentID, 0)
			return err
		},
	} {
		assert.ErrorIs(t, f(), colony.ErrInvalidArgument, name)
	}
	env.none()
}
