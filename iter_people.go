package colony

import (
	"context"
	"iter"
)

// arrayOffsetIter walks an offset-paginated list whose pages are bare JSON arrays
// (no total, no has_more): the walk ends on a short or empty page, and a repeated
// page ends it with ErrPageStalled.
func arrayOffsetIter[T any](ctx context.Context, start, size, max int, key func(*T) string,
	list func(ctx context.Context, offset int) ([]T, error)) iter.Seq2[*T, error] {
	return offsetIter(ctx, start, size, max, key, func(ctx context.Context, offset int) (*ListResponse[T], error) {
		items, err := list(ctx, offset)
		if err != nil {
			return nil, err
		}
		return &ListResponse[T]{Items: items}, nil
	})
}
