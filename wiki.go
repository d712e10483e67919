package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Wiki page sizes: lists and histories take 1-200 entries, 50 by default.
const (
	wikiPageSize    = 50
	maxWikiPageSize = 200
	maxWikiOffset   = 100000
)

var wikiSlug = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// WikiAuthor names who wrote or last edited a wiki page (wire schema WikiAuthor).
type WikiAuthor struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// WikiPage is a wiki page with its content (wire schema WikiPageOut). ColonyName is
// nil for the global wiki; the deprecated alias "colony" is not modelled.
type WikiPage struct {
	ID            string     `json:"id"`
	Slug          string     `json:"slug"`
	Title         string     `json:"title"`
	Content       string     `json:"content"`
	Category      *string    `json:"category"`
	CreatedBy     WikiAuthor `json:"created_by"`
	UpdatedBy     WikiAuthor `json:"updated_by"`
	IsLocked      bool       `json:"is_locked"` // a locked page refuses every edit
	RevisionCount int        `json:"revision_count"`
	ColonyName    *string    `json:"colony_name"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// WikiPageSummary is a wiki page as lists show it, without content (wire schema WikiPageListItem).
type WikiPageSummary struct {
	ID            string     `json:"id"`
	Slug          string     `json:"slug"`
	Title         string     `json:"title"`
	Category      *string    `json:"category"`
	UpdatedBy     WikiAuthor `json:"updated_by"`
	RevisionCount int        `json:"revision_count"`
	ColonyName    *string    `json:"colony_name"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// WikiRevisionSummary is one entry of a page's history (wire schema WikiRevisionListItem).
type WikiRevisionSummary struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Summary   *string    `json:"summary"` // the edit note
	Author    WikiAuthor `json:"author"`
	CreatedAt time.Time  `json:"created_at"`
}

// WikiRevision is a full snapshot of a page at one revision (wire schema WikiRevisionOut).
type WikiRevision struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Content   string     `json:"content"`
	Summary   *string    `json:"summary"`
	Author    WikiAuthor `json:"author"`
	CreatedAt time.Time  `json:"created_at"`
}

// checkWikiColony refuses a colony reference that is not a colony name.
func checkWikiColony(colony string) error {
	switch {
	case colony == "":
		return nil
	case strings.TrimSpace(colony) == "", isUUID(colony):
		return invalidArgf("wiki colony must be a colony name, got %q", colony)
	case utf8.RuneCountInString(colony) > 100:
		return invalidArgf("wiki colony is at most 100 characters")
	}
	return nil
}

// wikiPath builds a /wiki/{slug}... path and its colony query.
func wikiPath(tmpl, colony string, args ...string) (string, url.Values, error) {
	if err := checkWikiColony(colony); err != nil {
		return "", nil, err
	}
	if len(args[0]) > 200 || !wikiSlug.MatchString(args[0]) {
		return "", nil, invalidArgf("wiki slug must be lower-case words joined by hyphens (1-200), got %q", args[0])
	}
	path, err := endpoint(tmpl, args...)
	if err != nil {
		return "", nil, err
	}
	q := url.Values{}
	setIfNotEmpty(q, "colony", colony)
	return path, q, nil
}

// checkLen refuses a text longer than max characters, or shorter than min.
func checkLen(name, v string, min, max int) error {
	if n := utf8.RuneCountInString(v); n < min || n > max {
		return invalidArgf("%s must be %d-%d characters, got %d", name, min, max, n)
	}
	return nil
}

// WikiListParams filter and page [WikiService.List] and [WikiService.ListIter]. The zero value lists the
// global wiki's pages in title order, 50 per page.
type WikiListParams struct {
	Colony   string // colony name (not a UUID); empty means the global wiki
	Category string // exact category; not sent when empty
	Search   string // 2-200 characters, case-insensitive over title and body; not sent when empty
	Limit    int    // page size, 1-200; zero means 50; always sent
	Offset   int    // pages to skip, 0-100000; not sent when zero
	// MaxResults stops Wiki.ListIter after that many pages (0 = no limit); Wiki.List ignores it.
	MaxResults int
}

func (p *WikiListParams) query() (url.Values, int, error) {
	var params WikiListParams
	if p != nil {
		params = *p
	}
	limit, err := wikiPaging(params.Limit, params.Offset, params.MaxResults)
	if err != nil {
		return nil, 0, err
	}
	if err := checkWikiColony(params.Colony); err != nil {
		return nil, 0, err
	}
	if params.Search != "" {
		if err := checkLen("search", strings.TrimSpace(params.Search), 2, 200); err != nil {
			return nil, 0, err
		}
	}
	q := url.Values{}
	setLimitOffset(q, limit, params.Offset)
	setIfNotEmpty(q, "colony", params.Colony)
	setIfNotEmpty(q, "category", params.Category)
	setIfNotEmpty(q, "search", params.Search)
	return q, limit, nil
}

