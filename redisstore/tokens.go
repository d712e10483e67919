package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/colony-go/colony"
)

// TokenStore is a colony.TokenStore and colony.TokenLocker over Redis. A token is kept until its Expiry (Redis
// drops it then); the lock is a SET NX PX key released by compare-and-delete. It is safe for concurrent use.
type TokenStore struct {
	rdb    redis.UniversalClient
	prefix string
}

var (
	_ colony.TokenStore  = (*TokenStore)(nil)
	_ colony.TokenLocker = (*TokenStore)(nil)
)

// NewTokenStore returns a TokenStore keeping tokens under prefix+"token:"+key (prefix "" means DefaultPrefix).
func NewTokenStore(rdb redis.UniversalClient, prefix string) *TokenStore {
	return &TokenStore{rdb: rdb, prefix: prefixOr(prefix)}
}

func (s *TokenStore) tokenKey(key string) string { return s.prefix + "token:" + key }

// Get implements colony.TokenStore.
func (s *TokenStore) Get(ctx context.Context, key string) (colony.Token, bool, error) {
	v, err := s.rdb.Get(ctx, s.tokenKey(key)).Result()
	if errors.Is(err, redis.Nil) {
		return colony.Token{}, false, nil
	}
	if err != nil {
		return colony.Token{}, false, fmt.Errorf("redisstore: token get: %w", err)
	}
	ms, tok, ok := strings.Cut(v, ":")
	expiry, perr := strconv.ParseInt(ms, 10, 64)
	if !ok || perr != nil {
		return colony.Token{}, false, errors.New("redisstore: stored token is malformed") // never echo the value
	}
	return colony.Token{AccessToken: tok, Expiry: time.UnixMilli(expiry)}, true, nil
}

// Set implements colony.TokenStore; the key expires with the token (a token already expired is kept 1 ms).
func (s *TokenStore) Set(ctx context.Context, key string, tok colony.Token) error {
	ttl := time.Until(tok.Expiry)
	if tok.Expiry.IsZero() {
		ttl = 0 // no expiry known: keep it until replaced or deleted
	} else if ttl < time.Millisecond {
		ttl = time.Millisecond
	}
	v := strconv.FormatInt(tok.Expiry.UnixMilli(), 10) + ":" + tok.AccessToken
	if err := s.rdb.Set(ctx, s.tokenKey(key), v, ttl).Err(); err != nil {
		return fmt.Errorf("redisstore: token set: %w", err)
	}
	return nil
}

// Delete implements colony.TokenStore.
func (s *TokenStore) Delete(ctx context.Context, key string) error {
	if err := s.rdb.Del(ctx, s.tokenKey(key)).Err(); err != nil {
		return fmt.Errorf("redisstore: token delete: %w", err)
	}
	return nil
}

// compareAndDelete deletes KEYS[1] only if it still holds ARGV[1]; it returns 1 when it deleted.
var compareAndDelete = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0`)

// TryLockToken implements colony.TokenLocker with SET prefix+"tokenlock:"+key NX PX ttl; unlock deletes the key
// only while it still holds this caller's random owner value.
func (s *TokenStore) TryLockToken(ctx context.Context, key string, ttl time.Duration) (func(context.Context) error, bool, error) {
	lockKey, owner := s.prefix+"tokenlock:"+key, colony.NewWebhookOwnerToken()
	ok, err := s.rdb.SetNX(ctx, lockKey, owner, max(ttl, time.Millisecond)).Result()
	if err != nil {
		return nil, false, fmt.Errorf("redisstore: token lock: %w", err)
	}
	if !ok {
		return nil, false, nil
	}
	return func(ctx context.Context) error {
		if err := compareAndDelete.Run(ctx, s.rdb, []string{lockKey}, owner).Err(); err != nil {
			return fmt.Errorf("redisstore: token unlock: %w", err)
		}
		return nil
	}, true, nil
}
