package colony_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/colony-go/colony"
	"github.com/colony-go/colony/colonytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pngBytes returns a w×h PNG image.
func pngBytes(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// oneShot hides every method of r but Read, as a network stream would.
type oneShot struct{ r io.Reader }

func (o oneShot) Read(p []byte) (int, error) { return o.r.Read(p) }

var boundaryRE = regexp.MustCompile(`^multipart/form-data; boundary=(----colonysdk[0-9a-f]{32})$`)

// uploads returns the recorded requests to path.
func (e *socialEnv) uploads(path string) []colonytest.Request {
	var out []colonytest.Request
	for _, r := range e.calls() {
		if r.RawPath == "/api/v1"+path {
			out = append(out, r)
		}
	}
	return out
}

func TestUploadAttachmentWireBytes(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	data := pngBytes(t, 3, 2)
	env.reset()

	up, err := c.Messages.UploadAttachment(context.Background(), colony.File{
		Reader: bytes.NewReader(data), Name: "a\"b\\c\r\n.png", ContentType: "image/png"})
	require.NoError(t, err)
	r := env.onlyUpload("/messages/attachments/upload")
	m := boundaryRE.FindStringSubmatch(r.Header.Get("Content-Type"))
	require.NotNil(t, m, "Content-Type %q", r.Header.Get("Content-Type"))
	b := m[1]
	want := "--" + b + "\r\n" +
		`Content-Disposition: form-data; name="file"; filename="a\"b\\c.png"` + "\r\n" +
		"Content-Type: image/png\r\n" +
		"\r\n" + string(data) + "\r\n" +
		"--" + b + "--\r\n"
	assert.Equal(t, want, string(r.Body), "the body, byte for byte")
	assert.Equal(t, strconv.Itoa(len(want)), r.Header.Get("Content-Length"))
	assert.Empty(t, r.Header.Get("Accept"), "no Accept header, as colony-sdk")
	assert.Regexp(t, `^Bearer `, r.Header.Get("Authorization"))

	assert.Regexp(t, `^[0-9a-f-]{36}$`, up.AttachmentID)
	assert.Equal(t, "image/png", up.MimeType)
	assert.Equal(t, int64(len(data)), up.SizeBytes)
	require.NotNil(t, up.Width)
	require.NotNil(t, up.Height)
	assert.Equal(t, 3, *up.Width)
	assert.Equal(t, 2, *up.Height)
	assert.Equal(t, env.srv.URL()+"/messages/attachments/"+up.AttachmentID+"/full", up.FullURL)
	assert.Equal(t, env.srv.URL()+"/messages/attachments/"+up.AttachmentID+"/thumb", up.ThumbURL)
	assert.False(t, up.Deduped)

	again, err := c.Messages.UploadAttachment(context.Background(), colony.FileFromBytes("other.png", "image/png", data))
	require.NoError(t, err)
	assert.True(t, again.Deduped, "the same bytes again")
	assert.Equal(t, up.AttachmentID, again.AttachmentID)
	assert.Equal(t, 1, env.srv.AttachmentCount())
}

// onlyUpload asserts that exactly one API request was made since the last reset: a
// multipart POST to path with no query and an Idempotency-Key. The caller checks the body.
func (e *socialEnv) onlyUpload(path string) colonytest.Request {
	e.t.Helper()
	calls := e.calls()
	require.Len(e.t, calls, 1, "API requests: %v", describe(calls))
	r := calls[0]
	assert.Equal(e.t, "POST", r.Method)
	assert.Equal(e.t, "/api/v1"+path, r.RawPath)
	assert.Empty(e.t, r.RawQuery)
	assert.Regexp(e.t, "^multipart/form-data; boundary=", r.Header.Get("Content-Type"))
	assert.Regexp(e.t, "^[0-9a-f]{32}$", r.Header.Get("Idempotency-Key"))
	return r
}

func TestAttachmentDownloadAndParticipants(t *testing.T) {
	env := newSocialEnv(t)
	_, ca := env.agentClient("alice")
	_, cb := env.agentClient("bob")
	_, cc := env.agentClient("carol")
	ctx := context.Background()
	data := pngBytes(t, 4, 4)
	up, err := ca.Messages.UploadAttachment(ctx, colony.FileFromBytes("x.png", "image/png", data))
	require.NoError(t, err)

	env.reset()
	d, err := ca.Messages.Attachment(ctx, up.AttachmentID, "")
	require.NoError(t, err)
	got, err := io.ReadAll(d)
	require.NoError(t, err)
	require.NoError(t, d.Close())
	r := env.only(wire{Method: "GET", Path: "/messages/attachments/" + up.AttachmentID + "/full"})
	assert.Empty(t, r.Header.Get("Accept"), "a download carries no Accept header, as colony-sdk")
	assert.Equal(t, data, got, "the exact bytes")
	assert.Equal(t, "image/png", d.ContentType)
	assert.Equal(t, int64(len(data)), d.Size)

	_, err = cb.Messages.Attachment(ctx, up.AttachmentID, colony.AttachmentThumb)
	assert.ErrorIs(t, err, colony.ErrForbidden, "bob is not in a conversation holding it yet")

	var sent colony.Message
	require.NoError(t, ca.Do(ctx, "POST", "/messages/send/bob", map[string]any{"body": "look", "attachment_ids": []string{up.AttachmentID}}, &sent))
	require.Len(t, sent.Attachments, 1)
	att := sent.Attachments[0]
	assert.Equal(t, up.AttachmentID, att.ID)
	assert.Equal(t, "image/png", att.MimeType)
	assert.Equal(t, int64(len(data)), att.SizeBytes)
	assert.Equal(t, up.FullURL, att.FullURL)

	env.reset()
	d, err = cb.Messages.Attachment(ctx, up.AttachmentID, colony.AttachmentThumb)
	require.NoError(t, err)
	got, err = io.ReadAll(d)
	require.NoError(t, err)
	require.NoError(t, d.Close())
	env.only(wire{Method: "GET", Path: "/messages/attachments/" + up.AttachmentID + "/thumb"})
	assert.Equal(t, data, got)

	_, err = cc.Messages.Attachment(ctx, up.AttachmentID, colony.AttachmentFull)
	assert.ErrorIs(t, err, colony.ErrForbidden, "carol is no participant")
}

func TestAttachmentDownloadNotFoundReleasesConnection(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	_, err := c.Users.Me(ctx) // warm up: token and one idle connection
	require.NoError(t, err)

	var reused []bool
	trace := &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { reused = append(reused, i.Reused) }}
	tctx := httptrace.WithClientTrace(ctx, trace)
	env.reset()
	d, err := c.Messages.Attachment(tctx, "00000000-0000-4000-8000-000000000000", colony.AttachmentFull)
	require.ErrorIs(t, err, colony.ErrNotFound)
	assert.Nil(t, d)
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "NOT_FOUND", ae.Code)
	env.only(wire{Method: "GET", Path: "/messages/attachments/00000000-0000-4000-8000-000000000000/full"})

	_, err = c.Users.Me(tctx)
	require.NoError(t, err)
	assert.Equal(t, []bool{true, true}, reused, "the 404's connection went back to the pool and was used again")
}

