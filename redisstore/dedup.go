package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/colony-go/colony"
)

// WebhookDedupStore is a colony.WebhookDedupStore over Redis, shared by every replica receiving one webhook's
// deliveries. An event id's key (prefix+"webhook:"+id) holds "claim:<owner>" while claimed and "done" once
// committed, with the lease or dedup TTL as its expiry; each method is one Lua script. It is safe for concurrent
// use.
type WebhookDedupStore struct {
	rdb    redis.UniversalClient
	prefix string
}

var _ colony.WebhookDedupStore = (*WebhookDedupStore)(nil)

// NewWebhookDedupStore returns a WebhookDedupStore keeping event ids under prefix+"webhook:" (prefix "" means
// DefaultPrefix).
func NewWebhookDedupStore(rdb redis.UniversalClient, prefix string) *WebhookDedupStore {
	return &WebhookDedupStore{rdb: rdb, prefix: prefixOr(prefix)}
}

// claimScript: ARGV[1] the claim value, ARGV[2] the lease in ms. Returns 1 acquired, 2 in flight, 3 done.
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == 'done' then return 3 end
if v then return 2 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`)

// commitScript: ARGV[1] the caller's claim value, ARGV[2] the TTL in ms. Commits when the caller holds the claim or
// nobody does; returns 1 when it committed.
var commitScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
	redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
	return 1
end
return 0`)

// releaseScript: ARGV[1] the caller's claim value. Returns 1 when the id is now free, 0 when someone else's claim or
// a commit is left in place.
var releaseScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == false then return 1 end
if v == ARGV[1] then
	redis.call('DEL', KEYS[1])
	return 1
end
return 0`)

func (s *WebhookDedupStore) key(eventID string) string { return s.prefix + "webhook:" + eventID }

func ms(d time.Duration) int64 { return max(d.Milliseconds(), 1) }

// Claim implements colony.WebhookDedupStore.
func (s *WebhookDedupStore) Claim(ctx context.Context, eventID string, lease time.Duration) (colony.WebhookClaim, string, error) {
	owner := colony.NewWebhookOwnerToken()
	n, err := claimScript.Run(ctx, s.rdb, []string{s.key(eventID)}, "claim:"+owner, ms(lease)).Int()
	if err != nil {
		return 0, "", fmt.Errorf("redisstore: webhook claim: %w", err)
	}
	switch n {
	case 1:
		return colony.WebhookClaimAcquired, owner, nil
	case 2:
		return colony.WebhookClaimInFlight, "", nil
	}
	return colony.WebhookClaimDone, "", nil
}

// Commit implements colony.WebhookDedupStore.
func (s *WebhookDedupStore) Commit(ctx context.Context, eventID, owner string, ttl time.Duration) error {
	return s.run(ctx, commitScript, "commit", eventID, "claim:"+owner, ms(ttl))
}

// Release implements colony.WebhookDedupStore.
func (s *WebhookDedupStore) Release(ctx context.Context, eventID, owner string) error {
	return s.run(ctx, releaseScript, "release", eventID, "claim:"+owner)
}

// run runs an owner-checked script, mapping its 0 answer to colony.ErrWebhookClaimLost.
func (s *WebhookDedupStore) run(ctx context.Context, script *redis.Script, op, eventID string, args ...any) error {
	n, err := script.Run(ctx, s.rdb, []string{s.key(eventID)}, args...).Int()
	switch {
	case err != nil:
		return fmt.Errorf("redisstore: webhook %s: %w", op, err)
	case n == 0:
		return colony.ErrWebhookClaimLost
	}
	return nil
}
