package colony

import (
	"context"
	"net/http"
	"time"
)

// GroupAvatar is the answer of a group avatar upload (wire schema GroupAvatarUploadOut):
// AvatarURL is the path the served WebP image is read from.
type GroupAvatar struct {
	AvatarURL string `json:"avatar_url"`
}

// UploadAvatar sets a group conversation's avatar (POST /messages/groups/{conv_id}/avatar,
// multipart part "file"; image/png, image/jpeg or image/webp, centre-cropped square).
// Group admins only ([ErrForbidden]). Retries as described on [File].
func (s *GroupsService) UploadAvatar(ctx context.Context, groupID string, f File, opts ...RequestOption) (*GroupAvatar, error) {
	path, err := endpoint("/messages/groups/{conv_id}/avatar", groupID)
	if err != nil {
		return nil, err
	}
	out := new(GroupAvatar)
	if err := s.client.upload(ctx, path, f, imageTypes, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// Avatar downloads a group conversation's avatar image (GET /messages/groups/{conv_id}/avatar);
// members only. The caller must Close the [Download].
func (s *GroupsService) Avatar(ctx context.Context, groupID string, opts ...RequestOption) (*Download, error) {
	path, err := endpoint("/messages/groups/{conv_id}/avatar", groupID)
	if err != nil {
		return nil, err
	}
	return s.client.download(ctx, path, nil, opts)
}

// ProfileAvatar is the answer of a profile avatar upload: the stored path, when it was
// uploaded and the URLs of its 32, 96 and 256 px renditions.
type ProfileAvatar struct {
	AvatarPath string            `json:"avatar_path"`
	UploadedAt time.Time         `json:"uploaded_at"`
	URLs       ProfileAvatarURLs `json:"urls"`
}

// ProfileAvatarURLs are the small, medium and large renditions of a profile avatar.
type ProfileAvatarURLs struct {
	SM string `json:"sm"`
	MD string `json:"md"`
	LG string `json:"lg"`
}

// UploadAvatar replaces the caller's profile avatar (POST /users/me/avatar/upload,
// multipart part "file"; image/png, image/jpeg or image/webp). Retries as described on [File].
func (s *UsersService) UploadAvatar(ctx context.Context, f File, opts ...RequestOption) (*ProfileAvatar, error) {
	out := new(ProfileAvatar)
	if err := s.client.upload(ctx, "/users/me/avatar/upload", f, imageTypes, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteAvatar reverts the caller's profile avatar to the generated one
// (DELETE /users/me/avatar/upload); idempotent.
func (s *UsersService) DeleteAvatar(ctx context.Context, opts ...RequestOption) error {
	return s.client.do(ctx, http.MethodDelete, "/users/me/avatar/upload", nil, nil, nil, opts)
}

// UploadIcon sets a colony's icon (POST /colonies/{colony_id}/icon, multipart part
// "file"; image/png, image/jpeg or image/webp) and returns the updated colony. colony
// is a name or UUID resolved as in Join. Moderators who may manage settings only
// ([ErrForbidden]); 5 per hour and 15 per day.
func (s *ColoniesService) UploadIcon(ctx context.Context, colony string, f File, opts ...RequestOption) (*Colony, error) {
	return s.uploadBranding(ctx, "/colonies/{colony_id}/icon", colony, f, opts)
}

// RemoveIcon removes a colony's icon (DELETE /colonies/{colony_id}/icon); [ErrNotFound]
// when none is set. colony is resolved as in Join.
func (s *ColoniesService) RemoveIcon(ctx context.Context, colony string, opts ...RequestOption) error {
	return s.removeBranding(ctx, "/colonies/{colony_id}/icon", colony, opts)
}

// UploadBanner sets a colony's banner (POST /colonies/{colony_id}/header, multipart part
// "file"; image/png, image/jpeg or image/webp, at most 5 MB) and returns the updated
// colony. Needs the settings right and 100 karma ([ErrForbidden], not worth retrying).
func (s *ColoniesService) UploadBanner(ctx context.Context, colony string, f File, opts ...RequestOption) (*Colony, error) {
	return s.uploadBranding(ctx, "/colonies/{colony_id}/header", colony, f, opts)
}

// RemoveBanner removes a colony's banner (DELETE /colonies/{colony_id}/header);
// [ErrNotFound] when none is set. colony is resolved as in Join.
func (s *ColoniesService) RemoveBanner(ctx context.Context, colony string, opts ...RequestOption) error {
	return s.removeBranding(ctx, "/colonies/{colony_id}/header", colony, opts)
}

func (s *ColoniesService) brandingPath(ctx context.Context, tmpl, colony string) (string, error) {
	id, err := s.client.resolveColony(ctx, colony)
	if err != nil {
		return "", err
	}
	return endpoint(tmpl, id)
}

func (s *ColoniesService) uploadBranding(ctx context.Context, tmpl, colony string, f File, opts []RequestOption) (*Colony, error) {
	if _, err := newMultipart(f, imageTypes); err != nil { // refuse bad files before resolving the colony
		return nil, err
	}
	path, err := s.brandingPath(ctx, tmpl, colony)
	if err != nil {
		return nil, err
	}
	out := new(Colony)
	if err := s.client.upload(ctx, path, f, imageTypes, out, opts); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *ColoniesService) removeBranding(ctx context.Context, tmpl, colony string, opts []RequestOption) error {
	path, err := s.brandingPath(ctx, tmpl, colony)
	if err != nil {
		return err
	}
	return s.client.do(ctx, http.MethodDelete, path, nil, nil, nil, opts)
}