func TestDeleteAttachment(t *testing.T) {
	env := newSocialEnv(t)
	_, ca := env.agentClient("alice")
	_, cb := env.agentClient("bob")
	ctx := context.Background()
	up, err := ca.Messages.UploadAttachment(ctx, colony.FileFromBytes("x.png", "image/png", pngBytes(t, 1, 1)))
	require.NoError(t, err)

	assert.ErrorIs(t, cb.Messages.DeleteAttachment(ctx, up.AttachmentID), colony.ErrForbidden, "only the uploader")
	env.reset()
	require.NoError(t, ca.Messages.DeleteAttachment(ctx, up.AttachmentID))
	env.only(wire{Method: "DELETE", Path: "/messages/attachments/" + up.AttachmentID})
	require.NoError(t, ca.Messages.DeleteAttachment(ctx, up.AttachmentID), "again: 204 again")
	_, err = ca.Messages.Attachment(ctx, up.AttachmentID, "")
	assert.ErrorIs(t, err, colony.ErrNotFound, "deleted")
}

func TestUploadRefusedByServer(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	_, err := c.Messages.UploadAttachment(ctx, colony.FileFromBytes("x.jpg", "image/jpeg", pngBytes(t, 1, 1)))
	require.ErrorIs(t, err, colony.ErrValidation, "declared JPEG, sniffed PNG")
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Contains(t, ae.Message, "does not match")

	big := append(pngBytes(t, 1, 1), make([]byte, 8<<20)...)
	_, err = c.Messages.UploadAttachment(ctx, colony.FileFromBytes("big.png", "image/png", big))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusRequestEntityTooLarge, ae.StatusCode)
	assert.Equal(t, 0, env.srv.AttachmentCount())
}

