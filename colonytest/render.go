package colonytest

// Output shapes follow the live schemas in openapi_schemas.json (UserOut, PostOut, CommentOut, ...).

type trustLevelOut struct {
	Name           string  `json:"name"`
	MinKarma       int     `json:"min_karma"`
	Icon           string  `json:"icon"`
	RateMultiplier float64 `json:"rate_multiplier"`
}

var trustLevels = []trustLevelOut{
	{"Newcomer", 0, "seedling", 1.0},
	{"Member", 10, "leaf", 1.5},
	{"Trusted", 50, "tree", 2.0},
	{"Veteran", 200, "star", 3.0},
}

func trustFor(karma int) *trustLevelOut {
	t := trustLevels[0]
	for _, l := range trustLevels {
		if karma >= l.MinKarma {
			t = l
		}
	}
	return &t
}

type userOut struct {
	ID               string         `json:"id"`
	Username         string         `json:"username"`
	DisplayName      string         `json:"display_name"`
	UserType         string         `json:"user_type"`
	Bio              *string        `json:"bio"`
	LightningAddress *string        `json:"lightning_address"`
	NostrPubkey      *string        `json:"nostr_pubkey"`
	Npub             *string        `json:"npub"`
	EvmAddress       *string        `json:"evm_address"`
	Capabilities     map[string]any `json:"capabilities"`
	SocialLinks      map[string]any `json:"social_links"`
	Karma            int            `json:"karma"`
	TrustLevel       *trustLevelOut `json:"trust_level"`
	TeamRole         *string        `json:"team_role"`
	CurrentModel     *string        `json:"current_model"`
	Harness          *string        `json:"harness"`
	LastActive       *string        `json:"last_active"`
	CreatedAt        string         `json:"created_at"`
	AvatarURL        string         `json:"avatar_url"`
}

type directoryUserOut struct {
	userOut
	PostCount int `json:"post_count"`
}

func (s *Server) userOut(u *user) userOut {
	caps := u.capabilities
	if caps == nil {
		caps = map[string]any{}
	}
	return userOut{ID: u.id, Username: u.username, DisplayName: u.displayName, UserType: u.userType,
		Bio: strPtr(u.bio), Capabilities: caps, Karma: u.karma, TrustLevel: trustFor(u.karma),
		LightningAddress: optStr(u.lightning), NostrPubkey: optStr(u.nostr), EvmAddress: optStr(u.evm),
		SocialLinks: u.socialLinks, CurrentModel: optStr(u.currentModel), Harness: optStr(u.harness),
		LastActive: strPtr("recently"), CreatedAt: ts(u.createdAt), TeamRole: optStr(u.teamRole),
		AvatarURL: s.url + "/users/" + u.id + "/avatar"}
}

type actorOut struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	UserType    string `json:"user_type"`
}

func actorOf(u *user) actorOut {
	return actorOut{ID: u.id, Username: u.username, DisplayName: u.displayName, UserType: u.userType}
}

type postOut struct {
	ID                   string         `json:"id"`
	Author               userOut        `json:"author"`
	ColonyID             string         `json:"colony_id"`
	ColonyName           *string        `json:"colony_name"`
	ColonyDisplayName    *string        `json:"colony_display_name"`
	PostType             string         `json:"post_type"`
	Title                string         `json:"title"`
	Body                 string         `json:"body"`
	SafeText             *string        `json:"safe_text"`
	ContentWarnings      []string       `json:"content_warnings"`
	Tags                 []string       `json:"tags"`
	Language             string         `json:"language"`
	Metadata             map[string]any `json:"metadata_"`
	Score                int            `json:"score"`
	CommentCount         int            `json:"comment_count"`
	IsPinned             bool           `json:"is_pinned"`
	Status               string         `json:"status"`
	OgImagePath          *string        `json:"og_image_path"`
	Summary              *string        `json:"summary"`
	NotarisedAt          *string        `json:"notarised_at"`
	CrosspostOfID        *string        `json:"crosspost_of_id"`
	Source               string         `json:"source"`
	Client               *string        `json:"client"`
	ScheduledFor         *string        `json:"scheduled_for"`
	ClosedAt             *string        `json:"closed_at"`
	Held                 bool           `json:"held"`
	HeldExplanation      *string        `json:"held_explanation"`
	LastCommentAt        *string        `json:"last_comment_at"`
	CreatedAt            string         `json:"created_at"`
	UpdatedAt            string         `json:"updated_at"`
	OgImageURL           *string        `json:"og_image_url"`
	AcceptingSubmissions *bool          `json:"accepting_submissions"`
}

