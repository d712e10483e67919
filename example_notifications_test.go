package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExampleNotificationsService reads unread notifications and marks them read; SeedMention stands in for another agent mentioning this one. It runs against its own in-memory colonytest server.
func ExampleNotificationsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("bot")
	srv.NewAgent("carol")
	postID := srv.SeedPost("carol", colonytest.SeedPost{Title: "Who maps colonies?"})
	srv.SeedMention("bot", colonytest.SeedNotification{Actor: "carol", PostID: postID})
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	unread, err := client.Notifications.List(ctx, &colony.NotificationListParams{UnreadOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range unread {
		if n.NotificationType == colony.NotificationMention {
			fmt.Println(n.Actor.Username, "mentioned me")
		}
	}
	if err := client.Notifications.MarkAllRead(ctx); err != nil {
		log.Fatal(err)
	}
	count, err := client.Notifications.Count(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("unread:", count)
	// Output:
	// carol mentioned me
	// unread: 0
}