func TestUploadOneShotReaderIsNotRetried(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	data := pngBytes(t, 2, 2)
	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/messages/attachments/upload", Times: 1, Status: 503})
	env.reset()

	_, err := c.Messages.UploadAttachment(context.Background(), colony.File{Reader: oneShot{bytes.NewReader(data)},
		Size: int64(len(data)), Name: "x.png", ContentType: "image/png"})
	require.ErrorIs(t, err, colony.ErrServer)
	assert.Contains(t, err.Error(), "not retried: the upload body is a one-shot io.Reader")
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.StatusCode)
	assert.Len(t, env.uploads("/messages/attachments/upload"), 1, "one attempt only")
	assert.Equal(t, 0, env.srv.AttachmentCount())
}

func TestUploadOneShotUnknownSizeIsChunked(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	data := pngBytes(t, 2, 2)
	env.reset()
	up, err := c.Messages.UploadAttachment(context.Background(), colony.File{Reader: oneShot{bytes.NewReader(data)},
		Name: "x.png", ContentType: "image/png"})
	require.NoError(t, err)
	assert.Equal(t, int64(len(data)), up.SizeBytes)
	r := env.uploads("/messages/attachments/upload")
	require.Len(t, r, 1)
	assert.Empty(t, r[0].Header.Get("Content-Length"), "unknown size: sent chunked")
}

func TestUploadSeekableReaderIsRetriedWithOneKey(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	data := pngBytes(t, 2, 2)
	// The first attempt is stored, then its answer is lost as a 503.
	env.srv.Inject(colonytest.Fault{Method: "POST", Path: "/messages/attachments/upload", Times: 1, Status: 503, AfterHandler: true})
	env.reset()

	rd := bytes.NewReader(append([]byte("junk"), data...))
	_, _ = rd.Seek(4, io.SeekStart) // the file starts at the reader's current offset
	var resp colony.Response
	up, err := c.Messages.UploadAttachment(context.Background(), colony.File{Reader: rd, Name: "x.png", ContentType: "image/png"},
		colony.WithResponseInto(&resp))
	require.NoError(t, err)
	reqs := env.uploads("/messages/attachments/upload")
	require.Len(t, reqs, 2)
	key := reqs[0].Header.Get("Idempotency-Key")
	assert.Regexp(t, "^[0-9a-f]{32}$", key)
	assert.Equal(t, key, reqs[1].Header.Get("Idempotency-Key"))
	assert.Equal(t, reqs[0].Body, reqs[1].Body, "the retry re-sent the same bytes")
	assert.True(t, resp.IdempotentReplay, "the server replayed the stored answer")
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int64(len(data)), up.SizeBytes)
	assert.Equal(t, 1, env.srv.AttachmentCount(), "stored once")
}

