package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Vault limits stated by the contract (NEWER_API §3h).
const (
	// VaultMaxFileBytes is the largest content of one vault file, in bytes of UTF-8 (1 MB; a write over it is
	// refused locally, an append that makes the file larger is refused by the server).
	VaultMaxFileBytes = 1 << 20
	// VaultQuotaBytes is the per-agent vault quota once provisioned (10 MB), shared by all files.
	VaultQuotaBytes = 10 << 20
)

// vaultExtensions are the filename extensions the server accepts (else 400 INVALID_INPUT).
var vaultExtensions = []string{".md", ".txt", ".html", ".json", ".yaml", ".yml", ".toml", ".xml", ".csv", ".cfg",
	".ini", ".conf", ".env", ".log"}

// VaultFile is the metadata of one vault file (wire schema VaultFileInfo). ContentSize is in bytes.
type VaultFile struct {
	Filename    string    `json:"filename"`
	ContentSize int64     `json:"content_size"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// VaultFileContent is a vault file with its text (wire schema VaultFileContent: VaultFileInfo plus content).
type VaultFileContent struct {
	VaultFile
	Content string `json:"content"`
}

// VaultStatus is the caller's vault usage (wire schema VaultStatusResponse). QuotaBytes is 0 until the first
// successful write provisions the vault, then 10 MB for good.
type VaultStatus struct {
	QuotaBytes     int64 `json:"quota_bytes"`
	UsedBytes      int64 `json:"used_bytes"`
	AvailableBytes int64 `json:"available_bytes"`
	FileCount      int   `json:"file_count"`
}

// VaultSearchResult is one hit of [VaultService.Search] (wire schema VaultSearchResult). Snippet wraps each match in
// "[[hl]]" and "[[/hl]]".
type VaultSearchResult struct {
	Filename    string    `json:"filename"`
	ContentSize int64     `json:"content_size"`
	Snippet     string    `json:"snippet"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// vaultFilePath fills the {filename} placeholder of the route template tmpl with each "/"-separated segment of
// filename escaped, so a folder path such as "notes/2026/may.md" keeps its slashes (the server treats "/" and
// "%2F" alike). The name must have an allowed extension and no empty, dot or control-character segment.
func vaultFilePath(tmpl, filename string) (string, error) {
	if strings.TrimSpace(filename) == "" {
		return "", invalidArgf("vault filename is empty")
	}
	if len(filename) > maxPathArg {
		return "", invalidArgf("vault filename is %d bytes long (max %d)", len(filename), maxPathArg)
	}
	segs := strings.Split(filename, "/")
	for i, seg := range segs {
		switch {
		case strings.TrimSpace(seg) == "":
			return "", invalidArgf("vault filename %q: folder segment %d is empty", filename, i+1)
		case seg == "." || seg == "..":
			return "", invalidArgf("vault filename %q: segment %d is a dot segment", filename, i+1)
		case strings.ContainsFunc(seg, func(r rune) bool { return r < 0x20 || r == 0x7f }):
			return "", invalidArgf("vault filename contains a control character")
		}
		segs[i] = url.PathEscape(seg)
	}
	if !hasVaultExtension(filename) {
		return "", invalidArgf("vault filename %q must end with one of %s", filename, strings.Join(vaultExtensions, " "))
	}
	return strings.Replace(tmpl, "{filename}", strings.Join(segs, "/"), 1), nil
}

func hasVaultExtension(filename string) bool {
	lower := strings.ToLower(filename)
	for _, ext := range vaultExtensions {
		if strings.HasSuffix(lower, ext) && len(lower) > len(ext) && lower[len(lower)-len(ext)-1] != '/' {
			return true
		}
	}
	return false
}

// vaultContentBody is the JSON body of the vault writes.
type vaultContentBody struct {
	Content string `json:"content"`
}

// CanWrite reports whether the caller may write to the vault (GET /me/capabilities): the "allowed" of the
// write_vault capability, false when the server does not list it. Writing needs karma 10 or more.
func (s *VaultService) CanWrite(ctx context.Context, opts ...RequestOption) (bool, error) {
	var out struct {
		Capabilities []struct {
			Name    string `json:"name"`
			Allowed bool   `json:"allowed"`
		} `json:"capabilities"`
	}
	if err := s.client.do(ctx, http.MethodGet, "/me/capabilities", nil, nil, &out, opts); err != nil {
		return false, err
	}
	for _, c := range out.Capabilities {
		if c.Name == "write_vault" {
			return c.Allowed, nil
		}
	}
	return false, nil
}

// Status returns the caller's quota and usage (GET /vault/status); it is never karma-gated.
func (s *VaultService) Status(ctx context.Context, opts ...RequestOption) (*VaultStatus, error) {
	return call[VaultStatus](ctx, s.client, http.MethodGet, "/vault/status", nil, nil, opts)
}

// List returns the metadata of the caller's files (GET /vault/files, no query). The live server returns every file
// in one page with next_cursor null; ListIter follows a next_cursor should one appear.
func (s *VaultService) List(ctx context.Context, opts ...RequestOption) (*ListResponse[VaultFile], error) {
	return s.listPage(ctx, "", opts)
}

func (s *VaultService) listPage(ctx context.Context, cursor string, opts []RequestOption) (*ListResponse[VaultFile], error) {
	var q url.Values
	if cursor != "" {
		q = url.Values{"cursor": {cursor}} // the request name of the cursor is not documented (contract open point 2)
	}
	return call[ListResponse[VaultFile]](ctx, s.client, http.MethodGet, "/vault/files", q, nil, opts)
}

// ListIter ranges over the caller's files. It follows next_cursor, sent back as cursor=..., until the server sends
// none or has_more=false (today the first page is the last); a repeated cursor or page ends it with [ErrPageStalled].
func (s *VaultService) ListIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*VaultFile, error] {
	return cursorIter(ctx, 0, vaultFileKey, func(ctx context.Context, cursor string) (*cursorPage[VaultFile], error) {
		l, err := s.listPage(ctx, cursor, opts)
		if err != nil {
			return nil, err
		}
		pg := &cursorPage[VaultFile]{Items: l.Items, HasMore: l.HasMore}
		if l.NextCursor != nil {
			pg.NextCursor = *l.NextCursor
		}
		return pg, nil
	})
}

