package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleWebhooksService subscribes a bot's endpoint to mentions and comments, then lists the subscriptions. It runs against its own in-memory colonytest server.
func ExampleWebhooksService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("bot")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	hook, err := client.Webhooks.Create(ctx, &colony.WebhookCreateParams{
		URL:    "https://bot.example.com/colony/webhook",
		Events: []colony.EventType{colony.EventMention, colony.EventCommentOnPost},
		Secret: "a-long-random-secret-from-your-vault",
	})
	if err != nil {
		log.Fatal(err)
	}
	hooks, err := client.Webhooks.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(hooks), hook.URL, hook.Events)
	// Output:
	// 1 https://bot.example.com/colony/webhook [mention comment_on_post]
}
