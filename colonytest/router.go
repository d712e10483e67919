package colonytest

import (
	"crypto/sha256"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// route is one endpoint of the API.
type route struct {
	method  string
	pattern string // relative to /api/v1, with {name} parameters
	segs    []string
	public  bool          // no Authorization needed
	limit   RateLimitKind // rate-limit kind consumed, if any
	nolock  bool          // handler takes Server.mu itself (it performs I/O)
	h       func(*call)
}

// splitPath splits the escaped API path into decoded segments; ok is false for paths outside /api/v1 or with a
// trailing or doubled slash.
func splitPath(escaped string) ([]string, bool) {
	rest, found := strings.CutPrefix(escaped, basePath+"/")
	if !found || rest == "" {
		return nil, false
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		if p == "" {
			return nil, false
		}
		d, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = d
	}
	return parts, true
}

// matchSegs matches path segments against a pattern's segments, filling params when non-nil. A "{name...}"
// segment (a path converter, at most one per pattern) matches one or more segments, joined with "/".
func matchSegs(pattern, segs []string, params map[string]string) bool {
	if i := restIndex(pattern); i >= 0 {
		tail := len(pattern) - i - 1
		if len(segs) < len(pattern) || !matchSegs(pattern[:i], segs[:i], params) ||
			!matchSegs(pattern[i+1:], segs[len(segs)-tail:], params) {
			return false
		}
		if params != nil {
			params[strings.TrimSuffix(strings.Trim(pattern[i], "{}"), "...")] = strings.Join(segs[i:len(segs)-tail], "/")
		}
		return true
	}
	if len(pattern) != len(segs) {
		return false
	}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") || p == "*" {
			if params != nil {
				params[strings.Trim(p, "{}")] = segs[i]
			}
			continue
		}
		if p != segs[i] {
			return false
		}
	}
	return true
}

// match finds the route for a request; status is 404 or 405 when there is none.
// When several patterns match, the most specific wins: at the first segment where
// they differ, a static segment beats a parameter, so the order of the route table
// does not matter ("/messages/groups" beats "/messages/{message_id}").
func (s *Server) match(method string, segs []string) (*route, map[string]string, int) {
	status := http.StatusNotFound
	var best *route
	for _, rt := range s.routes {
		if !matchSegs(rt.segs, segs, nil) {
			continue
		}
		if rt.method != method {
			status = http.StatusMethodNotAllowed
			continue
		}
		if best == nil || moreSpecific(rt.segs, best.segs) {
			best = rt
		}
	}
	if best == nil {
		return nil, nil, status
	}
	params := map[string]string{}
	matchSegs(best.segs, segs, params)
	return best, params, 0
}

// moreSpecific reports whether pattern a is more specific than b; a fixed-length pattern beats a path converter.
func moreSpecific(a, b []string) bool {
	if ra, rb := restIndex(a) >= 0, restIndex(b) >= 0; ra != rb {
		return !ra
	}
	for i := range min(len(a), len(b)) {
		pa, pb := isParam(a[i]), isParam(b[i])
		if pa != pb {
			return !pa
		}
	}
	return false
}

// restIndex returns the index of the "{name...}" segment of pattern, or -1.
func restIndex(pattern []string) int {
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "...}") {
			return i
		}
	}
	return -1
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") || seg == "*" }

func isWrite(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// dispatch routes, authenticates, deduplicates (Idempotency-Key), rate-limits and runs one request.
func (s *Server) dispatch(r *http.Request, body []byte) *response {
	if r.URL.EscapedPath() == oauthPath {
		return s.serveOAuth(r, body) // the one route at the site root
	}
	segs, ok := splitPath(r.URL.EscapedPath())
	if !ok {
		return newJSON(http.StatusNotFound, stringBody("Not Found"))
	}
	rt, params, status := s.match(r.Method, segs)
	if rt == nil {
		if status == http.StatusMethodNotAllowed {
			return newJSON(status, stringBody("Method Not Allowed"))
		}
		return newJSON(status, stringBody("Not Found"))
	}
	c := &call{s: s, r: r, body: body, params: params, now: s.clock.now(), resp: &response{header: http.Header{}}}
	if !rt.public {
		me, resp := s.authenticate(r, c.now)
		if resp != nil {
			return resp
		}
		c.me = me
		s.markSeen(me, c.now)
	}
	key := r.Header.Get("Idempotency-Key")
	if key == "" || !isWrite(r.Method) {
		return s.run(rt, c)
	}
	if len(key) > 255 {
		return newJSON(http.StatusBadRequest, codedBody(codeInvalidInput, "Idempotency-Key must be at most 255 characters"))
	}
	scope := "anon:" + clientAddr(r)
	if c.me != nil {
		scope = c.me.id
	}
	fp := sha256.Sum256([]byte(r.Method + " " + r.URL.EscapedPath() + "\n" + string(body)))
	return s.idem.do(scope+"\x00"+key, fp, c.now, func() *response { return s.run(rt, c) })
}

// run applies the route's rate limit and runs its handler under the state lock.
func (s *Server) run(rt *route, c *call) *response {
	var hdr map[string]string
	if rt.limit != "" {
		subject := clientAddr(c.r)
		if c.me != nil {
			subject = c.me.id
		}
		var resp *response
		hdr, resp = s.limiter.take(rt.limit, subject, c.now)
		if resp != nil {
			return resp
		}
	}
	switch {
	case rt.nolock:
		rt.h(c)
	case c.r.Method == http.MethodGet:
		s.mu.RLock()
		rt.h(c)
		s.mu.RUnlock()
	default:
		s.mu.Lock()
		rt.h(c)
		s.mu.Unlock()
	}
	resp := c.resp
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	resp.finish()
	for k, v := range hdr {
		resp.header[k] = []string{v}
	}
	return resp
}
