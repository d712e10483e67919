package colonytest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // image.DecodeConfig of uploaded GIFs
	_ "image/jpeg"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Upload size caps (NEWER_API.md §1.3, §3j).
const (
	maxAttachmentBytes = 8 << 20 // message attachments: 413 above
	maxBrandingBytes   = 5 << 20 // colony icon and banner: 413 above
	maxAvatarBytes     = 5 << 20 // group and profile avatars (invented, as the colony cap)
	// maxUploadBody caps a multipart request body read by ServeHTTP: the largest file
	// cap plus room for the part headers, so an oversized file reaches its handler's 413.
	maxUploadBody = maxAttachmentBytes + 64<<10
	// minBannerKarma is the karma a colony banner upload needs.
	minBannerKarma = 100
)

var (
	attachmentMIMEs = []string{"image/png", "image/jpeg", "image/webp", "image/gif"}
	imageMIMEs      = []string{"image/png", "image/jpeg", "image/webp"}
)

// bodyLimit is the request body cap of r: larger for the multipart upload routes.
func bodyLimit(r *http.Request) int {
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return maxUploadBody
	}
	return maxBody
}

// blob is stored image bytes with the MIME type sniffed from them.
type blob struct {
	data     []byte
	mime     string
	uploaded time.Time
}

// attachment is an uploaded message attachment.
type attachment struct {
	id            string
	uploader      *user
	blob          blob
	thumb         blob // at most thumbSize px on its longer side
	width, height *int
	deleted       bool
}

// thumbSize bounds the longer side of an attachment's thumb variant.
const thumbSize = 256

// thumbnail scales a decodable image down to thumbSize (nearest neighbour) as a PNG;
// small and undecodable images (WebP) are their own thumbnail.
func thumbnail(b blob) blob {
	img, _, err := image.Decode(bytes.NewReader(b.data))
	if err != nil {
		return b
	}
	sz := img.Bounds().Size()
	long := max(sz.X, sz.Y)
	if long <= thumbSize {
		return b
	}
	w, h := max(1, sz.X*thumbSize/long), max(1, sz.Y*thumbSize/long)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	origin := img.Bounds().Min
	for y := range h {
		for x := range w {
			dst.Set(x, y, img.At(origin.X+x*sz.X/w, origin.Y+y*sz.Y/h))
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, dst)
	return blob{data: buf.Bytes(), mime: "image/png", uploaded: b.uploaded}
}

// upload reads the single "file" part of a multipart request, checks its size and
// sniffs its MIME type from the bytes; it answers the error itself and returns nil.
// A part Content-Type that disagrees with the sniffed type is refused (400).
func (c *call) upload(allowed []string, maxBytes int) *blob {
	ct := c.r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		c.invalid([]verr{errMissing([]any{"body", "file"}, nil)})
		return nil
	}
	mr := multipart.NewReader(bytes.NewReader(c.body), params["boundary"])
	var data []byte
	var declared string
	found := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.detail(http.StatusBadRequest, "Malformed multipart body")
			return nil
		}
		if p.FormName() != "file" {
			continue
		}
		if found {
			c.detail(http.StatusBadRequest, "Exactly one file part is accepted")
			return nil
		}
		found = true
		declared = p.Header.Get("Content-Type")
		if data, err = io.ReadAll(p); err != nil {
			c.detail(http.StatusBadRequest, "Malformed multipart body")
			return nil
		}
	}
	switch {
	case !found:
		c.invalid([]verr{errMissing([]any{"body", "file"}, nil)})
		return nil
	case len(data) > maxBytes:
		c.detail(http.StatusRequestEntityTooLarge, fmt.Sprintf("File too large: %d bytes (max %d)", len(data), maxBytes))
		return nil
	case len(data) == 0:
		c.detail(http.StatusBadRequest, "Empty file")
		return nil
	}
	sniffed := http.DetectContentType(data)
	if !slices.Contains(allowed, sniffed) {
		c.detail(http.StatusBadRequest, "Unsupported file type "+sniffed+"; allowed: "+strings.Join(allowed, ", "))
		return nil
	}
	if dt, _, err := mime.ParseMediaType(declared); err == nil && dt != sniffed {
		c.detail(http.StatusBadRequest, "File content ("+sniffed+") does not match its declared type "+dt)
		return nil
	}
	return &blob{data: data, mime: sniffed, uploaded: c.now}
}

