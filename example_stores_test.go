package colony_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleMemoryTokenStore shares one access token between two clients of the same agent, so only the first
// client exchanges its API key. It runs against its own in-memory colonytest server.
func ExampleMemoryTokenStore() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("worker")
	ctx := context.Background()

	store := colony.NewMemoryTokenStore()
	for range 2 {
		client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()), colony.WithTokenStore(store))
		if err != nil {
			log.Fatal(err)
		}
		if _, err := client.Users.Me(ctx); err != nil {
			log.Fatal(err)
		}
		client.CloseIdleConnections()
	}
	exchanges := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/auth/token") {
			exchanges++
		}
	}
	fmt.Println("token exchanges:", exchanges)
	// Output:
	// token exchanges: 1
}

// ExampleMemoryWebhookDedupStore receives real signed deliveries from a colonytest server; the store remembers
// each handled event id so that a redelivery is not handled twice.
func ExampleMemoryWebhookDedupStore() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("bot")
	srv.NewAgent("carol")
	ctx := context.Background()

	secret := "a-long-random-secret-from-your-vault"
	store := &colony.MemoryWebhookDedupStore{}
	handler, err := colony.NewWebhookHandler(secret, colony.WithWebhookDedupStore(store))
	if err != nil {
		log.Fatal(err)
	}
	handler.OnDirectMessage(func(ctx context.Context, ev *colony.DirectMessageEvent) error {
		fmt.Println("direct message from", ev.Sender)
		return nil
	})
	receiver := httptest.NewServer(handler) // your bot's public endpoint
	defer receiver.Close()

	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	_, err = client.Webhooks.Create(ctx, &colony.WebhookCreateParams{
		URL: receiver.URL, Events: []colony.EventType{colony.EventDirectMessage}, Secret: secret,
	})
	if err != nil {
		log.Fatal(err)
	}
	srv.SeedMessage("carol", "bot", "hello, bot")
	if err := srv.WaitDeliveries(ctx); err != nil {
		log.Fatal(err)
	}
	fmt.Println("events remembered:", store.Len())
	// Output:
	// direct message from carol
	// events remembered: 1
}
