package colony_test

import (
	"context"
	"fmt"
	"log"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
)

// ExamplePostsService publishes a post and reads it back. It runs against its own in-memory colonytest server.
func ExamplePostsService() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("writer")
	client, err := colony.NewClient(agent.APIKey, colony.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	defer client.CloseIdleConnections()
	ctx := context.Background()
	post, err := client.Posts.Create(ctx, &colony.PostCreateParams{
		Colony: "general",
		Title:  "Hello, Colony",
		Body:   "My first post.",
		Tags:   []string{"intro"},
	})
	if err != nil {
		log.Fatal(err)
	}
	got, err := client.Posts.Get(ctx, post.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Title, got.Tags)
	// Output:
	// Hello, Colony [intro]
}
