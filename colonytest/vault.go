package colonytest

import (
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Vault rules (NEWER_API §3h). The byte sizes of "1 MB" and "10 MB" are not documented; colonytest uses MiB.
const (
	vaultFileMax   = 1 << 20
	vaultQuota     = 10 << 20
	vaultMinKarma  = 10
	vaultMaxName   = 255 // invented
	codeQuota      = "QUOTA_EXCEEDED"
	hlOpen, hlShut = "[[hl]]", "[[/hl]]"
)

var vaultExtensions = []string{".md", ".txt", ".html", ".json", ".yaml", ".yml", ".toml", ".xml", ".csv", ".cfg",
	".ini", ".conf", ".env", ".log"}

type vault struct {
	provisioned bool // set by the first successful write, kept for good
	files       map[string]*vaultFile
}

type vaultFile struct {
	name, content      string
	createdAt, updated time.Time
}

func (v *vault) used() int {
	n := 0
	for _, f := range v.files {
		n += len(f.content)
	}
	return n
}

// vaultOf returns the caller's vault, creating the empty (unprovisioned) state on first use.
func (s *Server) vaultOf(u *user) *vault {
	v := s.st.inbox.vaults[u.id]
	if v == nil {
		v = &vault{files: map[string]*vaultFile{}}
		s.st.inbox.vaults[u.id] = v
	}
	return v
}

type vaultFileInfo struct {
	Filename    string `json:"filename"`
	ContentSize int    `json:"content_size"`
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
}

func vaultInfo(f *vaultFile) vaultFileInfo {
	return vaultFileInfo{Filename: f.name, ContentSize: len(f.content), CreatedAt: ts(f.createdAt), UpdatedAt: ts(f.updated)}
}

// canWriteVault returns why u may not write to the vault ("" when it may) and the answer to give.
func canWriteVault(u *user) (code, msg string) {
	switch {
	case u.userType != "agent":
		return codeAgentOnly, "Only agents have a vault"
	case u.karma < vaultMinKarma:
		return codeKarmaTooLow, "Writing to the vault requires at least 10 karma"
	}
	return "", ""
}

func (s *Server) handleCapabilities(c *call) {
	code, msg := canWriteVault(c.me)
	capability := map[string]any{"name": "write_vault", "allowed": code == "",
		"description": "Write files to your private vault (10 MB)", "reason": nil, "requirement": nil}
	if code != "" {
		capability["reason"] = msg
		capability["requirement"] = map[string]any{"min_karma": vaultMinKarma, "user_type": "agent"}
	}
	c.ok(map[string]any{"capabilities": []any{capability}})
}

func (s *Server) handleVaultStatus(c *call) {
	v := s.st.inbox.vaults[c.me.id]
	quota, used, count := 0, 0, 0
	if v != nil {
		used, count = v.used(), len(v.files)
		if v.provisioned {
			quota = vaultQuota
		}
	}
	c.ok(map[string]any{"quota_bytes": quota, "used_bytes": used, "available_bytes": max(quota-used, 0), "file_count": count})
}

// handleVaultList returns every file in one page, sorted by name; next_cursor is always null, as live.
func (s *Server) handleVaultList(c *call) {
	items := []vaultFileInfo{}
	if v := s.st.inbox.vaults[c.me.id]; v != nil {
		for _, f := range v.files {
			items = append(items, vaultInfo(f))
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Filename < items[j].Filename })
	c.ok(map[string]any{"items": items, "total": len(items), "next_cursor": nil, "has_more": false})
}

// vaultFile returns the caller's file named by the path, or answers 404.
func (s *Server) vaultFile(c *call) (*vault, *vaultFile) {
	v := s.st.inbox.vaults[c.me.id]
	if v != nil {
		if f := v.files[c.params["filename"]]; f != nil {
			return v, f
		}
	}
	c.notFound("File")
	return nil, nil
}

func (s *Server) handleVaultGet(c *call) {
	if _, f := s.vaultFile(c); f != nil {
		c.ok(map[string]any{"filename": f.name, "content_size": len(f.content), "created_at": ts(f.createdAt),
			"updated_at": ts(f.updated), "content": f.content})
	}
}

// handleVaultDelete removes a file; it is never karma-gated.
func (s *Server) handleVaultDelete(c *call) {
	if v, f := s.vaultFile(c); f != nil {
		delete(v.files, f.name)
		c.noContent()
	}
}

// validVaultName checks a filename's extension and length.
func validVaultName(name string) string {
	if utf8.RuneCountInString(name) > vaultMaxName {
		return "Filename is too long (max 255 characters)"
	}
	lower := strings.ToLower(name)
	base := lower[strings.LastIndexByte(lower, '/')+1:]
	for _, ext := range vaultExtensions {
		if strings.HasSuffix(base, ext) && len(base) > len(ext) {
			return ""
		}
	}
	return "Filename must end with one of: " + strings.Join(vaultExtensions, ", ")
}

// handleVaultWrite creates or replaces (PUT) or appends to (POST .../append) a file. Checks, in order: body (422),
// agent and karma (403), filename (400 INVALID_INPUT), the resulting size (400 INVALID_INPUT over 1 MiB) and the
// quota (400 QUOTA_EXCEEDED); nothing is written when one fails.
func (s *Server) handleVaultWrite(appendTo bool) func(*call) {
	return func(c *call) {
		f, ok := c.form(true)
		if !ok {
			return
		}
		content, _ := f.str("content", true, 0, 0)
		if !c.valid(f.errs) {
			return
		}
		if code, msg := canWriteVault(c.me); code != "" {
			c.coded(http.StatusForbidden, code, msg)
			return
		}
		name := c.params["filename"]
		if msg := validVaultName(name); msg != "" {
			c.coded(http.StatusBadRequest, codeInvalidInput, msg)
			return
		}
		v := s.vaultOf(c.me)
		old := v.files[name]
		next, oldSize := content, 0
		if old != nil {
			oldSize = len(old.content)
			if appendTo {
				next = old.content + content
			}
		}
		if len(next) > vaultFileMax {
			c.coded(http.StatusBadRequest, codeInvalidInput, "File content exceeds the 1 MB per-file limit")
			return
		}
		if v.used()-oldSize+len(next) > vaultQuota {
			c.coded(http.StatusBadRequest, codeQuota, "Vault quota exceeded (10 MB)")
			return
		}
		file := &vaultFile{name: name, content: next, createdAt: c.now, updated: c.now}
		if old != nil {
			file.createdAt = old.createdAt
		}
		v.files[name] = file // replaced, never mutated: responses may reference the old value
		v.provisioned = true
		c.ok(vaultInfo(file))
	}
}

// handleVaultSearch ranks the caller's files containing every term of q (case-insensitive), filename matches
// weighted higher, and returns snippets with [[hl]]...[[/hl]] around each match; q under 2 characters finds nothing.
func (s *Server) handleVaultSearch(c *call) {
	q := c.query()
	text := q.str("q", true, 0)
	limit := q.integer("limit", 20, 1, 100)
	offset := q.integer("offset", 0, 0, 0)
	if !c.valid(q.errs) {
		return
	}
	terms := strings.Fields(strings.ToLower(text))
	type hit struct {
		f     *vaultFile
		score int
	}
	var hits []hit
	if v := s.st.inbox.vaults[c.me.id]; v != nil && utf8.RuneCountInString(strings.TrimSpace(text)) >= 2 {
		for _, f := range v.files {
			name, body := strings.ToLower(f.name), strings.ToLower(f.content)
			score := 0
			for _, t := range terms {
				n, b := strings.Count(name, t), strings.Count(body, t)
				if n+b == 0 {
					score = 0
					break
				}
				score += 10*n + b
			}
			if score > 0 {
				hits = append(hits, hit{f, score})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].f.name < hits[j].f.name
	})
	items := []map[string]any{}
	for i := offset; i < len(hits) && len(items) < limit; i++ {
		f := hits[i].f
		items = append(items, map[string]any{"filename": f.name, "content_size": len(f.content),
			"snippet": snippet(f.content, terms), "created_at": ts(f.createdAt), "updated_at": ts(f.updated)})
	}
	c.ok(map[string]any{"items": items, "total": len(hits)})
}

// snippet returns up to about 160 characters of content around the first match of a term, each match wrapped in
// [[hl]]...[[/hl]].
func snippet(content string, terms []string) string {
	lower := strings.ToLower(content)
	if len(lower) != len(content) { // lower-casing changed byte offsets: match case-sensitively
		lower = content
	}
	first := -1
	for _, t := range terms {
		if i := strings.Index(lower, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	start, end := 0, min(len(content), 160)
	if first > 60 {
		start = first - 60
		end = min(len(content), start+160)
	}
	for start > 0 && !utf8.RuneStart(content[start]) {
		start--
	}
	for end < len(content) && !utf8.RuneStart(content[end]) {
		end++
	}
	window, lw := content[start:end], lower[start:end]
	var b strings.Builder
	for i := 0; i < len(window); {
		matched := ""
		for _, t := range terms {
			if t != "" && strings.HasPrefix(lw[i:], t) && len(t) > len(matched) {
				matched = t
			}
		}
		if matched == "" {
			b.WriteByte(window[i])
			i++
			continue
		}
		b.WriteString(hlOpen + window[i:i+len(matched)] + hlShut)
		i += len(matched)
	}
	return b.String()
}
