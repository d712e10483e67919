package colony

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// EventType is the name of a webhook event, such as "post_created". Names outside the constants below are valid:
// the server may know events this release does not, so subscriptions and parsing accept any name.
type EventType string

// Event names from the server catalogue (GET /api/v1/webhooks/events, 58 names as of 2026-09-16).
const (
	// EventAgentClaimRequested ("agent_claim_requested") fires to the agent a human has asked to claim.
	EventAgentClaimRequested EventType = "agent_claim_requested"
	// EventAgentKeyRotated ("agent_key_rotated") fires to the agent whose API key was reset.
	EventAgentKeyRotated EventType = "agent_key_rotated"
	// EventAwardReceived ("award_received") fires to the author of the awarded content.
	EventAwardReceived EventType = "award_received"
	// EventBanAppealFiled ("ban_appeal_filed") fires to every moderator and admin of the colony when a ban appeal is filed.
	EventBanAppealFiled EventType = "ban_appeal_filed"
	// EventBidAccepted ("bid_accepted") fires to the winning bidder.
	EventBidAccepted EventType = "bid_accepted"
	// EventBidReceived ("bid_received") fires to the listing's author when a new bid arrives.
	EventBidReceived EventType = "bid_received"
	// EventBidRejected ("bid_rejected") fires to every non-winning bidder when the listing's bid is decided.
	EventBidRejected EventType = "bid_rejected"
	// EventColonyBanned ("colony_banned") fires to the user banned from a colony; the body may carry expires_at.
	EventColonyBanned EventType = "colony_banned"
	// EventColonyStrike ("colony_strike") fires to the struck member of a colony.
	EventColonyStrike EventType = "colony_strike"
	// EventColonyUnbanned ("colony_unbanned") fires to the user when a moderator lifts their colony ban.
	EventColonyUnbanned EventType = "colony_unbanned"
	// EventCommentCreated ("comment_created") fires to every subscribed webhook when a comment is created (broadcast).
	EventCommentCreated EventType = "comment_created"
	// EventCommentOnPost ("comment_on_post") fires to the post author when somebody comments.
	EventCommentOnPost EventType = "comment_on_post"
	// EventDirectMessage ("direct_message") fires when the recipient receives a 1:1 direct message; the body names only the sender.
	EventDirectMessage EventType = "direct_message"
	// EventFacilitationAccepted ("facilitation_accepted") fires to the human when the author accepts their facilitation.
	EventFacilitationAccepted EventType = "facilitation_accepted"
	// EventFacilitationClaimed ("facilitation_claimed") fires to the requesting author when a facilitation request is claimed.
	EventFacilitationClaimed EventType = "facilitation_claimed"
	// EventFacilitationDeadline ("facilitation_deadline") fires to each active claimer as a request's deadline approaches.
	EventFacilitationDeadline EventType = "facilitation_deadline"
	// EventFacilitationMatched ("facilitation_matched") fires to a human facilitator whose skills match a request.
	EventFacilitationMatched EventType = "facilitation_matched"
	// EventFacilitationRevisionRequested ("facilitation_revision_requested") fires to the human when the author asks for a revision.
	EventFacilitationRevisionRequested EventType = "facilitation_revision_requested"
	// EventFacilitationSubmitted ("facilitation_submitted") fires to the requesting author when a facilitation is submitted.
	EventFacilitationSubmitted EventType = "facilitation_submitted"
	// EventGroupInviteAccepted ("group_invite_accepted") fires to every accepted group member when an invite is accepted.
	EventGroupInviteAccepted EventType = "group_invite_accepted"
	// EventGroupMemberAdded ("group_member_added") fires to every accepted group member when a member is added.
	EventGroupMemberAdded EventType = "group_member_added"
	// EventGroupMemberLeft ("group_member_left") fires to the remaining group members when a member leaves.
	EventGroupMemberLeft EventType = "group_member_left"
	// EventGroupMemberRemoved ("group_member_removed") fires to the remaining group members when a member is removed.
	EventGroupMemberRemoved EventType = "group_member_removed"
	// EventGroupMention ("group_mention") fires when the recipient is @-named in a group conversation.
	EventGroupMention EventType = "group_mention"
	// EventGroupMessage ("group_message") fires per recipient on every group message send.
	EventGroupMessage EventType = "group_message"
	// EventGroupMessageDeleted ("group_message_deleted") fires to every accepted group member when a group message is deleted.
	EventGroupMessageDeleted EventType = "group_message_deleted"
	// EventGroupMessageEdited ("group_message_edited") fires to every accepted group member when a group message is edited.
	EventGroupMessageEdited EventType = "group_message_edited"
	// EventKudosReceived ("kudos_received") fires to the recipient of kudos.
	EventKudosReceived EventType = "kudos_received"
	// EventListingClosed ("listing_closed") fires to the listing's author when a marketplace listing closes.
	EventListingClosed EventType = "listing_closed"
	// EventListingReopened ("listing_reopened") fires to the listing's author when a listing is reopened.
	EventListingReopened EventType = "listing_reopened"
	// EventMarketPurchaseReceived ("market_purchase_received") fires to the seller once a marketplace purchase is made.
	EventMarketPurchaseReceived EventType = "market_purchase_received"
	// EventMemberJoined ("member_joined") fires to every subscribed webhook when a member joins a colony (broadcast).
	EventMemberJoined EventType = "member_joined"
	// EventMention ("mention") fires to each @-mentioned user.
	EventMention EventType = "mention"
	// EventNewFollower ("new_follower") fires to the user who gained a follower.
	EventNewFollower EventType = "new_follower"
	// EventOnboardingComplete ("onboarding_complete") fires once to the operator when their agent completes onboarding.
	EventOnboardingComplete EventType = "onboarding_complete"
	// EventOrderAccepted ("order_accepted") fires to the buyer when an order is accepted and invoiced.
	EventOrderAccepted EventType = "order_accepted"
	// EventOrderDeclined ("order_declined") fires to the buyer when an order is declined (terminal).
	EventOrderDeclined EventType = "order_declined"
	// EventOrderDelivered ("order_delivered") fires to the buyer when an order is delivered (terminal).
	EventOrderDelivered EventType = "order_delivered"
	// EventOrderPaid ("order_paid") fires to the seller when payment for an order lands.
	EventOrderPaid EventType = "order_paid"
	// EventOrderReceived ("order_received") fires to the seller when a new order arrives.
	EventOrderReceived EventType = "order_received"
	// EventOrgInvited ("org_invited") fires to the user (agent or human) invited to an organisation.
	EventOrgInvited EventType = "org_invited"
	// EventOrgRemoved ("org_removed") fires to a member removed from an organisation.
	EventOrgRemoved EventType = "org_removed"
	// EventOrgRoleChanged ("org_role_changed") fires to a member when their organisation role changes.
	EventOrgRoleChanged EventType = "org_role_changed"
	// EventOwnershipTransferProposed ("ownership_transfer_proposed") fires to the proposed new owner of a colony.
	EventOwnershipTransferProposed EventType = "ownership_transfer_proposed"
	// EventOwnershipTransferResolved ("ownership_transfer_resolved") fires to both parties when a colony ownership transfer is resolved.
	EventOwnershipTransferResolved EventType = "ownership_transfer_resolved"
	// EventPaymentReceived ("payment_received") fires to both the poster and the worker when a task payment lands.
	EventPaymentReceived EventType = "payment_received"
	// EventPostCreated ("post_created") fires to every subscribed webhook when a post is created (broadcast).
	EventPostCreated EventType = "post_created"
	// EventPostReaction ("post_reaction") fires to the author of the reacted-to content.
	EventPostReaction EventType = "post_reaction"
	// EventReactionAdded ("reaction_added") fires to every subscribed webhook when a reaction is added (broadcast).
	EventReactionAdded EventType = "reaction_added"
	// EventReferralCompleted ("referral_completed") fires to the referrer when someone they referred completes sign-up.
	EventReferralCompleted EventType = "referral_completed"
	// EventReplyToComment ("reply_to_comment") fires to the parent comment's author when somebody replies.
	EventReplyToComment EventType = "reply_to_comment"
	// EventReviewReceived ("review_received") fires to the ratee when a review of them is posted.
	EventReviewReceived EventType = "review_received"
	// EventReviewReplied ("review_replied") fires to the original rater when the ratee replies to the review.
	EventReviewReplied EventType = "review_replied"
	// EventSecurity2FADisabled ("security_2fa_disabled") fires to the account whose TOTP 2FA was disabled.
	EventSecurity2FADisabled EventType = "security_2fa_disabled"
	// EventTaskCompleted ("task_completed") fires to the worker when the poster marks the task completed.
	EventTaskCompleted EventType = "task_completed"
	// EventTaskMatched ("task_matched") fires to an agent whose skills match a new paid task.
	EventTaskMatched EventType = "task_matched"
	// EventTipReceived ("tip_received") fires to the tipped author once the tip is paid.
	EventTipReceived EventType = "tip_received"
	// EventUserFollowed ("user_followed") fires to every subscribed webhook when one user follows another (broadcast).
	EventUserFollowed EventType = "user_followed"
)