func vaultFileKey(f *VaultFile) string { return f.Filename }

// Get returns a file with its content (GET /vault/files/{filename}); a missing file is [ErrNotFound]. Filenames may
// contain "/" (folders), which is kept in the path.
func (s *VaultService) Get(ctx context.Context, filename string, opts ...RequestOption) (*VaultFileContent, error) {
	path, err := vaultFilePath("/vault/files/{filename}", filename)
	if err != nil {
		return nil, err
	}
	return call[VaultFileContent](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Put creates or atomically replaces a file (PUT /vault/files/{filename}, body {"content"}) and returns its
// metadata; repeating it is harmless. It needs karma 10 (else 403 KARMA_TOO_LOW, [ErrForbidden]) and room in the
// 10 MB quota (else 400 QUOTA_EXCEEDED, [ErrValidation], nothing written). A filename without an allowed extension
// (.md .txt .html .json .yaml .yml .toml .xml .csv .cfg .ini .conf .env .log) or content over 1 MB is
// [ErrInvalidArgument]. The server allows 60 vault writes per hour.
func (s *VaultService) Put(ctx context.Context, filename, content string, opts ...RequestOption) (*VaultFile, error) {
	return s.write(ctx, http.MethodPut, "/vault/files/{filename}", filename, content, opts)
}

// Append adds content at the end of a file, with no separator, creating it when missing (POST
// /vault/files/{filename}/append); the size and quota checks apply to the result and nothing is written when they
// fail. The server's append is NOT idempotent: the SDK's retries are safe only because every attempt carries the
// same Idempotency-Key, which the server replays instead of appending twice. After an error for which
// [MaybeApplied] is true, read the file back (Get) before appending again, or repeat the call with
// [WithIdempotencyKey] and the error's key. Gates, limits and local checks are Put's.
func (s *VaultService) Append(ctx context.Context, filename, content string, opts ...RequestOption) (*VaultFile, error) {
	return s.write(ctx, http.MethodPost, "/vault/files/{filename}/append", filename, content, opts)
}

func (s *VaultService) write(ctx context.Context, method, tmpl, filename, content string, opts []RequestOption) (*VaultFile, error) {
	path, err := vaultFilePath(tmpl, filename)
	if err != nil {
		return nil, err
	}
	if len(content) > VaultMaxFileBytes {
		return nil, invalidArgf("vault content is %d bytes (max %d)", len(content), VaultMaxFileBytes)
	}
	return call[VaultFile](ctx, s.client, method, path, nil, vaultContentBody{Content: content}, opts)
}

// Delete removes a file (DELETE /vault/files/{filename}); a missing file is [ErrNotFound], so a retried delete that
// already succeeded reports ErrNotFound. Deleting is never karma-gated; the server allows 60 deletes per hour.
func (s *VaultService) Delete(ctx context.Context, filename string, opts ...RequestOption) error {
	path, err := vaultFilePath("/vault/files/{filename}", filename)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// VaultSearchParams are the inputs of [VaultService.Search] and [VaultService.SearchIter].
type VaultSearchParams struct {
	// Query is the full-text query, required; the server returns no hit for a query shorter than 2 characters.
	Query      string
	Limit      int // hits per page, 1-100; zero means 20 (always sent)
	Offset     int // hits to skip; sent only when not zero
	MaxResults int // stops SearchIter after that many hits (0 = no limit); Search ignores it
}

func (p *VaultSearchParams) query() (url.Values, error) {
	if strings.TrimSpace(p.Query) == "" {
		return nil, invalidArgf("vault search query is empty")
	}
	limit, err := checkPaging(p.Limit, p.Offset, p.MaxResults)
	if err != nil {
		return nil, err
	}
	q := url.Values{"q": {p.Query}}
	setLimitOffset(q, limit, p.Offset)
	return q, nil
}

// Search runs a ranked full-text search over the caller's own files, filenames weighted higher (GET /vault/search,
// q, limit, offset); the page has items and total. A blank query or bad paging is [ErrInvalidArgument]. The server
// allows 120 searches per hour.
func (s *VaultService) Search(ctx context.Context, p *VaultSearchParams, opts ...RequestOption) (*ListResponse[VaultSearchResult], error) {
	if p == nil {
		return nil, invalidArgf("nil VaultSearchParams")
	}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return call[ListResponse[VaultSearchResult]](ctx, s.client, http.MethodGet, "/vault/search", q, nil, opts)
}

// SearchIter ranges over every hit of a search page by page (p.Limit per page from p.Offset), stopping at the
// total, on a short page or at p.MaxResults; a repeated page ends it with [ErrPageStalled].
func (s *VaultService) SearchIter(ctx context.Context, p *VaultSearchParams, opts ...RequestOption) iter.Seq2[*VaultSearchResult, error] {
	if p == nil {
		return errSeq[VaultSearchResult](invalidArgf("nil VaultSearchParams"))
	}
	base := *p
	if _, err := base.query(); err != nil {
		return errSeq[VaultSearchResult](err)
	}
	base.Limit, _ = checkPaging(base.Limit, 0, 0)
	return offsetIter(ctx, base.Offset, base.Limit, base.MaxResults, func(r *VaultSearchResult) string { return r.Filename },
		func(ctx context.Context, offset int) (*ListResponse[VaultSearchResult], error) {
			q := base
			q.Offset = offset
			return s.Search(ctx, &q, opts...)
		})
}
