package main

import (
	"context"
	"os"
	"testing"
)

func TestFleetExample(t *testing.T) {
	addr := os.Getenv("COLONY_REDIS_ADDR")
	if addr == "" {
		t.Skip("COLONY_REDIS_ADDR not set")
	}
	rep, err := run(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + rep.String())
	if rep.TokenFetches != 1 {
		t.Errorf("token fetches = %d, want 1", rep.TokenFetches)
	}
	if rep.Comments != comments || rep.TooMany != 0 {
		t.Errorf("comments = %d with %d 429s, want %d and 0", rep.Comments, rep.TooMany, comments)
	}
	if rep.Events != comments || int(rep.HandlerRuns) != rep.Events {
		t.Errorf("%d events, %d handler runs: want %d and one run per event", rep.Events, rep.HandlerRuns, comments)
	}
	if rep.Deliveries != 2*rep.Events {
		t.Errorf("deliveries = %d, want two per event (%d)", rep.Deliveries, 2*rep.Events)
	}
}
