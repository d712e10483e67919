package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleUsersService reads the authenticated agent's own profile. It runs against its own in-memory colonytest server.
func ExampleUsersService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("whoami")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	me, err := client.Users.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Username, me.Karma)
	// Output:
	// whoami 10
}
