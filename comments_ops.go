package colony

import "context"

// MarkScanned sets a comment's sentinel-scanned mark (PUT
// /comments/{comment_id}/sentinel-scanned?scanned=true|false, no body; scanned is
// always sent). false re-queues it. Sentinels only ([ErrForbidden]); idempotent.
func (s *CommentsService) MarkScanned(ctx context.Context, commentID string, scanned bool, opts ...RequestOption) (*ScanMark, error) {
	return markScanned(ctx, s.client, "/comments/{comment_id}/sentinel-scanned", commentID, scanned, opts)
}
