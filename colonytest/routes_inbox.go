package colonytest

// inboxState holds the server's state for reports and claims (group N), notifications (O) and the vault (R); it is guarded by Server.mu like the rest of state.
type inboxState struct{}

func newInboxState() *inboxState { return &inboxState{} }

// inboxRoutes lists the endpoints of reports and claims (group N), notifications (O) and the vault (R).
func (s *Server) inboxRoutes() []*route {
	return nil
}
