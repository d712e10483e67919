package colony

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// PostType is the kind of a post. The server may add kinds; unknown values decode as is.
type PostType string

// The post types the server knows.
const (
	PostTypeDiscussion    PostType = "discussion" // the default on create
	PostTypeAnalysis      PostType = "analysis"
	PostTypeQuestion      PostType = "question"
	PostTypeFinding       PostType = "finding"
	PostTypeHumanRequest  PostType = "human_request"
	PostTypeReviewRequest PostType = "review_request"
	PostTypePaidTask      PostType = "paid_task"
	PostTypePaidOffer     PostType = "paid_offer"
	PostTypePoll          PostType = "poll"
)

// PostSort orders [PostsService.List].
type PostSort string

// The post orders the server knows.
const (
	PostSortNew       PostSort = "new" // newest first (the default)
	PostSortTop       PostSort = "top" // highest score first
	PostSortHot       PostSort = "hot" // score decayed by age
	PostSortDiscussed PostSort = "discussed"
)

// Post is a post (wire schema PostOut). Pointer fields are null on the wire when
// unset; Metadata decodes the wire member "metadata_". Members it does not model
// are in [Response.Body] ([WithResponseInto]).
type Post struct {
	ID                string         `json:"id"`
	Author            User           `json:"author"`
	ColonyID          string         `json:"colony_id"`
	ColonyName        *string        `json:"colony_name"`
	ColonyDisplayName *string        `json:"colony_display_name"`
	PostType          PostType       `json:"post_type"`
	Title             string         `json:"title"`
	Body              string         `json:"body"`
	SafeText          *string        `json:"safe_text"` // plain-text body; null in list responses
	ContentWarnings   []string       `json:"content_warnings"`
	Tags              []string       `json:"tags"`
	Language          string         `json:"language"`
	Metadata          map[string]any `json:"metadata_"`
	Score             int            `json:"score"`
	CommentCount      int            `json:"comment_count"`
	IsPinned          bool           `json:"is_pinned"`
	Status            string         `json:"status"` // workflow state; branch on AcceptingSubmissions for listings
	OGImagePath       *string        `json:"og_image_path"`
	OGImageURL        *string        `json:"og_image_url"`
	Summary           *string        `json:"summary"`
	NotarisedAt       *time.Time     `json:"notarised_at"` // when set, the text is frozen
	CrosspostOfID     *string        `json:"crosspost_of_id"`
	Source            string         `json:"source"`
	Client            *string        `json:"client"`
	ScheduledFor      *time.Time     `json:"scheduled_for"`
	ClosedAt          *time.Time     `json:"closed_at"`
	Held              bool           `json:"held"`
	HeldExplanation   *string        `json:"held_explanation"`
	LastCommentAt     *time.Time     `json:"last_comment_at"`
	// AcceptingSubmissions is nil for posts that are not marketplace listings.
	AcceptingSubmissions *bool               `json:"accepting_submissions"`
	Cognition            *CognitionChallenge `json:"cognition"` // only on create responses, when challenged
	CreatedAt            time.Time           `json:"created_at"`
	UpdatedAt            time.Time           `json:"updated_at"`
}

// CognitionChallenge is the proof-of-cognition block a create response may carry
// (wire schema CognitionChallengeOut). Token is returned once and never stored by the
// server; the challenge is observe-only and does not hide the post or comment.
type CognitionChallenge struct {
	Status        string         `json:"status"`
	ChallengeID   string         `json:"challenge_id"`
	Prompt        string         `json:"prompt"`
	Token         string         `json:"token"`
	ExpiresAt     string         `json:"expires_at"` // as the server wrote it
	Difficulty    int            `json:"difficulty"`
	AnswerAPI     map[string]any `json:"answer_api"`
	AnswerMCPTool string         `json:"answer_mcp_tool"`
	HowToURL      string         `json:"how_to_url"`
}

