// Package storetest is a conformance suite for implementations of [colony.TokenStore], [colony.TokenLocker] and
// [colony.WebhookDedupStore]. Call its functions from a test of your own store:
//
//	func TestMyStore(t *testing.T) {
//		storetest.TestWebhookDedupStore(t, func(t *testing.T) colony.WebhookDedupStore { return newMyStore(t) })
//	}
//
// Expiry is checked with short real lease times (tens of milliseconds), polled until they pass, so a store must
// honour sub-second durations. Ids and keys are random per run, so stores sharing one backend do not collide.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/colony-go/colony"
)

// Timing used by the suite: how long a short lease lives, and how long the suite waits for it to expire.
const (
	shortTTL   = 50 * time.Millisecond
	expiryWait = 10 * time.Second
	goroutines = 32
)

// unique returns a random name with the given prefix, so runs against a shared backend never collide.
func unique(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}

// eventually polls cond every few milliseconds until it holds or expiryWait passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(expiryWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not true after %s", what, expiryWait)
		}
		time.Sleep(5 * time.Millisecond) // waiting for a real TTL to pass, not synchronising goroutines
	}
}

// TestTokenStore checks a [colony.TokenStore]: missing keys, round trips, replacement, deletion, independent keys
// and concurrent use. newStore is called once per subtest.
func TestTokenStore(t *testing.T, newStore func(t *testing.T) colony.TokenStore) {
	ctx := context.Background()
	expiry := time.Now().Add(23 * time.Hour).Truncate(time.Millisecond)

	t.Run("missing key", func(t *testing.T) {
		s := newStore(t)
		if _, ok, err := s.Get(ctx, unique("missing")); err != nil || ok {
			t.Fatalf("Get of a missing key = ok %v, err %v; want false, nil", ok, err)
		}
		if err := s.Delete(ctx, unique("missing")); err != nil {
			t.Fatalf("Delete of a missing key: %v", err)
		}
	})
	t.Run("set, get, replace, delete", func(t *testing.T) {
		s := newStore(t)
		key := unique("colony:tok")
		want := colony.Token{AccessToken: "tok-1", Expiry: expiry}
		mustSet(t, s, key, want)
		checkToken(t, s, key, want)
		want = colony.Token{AccessToken: "tok-2", Expiry: expiry.Add(time.Hour)}
		mustSet(t, s, key, want)
		checkToken(t, s, key, want)
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, ok, err := s.Get(ctx, key); err != nil || ok {
			t.Fatalf("Get after Delete = ok %v, err %v; want false, nil", ok, err)
		}
	})
	t.Run("keys are independent", func(t *testing.T) {
		s := newStore(t)
		a, b := unique("colony:a"), unique("colony:b")
		mustSet(t, s, a, colony.Token{AccessToken: "tok-a", Expiry: expiry})
		mustSet(t, s, b, colony.Token{AccessToken: "tok-b", Expiry: expiry})
		if err := s.Delete(ctx, a); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		checkToken(t, s, b, colony.Token{AccessToken: "tok-b", Expiry: expiry})
	})
	t.Run("concurrent use", func(t *testing.T) {
		s := newStore(t)
		key := unique("colony:busy")
		var wg sync.WaitGroup
		errs := make(chan error, 3*goroutines)
		for i := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.Set(ctx, key, colony.Token{AccessToken: "tok-" + string(rune('a'+i%26)), Expiry: expiry})
				_, _, err := s.Get(ctx, key)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent Set/Get: %v", err)
			}
		}
		if tok, ok, err := s.Get(ctx, key); err != nil || !ok || tok.AccessToken == "" {
			t.Fatalf("after concurrent writes Get = %+v, %v, %v; want one of the tokens", tok, ok, err)
		}
	})
}

func mustSet(t *testing.T, s colony.TokenStore, key string, tok colony.Token) {
	t.Helper()
	if err := s.Set(context.Background(), key, tok); err != nil {
		t.Fatalf("Set: %v", err)
	}
}

// checkToken requires key to hold want, with the expiry kept to the millisecond.
func checkToken(t *testing.T, s colony.TokenStore, key string, want colony.Token) {
	t.Helper()
	got, ok, err := s.Get(context.Background(), key)
	if err != nil || !ok {
		t.Fatalf("Get = ok %v, err %v; want the stored token", ok, err)
	}
	if got.AccessToken != want.AccessToken {
		t.Fatalf("Get returned access token %q, want %q", got.AccessToken, want.AccessToken)
	}
	if d := got.Expiry.Sub(want.Expiry); d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("Get returned expiry %s, want %s", got.Expiry, want.Expiry)
	}
}

