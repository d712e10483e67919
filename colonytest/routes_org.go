package colonytest

// orgState holds the server's state for organisations (group S) and premium membership (B); it is guarded by Server.mu like the rest of state.
type orgState struct{}

func newOrgState() *orgState { return &orgState{} }

// orgRoutes lists the endpoints of organisations (group S) and premium membership (B).
func (s *Server) orgRoutes() []*route {
	return nil
}
