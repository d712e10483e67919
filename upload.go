package colony

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
)

// File is a file to upload as the single multipart part "file" of an upload call
// (message attachments, avatars, colony icon and banner). It is streamed, never read
// into memory whole.
//
// Size is the byte length: when zero it is taken from a Len() method (bytes.Reader,
// strings.Reader, bytes.Buffer) or by seeking an io.Seeker, else the upload is sent
// chunked without a Content-Length. A known size of zero (an empty file), a negative
// size, a blank Name or a ContentType outside the endpoint's list is [ErrInvalidArgument],
// and a Reader that yields fewer or more bytes than Size fails the call.
//
// Retries: a Reader that is an io.ReadSeeker is rewound to its starting offset before
// every attempt, so the upload is retried like any write (same Idempotency-Key). Any
// other Reader is one-shot: the call makes exactly one attempt, with no retry and no
// replay after a 401, and its error says so.
type File struct {
	Reader      io.Reader // the content; read once per attempt, from its current offset
	Size        int64     // byte length; 0 means detect it or send chunked
	Name        string    // file name sent in the part header; CR and LF are stripped
	ContentType string    // MIME type of the part, e.g. "image/png"

	data []byte // set by FileFromBytes: every upload reads it from the start
}

// FileFromBytes returns a [File] over data. It is retried safely and, unlike a File
// over a caller's reader, can be uploaded any number of times; data must not change meanwhile.
func FileFromBytes(name, contentType string, data []byte) File {
	return File{Reader: bytes.NewReader(data), Size: int64(len(data)), Name: name, ContentType: contentType, data: data}
}

// Download is a binary response body handed over unread (attachments, group
// avatars). The caller must Close it. Its size is not capped by [WithMaxResponseBytes],
// and reading it counts against the client's call timeout when the call's context has
// no deadline of its own.
type Download struct {
	Body        io.ReadCloser // the bytes; Close it even when not read to the end
	ContentType string        // Content-Type of the response, "" when absent
	Size        int64         // Content-Length, -1 when the server did not send one
}

// Read reads from Body, so a [*Download] is an io.ReadCloser itself.
func (d *Download) Read(p []byte) (int, error) { return d.Body.Read(p) }

// Close closes Body and releases the connection.
func (d *Download) Close() error { return d.Body.Close() }

// Image MIME types accepted by the upload endpoints.
var (
	attachmentTypes = []string{"image/png", "image/jpeg", "image/webp", "image/gif"}
	imageTypes      = []string{"image/png", "image/jpeg", "image/webp"}
)

// streamBody is a non-JSON request body: open returns the whole body for one attempt.
type streamBody struct {
	open        func() (io.Reader, error)
	contentType string
	length      int64 // -1 when unknown
	oneShot     bool
}

// newMultipart checks f and builds its multipart/form-data body: a prefix and a
// suffix made once around the streamed content, with exactly one part named "file".
func newMultipart(f File, allowed []string) (*streamBody, error) {
	if f.data != nil {
		f.Reader = bytes.NewReader(f.data)
	}
	if f.Reader == nil {
		return nil, invalidArgf("file reader is nil")
	}
	name := strings.NewReplacer("\r", "", "\n", "").Replace(f.Name)
	if strings.TrimSpace(name) == "" {
		return nil, invalidArgf("file name is empty")
	}
	mt, _, err := mime.ParseMediaType(f.ContentType)
	if err != nil || strings.ContainsAny(f.ContentType, "\r\n") {
		return nil, invalidArgf("file content type %q is not a MIME type", f.ContentType)
	}
	if !slices.Contains(allowed, mt) {
		return nil, invalidArgf("file content type %q is not one of %s", f.ContentType, strings.Join(allowed, ", "))
	}
	size, err := fileSize(f)
	if err != nil {
		return nil, err
	}
	var rnd [16]byte
	_, _ = rand.Read(rnd[:])
	boundary := "----colonysdk" + hex.EncodeToString(rnd[:])
	escaped := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name)
	prefix := "--" + boundary + "\r\n" +
		`Content-Disposition: form-data; name="file"; filename="` + escaped + "\"\r\n" +
		"Content-Type: " + f.ContentType + "\r\n\r\n"
	suffix := "\r\n--" + boundary + "--\r\n"
	sb := &streamBody{contentType: "multipart/form-data; boundary=" + boundary, length: -1}
	if size >= 0 {
		sb.length = int64(len(prefix)) + size + int64(len(suffix))
	}
	seeker, seekable := f.Reader.(io.Seeker)
	var start int64
	if seekable {
		if start, err = seeker.Seek(0, io.SeekCurrent); err != nil {
			seekable = false
		}
	}
	sb.oneShot = !seekable
	var consumed atomic.Bool // a one-shot reader that was read from cannot be sent again
	sb.open = func() (io.Reader, error) {
		if seekable {
			if _, err := seeker.Seek(start, io.SeekStart); err != nil {
				return nil, fmt.Errorf("rewinding the upload: %w", err)
			}
		} else if consumed.Load() {
			return nil, errOneShotConsumed
		}
		content := &sizedReader{r: f.Reader, left: size, consumed: &consumed}
		return io.MultiReader(strings.NewReader(prefix), content, strings.NewReader(suffix)), nil
	}
	return sb, nil
}

