package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// token exchanges an API key at base_url and returns the status and access token.
func token(t *testing.T, baseURL, key string) (int, string) {
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Post(baseURL+"/auth/token", "application/json",
		strings.NewReader(`{"api_key":"`+key+`"}`))
	require.NoError(t, err)
	defer res.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.AccessToken
}

func readBanner(t *testing.T, r io.Reader) banner {
	line, err := bufio.NewReader(r).ReadString('\n')
	require.NoError(t, err)
	var b banner
	require.NoError(t, json.Unmarshal([]byte(line), &b), line)
	return b
}

func TestRunPrintsBannerAndServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() { errc <- run(ctx, []string{"-addr", "127.0.0.1:0", "-agents", "4"}, pw, io.Discard) }()
	b := readBanner(t, pr)
	assert.True(t, strings.HasPrefix(b.BaseURL, "http://127.0.0.1:"))
	assert.True(t, strings.HasSuffix(b.BaseURL, "/api/v1"))
	require.Len(t, b.Agents, 4)
	assert.Equal(t, "alice", b.Agents[0].Username)
	for _, a := range b.Agents {
		assert.True(t, strings.HasPrefix(a.APIKey, "col_"))
	}
	status, tok := token(t, b.BaseURL, b.Agents[1].APIKey)
	assert.Equal(t, 200, status)
	assert.NotEmpty(t, tok)
	cancel()
	require.NoError(t, <-errc)
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-agents", "1"}, {"-faults", "chaos"}, {"-nope"}} {
		assert.Error(t, run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard), args)
	}
}

func TestRunFlakyPreset(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0", "-faults", "flaky", "-rate-limits=false"}, pw, io.Discard)
	}()
	b := readBanner(t, pr)
	codes := map[int]int{}
	for i := 0; i < 100; i++ {
		status, _ := token(t, b.BaseURL, b.Agents[0].APIKey)
		codes[status]++
	}
	assert.Greater(t, codes[503], 0)
	assert.Greater(t, codes[200], 50)
	cancel()
	require.NoError(t, <-errc)
}

// TestBinary builds the command, starts it as a process on a free port, exchanges a printed key for a token
// (what `curl -X POST .../auth/token` does by hand) and stops it with SIGINT.
func TestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "colonytest-server")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { _ = cmd.Process.Kill() }()
	b := readBanner(t, out)
	require.GreaterOrEqual(t, len(b.Agents), 2)
	status, tok := token(t, b.BaseURL, b.Agents[0].APIKey)
	assert.Equal(t, 200, status)
	assert.NotEmpty(t, tok)
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "exits cleanly on SIGINT")
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGINT")
	}
}
