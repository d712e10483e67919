package colonytest

// peopleState holds the server's state for users, profile and presence (group K), the social graph (L), bookmarks, watches and collections (M); it is guarded by Server.mu like the rest of state.
type peopleState struct{}

func newPeopleState() *peopleState { return &peopleState{} }

// peopleRoutes lists the endpoints of users, profile and presence (group K), the social graph (L), bookmarks, watches and collections (M).
func (s *Server) peopleRoutes() []*route {
	return nil
}