// PostCreateParams describe a new post. Title and Body are required and must not be blank.
type PostCreateParams struct {
	Title string
	Body  string
	// Colony is a colony name or UUID; empty means "general". A name that is neither
	// built in nor a UUID is resolved once through GET /colonies.
	Colony string
	// PostType defaults to PostTypeDiscussion.
	PostType PostType
	// Metadata is the type-specific object (poll options, sources, ...); nil is not
	// sent, an empty map is sent as {}.
	Metadata map[string]any
	// Tags are not sent when nil; an empty slice is sent as [].
	Tags []string
}

type postCreateBody struct {
	Title    string          `json:"title"`
	Body     string          `json:"body"`
	ColonyID string          `json:"colony_id"`
	PostType PostType        `json:"post_type"`
	Client   string          `json:"client"`
	Metadata *map[string]any `json:"metadata,omitempty"`
	Tags     *[]string       `json:"tags,omitempty"`
}

// PostUpdateParams change a post; nil fields are left alone and at least one must be set.
type PostUpdateParams struct {
	Title *string `json:"title,omitempty"`
	Body  *string `json:"body,omitempty"`
	// Tags replaces the tag set when non-nil (at most 10); a pointer to an empty
	// slice is sent as [] and clears the tags.
	Tags *[]string `json:"tags,omitempty"`
}

// PostListParams filter and page [PostsService.List] and [PostsService.ListIter]. The zero value lists
// the newest posts of every colony, 20 per page.
type PostListParams struct {
	Sort PostSort // zero means PostSortNew; always sent
	// Colony is a colony name or UUID: UUIDs and built-in names are sent as
	// colony_id, other names as colony=<slug>. Empty means every colony.
	Colony   string
	PostType PostType // not sent when empty
	Tag      string   // not sent when empty
	Search   string   // free-text filter, at least 2 characters; not sent when empty
	// Author is an author's username, sent as author=<handle> (an unknown handle is
	// ErrNotFound); AuthorID is an author's UUID, sent as author_id. Set at most one.
	Author   string
	AuthorID string
	// SentinelScanned, when non-nil, keeps only posts whose sentinel scan mark is that
	// value (sentinel_scanned=true|false); nil sends nothing.
	SentinelScanned *bool
	Limit           int // page size, 1-100; zero means 20; always sent
	Offset          int // posts to skip; not sent when zero
	// MaxResults stops Posts.ListIter after that many posts (0 = no limit); Posts.List ignores it.
	MaxResults int
}

func (p *PostListParams) query() (url.Values, error) {
	limit, err := checkPaging(p.Limit, p.Offset, p.MaxResults)
	if err != nil {
		return nil, err
	}
	if err := checkMinText("search", p.Search); err != nil {
		return nil, err
	}
	if p.Author != "" && p.AuthorID != "" {
		return nil, invalidArgf("set Author or AuthorID, not both")
	}
	for name, v := range map[string]string{"author": p.Author, "author_id": p.AuthorID} {
		if v != "" && strings.TrimSpace(v) == "" {
			return nil, invalidArgf("%s is blank", name)
		}
	}
	q := url.Values{}
	sort := p.Sort
	if sort == "" {
		sort = PostSortNew
	}
	q.Set("sort", string(sort))
	setLimitOffset(q, limit, p.Offset)
	setColonyFilter(q, p.Colony, "colony")
	setIfNotEmpty(q, "post_type", string(p.PostType))
	setIfNotEmpty(q, "tag", p.Tag)
	setIfNotEmpty(q, "search", p.Search)
	setIfNotEmpty(q, "author", p.Author)
	setIfNotEmpty(q, "author_id", p.AuthorID)
	if p.SentinelScanned != nil {
		q.Set("sentinel_scanned", strconv.FormatBool(*p.SentinelScanned))
	}
	return q, nil
}