// serve answers with the raw bytes of b.
func (c *call) serve(b blob) {
	c.resp.status, c.resp.v, c.resp.body = http.StatusOK, nil, b.data
	c.resp.header["Content-Type"] = []string{b.mime}
}

func imageSize(b blob) (w, h *int) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b.data))
	if err != nil {
		return nil, nil // WebP and undecodable images are not measured
	}
	return &cfg.Width, &cfg.Height
}

type attachmentUploadOut struct {
	AttachmentID string `json:"attachment_id"`
	MimeType     string `json:"mime_type"`
	SizeBytes    int    `json:"size_bytes"`
	Width        *int   `json:"width"`
	Height       *int   `json:"height"`
	ThumbURL     string `json:"thumb_url"`
	FullURL      string `json:"full_url"`
	Deduped      bool   `json:"deduped"`
}

type attachmentOut struct {
	ID        string `json:"id"`
	MimeType  string `json:"mime_type"`
	SizeBytes int    `json:"size_bytes"`
	Width     *int   `json:"width"`
	Height    *int   `json:"height"`
	ThumbURL  string `json:"thumb_url"`
	FullURL   string `json:"full_url"`
}

func (s *Server) attachmentURL(a *attachment, variant string) string {
	return s.url + "/messages/attachments/" + a.id + "/" + variant
}

// attachmentsOut renders the attachments of a message (MessageAttachmentOut).
func (s *Server) attachmentsOut(m *message) []any {
	out := []any{}
	for _, a := range m.attachments {
		out = append(out, attachmentOut{ID: a.id, MimeType: a.blob.mime, SizeBytes: len(a.blob.data), Width: a.width,
			Height: a.height, ThumbURL: s.attachmentURL(a, "thumb"), FullURL: s.attachmentURL(a, "full")})
	}
	return out
}

func (s *Server) handleUploadAttachment(c *call) {
	b := c.upload(attachmentMIMEs, maxAttachmentBytes)
	if b == nil {
		return
	}
	ms := s.st.messaging
	sum := sha256.Sum256(b.data)
	key := c.me.id + "|" + hex.EncodeToString(sum[:])
	a, deduped := ms.attachHash[key], true
	if a == nil || a.deleted {
		a, deduped = &attachment{id: newUUID(), uploader: c.me, blob: *b}, false
		a.width, a.height = imageSize(*b)
		a.thumb = thumbnail(*b)
		ms.attachments[a.id] = a
		ms.attachHash[key] = a
	}
	c.ok(attachmentUploadOut{AttachmentID: a.id, MimeType: a.blob.mime, SizeBytes: len(a.blob.data), Width: a.width,
		Height: a.height, ThumbURL: s.attachmentURL(a, "thumb"), FullURL: s.attachmentURL(a, "full"), Deduped: deduped})
}

// lookupAttachment finds an attachment by the attachment_id path parameter.
func (s *Server) lookupAttachment(c *call) *attachment {
	id, ok := c.pathUUID("attachment_id")
	if !ok {
		return nil
	}
	a := s.st.messaging.attachments[id]
	if a == nil {
		c.notFound("Attachment")
	}
	return a
}

func (s *Server) handleDeleteAttachment(c *call) {
	a := s.lookupAttachment(c)
	if a == nil {
		return
	}
	if a.uploader != c.me {
		c.coded(http.StatusForbidden, codeForbidden, "Only the uploader can delete an attachment")
		return
	}
	a.deleted = true
	c.noContent()
}

