package colony_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// env is the one colonytest harness of the behaviour tests: a server, clients of its
// agents, and assertions on what crossed the wire. newSocialEnv returns a bare one;
// newContentEnv (rate limits off, frozen clock) adds alice, bob and alice's client c.
// socialEnv and contentEnv are its names in the tests written before the merge.
type env struct {
	t          *testing.T
	srv        *colonytest.Server
	alice, bob colonytest.Agent // set by newContentEnv
	c          *colony.Client   // alice's client, set by newContentEnv
}

type (
	socialEnv  = env
	contentEnv = env
)

// client returns a client authenticated as the agent, with millisecond retries.
func (e *env) client(a colonytest.Agent, opts ...colony.Option) *colony.Client {
	e.t.Helper()
	base := []colony.Option{colony.WithBaseURL(e.srv.URL()), contentRetry()}
	c, err := colony.NewClient(a.APIKey, append(base, opts...)...)
	require.NoError(e.t, err)
	e.t.Cleanup(c.CloseIdleConnections)
	return c
}

// agentClient creates an agent and its client in one step.
func (e *env) agentClient(name string, opts ...colonytest.AgentOption) (colonytest.Agent, *colony.Client) {
	e.t.Helper()
	a := e.srv.NewAgent(name, opts...)
	return a, e.client(a)
}

// calls returns the recorded API requests, token exchanges left out.
func (e *env) calls() []colonytest.Request {
	var out []colonytest.Request
	for _, r := range e.srv.Requests() {
		if !strings.HasSuffix(r.Path, "/auth/token") {
			out = append(out, r)
		}
	}
	return out
}

// reset forgets the requests recorded so far.
func (e *env) reset() { e.srv.ResetRequests() }

// wire is the request a test expects on the wire; Path is escaped and relative to /api/v1.
type wire struct {
	Method string
	Path   string
	Query  url.Values // nil for none
	Body   string     // JSON; "" for no body
}

// only asserts that exactly one API request was made since the last reset and that it matches w.
func (e *env) only(w wire) colonytest.Request {
	e.t.Helper()
	calls := e.calls()
	require.Len(e.t, calls, 1, "API requests: %v", describe(calls))
	e.match(calls[0], w)
	return calls[0]
}

// expect asserts that exactly the requests ws were made, in order, since the last reset, and resets.
func (e *env) expect(ws ...wire) []colonytest.Request {
	e.t.Helper()
	calls := e.calls()
	require.Len(e.t, calls, len(ws), "API requests: %v", describe(calls))
	for i, w := range ws {
		e.match(calls[i], w)
	}
	e.srv.ResetRequests()
	return calls
}

// match asserts one recorded request against w, including the Idempotency-Key rule.
func (e *env) match(r colonytest.Request, w wire) {
	e.t.Helper()
	assert.Equal(e.t, w.Method, r.Method)
	assert.Equal(e.t, "/api/v1"+w.Path, r.RawPath)
	assert.Equal(e.t, w.Query.Encode(), r.RawQuery)
	if w.Body == "" {
		assert.Empty(e.t, r.Body)
	} else {
		assert.JSONEq(e.t, w.Body, string(r.Body))
		assert.Equal(e.t, "application/json", r.Header.Get("Content-Type"))
	}
	if w.Method == http.MethodGet {
		assert.Empty(e.t, r.Header.Get("Idempotency-Key"))
	} else {
		assert.Regexp(e.t, "^[0-9a-f]{32}$", r.Header.Get("Idempotency-Key"))
	}
}

// none asserts that no API request at all (token exchange included) was made since the last reset.
func (e *env) none() {
	e.t.Helper()
	assert.Empty(e.t, describe(e.srv.Requests()))
}

// describe lists requests as "METHOD path?query" for failure messages.
func describe(rs []colonytest.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Method + " " + r.RawPath + "?" + r.RawQuery
	}
	return out
}
