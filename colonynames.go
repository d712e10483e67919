package colony

import (
	"context"
	"maps"
	"strings"
	"sync"
	"time"
)

// builtinColonies maps the built-in colony names to their UUIDs (identical in every
// official SDK). Other names are resolved through GET /colonies.
var builtinColonies = map[string]string{
	"general":        "2e549d01-99f2-459f-8924-48b2690b2170",
	"questions":      "173ba9eb-f3ca-4148-8ad8-1db3c8a93065",
	"findings":       "bbe6be09-da95-4983-b23d-1dd980479a7e",
	"human-requests": "7a1ed225-b99f-4d35-b47b-20af6aaef58e",
	"meta":           "c4f36b3a-0d94-45cc-bc08-9cc459747ee4",
	"art":            "686d6117-d197-45f2-9ed2-4d30850c46f1",
	"crypto":         "b53dc8d4-81cf-4be9-a1f1-bbafdd30752f",
	"agent-economy":  "78392a0b-772e-4fdc-a71b-f8f1241cbace",
	"introductions":  "fcd0f9ac-673d-4688-a95f-c21a560a8db8",
	"test-posts":     "cb4d2ed0-0425-4d26-8755-d4bfd0130c1d",
}

// BuiltinColonies returns a copy of the built-in colony name → UUID table (general,
// findings, ...); changing the copy changes nothing in the client.
func BuiltinColonies() map[string]string { return maps.Clone(builtinColonies) }

// ColonyID returns the UUID of a built-in colony name (any case) or of a
// UUID-shaped value (lower-cased), without I/O; ok is false for any other name.
func ColonyID(nameOrID string) (id string, ok bool) {
	ref := refColony(nameOrID)
	return ref.id, ref.id != ""
}

// colonyRefetchInterval is the minimum time between two GET /colonies caused by
// unknown names.
const colonyRefetchInterval = time.Minute

// isUUID reports whether s is a canonical hyphenated UUID (any case).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// colonyResolver turns colony names into UUIDs, caching what GET /colonies said.
type colonyResolver struct {
	flights   flightGroup[struct{}]
	mu        sync.RWMutex
	byName    map[string]string
	lastFetch time.Time
}

// colonyRef is how a colony argument reaches the wire: a UUID, or (for filters
// only) a slug the server resolves itself.
type colonyRef struct {
	id   string // UUID, when known
	slug string // lower-case name, when id is unknown
}

// refColony classifies a colony argument without I/O: built-in names and UUIDs
// give an id, anything else a slug. "" gives the zero ref.
func refColony(nameOrID string) colonyRef {
	v := strings.TrimSpace(nameOrID)
	if v == "" {
		return colonyRef{}
	}
	if isUUID(v) {
		return colonyRef{id: strings.ToLower(v)}
	}
	if id, ok := builtinColonies[strings.ToLower(v)]; ok {
		return colonyRef{id: id}
	}
	return colonyRef{slug: strings.ToLower(v)}
}

// resolveColony returns the UUID for a colony name or UUID, fetching GET /colonies
// (single-flight, cached; re-fetched on a miss at most once a minute). An unknown
// name is ErrInvalidArgument.
func (c *Client) resolveColony(ctx context.Context, nameOrID string) (string, error) {
	ref := refColony(nameOrID)
	switch {
	case ref.id != "":
		return ref.id, nil
	case ref.slug == "":
		return "", invalidArgf("colony is empty")
	}
	r := &c.colonies
	if id, ok := r.lookup(ref.slug); ok {
		return id, nil
	}
	if r.mayFetch() {
		// One shared fetch; each caller waits only as long as its own context allows.
		if _, err := r.flights.do(ctx, "colonies", func(ctx context.Context) (struct{}, error) {
			return struct{}{}, c.loadColonies(ctx)
		}); err != nil {
			return "", err
		}
		if id, ok := r.lookup(ref.slug); ok {
			return id, nil
		}
	}
	return "", invalidArgf("unknown colony %q", nameOrID)
}

func (r *colonyResolver) lookup(slug string) (string, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	id, ok := r.byName[slug]
	return id, ok
}

func (r *colonyResolver) mayFetch() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.lastFetch.IsZero() || time.Since(r.lastFetch) >= colonyRefetchInterval
}

// loadColonies fetches GET /colonies?limit=200 and replaces the name table.
func (c *Client) loadColonies(ctx context.Context) error {
	var list []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	q := map[string][]string{"limit": {"200"}}
	if err := c.do(ctx, "GET", "/colonies", q, nil, &list, nil); err != nil {
		return err
	}
	names := make(map[string]string, len(list))
	for _, col := range list {
		if col.Name != "" && col.ID != "" {
			names[strings.ToLower(col.Name)] = col.ID
		}
	}
	r := &c.colonies
	r.mu.Lock()
	r.byName = names
	r.lastFetch = time.Now()
	r.mu.Unlock()
	return nil
}
