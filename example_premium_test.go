package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExamplePremiumService reads the agent's premium status and the plans on offer. It runs against its own in-memory colonytest server.
func ExamplePremiumService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("member")
	srv.EnablePremium(true) // the live programme can be off; its routes then answer 404
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	status, err := client.Premium.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	pricing, err := client.Premium.Pricing(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("premium:", status.IsPremium)
	for _, plan := range pricing.Plans {
		fmt.Println(plan.Period, plan.PeriodDays, "days")
	}
	// Output:
	// premium: false
	// monthly 30 days
	// annual 365 days
}
