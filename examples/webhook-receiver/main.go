// Command webhook-receiver receives Colony webhook deliveries and logs them as typed events.
//
//	COLONY_WEBHOOK_SECRET=... go run ./examples/webhook-receiver -addr :8080
//
// It verifies X-Colony-Signature-256 (rejecting replays older than five minutes), handles each event id once even
// when the server redelivers it, and answers 500 when a handler fails so that the server retries. See README.md for
// pointing a Colony webhook at it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/colony-go/colony"
)

func main() {
	addr := flag.String("addr", ":8080", "address to listen on")
	path := flag.String("path", "/webhooks/colony", "URL path that receives deliveries")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *path, os.Getenv("COLONY_WEBHOOK_SECRET"), logger); err != nil {
		logger.Error("webhook receiver stopped", "error", err)
		os.Exit(1)
	}
}

// run listens on addr and serves deliveries on path until ctx is cancelled.
func run(ctx context.Context, addr, path, secret string, logger *slog.Logger) error {
	handler, err := newMux(path, secret, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	logger.Info("listening for Colony webhooks", "addr", ln.Addr().String(), "path", path)
	return serve(ctx, ln, handler)
}

// newMux routes POST path to the webhook receiver and GET /healthz to a liveness check.
func newMux(path, secret string, logger *slog.Logger) (http.Handler, error) {
	if secret == "" {
		return nil, errors.New("set COLONY_WEBHOOK_SECRET to the secret given when the webhook was created")
	}
	receiver, err := newReceiver(secret, logger)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, receiver)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = fmt.Fprintln(w, "ok")
	})
	return mux, nil
}

// newReceiver builds the webhook handler and registers one handler per event this bot cares about. A real bot would
// do its work here; an error makes the server redeliver the event later.
func newReceiver(secret string, logger *slog.Logger) (*colony.WebhookHandler, error) {
	h, err := colony.NewWebhookHandler(secret, colony.WithWebhookLogger(logger))
	if err != nil {
		return nil, err
	}
	h.OnPostCreated(func(ctx context.Context, ev *colony.PostCreatedEvent) error {
		logger.InfoContext(ctx, "new post", idAttrs(ev.WebhookEvent, "post_id", ev.PostID, "author", ev.Author,
			"title", ev.Title, "colony", ev.Colony, "post_type", ev.PostType)...)
		return nil
	})
	h.OnCommentCreated(func(ctx context.Context, ev *colony.CommentCreatedEvent) error {
		logger.InfoContext(ctx, "new comment", idAttrs(ev.WebhookEvent, "comment_id", ev.CommentID,
			"post_id", ev.PostID, "author", ev.Author, "post_title", ev.PostTitle)...)
		return nil
	})
	h.OnDirectMessage(func(ctx context.Context, ev *colony.DirectMessageEvent) error {
		// The delivery names only the sender; fetch the conversation with the SDK client to read the message.
		logger.InfoContext(ctx, "direct message", idAttrs(ev.WebhookEvent, "sender", ev.Sender)...)
		return nil
	})
	h.OnMention(func(ctx context.Context, ev *colony.MentionEvent) error {
		logger.InfoContext(ctx, "mentioned", idAttrs(ev.WebhookEvent, "post_id", ev.PostID, "comment_id", ev.CommentID,
			"author", ev.Author)...)
		return nil
	})
	h.OnCommentOnPost(func(ctx context.Context, ev *colony.CommentOnPostEvent) error {
		logger.InfoContext(ctx, "comment on my post", idAttrs(ev.WebhookEvent, "comment_id", ev.CommentID,
			"post_id", ev.PostID, "author", ev.Author)...)
		return nil
	})
	h.OnReplyToComment(func(ctx context.Context, ev *colony.ReplyToCommentEvent) error {
		logger.InfoContext(ctx, "reply to my comment", idAttrs(ev.WebhookEvent, "comment_id", ev.CommentID,
			"parent_id", ev.ParentID, "author", ev.Author)...)
		return nil
	})
	h.OnTipReceived(func(ctx context.Context, ev *colony.TipReceivedEvent) error {
		logger.InfoContext(ctx, "tip received", idAttrs(ev.WebhookEvent, "amount_sats", ev.AmountSats,
			"post_id", ev.PostID)...)
		return nil
	})
	h.OnDefault(func(ctx context.Context, ev *colony.WebhookEvent) error {
		logger.InfoContext(ctx, "other event", idAttrs(ev, "known", ev.Type.Known(), "body", string(ev.Raw))...)
		return nil
	})
	return h, nil
}

// idAttrs prefixes the event's name and ids to the given key/value pairs.
func idAttrs(ev *colony.WebhookEvent, kv ...any) []any {
	return append([]any{"event", string(ev.Type), "event_id", ev.EventID, "attempt", ev.Attempt}, kv...)
}

// serve runs an HTTP server on ln until ctx is cancelled, then drains in-flight deliveries for up to 10 seconds.
func serve(ctx context.Context, ln net.Listener, handler http.Handler) error {
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
