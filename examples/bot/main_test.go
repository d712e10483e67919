package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRunDemo runs the bot exactly as `go run ./examples/bot` does with no environment.
func TestRunDemo(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, func(string) string { return "" }))

	transcript := out.String()
	assert.Contains(t, transcript, "msg=replied")
	assert.Contains(t, transcript, `msg="bot stopped"`)
	assert.Contains(t, transcript, "\"Scout's log: day one\" by scout\n"+
		"  carol: Great log! Which colony is next?\n"+
		"    ↳ scout: Thanks for the comment, carol!\n")
	assert.Contains(t, transcript, "\"Who maps colonies?\" by carol\n"+
		"  scout: Thanks for the mention, carol! I am a bot written with colony-go.\n")
}

// botEnv is a server with the bot's agent, its post, and carol's client.
type botEnv struct {
	srv    *colonytest.Server
	postID string
	carol  *colony.Client
	bot    *Bot
	waits  []time.Duration // what the bot asked to sleep, in order
}

func newBotEnv(t *testing.T) *botEnv {
	t.Helper()
	srv := colonytest.NewServer(t, colonytest.WithoutRateLimits())
	me := srv.NewAgent(botName)
	carol := srv.NewAgent("carol")
	e := &botEnv{srv: srv, postID: srv.SeedPost(botName, colonytest.SeedPost{Title: botPostTitle})}
	e.carol = newClient(t, carol.APIKey, srv.URL())
	e.bot = &Bot{
		Client: newClient(t, me.APIKey, srv.URL()), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Interval: time.Second, Reply: defaultReply,
	}
	return e
}

func newClient(t *testing.T, key, baseURL string) *colony.Client {
	t.Helper()
	c, err := colony.NewClient(key, colony.WithBaseURL(baseURL),
		colony.WithRetry(colony.RetryPolicy{MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// stopAfterSleeps makes the bot's Sleep record each wait and cancel the run after n of them.
func (e *botEnv) stopAfterSleeps(ctx context.Context, n int) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	e.bot.Sleep = func(ctx context.Context, d time.Duration) error {
		e.waits = append(e.waits, d)
		if len(e.waits) >= n {
			cancel()
		}
		return ctx.Err()
	}
	return ctx
}

func (e *botEnv) comment(t *testing.T, postID, body, parentID string) *colony.Comment {
	t.Helper()
	c, err := e.carol.Comments.Create(context.Background(), postID, &colony.CommentCreateParams{Body: body, ParentID: parentID})
	require.NoError(t, err)
	return c
}

// replyKeys returns the Idempotency-Key of every comment created since the last
// ResetRequests (keys only: a request dump would print the bearer token).
func (e *botEnv) replyKeys() []string {
	var keys []string
	for _, r := range e.srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/comments") {
			keys = append(keys, r.Header.Get("Idempotency-Key"))
		}
	}
	return keys
}

func TestPollRepliesToCommentsAndMentions(t *testing.T) {
	e := newBotEnv(t)
	ctx := context.Background()
	comment := e.comment(t, e.postID, "Nice post", "")
	mention, err := e.carol.Posts.Create(ctx, &colony.PostCreateParams{Title: "Hi @" + botName, Body: "Hello"})
	require.NoError(t, err)
	e.srv.ResetRequests()

	handled, err := e.bot.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, handled)
	assert.Zero(t, e.srv.UnreadNotifications(botName), "every handled notification is marked read")

	// The comment got a threaded reply, the mention a top-level comment on carol's post.
	conv, err := e.bot.Client.Posts.Conversation(ctx, e.postID)
	require.NoError(t, err)
	require.Len(t, conv.Threads, 1)
	require.Len(t, conv.Threads[0].Replies, 1)
	assert.Equal(t, comment.ID, conv.Threads[0].ID)
	assert.Equal(t, "Thanks for the comment, carol!", conv.Threads[0].Replies[0].Body)

	onMention, err := e.bot.Client.Comments.All(ctx, mention.ID)
	require.NoError(t, err)
	require.Len(t, onMention, 1)
	assert.Nil(t, onMention[0].ParentID)
	assert.Equal(t, botName, onMention[0].Author.Username)

	// Each reply carries an Idempotency-Key derived from its notification.
	keys := e.replyKeys()
	require.Len(t, keys, 2)
	for _, k := range keys {
		assert.Regexp(t, `^bot-reply-[0-9a-f-]{36}$`, k)
	}

	// Nothing unread: the next poll does nothing.
	handled, err = e.bot.Poll(ctx)
	require.NoError(t, err)
	assert.Zero(t, handled)
}

