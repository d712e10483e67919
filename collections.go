package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of collection texts.
const (
	maxCollectionTitle = 200 // characters of a title
	maxCollectionNote  = 500 // characters of a curator note
)

// Collection is a curated, ordered list of posts (wire schema CollectionOut,
// absent from the published snapshot). Private collections are visible to their owner only.
type Collection struct {
	ID          string    `json:"id"`
	UserID      string    `json:"user_id"` // the owner
	Title       string    `json:"title"`
	Description *string   `json:"description"`
	IsPublic    bool      `json:"is_public"`
	ItemCount   int       `json:"item_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// CollectionItem is one post of a collection with the curator's note (wire schema
// CollectionItemOut); Position is its 0-based place in curator order.
type CollectionItem struct {
	CollectionID string    `json:"collection_id"`
	PostID       string    `json:"post_id"`
	Note         *string   `json:"note"`
	Position     int       `json:"position"`
	AddedAt      time.Time `json:"added_at"`
	Post         *Post     `json:"post"` // the post summary; nil if the server leaves it out
}

// CollectionDetail is a collection with its items in curator order (wire schema CollectionDetail).
type CollectionDetail struct {
	Collection
	Items []CollectionItem `json:"items"`
}

// CollectionListParams filter and page the collection list. The zero value lists
// the public collections of everyone and the caller's private ones, 20 per page.
type CollectionListParams struct {
	UserID string // only this owner's collections; not sent when empty
	Limit  int    // page size, 1-100; zero means 20
	Offset int    // collections to skip; always sent
	// MaxResults stops Collections.ListIter after that many collections (0 = no limit).
	MaxResults int
}

// CollectionCreateParams describe a new collection.
type CollectionCreateParams struct {
	Title       string  // required, 1-200 characters
	Description *string // not sent when nil
	IsPublic    *bool   // always sent; nil means true
}

// CollectionUpdateParams change a collection; nil fields stay as they are and
// with none set {} is sent.
type CollectionUpdateParams struct {
	Title       *string // 1-200 characters
	Description *string
	IsPublic    *bool // false hides the collection from everyone else at once
}

// CollectionItemParams add a post to a collection.
type CollectionItemParams struct {
	PostID string // required
	Note   string // curator note, at most 500 characters; not sent when empty
}

func checkCollectionTitle(title string) error {
	return checkText("collection title", title, 1, maxCollectionTitle)
}

// List returns one page of collections, most recently updated first (GET
// /collections); p may be nil. Bad paging or a blank-but-set UserID is [ErrInvalidArgument].
func (s *CollectionsService) List(ctx context.Context, p *CollectionListParams, opts ...RequestOption) (*ListResponse[Collection], error) {
	var params CollectionListParams
	if p != nil {
		params = *p
	}
	limit, err := checkPaging(params.Limit, params.Offset, params.MaxResults)
	if err != nil {
		return nil, err
	}
	if params.UserID != "" && strings.TrimSpace(params.UserID) == "" {
		return nil, invalidArgf("user id is blank")
	}
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(params.Offset))
	setIfNotEmpty(q, "user_id", params.UserID)
	return call[ListResponse[Collection]](ctx, s.client, http.MethodGet, "/collections", q, nil, opts)
}

// ListIter ranges over every collection page by page from p.Offset, stopping on
// has_more=false or p.MaxResults; it makes no request until ranged.
func (s *CollectionsService) ListIter(ctx context.Context, p *CollectionListParams, opts ...RequestOption) iter.Seq2[*Collection, error] {
	var base CollectionListParams
	if p != nil {
		base = *p
	}
	limit, err := checkPaging(base.Limit, base.Offset, base.MaxResults)
	if err != nil {
		return errSeq[Collection](err)
	}
	return offsetIter(ctx, base.Offset, limit, base.MaxResults, func(c *Collection) string { return c.ID },
		func(ctx context.Context, offset int) (*ListResponse[Collection], error) {
			q := base
			q.Limit, q.Offset = limit, offset
			return s.List(ctx, &q, opts...)
		})
}

// Create creates a collection owned by the caller (POST /collections); is_public
// is always sent (default true). A blank or over-long title is [ErrInvalidArgument].
func (s *CollectionsService) Create(ctx context.Context, p *CollectionCreateParams, opts ...RequestOption) (*Collection, error) {
	if p == nil {
		return nil, invalidArgf("collection create needs params")
	}
	if err := checkCollectionTitle(p.Title); err != nil {
		return nil, err
	}
	public := true
	if p.IsPublic != nil {
		public = *p.IsPublic
	}
	body := struct {
		Title       string  `json:"title"`
		IsPublic    bool    `json:"is_public"`
		Description *string `json:"description,omitempty"`
	}{p.Title, public, p.Description}
	return call[Collection](ctx, s.client, http.MethodPost, "/collections", nil, body, opts)
}

// Get returns a collection with its items (GET /collections/{collection_id});
// someone else's private collection is [ErrNotFound].
func (s *CollectionsService) Get(ctx context.Context, collectionID string, opts ...RequestOption) (*CollectionDetail, error) {
	path, err := endpoint("/collections/{collection_id}", collectionID)
	if err != nil {
		return nil, err
	}
	return call[CollectionDetail](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Update changes the caller's collection (PUT /collections/{collection_id}) and
// returns it; p may be nil ({} is sent). Someone else's collection is [ErrForbidden] or [ErrNotFound].
func (s *CollectionsService) Update(ctx context.Context, collectionID string, p *CollectionUpdateParams, opts ...RequestOption) (*Collection, error) {
	path, err := endpoint("/collections/{collection_id}", collectionID)
	if err != nil {
		return nil, err
	}
	var params CollectionUpdateParams
	if p != nil {
		params = *p
	}
	if params.Title != nil {
		if err := checkCollectionTitle(*params.Title); err != nil {
			return nil, err
		}
	}
	body := struct {
		Title       *string `json:"title,omitempty"`
		Description *string `json:"description,omitempty"`
		IsPublic    *bool   `json:"is_public,omitempty"`
	}{params.Title, params.Description, params.IsPublic}
	return call[Collection](ctx, s.client, http.MethodPut, path, nil, body, opts)
}

// Delete deletes the caller's collection (DELETE /collections/{collection_id});
// the posts in it are untouched.
func (s *CollectionsService) Delete(ctx context.Context, collectionID string, opts ...RequestOption) error {
	path, err := endpoint("/collections/{collection_id}", collectionID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// AddItem appends a post to the caller's collection (POST
// /collections/{collection_id}/items). A post already there is [ErrConflict], a post
// the caller cannot read [ErrNotFound]; a blank post id or a note over 500 characters is [ErrInvalidArgument].
func (s *CollectionsService) AddItem(ctx context.Context, collectionID string, p *CollectionItemParams, opts ...RequestOption) (*CollectionItem, error) {
	path, err := endpoint("/collections/{collection_id}/items", collectionID)
	if err != nil {
		return nil, err
	}
	if p == nil || strings.TrimSpace(p.PostID) == "" {
		return nil, invalidArgf("post id is empty")
	}
	if n := utf8.RuneCountInString(p.Note); n > maxCollectionNote {
		return nil, invalidArgf("note is %d characters (max %d)", n, maxCollectionNote)
	}
	body := struct {
		PostID string `json:"post_id"`
		Note   string `json:"note,omitempty"`
	}{p.PostID, p.Note}
	return call[CollectionItem](ctx, s.client, http.MethodPost, path, nil, body, opts)
}

// RemoveItem removes a post from the caller's collection (DELETE
// /collections/{collection_id}/items/{post_id}); the other items keep their order.
func (s *CollectionsService) RemoveItem(ctx context.Context, collectionID, postID string, opts ...RequestOption) error {
	path, err := endpoint("/collections/{collection_id}/items/{post_id}", collectionID, postID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}
