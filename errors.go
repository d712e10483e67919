package colony

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors matched with errors.Is. An [*APIError] matches the sentinel of its
// status class, so callers can branch without losing the detail available via errors.As.
var (
	// ErrUnauthorized matches a 401 response (after the one automatic token refresh).
	ErrUnauthorized = errors.New("colony: unauthorized")
	// ErrForbidden matches a 403 response; a 403 never triggers a token refresh.
	ErrForbidden = errors.New("colony: forbidden")
	// ErrNotFound matches a 404 response.
	ErrNotFound = errors.New("colony: not found")
	// ErrConflict matches a 409 response (already following, already a member, idempotency key reused with another payload).
	ErrConflict = errors.New("colony: conflict")
	// ErrValidation matches a 400 or 422 response.
	ErrValidation = errors.New("colony: validation failed")
	// ErrRateLimited matches a 429 response that outlived the retry policy; the error is a *RateLimitError.
	ErrRateLimited = errors.New("colony: rate limited")
	// ErrServer matches any 5xx response.
	ErrServer = errors.New("colony: server error")
	// ErrCircuitOpen is returned without sending a request while the circuit breaker is open; it is never retried.
	ErrCircuitOpen = errors.New("colony: circuit breaker open")
	// ErrInvalidArgument reports bad input caught locally, before any request is sent.
	ErrInvalidArgument = errors.New("colony: invalid argument")
	// ErrResponseTooLarge reports a success body larger than the WithMaxResponseBytes cap; it arrives wrapped in a *DecodeError.
	ErrResponseTooLarge = errors.New("colony: response body too large")
	// ErrTwoFactorRequired matches a 401/403 with code AUTH_2FA_REQUIRED: the account has 2FA on and the token
	// exchange carried no code (see WithTOTPSecret and WithTwoFactorCode). It also matches the status's sentinel
	// (ErrUnauthorized or ErrForbidden).
	ErrTwoFactorRequired = errors.New("colony: two-factor code required")
	// ErrTwoFactorInvalid matches a 401/403 with code AUTH_2FA_INVALID: the code was wrong, already used in its
	// 30 s window, or a spent recovery code. Do not rotate the key; fetch again with a fresh code.
	ErrTwoFactorInvalid = errors.New("colony: two-factor code invalid")
)

// maxErrorBody bounds how much of an error response body is read and kept.
const maxErrorBody = 64 << 10

// APIError is returned for every non-2xx response. Use errors.Is with the sentinels
// ([ErrNotFound], [ErrValidation], ...) to branch and errors.As to read the detail.
type APIError struct {
	StatusCode int    // HTTP status of the final attempt
	Code       string // machine code from the body, e.g. "AUTH_INVALID_TOKEN"; empty when the body has none
	Message    string // human-readable message from the body, or the status text
	Method     string // HTTP method of the call
	Path       string // API path of the call, relative to the base URL, without the query string
	RequestID  string // X-Request-Id of the response, when the server sent one
	// IdempotencyKey is the key the write carried on every attempt; retry the call
	// with WithIdempotencyKey(key) to resume it without risking a duplicate.
	IdempotencyKey string
	Body           []byte // raw response body, at most 64 KiB, with the client's secrets redacted

	earlierMaybeApplied bool // an earlier attempt of the call got a 5xx or no answer
}

// Error reads like "colony: GET /posts/{id}: 404 NOT_FOUND: post not found".
func (e *APIError) Error() string {
	return "colony: " + e.Method + " " + e.Path + ": " + e.detail()
}

// detail is the message without the call: "404 NOT_FOUND: post not found".
func (e *APIError) detail() string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(e.StatusCode))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Is reports whether target is the sentinel for this error's status class.
func (e *APIError) Is(target error) bool {
	return target != nil && (target == sentinelFor(e.StatusCode) || target == codeSentinel(e.StatusCode, e.Code))
}