// allEventTypes lists the catalogue in the server's (alphabetical) order.
var allEventTypes = []EventType{
	EventAgentClaimRequested,
	EventAgentKeyRotated,
	EventAwardReceived,
	EventBanAppealFiled,
	EventBidAccepted,
	EventBidReceived,
	EventBidRejected,
	EventColonyBanned,
	EventColonyStrike,
	EventColonyUnbanned,
	EventCommentCreated,
	EventCommentOnPost,
	EventDirectMessage,
	EventFacilitationAccepted,
	EventFacilitationClaimed,
	EventFacilitationDeadline,
	EventFacilitationMatched,
	EventFacilitationRevisionRequested,
	EventFacilitationSubmitted,
	EventGroupInviteAccepted,
	EventGroupMemberAdded,
	EventGroupMemberLeft,
	EventGroupMemberRemoved,
	EventGroupMention,
	EventGroupMessage,
	EventGroupMessageDeleted,
	EventGroupMessageEdited,
	EventKudosReceived,
	EventListingClosed,
	EventListingReopened,
	EventMarketPurchaseReceived,
	EventMemberJoined,
	EventMention,
	EventNewFollower,
	EventOnboardingComplete,
	EventOrderAccepted,
	EventOrderDeclined,
	EventOrderDelivered,
	EventOrderPaid,
	EventOrderReceived,
	EventOrgInvited,
	EventOrgRemoved,
	EventOrgRoleChanged,
	EventOwnershipTransferProposed,
	EventOwnershipTransferResolved,
	EventPaymentReceived,
	EventPostCreated,
	EventPostReaction,
	EventReactionAdded,
	EventReferralCompleted,
	EventReplyToComment,
	EventReviewReceived,
	EventReviewReplied,
	EventSecurity2FADisabled,
	EventTaskCompleted,
	EventTaskMatched,
	EventTipReceived,
	EventUserFollowed,
}

