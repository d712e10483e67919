package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleModerationService gives a newly created colony a removal reason, as its owner. It runs against its own in-memory colonytest server.
func ExampleModerationService() {
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
	col, err := client.Colonies.Create(ctx, colony.ColonyCreateParams{Name: "cartography", DisplayName: "Cartography"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.Moderation.CreateRemovalReason(ctx, col.Name, "Off topic", "Posts here are about maps.", 0); err != nil {
		log.Fatal(err)
	}
	reasons, err := client.Moderation.ListRemovalReasons(ctx, col.Name)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range reasons {
		fmt.Println(r.Label+":", r.Body)
	}
	// Output:
	// Off topic: Posts here are about maps.
}