func (s *Server) handleGetAttachment(c *call) {
	a := s.lookupAttachment(c)
	if a == nil {
		return
	}
	variant := c.params["variant"]
	if variant != "full" && variant != "thumb" {
		c.invalid([]verr{errEnum([]any{"path", "variant"}, variant, []string{"full", "thumb"})})
		return
	}
	if a.deleted {
		c.notFound("Attachment")
		return
	}
	if a.uploader != c.me && !s.seesAttachment(c.me, a) {
		c.coded(http.StatusForbidden, codeForbidden, "Not a participant of this attachment's conversation")
		return
	}
	if variant == "thumb" {
		c.serve(a.thumb)
		return
	}
	c.serve(a.blob)
}

// seesAttachment reports whether u takes part in a conversation holding a message with a.
func (s *Server) seesAttachment(u *user, a *attachment) bool {
	for _, m := range s.st.messaging.msgByID {
		if slices.Contains(m.attachments, a) && s.participant(m, u) {
			return true
		}
	}
	return false
}

// takeAttachments resolves the attachment ids a sender attaches to a new message: each
// must be an attachment the sender uploaded and has not deleted; the string is the
// 400 message otherwise. Group sends (routes_group.go) are meant to call it as DM sends do.
func (s *Server) takeAttachments(sender *user, ids []string) ([]*attachment, string) {
	var out []*attachment
	for _, raw := range ids {
		id, ok := canonicalUUID(raw)
		a := s.st.messaging.attachments[id]
		if !ok || a == nil || a.deleted || a.uploader != sender {
			return nil, "Unknown attachment " + raw
		}
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, ""
}

// groupForAvatar resolves {conv_id} to a group the caller may read (an accepted
// member) or, with needAdmin, change (an admin), answering 404/403 otherwise.
func (s *Server) groupForAvatar(c *call, admin bool) (string, bool) {
	need := needMember
	if admin {
		need = needAdmin
	}
	g, _ := s.groupFor(c, need)
	if g == nil {
		return "", false
	}
	return g.id, true
}

func (s *Server) handleUploadGroupAvatar(c *call) {
	id, ok := s.groupForAvatar(c, true)
	if !ok {
		return
	}
	b := c.upload(imageMIMEs, maxAvatarBytes)
	if b == nil {
		return
	}
	s.st.messaging.groupAvatars[id] = b
	c.ok(map[string]any{"avatar_url": "/api/v1/messages/groups/" + id + "/avatar"})
}

func (s *Server) handleGetGroupAvatar(c *call) {
	id, ok := s.groupForAvatar(c, false)
	if !ok {
		return
	}
	b := s.st.messaging.groupAvatars[id]
	if b == nil {
		c.notFound("Group avatar")
		return
	}
	c.serve(*b)
}

type avatarURLs struct {
	SM string `json:"sm"`
	MD string `json:"md"`
	LG string `json:"lg"`
}

func (s *Server) handleUploadProfileAvatar(c *call) {
	b := c.upload(imageMIMEs, maxAvatarBytes)
	if b == nil {
		return
	}
	s.st.messaging.profileAvatars[c.me.id] = b
	sum := sha256.Sum256(b.data)
	base := s.url + "/users/" + c.me.id + "/avatar?size="
	c.ok(map[string]any{"avatar_path": "avatars/" + c.me.id + "/" + hex.EncodeToString(sum[:8]) + ".webp",
		"uploaded_at": ts(c.now), "urls": avatarURLs{SM: base + "32", MD: base + "96", LG: base + "256"}})
}

func (s *Server) handleDeleteProfileAvatar(c *call) {
	delete(s.st.messaging.profileAvatars, c.me.id)
	c.noContent()
}

// handleGetUserAvatar serves a user's uploaded avatar, or the generated one (a 1x1 PNG
// coloured from the user id) when none is set. Every size serves the same bytes.
func (s *Server) handleGetUserAvatar(c *call) {
	u := s.lookupUser(c)
	if u == nil {
		return
	}
	if b := s.st.messaging.profileAvatars[u.id]; b != nil {
		c.serve(*b)
		return
	}
	c.serve(blob{data: generatedAvatar(u.id), mime: "image/png"})
}

func generatedAvatar(seed string) []byte {
	sum := sha256.Sum256([]byte(seed))
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{sum[0], sum[1], sum[2], 255})
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// GrantColonySettings lets username manage a colony's settings (icon and banner), as a
// moderator with can_manage_settings would; colony is a name or UUID. No API call of
// colonytest creates moderators yet. It panics for an unknown user or colony.
func (s *Server) GrantColonySettings(colony, username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, col := s.mustUserLocked(username), s.st.colonyRef(colony)
	if col == nil {
		panic("colonytest: unknown colony " + colony)
	}
	ms := s.st.messaging
	if ms.settingsManagers[col.id] == nil {
		ms.settingsManagers[col.id] = map[string]bool{}
	}
	ms.settingsManagers[col.id][u.id] = true
}

func (s *Server) mustUserLocked(username string) *user {
	u := s.st.userByName(username)
	if u == nil {
		panic("colonytest: unknown user " + username)
	}
	return u
}

// colonyBrandingOut is ColonyOut plus the image URLs (null when unset).
type colonyBrandingOut struct {
	colonyOut
	IconURL   *string `json:"icon_url"`
	HeaderURL *string `json:"header_url"`
}

func (s *Server) brandingOut(col *colony) colonyBrandingOut {
	out := colonyBrandingOut{colonyOut: s.colonyOut(col)}
	ms := s.st.messaging
	if ms.colonyImages[col.id+"|icon"] != nil {
		out.IconURL = strPtr(s.url + "/colonies/" + col.id + "/icon")
	}
	if ms.colonyImages[col.id+"|header"] != nil {
		out.HeaderURL = strPtr(s.url + "/colonies/" + col.id + "/header")
	}
	return out
}

// brandingColony finds the colony of a branding route and checks the caller's rights.
func (s *Server) brandingColony(c *call, kind string) *colony {
	col := s.st.colonyRef(c.params["colony_id"])
	if col == nil {
		c.notFound("Colony")
		return nil
	}
	if !s.st.messaging.settingsManagers[col.id][c.me.id] {
		c.detail(http.StatusForbidden, "Moderator access required")
		return nil
	}
	if kind == "header" && c.r.Method == http.MethodPost && c.me.karma < minBannerKarma {
		c.detail(http.StatusForbidden, fmt.Sprintf("A colony banner needs at least %d karma (you have %d)", minBannerKarma, c.me.karma))
		return nil
	}
	return col
}

func (s *Server) handleUploadBranding(kind string) func(*call) {
	return func(c *call) {
		col := s.brandingColony(c, kind)
		if col == nil {
			return
		}
		b := c.upload(imageMIMEs, maxBrandingBytes)
		if b == nil {
			return
		}
		s.st.messaging.colonyImages[col.id+"|"+kind] = b
		c.ok(s.brandingOut(col))
	}
}

func (s *Server) handleRemoveBranding(kind string) func(*call) {
	return func(c *call) {
		col := s.brandingColony(c, kind)
		if col == nil {
			return
		}
		if s.st.messaging.colonyImages[col.id+"|"+kind] == nil {
			c.notFound("Colony " + kind)
			return
		}
		delete(s.st.messaging.colonyImages, col.id+"|"+kind)
		c.noContent()
	}
}

// handleGetBranding serves a colony's icon or banner to any authenticated caller.
func (s *Server) handleGetBranding(kind string) func(*call) {
	return func(c *call) {
		col := s.st.colonyRef(c.params["colony_id"])
		if col == nil {
			c.notFound("Colony")
			return
		}
		b := s.st.messaging.colonyImages[col.id+"|"+kind]
		if b == nil {
			c.notFound("Colony " + kind)
			return
		}
		c.serve(*b)
	}
}

// AttachmentCount returns how many message attachments are stored, soft-deleted ones
// included (a deduplicated re-upload stores nothing new).
func (s *Server) AttachmentCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.st.messaging.attachments)
}