// codeSentinel is the sentinel a machine code refines its status class into, or nil.
func codeSentinel(status int, code string) error {
	switch {
	case status != http.StatusUnauthorized && status != http.StatusForbidden:
		return nil
	case code == "AUTH_2FA_REQUIRED":
		return ErrTwoFactorRequired
	case code == "AUTH_2FA_INVALID":
		return ErrTwoFactorInvalid
	}
	return nil
}

func sentinelFor(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return ErrValidation
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500 && status <= 599:
		return ErrServer
	}
	return nil
}

// RateLimitError is returned for a 429 that outlived the retry policy (or whose
// Retry-After exceeded its cap). It matches [ErrRateLimited] and unwraps to its [*APIError].
type RateLimitError struct {
	APIError
	RetryAfter time.Duration // from Retry-After (seconds or HTTP-date); zero when absent
	Reset      time.Time     // from X-RateLimit-Reset; zero when absent
}

// Unwrap returns the embedded [*APIError] so errors.As(err, **APIError) works too.
func (e *RateLimitError) Unwrap() error { return &e.APIError }

// Error reads like the [APIError] message plus the server's retry hint.
func (e *RateLimitError) Error() string {
	s := e.APIError.Error()
	if e.RetryAfter > 0 {
		s += " (retry after " + e.RetryAfter.String() + ")"
	}
	return s
}

// NetworkError reports a call that got no HTTP response: a connection failure, a
// timeout, a cancelled context, an open circuit breaker, or a token that could not
// be obtained (then it wraps the /auth/token error and MaybeSent is false). It unwraps to the cause,
// so errors.Is(err, context.DeadlineExceeded) and errors.Is(err, [ErrCircuitOpen]) work.
type NetworkError struct {
	Method string // HTTP method of the call
	Path   string // API path of the call, relative to the base URL
	// IdempotencyKey is the key the write carried; reuse it with WithIdempotencyKey to retry safely.
	IdempotencyKey string
	// MaybeSent is false only when no attempt can have reached the server (the
	// breaker was open or the context ended before the first attempt).
	MaybeSent bool
	Err       error // the underlying cause; for a cancelled backoff it also wraps the last *APIError
}

// Error reads like "colony: POST /posts: context deadline exceeded".
func (e *NetworkError) Error() string {
	return "colony: " + e.Method + " " + e.Path + ": " + trimPrefix(e.Err.Error())
}

// trimPrefix drops the "colony: " a wrapped error of ours starts with, so that a
// message names the package once.
func trimPrefix(msg string) string { return strings.TrimPrefix(msg, "colony: ") }

// Unwrap returns the underlying cause.
func (e *NetworkError) Unwrap() error { return e.Err }

// DecodeError reports a 2xx response whose body could not be decoded: not JSON, the
// wrong shape, truncated, or larger than the response cap (then it wraps [ErrResponseTooLarge]).
type DecodeError struct {
	Method     string // HTTP method of the call
	Path       string // API path of the call, relative to the base URL
	StatusCode int    // HTTP status of the response
	// IdempotencyKey is the key the write carried: the server did answer 2xx, so
	// resume with WithIdempotencyKey(key) to get its stored answer instead of a duplicate.
	IdempotencyKey string
	Err            error // the decoding failure
}

// Error reads like "colony: GET /posts: decoding 200 response: invalid character '<'".
func (e *DecodeError) Error() string {
	return fmt.Sprintf("colony: %s %s: decoding %d response: %s", e.Method, e.Path, e.StatusCode, trimPrefix(e.Err.Error()))
}

// Unwrap returns the decoding failure.
func (e *DecodeError) Unwrap() error { return e.Err }

// MaybeApplied reports whether a failed write may nevertheless have taken effect on
// the server: true after a network failure once a request may have been sent, for a
// 5xx answer, for a 2xx answer that could not be decoded, for a 409
// idempotency_in_progress, and for any answer when an earlier attempt of the same
// call got a 5xx or no answer; false for local validation errors, an open breaker
// and 4xx answers to a call whose earlier attempts were all refused. When it is
// true, retry with the error's IdempotencyKey: the server then replays the first
// outcome instead of writing twice.
func MaybeApplied(err error) bool {
	var ne *NetworkError
	if errors.As(err, &ne) {
		return ne.MaybeSent
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 500 || ae.earlierMaybeApplied || ae.Code == "idempotency_in_progress"
	}
	var de *DecodeError
	return errors.As(err, &de)
}

