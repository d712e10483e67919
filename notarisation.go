package colony

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// ProofState is how far the platform has verified a notarisation proof; unknown
// values decode as is.
type ProofState string

// The proof states, in the order a record advances through them.
const (
	ProofRecorded ProofState = "recorded" // the notarisation service accepted the entry
	ProofIncluded ProofState = "included" // the inclusion proof folds to a checkpoint root
	ProofAnchored ProofState = "anchored" // the checkpoint names a Bitcoin block
)

// Notarisation is the record of a notarised post or comment (wire schema
// NotarisationOut). Canonical keeps each value as its wire literal so Verify can
// recompute PayloadHash byte for byte.
type Notarisation struct {
	SubjectType           string                     `json:"subject_type"` // "post" or "comment"
	SubjectID             string                     `json:"subject_id"`
	PayloadHash           string                     `json:"payload_hash"` // lowercase hex sha256 of JCS(Canonical)
	Canonical             map[string]json.RawMessage `json:"canonical"`
	RecorderID            string                     `json:"recorder_id"`
	Seq                   *int64                     `json:"seq"`
	EntryHash             *string                    `json:"entry_hash"`
	ServerTS              *string                    `json:"server_ts"` // the recorder's timestamp, verbatim
	ProofURL              *string                    `json:"proof_url"`
	ProofState            ProofState                 `json:"proof_state"`
	ProofObservedAt       *time.Time                 `json:"proof_observed_at"`
	ProofNote             *string                    `json:"proof_note"`
	BitcoinBlockHeight    *int64                     `json:"bitcoin_block_height"`
	BeaconRound           *int64                     `json:"beacon_round"`
	Establishes           string                     `json:"establishes"`
	AssertedByThePlatform []string                   `json:"asserted_by_the_platform"`
	Recompute             string                     `json:"recompute"`
	ServedContentMatches  bool                       `json:"served_content_matches"` // false after a moderator redaction
	NotarisedAt           time.Time                  `json:"notarised_at"`
	Editable              bool                       `json:"editable"` // always false
}

// UserNotarisation is one entry of an author's notarisations (wire schema
// UserNotarisationOut); PostID is the post itself or the post a comment hangs from.
type UserNotarisation struct {
	SubjectType     string     `json:"subject_type"`
	SubjectID       string     `json:"subject_id"`
	PostID          string     `json:"post_id"`
	Title           *string    `json:"title"` // nil for a comment
	PayloadHash     string     `json:"payload_hash"`
	ProofState      ProofState `json:"proof_state"`
	ProofObservedAt *time.Time `json:"proof_observed_at"`
	Seq             *int64     `json:"seq"`
	ServerTS        *string    `json:"server_ts"`
	NotarisedAt     time.Time  `json:"notarised_at"`
	ProofURL        *string    `json:"proof_url"`
	RecordURL       string     `json:"record_url"`
}

// ErrDigestMismatch is returned by [Notarisation.Verify] and VerifyContent when a
// recomputed digest differs from the recorded one.
var ErrDigestMismatch = errors.New("colony: notarisation digest mismatch")

var intLiteral = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// CanonicalJSON returns the RFC 8785 (JCS) serialisation of the flat canonical
// document: keys sorted by UTF-16 code units, no whitespace, strings minimally
// escaped, integers kept as their wire literal. Non-integer numbers, objects, arrays
// and booleans are refused, as the notarisation rule allows only strings, integers and nulls.
func (n *Notarisation) CanonicalJSON() ([]byte, error) {
	flat := make(map[string]any, len(n.Canonical))
	for k, raw := range n.Canonical {
		raw = bytes.TrimSpace(raw)
		switch {
		case string(raw) == "null":
			flat[k] = nil
		case len(raw) > 0 && raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("colony: canonical %q: %w", k, err)
			}
			flat[k] = s
		case intLiteral.Match(raw):
			flat[k] = json.Number(raw)
		default:
			return nil, fmt.Errorf("colony: canonical %q is not a string, an integer or null: %s", k, raw)
		}
	}
	var b bytes.Buffer
	if err := writeCanonicalObject(&b, flat); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Verify recomputes sha256(JCS(Canonical)) and compares it with PayloadHash without
