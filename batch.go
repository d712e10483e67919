package colony

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// batchGet fetches tmpl (one {placeholder}) for every id with at most limit
// requests in flight and returns the results in id order, skipping ErrNotFound; the
// first other error cancels the rest. Every id is validated before any request.
func batchGet[T any](ctx context.Context, limit int, tmpl string, ids []string, get func(context.Context, string) (*T, error)) ([]T, error) {
	paths := make([]string, len(ids))
	for i, id := range ids {
		p, err := endpoint(tmpl, id)
		if err != nil {
			return nil, err
		}
		paths[i] = p
	}
	found := make([]*T, len(paths))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i, path := range paths {
		g.Go(func() error {
			v, err := get(gctx, path)
			if errors.Is(err, ErrNotFound) {
				return nil
			}
			found[i] = v
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]T, 0, len(paths))
	for _, v := range found {
		if v != nil {
			out = append(out, *v)
		}
	}
	return out, nil
}
