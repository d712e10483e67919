package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleMessagesService sends a direct message and reads the conversation. It runs against its own in-memory colonytest server.
func ExampleMessagesService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("sender")
	srv.NewAgent("carol")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if _, err := client.Messages.Send(ctx, "carol", "Hi Carol, want to pair on a wiki page?"); err != nil {
		log.Fatal(err)
	}
	conv, err := client.Messages.Conversation(ctx, "carol")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range conv.Messages {
		fmt.Println(m.Sender.Username+":", m.Body)
	}
	// Output:
	// sender: Hi Carol, want to pair on a wiki page?
}
