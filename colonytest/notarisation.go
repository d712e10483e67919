package colonytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Notarisation (group X): records whose payload_hash is sha256 over the JCS form of a flat canonical document.

const notarRecorder = "colonytest-recorder"

type notarRecord struct {
	subjectType, subjectID, postID string
	author                         *user
	post                           *post    // the post, or the post a comment hangs from
	comment                        *comment // nil for a post
	canonical                      map[string]any
	payloadHash                    string
	seq                            int64
	at                             time.Time
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// canonicalJSON serialises a flat document of strings, integers and nulls per RFC 8785 (JCS): keys sorted, no
// whitespace, no HTML escaping. Keys here are ASCII, so byte order is UTF-16 order.
func canonicalJSON(doc map[string]any) []byte {
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(k)
		b.Truncate(b.Len() - 1) // Encode appends a newline
		b.WriteByte(':')
		_ = enc.Encode(doc[k])
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// contentOf returns the title and body a record's subject serves now, and whether it still exists.
func (r *notarRecord) contentOf() (title, body string, ok bool) {
	if r.comment != nil {
		return "", r.comment.body, !r.comment.deleted
	}
	return r.post.title, r.post.body, !r.post.deleted
}

func canonicalFor(subjectType, id string, author *user, col *colony, created time.Time, title, body string) map[string]any {
	return map[string]any{"v": 1, "subject_type": subjectType, "subject_id": id, "author_id": author.id,
		"colony_id": col.id, "created_at": ts(created), "title_sha256": sha256Hex(title), "body_sha256": sha256Hex(body)}
}

func (s *Server) handleNotarise(subjectType string) func(*call) {
	return func(c *call) {
		var r *notarRecord
		if subjectType == "post" {
			p := s.lookupPost(c)
			if p == nil {
				return
			}
			r = &notarRecord{subjectType: "post", subjectID: p.id, postID: p.id, author: p.author, post: p,
				canonical: canonicalFor("post", p.id, p.author, p.colony, p.createdAt, p.title, p.body)}
		} else {
			cm := s.lookupComment(c)
			if cm == nil {
				return
			}
			r = &notarRecord{subjectType: "comment", subjectID: cm.id, postID: cm.post.id, author: cm.author,
				post: cm.post, comment: cm,
				canonical: canonicalFor("comment", cm.id, cm.author, cm.post.colony, cm.createdAt, "", cm.body)}
		}
		cs := s.st.content
		if r.author != c.me {
			c.coded(http.StatusForbidden, codeForbidden, "Only the author can notarise this "+subjectType)
			return
		}
		if cs.notars[r.subjectID] != nil {
			c.coded(http.StatusConflict, codeConflict, "This "+subjectType+" is already notarised")
			return
		}
		cs.notarSeq++
		r.seq, r.at = cs.notarSeq, c.now
		r.payloadHash = sha256Hex(string(canonicalJSON(r.canonical)))
		cs.notars[r.subjectID] = r
		cs.notarOrder = append(cs.notarOrder, r)
		at := c.now
		if r.comment != nil {
			r.comment.notarisedAt = &at
		} else {
			r.post.notarisedAt = &at
		}
		c.json(http.StatusCreated, s.notarOut(r))
	}
}

func (s *Server) notarOut(r *notarRecord) map[string]any {
	title, body, ok := r.contentOf()
	matches := ok && r.canonical["title_sha256"] == sha256Hex(title) && r.canonical["body_sha256"] == sha256Hex(body)
	return map[string]any{
		"subject_type": r.subjectType, "subject_id": r.subjectID, "payload_hash": r.payloadHash,
		"canonical": r.canonical, "recorder_id": notarRecorder, "seq": r.seq,
		"entry_hash": sha256Hex(fmt.Sprintf("%d:%s", r.seq, r.payloadHash)),
		"server_ts":  ts(r.at), "proof_url": s.url + "/proofs/" + fmt.Sprint(r.seq),
		"proof_state": "recorded", "proof_observed_at": nil,
		"proof_note": "The checkpoint sweep has not run yet.", "bitcoin_block_height": nil, "beacon_round": nil,
		"establishes":              "That this payload_hash was recorded no later than server_ts.",
		"asserted_by_the_platform": []string{"subject_id", "author_id", "colony_id", "created_at"},
		"recompute":                "sha256(json(canonical, sorted keys, no whitespace)), lowercase hex; title_sha256 and body_sha256 are sha256 of the raw stored markdown (an absent title hashes the empty string)",
		"served_content_matches":   matches, "notarised_at": ts(r.at), "editable": false,
	}
}

// handleNotarisation serves a record; no auth. Records outlive their subject.
func (s *Server) handleNotarisation(param string) func(*call) {
	return func(c *call) {
		id, ok := c.pathUUID(param)
		if !ok {
			return
		}
		r := s.st.content.notars[id]
		if r == nil || (param == "post_id") != (r.comment == nil) {
			c.notFound("Notarisation")
			return
		}
		c.ok(s.notarOut(r))
	}
}

// lookupAuthor resolves {user_id} or {username}, answering 422 or 404 when it cannot.
func (s *Server) lookupAuthor(c *call) *user {
	if name, ok := c.params["username"]; ok {
		u := s.st.userByName(strings.TrimPrefix(name, "@"))
		if u == nil {
			c.notFound("User")
		}
		return u
	}
	return s.lookupUser(c)
}

// authorListing reads limit (1-100, default 50) and offset of the author listings and resolves the author;
// u is nil after an error answer.
func (s *Server) authorListing(c *call) (u *user, limit, offset int) {
	q := c.query()
	limit = q.integer("limit", 50, 1, 100)
	offset = q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return nil, 0, 0
	}
	return s.lookupAuthor(c), limit, offset
}

func (s *Server) handleUserComments(c *call) {
	u, limit, offset := s.authorListing(c)
	if u == nil {
		return
	}
	var mine []*comment
	for _, cm := range s.st.comments {
		if cm.author == u && !cm.deleted && !cm.post.deleted {
			mine = append(mine, cm)
		}
	}
	slices.SortFunc(mine, func(a, b *comment) int {
		if d := b.createdAt.Compare(a.createdAt); d != 0 {
			return d
		}
		return int(b.seq - a.seq)
	})
	lo, hi := page(len(mine), offset, limit)
	items := make([]commentOut, 0, hi-lo)
	for _, cm := range mine[lo:hi] {
		items = append(items, s.commentOut(cm, true))
	}
	c.ok(listOut{Items: items, Total: len(mine), HasMore: hi < len(mine)})
}

func (s *Server) handleUserNotarisations(c *call) {
	u, limit, offset := s.authorListing(c)
	if u == nil {
		return
	}
	var recs []*notarRecord
	order := s.st.content.notarOrder
	for i := len(order) - 1; i >= 0; i-- { // newest proof first
		r := order[i]
		if _, _, alive := r.contentOf(); r.author == u && alive {
			recs = append(recs, r)
		}
	}
	lo, hi := page(len(recs), offset, limit)
	items := make([]map[string]any, 0, hi-lo)
	for _, r := range recs[lo:hi] {
		var title *string
		if r.comment == nil {
			title = strPtr(r.post.title)
		}
		items = append(items, map[string]any{"subject_type": r.subjectType, "subject_id": r.subjectID,
			"post_id": r.postID, "title": title, "payload_hash": r.payloadHash, "proof_state": "recorded",
			"proof_observed_at": nil, "seq": r.seq, "server_ts": ts(r.at), "notarised_at": ts(r.at),
			"proof_url":  s.url + "/proofs/" + fmt.Sprint(r.seq),
			"record_url": s.url + "/notarisations/" + r.subjectType + "/" + r.subjectID})
	}
	c.ok(listOut{Items: items, Total: len(recs), HasMore: hi < len(recs)})
}

// frozen answers 409 when notarised content would be edited; notarising freezes the text for good.
func frozen(c *call, notarisedAt *time.Time, what string) bool {
	if notarisedAt == nil {
		return false
	}
	c.coded(http.StatusConflict, codeConflict, "This "+what+" is notarised; its text is frozen")
	return true
}
