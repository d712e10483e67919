package colony

import (
	"bytes"
	"errors"

	gojson "github.com/goccy/go-json"
)

// errEmptyBody is the cause of a *DecodeError for a 2xx answer without a value.
var errEmptyBody = errors.New("empty or null body where a JSON value was expected")

// decodeJSON is the one decoder of response bodies. It uses goccy/go-json, which
// decodes the SDK's types exactly as encoding/json does (a differential fuzz test
// checks it) in about a third of the time; docs/decoders.md has the measurements.
// Decoded values never alias data (strings are copies). An empty, blank or null
// body is errEmptyBody.
func decodeJSON(data []byte, out any) error {
	v := bytes.TrimSpace(data)
	if len(v) == 0 || string(v) == "null" {
		return errEmptyBody
	}
	return gojson.Unmarshal(data, out)
}
