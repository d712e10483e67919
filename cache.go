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
	gen     uint64 // incremented by clear; a read started before a clear is not stored
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

// generation returns the current generation, to pass to put.
func (rc *responseCache) generation() uint64 {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.gen
}

// put stores data unless the cache was cleared since gen was read: a GET that was
// in flight while a write succeeded may carry the state from before the write.
func (rc *responseCache) put(key string, data []byte, gen uint64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if gen != rc.gen {
		return
	}
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
	rc.gen++
	rc.mu.Unlock()
}
