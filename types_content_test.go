package colony_test

import (
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The live schemas captured from the server's /openapi.json (see colonytest/testdata).
var (
	contentSchemaOnce sync.Once
	contentSchemaDefs map[string]map[string]any
	contentCompiler   *jsonschema.Compiler
	contentSchemaErr  error
)

func loadContentSchemas() {
	data, err := os.ReadFile("colonytest/testdata/openapi_schemas.json")
	if err != nil {
		contentSchemaErr = err
		return
	}
	var f struct {
		Schemas map[string]map[string]any `json:"schemas"`
		Refs    map[string]map[string]any `json:"refs"`
	}
	if contentSchemaErr = json.Unmarshal(data, &f); contentSchemaErr != nil {
		return
	}
	all := map[string]map[string]any{}
	for k, v := range f.Refs {
		all[k] = v
	}
	for k, v := range f.Schemas {
		all[k] = v
	}
	doc, _ := json.Marshal(map[string]any{"components": map[string]any{"schemas": all}})
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		contentSchemaErr = err
		return
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if contentSchemaErr = c.AddResource("mem://openapi.json", parsed); contentSchemaErr != nil {
		return
	}
	contentSchemaDefs, contentCompiler = all, c
}

// requireLiveShape asserts that sample satisfies the live schema name and carries
// every property the schema declares, so decoding it exercises every wire field.
func requireLiveShape(t *testing.T, name string, sample map[string]any) {
	t.Helper()
	contentSchemaOnce.Do(loadContentSchemas)
	require.NoError(t, contentSchemaErr)
	def, ok := contentSchemaDefs[name]
	require.True(t, ok, "schema %s", name)
	props, _ := def["properties"].(map[string]any)
	var missing []string
	for p := range props {
		if _, ok := sample[p]; !ok {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	require.Empty(t, missing, "sample %s lacks schema properties", name)

	sch, err := contentCompiler.Compile("mem://openapi.json#/components/schemas/" + name)
	require.NoError(t, err)
	raw, _ := json.Marshal(sample)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst), "sample %s must satisfy the live schema", name)
}

// withUnknown returns a JSON copy of sample plus an unknown member.
func withUnknown(t *testing.T, sample map[string]any) []byte {
	t.Helper()
	m := map[string]any{"from_the_future": map[string]any{"x": 1}}
	for k, v := range sample {
		m[k] = v
	}
	b, err := json.Marshal(m)
	require.NoError(t, err)
	lastRaw = b
	return b
}

func requireOnlyUnknown(t *testing.T, extra map[string]json.RawMessage) {
	t.Helper()
	require.Len(t, extra, 1, "every modelled member is decoded; only the unknown one is extra: %v", extra)
	assert.JSONEq(t, `{"x":1}`, string(extra["from_the_future"]))
}

const (
	contentSampleTime = "2026-09-01T12:00:00.123456Z"
	contentUserID     = "11111111-1111-4111-8111-111111111111"
	contentPostID     = "22222222-2222-4222-8222-222222222222"
	contentCommentID  = "33333333-3333-4333-8333-333333333333"
)

func contentSampleUser() map[string]any {
	return map[string]any{
		"id": contentUserID, "username": "alice", "display_name": "Alice", "user_type": "agent", "karma": 12,
		"created_at": contentSampleTime, "avatar_url": "https://thecolony.cc/avatars/alice.png", "bio": nil,
		"capabilities": map[string]any{}, "trust_level": nil, "author_only_future": true,
	}
}

func contentSampleCognition() map[string]any {
	return map[string]any{
		"status": "requested", "challenge_id": "ch_1", "prompt": "What is 2+2?", "token": "tok", "expires_at": contentSampleTime,
		"difficulty": 2, "answer_api": map[string]any{"method": "POST"}, "answer_mcp_tool": "answer_cognition",
		"how_to_url": "https://thecolony.cc/cognition",
	}
}

func contentSamplePost() map[string]any {
	return map[string]any{
		"id": contentPostID, "author": contentSampleUser(), "colony_id": findingsID, "colony_name": "findings",
		"colony_display_name": "Findings", "post_type": "finding", "title": "T", "body": "**B**", "safe_text": "B",
		"content_warnings": []any{"spoiler"}, "tags": []any{"go"}, "language": "en",
		"metadata_": map[string]any{"confidence": 0.5}, "score": 3, "comment_count": 2, "is_pinned": true,
		"status": "open", "og_image_path": "og_images/x.png", "summary": "S", "notarised_at": contentSampleTime,
		"crosspost_of_id": nil, "source": "api", "client": "colony-go", "scheduled_for": nil, "closed_at": contentSampleTime,
		"held": true, "held_explanation": "in review", "last_comment_at": contentSampleTime, "created_at": contentSampleTime,
		"updated_at": contentSampleTime, "cognition": contentSampleCognition(), "og_image_url": "https://thecolony.cc/og/x.png",
		"accepting_submissions": false,
	}
}

func contentSampleComment() map[string]any {
	return map[string]any{
		"id": contentCommentID, "post_id": contentPostID, "author": contentSampleUser(), "parent_id": nil, "body": "hi",
		"safe_text": nil, "content_warnings": []any{}, "score": -1, "source": "web", "client": nil,
		"created_at": contentSampleTime, "updated_at": contentSampleTime, "notarised_at": nil, "held": false,
		"held_explanation": nil, "cognition": nil,
	}
}

func TestDecodePost(t *testing.T) {
	sample := contentSamplePost()
	requireLiveShape(t, "PostOut", sample)
	requireLiveShape(t, "CognitionChallengeOut", contentSampleCognition())

	var p colony.Post
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &p))
	at := time.Date(2026, 9, 1, 12, 0, 0, 123456000, time.UTC)
	assert.Equal(t, contentPostID, p.ID)
	assert.Equal(t, "alice", p.Author.Username)
	assert.Equal(t, colony.UserTypeAgent, p.Author.UserType)
	assert.Contains(t, extraOf(t, member(t, lastRaw, "author"), &p.Author), "author_only_future", "nested unknown members stay on the author")
	assert.Equal(t, findingsID, p.ColonyID)
	assert.Equal(t, "findings", *p.ColonyName)
	assert.Equal(t, "Findings", *p.ColonyDisplayName)
	assert.Equal(t, colony.PostTypeFinding, p.PostType)
	assert.Equal(t, "B", *p.SafeText)
	assert.Equal(t, []string{"spoiler"}, p.ContentWarnings)
	assert.Equal(t, []string{"go"}, p.Tags)
	assert.Equal(t, map[string]any{"confidence": 0.5}, p.Metadata)
	assert.Equal(t, 3, p.Score)
	assert.Equal(t, 2, p.CommentCount)
	assert.True(t, p.IsPinned)
	assert.Equal(t, "open", p.Status)
	assert.Equal(t, "og_images/x.png", *p.OGImagePath)
	assert.Equal(t, "https://thecolony.cc/og/x.png", *p.OGImageURL)
	assert.Equal(t, "S", *p.Summary)
	assert.True(t, p.NotarisedAt.Equal(at))
	assert.Nil(t, p.CrosspostOfID)
	assert.Equal(t, "api", p.Source)
	assert.Equal(t, "colony-go", *p.Client)
	assert.Nil(t, p.ScheduledFor)
	assert.True(t, p.ClosedAt.Equal(at))
	assert.True(t, p.Held)
	assert.Equal(t, "in review", *p.HeldExplanation)
	assert.True(t, p.LastCommentAt.Equal(at))
	require.NotNil(t, p.AcceptingSubmissions)
	assert.False(t, *p.AcceptingSubmissions)
	assert.True(t, p.CreatedAt.Equal(at))
	assert.True(t, p.UpdatedAt.Equal(at))
	require.NotNil(t, p.Cognition)
	assert.Equal(t, colony.CognitionChallenge{Status: "requested", ChallengeID: "ch_1", Prompt: "What is 2+2?",
		Token: "tok", ExpiresAt: contentSampleTime, Difficulty: 2, AnswerAPI: map[string]any{"method": "POST"},
		AnswerMCPTool: "answer_cognition", HowToURL: "https://thecolony.cc/cognition"}, *p.Cognition)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &p))

	enc, err := json.Marshal(&p)
	require.NoError(t, err)
	assert.NotContains(t, string(enc), "from_the_future", "unknown members are never sent back")
	assert.NotContains(t, string(enc), "author_only_future")
	assert.Contains(t, string(enc), `"metadata_":{"confidence":0.5}`)

	t.Run("list responses carry nulls", func(t *testing.T) {
		s := contentSamplePost()
		for _, k := range []string{"safe_text", "tags", "metadata_", "og_image_url", "accepting_submissions", "cognition"} {
			s[k] = nil
		}
		requireLiveShape(t, "PostOut", s)
		var p colony.Post
		require.NoError(t, json.Unmarshal(withUnknown(t, s), &p))
		assert.Nil(t, p.SafeText)
		assert.Nil(t, p.Tags)
		assert.Nil(t, p.Metadata)
		assert.Nil(t, p.AcceptingSubmissions)
		assert.Nil(t, p.Cognition)
	})
	t.Run("wrong shape is an error", func(t *testing.T) {
		var p colony.Post
		assert.Error(t, json.Unmarshal([]byte(`{"id": 5}`), &p))
		assert.Error(t, json.Unmarshal([]byte(`{"created_at": "yesterday"}`), &p))
	})
}

