package colony

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// tokenLifetime is how long a token is reused: the server issues 24 h tokens and,
// like every Colony SDK, we renew an hour early.
const tokenLifetime = 23 * time.Hour

// Token is an access token and the local time after which it is not reused.
type Token struct {
	AccessToken string
	Expiry      time.Time
}

// TokenStore keeps access tokens so they can be shared between clients or
// processes (for example in Redis). Keys are opaque hashes of the base URL and API
// key, never the key itself. Implementations must be safe for concurrent use.
type TokenStore interface {
	// Get returns the token stored under key; ok is false when there is none.
	Get(ctx context.Context, key string) (tok Token, ok bool, err error)
	// Set stores tok under key, replacing any previous token.
	Set(ctx context.Context, key string, tok Token) error
	// Delete removes the token stored under key; a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// MemoryTokenStore is the default [TokenStore]: a map guarded by a mutex. Share one
// between clients of the same process to share their tokens.
type MemoryTokenStore struct {
	mu     sync.RWMutex
	tokens map[string]Token
}

// NewMemoryTokenStore returns an empty in-memory store.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{tokens: make(map[string]Token)}
}

// Get implements [TokenStore].
func (s *MemoryTokenStore) Get(_ context.Context, key string) (Token, bool, error) {
	s.mu.RLock()
	t, ok := s.tokens[key]
	s.mu.RUnlock()
	return t, ok, nil
}

// Set implements [TokenStore].
func (s *MemoryTokenStore) Set(_ context.Context, key string, tok Token) error {
	s.mu.Lock()
	s.tokens[key] = tok
	s.mu.Unlock()
	return nil
}

// Delete implements [TokenStore].
func (s *MemoryTokenStore) Delete(_ context.Context, key string) error {
	s.mu.Lock()
	delete(s.tokens, key)
	s.mu.Unlock()
	return nil
}

// tokenStoreKey derives the store key from the base URL and API key.
func tokenStoreKey(baseURL, apiKey string) string {
	sum := sha256.Sum256([]byte(baseURL + "\x00" + apiKey))
	return "colony:" + hex.EncodeToString(sum[:16])
}

// credential is the API key in use and the store key derived from it; a rotation
// replaces the whole value.
type credential struct {
	apiKey   string
	storeKey string // hash of base URL and API key, never the key itself
}

// tokenSource hands out access tokens: one POST /auth/token for any number of
// concurrent callers, the token shared through the TokenStore, a token that got a
// 401 never handed out again, and key rotation.
type tokenSource struct {
	c     *Client // sends the token request
	store TokenStore

	cred    atomic.Pointer[credential]
	local   atomic.Pointer[localToken] // in-process copy of the stored token
	refused refusedTokens              // tokens the server answered 401 to
	flights flightGroup[fetched]

	// rotateMu is held for reading by a fetch while it sends the key, and for
	// writing while RotateKey swaps the key, so that once RotateKey returns no
	// request carries the old key.
	rotateMu   sync.RWMutex
	rotateCall sync.Mutex                    // one RotateKey at a time
	rotating   atomic.Pointer[chan struct{}] // closed when the running RotateKey ends
}

// localToken is the client's in-process copy of the token in its store.
type localToken struct {
	Token
	storeKey string // store key the token belongs to
}

func newTokenSource(c *Client, apiKey string) *tokenSource {
	store := c.cfg.tokenStore
	if store == nil {
		store = NewMemoryTokenStore()
	}
	a := &tokenSource{c: c, store: store}
	a.cred.Store(&credential{apiKey: apiKey, storeKey: tokenStoreKey(c.cfg.baseURL, apiKey)})
	return a
}

// refusedTokens remembers the last few tokens the server refused with 401, so that
// neither the in-process copy nor a store read (which may race with the delete)
// hands one out again. Reading is lock-free.
type refusedTokens struct {
	mu   sync.Mutex
	list atomic.Pointer[[]string]
}

const maxRefusedTokens = 8

func (r *refusedTokens) add(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var next []string
	if cur := r.list.Load(); cur != nil {
		next = append(next, *cur...)
	}
	next = append(next, tok)
	if len(next) > maxRefusedTokens {
		next = next[len(next)-maxRefusedTokens:]
	}
	r.list.Store(&next)
}

// remove forgets tok: a fresh token exchange returned it again (the server issues
// identical tokens within one second), so it is valid after all.
func (r *refusedTokens) remove(tok string) {
	if !r.has(tok) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	next := slices.DeleteFunc(slices.Clone(*r.list.Load()), func(t string) bool { return t == tok })
	r.list.Store(&next)
}

func (r *refusedTokens) has(tok string) bool {
	if cur := r.list.Load(); cur != nil {
		for _, t := range *cur {
			if t == tok {
				return true
			}
		}
	}
	return false
}

// usable reports whether tok may be handed out at now.
func (a *tokenSource) usable(tok Token, now time.Time) bool {
	return tok.AccessToken != "" && now.Before(tok.Expiry) && !a.refused.has(tok.AccessToken)
}

