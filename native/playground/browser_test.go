//go:build !js

package playground

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/site"
)

// The browser tests load the real page in headless Chromium (Debian's
// chromium; make test installs it), with the wasm built from this tree,
// play the tutorial and assert what a user sees. Screenshots of each step
// go to tmp/screenshots/ (git-ignored), or to $SYNCSCOPE_SCREENSHOTS.

var (
	siteOnce sync.Once
	siteDir  string
	siteErr  error
)

// siteBrotli delivers the outcome of writing builtSite's main.wasm.br.
var siteBrotli chan error

// builtSiteBrotli is builtSite once its main.wasm.br is written too.
func builtSiteBrotli(t *testing.T) string {
	t.Helper()
	dir := builtSite(t)
	brotliOnce.Do(func() { brotliErr = <-siteBrotli })
	require.NoError(t, brotliErr)
	return dir
}

var (
	brotliOnce sync.Once
	brotliErr  error
)

// wasmBuildFlags are make wasm's flags (WASMFLAGS in the Makefile): the
// budget tests weigh the main.wasm the site serves.
var wasmBuildFlags = []string{
	"-gcflags=github.com/yuin/gopher-lua/...=-l",
	"-gcflags=github.com/syncscope/syncscope/core/script/...=-l",
	"-gcflags=github.com/syncscope/syncscope/core/command=-l",
	"-ldflags=-s -w",
}

// builtSite is the page with a freshly built main.wasm, as make site
// writes it: a directory of plain files.
func builtSite(t *testing.T) string {
	t.Helper()
	siteOnce.Do(func() {
		dir, err := os.MkdirTemp("", "syncscope-site-")
		if err != nil {
			siteErr = err
			return
		}
		siteDir = dir
		siteErr = func() error {
			if err := os.CopyFS(dir, site.FS()); err != nil {
				return err
			}
			args := append(append([]string{"build"}, wasmBuildFlags...), "-o", filepath.Join(dir, "main.wasm"), "github.com/syncscope/syncscope/wasm")
			cmd := exec.Command("go", args...)
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("building the wasm: %v\n%s", err, out)
			}
			// As make wasm: main.wasm.gz and .br beside it. Brotli's best
			// takes most of a minute: it runs beside the tests, and only
			// the budget tests (last in the file order) wait for it.
			wasm := filepath.Join(dir, "main.wasm")
			raw, err := os.ReadFile(wasm)
			if err != nil {
				return err
			}
			if err := writeCompressed(wasm+".gz", raw, gzipBytes); err != nil {
				return err
			}
			siteBrotli = make(chan error, 1)
			go func() { siteBrotli <- writeCompressed(wasm+".br", raw, brotliBytes) }()
			goroot, err := exec.Command("go", "env", "GOROOT").Output()
			if err != nil {
				return err
			}
			js, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, "wasm_exec.js"), js, 0o644)
		}()
	})
	require.NoError(t, siteErr)
	return siteDir
}

// browser starts headless Chromium for one test.
func browser(t *testing.T, width, height int) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (Debian: apt-get install chromium; make test installs it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
	})
	require.NoError(t, chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))))
	return ctx
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("SYNCSCOPE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "tmp", "screenshots")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(screenshotDir(t), name+".png"), buf, 0o644))
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	require.NoError(t, err, js)
	return v
}

func poll(t *testing.T, ctx context.Context, js string, timeout time.Duration) {
	t.Helper()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+js+")", chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	require.NoError(t, err, "waiting for %s", js)
}

// text is what the user sees in an element.
func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return eval[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, sel))
}

// doStep presses "Do it" and waits for the step's check to pass.
func doStep(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("do-step"))))
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#check').classList.contains('ok') && !document.querySelector('#do-step').disabled`,
		chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		shot(t, ctx, "failed-"+id)
		t.Log(eval[string](t, ctx, `syncscope.nodes().map((n) => n.port + ':\n' + syncscope.logs(n.port, 0).slice(-20).join('\n')).join('\n\n')`))
	}
	require.NoError(t, err, "step %s: check never passed; it says %q", id, text(t, ctx, "#check"))
}

// A page's node replicates from a native node through the websocket, and
// sees what a client writes to the native node over TCP.
func TestBrowserNative(t *testing.T) {
	dir := builtSite(t)
	port := startNative(t)
	ts := httptest.NewServer(Handler(Options{Site: os.DirFS(dir), Nodes: []int{port}}))
	defer ts.Close()
	// The server compresses the wasm once, at start; wait for that, so the
	// timing below is the page's.
	resp, err := http.Get(ts.URL + "/main.wasm")
	require.NoError(t, err)
	resp.Body.Close()
	ctx := browser(t, 1280, 900)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?step=native&seed=3")))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && !document.querySelector('#do-step').disabled`, 30*time.Second)
	assert.Equal(t, "Beyond: A native node", text(t, ctx, "#step-title"))
	t.Logf("served gzip-compressed by the playground server: wasm ready %.0f ms after navigation start",
		eval[float64](t, ctx, `syncscope.timing.ready`))
	doStep(t, ctx, "native")
	// The check reads the link's state; the log panel is drawn on the next
	// frame, which a loaded machine can delay.
	poll(t, ctx, `document.querySelector('#node-7000 .log').textContent.includes('MASTER <-> REPLICA sync: Finished with success')`, 20*time.Second)
	log7000 := text(t, ctx, `#node-7000 .log`)
	assert.Contains(t, log7000, fmt.Sprintf("Connecting to MASTER 127.0.0.1:%d", port))
	assert.Contains(t, log7000, "MASTER <-> REPLICA sync: Finished with success")

	// A client of the native node writes; the page's replica has it.
	nc, err := net.Dial("tcp", "127.0.0.1:"+strconv.Itoa(port))
	require.NoError(t, err)
	defer nc.Close()
	_, err = nc.Write([]byte("*3\r\n$3\r\nSET\r\n$5\r\ncolor\r\n$4\r\nblue\r\n"))
	require.NoError(t, err)
	line, err := bufio.NewReader(nc).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "+OK\r\n", line)
	// The write crosses TCP and the websocket in real time: ask again, as a
	// user would, until it is there (bounded).
	seen := false
	for i := 0; i < 20 && !seen; i++ {
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-7000"), "get color"+kb.Enter)))
		time.Sleep(250 * time.Millisecond)
		seen = eval[bool](t, ctx, `document.querySelector('#node-7000 .term-out').textContent.includes('127.0.0.1:7000> get color"blue"')`)
	}
	require.True(t, seen, "7000 never printed \"blue\": %s", text(t, ctx, "#node-7000 .term-out"))
	// The native node is drawn, and so are the messages from it.
	assert.Contains(t, text(t, ctx, "#nodes"), strconv.Itoa(port))
	assert.Contains(t, eval[string](t, ctx, `JSON.stringify(syncscope.state(7000))`), fmt.Sprintf(`"port":%d,"status":"up"`, port))
	shot(t, ctx, "11-native")
}

// make site's output has what the page loads.
func TestSiteFiles(t *testing.T) {
	for _, name := range []string{"index.html", "css/style.css", "js/main.js", "js/app.js", "js/tutorial.js"} {
		_, err := fs.Stat(site.FS(), name)
		assert.NoError(t, err, name)
	}
}