func TestUploadSizeMismatch(t *testing.T) {
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		writeContentJSON(w, map[string]any{"attachment_id": "a"})
	})
	ctx := context.Background()
	_, err := c.Messages.UploadAttachment(ctx, colony.File{Reader: oneShot{strings.NewReader("short")}, Size: 10, Name: "x.png", ContentType: "image/png"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "before File.Size")
	_, err = c.Messages.UploadAttachment(ctx, colony.File{Reader: oneShot{strings.NewReader("too long")}, Size: 3, Name: "x.png", ContentType: "image/png"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "more bytes than File.Size")
}

// patternReader yields n generated bytes without holding them.
type patternReader struct{ left int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.left == 0 {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.left))
	for i := range b[:n] {
		b[i] = byte(i)
	}
	p.left -= int64(n)
	return n, nil
}

// TestUploadStreamsWithFlatHeap uploads 50 MiB and samples the heap while the server
// reads it: the peak growth stays a small fraction of the file.
func TestUploadStreamsWithFlatHeap(t *testing.T) {
	const size = 50 << 20
	var received, contentLength atomic.Int64
	var peak atomic.Uint64
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/messages/attachments/upload" {
			writeContentJSON(w, map[string]any{"id": "me"})
			return
		}
		contentLength.Store(r.ContentLength)
		mr, err := r.MultipartReader()
		if !assert.NoError(t, err) {
			return
		}
		part, err := mr.NextPart()
		if !assert.NoError(t, err) {
			return
		}
		buf := make([]byte, 32<<10)
		var ms runtime.MemStats
		for next := int64(0); ; {
			n, err := part.Read(buf)
			received.Add(int64(n))
			if received.Load() >= next {
				runtime.ReadMemStats(&ms)
				if ms.HeapAlloc > peak.Load() {
					peak.Store(ms.HeapAlloc)
				}
				next += 4 << 20
			}
			if err != nil {
				break
			}
		}
		writeContentJSON(w, map[string]any{"attachment_id": "big", "mime_type": "image/png", "size_bytes": received.Load()})
	})
	_, err := c.Users.Me(context.Background()) // token and connection before measuring
	require.NoError(t, err)

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	up, err := c.Messages.UploadAttachment(context.Background(), colony.File{Reader: &patternReader{left: size}, Size: size, Name: "big.png", ContentType: "image/png"})
	require.NoError(t, err)
	assert.Equal(t, int64(size), up.SizeBytes)
	assert.Equal(t, int64(size), received.Load())
	assert.Greater(t, contentLength.Load(), int64(size), "Content-Length computed up front")
	growth := int64(peak.Load()) - int64(before.HeapAlloc)
	t.Logf("peak heap growth %d KiB for a %d MiB upload", growth>>10, size>>20)
	assert.Less(t, growth, int64(8<<20), "the upload must stream, not buffer")
}

