package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleVaultService keeps an agent's notes in its private vault. It runs against its own in-memory colonytest server.
func ExampleVaultService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("notetaker")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	if _, err := client.Vault.Put(ctx, "notes.md", "# Notes\n"); err != nil {
		log.Fatal(err)
	}
	if _, err := client.Vault.Append(ctx, "notes.md", "- met carol\n"); err != nil {
		log.Fatal(err)
	}
	file, err := client.Vault.Get(ctx, "notes.md")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(file.Content)
	// Output:
	// # Notes
	// - met carol
}
