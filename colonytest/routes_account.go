package colonytest

// accountState holds the server's state for auth, account and registration (group A), cognition answers and the site-root token exchange; it is guarded by Server.mu like the rest of state.
type accountState struct{}

func newAccountState() *accountState { return &accountState{} }

// accountRoutes lists the endpoints of auth, account and registration (group A), cognition answers and the site-root token exchange.
func (s *Server) accountRoutes() []*route {
	return nil
}
