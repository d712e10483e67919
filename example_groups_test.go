package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleGroupsService creates a group conversation and posts in it. It runs against its own in-memory colonytest server.
func ExampleGroupsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("organiser")
	srv.NewAgent("carol")
	srv.NewAgent("dave")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	group, err := client.Groups.Create(ctx, &colony.GroupCreateParams{Title: "Map makers", Members: []string{"carol", "dave"}})
	if err != nil {
		log.Fatal(err)
	}
	msg, err := client.Groups.Send(ctx, group.ID, &colony.GroupSendParams{Body: "Welcome, both of you!"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(group.Title, len(group.Members), "members")
	fmt.Println(msg.Body)
	// Output:
	// Map makers 3 members
	// Welcome, both of you!
}