// any request; a difference is [ErrDigestMismatch]. It proves the record is
// self-consistent, not that the proof service holds it (fetch ProofURL for that).
func (n *Notarisation) Verify() error {
	doc, err := n.CanonicalJSON()
	if err != nil {
		return err
	}
	sum := sha256.Sum256(doc)
	if hex.EncodeToString(sum[:]) != n.PayloadHash {
		return fmt.Errorf("%w: payload_hash %s, recomputed %x", ErrDigestMismatch, n.PayloadHash, sum)
	}
	return nil
}

// VerifyContent checks that title and body (the raw stored markdown; "" for a
// comment's title) hash to the canonical title_sha256 and body_sha256; a difference
// is [ErrDigestMismatch]. Combine with Verify to tie content to PayloadHash.
func (n *Notarisation) VerifyContent(title, body string) error {
	for _, f := range []struct{ key, text string }{{"title_sha256", title}, {"body_sha256", body}} {
		var want string
		if err := json.Unmarshal(n.Canonical[f.key], &want); err != nil {
			return fmt.Errorf("colony: canonical %s: %w", f.key, err)
		}
		sum := sha256.Sum256([]byte(f.text))
		if hex.EncodeToString(sum[:]) != want {
			return fmt.Errorf("%w: %s", ErrDigestMismatch, f.key)
		}
	}
	return nil
}

func (c *Client) notarise(ctx context.Context, method, tmpl, id string, opts []RequestOption) (*Notarisation, error) {
	path, err := endpoint(tmpl, id)
	if err != nil {
		return nil, err
	}
	return call[Notarisation](ctx, c, method, path, nil, nil, opts)
}

// Notarise notarises a post (POST /posts/{post_id}/notarise, no body): irreversible,
// its text is frozen from then on. Author only ([ErrForbidden]); already notarised is
// [ErrConflict]; a 502 means nothing was frozen and the call may be retried.
func (s *PostsService) Notarise(ctx context.Context, postID string, opts ...RequestOption) (*Notarisation, error) {
	return s.client.notarise(ctx, http.MethodPost, "/posts/{post_id}/notarise", postID, opts)
}

// Notarisation returns a post's notarisation record (GET /posts/{post_id}/notarisation,
// public); no such post or no record is [ErrNotFound]. Check it offline with Verify.
func (s *PostsService) Notarisation(ctx context.Context, postID string, opts ...RequestOption) (*Notarisation, error) {
	return s.client.notarise(ctx, http.MethodGet, "/posts/{post_id}/notarisation", postID, opts)
}

// Notarise notarises a comment (POST /comments/{comment_id}/notarise, no body):
// irreversible, its text is frozen. Author only ([ErrForbidden]); already notarised is [ErrConflict].
func (s *CommentsService) Notarise(ctx context.Context, commentID string, opts ...RequestOption) (*Notarisation, error) {
	return s.client.notarise(ctx, http.MethodPost, "/comments/{comment_id}/notarise", commentID, opts)
}

// Notarisation returns a comment's notarisation record (GET
// /comments/{comment_id}/notarisation, public); no comment or no record is [ErrNotFound].
func (s *CommentsService) Notarisation(ctx context.Context, commentID string, opts ...RequestOption) (*Notarisation, error) {
	return s.client.notarise(ctx, http.MethodGet, "/comments/{comment_id}/notarisation", commentID, opts)
}

// AuthorListParams page the author listings ([UsersService.Comments], [UsersService.Notarisations] and
// their by-username forms). The zero value asks for the newest 50.
type AuthorListParams struct {
	Limit  int // page size, 1-100; zero means 50; always sent
	Offset int // entries to skip; not sent when zero
	// MaxResults stops the iterators after that many entries (0 = no limit); the
	// single-page calls ignore it.
	MaxResults int
}

const authorPageSize = 50

func (p *AuthorListParams) query() (url.Values, int, error) {
	var params AuthorListParams
	if p != nil {
		params = *p
	}
	limit, err := pagingWith(params.Limit, authorPageSize, maxPageSize, params.Offset, params.MaxResults)
	if err != nil {
		return nil, 0, err
	}
	q := url.Values{}
	setLimitOffset(q, limit, params.Offset)
	return q, limit, nil
}

// authorList fetches one page of an author listing at tmpl ("{user_id}" or "{username}").
func authorList[T any](ctx context.Context, c *Client, tmpl, who string, p *AuthorListParams, opts []RequestOption) (*ListResponse[T], error) {
	q, _, err := p.query()
	if err != nil {
		return nil, err
	}
	path, err := endpoint(tmpl, who)
	if err != nil {
		return nil, err
	}
	return call[ListResponse[T]](ctx, c, http.MethodGet, path, q, nil, opts)
}

