package colony

import (
	"context"
	"errors"
	"hash/fnv"
	"io"
	"iter"
)

// ErrPageStalled is yielded when the server returns a page the walk has already
// seen (the same page twice in a row, or a cycle of pages), which would otherwise
// make an iterator loop forever.
var ErrPageStalled = errors.New("colony: pagination stalled: the server repeated a page")

// page is one fetched page, normalised from whichever envelope the endpoint uses.
type page[T any] struct {
	items   []T
	hasMore *bool // nil when the server did not say
	total   int   // -1 when unknown
}

// pageOf normalises a {items, total, has_more} envelope.
func pageOf[T any](l *ListResponse[T]) page[T] {
	total := l.Total
	if total == 0 && len(l.Items) > 0 {
		total = -1 // absent: a page with items cannot belong to an empty list
	}
	return page[T]{items: l.Items, hasMore: l.HasMore, total: total}
}

// pager describes how to walk one paginated endpoint.
type pager[T any] struct {
	// fetch returns page number n (0-based; the endpoint maps it to an offset or page).
	fetch func(ctx context.Context, n int) (page[T], error)
	// size is the page size requested, used to detect the last (short) page.
	size int
	// max stops after this many items (0 = no limit).
	max int
	// before counts the items that precede the first page (a start offset), so that
	// a known total is compared with the position reached, not the items yielded.
	before int
	// key identifies an item, to detect a repeated page; nil disables the check.
	key func(*T) string
}

// all returns a lazy iterator over every item of the pager. It makes no request
// until ranged; each range starts again from the first page; breaking out of the
// loop stops fetching; an error is yielded once and ends the iteration. It stops on
// has_more=false when the server sends it, else on a short or empty page, and never
// asks for a page past a known total or past max.
func (p pager[T]) all(ctx context.Context) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		var pages pageSet
		seen := 0
		for n := 0; ; n++ {
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			pg, err := p.fetch(ctx, n)
			if err != nil {
				yield(nil, err)
				return
			}
			if p.key != nil && len(pg.items) > 0 && !pages.add(pageFingerprint(pg.items, p.key)) {
				yield(nil, ErrPageStalled)
				return
			}
			for i := range pg.items {
				if !yield(&pg.items[i], nil) {
					return
				}
				seen++
				if p.max > 0 && seen >= p.max {
					return
				}
			}
			if !p.more(pg, seen) {
				return
			}
		}
	}
}

// pageFingerprint hashes the keys of a page's items, in order.
func pageFingerprint[T any](items []T, key func(*T) string) uint64 {
	h := fnv.New64a()
	for i := range items {
		_, _ = io.WriteString(h, key(&items[i]))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// maxPageFingerprints bounds the memory a walk spends on detecting repeated pages:
// 8 bytes a page, for the first 100,000 pages.
const maxPageFingerprints = 100_000

// pageSet remembers the pages a walk has seen, so that a server cycling through
// pages (A, B, A, B ...) ends the walk instead of looping forever.
type pageSet map[uint64]struct{}

// add records fp and reports whether it is new.
func (s *pageSet) add(fp uint64) bool {
	if *s == nil {
		*s = make(pageSet)
	}
	if _, dup := (*s)[fp]; dup {
		return false
	}
	if len(*s) < maxPageFingerprints {
		(*s)[fp] = struct{}{}
	}
	return true
}

// more decides whether another page may exist after pg.
func (p pager[T]) more(pg page[T], seen int) bool {
	switch {
	case len(pg.items) == 0:
		return false
	case pg.hasMore != nil:
		return *pg.hasMore
	case pg.total >= 0 && p.before+seen >= pg.total:
		return false
	default:
		return len(pg.items) >= p.size
	}
}

// single turns a one-shot list (a bare JSON array endpoint) into an iterator.
func single[T any](fetch func(ctx context.Context) ([]T, error)) pager[T] {
	return pager[T]{fetch: func(ctx context.Context, _ int) (page[T], error) {
		items, err := fetch(ctx)
		return page[T]{items: items, hasMore: new(bool), total: -1}, err
	}}
}

// listOnce ranges over the items of one call to a bare-array endpoint with a copy
// of its params: every range makes exactly one request.
func listOnce[P, T any](ctx context.Context, p *P, list func(context.Context, *P) ([]T, error)) iter.Seq2[*T, error] {
	var params P
	if p != nil {
		params = *p
	}
	return single(func(ctx context.Context) ([]T, error) { return list(ctx, &params) }).all(ctx)
}

// collect drains an iterator into a slice, stopping at the first error.
func collect[T any](seq iter.Seq2[*T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// offsetIter walks an offset-paginated list from start, size items per page; list
// fetches the page at an offset. A repeated page ends the walk with ErrPageStalled.
func offsetIter[T any](ctx context.Context, start, size, max int, key func(*T) string,
	list func(ctx context.Context, offset int) (*ListResponse[T], error)) iter.Seq2[*T, error] {
	p := pager[T]{
		fetch: func(ctx context.Context, n int) (page[T], error) {
			l, err := list(ctx, start+n*size)
			if err != nil {
				return page[T]{}, err
			}
			return pageOf(l), nil
		},
		size:   size,
		max:    max,
		before: start,
		key:    key,
	}
	return p.all(ctx)
}

// errSeq is an iterator that yields err once, for arguments rejected before any request.
func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}

// pageIter walks a page-numbered list (page=1, 2, ...) from page first, size
// items per page; list fetches page number n. A repeated page ends the walk with
// ErrPageStalled.
func pageIter[T any](ctx context.Context, first, size, max int, key func(*T) string,
	list func(ctx context.Context, page int) (*ListResponse[T], error)) iter.Seq2[*T, error] {
	p := pager[T]{
		fetch: func(ctx context.Context, n int) (page[T], error) {
			l, err := list(ctx, first+n)
			if err != nil {
				return page[T]{}, err
			}
			return pageOf(l), nil
		},
		size:   size,
		max:    max,
		before: (first - 1) * size,
		key:    key,
	}
	return p.all(ctx)
}

// cursorPage is one page of a cursor-paginated list: its items and the cursor of
// the next page ("" when the server sent none, which ends the walk).
type cursorPage[T any] struct {
	Items      []T
	NextCursor string
	HasMore    *bool
}

// cursorIter walks a cursor-paginated list: list fetches the page after cursor
// ("" for the first). The walk ends on an empty page, a missing next cursor or
// has_more=false; a cursor the server already sent, or a repeated page, ends it
// with ErrPageStalled. Each range starts again from the first page.
func cursorIter[T any](ctx context.Context, max int, key func(*T) string,
	list func(ctx context.Context, cursor string) (*cursorPage[T], error)) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		cursor := ""
		seenCursors := map[string]bool{}
		p := pager[T]{
			fetch: func(ctx context.Context, _ int) (page[T], error) {
				l, err := list(ctx, cursor)
				if err != nil {
					return page[T]{}, err
				}
				more := l.NextCursor != "" && (l.HasMore == nil || *l.HasMore)
				if more && seenCursors[l.NextCursor] {
					return page[T]{}, ErrPageStalled
				}
				seenCursors[l.NextCursor] = true
				cursor = l.NextCursor
				return page[T]{items: l.Items, hasMore: &more, total: -1}, nil
			},
			max: max,
			key: key,
		}
		p.all(ctx)(yield)
	}
}

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
