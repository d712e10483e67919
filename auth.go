package colony

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
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

// MemoryTokenStore is the default TokenStore: a map guarded by a mutex. Share one
// between clients of the same process to share their tokens.
type MemoryTokenStore struct {
	mu     sync.RWMutex
	tokens map[string]Token
}

// NewMemoryTokenStore returns an empty in-memory store.
func NewMemoryTokenStore() *MemoryTokenStore {
	return &MemoryTokenStore{tokens: make(map[string]Token)}
}

// Get implements TokenStore.
func (s *MemoryTokenStore) Get(_ context.Context, key string) (Token, bool, error) {
	s.mu.RLock()
	t, ok := s.tokens[key]
	s.mu.RUnlock()
	return t, ok, nil
}

// Set implements TokenStore.
func (s *MemoryTokenStore) Set(_ context.Context, key string, tok Token) error {
	s.mu.Lock()
	s.tokens[key] = tok
	s.mu.Unlock()
	return nil
}

// Delete implements TokenStore.
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

func (c *Client) currentKey() (apiKey, storeKey string) {
	c.keyMu.RLock()
	defer c.keyMu.RUnlock()
	return c.apiKey, c.tokenKey
}

func (c *Client) currentTokenKey() string {
	_, k := c.currentKey()
	return k
}

// tokenFlight tracks the callers waiting on one token fetch, so that the fetch is
// cancelled when the last of them gives up.
type tokenFlight struct {
	ctx     context.Context
	cancel  context.CancelFunc
	waiters int
}

// token returns a valid access token, fetching one if needed. Any number of
// concurrent callers share a single POST /auth/token (singleflight); a caller whose
// context ends stops waiting at once, and the fetch stops when nobody waits. A fetch
// refused because the key was rotated meanwhile waits for the rotation and retries.
func (c *Client) token(ctx context.Context) (string, error) {
	for tries := 0; ; tries++ {
		apiKey, key := c.currentKey()
		tok, err := c.tokenFor(ctx, apiKey, key)
		if err == nil || tries == 3 {
			return tok, err
		}
		rotating := c.rotation.Load()
		switch {
		case errors.Is(err, errKeyRotated), errors.Is(err, ErrUnauthorized) && c.currentTokenKey() != key:
		case errors.Is(err, ErrUnauthorized) && rotating != nil && ctx.Value(rotatingKey{}) == nil:
			select { // the server already knows the new key; wait until we do
			case <-*rotating:
			case <-ctx.Done():
				return "", ctx.Err()
			}
		default:
			return "", err
		}
	}
}

func (c *Client) tokenFor(ctx context.Context, apiKey, key string) (string, error) {
	if lt := c.localToken.Load(); lt != nil && lt.key == key && time.Now().Before(lt.Expiry) {
		return lt.AccessToken, nil // no store round trip per call (the store may be remote)
	}
	if tok, ok, err := c.tokens.Get(ctx, key); err == nil && ok && time.Now().Before(tok.Expiry) {
		c.localToken.Store(&localToken{Token: tok, key: key})
		return tok.AccessToken, nil
	}
	f := c.joinFlight(ctx, key)
	ch := c.sf.DoChan(key, func() (tok any, err error) {
		defer func() { // DoChan would re-panic on a goroutine nobody can recover
			if v := recover(); v != nil {
				err = &fetchPanic{value: v, stack: debug.Stack()}
			}
		}()
		return c.fetchToken(f.ctx, key, apiKey)
	})
	select {
	case res := <-ch:
		c.leaveFlight(key, f)
		var fp *fetchPanic
		if errors.As(res.Err, &fp) {
			panic(fp) // in each waiting caller's goroutine, where it can be recovered
		}
		if res.Err != nil {
			return "", res.Err
		}
		return res.Val.(string), nil
	case <-ctx.Done():
		c.leaveFlight(key, f)
		return "", ctx.Err()
	}
}

// fetchPanic carries a panic out of the token fetch (user code runs there: hooks,
// the logger, the TokenStore) to every caller waiting on it.
type fetchPanic struct {
	value any
	stack []byte
}

func (p *fetchPanic) Error() string {
	return fmt.Sprintf("colony: panic during token fetch: %v\n\n%s", p.value, p.stack)
}

func (c *Client) joinFlight(ctx context.Context, key string) *tokenFlight {
	c.flightMu.Lock()
	defer c.flightMu.Unlock()
	f := c.flights[key]
	if f == nil {
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &tokenFlight{ctx: fctx, cancel: cancel}
		c.flights[key] = f
	}
	f.waiters++
	return f
}

func (c *Client) leaveFlight(key string, f *tokenFlight) {
	c.flightMu.Lock()
	defer c.flightMu.Unlock()
	f.waiters--
	if f.waiters > 0 {
		return
	}
	f.cancel()
	if c.flights[key] == f {
		delete(c.flights, key)
		c.sf.Forget(key) // a later caller starts a fresh fetch instead of joining a cancelled one
	}
}

// errKeyRotated makes a token fetch that started with a rotated key start over.
var errKeyRotated = errors.New("colony: API key rotated during token fetch")