func TestPollDoesNotAnswerRepliesToItsComments(t *testing.T) {
	e := newBotEnv(t)
	ctx := context.Background()
	carolsPost, err := e.carol.Posts.Create(ctx, &colony.PostCreateParams{Title: "Carol's post", Body: "Body"})
	require.NoError(t, err)
	botComment, err := e.bot.Client.Comments.Create(ctx, carolsPost.ID, &colony.CommentCreateParams{Body: "Bot here"})
	require.NoError(t, err)
	e.comment(t, carolsPost.ID, "Hello bot", botComment.ID) // a "reply" notification for the bot
	comments := e.srv.CommentCount()

	handled, err := e.bot.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, handled)
	assert.Equal(t, comments, e.srv.CommentCount(), "no answer to a reply")
	assert.Zero(t, e.srv.UnreadNotifications(botName))
}

// TestReplyIsNotDuplicatedWhenMarkReadFails: the reply is posted, marking the
// notification read fails, and the next poll answers the same notification again;
// the idempotency key makes the server return the first reply instead of a second.
func TestReplyIsNotDuplicatedWhenMarkReadFails(t *testing.T) {
	e := newBotEnv(t)
	ctx := context.Background()
	e.comment(t, e.postID, "Nice post", "")
	e.srv.Inject(colonytest.Fault{Method: http.MethodPost, Path: "/notifications/{id}/read", Times: 1,
		Status: http.StatusInternalServerError})
	comments := e.srv.CommentCount()
	e.srv.ResetRequests()

	_, err := e.bot.Poll(ctx)
	require.ErrorIs(t, err, colony.ErrServer)
	assert.Equal(t, comments+1, e.srv.CommentCount())
	assert.Equal(t, 1, e.srv.UnreadNotifications(botName), "the notification stays unread")

	var replies []*colony.Comment
	e.bot.OnReply = func(_ *colony.Notification, c *colony.Comment) { replies = append(replies, c) }
	handled, err := e.bot.Poll(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, handled)
	assert.Equal(t, comments+1, e.srv.CommentCount(), "the retried reply must not be posted twice")
	assert.Zero(t, e.srv.UnreadNotifications(botName))

	keys := e.replyKeys()
	require.Len(t, keys, 2)
	assert.Equal(t, keys[0], keys[1], "the second attempt reuses the first one's key")
	require.Len(t, replies, 1)
	_, ok := e.srv.Comment(replies[0].ID)
	assert.True(t, ok, "OnReply gets the reply the server kept")
}

func TestRunWaitsRetryAfterWhenRateLimited(t *testing.T) {
	e := newBotEnv(t)
	var logs bytes.Buffer
	e.bot.Log = slog.New(slog.NewTextHandler(&logs, nil))
	e.comment(t, e.postID, "Nice post", "")
	// Retry-After 42 s exceeds the client's 5 ms cap, so the client gives up at once
	// with a *RateLimitError and the bot has to wait.
	e.srv.Inject(colonytest.Fault{Method: http.MethodPost, Path: "/posts/{id}/comments", Times: 1,
		Status: http.StatusTooManyRequests, RetryAfter: "42"})
	ctx := e.stopAfterSleeps(context.Background(), 2)
	e.srv.ResetRequests()

	require.NoError(t, e.bot.Run(ctx))
	assert.Equal(t, []time.Duration{42 * time.Second, time.Second}, e.waits)
	assert.Contains(t, logs.String(), `msg="rate limited, backing off" wait=42s`)
	assert.Zero(t, e.srv.UnreadNotifications(botName), "answered after the wait")
	assert.Len(t, e.replyKeys(), 2, "one rate-limited attempt, one success")
}

func TestRunBacksOffExponentiallyOnFailures(t *testing.T) {
	e := newBotEnv(t)
	e.srv.Inject(colonytest.Fault{Method: http.MethodGet, Path: "/notifications", Times: 3,
		Status: http.StatusInternalServerError})
	ctx := e.stopAfterSleeps(context.Background(), 4)

	require.NoError(t, e.bot.Run(ctx))
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, time.Second}, e.waits,
		"doubling waits while failing, back to the interval after a success")
}

func TestRunStopsOnRejectedKey(t *testing.T) {
	e := newBotEnv(t)
	e.srv.Inject(colonytest.Fault{Method: http.MethodGet, Path: "/notifications", Status: http.StatusUnauthorized})
	ctx := e.stopAfterSleeps(context.Background(), 10)

	err := e.bot.Run(ctx)
	require.ErrorIs(t, err, colony.ErrUnauthorized)
	assert.Empty(t, e.waits, "waiting cannot fix a rejected key")
}

func TestRunReturnsNilWhenCancelled(t *testing.T) {
	e := newBotEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, e.bot.Run(ctx))
}

func TestRunRefusesZeroInterval(t *testing.T) {
	e := newBotEnv(t)
	e.bot.Interval = 0
	require.ErrorContains(t, e.bot.Run(context.Background()), "Interval must be positive")
	assert.Empty(t, e.srv.Requests(), "nothing is sent")
}
