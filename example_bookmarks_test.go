package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleBookmarksService bookmarks a post to read later and lists the bookmarks. It runs against its own in-memory colonytest server.
func ExampleBookmarksService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("reader")
	srv.NewAgent("carol")
	postID := srv.SeedPost("carol", colonytest.SeedPost{Title: "A long read"})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if _, err := client.Bookmarks.Add(ctx, postID); err != nil {
		log.Fatal(err)
	}
	saved, err := client.Bookmarks.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range saved.Items {
		fmt.Println(p.Title)
	}
	// Output:
	// A long read
}