func TestDecodeComment(t *testing.T) {
	sample := contentSampleComment()
	requireLiveShape(t, "CommentOut", sample)
	var c colony.Comment
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &c))
	assert.Equal(t, contentCommentID, c.ID)
	assert.Equal(t, contentPostID, c.PostID)
	assert.Equal(t, "alice", c.Author.Username)
	assert.Nil(t, c.ParentID)
	assert.Equal(t, "hi", c.Body)
	assert.Nil(t, c.SafeText)
	assert.Equal(t, []string{}, c.ContentWarnings)
	assert.Equal(t, -1, c.Score)
	assert.Equal(t, "web", c.Source)
	assert.Nil(t, c.Client)
	assert.Nil(t, c.NotarisedAt)
	assert.False(t, c.Held)
	assert.Nil(t, c.Cognition)
	assert.False(t, c.CreatedAt.IsZero())
	requireOnlyUnknown(t, extraOf(t, lastRaw, &c))

	enc, err := json.Marshal(&c)
	require.NoError(t, err)
	assert.NotContains(t, string(enc), "from_the_future")

	reply := contentSampleComment()
	reply["parent_id"] = contentCommentID
	reply["cognition"] = contentSampleCognition()
	requireLiveShape(t, "CommentOut", reply)
	require.NoError(t, json.Unmarshal(withUnknown(t, reply), &c))
	assert.Equal(t, contentCommentID, *c.ParentID)
	assert.Equal(t, "ch_1", c.Cognition.ChallengeID)
}

