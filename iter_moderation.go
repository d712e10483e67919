package colony

import (
	"context"
	"iter"
)

// once ranges over the items of one call to an unpaged list (a bare array or an
// envelope like {"rules": [...]}): every range makes exactly one request.
func once[T any](ctx context.Context, fetch func(ctx context.Context) ([]T, error)) iter.Seq2[*T, error] {
	return single(fetch).all(ctx)
}

// arrayPage wraps one page of a bare-array list whose server says neither total nor
// has_more, so offsetIter stops on a short or empty page.
func arrayPage[T any](items []T, err error) (*ListResponse[T], error) {
	if err != nil {
		return nil, err
	}
	return &ListResponse[T]{Items: items}, nil
}