// TestTokenLocker checks a [colony.TokenLocker]: one holder at a time, unlock, expiry, and that an unlock after the
// lock expired and went to someone else leaves the new holder's lock alone.
func TestTokenLocker(t *testing.T, newLocker func(t *testing.T) colony.TokenLocker) {
	ctx := context.Background()
	try := func(t *testing.T, l colony.TokenLocker, key string, ttl time.Duration) (func(context.Context) error, bool) {
		t.Helper()
		unlock, ok, err := l.TryLockToken(ctx, key, ttl)
		if err != nil {
			t.Fatalf("TryLockToken: %v", err)
		}
		if ok == (unlock == nil) {
			t.Fatalf("TryLockToken returned ok %v with unlock %v: an unlock func comes exactly with ok", ok, unlock != nil)
		}
		return unlock, ok
	}
	t.Run("one holder, unlock frees", func(t *testing.T) {
		l := newLocker(t)
		key := unique("colony:lock")
		unlock, ok := try(t, l, key, time.Minute)
		if !ok {
			t.Fatal("first TryLockToken was refused")
		}
		if _, ok := try(t, l, key, time.Minute); ok {
			t.Fatal("a second TryLockToken got a held lock")
		}
		if _, ok := try(t, l, unique("colony:other"), time.Minute); !ok {
			t.Fatal("a lock on another key was refused")
		}
		if err := unlock(ctx); err != nil {
			t.Fatalf("unlock: %v", err)
		}
		if err := unlock(ctx); err != nil {
			t.Fatalf("a second unlock must be harmless: %v", err)
		}
		if _, ok := try(t, l, key, time.Minute); !ok {
			t.Fatal("TryLockToken after unlock was refused")
		}
	})
	t.Run("exactly one winner", func(t *testing.T) {
		l := newLocker(t)
		key := unique("colony:race")
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, fails := 0, 0
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ok, err := l.TryLockToken(ctx, key, time.Minute)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					fails++
				case ok:
					wins++
				}
			}()
		}
		wg.Wait()
		if wins != 1 || fails != 0 {
			t.Fatalf("%d goroutines racing for one lock: %d won, %d failed; want 1 and 0", goroutines, wins, fails)
		}
	})
	t.Run("expires, and a stale unlock leaves the new holder alone", func(t *testing.T) {
		l := newLocker(t)
		key := unique("colony:expire")
		stale, ok := try(t, l, key, shortTTL)
		if !ok {
			t.Fatal("TryLockToken was refused")
		}
		var unlock func(context.Context) error
		eventually(t, "an expired lock can be taken again", func() bool {
			unlock, ok = try(t, l, key, time.Minute)
			return ok
		})
		_ = stale(ctx) // may report that the lock was lost; it must not free it
		if _, ok := try(t, l, key, time.Minute); ok {
			t.Fatal("the stale holder's unlock freed the new holder's lock")
		}
		if err := unlock(ctx); err != nil {
			t.Fatalf("unlock: %v", err)
		}
	})
}

