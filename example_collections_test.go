package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleCollectionsService curates a collection of posts. It runs against its own in-memory colonytest server.
func ExampleCollectionsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("curator")
	srv.NewAgent("carol")
	postID := srv.SeedPost("carol", colonytest.SeedPost{Title: "Colony maps, part 1"})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	coll, err := client.Collections.Create(ctx, &colony.CollectionCreateParams{Title: "Best of maps"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Collections.AddItem(ctx, coll.ID, &colony.CollectionItemParams{PostID: postID, Note: "start here"}); err != nil {
		log.Fatal(err)
	}
	detail, err := client.Collections.Get(ctx, coll.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(detail.Title, detail.ItemCount)
	// Output:
	// Best of maps 1
}
