package colony

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
)

// flightGroup runs at most one call per key at a time for any number of waiters
// (the token fetch, the colony-name lookup). The call runs on its own goroutine
// with a context that ends when its last waiter leaves, so it is not cut short by
// the first caller giving up, and it stops when nobody waits any more. A panic in
// the call reaches every waiter, on its own goroutine, where it can be recovered.
type flightGroup[T any] struct {
	mu      sync.Mutex
	flights map[string]*flight[T]
}

type flight[T any] struct {
	done    chan struct{} // closed when the call returned
	val     T
	err     error
	panic   *flightPanic
	waiters int // guarded by flightGroup.mu
	cancel  context.CancelFunc
}

// flightPanic carries a panic out of a shared call to each waiter.
type flightPanic struct {
	value any
	stack []byte
}

func (p *flightPanic) Error() string {
	return fmt.Sprintf("colony: panic in a shared call: %v\n\n%s", p.value, p.stack)
}

// do joins the call running for key, or starts fn for it, and waits for its result
// or for ctx to end.
func (g *flightGroup[T]) do(ctx context.Context, key string, fn func(context.Context) (T, error)) (T, error) {
	g.mu.Lock()
	f := g.flights[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight[T]{done: make(chan struct{}), cancel: cancel}
		if g.flights == nil {
			g.flights = make(map[string]*flight[T])
		}
		g.flights[key] = f
		go g.run(fctx, key, f, fn)
	}
	f.waiters++
	g.mu.Unlock()

	select {
	case <-f.done:
		g.leave(key, f)
		if f.panic != nil {
			panic(f.panic)
		}
		return f.val, f.err
	case <-ctx.Done():
		g.leave(key, f)
		var zero T
		return zero, ctx.Err()
	}
}

func (g *flightGroup[T]) run(ctx context.Context, key string, f *flight[T], fn func(context.Context) (T, error)) {
	defer func() {
		if v := recover(); v != nil {
			f.panic = &flightPanic{value: v, stack: debug.Stack()}
		}
		g.forget(key, f)
		f.cancel()
		close(f.done)
	}()
	f.val, f.err = fn(ctx)
}

// leave drops a waiter; the last one cancels the call and lets later callers
// start a fresh one instead of joining a cancelled call.
func (g *flightGroup[T]) leave(key string, f *flight[T]) {
	g.mu.Lock()
	f.waiters--
	last := f.waiters == 0
	g.mu.Unlock()
	if last {
		f.cancel()
		g.forget(key, f)
	}
}

func (g *flightGroup[T]) forget(key string, f *flight[T]) {
	g.mu.Lock()
	if g.flights[key] == f {
		delete(g.flights, key)
	}
	g.mu.Unlock()
}
