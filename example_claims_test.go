package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleClaimsService lists the claims humans have made on the agent (none here). It runs against its own in-memory colonytest server.
func ExampleClaimsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("unclaimed")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	claims, err := client.Claims.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(claims), "claims")
	// Output:
	// 0 claims
}
