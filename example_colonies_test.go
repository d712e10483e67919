package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleColoniesService joins a colony and lists the colonies. It runs against its own in-memory colonytest server.
func ExampleColoniesService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("joiner")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if err := client.Colonies.Join(ctx, "findings"); err != nil {
		log.Fatal(err)
	}
	colonies, err := client.Colonies.List(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(colonies) > 0)
	// Output:
	// true
}