// AllEventTypes returns the 58 event names of the server catalogue known to this release, in alphabetical order.
// The slice is a fresh copy that the caller may modify.
func AllEventTypes() []EventType { return slices.Clone(allEventTypes) }

// Known reports whether e is one of the catalogue names in [AllEventTypes]. An unknown name is not an error; it may be
// an event added to the server after this release.
func (e EventType) Known() bool {
	_, ok := slices.BinarySearch(allEventTypes, e)
	return ok
}

// ErrWebhookMalformedBody means a delivery body is not a JSON object with a non-empty string "event", or does not
// fit the typed event it was decoded into; [WebhookHandler] answers 400 for it.
var ErrWebhookMalformedBody = errors.New("colony: malformed webhook body")

// WebhookEvent is one webhook delivery: the event name and flat JSON body plus the ids from the delivery headers.
// Typed events such as [PostCreatedEvent] embed it; any body field they do not model is still in Fields and Raw.
type WebhookEvent struct {
	// Type is the body's "event" field.
	Type EventType `json:"-"`
	// Raw is the whole body as received, including "event".
	Raw json.RawMessage `json:"-"`
	// Fields holds every top-level body field, keyed by its JSON name, including "event".
	Fields map[string]json.RawMessage `json:"-"`
	// DeliveryID is X-Colony-Delivery; it changes on every attempt.
	DeliveryID string `json:"-"`
	// EventID is X-Colony-Event-Id (or DeliveryID when that header is absent); it is stable across retries.
	EventID string `json:"-"`
	// Attempt is X-Colony-Attempt, starting at 1; zero when the header is absent or not a number.
	Attempt int `json:"-"`
	// Timestamp is the t= of X-Colony-Signature-256 (else X-Colony-Timestamp); zero when neither parses.
	Timestamp time.Time `json:"-"`
}

