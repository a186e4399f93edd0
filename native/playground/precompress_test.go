package playground

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// make wasm's main.wasm.br and .gz are what the server sends, by what the
// browser accepts, and unpack to main.wasm.
func TestPrecompressedFiles(t *testing.T) {
	dir := t.TempDir()
	raw := bytes.Repeat([]byte("\x00asm some wasm bytes, repeated "), 4000)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.wasm"), raw, 0o644))
	require.NoError(t, Precompress(filepath.Join(dir, "main.wasm")))
	site := os.DirFS(dir)
	ts := httptest.NewServer(Handler(Options{Site: site}))
	defer ts.Close()

	get := func(enc string) (*http.Response, []byte) {
		req, err := http.NewRequest("GET", ts.URL+"/main.wasm", nil)
		require.NoError(t, err)
		req.Header.Set("Accept-Encoding", enc)
		resp, err := http.DefaultTransport.RoundTrip(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
		assert.Equal(t, strconv.Itoa(len(raw)), resp.Header.Get("X-Raw-Length"))
		return resp, body
	}
	onDisk := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return b
	}

	resp, body := get("gzip, deflate, br")
	assert.Equal(t, "br", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, onDisk("main.wasm.br"), body, "the file make wasm wrote, as is")
	unbr, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	require.NoError(t, err)
	assert.Equal(t, raw, unbr)

	resp, body = get("gzip")
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, onDisk("main.wasm.gz"), body)
	zr, err := gzip.NewReader(bytes.NewReader(body))
	require.NoError(t, err)
	ungz, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, raw, ungz)
	assert.Less(t, len(onDisk("main.wasm.br")), len(body), "brotli beats gzip")

	// Without a .br, a browser taking both gets gzip, compressed here.
	ts2 := httptest.NewServer(Handler(Options{Site: fstest.MapFS{"main.wasm": {Data: raw}}}))
	defer ts2.Close()
	req, err := http.NewRequest("GET", ts2.URL+"/main.wasm", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "br, gzip")
	r2, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	r2.Body.Close()
	assert.Equal(t, "gzip", r2.Header.Get("Content-Encoding"))
}

// A second make wasm with the same main.wasm leaves the compressed files
// alone (brotli's best takes a minute); a changed main.wasm, or a .br that
// does not unpack to it, gets them written anew.
func TestPrecompressSkipsCurrentFiles(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "main.wasm")
	unbr := func() []byte {
		b, err := os.ReadFile(wasm + ".br")
		require.NoError(t, err)
		out, err := io.ReadAll(brotli.NewReader(bytes.NewReader(b)))
		require.NoError(t, err)
		return out
	}
	first := bytes.Repeat([]byte("first build "), 1000)
	require.NoError(t, os.WriteFile(wasm, first, 0o644))
	require.NoError(t, Precompress(wasm))
	require.Equal(t, first, unbr())

	// Date the files in the past: a rewrite would make them new.
	past := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	marked := func(name string) bool {
		st, err := os.Stat(name)
		require.NoError(t, err)
		return st.ModTime().Equal(past)
	}
	for _, ext := range []string{".gz", ".br"} {
		require.NoError(t, os.Chtimes(wasm+ext, past, past))
	}
	require.NoError(t, Precompress(wasm))
	assert.True(t, marked(wasm+".gz"), "the .gz was written again though current")
	assert.True(t, marked(wasm+".br"), "the .br was written again though current")

	second := bytes.Repeat([]byte("second build "), 1000)
	require.NoError(t, os.WriteFile(wasm, second, 0o644))
	require.NoError(t, Precompress(wasm))
	assert.Equal(t, second, unbr(), "a changed main.wasm is compressed anew")

	require.NoError(t, os.WriteFile(wasm+".br", []byte("not brotli"), 0o644))
	require.NoError(t, Precompress(wasm))
	assert.Equal(t, second, unbr(), "a broken .br is replaced")
}
