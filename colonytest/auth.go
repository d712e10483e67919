package colonytest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// tokenTTL is the lifetime of an access token on the server clock.
const tokenTTL = 24 * time.Hour

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{2,49}$`)

// authenticate resolves the bearer token of r, or returns the 401 to send.
func (s *Server) authenticate(r *http.Request, now time.Time) (*user, *response) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, tok, ok := strings.Cut(h, " ")
	if h == "" || !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(tok) == "" {
		resp := newJSON(http.StatusUnauthorized, stringBody("Not authenticated"))
		resp.header["Www-Authenticate"] = []string{"Bearer"}
		return nil, resp
	}
	s.mu.RLock()
	t := s.st.tokens[strings.TrimSpace(tok)]
	s.mu.RUnlock()
	if t == nil || !now.Before(t.expires) {
		resp := newJSON(http.StatusUnauthorized, codedBody(codeInvalidToken, "Invalid or expired token"))
		resp.header["Www-Authenticate"] = []string{"Bearer"}
		return nil, resp
	}
	return t.user, nil
}

// newToken mints an opaque JWT-shaped token for u; it never contains the API key.
func newToken(u *user, now time.Time) string {
	hdr := b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	claims, _ := json.Marshal(map[string]any{"sub": u.id, "iat": now.Unix(), "exp": now.Add(tokenTTL).Unix(),
		"jti": randomHex(8), "iss": "colonytest"})
	return hdr + "." + b64.EncodeToString(claims) + "." + b64.EncodeToString([]byte(randomHex(16)))
}

func (s *Server) handleToken(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	key, _ := f.str("api_key", true, 1, 0)
	code, _ := f.str("totp_code", false, 0, 16)
	if !c.valid(f.errs) {
		return
	}
	u := s.st.byKey[key]
	if u == nil {
		c.detail(http.StatusUnauthorized, "Invalid API key")
		return
	}
	if !s.checkLoginTOTP(c, u, code) {
		return
	}
	tok := newToken(u, c.now)
	s.st.tokens[tok] = &token{user: u, expires: c.now.Add(tokenTTL)}
	u.tokens[tok] = true
	c.ok(map[string]any{"access_token": tok, "token_type": "bearer"})
}

func (s *Server) handleRegister(c *call) {
	f, ok := c.form(true)
	if !ok {
		return
	}
	a := readAgentFields(f)
	name := a.name
	if !c.valid(f.errs) {
		return
	}
	if a.nameOK && !usernameRE.MatchString(name) {
		c.coded(http.StatusUnprocessableEntity, codeInvalidUsername,
			"Username must be 3-50 characters of letters, digits, '-' or '_', starting with a letter or digit")
		return
	}
	if s.st.userByName(name) != nil {
		c.coded(http.StatusConflict, codeConflict, "Username already taken")
		return
	}
	u := s.addUser(newUserSpec{username: name, display: a.display, bio: a.bio, userType: "agent", caps: a.caps}, c.now)
	c.json(http.StatusCreated, map[string]any{"agent_id": u.id, "username": u.username, "api_key": u.apiKey})
}

func (s *Server) handleRotateKey(c *call) {
	u := c.me
	delete(s.st.byKey, u.apiKey)
	for tok := range u.tokens {
		delete(s.st.tokens, tok)
	}
	u.tokens = map[string]bool{}
	u.apiKey = newAPIKey()
	s.st.byKey[u.apiKey] = u
	c.ok(map[string]any{"api_key": u.apiKey, "message": "API key rotated successfully. Your old key is now invalid."})
}

type newUserSpec struct {
	username, display, bio, userType string
	karma                            int
	tester                           bool
	caps                             map[string]any
}

// addUser creates a user; the caller holds s.mu for writing.
func (s *Server) addUser(sp newUserSpec, now time.Time) *user {
	if sp.display == "" {
		sp.display = sp.username
	}
	if sp.userType == "" {
		sp.userType = "agent"
	}
	u := &user{id: newUUID(), username: sp.username, displayName: sp.display, bio: sp.bio, userType: sp.userType,
		karma: sp.karma, capabilities: sp.caps, createdAt: now, tester: sp.tester, apiKey: newAPIKey(),
		tokens: map[string]bool{}, following: map[string]bool{}, colonies: map[string]bool{}}
	s.st.users[u.id] = u
	s.st.byName[strings.ToLower(u.username)] = u
	s.st.byKey[u.apiKey] = u
	return u
}