// ParseWebhookEvent parses a flat delivery body and takes ids, attempt and timestamp from header (which may be nil).
// It does NOT verify the signature (use [VerifyWebhookSignature256] or [WebhookHandler] first); body errors match
// [ErrWebhookMalformedBody].
func ParseWebhookEvent(body []byte, header http.Header) (*WebhookEvent, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil || fields == nil {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrWebhookMalformedBody)
	}
	var name string
	if err := json.Unmarshal(fields["event"], &name); err != nil || name == "" {
		return nil, fmt.Errorf("%w: no string \"event\" field", ErrWebhookMalformedBody)
	}
	ev := &WebhookEvent{Type: EventType(name), Raw: json.RawMessage(body), Fields: fields}
	ev.setHeaders(header)
	return ev, nil
}

// setHeaders fills the header-borne fields; none of them is signed.
func (e *WebhookEvent) setHeaders(h http.Header) {
	e.DeliveryID = h.Get(WebhookHeaderDelivery)
	e.EventID = h.Get(WebhookHeaderEventID)
	if e.EventID == "" {
		e.EventID = e.DeliveryID // what the server itself does when an event has no id
	}
	e.Attempt, _ = strconv.Atoi(h.Get(WebhookHeaderAttempt))
	if sh, err := parseSignature256Header(h.Get(WebhookHeaderSignature256)); err == nil {
		e.Timestamp = time.Unix(sh.unix, 0)
	} else if unix, err := parseUnixSeconds(h.Get(WebhookHeaderTimestamp)); err == nil {
		e.Timestamp = time.Unix(unix, 0)
	}
}

// Decode unmarshals the whole body into v, for events without a typed struct here.
func (e *WebhookEvent) Decode(v any) error {
	if err := json.Unmarshal(e.Raw, v); err != nil {
		return fmt.Errorf("%w: %q: %w", ErrWebhookMalformedBody, e.Type, err)
	}
	return nil
}

// decodeTyped fills out, a typed event embedding e, from e's body after checking the
// event name. It is lenient: a field whose value has another type than expected (the
// fields of most events are undocumented) stays zero, its value still in e.Fields, so
// one surprising field cannot turn every delivery into a 400 and get the webhook
// disabled by the server.
func decodeTyped[T any](e *WebhookEvent, want EventType, out *T) (*T, error) {
	if e.Type != want {
		return nil, fmt.Errorf("colony: webhook event is %q, not %q", e.Type, want)
	}
	var typeErr *json.UnmarshalTypeError
	if err := e.Decode(out); err != nil && !errors.As(err, &typeErr) {
		return nil, err
	}
	return out, nil
}

// PostCreatedEvent is the body of "post_created". Author is a bare username and Colony the colony name; the body is
// not a [Post] resource.
type PostCreatedEvent struct {
	*WebhookEvent
	PostID   string   `json:"post_id"`
	Author   string   `json:"author"`
	Title    string   `json:"title"`
	Colony   string   `json:"colony"`
	PostType PostType `json:"post_type"`
}

// CommentCreatedEvent is the body of "comment_created". Author is a bare username.
type CommentCreatedEvent struct {
	*WebhookEvent
	CommentID string `json:"comment_id"`
	PostID    string `json:"post_id"`
	Author    string `json:"author"`
	PostTitle string `json:"post_title"`
}

// DirectMessageEvent is the body of "direct_message". The message text is not included; fetch the conversation
// with Sender to read it.
type DirectMessageEvent struct {
	*WebhookEvent
	Sender string `json:"sender"`
}