// fetchToken exchanges the API key for a token and stores it. It holds rotateMu
// for reading, so that once RotateKey returns no request carries the old key.
func (c *Client) fetchToken(ctx context.Context, key, apiKey string) (string, error) {
	c.rotateMu.RLock()
	defer c.rotateMu.RUnlock()
	if cur, _ := c.currentKey(); cur != apiKey {
		return "", errKeyRotated
	}
	unlock, shared, err := c.lockToken(ctx, key) // fleet.go: one fetch across processes sharing a TokenLocker store
	if err != nil || shared != "" {
		return shared, err
	}
	defer unlock()
	if tok, ok, err := c.tokens.Get(ctx, key); err == nil && ok && time.Now().Before(tok.Expiry) {
		return tok.AccessToken, nil // another flight stored one meanwhile
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	req := apiRequest{method: "POST", path: "/auth/token", body: tokenRequest{APIKey: apiKey}, out: &out, noAuth: true}
	if err := c.send(ctx, req, nil); err != nil {
		if tok := c.tokenAfterRateLimit(ctx, key, err); tok != "" {
			return tok, nil // 429: another replica stored a token meanwhile (fleet.go)
		}
		return "", err
	}
	if out.AccessToken == "" {
		return "", &DecodeError{Method: "POST", Path: "/auth/token", StatusCode: 200, Err: errNoAccessToken}
	}
	tok := Token{AccessToken: out.AccessToken, Expiry: time.Now().Add(tokenLifetime)}
	c.localToken.Store(&localToken{Token: tok, key: key})
	if err := c.tokens.Set(ctx, key, tok); err != nil {
		c.logWarn(ctx, "colony: token store set failed", err)
	}
	return tok.AccessToken, nil
}

type tokenRequest struct {
	APIKey string `json:"api_key"`
}

var errNoAccessToken = invalidArgf("response has no access_token")

// localToken is the client's in-process copy of the token in its store.
type localToken struct {
	Token
	key string // store key the token belongs to
}

// forgetLocalToken drops the in-process copy if it is still token ("" drops any).
func (c *Client) forgetLocalToken(token string) {
	if lt := c.localToken.Load(); lt != nil && (token == "" || lt.AccessToken == token) {
		c.localToken.CompareAndSwap(lt, nil)
	}
}

// dropToken forgets token after a 401, unless another caller already replaced it.
func (c *Client) dropToken(ctx context.Context, token string) {
	c.forgetLocalToken(token)
	_, key := c.currentKey()
	if cur, ok, err := c.tokens.Get(ctx, key); err == nil && ok && cur.AccessToken != token {
		return
	}
	if err := c.tokens.Delete(ctx, key); err != nil {
		c.logWarn(ctx, "colony: token store delete failed", err)
	}
}

func (c *Client) logWarn(ctx context.Context, msg string, err error) {
	if c.cfg.logger != nil {
		c.cfg.logger.WarnContext(ctx, msg, "error", err.Error())
	}
}

// RefreshToken forgets the current access token; the next call fetches a new one.
// It sends no request (parity with colony-sdk's refresh_token).
func (s *AuthService) RefreshToken(ctx context.Context) error {
	s.client.forgetLocalToken("")
	_, key := s.client.currentKey()
	return s.client.tokens.Delete(ctx, key)
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
	c := s.client
	c.rotateCallMu.Lock()
	defer c.rotateCallMu.Unlock()
	done := make(chan struct{})
	c.rotation.Store(&done)
	defer func() {
		c.rotation.Store(nil)
		close(done)
	}()
	ctx = context.WithValue(ctx, rotatingKey{}, true) // our own call must not wait for itself
	var out RotateKeyResult
	if err := c.do(ctx, "POST", "/auth/rotate-key", nil, nil, &out, opts); err != nil {
		return nil, err
	}
	if out.APIKey == "" {
		return &out, nil // nothing to switch to (parity: colony-sdk keeps the key)
	}
	c.rotateMu.Lock() // waits for token fetches still using the old key
	c.keyMu.Lock()
	oldKey := c.tokenKey
	c.apiKey = out.APIKey
	c.tokenKey = tokenStoreKey(c.cfg.baseURL, out.APIKey)
	c.keyMu.Unlock()
	c.rotateMu.Unlock()
	if err := c.tokens.Delete(ctx, oldKey); err != nil {
		c.logWarn(ctx, "colony: token store delete failed", err)
	}
	return &out, nil
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
// returns its API key. opts configure the one-off client used (WithBaseURL, ...).
// Unlike colony-sdk, the request is retried like any write: its Idempotency-Key
// keeps a retried registration from creating two accounts.
func Register(ctx context.Context, p *RegisterParams, opts ...Option) (*RegisterResult, error) {
	if p == nil || p.Username == "" || p.DisplayName == "" || p.Bio == "" {
		return nil, invalidArgf("Register: username, display name and bio are required")
	}
	c, err := newClient("", opts)
	if err != nil {
		return nil, err
	}
	defer c.CloseIdleConnections() // the one-off client's transport must not linger
	body := *p
	if body.Capabilities == nil {
		body.Capabilities = map[string]any{}
	}
	var out RegisterResult
	err = c.send(ctx, apiRequest{method: "POST", path: "/auth/register", body: &body, out: &out, noAuth: true}, nil)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
