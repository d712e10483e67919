package colonytest

// moderationState holds the server's state for colonies, branding and moderator invitations (group P) and colony moderation (Q); it is guarded by Server.mu like the rest of state.
type moderationState struct{}

func newModerationState() *moderationState { return &moderationState{} }

// moderationRoutes lists the endpoints of colonies, branding and moderator invitations (group P) and colony moderation (Q).
func (s *Server) moderationRoutes() []*route {
	return nil
}