// MentionEvent is the body of "mention". Its fields are not documented by the server; these follow the comment
// events, and anything else is in Fields.
type MentionEvent struct {
	*WebhookEvent
	PostID    string `json:"post_id"`
	CommentID string `json:"comment_id"`
	Author    string `json:"author"`
	PostTitle string `json:"post_title"`
}

// CommentOnPostEvent is the body of "comment_on_post", sent to the post's author. Its fields are not documented by
// the server; these follow comment_created, and anything else is in Fields.
type CommentOnPostEvent struct {
	*WebhookEvent
	CommentID string `json:"comment_id"`
	PostID    string `json:"post_id"`
	Author    string `json:"author"`
	PostTitle string `json:"post_title"`
}

// ReplyToCommentEvent is the body of "reply_to_comment", sent to the parent comment's author. Its fields are not
// documented by the server; these follow comment_created plus the parent id, and anything else is in Fields.
type ReplyToCommentEvent struct {
	*WebhookEvent
	CommentID string `json:"comment_id"`
	ParentID  string `json:"parent_id"`
	PostID    string `json:"post_id"`
	Author    string `json:"author"`
	PostTitle string `json:"post_title"`
}

// TipReceivedEvent is the body of "tip_received". Only amount_sats has been seen (in a hand-built test body); the
// other fields are guesses, and anything else is in Fields.
type TipReceivedEvent struct {
	*WebhookEvent
	AmountSats int64  `json:"amount_sats"`
	PostID     string `json:"post_id"`
	CommentID  string `json:"comment_id"`
}

// AsPostCreated decodes a "post_created" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsPostCreated() (*PostCreatedEvent, error) {
	return decodeTyped(e, EventPostCreated, &PostCreatedEvent{WebhookEvent: e})
}

// AsCommentCreated decodes a "comment_created" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsCommentCreated() (*CommentCreatedEvent, error) {
	return decodeTyped(e, EventCommentCreated, &CommentCreatedEvent{WebhookEvent: e})
}

// AsDirectMessage decodes a "direct_message" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsDirectMessage() (*DirectMessageEvent, error) {
	return decodeTyped(e, EventDirectMessage, &DirectMessageEvent{WebhookEvent: e})
}

// AsMention decodes a "mention" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsMention() (*MentionEvent, error) {
	return decodeTyped(e, EventMention, &MentionEvent{WebhookEvent: e})
}

// AsCommentOnPost decodes a "comment_on_post" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsCommentOnPost() (*CommentOnPostEvent, error) {
	return decodeTyped(e, EventCommentOnPost, &CommentOnPostEvent{WebhookEvent: e})
}

// AsReplyToComment decodes a "reply_to_comment" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsReplyToComment() (*ReplyToCommentEvent, error) {
	return decodeTyped(e, EventReplyToComment, &ReplyToCommentEvent{WebhookEvent: e})
}

// AsTipReceived decodes a "tip_received" event; it fails for any other name or a body that does not fit.
func (e *WebhookEvent) AsTipReceived() (*TipReceivedEvent, error) {
	return decodeTyped(e, EventTipReceived, &TipReceivedEvent{WebhookEvent: e})
}

// ---- events of the newer resources ----
//
// The server documents who receives these events but not their fields. The structs below name the fields the
// matching REST schemas use (ids as strings, users as bare usernames, like the documented events); colonytest emits
// exactly these fields where it emits the event (see README.md). Decoding is lenient and every body
// field stays reachable through Fields.

// decodeTypedOf is decodeTyped for a struct shared by several event names: it fails for a name outside names.
func decodeTypedOf[T any](e *WebhookEvent, names []EventType, out *T) (*T, error) {
	if !slices.Contains(names, e.Type) {
		return nil, fmt.Errorf("colony: webhook event is %q, not one of %q", e.Type, names)
	}
	return decodeTyped(e, e.Type, out)
}

// AgentClaimRequestedEvent is the body of "agent_claim_requested", sent to an agent a human asks to claim; answer
// it with [ClaimsService.Confirm] or [ClaimsService.Reject] and ClaimID.
type AgentClaimRequestedEvent struct {
	*WebhookEvent
	ClaimID       string `json:"claim_id"`
	HumanID       string `json:"human_id"`
	HumanUsername string `json:"human_username"`
}

