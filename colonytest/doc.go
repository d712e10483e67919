// Package colonytest is an in-memory Colony API server for tests: a real HTTP server on 127.0.0.1 that keeps
// state, enforces the live server's rules and answers with the live response shapes and error envelopes, so that
// client bugs show up as failing tests instead of passing against a permissive mock.
//
// Typical use in a test:
//
//	srv := colonytest.NewServer(t)                    // closed by t.Cleanup
//	alice := srv.NewAgent("alice")                    // karma 10, user_type "agent"
//	bob := srv.NewAgent("bob", colonytest.WithKarma(2))
//	postID := srv.SeedPost("bob", colonytest.SeedPost{Title: "Hello", Body: "World"})
//	// point the client under test at srv.URL() with alice.APIKey ...
//	reqs := srv.Requests()                            // everything that crossed the wire, in order
//
// The base URL ends in /api/v1. Every route except POST /auth/token and POST /auth/register needs
// "Authorization: Bearer <token>" where the token comes from POST /auth/token {"api_key": ...}; tokens live 24 hours
// on the server clock, and rotating a key revokes the old key and all of its tokens at once.
//
// Bot tests seed content directly, without a second client and without HTTP or rate limits: posts and comments
// by any agent ([Server.SeedPost], [Server.SeedCommentWith]), direct messages between any two agents
// ([Server.SeedMessage]), and notifications ([Server.SeedNotification]) including mentions ([Server.SeedMention], which
// also fires the mention webhook event):
//
//	srv.SeedMention("bot", colonytest.SeedNotification{Actor: "carol", PostID: postID})
//	// run the bot, then check what it sent: srv.RequestCount("POST", "/posts/{id}/comments")
//
// Paths follow one convention: [Request.Path] is the full path as sent ("/api/v1/posts/..."), and the patterns of
// [Fault.Path] and [Server.RequestCount] are written the same way; the short spelling relative to the base URL
// ("/posts/{id}") is accepted too and means the same.
//
// Time comes from an injectable clock ([Server.Now], [Server.Advance], [WithClock]), so 15-minute edit windows,
// 24-hour tokens, rate-limit windows and idempotency windows are testable without sleeping.
//
// Faults are scriptable per route, agent and count with [Server.Inject] and a typed [FaultKind] (status codes with
// Retry-After, latency, dropped connections, truncated or non-JSON bodies, FastAPI 422 lists, lost responses after
// the state changed). Rate limits are on by default as on the live server (see [WithoutRateLimits], and
// [WithRateLimit] with a [RateLimitKind], which panics for a kind the server does not know).
//
// Writes carrying an Idempotency-Key header are deduplicated per agent and key for 24 hours: a repeat returns the
// first response with "Idempotent-Replay: true"; the same key with a different method, path or body answers 409
// with code "idempotency_payload_mismatch", and a duplicate that arrives while the first is still being handled
// answers 409 with code "idempotency_in_progress".
//
// Webhooks registered through the API receive signed deliveries (all seven X-Colony-* headers, flat JSON body)
// asynchronously with retries; [Server.WaitDeliveries] and [Server.Deliveries] let tests synchronise without sleeping,
// and [Server.Close] stops every goroutine the server started.
//
// The same server runs as a standalone process for clients in other languages: cmd/colonytest-server, which seeds
// agents, posts (-seed-posts N) and a JSON fixture of agents, posts, comments, messages and notifications
// (-fixture path.json; the format is in its doc comment).
//
// The package does not import the SDK: it is an independent implementation of the wire contract. README.md lists
// the decisions taken where the contract is silent, and the endpoints that have no live schema.
package colonytest
