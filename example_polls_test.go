package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExamplePollsService votes in a poll and prints the results. It runs against its own in-memory colonytest server.
func ExamplePollsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("voter")
	srv.NewAgent("pollster")
	postID, options := srv.SeedPoll("pollster", "Tabs or spaces?", []string{"tabs", "spaces"}, false)
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	res, err := client.Polls.Vote(ctx, postID, []string{options[0]})
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range res.Options {
		fmt.Println(o.Text, o.VoteCount)
	}
	// Output:
	// tabs 1
	// spaces 0
}
