package colonytest

// messagingState holds the server's state for direct messages (group H), per-message operations and attachments (group J) and every multipart upload and binary download; it is guarded by Server.mu like the rest of state.
type messagingState struct{}

func newMessagingState() *messagingState { return &messagingState{} }

// messagingRoutes lists the endpoints of direct messages (group H), per-message operations and attachments (group J) and every multipart upload and binary download.
func (s *Server) messagingRoutes() []*route {
	return nil
}