func wikiPaging(limit, offset, maxResults int) (int, error) {
	limit, err := pagingWith(limit, wikiPageSize, maxWikiPageSize, offset, maxResults)
	if err == nil && offset > maxWikiOffset {
		err = invalidArgf("offset must be at most %d, got %d", maxWikiOffset, offset)
	}
	return limit, err
}

// List returns one page of wiki pages, without content, in title order (GET /wiki).
// p may be nil. An unknown colony is [ErrNotFound]; bad paging or search is [ErrInvalidArgument].
func (s *WikiService) List(ctx context.Context, p *WikiListParams, opts ...RequestOption) (*ListResponse[WikiPageSummary], error) {
	q, _, err := p.query()
	if err != nil {
		return nil, err
	}
	return call[ListResponse[WikiPageSummary]](ctx, s.client, http.MethodGet, "/wiki", q, nil, opts)
}

// ListIter ranges over the wiki pages page by page (limit/offset), stopping on
// has_more=false, a short page or p.MaxResults. It is lazy and restarts on each range.
func (s *WikiService) ListIter(ctx context.Context, p *WikiListParams, opts ...RequestOption) iter.Seq2[*WikiPageSummary, error] {
	var base WikiListParams
	if p != nil {
		base = *p
	}
	_, limit, err := base.query()
	if err != nil {
		return errSeq[WikiPageSummary](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(w *WikiPageSummary) string { return w.ID },
		func(ctx context.Context, offset int) (*ListResponse[WikiPageSummary], error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.List(ctx, &q, opts...)
		})
}

// WikiPageCreateParams describe a new wiki page. Title and Slug are required.
type WikiPageCreateParams struct {
	Colony  string // colony name (not a UUID); empty means the global wiki; not sent when empty
	Title   string // 1-300 characters
	Slug    string // permanent: lower-case words joined by single hyphens, 1-200 characters
	Content string // markdown, at most 200000 characters; empty is sent as ""
	// Category is at most 100 characters; Summary (the first revision's note, at most
	// 500; the server defaults it to "Initial page creation"). Neither is sent when empty.
	Category string
	Summary  string
}

type wikiCreateBody struct {
	Title    string `json:"title"`
	Slug     string `json:"slug"`
	Content  string `json:"content"`
	Category string `json:"category,omitempty"`
	Summary  string `json:"summary,omitempty"`
	Colony   string `json:"colony,omitempty"`
}

// Create creates a wiki page with its first revision (POST /wiki). A slug in use,
// even by a deleted page, is [ErrConflict]; bad fields are [ErrInvalidArgument].
// Retries reuse one Idempotency-Key.
func (s *WikiService) Create(ctx context.Context, p *WikiPageCreateParams, opts ...RequestOption) (*WikiPage, error) {
	if p == nil {
		return nil, invalidArgf("nil WikiPageCreateParams")
	}
	if len(p.Slug) > 200 || !wikiSlug.MatchString(p.Slug) {
		return nil, invalidArgf("wiki slug must be lower-case words joined by hyphens (1-200), got %q", p.Slug)
	}
	if strings.TrimSpace(p.Title) == "" {
		return nil, invalidArgf("wiki title must not be blank")
	}
	for _, err := range []error{checkWikiColony(p.Colony), checkLen("title", p.Title, 1, 300),
		checkLen("content", p.Content, 0, 200000), checkLen("category", p.Category, 0, 100),
		checkLen("summary", p.Summary, 0, 500)} {
		if err != nil {
			return nil, err
		}
	}
	body := wikiCreateBody{Title: p.Title, Slug: p.Slug, Content: p.Content, Category: p.Category, Summary: p.Summary, Colony: p.Colony}
	return call[WikiPage](ctx, s.client, http.MethodPost, "/wiki", nil, body, opts)
}

// Get returns a wiki page with its content (GET /wiki/{slug}?colony=<name>); colony
// "" means the global wiki. A missing page or unknown colony is [ErrNotFound].
func (s *WikiService) Get(ctx context.Context, colony, slug string, opts ...RequestOption) (*WikiPage, error) {
	path, q, err := wikiPath("/wiki/{slug}", colony, slug)
	if err != nil {
		return nil, err
	}
	return call[WikiPage](ctx, s.client, http.MethodGet, path, q, nil, opts)
}

// WikiPageUpdateParams edit a wiki page; nil fields are not sent. An update with no
// field still appends a revision.
type WikiPageUpdateParams struct {
	Title    *string `json:"title,omitempty"`    // 1-300 characters
	Content  *string `json:"content,omitempty"`  // at most 200000 characters
	Category *string `json:"category,omitempty"` // at most 100 characters
	Summary  *string `json:"summary,omitempty"`  // the edit note, at most 500 characters
	// BaseRevision is the revision count the edit is based on (>= 1); when the page has
	// moved on the server answers ErrConflict and changes nothing. nil = last write wins.
	BaseRevision *int `json:"base_revision,omitempty"`
}

// Update edits a wiki page and appends a revision (PUT /wiki/{slug}?colony=<name>).
// A stale BaseRevision is [ErrConflict], a locked page [ErrForbidden]. Without
// BaseRevision a replayed edit would append a second revision; the one Idempotency-Key
// per call prevents that on retries.
func (s *WikiService) Update(ctx context.Context, colony, slug string, p *WikiPageUpdateParams, opts ...RequestOption) (*WikiPage, error) {
	var body WikiPageUpdateParams
	if p != nil {
		body = *p
	}
	if body.Title != nil && (strings.TrimSpace(*body.Title) == "" || checkLen("title", *body.Title, 1, 300) != nil) {
		return nil, invalidArgf("wiki title must be 1-300 characters and not blank")
	}
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"content", body.Content, 200000}, {"category", body.Category, 100}, {"summary", body.Summary, 500}} {
		if f.v != nil {
			if err := checkLen(f.name, *f.v, 0, f.max); err != nil {
				return nil, err
			}
		}
	}
	if body.BaseRevision != nil && *body.BaseRevision < 1 {
		return nil, invalidArgf("base revision must be at least 1, got %d", *body.BaseRevision)
	}
	path, q, err := wikiPath("/wiki/{slug}", colony, slug)
	if err != nil {
		return nil, err
	}
	return call[WikiPage](ctx, s.client, http.MethodPut, path, q, body, opts)
}

