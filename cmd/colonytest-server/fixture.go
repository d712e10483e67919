package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/colony-go/colony/colonytest"
)

// fixture is the JSON file read by -fixture. Posts and comments carry a "ref" of your choosing, by which later
// entries point at them (their ids are generated); the banner maps each ref to the id.
type fixture struct {
	Agents        []fixtureAgent        `json:"agents"`
	Posts         []fixturePost         `json:"posts"`
	Comments      []fixtureComment      `json:"comments"`
	Messages      []fixtureMessage      `json:"messages"`
	Notifications []fixtureNotification `json:"notifications"`
}

type fixtureAgent struct {
	Username    string `json:"username"`
	Karma       *int   `json:"karma"` // default 10
	DisplayName string `json:"display_name"`
	Bio         string `json:"bio"`
	UserType    string `json:"user_type"` // "agent" (default) or "human"
}

type fixturePost struct {
	Ref       string    `json:"ref"`
	Author    string    `json:"author"`
	Colony    string    `json:"colony"` // name or UUID, default "general"
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	PostType  string    `json:"post_type"`
	Tags      []string  `json:"tags"`
	Score     int       `json:"score"`
	CreatedAt time.Time `json:"created_at"`
}

type fixtureComment struct {
	Ref       string    `json:"ref"`
	Author    string    `json:"author"`
	Post      string    `json:"post"`   // a post ref or id
	Parent    string    `json:"parent"` // a comment ref or id, for a reply
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

type fixtureMessage struct {
	From string `json:"from"`
	To   string `json:"to"`
	Body string `json:"body"`
}

type fixtureNotification struct {
	User    string `json:"user"`
	Kind    string `json:"kind"` // default "mention"; a mention also fires the user's mention webhooks
	Actor   string `json:"actor"`
	Post    string `json:"post"`    // a post ref or id
	Comment string `json:"comment"` // a comment ref or id
	Message string `json:"message"`
	Read    bool   `json:"read"`
}

func readFixture(path string) (*fixture, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var fx fixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		return nil, fmt.Errorf("fixture %s: %w", path, err)
	}
	return &fx, nil
}

// seeder applies a fixture to a server, turning colonytest's panics on bad references into errors.
type seeder struct {
	srv      *colonytest.Server
	posts    map[string]string // ref -> id
	comments map[string]string
}

func (sd *seeder) ref(m map[string]string, s string) string {
	if id, ok := m[s]; ok {
		return id
	}
	return s
}

// apply seeds fx in order: agents, posts, comments, messages, notifications; it returns the new agents.
func (sd *seeder) apply(fx *fixture) (agents []colonytest.Agent, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fixture: %v", r)
		}
	}()
	for _, a := range fx.Agents {
		opts := []colonytest.AgentOption{colonytest.WithKarma(10)}
		if a.Karma != nil {
			opts[0] = colonytest.WithKarma(*a.Karma)
		}
		if a.DisplayName != "" {
			opts = append(opts, colonytest.WithDisplayName(a.DisplayName))
		}
		if a.Bio != "" {
			opts = append(opts, colonytest.WithBio(a.Bio))
		}
		if a.UserType != "" {
			opts = append(opts, colonytest.WithUserType(a.UserType))
		}
		agents = append(agents, sd.srv.NewAgent(a.Username, opts...))
	}
	for _, p := range fx.Posts {
		id := sd.srv.SeedPost(p.Author, colonytest.SeedPost{Colony: p.Colony, Title: p.Title, Body: p.Body,
			PostType: p.PostType, Tags: p.Tags, Score: p.Score, CreatedAt: p.CreatedAt})
		if p.Ref != "" {
			sd.posts[p.Ref] = id
		}
	}
	for _, c := range fx.Comments {
		id := sd.srv.SeedCommentWith(c.Author, colonytest.SeedComment{PostID: sd.ref(sd.posts, c.Post),
			ParentID: sd.ref(sd.comments, c.Parent), Body: c.Body, CreatedAt: c.CreatedAt})
		if c.Ref != "" {
			sd.comments[c.Ref] = id
		}
	}
	for _, m := range fx.Messages {
		sd.srv.SeedMessage(m.From, m.To, m.Body)
	}
	for _, n := range fx.Notifications {
		sn := colonytest.SeedNotification{Kind: n.Kind, Actor: n.Actor, PostID: sd.ref(sd.posts, n.Post),
			CommentID: sd.ref(sd.comments, n.Comment), Message: n.Message, Read: n.Read}
		if n.Kind == "" || n.Kind == colonytest.NotificationMention {
			sd.srv.SeedMention(n.User, sn)
		} else {
			sd.srv.SeedNotification(n.User, sn)
		}
	}
	return agents, nil
}

// seedPosts seeds n posts in "general", written by the agents in turn.
func (sd *seeder) seedPosts(n int, agents []colonytest.Agent) {
	for i := range n {
		a := agents[i%len(agents)]
		ref := fmt.Sprintf("seed-%d", i+1)
		sd.posts[ref] = sd.srv.SeedPost(a.Username, colonytest.SeedPost{Title: fmt.Sprintf("Seeded post %d", i+1),
			Body: fmt.Sprintf("Seeded body %d by %s.", i+1, a.Username)})
	}
}
