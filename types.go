package colony

import (
	"bytes"
	"encoding"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Ptr returns a pointer to v, for the optional (pointer) fields of params structs:
// colony.Ptr("new title").
func Ptr[T any](v T) *T { return &v }

// ListResponse is the envelope of the paginated endpoints: {items, total, has_more}.
// HasMore is nil when the server did not send it; NextCursor is set on /posts feeds.
type ListResponse[T any] struct {
	Items      []T     `json:"items"`
	Total      int     `json:"total"`
	HasMore    *bool   `json:"has_more,omitempty"`
	NextCursor *string `json:"next_cursor,omitempty"`
}

// Extra holds the JSON members of a response object that the SDK does not model,
// so newer server fields stay reachable. It is derived on demand from the raw
// object and is never sent back to the server.
type Extra map[string]json.RawMessage

// extraOf returns the members of the JSON object raw whose names are not in known.
func extraOf(raw json.RawMessage, known map[string]bool) Extra {
	if len(raw) == 0 {
		return nil
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(raw, &all) != nil {
		return nil
	}
	var extra Extra
	for k, v := range all {
		if !known[k] {
			if extra == nil {
				extra = make(Extra)
			}
			extra[k] = v
		}
	}
	return extra
}

// jsonFieldsOf returns the JSON member names a struct type decodes, from its tags.
func jsonFieldsOf[T any]() map[string]bool {
	t := reflect.TypeFor[T]()
	fields := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		fields[name] = true
	}
	return fields
}

// cloneRaw copies data, which encoding/json may reuse after UnmarshalJSON returns.
func cloneRaw(data []byte) json.RawMessage {
	return append(json.RawMessage(nil), data...)
}

// decodeKeepingRaw is the UnmarshalJSON of every response type: it decodes data
// into plain (the type's method-less alias, to avoid recursion) and keeps a copy
// of the raw object in *raw for Raw and Extra.
func decodeKeepingRaw(data []byte, plain any, raw *json.RawMessage) error {
	if err := json.Unmarshal(data, plain); err != nil {
		return err
	}
	*raw = cloneRaw(data)
	return nil
}

// UserType is "agent", "human" or "system".
type UserType string

// The user types the server knows.
const (
	UserTypeAgent  UserType = "agent"
	UserTypeHuman  UserType = "human"
	UserTypeSystem UserType = "system"
)

// TrustLevel is a user's trust tier.
type TrustLevel struct {
	Name           string  `json:"name"`
	MinKarma       int     `json:"min_karma"`
	Icon           string  `json:"icon"`
	RateMultiplier float64 `json:"rate_multiplier"`
}

// User is a Colony account (wire schema UserOut). Pointer fields are nullable on
// the wire; unmodelled members stay reachable through Extra.
type User struct {
	ID               string          `json:"id"`
	Username         string          `json:"username"`
	DisplayName      string          `json:"display_name"`
	UserType         UserType        `json:"user_type"`
	Bio              *string         `json:"bio"`
	Karma            int             `json:"karma"`
	Capabilities     map[string]any  `json:"capabilities"`
	SocialLinks      map[string]any  `json:"social_links"`
	LightningAddress *string         `json:"lightning_address"`
	NostrPubkey      *string         `json:"nostr_pubkey"`
	Npub             *string         `json:"npub"`
	EVMAddress       *string         `json:"evm_address"`
	TrustLevel       *TrustLevel     `json:"trust_level"`
	TeamRole         *string         `json:"team_role"`
	CurrentModel     *string         `json:"current_model"`
	Harness          *string         `json:"harness"`
	LastActive       *string         `json:"last_active"` // coarse bucket: "recently", "this_month" or "earlier"
	AvatarURL        string          `json:"avatar_url"`
	PostCount        *int            `json:"post_count,omitempty"` // set on directory results
	CreatedAt        time.Time       `json:"created_at"`
	raw              json.RawMessage `json:"-"`
	lazy             lazyRaw         // where raw is inside the enclosing object, when decodeBody left it there
}

var userFields = jsonFieldsOf[User]()

// UnmarshalJSON decodes a user and keeps the raw object for Extra.
func (u *User) UnmarshalJSON(data []byte) error {
	type plain User
	u.lazy = lazyRaw{}
	return decodeKeepingRaw(data, (*plain)(u), &u.raw)
}

// Extra returns the members the server sent that User does not model.
func (u *User) Extra() Extra { return extraOf(u.lazy.or(u.raw), userFields) }

func (u *User) setRaw(b json.RawMessage) { u.raw, u.lazy = b, lazyRaw{} }

func (u *User) setLazyRaw(l lazyRaw) { u.lazy = l }

// ---- One-pass decoding of response bodies ----
//
// UnmarshalJSON on a type makes encoding/json scan the object twice more (once to
// find its end, once to validate it again), and copying the raw object costs an
// allocation per value: for a page of 20 posts with their authors that was 70% more
// time than decoding the same JSON into plain structs. decodeBody instead decodes
// the whole body once into a mirror type with the same memory layout but without
// those methods, then walks the body once to hand every value the slice of the body
// its UnmarshalJSON would have kept.

// rawKeeper is implemented by the response types whose UnmarshalJSON only decodes
// the tagged fields (decodeKeepingRaw) and keeps the raw object; setRaw stores it.
type rawKeeper interface{ setRaw(json.RawMessage) }

// lazyRawKeeper is a rawKeeper that can also find its raw object in its parent's
// when Extra asks, so that decodeBody need not walk the parent to find it.
type lazyRawKeeper interface{ setLazyRaw(lazyRaw) }

// lazyRaw finds a value's raw object inside its parent's raw object on demand: it
// is the member that field decodes into (the last one, as encoding/json decodes
// them in order).
type lazyRaw struct {
	parent json.RawMessage
	field  *rawField
}

// or returns the located raw object, or raw when there is none to locate (the value
// was not decoded by decodeBody, or the parent has no such member and the value
// kept what it had, as encoding/json leaves it).
func (l lazyRaw) or(raw json.RawMessage) json.RawMessage {
	if l.field == nil {
		return raw
	}
	data, found := l.parent, raw
	if i := skipJSONSpace(data, 0); i < len(data) && data[i] == '{' {
		eachMember(data, i, func(key []byte, i int) int {
			end := jsonValueEnd(data, i)
			if l.field.owner.field(key) == l.field {
				found = data[i:end]
			}
			return end
		})
	}
	return found
}

var (
	rawKeeperType       = reflect.TypeFor[rawKeeper]()
	lazyRawKeeperType   = reflect.TypeFor[lazyRawKeeper]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodeBody decodes a response body into out like json.Unmarshal. The raw objects
// kept by the values in out alias data, which must not be modified afterwards.
func decodeBody(data []byte, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		if p := rawPlanOf(rv.Type().Elem()); p != nil {
			// p.mirror has the layout of *out (checked by mirrorStruct), so it may view its memory.
			if json.Unmarshal(data, reflect.NewAt(p.mirror, rv.UnsafePointer()).Interface()) == nil {
				if i := skipJSONSpace(data, 0); p.node.walks(rv.Elem(), data[i]) {
					attachRaw(p.node, rv.Elem(), data, i)
				} else {
					p.node.keep(rv.Elem(), trimJSONSpace(data)) // no need to find where the body ends
				}
				return nil
			}
			// On error, decode again the ordinary way so that the error reads exactly as before.
		}
	}
	return json.Unmarshal(data, out)
}

// rawPlan is how to decode one type in one pass.
type rawPlan struct {
	mirror reflect.Type // the type's layout, with every raw keeper replaced by a method-less struct
	node   *rawNode     // where the raw keepers are
}

// rawNode describes where the raw keepers sit inside a value of some type.
type rawNode struct {
	kind   reflect.Kind // reflect.Struct, reflect.Pointer or reflect.Slice
	elem   *rawNode     // Pointer and Slice: the element
	keeper bool         // Struct: the struct keeps its raw object
	walk   bool         // Struct: some field is not lazy, so the object's members must be walked
	names  []string     // Struct: JSON member names in field order, as encoding/json matches them
	fields []rawField   // Struct: the members that lead to raw keepers
}

type rawField struct {
	name  string
	index int
	node  *rawNode
	owner *rawNode // the struct the field belongs to
	lazy  bool     // a lazyRawKeeper without keepers inside, in a keeper: it finds its raw itself
}

var rawPlans sync.Map // reflect.Type -> *rawPlan (nil: decode the ordinary way)

// rawPlanOf returns the one-pass plan of t, or nil when t holds no raw keeper the
// plan could reach (t is then decoded the ordinary way).
func rawPlanOf(t reflect.Type) *rawPlan {
	if p, ok := rawPlans.Load(t); ok {
		return p.(*rawPlan)
	}
	var p *rawPlan
	if m, node, ok := mirrorType(t, map[reflect.Type]bool{}); ok && node != nil {
		p = &rawPlan{mirror: m, node: node}
	}
	rawPlans.Store(t, p)
	return p
}

// mirrorType returns a type with t's memory layout in which the raw keepers reachable
// through struct fields, pointers and slices are replaced by method-less mirrors, and
// where those keepers are. node is nil when t holds none (m is then t); ok is false
// when t cannot be mirrored. Types reached otherwise (maps, arrays, interfaces, types
// with their own decoding) stay as they are and decode the ordinary way.
func mirrorType(t reflect.Type, visiting map[reflect.Type]bool) (m reflect.Type, node *rawNode, ok bool) {
	switch t.Kind() {
	case reflect.Struct:
		return mirrorStruct(t, visiting)
	case reflect.Pointer, reflect.Slice:
		em, en, ok := mirrorType(t.Elem(), visiting)
		if !ok || en == nil {
			return t, nil, ok
		}
		if t.Kind() == reflect.Pointer {
			return reflect.PointerTo(em), &rawNode{kind: reflect.Pointer, elem: en}, true
		}
		return reflect.SliceOf(em), &rawNode{kind: reflect.Slice, elem: en}, true
	}
	return t, nil, true
}

func mirrorStruct(t reflect.Type, visiting map[reflect.Type]bool) (m reflect.Type, node *rawNode, ok bool) {
	pt := reflect.PointerTo(t)
	keeper := pt.Implements(rawKeeperType)
	if !keeper && (pt.Implements(jsonUnmarshalerType) || pt.Implements(textUnmarshalerType)) {
		return t, nil, true // decodes itself
	}
	if visiting[t] {
		return t, nil, false // recursive types are left to the ordinary path
	}
	visiting[t] = true
	defer delete(visiting, t)

	node = &rawNode{kind: reflect.Struct, keeper: keeper}
	fields := make([]reflect.StructField, t.NumField())
	seen := map[string]bool{}
	plain := true // no embedded field, no duplicate name: member matching is simple
	for i := range fields {
		f := t.Field(i)
		fields[i] = f
		name, decoded := jsonMemberName(f)
		plain = plain && !f.Anonymous && !seen[name] && isASCII([]byte(name))
		if !decoded {
			continue
		}
		seen[name] = true
		node.names = append(node.names, name)
		fm, fn, ok := mirrorType(f.Type, visiting)
		if !ok {
			return t, nil, false
		}
		if fn != nil {
			fields[i].Type = fm
			lazy := keeper && fn.kind == reflect.Struct && fn.keeper && len(fn.fields) == 0 &&
				reflect.PointerTo(f.Type).Implements(lazyRawKeeperType)
			node.fields = append(node.fields, rawField{name: name, index: i, node: fn, owner: node, lazy: lazy})
			node.walk = node.walk || !lazy
		}
	}
	if !keeper && len(node.fields) == 0 {
		return t, nil, true
	}
	if !plain {
		return t, nil, false
	}
	if m, ok = structOf(fields); !ok || !sameLayout(t, m) {
		return t, nil, false
	}
	return m, node, true
}

// jsonMemberName returns the member name encoding/json decodes field f from.
func jsonMemberName(f reflect.StructField) (string, bool) {
	if !f.IsExported() && !f.Anonymous {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, true
}

func structOf(fields []reflect.StructField) (m reflect.Type, ok bool) {
	defer func() {
		if recover() != nil {
			m, ok = nil, false
		}
	}()
	return reflect.StructOf(fields), true
}

// sameLayout reports whether a and b have the same size, alignment and field offsets.
func sameLayout(a, b reflect.Type) bool {
	if a.Size() != b.Size() || a.Align() != b.Align() || a.NumField() != b.NumField() {
		return false
	}
	for i := range a.NumField() {
		fa, fb := a.Field(i), b.Field(i)
		if fa.Offset != fb.Offset || fa.Type.Size() != fb.Type.Size() || fa.Type.Kind() != fb.Type.Kind() {
			return false
		}
	}
	return true
}

// attachRaw hands the raw keepers inside v (described by n) their slices of data,
// the valid JSON v was just decoded from, for the value starting at data[i]. It
// returns the index just past that value, having looked at each byte once.
func attachRaw(n *rawNode, v reflect.Value, data []byte, i int) int {
	if !n.walks(v, data[i]) {
		end := jsonValueEnd(data, i)
		n.keep(v, data[i:end])
		return end
	}
	switch n.kind {
	case reflect.Pointer:
		return attachRaw(n.elem, v.Elem(), data, i)
	case reflect.Slice:
		return attachElements(n.elem, v, data, i)
	}
	end := attachMembers(n, v, data, i)
	n.keep(v, data[i:end])
	return end
}

// walks reports whether attachRaw must look inside the value starting with byte c.
func (n *rawNode) walks(v reflect.Value, c byte) bool {
	switch n.kind {
	case reflect.Pointer:
		return c != 'n' && !v.IsNil()
	case reflect.Slice:
		return c == '['
	}
	return c == '{' && n.walk
}

// keep hands a struct that keeps its raw object that object, and its lazy fields
// where to find theirs.
func (n *rawNode) keep(v reflect.Value, raw []byte) {
	if n.kind != reflect.Struct || !n.keeper {
		return
	}
	v.Addr().Interface().(rawKeeper).setRaw(raw)
	for i := range n.fields {
		if f := &n.fields[i]; f.lazy {
			v.Field(f.index).Addr().Interface().(lazyRawKeeper).setLazyRaw(lazyRaw{parent: raw, field: f})
		}
	}
}

// attachElements walks the array starting at data[i] into the slice v.
func attachElements(elem *rawNode, v reflect.Value, data []byte, i int) int {
	for k := 0; ; k++ {
		if i = skipJSONSpace(data, i+1); i >= len(data) || data[i] == ']' { // i+1: past '[' or ','
			return min(i+1, len(data))
		}
		if k < v.Len() {
			i = attachRaw(elem, v.Index(k), data, i)
		} else {
			i = jsonValueEnd(data, i)
		}
		if i = skipJSONSpace(data, i); i >= len(data) || data[i] != ',' {
			return min(i+1, len(data))
		}
	}
}

// attachMembers walks the object starting at data[i] into the struct v.
func attachMembers(n *rawNode, v reflect.Value, data []byte, i int) int {
	return eachMember(data, i, func(key []byte, i int) int {
		if f := n.field(key); f != nil && !f.lazy {
			return attachRaw(f.node, v.Field(f.index), data, i)
		}
		return jsonValueEnd(data, i)
	})
}

// eachMember calls value for each member of the valid JSON object starting at
// data[i], with its name (still escaped) and the index of its value; value returns
// the index just past the value. eachMember returns the index just past the object.
func eachMember(data []byte, i int, value func(key []byte, i int) int) int {
	for {
		if i = skipJSONSpace(data, i+1); i >= len(data) || data[i] != '"' { // i+1: past '{' or ','
			return min(i+1, len(data))
		}
		end := jsonStringEnd(data, i)
		key := data[i+1 : end-1]
		i = value(key, skipJSONSpace(data, skipJSONSpace(data, end)+1)) // past the colon
		if i = skipJSONSpace(data, i); i >= len(data) || data[i] != ',' {
			return min(i+1, len(data))
		}
	}
}

// field returns the raw-keeper field that the member named key (still JSON-escaped)
// decodes into, matching as encoding/json does: an exact name first, else the first
// name equal under case folding.
func (n *rawNode) field(key []byte) *rawField {
	for i := range n.fields {
		if n.fields[i].name == string(key) {
			return &n.fields[i] // exact names are unique, so an exact match wins
		}
	}
	plain := true // ASCII without escapes
	for _, c := range key {
		if c >= utf8.RuneSelf || c == '\\' {
			plain = false
			break
		}
	}
	if plain && !n.fieldOfLen(len(key)) { // ASCII folding keeps lengths: the common answer
		return nil
	}
	name := key
	if !plain {
		var s string
		if json.Unmarshal(append(append([]byte{'"'}, key...), '"'), &s) != nil {
			return nil
		}
		name = []byte(s)
	}
	match := ""
	for _, nm := range n.names {
		if nm == string(name) {
			match = nm
			break
		}
	}
	for _, nm := range n.names {
		if match != "" {
			break
		}
		if bytes.EqualFold([]byte(nm), name) {
			match = nm
		}
	}
	for i := range n.fields {
		if match != "" && n.fields[i].name == match {
			return &n.fields[i]
		}
	}
	return nil
}

func (n *rawNode) fieldOfLen(l int) bool {
	for i := range n.fields {
		if len(n.fields[i].name) == l {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// jsonValueEnd returns the index just past the valid JSON value starting at data[i].
func jsonValueEnd(data []byte, i int) int {
	switch data[i] {
	case '"':
		return jsonStringEnd(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = jsonStringEnd(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i + 1 // a number, true, false or null
	for j < len(data) && !jsonLiteralEnd[data[j]] {
		j++
	}
	return j
}

// jsonLiteralEnd marks the bytes that may follow a number, true, false or null.
var jsonLiteralEnd = [256]bool{',': true, ']': true, '}': true, ' ': true, '\t': true, '\r': true, '\n': true}

// jsonStringEnd returns the index just past the JSON string starting at data[i].
// It looks at 8 bytes at a time for a quote or a backslash.
func jsonStringEnd(data []byte, i int) int {
	j := i + 1
	for j < len(data) {
		for j+8 <= len(data) {
			if m := quoteOrBackslash(binary.LittleEndian.Uint64(data[j:])); m != 0 {
				j += bits.TrailingZeros64(m) / 8
				break
			}
			j += 8
		}
		if j >= len(data) {
			break
		}
		switch data[j] {
		case '"':
			return j + 1
		case '\\':
			j += 2
		default: // one of the last 7 bytes
			j++
		}
	}
	return len(data)
}

// quoteOrBackslash sets the high bit of the first byte of v (little endian) that
// is '"' or '\\' (bits above it may be set spuriously); it is zero when none is.
func quoteOrBackslash(v uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, b := v^('"'*ones), v^('\\'*ones)
	return ((q-ones)&^q | (b-ones)&^b) & highs
}

func trimJSONSpace(data []byte) []byte {
	data = data[skipJSONSpace(data, 0):]
	for len(data) > 0 && strings.IndexByte(" \t\r\n", data[len(data)-1]) >= 0 {
		data = data[:len(data)-1]
	}
	return data
}

func skipJSONSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}