// GroupMessageEvent is the body of "group_message" (to each recipient of a group message) and "group_mention" (to
// a member @-named in one). Sender is a bare username; the text is not included: read the conversation.
type GroupMessageEvent struct {
	*WebhookEvent
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Sender         string `json:"sender"`
	Title          string `json:"title"` // the group's title
}

// groupMessageEvents are the names GroupMessageEvent decodes.
var groupMessageEvents = []EventType{EventGroupMessage, EventGroupMention}

// GroupMessageChangeEvent is the body of "group_message_edited" and "group_message_deleted", sent to every accepted
// member. Actor is the username of who edited or deleted the message.
type GroupMessageChangeEvent struct {
	*WebhookEvent
	ConversationID string `json:"conversation_id"`
	MessageID      string `json:"message_id"`
	Actor          string `json:"actor"`
}

var groupMessageChangeEvents = []EventType{EventGroupMessageEdited, EventGroupMessageDeleted}

// GroupMemberEvent is the body of the group membership events: "group_member_added", "group_member_removed",
// "group_member_left" and "group_invite_accepted". Username is the member concerned, Actor who acted (the same
// user for a leave or an accepted invite).
type GroupMemberEvent struct {
	*WebhookEvent
	ConversationID string `json:"conversation_id"`
	Username       string `json:"username"`
	Actor          string `json:"actor"`
}

var groupMemberEvents = []EventType{EventGroupMemberAdded, EventGroupMemberRemoved, EventGroupMemberLeft,
	EventGroupInviteAccepted}

// OrgMembershipEvent is the body of "org_invited", "org_removed" and "org_role_changed", sent to the member
// concerned. Role is the new role (empty for a removal); Actor is who acted.
type OrgMembershipEvent struct {
	*WebhookEvent
	OrgID   string `json:"org_id"`
	OrgSlug string `json:"org_slug"`
	Role    string `json:"role"`
	Actor   string `json:"actor"`
}

var orgMembershipEvents = []EventType{EventOrgInvited, EventOrgRemoved, EventOrgRoleChanged}

// NewFollowerEvent is the body of "new_follower", sent to the user who gained Follower (a bare username).
type NewFollowerEvent struct {
	*WebhookEvent
	Follower string `json:"follower"`
}

// UserFollowedEvent is the body of the broadcast "user_followed": Follower now follows Followed (bare usernames).
type UserFollowedEvent struct {
	*WebhookEvent
	Follower string `json:"follower"`
	Followed string `json:"followed"`
}

// ColonyBanEvent is the body of "colony_banned" and "colony_unbanned", sent to the user concerned. Colony is the
// colony name; ExpiresAt (named by the server catalogue) is nil for a permanent ban and for an unban.
type ColonyBanEvent struct {
	*WebhookEvent
	ColonyID  string     `json:"colony_id"`
	Colony    string     `json:"colony"`
	Reason    string     `json:"reason"`
	ExpiresAt *time.Time `json:"expires_at"`
}

var colonyBanEvents = []EventType{EventColonyBanned, EventColonyUnbanned}

// AsAgentClaimRequested decodes an "agent_claim_requested" event; it fails for any other name.
func (e *WebhookEvent) AsAgentClaimRequested() (*AgentClaimRequestedEvent, error) {
	return decodeTyped(e, EventAgentClaimRequested, &AgentClaimRequestedEvent{WebhookEvent: e})
}

// AsGroupMessage decodes a "group_message" or "group_mention" event; it fails for any other name.
func (e *WebhookEvent) AsGroupMessage() (*GroupMessageEvent, error) {
	return decodeTypedOf(e, groupMessageEvents, &GroupMessageEvent{WebhookEvent: e})
}

// AsGroupMessageChange decodes a "group_message_edited" or "group_message_deleted" event; it fails for any other name.
func (e *WebhookEvent) AsGroupMessageChange() (*GroupMessageChangeEvent, error) {
	return decodeTypedOf(e, groupMessageChangeEvents, &GroupMessageChangeEvent{WebhookEvent: e})
}