var errOneShotConsumed = errors.New("colony: the upload's one-shot reader was already consumed and cannot be sent again")

// fileSize returns the size of f: Size, else Len() or the distance to a Seeker's
// end, else -1 (unknown).
func fileSize(f File) (int64, error) {
	size := f.Size
	switch {
	case size < 0:
		return 0, invalidArgf("file size %d is negative", size)
	case size > 0:
		return size, nil
	}
	if l, ok := f.Reader.(interface{ Len() int }); ok {
		size = int64(l.Len())
	} else if s, ok := f.Reader.(io.Seeker); ok {
		cur, err1 := s.Seek(0, io.SeekCurrent)
		end, err2 := s.Seek(0, io.SeekEnd)
		_, err3 := s.Seek(cur, io.SeekStart)
		if err := errors.Join(err1, err2, err3); err != nil {
			return 0, invalidArgf("file size: %v", err)
		}
		size = end - cur
	} else {
		return -1, nil
	}
	if size == 0 {
		return 0, invalidArgf("file is empty")
	}
	return size, nil
}

// sizedReader passes r through, failing when r ends before left bytes (left < 0:
// unknown size) or still has bytes after them.
type sizedReader struct {
	r        io.Reader
	left     int64
	consumed *atomic.Bool
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.left == 0 {
		var one [1]byte
		if n, _ := io.ReadFull(s.r, one[:]); n > 0 {
			return 0, errors.New("colony: upload reader holds more bytes than File.Size")
		}
		return 0, io.EOF
	}
	if s.left > 0 && int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	if n > 0 {
		s.consumed.Store(true)
	}
	if s.left > 0 {
		s.left -= int64(n)
		if err == io.EOF && s.left > 0 {
			return n, fmt.Errorf("colony: upload reader ended %d bytes before File.Size", s.left)
		}
		if err == io.EOF {
			err = nil // the size check above runs on the next Read
		}
	}
	return n, err
}

// upload sends f as multipart/form-data to path and decodes the JSON answer into out.
func (c *Client) upload(ctx context.Context, path string, f File, allowed []string, out any, opts []RequestOption) error {
	sb, err := newMultipart(f, allowed)
	if err != nil {
		return err
	}
	err = c.send(ctx, &request{method: http.MethodPost, path: path, stream: sb, out: out}, opts)
	if err != nil && sb.oneShot && notRetriedBecauseOneShot(err) {
		return fmt.Errorf("%w (not retried: the upload body is a one-shot io.Reader; pass an io.ReadSeeker to allow retries)", err)
	}
	return err
}

// notRetriedBecauseOneShot reports a failure a seekable upload would have retried
// (a retryable status, a 401 that would have been replayed, a network failure).
func notRetriedBecauseOneShot(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return retryableStatus(ae.StatusCode) || ae.StatusCode == http.StatusUnauthorized
	}
	var ne *NetworkError
	return errors.As(err, &ne)
}

// download sends a GET whose 2xx body is handed over unread as a *Download.
func (c *Client) download(ctx context.Context, path string, query map[string][]string, opts []RequestOption) (*Download, error) {
	var resp *http.Response
	if err := c.send(ctx, &request{method: http.MethodGet, path: path, query: query, out: &resp, raw: true}, opts); err != nil {
		return nil, err
	}
	return &Download{Body: resp.Body, ContentType: resp.Header.Get("Content-Type"), Size: resp.ContentLength}, nil
}

// releaseUnlessHanded ends a download's own timeout when its call ends, unless the
// response body was handed to the caller: then closing the body ends it.
func releaseUnlessHanded(r *request, cancel context.CancelFunc) {
	rp, _ := r.out.(**http.Response)
	if rp == nil || *rp == nil {
		cancel()
		return
	}
	(*rp).Body = &cancelOnClose{ReadCloser: (*rp).Body, cancel: cancel}
}

// cancelOnClose releases a context when the body it reads is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
