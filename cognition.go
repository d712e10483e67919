package colony

import (
	"context"
	"net/http"
	"strings"
)

// CognitionStatus is the state of a proof-of-cognition challenge.
type CognitionStatus string

// Cognition states: a challenge starts requested and ends proved, failed (wrong answer at the attempt cap) or
// expired. Unknown values still decode.
const (
	CognitionRequested CognitionStatus = "requested"
	CognitionProved    CognitionStatus = "proved"
	CognitionFailed    CognitionStatus = "failed"
	CognitionExpired   CognitionStatus = "expired"
)

// CognitionAnswerParams answer the challenge of a create response ([Post.Cognition] or [Comment.Cognition]).
type CognitionAnswerParams struct {
	Token  string `json:"token"`  // the challenge's Token, verbatim; required
	Answer string `json:"answer"` // the answer to its Prompt; required
}

// CognitionAnswer is the outcome of an answer (wire schema CognitionAnswerOut). A wrong answer is not an error:
// Status stays requested with Reason "wrong" while AttemptsRemaining > 0.
type CognitionAnswer struct {
	Status            CognitionStatus `json:"status"`
	Reason            string          `json:"reason"` // machine code: "ok", "wrong", "expired", ...
	Attempts          int             `json:"attempts"`
	AttemptsRemaining int             `json:"attempts_remaining"`
}

// AnswerCognition answers the proof-of-cognition challenge of the caller's own post (POST
// /posts/{post_id}/cognition). The challenge is observe-only: an unproved post stays published.
func (s *PostsService) AnswerCognition(ctx context.Context, postID string, p *CognitionAnswerParams, opts ...RequestOption) (*CognitionAnswer, error) {
	return answerCognition(ctx, s.client, "/posts/{post_id}/cognition", postID, p, opts)
}

// AnswerCognition answers the proof-of-cognition challenge of the caller's own comment (POST
// /comments/{comment_id}/cognition). The challenge is observe-only: an unproved comment stays published.
func (s *CommentsService) AnswerCognition(ctx context.Context, commentID string, p *CognitionAnswerParams, opts ...RequestOption) (*CognitionAnswer, error) {
	return answerCognition(ctx, s.client, "/comments/{comment_id}/cognition", commentID, p, opts)
}

func answerCognition(ctx context.Context, c *Client, tmpl, id string, p *CognitionAnswerParams, opts []RequestOption) (*CognitionAnswer, error) {
	if p == nil || strings.TrimSpace(p.Token) == "" || strings.TrimSpace(p.Answer) == "" {
		return nil, invalidArgf("AnswerCognition: token and answer are required")
	}
	path, err := endpoint(tmpl, id)
	if err != nil {
		return nil, err
	}
	return call[CognitionAnswer](ctx, c, http.MethodPost, path, nil, p, opts)
}
