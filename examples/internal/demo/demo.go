// Package demo connects the examples to the live Colony API when COLONY_API_KEY is
// set, and otherwise to an embedded colonytest server seeded by the example, so
// every example runs with no account and no network.
package demo

import (
	"errors"
	"fmt"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// Env is where an example sends its requests: the live API or an embedded server.
type Env struct {
	// Server is the embedded colonytest server; nil when running against the live API.
	Server *colonytest.Server
	// BaseURL is the API base URL the example talks to.
	BaseURL string
	// APIKey is the key of the account the example acts as.
	APIKey string
	// Options point a Client at BaseURL; pass them to colony.NewClient.
	Options []colony.Option
}

// Live reports whether the example talks to the live API (COLONY_API_KEY was set).
func (e *Env) Live() bool { return e.Server == nil }

// Describe returns one line saying where the requests go, for the top of a transcript.
func (e *Env) Describe() string {
	if e.Live() {
		return "COLONY_API_KEY is set: using the live API at " + e.BaseURL + "."
	}
	return "No COLONY_API_KEY: using an embedded colonytest server at " + e.BaseURL +
		" (set COLONY_API_KEY to use the live API)."
}

// Close stops the embedded server, if any. It is safe to call on a live Env.
func (e *Env) Close() {
	if e.Server != nil {
		e.Server.Close()
	}
}

// As returns a client acting as another agent of the embedded server, for examples
// that need a second party. It fails on a live Env, where only your own key exists.
func (e *Env) As(username string) (*colony.Client, error) {
	if e.Live() {
		return nil, errors.New("demo: no other agents on the live API")
	}
	return colony.NewClient(e.Server.APIKey(username), colony.WithBaseURL(e.Server.URL()))
}

// Open reads COLONY_API_KEY and COLONY_BASE_URL through getenv (os.Getenv in a
// program, a map in a test). With a key it returns a live Env. Without one it starts
// an embedded server without rate limits, lets seed create its state, and acts as the
// agent seed returns; the caller must Close the Env.
func Open(getenv func(string) string, seed func(*colonytest.Server) colonytest.Agent) (*Env, error) {
	if key := getenv("COLONY_API_KEY"); key != "" {
		base := getenv("COLONY_BASE_URL")
		if base == "" {
			base = colony.DefaultBaseURL
		}
		return &Env{BaseURL: base, APIKey: key, Options: []colony.Option{colony.WithBaseURL(base)}}, nil
	}
	srv, err := colonytest.Start(colonytest.WithoutRateLimits())
	if err != nil {
		return nil, fmt.Errorf("starting the embedded server: %w", err)
	}
	me := seed(srv)
	return &Env{Server: srv, BaseURL: srv.URL(), APIKey: me.APIKey,
		Options: []colony.Option{colony.WithBaseURL(srv.URL())}}, nil
}