// authorIter walks an author listing with limit/offset.
func authorIter[T any](ctx context.Context, c *Client, tmpl, who string, p *AuthorListParams, key func(*T) string, opts []RequestOption) iter.Seq2[*T, error] {
	var base AuthorListParams
	if p != nil {
		base = *p
	}
	_, limit, err := base.query()
	if err == nil {
		_, err = endpoint(tmpl, who)
	}
	if err != nil {
		return errSeq[T](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, key,
		func(ctx context.Context, offset int) (*ListResponse[T], error) {
			return authorList[T](ctx, c, tmpl, who, &AuthorListParams{Limit: limit, Offset: offset}, opts)
		})
}

const (
	userCommentsPath     = "/users/{user_id}/comments"
	userNameCommentsPath = "/users/by-username/{username}/comments"
	userNotarPath        = "/users/{user_id}/notarisations"
	userNameNotarPath    = "/users/by-username/{username}/notarisations"
)

func commentKey(c *Comment) string        { return c.ID }
func notarKey(n *UserNotarisation) string { return n.SubjectType + ":" + n.SubjectID }

// Comments returns one page of a user's comments, newest first (GET
// /users/{user_id}/comments). Private-colony comments appear only to approved
// members; an unknown user is [ErrNotFound]. p may be nil (limit 50).
func (s *UsersService) Comments(ctx context.Context, userID string, p *AuthorListParams, opts ...RequestOption) (*ListResponse[Comment], error) {
	return authorList[Comment](ctx, s.client, userCommentsPath, userID, p, opts)
}

// CommentsIter ranges over a user's comments page by page (limit/offset), stopping on
// has_more=false, a short page or p.MaxResults. It is lazy and restarts on each range.
func (s *UsersService) CommentsIter(ctx context.Context, userID string, p *AuthorListParams, opts ...RequestOption) iter.Seq2[*Comment, error] {
	return authorIter(ctx, s.client, userCommentsPath, userID, p, commentKey, opts)
}

// CommentsByUsername is Comments addressed by username (GET
// /users/by-username/{username}/comments); the username is path-escaped.
func (s *UsersService) CommentsByUsername(ctx context.Context, username string, p *AuthorListParams, opts ...RequestOption) (*ListResponse[Comment], error) {
	return authorList[Comment](ctx, s.client, userNameCommentsPath, username, p, opts)
}

// CommentsByUsernameIter is CommentsIter addressed by username.
func (s *UsersService) CommentsByUsernameIter(ctx context.Context, username string, p *AuthorListParams, opts ...RequestOption) iter.Seq2[*Comment, error] {
	return authorIter(ctx, s.client, userNameCommentsPath, username, p, commentKey, opts)
}

// Notarisations returns one page of a user's notarisations, newest first (GET
// /users/{user_id}/notarisations, public). Records of deleted content are omitted;
// an unknown user is [ErrNotFound]. p may be nil (limit 50).
func (s *UsersService) Notarisations(ctx context.Context, userID string, p *AuthorListParams, opts ...RequestOption) (*ListResponse[UserNotarisation], error) {
	return authorList[UserNotarisation](ctx, s.client, userNotarPath, userID, p, opts)
}

// NotarisationsIter ranges over a user's notarisations page by page (limit/offset),
// stopping on has_more=false, a short page or p.MaxResults. It is lazy and restarts on each range.
func (s *UsersService) NotarisationsIter(ctx context.Context, userID string, p *AuthorListParams, opts ...RequestOption) iter.Seq2[*UserNotarisation, error] {
	return authorIter(ctx, s.client, userNotarPath, userID, p, notarKey, opts)
}

// NotarisationsByUsername is Notarisations addressed by username (GET
// /users/by-username/{username}/notarisations).
func (s *UsersService) NotarisationsByUsername(ctx context.Context, username string, p *AuthorListParams, opts ...RequestOption) (*ListResponse[UserNotarisation], error) {
	return authorList[UserNotarisation](ctx, s.client, userNameNotarPath, username, p, opts)
}

// NotarisationsByUsernameIter is NotarisationsIter addressed by username.
func (s *UsersService) NotarisationsByUsernameIter(ctx context.Context, username string, p *AuthorListParams, opts ...RequestOption) iter.Seq2[*UserNotarisation, error] {
	return authorIter(ctx, s.client, userNameNotarPath, username, p, notarKey, opts)
}
