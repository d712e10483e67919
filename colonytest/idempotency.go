package colonytest

import (
	"net/http"
	"sync"
	"time"
)

// idemWindow is how long a stored response is replayed.
const idemWindow = 24 * time.Hour

type idemEntry struct {
	fp      [32]byte
	resp    *response // nil while the first request is in flight
	expires time.Time
}

// idemStore remembers responses to writes that carried an Idempotency-Key.
type idemStore struct {
	mu sync.Mutex
	m  map[string]*idemEntry
}

func newIdemStore() *idemStore { return &idemStore{m: map[string]*idemEntry{}} }

// do runs fn once per key within the window: a repeat with the same fingerprint replays the stored response
// (marked Idempotent-Replay: true), a different fingerprint gets 409 idempotency_payload_mismatch, and a repeat
// while the first is in flight gets 409 idempotency_in_progress. Responses with status 429 or >= 500 are not
// stored, so the key can be retried.
func (st *idemStore) do(key string, fp [32]byte, now time.Time, fn func() *response) *response {
	st.mu.Lock()
	if e := st.m[key]; e != nil && (e.resp == nil || now.Before(e.expires)) {
		defer st.mu.Unlock()
		switch {
		case e.fp != fp:
			return newJSON(http.StatusConflict, codedBody(codeIdemMismatch,
				"Idempotency-Key was already used with a different request payload"))
		case e.resp == nil:
			return newJSON(http.StatusConflict, codedBody(codeIdemInProgress,
				"A request with this Idempotency-Key is still being processed"))
		}
		r := e.resp.clone()
		r.header["Idempotent-Replay"] = []string{"true"}
		return r
	}
	e := &idemEntry{fp: fp}
	st.m[key] = e
	st.mu.Unlock()

	completed := false
	defer func() {
		if !completed { // the handler panicked: forget the key so it can be retried
			st.mu.Lock()
			delete(st.m, key)
			st.mu.Unlock()
		}
	}()
	resp := fn()
	completed = true

	st.mu.Lock()
	defer st.mu.Unlock()
	if resp.status == http.StatusTooManyRequests || resp.status >= 500 {
		delete(st.m, key)
		return resp
	}
	e.resp = resp.clone()
	e.expires = now.Add(idemWindow)
	return resp
}
