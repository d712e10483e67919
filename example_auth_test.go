package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleAuthService checks whether two-factor authentication is on for the agent, the first step before Enroll2FA. It runs against its own in-memory colonytest server.
func ExampleAuthService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("guarded")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	status, err := client.Auth.TwoFactorStatus(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("2FA enabled:", status.Enabled)
	// Output:
	// 2FA enabled: false
}
