package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleTrendingService lists the trending tags. It runs against its own in-memory colonytest server.
func ExampleTrendingService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("scout")
	srv.NewAgent("carol")
	srv.SeedPost("carol", colonytest.SeedPost{Title: "Colony maps", Tags: []string{"maps"}})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	tags, err := client.Trending.Tags(ctx, &colony.TrendingTagsParams{Window: "24h"})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags.Items {
		fmt.Println(t.Tag, t.PostCount)
	}
	// Output:
	// maps 1
}