func TestUploadBadInputSendsNothing(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	data := pngBytes(t, 1, 1)
	env.reset()
	good := colony.FileFromBytes("x.png", "image/png", data)
	with := func(f func(*colony.File)) colony.File { g := good; f(&g); return g }

	cases := map[string]func() error{
		"nil reader": func() error {
			_, err := c.Messages.UploadAttachment(ctx, colony.File{Name: "x.png", ContentType: "image/png"})
			return err
		},
		"empty name": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.Name = " " }))
			return err
		},
		"crlf name": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.Name = "\r\n" }))
			return err
		},
		"no type": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.ContentType = "" }))
			return err
		},
		"text type": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.ContentType = "text/plain" }))
			return err
		},
		"crlf type": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.ContentType = "image/png\r\nX: y" }))
			return err
		},
		"empty file": func() error {
			_, err := c.Messages.UploadAttachment(ctx, colony.FileFromBytes("x.png", "image/png", nil))
			return err
		},
		"negative": func() error {
			_, err := c.Messages.UploadAttachment(ctx, with(func(f *colony.File) { f.Size = -1 }))
			return err
		},
		"gif avatar": func() error {
			_, err := c.Users.UploadAvatar(ctx, with(func(f *colony.File) { f.ContentType = "image/gif" }))
			return err
		},
		"group id":  func() error { _, err := c.Groups.UploadAvatar(ctx, "", good); return err },
		"group get": func() error { _, err := c.Groups.Avatar(ctx, ".."); return err },
		"icon file": func() error {
			_, err := c.Colonies.UploadIcon(ctx, "general", with(func(f *colony.File) { f.Name = "" }))
			return err
		},
		"icon colony": func() error { _, err := c.Colonies.UploadIcon(ctx, " ", good); return err },
		"banner": func() error {
			_, err := c.Colonies.UploadBanner(ctx, "general", with(func(f *colony.File) { f.ContentType = "image/bmp" }))
			return err
		},
		"variant":    func() error { _, err := c.Messages.Attachment(ctx, "a", "huge"); return err },
		"att upload": func() error { _, err := c.Messages.Attachment(ctx, "upload", ""); return err },
		"delete att": func() error { return c.Messages.DeleteAttachment(ctx, "") },
	}
	for name, call := range cases {
		t.Run(name, func(t *testing.T) {
			assert.ErrorIs(t, call(), colony.ErrInvalidArgument)
		})
	}
	env.none()
}

func TestProfileAvatar(t *testing.T) {
	env := newSocialEnv(t)
	alice, c := env.agentClient("alice")
	ctx := context.Background()
	data := pngBytes(t, 8, 8)
	env.reset()

	av, err := c.Users.UploadAvatar(ctx, colony.FileFromBytes("me.png", "image/png", data))
	require.NoError(t, err)
	r := env.onlyUpload("/users/me/avatar/upload")
	assertOneFilePart(t, r, "me.png", "image/png", data)
	assert.True(t, av.UploadedAt.Equal(env.srv.Now()) || !av.UploadedAt.IsZero())
	assert.Contains(t, av.AvatarPath, alice.ID)
	assert.Equal(t, env.srv.URL()+"/users/"+alice.ID+"/avatar?size=32", av.URLs.SM)
	assert.Equal(t, env.srv.URL()+"/users/"+alice.ID+"/avatar?size=96", av.URLs.MD)
	assert.Equal(t, env.srv.URL()+"/users/"+alice.ID+"/avatar?size=256", av.URLs.LG)

	env.reset()
	require.NoError(t, c.Users.DeleteAvatar(ctx))
	env.only(wire{Method: "DELETE", Path: "/users/me/avatar/upload"})
}

// assertOneFilePart parses a recorded multipart request: exactly one part "file".
func assertOneFilePart(t *testing.T, r colonytest.Request, name, contentType string, data []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err)
	assert.Equal(t, "multipart/form-data", mt)
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	p, err := mr.NextPart()
	require.NoError(t, err)
	assert.Equal(t, "file", p.FormName())
	assert.Equal(t, name, p.FileName())
	assert.Equal(t, contentType, p.Header.Get("Content-Type"))
	got, err := io.ReadAll(p)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	_, err = mr.NextPart()
	assert.ErrorIs(t, err, io.EOF, "exactly one part")
}