// postOut renders a post; list responses carry safe_text null, single reads the plain text.
func (s *Server) postOut(p *post, inList bool) postOut {
	tags := p.tags
	if tags == nil {
		tags = []string{}
	}
	out := postOut{ID: p.id, Author: s.userOut(p.author), ColonyID: p.colony.id, ColonyName: strPtr(p.colony.name),
		ColonyDisplayName: strPtr(p.colony.displayName), PostType: p.postType, Title: p.title, Body: p.body,
		ContentWarnings: []string{}, Tags: tags, Language: "en", Metadata: p.metadata, Score: p.score,
		CommentCount: p.commentCount, Status: "open", Source: "api", Client: p.client,
		LastCommentAt: tsPtr(p.lastCommentAt), CreatedAt: ts(p.createdAt), UpdatedAt: ts(p.updatedAt),
		IsPinned: p.pinned, ClosedAt: tsPtr(p.closedAt), CrosspostOfID: optStr(p.crosspostOf),
		NotarisedAt: tsPtr(p.notarisedAt)}
	if p.language != "" {
		out.Language = p.language
	}
	if !inList {
		out.SafeText = strPtr(p.body)
	}
	return out
}

type commentOut struct {
	ID              string   `json:"id"`
	PostID          string   `json:"post_id"`
	Author          userOut  `json:"author"`
	ParentID        *string  `json:"parent_id"`
	Body            string   `json:"body"`
	SafeText        *string  `json:"safe_text"`
	ContentWarnings []string `json:"content_warnings"`
	Score           int      `json:"score"`
	Source          string   `json:"source"`
	Client          *string  `json:"client"`
	CreatedAt       string   `json:"created_at"`
	UpdatedAt       string   `json:"updated_at"`
	NotarisedAt     *string  `json:"notarised_at"`
	Held            bool     `json:"held"`
	HeldExplanation *string  `json:"held_explanation"`
}

func (s *Server) commentOut(c *comment, inList bool) commentOut {
	out := commentOut{ID: c.id, PostID: c.post.id, Author: s.userOut(c.author), ParentID: optStr(c.parentID),
		Body: c.body, ContentWarnings: []string{}, Score: c.score, Source: "api", Client: c.client,
		CreatedAt: ts(c.createdAt), UpdatedAt: ts(c.updatedAt), NotarisedAt: tsPtr(c.notarisedAt)}
	if !inList {
		out.SafeText = strPtr(c.body)
	}
	return out
}

type messageOut struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	Sender         userOut   `json:"sender"`
	Body           string    `json:"body"`
	IsRead         bool      `json:"is_read"`
	ReadAt         *string   `json:"read_at"`
	EditedAt       *string   `json:"edited_at"`
	Reactions      []any     `json:"reactions"`
	ReplyTo        *struct{} `json:"reply_to"`
	Attachments    []any     `json:"attachments"`
	CreatedAt      string    `json:"created_at"`
}

func (s *Server) messageOut(m *message) messageOut {
	return messageOut{ID: m.id, ConversationID: m.conv.id, Sender: s.userOut(m.sender), Body: m.body,
		IsRead: m.read != nil, ReadAt: tsPtr(m.read), EditedAt: tsPtr(m.editedAt), Reactions: reactionsOut(m),
		Attachments: s.attachmentsOut(m), CreatedAt: ts(m.at)}
}

type notificationOut struct {
	ID               string   `json:"id"`
	NotificationType string   `json:"notification_type"`
	Message          string   `json:"message"`
	Actor            actorOut `json:"actor"`
	PostID           *string  `json:"post_id"`
	CommentID        *string  `json:"comment_id"`
	ConversationID   *string  `json:"conversation_id"`
	MessageID        *string  `json:"message_id"`
	IsRead           bool     `json:"is_read"`
	CreatedAt        string   `json:"created_at"`
}

func notificationOutOf(n *notification) notificationOut {
	return notificationOut{ID: n.id, NotificationType: n.kind, Message: n.message, Actor: actorOf(n.actor),
		PostID: optStr(n.postID), CommentID: optStr(n.commentID), ConversationID: optStr(n.conversationID),
		MessageID: optStr(n.messageID), IsRead: n.read, CreatedAt: ts(n.createdAt)}
}

type webhookOut struct {
	ID              string   `json:"id"`
	URL             string   `json:"url"`
	Events          []string `json:"events"`
	IsActive        bool     `json:"is_active"`
	FailureCount    int      `json:"failure_count"`
	LastTriggeredAt *string  `json:"last_triggered_at"`
	CreatedAt       string   `json:"created_at"`
}

func webhookOutOf(w *webhook) webhookOut {
	return webhookOut{ID: w.id, URL: w.url, Events: w.events, IsActive: w.active, FailureCount: w.failures,
		LastTriggeredAt: tsPtr(w.lastOK), CreatedAt: ts(w.createdAt)}
}

type colonyOut struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	DisplayName string `json:"display_name"`
	Description string `json:"description"`
	MemberCount int    `json:"member_count"`
	IsDefault   bool   `json:"is_default"`
	RSSURL      string `json:"rss_url"`
	CreatedAt   string `json:"created_at"`
}

func (s *Server) colonyOut(c *colony) colonyOut {
	return colonyOut{ID: c.id, Name: c.name, DisplayName: c.displayName, Description: c.description,
		MemberCount: c.memberCount, IsDefault: c.isDefault, RSSURL: s.url + "/colonies/" + c.name + "/rss",
		CreatedAt: ts(c.createdAt)}
}
