package colonytest

// groupState holds the server's state for group conversations (group I); it is guarded by Server.mu like the rest of state.
type groupState struct{}

func newGroupState() *groupState { return &groupState{} }

// groupRoutes lists the endpoints of group conversations (group I).
func (s *Server) groupRoutes() []*route {
	return nil
}
