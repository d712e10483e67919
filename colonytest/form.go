package colonytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// form reads a JSON object request body field by field, collecting FastAPI-style validation errors.
type form struct {
	m     map[string]json.RawMessage
	input any
	errs  []verr
}

// parseForm decodes body as a JSON object; it returns (nil, errs) when the body is not one.
func parseForm(contentType string, body []byte, required bool) (*form, []verr) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		if required {
			return nil, []verr{errMissing([]any{"body"}, nil)}
		}
		return &form{m: map[string]json.RawMessage{}, input: map[string]any{}}, nil
	}
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, []verr{errType([]any{"body"}, "model_attributes_type", string(body))}
		}
	}
	var input any
	if err := json.Unmarshal(trimmed, &input); err != nil {
		pos := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			pos = int(se.Offset)
		}
		return nil, []verr{{Type: "json_invalid", Loc: []any{"body", pos}, Msg: "JSON decode error",
			Input: map[string]any{}, Ctx: map[string]any{"error": "Expecting value"}}}
	}
	if _, ok := input.(map[string]any); !ok {
		return nil, []verr{errType([]any{"body"}, "model_attributes_type", input)}
	}
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(trimmed, &m)
	return &form{m: m, input: input}, nil
}

func bodyLoc(name string) []any { return []any{"body", name} }

// raw returns the field's raw JSON; a JSON null counts as absent.
func (f *form) raw(name string, required bool) (json.RawMessage, bool) {
	r, ok := f.m[name]
	if !ok || string(r) == "null" {
		if required {
			f.errs = append(f.errs, errMissing(bodyLoc(name), f.input))
		}
		return nil, false
	}
	return r, true
}

// has reports whether the field is present with a non-null value.
func (f *form) has(name string) bool {
	r, ok := f.m[name]
	return ok && string(r) != "null"
}

// str reads a string field whose length in characters must lie in [min, max] (max 0 = unbounded).
func (f *form) str(name string, required bool, min, max int) (string, bool) {
	r, ok := f.raw(name, required)
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(r, &s) != nil {
		f.errs = append(f.errs, errType(bodyLoc(name), "string_type", rawInput(r)))
		return "", false
	}
	n := utf8.RuneCountInString(s)
	if n < min {
		f.errs = append(f.errs, errTooShort(bodyLoc(name), s, min))
		return "", false
	}
	if max > 0 && n > max {
		f.errs = append(f.errs, errTooLong(bodyLoc(name), s, max))
		return "", false
	}
	return s, true
}

// integer reads an integer field; like pydantic's lax mode it accepts 2.0 and "2" but not true or 2.5.
func (f *form) integer(name string, required bool) (int, bool) {
	r, ok := f.raw(name, required)
	if !ok {
		return 0, false
	}
	var v any
	_ = json.Unmarshal(r, &v)
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
		f.errs = append(f.errs, verr{Type: "int_from_float", Loc: bodyLoc(name), Input: x,
			Msg: "Input should be a valid integer, got a number with a fractional part"})
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
			return n, true
		}
		f.errs = append(f.errs, errType(bodyLoc(name), "int_parsing", x))
	default:
		f.errs = append(f.errs, errType(bodyLoc(name), "int_type", v))
	}
	return 0, false
}

// boolean reads a boolean field.
func (f *form) boolean(name string, required bool) (bool, bool) {
	r, ok := f.raw(name, required)
	if !ok {
		return false, false
	}
	var b bool
	if json.Unmarshal(r, &b) != nil {
		f.errs = append(f.errs, errType(bodyLoc(name), "bool_type", rawInput(r)))
		return false, false
	}
	return b, true
}

// strList reads an array of strings.
func (f *form) strList(name string, required bool) ([]string, bool) {
	r, ok := f.raw(name, required)
	if !ok {
		return nil, false
	}
	var items []json.RawMessage
	if json.Unmarshal(r, &items) != nil {
		f.errs = append(f.errs, errType(bodyLoc(name), "list_type", rawInput(r)))
		return nil, false
	}
	out := make([]string, 0, len(items))
	bad := false
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) != nil {
			f.errs = append(f.errs, errType([]any{"body", name, i}, "string_type", rawInput(it)))
			bad = true
			continue
		}
		out = append(out, s)
	}
	return out, !bad
}

// object reads a JSON object field.
func (f *form) object(name string) (map[string]any, bool) {
	r, ok := f.raw(name, false)
	if !ok {
		return nil, false
	}
	var m map[string]any
	if json.Unmarshal(r, &m) != nil || m == nil {
		f.errs = append(f.errs, errType(bodyLoc(name), "dict_type", rawInput(r)))
		return nil, false
	}
	return m, true
}

// uuid reads a UUID string field and returns it in canonical lower-case form.
func (f *form) uuid(name string, required bool) (string, bool) {
	r, ok := f.raw(name, required)
	if !ok {
		return "", false
	}
	var s string
	if json.Unmarshal(r, &s) != nil {
		f.errs = append(f.errs, errType(bodyLoc(name), "uuid_type", rawInput(r)))
		return "", false
	}
	id, ok := canonicalUUID(s)
	if !ok {
		f.errs = append(f.errs, errType(bodyLoc(name), "uuid_parsing", s))
		return "", false
	}
	return id, true
}

// query reads query parameters with FastAPI-style errors.
type query struct {
	v    url.Values
	errs []verr
}

func queryLoc(name string) []any { return []any{"query", name} }

// integer reads an integer query parameter within [min, max], or def when absent.
func (q *query) integer(name string, def, min, max int) int {
	s := q.v.Get(name)
	if !q.v.Has(name) {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		q.errs = append(q.errs, errType(queryLoc(name), "int_parsing", s))
		return def
	}
	if n < min {
		q.errs = append(q.errs, errRange(queryLoc(name), s, min, max, true))
		return def
	}
	if max > 0 && n > max {
		q.errs = append(q.errs, errRange(queryLoc(name), s, min, max, false))
		return def
	}
	return n
}

// enum reads a string query parameter restricted to allowed values, or def when absent.
func (q *query) enum(name, def string, allowed ...string) string {
	if !q.v.Has(name) {
		return def
	}
	s := q.v.Get(name)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	q.errs = append(q.errs, errEnum(queryLoc(name), s, allowed))
	return def
}

// boolean reads a boolean query parameter the way FastAPI does (true/false/1/0/yes/no/on/off).
func (q *query) boolean(name string) bool {
	if !q.v.Has(name) {
		return false
	}
	switch strings.ToLower(q.v.Get(name)) {
	case "true", "1", "yes", "on", "t", "y":
		return true
	case "false", "0", "no", "off", "f", "n":
		return false
	}
	q.errs = append(q.errs, errType(queryLoc(name), "bool_parsing", q.v.Get(name)))
	return false
}

// uuid reads an optional UUID query parameter.
func (q *query) uuid(name string) (string, bool) {
	if !q.v.Has(name) {
		return "", false
	}
	id, ok := canonicalUUID(q.v.Get(name))
	if !ok {
		q.errs = append(q.errs, errType(queryLoc(name), "uuid_parsing", q.v.Get(name)))
		return "", false
	}
	return id, true
}

// str reads a string query parameter with a minimum length when present.
func (q *query) str(name string, required bool, min int) string {
	if !q.v.Has(name) {
		if required {
			q.errs = append(q.errs, errMissing(queryLoc(name), nil))
		}
		return ""
	}
	s := q.v.Get(name)
	if utf8.RuneCountInString(s) < min {
		q.errs = append(q.errs, errTooShort(queryLoc(name), s, min))
		return ""
	}
	return s
}