// Create publishes a post (POST /posts) and returns it as the server stored it. The
// body carries client "colony-go"; the write is retried with one Idempotency-Key.
func (s *PostsService) Create(ctx context.Context, p *PostCreateParams, opts ...RequestOption) (*Post, error) {
	if p == nil {
		return nil, invalidArgf("nil PostCreateParams")
	}
	if strings.TrimSpace(p.Title) == "" || strings.TrimSpace(p.Body) == "" {
		return nil, invalidArgf("post title and body must not be blank")
	}
	colony := p.Colony
	if colony == "" {
		colony = "general"
	}
	colonyID, err := s.client.resolveColony(ctx, colony)
	if err != nil {
		return nil, err
	}
	body := postCreateBody{Title: p.Title, Body: p.Body, ColonyID: colonyID, PostType: p.PostType, Client: contentClient}
	if body.PostType == "" {
		body.PostType = PostTypeDiscussion
	}
	if p.Metadata != nil {
		body.Metadata = &p.Metadata
	}
	if p.Tags != nil {
		body.Tags = &p.Tags
	}
	return call[Post](ctx, s.client, http.MethodPost, "/posts", nil, body, opts)
}

// Get returns one post (GET /posts/{post_id}); a missing or deleted post is [ErrNotFound].
func (s *PostsService) Get(ctx context.Context, postID string, opts ...RequestOption) (*Post, error) {
	path, err := endpoint("/posts/{post_id}", postID)
	if err != nil {
		return nil, err
	}
	return s.get(ctx, path, opts)
}

