package playground

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/native/internal/proc"
	"github.com/syncscope/syncscope/native/server"
)

// startNative runs a native node on a free port for the test.
func startNative(t *testing.T) int {
	t.Helper()
	port, err := proc.FreePort()
	require.NoError(t, err)
	cfg, _, err := config.Parse(fmt.Sprintf("port %d\nbind 127.0.0.1\nsave \"\"\ndir %s\n", port, t.TempDir()), nil)
	require.NoError(t, err)
	srv, err := server.Start(cfg, server.Options{Stdout: io.Discard})
	require.NoError(t, err)
	t.Cleanup(func() {
		srv.Signal("SIGTERM")
		srv.Wait()
	})
	return port
}

var testSite = fstest.MapFS{
	"index.html":   {Data: []byte("<!doctype html><title>t</title>")},
	"main.wasm":    {Data: bytes.Repeat([]byte("\x00asm wasm bytes "), 1000)},
	"js/main.js":   {Data: []byte("export const x = 1;")},
	"img/logo.png": {Data: []byte("\x89PNG")},
}

func TestFiles(t *testing.T) {
	ts := httptest.NewServer(Handler(Options{Site: testSite}))
	defer ts.Close()

	get := func(path, enc string) *http.Response {
		req, err := http.NewRequest("GET", ts.URL+path, nil)
		require.NoError(t, err)
		if enc != "" {
			req.Header.Set("Accept-Encoding", enc)
		}
		resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}

	resp := get("/main.wasm", "gzip, br")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, strconv.Itoa(len(testSite["main.wasm"].Data)), resp.Header.Get("X-Raw-Length"))
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	body, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, testSite["main.wasm"].Data, body)

	resp = get("/main.wasm", "")
	assert.Empty(t, resp.Header.Get("Content-Encoding"), "no gzip unless asked")
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	body, _ = io.ReadAll(resp.Body)
	assert.Equal(t, testSite["main.wasm"].Data, body)

	resp = get("/main.wasm", "gzip;q=0")
	assert.Empty(t, resp.Header.Get("Content-Encoding"), "q=0 refuses gzip")

	resp = get("/", "gzip")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))

	resp = get("/js/main.js", "gzip")
	assert.Equal(t, "text/javascript; charset=utf-8", resp.Header.Get("Content-Type"))

	resp = get("/img/logo.png", "gzip")
	assert.Empty(t, resp.Header.Get("Content-Encoding"), "images are not compressed")

	resp = get("/nosuch.js", "gzip")
	assert.Equal(t, 404, resp.StatusCode)

	resp = get("/native.json", "")
	body, _ = io.ReadAll(resp.Body)
	assert.JSONEq(t, `{"nodes":[]}`, string(body))
}

// The websocket carries RESP to a native node and back.
func TestBridge(t *testing.T) {
	port := startNative(t)
	ts := httptest.NewServer(Handler(Options{Site: testSite, Nodes: []int{port}}))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	resp, err := http.Get(ts.URL + "/native.json")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.JSONEq(t, fmt.Sprintf(`{"nodes":[%d]}`, port), string(body))

	wsURL := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws?port=" + strconv.Itoa(port)
	c, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {ts.URL}}})
	require.NoError(t, err)
	defer c.CloseNow()
	// Commands split across messages arrive as one stream.
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte("*3\r\n$3\r\nSET\r\n$4\r\nname")))
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte("\r\n$5\r\nredis\r\n*2\r\n$3\r\nGET\r\n$4\r\nname\r\n")))
	var got []byte
	for !bytes.Contains(got, []byte("$5\r\nredis\r\n")) {
		_, data, err := c.Read(ctx)
		require.NoError(t, err, "got %q so far", got)
		got = append(got, data...)
	}
	assert.Equal(t, "+OK\r\n$5\r\nredis\r\n", string(got))

	// QUIT: the node closes the connection, and the bridge the websocket.
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte("QUIT\r\n")))
	_, data, err := c.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, "+OK\r\n", string(data))
	_, _, err = c.Read(ctx)
	assert.Error(t, err, "closed after the node closed")
}

func TestBridgeRefuses(t *testing.T) {
	port := startNative(t)
	closed, err := proc.FreePort()
	require.NoError(t, err)
	ts := httptest.NewServer(Handler(Options{Site: testSite, Nodes: []int{port, closed}}))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws?port="
	same := &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {ts.URL}}}

	for _, tc := range []struct {
		name, query string
		opts        *websocket.DialOptions
	}{
		{"a port that is not one of ours", "6379", same},
		{"not a number", "x", same},
		{"no port", "", same},
		{"another site's page", strconv.Itoa(port), &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://evil.example"}}}},
	} {
		_, resp, err := websocket.Dial(ctx, ws+tc.query, tc.opts)
		require.Error(t, err, tc.name)
		require.NotNil(t, resp, tc.name)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, tc.name)
	}

	// A listed node that is not running: the websocket opens and closes
	// with the reason, as a refused connect.
	c, _, err := websocket.Dial(ctx, ws+strconv.Itoa(closed), same)
	require.NoError(t, err)
	_, _, err = c.Read(ctx)
	require.Error(t, err)
	assert.Equal(t, websocket.StatusTryAgainLater, websocket.CloseStatus(err))
	assert.Contains(t, err.Error(), "connection refused")
}
