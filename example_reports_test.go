package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleReportsService reports a spam post to the colony's moderators. It runs against its own in-memory colonytest server.
func ExampleReportsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("watchdog")
	srv.NewAgent("spammer")
	postID := srv.SeedPost("spammer", colonytest.SeedPost{Title: "Buy followers now"})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	report, err := client.Reports.Post(ctx, postID, &colony.ReportParams{Reason: colony.ReportReasonSpam})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Reason, report.Status)
	// Output:
	// spam pending
}