// invalidArgf returns an ErrInvalidArgument with a formatted explanation.
func invalidArgf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// newAPIError maps a non-2xx response (status, header and at most 64 KiB of body) to
// *APIError or, for 429, *RateLimitError. It is the one place statuses become errors.
func newAPIError(method, path string, status int, h http.Header, body []byte, now time.Time) error {
	code, msg := parseErrorBody(body)
	if msg == "" {
		msg = strings.ToLower(http.StatusText(status))
	}
	e := APIError{
		StatusCode: status,
		Code:       code,
		Message:    msg,
		Method:     method,
		Path:       path,
		RequestID:  requestID(h),
		Body:       body,
	}
	if status == http.StatusTooManyRequests {
		d, _ := parseRetryAfter(h.Get("Retry-After"), now)
		rl := parseRateLimit(h, now)
		return &RateLimitError{APIError: e, RetryAfter: d, Reset: rl.Reset}
	}
	return &e
}

func requestID(h http.Header) string {
	if id := h.Get("X-Request-Id"); id != "" {
		return id
	}
	return h.Get("X-Correlation-Id")
}

// parseErrorBody extracts (code, message) from every error envelope the server uses:
// {"detail": "msg"}, {"detail": {"message", "code"}}, {"detail": [{"msg", ...}, ...]}
// (FastAPI validation, messages joined), {"error": "msg"} and {"message": "msg"}.
func parseErrorBody(body []byte) (code, msg string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return "", ""
	}
	var env struct {
		Detail  json.RawMessage `json:"detail"`
		Error   json.RawMessage `json:"error"`
		Message json.RawMessage `json:"message"`
		Code    json.RawMessage `json:"code"`
		// ErrorDescription marks an RFC 6749 body (/oauth/token): "error" is then the code.
		ErrorDescription json.RawMessage `json:"error_description"`
	}
	if json.Unmarshal(body, &env) != nil {
		return "", ""
	}
	if len(env.ErrorDescription) > 0 && len(env.Detail) == 0 {
		return jsonString(env.Error), jsonString(env.ErrorDescription)
	}
	code = jsonString(env.Code)
	switch d := bytes.TrimSpace(env.Detail); {
	case len(d) == 0:
	case d[0] == '"':
		msg = jsonString(d)
	case d[0] == '{':
		var obj struct {
			Message json.RawMessage `json:"message"`
			Msg     json.RawMessage `json:"msg"`
			Code    json.RawMessage `json:"code"`
		}
		if json.Unmarshal(d, &obj) == nil {
			msg = firstNonEmpty(jsonString(obj.Message), jsonString(obj.Msg))
			code = firstNonEmpty(jsonString(obj.Code), code)
		}
	case d[0] == '[':
		msg = joinValidationMessages(d)
	}
	if msg == "" {
		msg = firstNonEmpty(jsonString(env.Error), jsonString(env.Message))
	}
	return code, msg
}

// joinValidationMessages turns FastAPI's [{"loc": [...], "msg": "...", "type": "..."}]
// into "body.title: field required; query.limit: ensure this value ...".
func joinValidationMessages(raw []byte) string {
	var items []struct {
		Loc []any  `json:"loc"`
		Msg string `json:"msg"`
	}
	if json.Unmarshal(raw, &items) != nil {
		return ""
	}
	parts := make([]string, 0, len(items))
	for _, it := range items {
		if it.Msg == "" {
			continue
		}
		loc := make([]string, 0, len(it.Loc))
		for _, l := range it.Loc {
			loc = append(loc, fmt.Sprint(l))
		}
		if len(loc) > 0 {
			parts = append(parts, strings.Join(loc, ".")+": "+it.Msg)
		} else {
			parts = append(parts, it.Msg)
		}
	}
	return strings.Join(parts, "; ")
}

// jsonString decodes raw as a JSON string; any other JSON value yields "".
func jsonString(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
