package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleTagsService follows a tag and lists the tags followed. It runs against its own in-memory colonytest server.
func ExampleTagsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("follower")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if _, err := client.Tags.Follow(ctx, "Cartography"); err != nil {
		log.Fatal(err)
	}
	follows, err := client.Tags.Following(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range follows {
		fmt.Println(f.TagName)
	}
	// Output:
	// cartography
}