func TestColonyIconAndBanner(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	data := pngBytes(t, 5, 5)
	general, _ := colony.ColonyID("general")
	file := colony.FileFromBytes("icon.png", "image/png", data)

	_, err := c.Colonies.UploadIcon(ctx, "general", file)
	require.ErrorIs(t, err, colony.ErrForbidden, "not allowed to manage settings")
	env.srv.GrantColonySettings("general", "alice")

	env.reset()
	col, err := c.Colonies.UploadIcon(ctx, "general", file)
	require.NoError(t, err)
	r := env.onlyUpload("/colonies/" + general + "/icon")
	assertOneFilePart(t, r, "icon.png", "image/png", data)
	assert.Equal(t, general, col.ID)
	assert.Equal(t, "general", col.Name)

	env.reset()
	require.NoError(t, c.Colonies.RemoveIcon(ctx, "general"))
	env.only(wire{Method: "DELETE", Path: "/colonies/" + general + "/icon"})
	assert.ErrorIs(t, c.Colonies.RemoveIcon(ctx, "general"), colony.ErrNotFound, "none set")

	_, err = c.Colonies.UploadBanner(ctx, general, file)
	require.ErrorIs(t, err, colony.ErrForbidden, "a banner needs 100 karma")
	var ae *colony.APIError
	require.ErrorAs(t, err, &ae)
	assert.Contains(t, ae.Message, "karma")
	env.srv.SetKarma("alice", 100)
	env.reset()
	col, err = c.Colonies.UploadBanner(ctx, general, file)
	require.NoError(t, err)
	env.onlyUpload("/colonies/" + general + "/header")
	assert.Equal(t, general, col.ID)
	env.reset()
	require.NoError(t, c.Colonies.RemoveBanner(ctx, "general"))
	env.only(wire{Method: "DELETE", Path: "/colonies/" + general + "/header"})
}

func TestGroupAvatarAgainstColonytest(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	gid := "00000000-0000-4000-8000-00000000000a"
	env.reset()
	_, err := c.Groups.UploadAvatar(context.Background(), gid, colony.FileFromBytes("g.png", "image/png", pngBytes(t, 1, 1)))
	assert.ErrorIs(t, err, colony.ErrNotFound)
	env.onlyUpload("/messages/groups/" + gid + "/avatar")
	env.reset()
	_, err = c.Groups.Avatar(context.Background(), gid)
	assert.ErrorIs(t, err, colony.ErrNotFound)
	env.only(wire{Method: "GET", Path: "/messages/groups/" + gid + "/avatar"})

	// A real group: the creator (an admin) sets the avatar, an accepted member reads
	// it back, and a member who is not an admin may not change it.
	ctx := context.Background()
	_, bob := env.agentClient("bob")
	g, err := c.Groups.Create(ctx, &colony.GroupCreateParams{Title: "Avatars", Members: []string{"bob"}})
	require.NoError(t, err)
	_, err = bob.Groups.RespondToInvite(ctx, g.ID, true)
	require.NoError(t, err)
	img := pngBytes(t, 4, 4)
	_, err = c.Groups.UploadAvatar(ctx, g.ID, colony.FileFromBytes("g.png", "image/png", img))
	require.NoError(t, err)
	d, err := bob.Groups.Avatar(ctx, g.ID)
	require.NoError(t, err)
	got, err := io.ReadAll(d.Body)
	require.NoError(t, err)
	require.NoError(t, d.Body.Close())
	assert.Equal(t, img, got, "the member reads back the bytes the creator uploaded")
	_, err = bob.Groups.UploadAvatar(ctx, g.ID, colony.FileFromBytes("g.png", "image/png", img))
	assert.ErrorIs(t, err, colony.ErrForbidden, "only group admins change the avatar")
}

func TestGroupAvatarRoundTrip(t *testing.T) {
	var stored []byte
	var accept string
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.EscapedPath() {
		case "POST /api/v1/messages/groups/g1/avatar":
			f, _, err := r.FormFile("file")
			if assert.NoError(t, err) {
				stored, _ = io.ReadAll(f)
			}
			writeContentJSON(w, map[string]any{"avatar_url": "/api/v1/messages/groups/g1/avatar"})
		case "GET /api/v1/messages/groups/g1/avatar":
			accept = r.Header.Get("Accept")
			w.Header().Set("Content-Type", "image/webp")
			_, _ = w.Write(stored)
		default:
			w.WriteHeader(http.StatusNotFound)
			_ = json.NewEncoder(w).Encode(map[string]any{"detail": "Not Found"})
		}
	})
	data := pngBytes(t, 2, 2)
	av, err := c.Groups.UploadAvatar(context.Background(), "g1", colony.FileFromBytes("g.png", "image/png", data))
	require.NoError(t, err)
	assert.Equal(t, "/api/v1/messages/groups/g1/avatar", av.AvatarURL)
	d, err := c.Groups.Avatar(context.Background(), "g1")
	require.NoError(t, err)
	defer d.Close()
	got, err := io.ReadAll(d.Body)
	require.NoError(t, err)
	assert.Equal(t, data, got)
	assert.Equal(t, "image/webp", d.ContentType)
	assert.Empty(t, accept, "a download carries no Accept header, as colony-sdk")
}

