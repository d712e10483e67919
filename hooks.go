package colony

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// maxHookBody bounds the response body bytes handed to response hooks.
const maxHookBody = 64 << 10

// RequestInfo describes one HTTP attempt to a hook. Its fields are copies: changing
// them has no effect on the request, and they never contain the API key or token.
type RequestInfo struct {
	Method  string      // HTTP method
	URL     string      // full request URL (the API never puts secrets in URLs)
	Path    string      // API path relative to the base URL, without query
	Attempt int         // 1 for the first try, 2 for the first retry, ...
	Header  http.Header // request headers without Authorization
	// Body is the JSON request body, with secret fields (api_key, secret, tokens)
	// replaced by "[REDACTED]"; nil for requests without a body.
	Body []byte
}

// ResponseInfo describes the outcome of one HTTP attempt to a hook.
type ResponseInfo struct {
	RequestInfo
	StatusCode int           // 0 when Err is set
	Header     http.Header   // response headers, the client's key and token redacted; nil when Err is set
	Body       []byte        // first 64 KiB of the response body, secrets redacted
	Duration   time.Duration // time from sending to receiving the response headers
	Err        error         // transport failure or ErrCircuitOpen; nil when a response arrived
}

// RequestHook observes an attempt before it is sent; see [WithRequestHook].
type RequestHook func(ctx context.Context, info RequestInfo)

// ResponseHook observes the outcome of an attempt; see [WithResponseHook].
type ResponseHook func(ctx context.Context, info ResponseInfo)

// hookTransport runs per attempt, between the retry loop and the breaker: it counts
// attempts and, when hooks or a logger are configured, reports each one. It reads
// the whole response body (up to the response cap) before the hooks run, so the
// connection is free again and a hook may itself call the client.
type hookTransport struct {
	reqHooks     []RequestHook
	respHooks    []ResponseHook
	logger       *slog.Logger
	redact       func([]byte) []byte // the client's redaction of secrets in bodies
	redactValues func([]byte) []byte // the client's redaction of its key and token
	maxBody      int64
	next         http.RoundTripper
}

func (t *hookTransport) observed() bool {
	return len(t.reqHooks) > 0 || len(t.respHooks) > 0 || t.logger != nil
}

func (t *hookTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	st := stateFrom(ctx)
	st.attempts++
	if !t.observed() {
		return t.next.RoundTrip(req)
	}
	info := RequestInfo{
		Method:  req.Method,
		URL:     req.URL.Redacted(),
		Path:    st.path,
		Attempt: st.attempts,
		Header:  req.Header.Clone(),
		Body:    t.redact(st.body),
	}
	info.Header.Del("Authorization")
	for _, h := range t.reqHooks {
		h(ctx, info)
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	out := ResponseInfo{RequestInfo: info, Duration: time.Since(start), Err: err}
	if err == nil {
		out.StatusCode = resp.StatusCode
		out.Header = t.redactHeader(resp.Header)
		if !st.download || resp.StatusCode > 299 { // a download's body streams to the caller unread
			body := bufferBody(resp, t.maxBody)
			if len(t.respHooks) > 0 {
				out.Body = t.redact(body[:min(len(body), maxHookBody)])
			}
		}
	}
	for _, h := range t.respHooks {
		h(ctx, out)
	}
	t.log(ctx, out)
	return resp, err
}

// redactHeader copies h with the client's key and token removed from every value.
func (t *hookTransport) redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for k, vs := range out {
		for i, v := range vs {
			vs[i] = string(t.redactValues([]byte(v)))
		}
		out[k] = vs
	}
	return out
}

// bufferBody reads resp.Body and closes it, so the connection goes back to the pool
// before any hook runs; resp.Body then reads the buffered bytes. A success body is
// read like the SDK reads it (at most max bytes; a larger one then fails to read
// with the same error); of an error body, at most maxErrorBody bytes are kept.
func bufferBody(resp *http.Response, max int64) []byte {
	var data []byte
	var err error
	if resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		data, err = readBody(resp, max)
		resp.Body.Close()
	} else {
		data, err = io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		discard(resp.Body)
	}
	if err != nil {
		resp.Body, resp.ContentLength = io.NopCloser(errReader{err}), -1
		return data
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
	return data
}

func (t *hookTransport) log(ctx context.Context, r ResponseInfo) {
	if t.logger == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("path", r.Path),
		slog.Int("attempt", r.Attempt),
		slog.Duration("duration", r.Duration),
	}
	switch {
	case r.Err != nil:
		t.logger.LogAttrs(ctx, slog.LevelWarn, "colony: attempt failed", append(attrs, slog.String("error", r.Err.Error()))...)
	case r.StatusCode >= 500 || r.StatusCode == http.StatusTooManyRequests:
		t.logger.LogAttrs(ctx, slog.LevelWarn, "colony: attempt answered", append(attrs, slog.Int("status", r.StatusCode))...)
	default:
		t.logger.LogAttrs(ctx, slog.LevelDebug, "colony: attempt answered", append(attrs, slog.Int("status", r.StatusCode))...)
	}
}

// errReader replays a read error met while peeking (nil means keep reading).
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	return 0, io.EOF
}

// secretFields are JSON keys whose values hooks and logs never see.
var secretFields = map[string]bool{
	"api_key": true, "access_token": true, "secret": true, "claim_token": true,
	"refresh_token": true, "totp_code": true, "password": true,
	"otpauth_uri": true, "recovery_codes": true, "id_token": true, "subject_token": true,
}

// redact returns a copy of body without the client's secrets: secret JSON members
// by name, validation errors echoing one (FastAPI's "input" beside a "loc" naming a
// secret field), and the API key and current token wherever they appear.
func (c *Client) redact(body []byte) []byte {
	if body == nil {
		return nil
	}
	return c.redactValues(redactSecrets(body))
}

// redactValues replaces the API key and the current token wherever they appear in
// b; b is returned as is when neither appears.
func (c *Client) redactValues(b []byte) []byte {
	apiKey, token := c.auth.secrets()
	for _, v := range [2]string{apiKey, token} {
		if len(v) >= 8 && bytes.Contains(b, []byte(v)) {
			b = bytes.ReplaceAll(b, []byte(v), []byte("[REDACTED]"))
		}
	}
	return b
}

// redactSecrets returns a copy of a JSON body with secret fields replaced; bodies
// that are not JSON, or have no secret fields, are copied unchanged.
func redactSecrets(body []byte) []byte {
	if body == nil {
		return nil
	}
	if !mayHoldSecret(body) {
		return bytes.Clone(body)
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return []byte(`"[REDACTED: unparsable body with secret fields]"`)
	}
	out, err := json.Marshal(redactValue(v))
	if err != nil {
		return nil
	}
	return out
}

// echoesSecret reports a validation error item whose loc ends in a secret field:
// its "input" is the secret the client sent.
func echoesSecret(m map[string]any) bool {
	loc, ok := m["loc"].([]any)
	if !ok || len(loc) == 0 {
		return false
	}
	name, _ := loc[len(loc)-1].(string)
	_, hasInput := m["input"]
	return hasInput && secretFields[name]
}

func mayHoldSecret(body []byte) bool {
	for k := range secretFields {
		if bytes.Contains(body, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if echoesSecret(x) {
			x["input"] = "[REDACTED]"
		}
		for k, val := range x {
			if secretFields[k] {
				x[k] = "[REDACTED]"
			} else {
				x[k] = redactValue(val)
			}
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i])
		}
	}
	return v
}