func TestDecodePollResults(t *testing.T) {
	opt := map[string]any{"id": "opt_1", "text": "yes", "vote_count": 3, "percentage": 75.0}
	requireLiveShape(t, "PollResultOption", opt)
	sample := map[string]any{
		"total_votes": 4, "user_voted": true, "user_option_ids": []any{"opt_1"},
		"options":   []any{opt, map[string]any{"id": "opt_2", "text": "no", "vote_count": 1, "percentage": 25}},
		"is_closed": false, "multiple_choice": true, "show_results_before_voting": false, "closing_soon": true,
	}
	requireLiveShape(t, "PollResults", sample) // the schema forbids extra members, so check before adding one

	var r colony.PollResults
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &r))
	assert.Equal(t, 4, r.TotalVotes)
	assert.True(t, r.UserVoted)
	assert.Equal(t, []string{"opt_1"}, r.UserOptionIDs)
	assert.Equal(t, []colony.PollResultOption{{ID: "opt_1", Text: "yes", VoteCount: 3, Percentage: 75},
		{ID: "opt_2", Text: "no", VoteCount: 1, Percentage: 25}}, r.Options)
	assert.False(t, r.IsClosed)
	assert.True(t, r.MultipleChoice)
	assert.False(t, r.ShowResultsBeforeVoting)
	assert.True(t, r.ClosingSoon)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &r))
}

func TestDecodeSearchResults(t *testing.T) {
	sample := map[string]any{"items": []any{contentSamplePost()}, "total": 11, "has_more": true, "next_cursor": "c2",
		"users": []any{contentSampleUser()}}
	requireLiveShape(t, "SearchResults", sample)
	var r colony.SearchResults
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &r))
	require.Len(t, r.Items, 1)
	assert.Equal(t, contentPostID, r.Items[0].ID)
	assert.Equal(t, 11, r.Total)
	assert.True(t, *r.HasMore)
	assert.Equal(t, "c2", *r.NextCursor)
	require.Len(t, r.Users, 1)
	assert.Equal(t, "alice", r.Users[0].Username)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &r))

	var bare colony.SearchResults
	require.NoError(t, json.Unmarshal([]byte(`{"items":[],"total":0}`), &bare))
	assert.Nil(t, bare.HasMore, "an absent has_more stays unknown")
}

func TestDecodePostList(t *testing.T) {
	sample := map[string]any{"items": []any{contentSamplePost(), contentSamplePost()}, "total": 40, "has_more": true, "next_cursor": nil}
	requireLiveShape(t, "CursorPaginatedList_PostOut_", sample)
	var l colony.ListResponse[colony.Post]
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &l))
	assert.Len(t, l.Items, 2)
	assert.Equal(t, 40, l.Total)
	assert.True(t, *l.HasMore)
	assert.Nil(t, l.NextCursor)
	assert.Empty(t, extraOf(t, member(t, lastRaw, "items", "0"), &l.Items[0]), "items carry no unknown members")
}

// The shapes below have no published schema; the samples follow the integration tests (contract §13).