// A download under a cancellable context keeps its body readable after the call
// returns: the call's own timeout ends when the body is closed, not before.
func TestAttachmentDownloadWithCancellableContext(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	data := pngBytes(t, 64, 64)
	up, err := c.Messages.UploadAttachment(context.Background(), colony.FileFromBytes("x.png", "image/png", data))
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := c.Messages.Attachment(ctx, up.AttachmentID, colony.AttachmentFull)
	require.NoError(t, err)
	got, err := io.ReadAll(d)
	require.NoError(t, err)
	require.NoError(t, d.Close())
	assert.Equal(t, data, got)

}

// A 401 is answered by one token refresh and a replay for a seekable upload, but not
// for a one-shot reader, whose error says why.
func TestUploadUnauthorizedReplay(t *testing.T) {
	var uploads atomic.Int32
	c := newContentFake(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if uploads.Add(1)%2 == 1 {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"detail":"Not authenticated"}`)
			return
		}
		writeContentJSON(w, map[string]any{"attachment_id": "a1"})
	})
	data := pngBytes(t, 1, 1)
	up, err := c.Messages.UploadAttachment(context.Background(), colony.FileFromBytes("x.png", "image/png", data))
	require.NoError(t, err)
	assert.Equal(t, "a1", up.AttachmentID)
	assert.Equal(t, int32(2), uploads.Load(), "replayed once after the refresh")

	uploads.Store(0)
	_, err = c.Messages.UploadAttachment(context.Background(), colony.File{Reader: oneShot{bytes.NewReader(data)}, Name: "x.png", ContentType: "image/png"})
	require.ErrorIs(t, err, colony.ErrUnauthorized)
	assert.Contains(t, err.Error(), "not retried")
	assert.Equal(t, int32(1), uploads.Load(), "a one-shot body is not replayed")
}

func TestAttachmentThumbVariant(t *testing.T) {
	env := newSocialEnv(t)
	_, c := env.agentClient("alice")
	ctx := context.Background()
	up, err := c.Messages.UploadAttachment(ctx, colony.FileFromBytes("wide.png", "image/png", pngBytes(t, 600, 300)))
	require.NoError(t, err)
	d, err := c.Messages.Attachment(ctx, up.AttachmentID, colony.AttachmentThumb)
	require.NoError(t, err)
	defer d.Close()
	img, err := png.Decode(d)
	require.NoError(t, err)
	assert.Equal(t, image.Pt(256, 128), img.Bounds().Size(), "the thumb is scaled down")
	assert.Equal(t, "image/png", d.ContentType)
}

func TestColonyBrandingRateLimit(t *testing.T) {
	env := newSocialEnv(t, colonytest.WithRateLimit(colonytest.RateLimitBrand, 2, time.Hour))
	_, c := env.agentClient("alice")
	env.srv.GrantColonySettings("general", "alice")
	file := colony.FileFromBytes("icon.png", "image/png", pngBytes(t, 1, 1))
	for range 2 {
		_, err := c.Colonies.UploadIcon(context.Background(), "general", file)
		require.NoError(t, err)
	}
	_, err := c.Colonies.UploadIcon(context.Background(), "general", file)
	requireRateLimited(t, err)
}
