//go:build !js

package playground

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxWasmBytes is the page's budget for main.wasm on the wire.
const maxWasmBytes = 2_000_000

// maxLoadToPing is how long after navigation a node may take to be drawn
// and answer PING in its terminal.
const maxLoadToPing = time.Second

// loadTiming is the page opened cold: main.wasm's entry in the browser's
// resource timing, and when 6379 was drawn and answered PING.
type loadTiming struct {
	URL      string  `json:"url"`
	Transfer float64 `json:"transfer"` // bytes on the wire, headers included
	Encoded  float64 `json:"encoded"`  // the body as sent
	Decoded  float64 `json:"decoded"`  // the body unpacked
	Compiled float64 `json:"compiled"` // ms from navigation: fetched and compiled
	Ready    float64 `json:"ready"`    // ms from navigation: the wasm exported its API
	Drawn    float64 `json:"drawn"`    // ms: 6379 drawn on the topology
	Pong     float64 `json:"pong"`     // ms: PONG printed in 6379's terminal
}

// openCold loads the page in a fresh browser and waits, in the page, for
// 6379 to be drawn, then types PING into its terminal as a person would
// (the form's submit) and waits for PONG.
func openCold(t *testing.T, url, wasm string) (context.Context, loadTiming) {
	t.Helper()
	ctx := browser(t, 1280, 900)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	return ctx, eval[loadTiming](t, ctx, `(async () => {
		const until = (f) => new Promise((resolve) => {
			const look = () => (f() ? resolve(performance.now()) : requestAnimationFrame(look));
			look();
		});
		await until(() => window.syncscope && syncscope.timing && syncscope.timing.ready);
		const drawn = await until(() => document.querySelector('#nodes [data-port="6379"]') && document.querySelector('#term-6379'));
		const input = document.querySelector('#term-6379');
		input.value = 'ping';
		input.form.requestSubmit();
		const out = document.querySelector('#node-6379 .term-out');
		const pong = await until(() => out.textContent.includes('127.0.0.1:6379> pingPONG'));
		const e = performance.getEntriesByType('resource').find((r) => r.name.endsWith('/`+wasm+`'));
		return { url: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
			compiled: syncscope.timing.compiled, ready: syncscope.timing.ready, drawn, pong };
	})()`)
}

// From the playground server: main.wasm sent compressed, within budget,
// and the landing's node answers PING within a second.
func TestBrowserLoadBudget(t *testing.T) {
	dir := builtSiteBrotli(t)
	var mu sync.Mutex
	encoding := ""
	h := Handler(Options{Site: os.DirFS(dir)})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/main.wasm" {
			mu.Lock()
			encoding = w.Header().Get("Content-Encoding") + " (browser accepts " + r.Header.Get("Accept-Encoding") + ")"
			mu.Unlock()
		}
	}))
	defer ts.Close()
	// The server reads the compressed files at start; wait for that, so
	// the timing below is the page's.
	resp, err := http.Get(ts.URL + "/main.wasm")
	require.NoError(t, err)
	resp.Body.Close()

	// The budget is the page's, not the machine's: on a CI machine whose two
	// cores also run native/e2e a load can be stalled, so the best of three
	// cold loads counts (a page that is slow every time still fails).
	limit, load := maxLoadToPing, loadPerCPU()
	if load > 2 {
		limit *= 3
		t.Logf("load average %.1f per CPU: PONG allowed until %v", load, limit)
	}
	var lt loadTiming
	for attempt := 1; attempt <= 3; attempt++ {
		_, lt = openCold(t, ts.URL+"/", "main.wasm")
		if lt.Pong <= float64(limit/time.Millisecond) {
			break
		}
		t.Logf("cold load %d: PONG after %.0f ms, over %v", attempt, lt.Pong, limit)
	}
	mu.Lock()
	t.Logf("main.wasm: %.0f bytes on the wire (body %.0f, %s), %.0f unpacked", lt.Transfer, lt.Encoded, encoding, lt.Decoded)
	mu.Unlock()
	t.Logf("from navigation: wasm fetched and compiled %.0f ms, ready %.0f ms, 6379 drawn %.0f ms, PONG %.0f ms", lt.Compiled, lt.Ready, lt.Drawn, lt.Pong)
	assert.Greater(t, lt.Decoded, float64(maxWasmBytes), "the raw wasm is bigger than the budget: the test would not notice a missing encoding")
	assert.LessOrEqual(t, lt.Transfer, float64(maxWasmBytes), "main.wasm as served")
	assert.Less(t, lt.Encoded, lt.Decoded, "main.wasm is sent compressed")
	assert.LessOrEqual(t, lt.Pong, float64(limit/time.Millisecond), "6379 drawn and answering PING")
}

// loadPerCPU is the 1-minute load average per CPU (0 when unknown).
func loadPerCPU() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, err := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	if err != nil {
		return 0
	}
	return f / float64(runtime.NumCPU())
}

// From a static host that compresses nothing (what make site writes,
// served as plain files): the page stops main.wasm at its headers, fetches
// main.wasm.gz and unpacks it itself.
func TestBrowserStaticSiteBudget(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx, lt := openCold(t, ts.URL+"/", "main.wasm.gz")
	gz, err := os.Stat(filepath.Join(dir, "main.wasm.gz"))
	require.NoError(t, err)
	t.Logf("static host: main.wasm.gz %.0f bytes on the wire (budget %d); wasm ready %.0f ms, PONG %.0f ms", lt.Transfer, maxWasmBytes, lt.Ready, lt.Pong)
	assert.InDelta(t, float64(gz.Size()), lt.Encoded, 1, "the .gz, unpacked by the page")
	raw := eval[float64](t, ctx, `performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/main.wasm')).reduce((n, r) => n + r.transferSize, 0)`)
	assert.Less(t, raw, float64(1<<20), "the raw main.wasm was stopped at its headers")
}

// The tests build main.wasm as make wasm does: the budget they check is
// the served file's.
func TestWasmBuildFlagsAsMakefile(t *testing.T) {
	mk, err := os.ReadFile(filepath.Join("..", "..", "Makefile"))
	require.NoError(t, err)
	var flags string
	for line := range strings.Lines(string(mk)) {
		if rest, ok := strings.CutPrefix(line, "WASMFLAGS := "); ok {
			flags = strings.TrimSpace(rest)
		}
	}
	require.NotEmpty(t, flags, "the Makefile sets WASMFLAGS")
	assert.Contains(t, string(mk), "$(GO) build $(WASMFLAGS) -o site/static/main.wasm ./wasm")
	want := make([]string, len(wasmBuildFlags))
	for i, f := range wasmBuildFlags {
		// The shell reads the Makefile's quotes.
		if name, value, ok := strings.Cut(f, "="); ok && strings.Contains(value, " ") {
			f = name + `="` + value + `"`
		}
		want[i] = f
	}
	assert.Equal(t, strings.Join(want, " "), flags)
}
