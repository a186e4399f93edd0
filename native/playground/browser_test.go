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
	"runtime"
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
			goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
			cmd := exec.Command(goBin, "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "main.wasm"), "github.com/syncscope/syncscope/wasm")
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("building the wasm: %v\n%s", err, out)
			}
			js, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
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

// openStep shows step id (replaying what comes before it) and waits until
// the page is ready for the user.
func openStep(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	eval[bool](t, ctx, fmt.Sprintf(`(async () => { const a = syncscope.app; await a.go(a.steps.findIndex((s) => s.id === %q)); return true; })()`, id))
	poll(t, ctx, `!document.querySelector('#do-step').disabled`, 30*time.Second)
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

// The tutorial from a plain static server (what make site writes works
// from any host): every step performed with its button, and what the user
// sees asserted.
func TestBrowserTutorial(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx := browser(t, 1280, 1000)

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?scenario=walkthrough&seed=1")))
	// The first node answering, measured from the navigation's start.
	answered := eval[[]any](t, ctx, `(async () => {
		await syncscope.ready;
		const ready = performance.now();
		await syncscope.startNode(6399, '');
		const r = await syncscope.exec(6399, 'ping');
		return [r, ready, performance.now()];
	})()`)
	require.Equal(t, "PONG", answered[0])
	t.Logf("wasm ready %.0f ms after navigation start; first node answered PING at %.0f ms", answered[1], answered[2])
	poll(t, ctx, `window.syncscope.app && window.syncscope.app.started`, 10*time.Second)
	openStep(t, ctx, "configure")
	assert.Equal(t, "Walkthrough: 0x001 Configure", text(t, ctx, "#step-title"))
	assert.Contains(t, eval[string](t, ctx, `location.search`), "seed=1")

	var replid string // 6379's, after 0x005
	t.Run("configure", func(t *testing.T) {
		// 0x001: the user's turn first: type the lines into the config files.
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("conf-6378"), "slaveof 127.0.0.1 6379\n"),
			chromedp.SendKeys(chromedp.ID("conf-6377"), "slaveof 127.0.0.1 6378\n"),
		))
		poll(t, ctx, `document.querySelector('#check').classList.contains('ok')`, 5*time.Second)
		shot(t, ctx, "01-configure")
	})

	t.Run("sync", func(t *testing.T) {
		openStep(t, ctx, "sync")
		doStep(t, ctx, "sync")
		shot(t, ctx, "02-sync")
		log6378 := text(t, ctx, `#node-6378 .log`)
		for _, want := range []string{"Connecting to MASTER 127.0.0.1:6379", "MASTER <-> REPLICA sync started", "Master replied to PING, replication can continue...",
			"Partial resynchronization not possible (no cached master)", "Full resync from master: ", "MASTER <-> REPLICA sync: Flushing old data",
			"MASTER <-> REPLICA sync: Loading DB in memory", "MASTER <-> REPLICA sync: Finished with success"} {
			assert.Contains(t, log6378, want)
		}
		log6379 := text(t, ctx, `#node-6379 .log`)
		assert.Contains(t, log6379, "Replica 127.0.0.1:6378 asks for synchronization")
		assert.Contains(t, log6379, "Synchronization with replica 127.0.0.1:6378 succeeded")
		assert.Contains(t, text(t, ctx, `#node-6377 .repl`), "linkup")
	})

	t.Run("write", func(t *testing.T) {
		openStep(t, ctx, "write")
		doStep(t, ctx, "write")
		shot(t, ctx, "03-write")
		assert.Contains(t, text(t, ctx, `#node-6379 .term-out`), "127.0.0.1:6379> set name redisOK")
		assert.Contains(t, text(t, ctx, `#node-6378 .term-out`), `127.0.0.1:6378> get name"redis"`)
		assert.Contains(t, text(t, ctx, `#node-6377 .term-out`), `127.0.0.1:6377> get name"redis"`)
		assert.Contains(t, text(t, ctx, `#node-6378 .term-out`), "127.0.0.1:6378> set name redis-cli(error) READONLY You can't write against a read only replica.")

		// The user types too: a command, then the history on the arrow keys.
		require.NoError(t, chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.ID("term-6377"), "dbsize"+kb.Enter),
		))
		poll(t, ctx, `document.querySelector('#node-6377 .term-out').textContent.includes('127.0.0.1:6377> dbsize(integer) 1')`, 5*time.Second)
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6377"), kb.ArrowUp)))
		assert.Equal(t, "dbsize", eval[string](t, ctx, `document.querySelector('#term-6377').value`))
	})

	t.Run("disconnect", func(t *testing.T) {
		openStep(t, ctx, "disconnect")
		doStep(t, ctx, "disconnect")
		shot(t, ctx, "04-disconnect")
		log6378 := text(t, ctx, `#node-6378 .log`)
		assert.Contains(t, log6378, "User requested shutdown...")
		assert.Contains(t, log6378, "Saving the final RDB snapshot before exiting.")
		assert.Contains(t, log6378, "DB saved on disk")
		assert.Contains(t, text(t, ctx, `#node-6379 .log`), "Connection with replica 127.0.0.1:6378 lost.")
		log6377 := text(t, ctx, `#node-6377 .log`)
		assert.GreaterOrEqual(t, strings.Count(log6377, "Connecting to MASTER 127.0.0.1:6378"), 2)
		assert.GreaterOrEqual(t, strings.Count(log6377, "Error condition on socket for SYNC: Connection refused"), 2)
		assert.Contains(t, text(t, ctx, `#node-6377 .term-out`), `127.0.0.1:6377> get name"redis"`)
		assert.Equal(t, "not connected> ", text(t, ctx, `#node-6378 .prompt`))
	})

	t.Run("writable", func(t *testing.T) {
		openStep(t, ctx, "writable")
		doStep(t, ctx, "writable")
		shot(t, ctx, "05-writable")
		assert.Contains(t, text(t, ctx, `#node-6378 .log`), "Successful partial resynchronization with master.")
		assert.Contains(t, text(t, ctx, `#node-6378 .term-out`), "set name redis-cliOK")
		assert.Contains(t, text(t, ctx, `#node-6378 .term-out`), `127.0.0.1:6378> get name"redis-cli"`)
		assert.Contains(t, text(t, ctx, `#node-6377 .term-out`), `127.0.0.1:6377> get name"redis"`)
		assert.Contains(t, text(t, ctx, `#node-6379 .term-out`), `127.0.0.1:6379> get name"redis"`)
		replid = eval[string](t, ctx, `syncscope.state(6379).replid`)
	})

	// A copied link replays the run exactly: the same logs, states and
	// terminals, from the seed and the journal in the URL.
	t.Run("link", func(t *testing.T) {
		require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`syncscope.app.setPaused(true)`)))
		link := eval[string](t, ctx, `syncscope.app.url(true)`)
		require.Contains(t, link, "&log=")
		t.Logf("the link is %d bytes", len(link))
		snapshot := `JSON.stringify([6379, 6378, 6377].map((p) => [syncscope.logs(p, 0), syncscope.state(p), document.querySelector('#node-' + p + ' .term-out').textContent]))`
		before := eval[string](t, ctx, snapshot)
		require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(link)))
		poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started`, 30*time.Second)
		assert.True(t, eval[bool](t, ctx, `syncscope.clock().paused`), "a shared run opens paused")
		after := eval[string](t, ctx, snapshot)
		assert.Equal(t, before, after)
		assert.Equal(t, "Walkthrough: 0x005 Writable replica", text(t, ctx, "#step-title"))
		require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`syncscope.app.setPaused(false)`)))
	})
	t.Run("back", func(t *testing.T) {
		// Back replays the earlier steps from the seed: the same state again.
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("back"))))
		poll(t, ctx, `document.querySelector('#step-title').textContent.includes('0x004') && !document.querySelector('#do-step').disabled`, 30*time.Second)
		assert.Contains(t, text(t, ctx, `#node-6377 .term-out`), `127.0.0.1:6377> get name"redis"`, "0x003's commands were replayed")
		assert.Contains(t, text(t, ctx, `#node-6378 .repl`), "linkup", "6378 is up again: before 0x004's shutdown")
		if replid != "" { // when 0x005 ran
			assert.Equal(t, replid, eval[string](t, ctx, `syncscope.state(6379).replid`), "the same seed, the same replication ID")
		}
	})

	t.Run("backlog", func(t *testing.T) {
		// The break-it chapter.
		openStep(t, ctx, "backlog")
		doStep(t, ctx, "backlog")
		shot(t, ctx, "06-backlog")
		assert.Contains(t, text(t, ctx, `#node-6378 .log`), "MASTER timeout: no data nor PING received...")
		assert.Contains(t, text(t, ctx, `#node-6379 .log`), "Unable to partial resync with replica 127.0.0.1:6378 for lack of backlog")
	})

	t.Run("promote", func(t *testing.T) {
		openStep(t, ctx, "promote")
		doStep(t, ctx, "promote")
		shot(t, ctx, "07-promote")
		assert.Contains(t, text(t, ctx, `#node-6378 .log`), "Setting secondary replication ID to ")
		assert.Contains(t, text(t, ctx, `#node-6377 .log`), "Master replication ID changed to ")
		assert.Contains(t, text(t, ctx, `#node-6379 .log`), "Successful partial resynchronization with master.")
	})

	t.Run("kill", func(t *testing.T) {
		openStep(t, ctx, "kill")
		doStep(t, ctx, "kill")
		shot(t, ctx, "08-kill")
		assert.Regexp(t, `I/O error .*MASTER: Connection reset by peer`, text(t, ctx, `#node-6378 .log`))
		assert.Contains(t, text(t, ctx, `#node-6378 .term-out`), `127.0.0.1:6378> get name"redis"`)
	})

	t.Run("wait", func(t *testing.T) {
		openStep(t, ctx, "wait")
		doStep(t, ctx, "wait")
		shot(t, ctx, "09-wait")
		term := text(t, ctx, `#node-6379 .term-out`)
		assert.Contains(t, term, "127.0.0.1:6379> wait 1 100(integer) 0")
		assert.Contains(t, term, "127.0.0.1:6379> wait 1 3000(integer) 1")
		assert.Contains(t, term, "127.0.0.1:6379> wait 2 2000(integer) 1")
	})

	t.Run("rdb", func(t *testing.T) {
		openStep(t, ctx, "rdb")
		rdb := text(t, ctx, "#step-extra")
		for _, want := range []string{`header: magic "REDIS", RDB version 0010`, "aux field (0xFA): redis-ver = 7.0.15", "aux field (0xFA): repl-id = ",
			"select database (0xFE): db 0", `key "name": type 0 (string), value "redis"`, `key "counter": type 0 (string), value "42" [int8]`,
			`key "list": type 18`, "end of file (0xFF)", "CRC64 checksum"} {
			assert.Contains(t, rdb, want)
		}
		assert.NotContains(t, rdb, "not decoded")
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".rdb-spans li:nth-child(3) button"))))
		assert.Greater(t, eval[int](t, ctx, `document.querySelectorAll('.rdb-bytes span.hl').length`), 0)
		shot(t, ctx, "10-rdb")
		// By keyboard: a link of the topology opens its menu on Enter; Cut,
		// then Heal.
		t.Run("keyboard", func(t *testing.T) {
			eval[bool](t, ctx, `(document.querySelector('#links .link').focus(), true)`)
			require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
			poll(t, ctx, `!document.querySelector('#link-menu').hidden && document.activeElement.textContent === 'Cut'`, 5*time.Second)
			require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
			assert.Equal(t, "[[6378,6379]]", eval[string](t, ctx, `JSON.stringify(syncscope.cuts())`))
			poll(t, ctx, `document.querySelector('#links .link.cut')`, 5*time.Second)
			shot(t, ctx, "12-keyboard-cut")
			eval[bool](t, ctx, `(document.querySelector('#links .link').focus(), true)`)
			require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
			poll(t, ctx, `document.activeElement.textContent === 'Heal'`, 5*time.Second)
			require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
			assert.Equal(t, "null", eval[string](t, ctx, `JSON.stringify(syncscope.cuts())`))
		})
		assert.Empty(t, eval[string](t, ctx, `syncscope.error()`), "the world saw no driver error")
		assert.False(t, eval[bool](t, ctx, `Boolean(document.querySelector('#step-list').textContent.includes('A native node'))`),
			"a static host has no native nodes: the step is not offered")
	})
}

// At phone width everything fits the screen.
func TestBrowserPhone(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx := browser(t, 390, 844)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?step=write&seed=7")))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && !document.querySelector('#do-step').disabled`, 30*time.Second)
	doStep(t, ctx, "write")
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 390, "no horizontal scrolling")
	shot(t, ctx, "phone-write")
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
