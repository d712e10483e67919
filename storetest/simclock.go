package storetest

import (
	"context"
	"sync"
	"time"
)

// SimClock lets a rate limiter's Sleep run on a fake server clock without distorting it: a sleeping worker waits
// until every worker is either asleep or done, then the clock jumps to the earliest wake-up time. So the clock
// never moves while a request is in flight, as with a real clock and a fast network. It is safe for concurrent use.
type SimClock struct {
	now     func() time.Time
	advance func(time.Duration)

	mu      sync.Mutex
	running int
	waiters []simWaiter
}

type simWaiter struct {
	at   time.Time
	wake chan struct{}
}

// NewSimClock returns a [SimClock] for workers goroutines over a clock read by now and moved by advance (for
// example colonytest.Server.Now and Advance). Every worker must call Done when it stops.
func NewSimClock(workers int, now func() time.Time, advance func(time.Duration)) *SimClock {
	return &SimClock{now: now, advance: advance, running: workers}
}

// Sleep is a rate limiter's Sleep: it returns once the clock has reached now+d, or with ctx's error if ctx ends
// first (the worker then counts as running again).
func (c *SimClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	w := simWaiter{at: c.now().Add(d), wake: make(chan struct{})}
	c.waiters = append(c.waiters, w)
	c.running--
	c.step()
	c.mu.Unlock()
	select {
	case <-w.wake:
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, o := range c.waiters {
			if o.wake == w.wake {
				c.waiters = append(c.waiters[:i], c.waiters[i+1:]...)
				c.running++
				return ctx.Err()
			}
		}
		return nil // woken meanwhile
	}
}

// Leave records that a worker has stopped for good.
func (c *SimClock) Leave() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.running--
	c.step()
}

// step advances the clock to the earliest wake-up and wakes the due workers, once no worker is running.
func (c *SimClock) step() {
	if c.running > 0 || len(c.waiters) == 0 {
		return
	}
	earliest := c.waiters[0].at
	for _, w := range c.waiters[1:] {
		if w.at.Before(earliest) {
			earliest = w.at
		}
	}
	if d := earliest.Sub(c.now()); d > 0 {
		c.advance(d)
	}
	now := c.now()
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(now) {
			kept = append(kept, w)
			continue
		}
		close(w.wake)
		c.running++
	}
	c.waiters = kept
}
