package colony

import (
	"sync"
	"time"
)

// maxCacheEntries bounds the GET cache; when full, expired entries are swept and,
// if that frees nothing, the oldest entry is dropped.
const maxCacheEntries = 1024

// responseCache holds successful GET bodies per (API key hash, URL) for a TTL.
type responseCache struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]cacheEntry
}

type cacheEntry struct {
	data []byte
	at   time.Time
}

func newResponseCache(ttl time.Duration) *responseCache {
	return &responseCache{ttl: ttl, entries: make(map[string]cacheEntry)}
}

func (rc *responseCache) get(key string) ([]byte, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok || time.Since(e.at) > rc.ttl {
		return nil, false
	}
	return e.data, true
}

func (rc *responseCache) put(key string, data []byte) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.entries) >= maxCacheEntries {
		rc.evictLocked()
	}
	rc.entries[key] = cacheEntry{data: data, at: time.Now()}
}

func (rc *responseCache) evictLocked() {
	var oldestKey string
	var oldest time.Time
	for k, e := range rc.entries {
		if time.Since(e.at) > rc.ttl {
			delete(rc.entries, k)
			continue
		}
		if oldestKey == "" || e.at.Before(oldest) {
			oldestKey, oldest = k, e.at
		}
	}
	if len(rc.entries) >= maxCacheEntries {
		delete(rc.entries, oldestKey)
	}
}

func (rc *responseCache) clear() {
	rc.mu.Lock()
	clear(rc.entries)
	rc.mu.Unlock()
}
