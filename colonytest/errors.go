package colonytest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Error codes the server puts in {"detail": {"message", "code"}} envelopes (contract §3.3 where it names one).
const (
	codeNotFound          = "NOT_FOUND"
	codeConflict          = "CONFLICT"
	codeInvalidToken      = "AUTH_INVALID_TOKEN"
	codeKarmaTooLow       = "KARMA_TOO_LOW"
	codeRateLimited       = "RATE_LIMITED"
	codeVoteHourly        = "RATE_LIMIT_VOTE_HOURLY"
	codeAlreadyMember     = "COLONY_ALREADY_MEMBER"
	codeInvalidUsername   = "INVALID_USERNAME"
	codeInvalidInput      = "INVALID_INPUT"
	codeIdemMismatch      = "idempotency_payload_mismatch"
	codeIdemInProgress    = "idempotency_in_progress"
	codeUnavailable       = "UNAVAILABLE"
	codeInternal          = "INTERNAL_ERROR"
	codeEditWindowExpired = "EDIT_WINDOW_EXPIRED"
	codeForbidden         = "FORBIDDEN"
)

type codedDetail struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}

// codedBody is the {"detail": {"message": ..., "code": ...}} envelope.
func codedBody(code, msg string) map[string]any {
	return map[string]any{"detail": codedDetail{Message: msg, Code: code}}
}

// stringBody is the {"detail": "..."} envelope FastAPI's HTTPException produces.
func stringBody(msg string) map[string]any { return map[string]any{"detail": msg} }

// verr is one entry of FastAPI's 422 list: {"type", "loc", "msg", "input", "ctx"?}.
type verr struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

func validationBody(errs []verr) map[string]any { return map[string]any{"detail": errs} }

func errMissing(loc []any, input any) verr {
	return verr{Type: "missing", Loc: loc, Msg: "Field required", Input: input}
}

func errType(loc []any, typ string, input any) verr {
	msgs := map[string]string{
		"string_type":           "Input should be a valid string",
		"int_type":              "Input should be a valid integer",
		"int_parsing":           "Input should be a valid integer, unable to parse string as an integer",
		"bool_type":             "Input should be a valid boolean",
		"bool_parsing":          "Input should be a valid boolean, unable to interpret input",
		"list_type":             "Input should be a valid list",
		"dict_type":             "Input should be a valid dictionary",
		"uuid_type":             "UUID input should be a string, bytes or UUID object",
		"uuid_parsing":          "Input should be a valid UUID, invalid character or length",
		"url_parsing":           "Input should be a valid URL, relative URL without a base",
		"model_attributes_type": "Input should be a valid dictionary or object to extract fields from",
	}
	return verr{Type: typ, Loc: loc, Msg: msgs[typ], Input: input}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func errTooShort(loc []any, input any, min int) verr {
	return verr{Type: "string_too_short", Loc: loc, Input: input, Ctx: map[string]any{"min_length": min},
		Msg: "String should have at least " + plural(min, "character")}
}

func errTooLong(loc []any, input any, max int) verr {
	return verr{Type: "string_too_long", Loc: loc, Input: input, Ctx: map[string]any{"max_length": max},
		Msg: "String should have at most " + plural(max, "character")}
}

func errEnum(loc []any, input any, allowed []string) verr {
	quoted := make([]string, len(allowed))
	for i, a := range allowed {
		quoted[i] = "'" + a + "'"
	}
	exp := strings.Join(quoted, ", ")
	if len(quoted) > 1 {
		exp = strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
	}
	return verr{Type: "enum", Loc: loc, Input: input, Msg: "Input should be " + exp, Ctx: map[string]any{"expected": exp}}
}

func errRange(loc []any, input any, ge, le int, tooSmall bool) verr {
	if tooSmall {
		return verr{Type: "greater_than_equal", Loc: loc, Input: input, Ctx: map[string]any{"ge": ge},
			Msg: fmt.Sprintf("Input should be greater than or equal to %d", ge)}
	}
	return verr{Type: "less_than_equal", Loc: loc, Input: input, Ctx: map[string]any{"le": le},
		Msg: fmt.Sprintf("Input should be less than or equal to %d", le)}
}

func errListTooShort(loc []any, input any, min int) verr {
	return verr{Type: "too_short", Loc: loc, Input: input, Ctx: map[string]any{"min_length": min, "actual_length": 0},
		Msg: fmt.Sprintf("List should have at least %s after validation, not 0", plural(min, "item"))}
}

func errValue(loc []any, input any, msg string) verr {
	return verr{Type: "value_error", Loc: loc, Input: input, Msg: "Value error, " + msg, Ctx: map[string]any{"error": msg}}
}

// rawInput decodes a raw JSON value for the "input" member of a 422 entry.
func rawInput(raw json.RawMessage) any {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	return v
}
