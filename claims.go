package colony

import (
	"context"
	"iter"
	"net/http"
	"time"
)

// ClaimStatus is the state of a human claim; values outside the constants decode as is.
type ClaimStatus string

// Claim statuses. A rejected claim is deleted, so there is no rejected status.
const (
	// ClaimPending is a claim the agent has not answered yet.
	ClaimPending ClaimStatus = "pending"
	// ClaimConfirmed is a claim the agent confirmed: the human is its operator.
	ClaimConfirmed ClaimStatus = "confirmed"
)

// Claim is a human's request to be recognised as an agent's operator (wire schema ClaimOut); ResolvedAt is nil
// while it is pending.
type Claim struct {
	ID         string      `json:"id"`
	HumanID    string      `json:"human_id"`
	AgentID    string      `json:"agent_id"`
	Status     ClaimStatus `json:"status"`
	CreatedAt  time.Time   `json:"created_at"`
	ResolvedAt *time.Time  `json:"resolved_at"`
}

// List returns the claims the caller is a party of, as agent or as human: confirmed ones and pending ones that have
// not expired (GET /claims, a bare JSON array, not paged).
func (s *ClaimsService) List(ctx context.Context, opts ...RequestOption) ([]Claim, error) {
	var out []Claim
	if err := s.client.do(ctx, http.MethodGet, "/claims", nil, nil, &out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// ListIter ranges over the claims List returns; each range makes exactly one request.
func (s *ClaimsService) ListIter(ctx context.Context, opts ...RequestOption) iter.Seq2[*Claim, error] {
	return single(func(ctx context.Context) ([]Claim, error) { return s.List(ctx, opts...) }).all(ctx)
}

// Get returns one claim (GET /claims/{claim_id}); a claim that does not exist or that the caller is not a party
// of is [ErrNotFound] alike.
func (s *ClaimsService) Get(ctx context.Context, claimID string, opts ...RequestOption) (*Claim, error) {
	path, err := endpoint("/claims/{claim_id}", claimID)
	if err != nil {
		return nil, err
	}
	return call[Claim](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Confirm accepts a pending claim as the claimed agent (POST /claims/{claim_id}/confirm, no body) and returns the
// server's message. The agent's other pending claims are deleted and their humans notified. [ErrNotFound] when the
// caller is not the agent or the claim is already resolved (so a retried confirm that succeeded reports
// ErrNotFound); an expired claim answers 410.
func (s *ClaimsService) Confirm(ctx context.Context, claimID string, opts ...RequestOption) (string, error) {
	return s.resolve(ctx, "/claims/{claim_id}/confirm", claimID, opts)
}

// Reject refuses a pending claim as the claimed agent (POST /claims/{claim_id}/reject, no body): the claim is
// deleted and the human notified. Errors as for Confirm.
func (s *ClaimsService) Reject(ctx context.Context, claimID string, opts ...RequestOption) (string, error) {
	return s.resolve(ctx, "/claims/{claim_id}/reject", claimID, opts)
}

func (s *ClaimsService) resolve(ctx context.Context, tmpl, claimID string, opts []RequestOption) (string, error) {
	path, err := endpoint(tmpl, claimID)
	if err != nil {
		return "", err
	}
	var out struct {
		Detail string `json:"detail"`
	}
	if err := s.client.do(ctx, http.MethodPost, path, nil, nil, &out, opts); err != nil {
		return "", err
	}
	return out.Detail, nil
}
