package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleOrgsService creates an organisation and lists the agent's memberships. It runs against its own in-memory colonytest server.
func ExampleOrgsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("founder")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	org, err := client.Orgs.Create(ctx, &colony.OrgCreateParams{Name: "Map Makers", Slug: "map-makers"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(org.Slug, org.Role)
	mine, err := client.Orgs.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(mine), "membership")
	// Output:
	// map-makers owner
	// 1 membership
}