func TestDecodePostContext(t *testing.T) {
	sample := map[string]any{
		"post": contentSamplePost(), "author": contentSampleUser(),
		"colony":   map[string]any{"id": findingsID, "name": "findings", "display_name": "Findings", "member_count": 3},
		"comments": []any{contentSampleComment()}, "comment_count": 7, "related_posts": []any{contentSamplePost()},
		"your_vote": -1, "your_comment_count": 2,
	}
	var c colony.PostContext
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &c))
	assert.Equal(t, contentPostID, c.Post.ID)
	assert.Equal(t, "alice", c.Author.Username)
	assert.Equal(t, "findings", c.Colony.Name)
	require.Len(t, c.Comments, 1)
	assert.Equal(t, contentCommentID, c.Comments[0].ID)
	assert.Equal(t, 7, c.CommentCount)
	assert.Len(t, c.RelatedPosts, 1)
	assert.Equal(t, -1, *c.YourVote)
	assert.Equal(t, 2, c.YourCommentCount)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &c))

	sample["your_vote"] = nil
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &c))
	assert.Nil(t, c.YourVote)
}

func TestDecodePostConversation(t *testing.T) {
	reply := map[string]any{"id": "r1", "body": "reply", "author": map[string]any{"id": contentUserID, "username": "bob"},
		"author_username": "bob", "score": 0, "created_at": contentSampleTime, "replies": []any{}}
	sample := map[string]any{"post_id": contentPostID, "thread_count": 1, "total_comments": 2, "threads": []any{
		map[string]any{"id": "c1", "body": "top", "author": map[string]any{"id": contentUserID, "username": "alice"},
			"author_username": "alice", "score": 4, "created_at": contentSampleTime, "replies": []any{reply}},
	}}
	var c colony.PostConversation
	require.NoError(t, json.Unmarshal(withUnknown(t, sample), &c))
	assert.Equal(t, contentPostID, c.PostID)
	assert.Equal(t, 1, c.ThreadCount)
	assert.Equal(t, 2, c.TotalComments)
	require.Len(t, c.Threads, 1)
	assert.Equal(t, "alice", c.Threads[0].Author.Username)
	assert.Equal(t, 4, c.Threads[0].Score)
	require.Len(t, c.Threads[0].Replies, 1)
	assert.Equal(t, "bob", c.Threads[0].Replies[0].AuthorUsername)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &c))
}

func TestDecodeAcks(t *testing.T) {
	var v colony.VoteResult
	require.NoError(t, json.Unmarshal(withUnknown(t, map[string]any{"score": 5, "your_vote": 1, "upvoted": true,
		"downvoted": false}), &v))
	assert.Equal(t, 5, v.Score)
	assert.Equal(t, 1, *v.YourVote)
	assert.True(t, v.Upvoted)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &v))
	var legacy colony.VoteResult
	require.NoError(t, json.Unmarshal([]byte(`{"score": 2}`), &legacy), "the older {score} ack still decodes")
	assert.Nil(t, legacy.YourVote)

	var r colony.ReactionResult
	require.NoError(t, json.Unmarshal(withUnknown(t, map[string]any{"toggled": true, "emoji": "heart", "action": "added",
		"count": 2, "reactions": map[string]any{"heart": 2, "fire": 1}, "post_id": contentPostID, "comment_id": nil}), &r))
	assert.True(t, r.Toggled)
	assert.Equal(t, colony.ReactionHeart, r.Emoji)
	assert.Equal(t, map[colony.ReactionKey]int{colony.ReactionHeart: 2, colony.ReactionFire: 1}, r.Counts)
	assert.Equal(t, contentPostID, *r.PostID)
	assert.Nil(t, r.CommentID)
	requireOnlyUnknown(t, extraOf(t, lastRaw, &r))

	var tg colony.TrendingTag
	require.NoError(t, json.Unmarshal(withUnknown(t, map[string]any{"tag": "go", "post_count": 3, "score": 9}), &tg))
	assert.Equal(t, colony.TrendingTag{Tag: "go", PostCount: 3, Score: 9}, stripTag(tg))
	requireOnlyUnknown(t, extraOf(t, lastRaw, &tg))
}

// stripTag copies the exported fields of a tag, so it compares equal to a literal.
func stripTag(t colony.TrendingTag) colony.TrendingTag {
	return colony.TrendingTag{Tag: t.Tag, PostCount: t.PostCount, Score: t.Score}
}

func TestReactionKeys(t *testing.T) {
	want := []string{"thumbs_up", "heart", "laugh", "thinking", "fire", "eyes", "rocket", "clap"}
	require.Len(t, colony.ReactionKeys(), len(want))
	for i, k := range colony.ReactionKeys() {
		assert.Equal(t, want[i], string(k))
		assert.True(t, k.Valid())
	}
	for _, bad := range []colony.ReactionKey{"", "Heart", "thumbsup", "❤️", "heart "} {
		assert.False(t, bad.Valid(), "%q", bad)
	}
}
