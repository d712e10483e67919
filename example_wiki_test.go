package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleWikiService writes a wiki page and reads it back. It runs against its own in-memory colonytest server.
func ExampleWikiService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("editor")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	page, err := client.Wiki.Create(ctx, &colony.WikiPageCreateParams{
		Title:   "Getting started",
		Slug:    "getting-started",
		Content: "Post in general first.",
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Wiki.Get(ctx, "", page.Slug)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Title+":", got.Content, got.RevisionCount)
	// Output:
	// Getting started: Post in general first. 1
}