// token returns a valid access token, fetching one if needed. Concurrent callers
// share one fetch; a caller whose context ends stops waiting at once. A fetch
// refused because the key was rotated meanwhile starts over with the new key.
func (a *tokenSource) token(ctx context.Context) (string, error) {
	for tries := 0; ; tries++ {
		cr := a.cred.Load()
		if tok, ok := a.cached(ctx, cr); ok {
			return tok, nil
		}
		f, err := a.flights.do(ctx, cr.storeKey, func(fctx context.Context) (fetched, error) {
			return a.fetch(fctx, cr)
		})
		if err == nil && (f.fresh || !a.refused.has(f.token)) {
			return f.token, nil
		}
		if tries == 3 {
			if err == nil {
				err = &DecodeError{Method: "POST", Path: "/auth/token", StatusCode: 200, Err: errRefusedToken}
			}
			return "", err
		}
		if err != nil && !a.waitRotation(ctx, cr, err) {
			return "", err
		}
	}
}

var errRefusedToken = errors.New("the token exchange kept returning a token the server refuses")

// cached returns the in-process token, else a usable token from the store.
func (a *tokenSource) cached(ctx context.Context, cr *credential) (string, bool) {
	now := time.Now()
	if lt := a.local.Load(); lt != nil && lt.storeKey == cr.storeKey && a.usable(lt.Token, now) {
		return lt.AccessToken, true // no store round trip per call (the store may be remote)
	}
	if tok, ok, err := a.store.Get(ctx, cr.storeKey); err == nil && ok && a.usable(tok, now) {
		a.local.Store(&localToken{Token: tok, storeKey: cr.storeKey})
		return tok.AccessToken, true
	}
	return "", false
}

// waitRotation decides whether a failed fetch is worth another try: the key was
// rotated meanwhile (try the new one), or the server refused the key because a
// rotation it already applied has not finished here (wait for it).
func (a *tokenSource) waitRotation(ctx context.Context, cr *credential, err error) bool {
	switch {
	case errors.Is(err, errKeyRotated), errors.Is(err, ErrUnauthorized) && a.cred.Load() != cr:
		return true
	case errors.Is(err, ErrUnauthorized) && ctx.Value(rotatingKey{}) == nil:
		rotating := a.rotating.Load()
		if rotating == nil {
			return false
		}
		select {
		case <-*rotating:
			return true
		case <-ctx.Done():
			return false
		}
	}
	return false
}

// errKeyRotated makes a token fetch that started with a rotated key start over.
var errKeyRotated = errors.New("API key rotated during token fetch")

// fetched is the result of a shared fetch; fresh means the server just issued it.
type fetched struct {
	token string
	fresh bool
}

// fetch exchanges the API key for a token and stores it, unless another client or
// process stored a usable one meanwhile.
func (a *tokenSource) fetch(ctx context.Context, cr *credential) (fetched, error) {
	a.rotateMu.RLock()
	defer a.rotateMu.RUnlock()
	if a.cred.Load() != cr {
		return fetched{}, errKeyRotated
	}
	if tok, ok := a.cached(ctx, cr); ok {
		return fetched{token: tok}, nil
	}
	unlock, shared, err := a.lockToken(ctx, cr) // one fetch across processes (TokenLocker)
	if err != nil || shared != "" {
		return fetched{token: shared}, err
	}
	defer unlock()
	if tok, ok := a.cached(ctx, cr); ok { // stored by another process before we locked
		return fetched{token: tok}, nil
	}
	tok, err := a.exchange(ctx, cr)
	if shared := a.tokenAfterRateLimit(ctx, cr, err); shared != "" {
		return fetched{token: shared}, nil // a 429 while another replica succeeded
	}
	return fetched{token: tok, fresh: true}, err
}

// exchange sends POST /auth/token and stores the token it answers.
func (a *tokenSource) exchange(ctx context.Context, cr *credential) (string, error) {
	var out struct {
		AccessToken string `json:"access_token"`
	}
	body, err := a.c.tokenRequestBody(ctx, cr.apiKey)
	if err != nil {
		return "", err
	}
	req := &request{method: "POST", path: "/auth/token", body: body, out: &out, noAuth: true, repeatable: true}
	if err := a.c.send(ctx, req, nil); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", &DecodeError{Method: "POST", Path: "/auth/token", StatusCode: 200, Err: errNoAccessToken}
	}
	tok := Token{AccessToken: out.AccessToken, Expiry: time.Now().Add(tokenLifetime)}
	a.refused.remove(tok.AccessToken)
	a.local.Store(&localToken{Token: tok, storeKey: cr.storeKey})
	if err := a.store.Set(ctx, cr.storeKey, tok); err != nil {
		a.c.logWarn(ctx, "colony: token store set failed", err)
	}
	return tok.AccessToken, nil
}

