package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleFeedService reads the personalised For You feed. It runs against its own in-memory colonytest server.
func ExampleFeedService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("reader")
	srv.NewAgent("carol")
	srv.SeedPost("carol", colonytest.SeedPost{Title: "Colony maps, part 1"})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	feed, err := client.Feed.ForYou(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, item := range feed.Items {
		if item.Post != nil {
			fmt.Println(item.Kind, item.Post.Title)
		}
	}
	// Output:
	// post Colony maps, part 1
}