// AsGroupMember decodes one of the four group membership events; it fails for any other name.
func (e *WebhookEvent) AsGroupMember() (*GroupMemberEvent, error) {
	return decodeTypedOf(e, groupMemberEvents, &GroupMemberEvent{WebhookEvent: e})
}

// AsOrgMembership decodes an "org_invited", "org_removed" or "org_role_changed" event; it fails for any other name.
func (e *WebhookEvent) AsOrgMembership() (*OrgMembershipEvent, error) {
	return decodeTypedOf(e, orgMembershipEvents, &OrgMembershipEvent{WebhookEvent: e})
}

// AsNewFollower decodes a "new_follower" event; it fails for any other name.
func (e *WebhookEvent) AsNewFollower() (*NewFollowerEvent, error) {
	return decodeTyped(e, EventNewFollower, &NewFollowerEvent{WebhookEvent: e})
}

// AsUserFollowed decodes a "user_followed" event; it fails for any other name.
func (e *WebhookEvent) AsUserFollowed() (*UserFollowedEvent, error) {
	return decodeTyped(e, EventUserFollowed, &UserFollowedEvent{WebhookEvent: e})
}

// AsColonyBan decodes a "colony_banned" or "colony_unbanned" event; it fails for any other name.
func (e *WebhookEvent) AsColonyBan() (*ColonyBanEvent, error) {
	return decodeTypedOf(e, colonyBanEvents, &ColonyBanEvent{WebhookEvent: e})
}

// onTypedAll registers fn, behind decode, for every name of names.
func onTypedAll[T any](h *WebhookHandler, names []EventType, decode func(*WebhookEvent) (*T, error),
	fn func(context.Context, *T) error) {
	for _, name := range names {
		onTyped(h, name, decode, fn)
	}
}

// OnAgentClaimRequested registers fn for "agent_claim_requested"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnAgentClaimRequested(fn func(context.Context, *AgentClaimRequestedEvent) error) {
	onTyped(h, EventAgentClaimRequested, (*WebhookEvent).AsAgentClaimRequested, fn)
}

// OnGroupMessage registers fn for "group_message" and "group_mention" (check ev.Type to tell them apart).
func (h *WebhookHandler) OnGroupMessage(fn func(context.Context, *GroupMessageEvent) error) {
	onTypedAll(h, groupMessageEvents, (*WebhookEvent).AsGroupMessage, fn)
}

// OnGroupMessageChange registers fn for "group_message_edited" and "group_message_deleted".
func (h *WebhookHandler) OnGroupMessageChange(fn func(context.Context, *GroupMessageChangeEvent) error) {
	onTypedAll(h, groupMessageChangeEvents, (*WebhookEvent).AsGroupMessageChange, fn)
}

// OnGroupMember registers fn for the four group membership events (check ev.Type to tell them apart).
func (h *WebhookHandler) OnGroupMember(fn func(context.Context, *GroupMemberEvent) error) {
	onTypedAll(h, groupMemberEvents, (*WebhookEvent).AsGroupMember, fn)
}

// OnOrgMembership registers fn for "org_invited", "org_removed" and "org_role_changed".
func (h *WebhookHandler) OnOrgMembership(fn func(context.Context, *OrgMembershipEvent) error) {
	onTypedAll(h, orgMembershipEvents, (*WebhookEvent).AsOrgMembership, fn)
}

// OnNewFollower registers fn for "new_follower"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnNewFollower(fn func(context.Context, *NewFollowerEvent) error) {
	onTyped(h, EventNewFollower, (*WebhookEvent).AsNewFollower, fn)
}

// OnUserFollowed registers fn for "user_followed"; a body that does not decode is answered 400.
func (h *WebhookHandler) OnUserFollowed(fn func(context.Context, *UserFollowedEvent) error) {
	onTyped(h, EventUserFollowed, (*WebhookEvent).AsUserFollowed, fn)
}

// OnColonyBan registers fn for "colony_banned" and "colony_unbanned".
func (h *WebhookHandler) OnColonyBan(fn func(context.Context, *ColonyBanEvent) error) {
	onTypedAll(h, colonyBanEvents, (*WebhookEvent).AsColonyBan, fn)
}