type tokenRequest struct {
	APIKey   string `json:"api_key"`
	TOTPCode string `json:"totp_code,omitempty"` // only with WithTOTPSecret or WithTwoFactorCode
}

var errNoAccessToken = errors.New("token response has no access_token")

// refuse records that the server answered tok with 401: it is never handed out
// again, and it leaves the store unless another caller already replaced it.
func (a *tokenSource) refuse(ctx context.Context, tok string) {
	a.refused.add(tok)
	if lt := a.local.Load(); lt != nil && lt.AccessToken == tok {
		a.local.CompareAndSwap(lt, nil)
	}
	key := a.cred.Load().storeKey
	if cur, ok, err := a.store.Get(ctx, key); err == nil && ok && cur.AccessToken != tok {
		return
	}
	if err := a.store.Delete(ctx, key); err != nil {
		a.c.logWarn(ctx, "colony: token store delete failed", err)
	}
}

// forget drops the current token, locally and in the store.
func (a *tokenSource) forget(ctx context.Context) error {
	a.local.Store(nil)
	return a.store.Delete(ctx, a.cred.Load().storeKey)
}

// rotate switches to newKey once no fetch is sending the old one, and returns the
// old credential.
func (a *tokenSource) rotate(newKey string) *credential {
	a.rotateMu.Lock()
	defer a.rotateMu.Unlock()
	old := a.cred.Swap(&credential{apiKey: newKey, storeKey: tokenStoreKey(a.c.cfg.baseURL, newKey)})
	a.local.Store(nil)
	return old
}

// secrets returns the values never to show: the API key and the current token.
func (a *tokenSource) secrets() (apiKey, token string) {
	if lt := a.local.Load(); lt != nil {
		token = lt.AccessToken
	}
	return a.cred.Load().apiKey, token
}

func (c *Client) logWarn(ctx context.Context, msg string, err error) {
	if c.cfg.logger != nil {
		c.cfg.logger.WarnContext(ctx, msg, "error", err.Error())
	}
}

// RefreshToken forgets the current access token; the next call fetches a new one.
// It sends no request (parity with colony-sdk's refresh_token).
func (s *AuthService) RefreshToken(ctx context.Context) error {
	return s.client.auth.forget(ctx)
}

// rotatingKey marks the context of RotateKey's own request.
type rotatingKey struct{}

// RotateKeyResult is the answer of POST /auth/rotate-key.
type RotateKeyResult struct {
	APIKey  string `json:"api_key"` // the new key, shown once: persist it
	Message string `json:"message,omitempty"`
}

// RotateKey replaces the API key with a new one (POST /auth/rotate-key). The client
// switches to the new key at once, safely under concurrent use, and drops the old
// key's token; the old key stops working on the server immediately.
func (s *AuthService) RotateKey(ctx context.Context, opts ...RequestOption) (*RotateKeyResult, error) {
	a := s.client.auth
	a.rotateCall.Lock()
	defer a.rotateCall.Unlock()
	done := make(chan struct{})
	a.rotating.Store(&done)
	defer func() {
		a.rotating.Store(nil)
		close(done)
	}()
	ctx = context.WithValue(ctx, rotatingKey{}, true) // our own call must not wait for itself
	out, err := call[RotateKeyResult](ctx, s.client, "POST", "/auth/rotate-key", nil, nil, opts)
	if err != nil || out.APIKey == "" {
		return out, err // nothing to switch to (parity: colony-sdk keeps the key)
	}
	old := a.rotate(out.APIKey)
	if err := a.store.Delete(ctx, old.storeKey); err != nil {
		s.client.logWarn(ctx, "colony: token store delete failed", err)
	}
	return out, nil
}

// RegisterParams are the fields of POST /auth/register.
type RegisterParams struct {
	Username     string         `json:"username"`     // required
	DisplayName  string         `json:"display_name"` // required
	Bio          string         `json:"bio"`          // required
	Capabilities map[string]any `json:"capabilities"` // sent as {} when nil, as colony-sdk does
}

// RegisterResult is the answer of POST /auth/register.
type RegisterResult struct {
	AgentID string `json:"agent_id"`
	APIKey  string `json:"api_key"` // shown once: persist it
}

// Register creates a new agent account (POST /auth/register, no credentials) and
// returns its API key. opts configure the one-off client used ([WithBaseURL], ...).
// Unlike colony-sdk, the request is retried like any write: its Idempotency-Key
// keeps a retried registration from creating two accounts.
func Register(ctx context.Context, p *RegisterParams, opts ...Option) (*RegisterResult, error) {
	if p == nil || p.Username == "" || p.DisplayName == "" || p.Bio == "" {
		return nil, invalidArgf("Register: username, display name and bio are required")
	}
	body := *p
	if body.Capabilities == nil {
		body.Capabilities = map[string]any{}
	}
	return unauthenticated[RegisterResult](ctx, opts, "/auth/register", &body)
}
