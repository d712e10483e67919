package colony_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// lastRaw is the JSON the decode helpers of the type tests decoded last (they
// decode it at once, so the next assertion reads the same bytes).
var lastRaw []byte

// extraOf returns the members of the JSON object raw that v does not model: those
// a round trip through v drops. The SDK keeps no per-object raw JSON; this is how
// the tests check that every live member has a field.
func extraOf(t *testing.T, raw []byte, v any) map[string]json.RawMessage {
	t.Helper()
	var in, out map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(raw, &in))
	enc, err := json.Marshal(v)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(enc, &out))
	extra := map[string]json.RawMessage{}
	for k, m := range in {
		if _, ok := out[k]; !ok {
			extra[k] = m
		}
	}
	return extra
}

// member returns the JSON value at path (object keys and array indexes) inside raw.
func member(t *testing.T, raw []byte, path ...string) []byte {
	t.Helper()
	for _, p := range path {
		if i, err := strconv.Atoi(p); err == nil {
			var arr []json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &arr))
			raw = arr[i]
			continue
		}
		var obj map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(raw, &obj))
		raw = obj[p]
	}
	return raw
}
