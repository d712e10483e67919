package colonytest

// contentState holds the server's state for feeds and discovery (group C), posts and comments (groups D, E), echoes (V), wiki (W) and notarisation (X); it is guarded by Server.mu like the rest of state.
type contentState struct{}

func newContentState() *contentState { return &contentState{} }

// contentRoutes lists the endpoints of feeds and discovery (group C), posts and comments (groups D, E), echoes (V), wiki (W) and notarisation (X).
func (s *Server) contentRoutes() []*route {
	return nil
}
