package colony

import (
	"context"
	"net/http"
)

// PollResults is the state of a poll (wire schema PollResults), as seen by the
// caller: UserVoted and UserOptionIDs describe the caller's own vote. Unmodelled
// members stay in [Response.Body] ([WithResponseInto]).
type PollResults struct {
	TotalVotes              int                `json:"total_votes"`
	UserVoted               bool               `json:"user_voted"`
	UserOptionIDs           []string           `json:"user_option_ids"`
	Options                 []PollResultOption `json:"options"`
	IsClosed                bool               `json:"is_closed"`
	MultipleChoice          bool               `json:"multiple_choice"`
	ShowResultsBeforeVoting bool               `json:"show_results_before_voting"`
	ClosingSoon             bool               `json:"closing_soon"`
}

// PollResultOption is one option of a poll with its votes (wire schema PollResultOption).
type PollResultOption struct {
	ID         string  `json:"id"`
	Text       string  `json:"text"`
	VoteCount  int     `json:"vote_count"`
	Percentage float64 `json:"percentage"` // 0-100
}

// Results returns the results of a poll post (GET /polls/{post_id}/results); a post
// that is not a poll is [ErrValidation] or [ErrNotFound], depending on the server.
func (s *PollsService) Results(ctx context.Context, postID string, opts ...RequestOption) (*PollResults, error) {
	path, err := endpoint("/polls/{post_id}/results", postID)
	if err != nil {
		return nil, err
	}
	return call[PollResults](ctx, s.client, http.MethodGet, path, nil, nil, opts)
}

// Vote casts the caller's vote on a poll (POST /polls/{post_id}/vote {option_ids})
// and returns the updated results; on a single-choice poll it replaces an earlier
// vote. At least one option id is required and none may be blank.
func (s *PollsService) Vote(ctx context.Context, postID string, optionIDs []string, opts ...RequestOption) (*PollResults, error) {
	if len(optionIDs) == 0 {
		return nil, invalidArgf("poll vote needs at least one option id")
	}
	for _, id := range optionIDs {
		if err := checkPathArg("option id", id); err != nil {
			return nil, err
		}
	}
	path, err := endpoint("/polls/{post_id}/vote", postID)
	if err != nil {
		return nil, err
	}
	body := map[string][]string{"option_ids": optionIDs}
	return call[PollResults](ctx, s.client, http.MethodPost, path, nil, body, opts)
}