// Delete deletes a wiki page (DELETE /wiki/{slug}?colony=<name>); its slug stays
// reserved. Only its creator may ([ErrForbidden]); a missing page is [ErrNotFound].
func (s *WikiService) Delete(ctx context.Context, colony, slug string, opts ...RequestOption) error {
	path, q, err := wikiPath("/wiki/{slug}", colony, slug)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, q, nil, nil, opts)
}

// WikiHistoryParams page [WikiService.History] and [WikiService.HistoryIter]. The zero value asks for the newest 50 revisions.
type WikiHistoryParams struct {
	Limit  int // 1-200; zero means 50; always sent
	Offset int // revisions to skip; not sent when zero
	// MaxResults stops Wiki.HistoryIter after that many revisions (0 = no limit); Wiki.History ignores it.
	MaxResults int
}

// History returns one page of a wiki page's revisions, newest first (GET
// /wiki/{slug}/history?colony=<name>, a bare array: a short page is the last).
func (s *WikiService) History(ctx context.Context, colony, slug string, p *WikiHistoryParams, opts ...RequestOption) ([]WikiRevisionSummary, error) {
	var params WikiHistoryParams
	if p != nil {
		params = *p
	}
	limit, err := wikiPaging(params.Limit, params.Offset, params.MaxResults)
	if err != nil {
		return nil, err
	}
	path, q, err := wikiPath("/wiki/{slug}/history", colony, slug)
	if err != nil {
		return nil, err
	}
	setLimitOffset(q, limit, params.Offset)
	revs, err := call[[]WikiRevisionSummary](ctx, s.client, http.MethodGet, path, q, nil, opts)
	if err != nil {
		return nil, err
	}
	return *revs, nil
}

// HistoryIter ranges over a page's revisions page by page (limit/offset), stopping on a
// short or empty page or p.MaxResults. It is lazy and restarts on each range.
func (s *WikiService) HistoryIter(ctx context.Context, colony, slug string, p *WikiHistoryParams, opts ...RequestOption) iter.Seq2[*WikiRevisionSummary, error] {
	var base WikiHistoryParams
	if p != nil {
		base = *p
	}
	limit, err := wikiPaging(base.Limit, base.Offset, base.MaxResults)
	if err == nil {
		_, _, err = wikiPath("/wiki/{slug}/history", colony, slug)
	}
	if err != nil {
		return errSeq[WikiRevisionSummary](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(r *WikiRevisionSummary) string { return r.ID },
		func(ctx context.Context, offset int) (*ListResponse[WikiRevisionSummary], error) {
			revs, err := s.History(ctx, colony, slug, &WikiHistoryParams{Limit: limit, Offset: offset}, opts...)
			if err != nil {
				return nil, err
			}
			return &ListResponse[WikiRevisionSummary]{Items: revs}, nil
		})
}

// Revision returns the full snapshot of one revision of a wiki page (GET
// /wiki/{slug}/revision/{revision_id}?colony=<name>); a revision of another page is [ErrNotFound].
func (s *WikiService) Revision(ctx context.Context, colony, slug, revisionID string, opts ...RequestOption) (*WikiRevision, error) {
	path, q, err := wikiPath("/wiki/{slug}/revision/{revision_id}", colony, slug, revisionID)
	if err != nil {
		return nil, err
	}
	return call[WikiRevision](ctx, s.client, http.MethodGet, path, q, nil, opts)
}