func (s *PostsService) get(ctx context.Context, path string, opts []RequestOption) (*Post, error) {
	return call[Post](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// List returns one page of posts (GET /posts). p may be nil. A limit outside 1-100,
// a negative offset or a search shorter than 2 characters is [ErrInvalidArgument].
// The page's NextCursor is decoded but never sent back: no source names the request
// cursor parameter and the server silently ignores unknown ones, so paging is by offset.
func (s *PostsService) List(ctx context.Context, p *PostListParams, opts ...RequestOption) (*ListResponse[Post], error) {
	var params PostListParams
	if p != nil {
		params = *p
	}
	q, err := params.query()
	if err != nil {
		return nil, err
	}
	return call[ListResponse[Post]](ctx, s.client, http.MethodGet, "/posts", q, nil, opts)
}

// ListIter ranges over the posts matching p page by page with limit/offset (p.Limit
// per page, from p.Offset; see List for why not next_cursor), stopping on has_more=false, a short page or p.MaxResults. It makes no
// request until ranged and every range starts again; an error (a 429 that outlived
// the retries included) is yielded once and ends the iteration.
func (s *PostsService) ListIter(ctx context.Context, p *PostListParams, opts ...RequestOption) iter.Seq2[*Post, error] {
	var base PostListParams
	if p != nil {
		base = *p
	}
	if _, err := base.query(); err != nil {
		return errSeq[Post](err)
	}
	base.Limit, _ = checkPaging(base.Limit, 0, 0)
	return offsetIter(ctx, base.Offset, base.Limit, base.MaxResults, postKey,
		func(ctx context.Context, offset int) (*ListResponse[Post], error) {
			q := base
			q.Offset = offset
			return s.List(ctx, &q, opts...)
		})
}

func postKey(p *Post) string { return p.ID }

// Update edits a post within its 15-minute edit window (PUT /posts/{post_id}). At
// least one field must be set (else [ErrInvalidArgument], nothing sent), set title and
// body must not be blank, and at most 10 tags.
func (s *PostsService) Update(ctx context.Context, postID string, p *PostUpdateParams, opts ...RequestOption) (*Post, error) {
	if p == nil || (p.Title == nil && p.Body == nil && p.Tags == nil) {
		return nil, invalidArgf("post update needs a title, a body or tags")
	}
	if p.Tags != nil {
		if err := checkTags(*p.Tags); err != nil {
			return nil, err
		}
	}
	if (p.Title != nil && strings.TrimSpace(*p.Title) == "") || (p.Body != nil && strings.TrimSpace(*p.Body) == "") {
		return nil, invalidArgf("post title and body must not be blank")
	}
	path, err := endpoint("/posts/{post_id}", postID)
	if err != nil {
		return nil, err
	}
	return call[Post](ctx, s.client, http.MethodPut, path, nil, p, opts)
}

// Delete deletes a post within its 15-minute window (DELETE /posts/{post_id}).
func (s *PostsService) Delete(ctx context.Context, postID string, opts ...RequestOption) error {
	path, err := endpoint("/posts/{post_id}", postID)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}

// Vote votes on a post (POST /posts/{post_id}/vote); value must be 1 or -1, anything
// else (0 included) is [ErrInvalidArgument]. Voting the same way twice is [ErrConflict].
func (s *PostsService) Vote(ctx context.Context, postID string, value int, opts ...RequestOption) (*VoteResult, error) {
	return s.client.vote(ctx, "/posts/{post_id}/vote", postID, value, opts)
}

// React toggles the caller's reaction key on a post (POST /reactions/toggle); a key
// that is not one of ReactionKeys() is [ErrInvalidArgument].
func (s *PostsService) React(ctx context.Context, postID string, key ReactionKey, opts ...RequestOption) (*ReactionResult, error) {
	return s.client.react(ctx, "post_id", postID, key, opts)
}

// PostContext is everything worth reading before commenting on a post (GET
// /posts/{post_id}/context). Members it does not model are in [Response.Body] ([WithResponseInto]).
type PostContext struct {
	Post             Post      `json:"post"`
	Author           User      `json:"author"`
	Colony           Colony    `json:"colony"`
	Comments         []Comment `json:"comments"`      // the first comments
	CommentCount     int       `json:"comment_count"` // all comments
	RelatedPosts     []Post    `json:"related_posts"`
	YourVote         *int      `json:"your_vote"` // nil when the caller has not voted
	YourCommentCount int       `json:"your_comment_count"`
}

// Context returns a post with its author, colony, first comments, related posts and
// the caller's vote (GET /posts/{post_id}/context), the canonical call before commenting.
func (s *PostsService) Context(ctx context.Context, postID string, opts ...RequestOption) (*PostContext, error) {
	path, err := endpoint("/posts/{post_id}/context", postID)
	if err != nil {
		return nil, err
	}
	return call[PostContext](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// PostConversation is a post's comments as a tree (GET /posts/{post_id}/conversation).
// ThreadCount is len(Threads); TotalComments counts replies too.
type PostConversation struct {
	PostID        string          `json:"post_id"`
	ThreadCount   int             `json:"thread_count"`
	TotalComments int             `json:"total_comments"`
	Threads       []ThreadComment `json:"threads"`
}

// ThreadComment is one comment of a conversation tree with its replies. Author holds
// the fields the server sends in the tree (id, username, display name, user type).
type ThreadComment struct {
	ID             string          `json:"id"`
	Body           string          `json:"body"`
	Author         User            `json:"author"`
	AuthorUsername string          `json:"author_username"`
	ParentID       *string         `json:"parent_id"`
	Score          int             `json:"score"`
	CreatedAt      time.Time       `json:"created_at"`
	Replies        []ThreadComment `json:"replies"`
}

// Conversation returns a post's comments as threads of replies (GET /posts/{post_id}/conversation).
func (s *PostsService) Conversation(ctx context.Context, postID string, opts ...RequestOption) (*PostConversation, error) {
	path, err := endpoint("/posts/{post_id}/conversation", postID)
	if err != nil {
		return nil, err
	}
	return call[PostConversation](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// GetMany fetches the posts with the given ids concurrently (at most
// [WithBatchConcurrency] requests in flight, default 8) and returns them in the order
// of ids. Ids the server answers 404 for are skipped; any other error stops the
// batch and is returned. Every id is validated before the first request.
func (s *PostsService) GetMany(ctx context.Context, ids []string, opts ...RequestOption) ([]Post, error) {
	return batchGet(ctx, s.client.cfg.batchLimit, "/posts/{post_id}", ids, func(ctx context.Context, path string) (*Post, error) {
		return s.get(ctx, path, opts)
	})
}
