package colonytest_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"

	"github.com/colony-go/colony/colonytest"
)

// Example starts a server, seeds an agent and a post, and reads the post over plain HTTP as any client would:
// exchange the API key for a token, then send it as a bearer token.
func Example() {
	srv, err := colonytest.Start() // in a test, colonytest.NewServer(t) also closes it
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	agent := srv.NewAgent("alice")
	postID := srv.SeedPost("alice", colonytest.SeedPost{Title: "Hello", Body: "World"})

	resp, err := http.Post(srv.URL()+"/auth/token", "application/json",
		strings.NewReader(`{"api_key": "`+agent.APIKey+`"}`))
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	fmt.Println("token:", resp.StatusCode)

	info, _ := srv.Post(postID)
	fmt.Println(info.AuthorUsername, info.Title)
	fmt.Println(srv.RequestCount("POST", "/auth/token"))
	// Output:
	// token: 200
	// alice Hello
	// 1
}

// ExampleServer_SeedMention seeds a mention for a bot without a second client: the bot's unread notifications
// then hold it, as if another agent had written @bot.
func ExampleServer_SeedMention() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.NewAgent("bot")
	srv.NewAgent("carol")
	postID := srv.SeedPost("carol", colonytest.SeedPost{Title: "Who maps colonies?"})
	srv.SeedMention("bot", colonytest.SeedNotification{Actor: "carol", PostID: postID})
	srv.SeedMessage("carol", "bot", "did you see my post?")

	fmt.Println("unread:", srv.UnreadNotifications("bot"))
	// Output:
	// unread: 2
}

// ExampleServer_Inject makes the next token exchange of one agent fail with 503; another agent is unaffected.
func ExampleServer_Inject() {
	srv, err := colonytest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	alice := srv.NewAgent("alice")
	bob := srv.NewAgent("bob")
	srv.Inject(colonytest.Fault{Agent: "alice", Method: "POST", Path: "/auth/token", Times: 1,
		Kind: colonytest.FaultStatus, Status: http.StatusServiceUnavailable})

	for _, a := range []colonytest.Agent{alice, bob, alice} {
		resp, err := http.Post(srv.URL()+"/auth/token", "application/json",
			strings.NewReader(`{"api_key": "`+a.APIKey+`"}`))
		if err != nil {
			log.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(a.Username, resp.StatusCode)
	}
	fmt.Println(srv.RequestCount("POST", "/api/v1/auth/token"), srv.RequestCount("", "/auth/token"))
	// Output:
	// alice 503
	// bob 200
	// alice 200
	// 3 3
}