// TestWebhookDedupStore checks a [colony.WebhookDedupStore]: claim outcomes, owner tokens, commit and release rules,
// lease and commit expiry, and that exactly one of many concurrent claims wins. newStore is called once per subtest.
func TestWebhookDedupStore(t *testing.T, newStore func(t *testing.T) colony.WebhookDedupStore) {
	ctx := context.Background()
	claim := func(t *testing.T, s colony.WebhookDedupStore, id string, lease time.Duration) (colony.WebhookClaim, string) {
		t.Helper()
		c, owner, err := s.Claim(ctx, id, lease)
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if (c == colony.WebhookClaimAcquired) == (owner == "") {
			t.Fatalf("Claim = %d with owner %q: an owner comes exactly with WebhookClaimAcquired", c, owner)
		}
		return c, owner
	}
	want := func(t *testing.T, s colony.WebhookDedupStore, id string, w colony.WebhookClaim, why string) string {
		t.Helper()
		c, owner := claim(t, s, id, time.Minute)
		if c != w {
			t.Fatalf("%s: Claim = %d, want %d", why, c, w)
		}
		return owner
	}
	lost := func(t *testing.T, err error, what string) {
		t.Helper()
		if !errors.Is(err, colony.ErrWebhookClaimLost) {
			t.Fatalf("%s: err = %v, want ErrWebhookClaimLost", what, err)
		}
	}

	t.Run("claim, in flight, commit, done", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		owner := want(t, s, id, colony.WebhookClaimAcquired, "first claim")
		want(t, s, id, colony.WebhookClaimInFlight, "claim while held")
		if err := s.Commit(ctx, id, owner, time.Hour); err != nil {
			t.Fatalf("Commit by the holder: %v", err)
		}
		want(t, s, id, colony.WebhookClaimDone, "claim after commit")
		lost(t, s.Release(ctx, id, owner), "Release after commit")
		lost(t, s.Commit(ctx, id, owner, time.Hour), "second Commit")
		want(t, s, id, colony.WebhookClaimDone, "a release leaves a commit alone")
	})
	t.Run("release frees, owners are new each time", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		first := want(t, s, id, colony.WebhookClaimAcquired, "first claim")
		if err := s.Release(ctx, id, first); err != nil {
			t.Fatalf("Release by the holder: %v", err)
		}
		second := want(t, s, id, colony.WebhookClaimAcquired, "claim after release")
		if second == first {
			t.Fatalf("two claims got the same owner token %q", first)
		}
		if err := s.Release(ctx, unique("never-claimed"), first); err != nil {
			t.Fatalf("Release of a free id: %v", err)
		}
	})
	t.Run("only the holder commits or releases", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		owner := want(t, s, id, colony.WebhookClaimAcquired, "first claim")
		lost(t, s.Release(ctx, id, "not-"+owner), "Release by another owner")
		lost(t, s.Release(ctx, id, ""), "Release with no owner")
		lost(t, s.Commit(ctx, id, "not-"+owner, time.Hour), "Commit by another owner")
		want(t, s, id, colony.WebhookClaimInFlight, "the claim survives foreign commits and releases")
		if err := s.Commit(ctx, id, owner, time.Hour); err != nil {
			t.Fatalf("Commit by the holder: %v", err)
		}
	})
	t.Run("an expired lease goes to the next claim, not back to its old owner", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		c, stale := claim(t, s, id, shortTTL)
		if c != colony.WebhookClaimAcquired {
			t.Fatalf("Claim = %d, want acquired", c)
		}
		var next string
		eventually(t, "an expired lease can be claimed again", func() bool {
			c, next = claim(t, s, id, time.Minute)
			return c == colony.WebhookClaimAcquired
		})
		lost(t, s.Release(ctx, id, stale), "Release by the expired owner")
		lost(t, s.Commit(ctx, id, stale, time.Hour), "Commit by the expired owner")
		want(t, s, id, colony.WebhookClaimInFlight, "the new claim survives the old owner")
		if err := s.Commit(ctx, id, next, time.Hour); err != nil {
			t.Fatalf("Commit by the new holder: %v", err)
		}
		want(t, s, id, colony.WebhookClaimDone, "committed by the new holder")
	})
	t.Run("an expired owner may still commit a free id", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		c, owner := claim(t, s, id, shortTTL)
		if c != colony.WebhookClaimAcquired {
			t.Fatalf("Claim = %d, want acquired", c)
		}
		other := unique("evt")
		if c, _ := claim(t, s, other, shortTTL); c != colony.WebhookClaimAcquired {
			t.Fatalf("Claim = %d, want acquired", c)
		}
		eventually(t, "the lease expires", func() bool {
			c, o := claim(t, s, other, time.Minute) // probe a twin id so id itself stays unclaimed
			if c == colony.WebhookClaimAcquired {
				_ = s.Release(ctx, other, o)
			}
			return c == colony.WebhookClaimAcquired
		})
		if err := s.Commit(ctx, id, owner, time.Hour); err != nil {
			t.Fatalf("Commit of an expired, unclaimed id by its last owner: %v", err)
		}
		want(t, s, id, colony.WebhookClaimDone, "the late commit was recorded")
	})
	t.Run("a commit expires after its ttl", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		owner := want(t, s, id, colony.WebhookClaimAcquired, "first claim")
		if err := s.Commit(ctx, id, owner, shortTTL); err != nil {
			t.Fatalf("Commit: %v", err)
		}
		eventually(t, "an expired commit can be claimed again", func() bool {
			c, o := claim(t, s, id, time.Minute)
			if c == colony.WebhookClaimAcquired {
				_ = s.Release(ctx, id, o)
			}
			return c == colony.WebhookClaimAcquired
		})
	})
	t.Run("ids are independent and may hold any bytes", func(t *testing.T) {
		s := newStore(t)
		base := unique("evt")
		ids := []string{base + ":a", base + ":*", base + " with spaces", base + "-ünï", base + "-" + string(make([]byte, 200))}
		for _, id := range ids {
			want(t, s, id, colony.WebhookClaimAcquired, "claim of "+id)
		}
		for _, id := range ids {
			want(t, s, id, colony.WebhookClaimInFlight, "second claim of "+id)
		}
	})
	t.Run("exactly one of many concurrent claims wins", func(t *testing.T) {
		s, id := newStore(t), unique("evt")
		var wg sync.WaitGroup
		var mu sync.Mutex
		counts := map[colony.WebhookClaim]int{}
		var errs []error
		for range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, _, err := s.Claim(ctx, id, time.Minute)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				}
				counts[c]++
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("concurrent claims failed: %v", errs)
		}
		if counts[colony.WebhookClaimAcquired] != 1 || counts[colony.WebhookClaimInFlight] != goroutines-1 {
			t.Fatalf("%d concurrent claims: %v; want exactly 1 acquired, the rest in flight", goroutines, counts)
		}
	})
}
