//go:build !js

package playground

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staticPage opens path of the page, served as plain files, in a browser
// width x height, once the page is ready for the learner.
func staticPage(t *testing.T, width, height int, path string) context.Context {
	t.Helper()
	ts := httptest.NewServer(http.FileServer(http.Dir(builtSite(t))))
	t.Cleanup(ts.Close)
	ctx := browser(t, width, height)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+path)))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && !document.querySelector('#do-step').disabled && document.querySelector('#term-6379')`, 30*time.Second)
	return ctx
}

// A learner at the page with three nodes (0x003), by keyboard and at the
// terminals, as people use redis-cli: Space pauses and plays, Cut and Heal
// keep the focus on their link; INFO prints raw, help is answered by
// redis-cli itself, Tab completes command names, clear and quit do what
// they do in redis-cli; and the RDB view shows what core/rdb reads in the
// snapshot 6378 received, byte by byte.
func TestBrowserLearner(t *testing.T) {
	ctx := staticPage(t, 1280, 900, "/?step=write&seed=7")

	t.Run("keyboard", func(t *testing.T) {
		paused := func() bool { return eval[bool](t, ctx, `syncscope.clock().paused`) }
		eval[bool](t, ctx, `(document.activeElement.blur(), true)`)
		before := paused()
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(" ")))
		assert.Equal(t, !before, paused(), "Space toggles the clock")
		assert.Equal(t, map[bool]string{true: "Play", false: "Pause"}[!before], text(t, ctx, "#pause"))
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(" ")))
		assert.Equal(t, before, paused(), "and back")

		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), "get a b")))
		assert.Equal(t, "get a b", eval[string](t, ctx, `document.querySelector('#term-6379').value`))
		assert.Equal(t, before, paused(), "Space in a terminal is a space")
		eval[bool](t, ctx, `(document.querySelector('#term-6379').value = '', true)`)

		focusedPair := `(document.activeElement && document.activeElement.dataset && document.activeElement.dataset.pair) || document.activeElement.tagName`
		eval[bool](t, ctx, `(document.querySelector('#links .link').focus(), true)`)
		pair := eval[string](t, ctx, focusedPair)
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
		poll(t, ctx, `!document.querySelector('#link-menu').hidden && document.activeElement.textContent === 'Cut'`, 5*time.Second)
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
		poll(t, ctx, `document.querySelector('#links .link.cut')`, 5*time.Second)
		assert.True(t, eval[bool](t, ctx, `document.querySelector('#link-menu').hidden`), "the menu closed: the Enter that cut did not open it again")
		// The link is drawn again as the replica notices (the page refreshes every 200 ms).
		time.Sleep(600 * time.Millisecond)
		assert.Equal(t, pair, eval[string](t, ctx, focusedPair), "the focus stays on the link after Cut")
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
		poll(t, ctx, `document.activeElement.textContent === 'Heal'`, 5*time.Second)
		require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
		poll(t, ctx, `!document.querySelector('#links .link.cut')`, 5*time.Second)
		time.Sleep(600 * time.Millisecond)
		assert.Equal(t, pair, eval[string](t, ctx, focusedPair), "the focus stays on the link after Heal")
		assert.Equal(t, "null", eval[string](t, ctx, `JSON.stringify(syncscope.cuts())`))
	})

	t.Run("redis-cli", func(t *testing.T) {
		out := `#node-6379 .term-out`
		typeLine := func(s string) {
			t.Helper()
			require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), s+kb.Enter)))
		}

		typeLine("info replication")
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('connected_slaves:')`, 5*time.Second)
		got := text(t, ctx, out)
		assert.Contains(t, got, "127.0.0.1:6379> info replication# Replication\nrole:master\nconnected_slaves:", "INFO prints raw, line by line")
		assert.NotContains(t, got, `\r\n`)

		// The card's INFO button does the same.
		require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#node-6378 .act-info`))))
		poll(t, ctx, `document.querySelector('#node-6378 .term-out').textContent.includes('role:slave\nmaster_host:127.0.0.1')`, 5*time.Second)

		typeLine("help")
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('"help <command>" for help on <command>')`, 5*time.Second)
		typeLine("help set")
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('summary: Set the string value of a key')`, 5*time.Second)
		got = text(t, ctx, out)
		assert.Contains(t, got, "SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\n  summary: Set the string value of a key\n  since: 1.0.0\n  group: string")
		assert.NotContains(t, got, "ERR unknown command 'help'")
		assert.Equal(t, 1, eval[int](t, ctx, `[...document.querySelectorAll('#node-6379 .term-out .ansi-bold')].filter((e) => e.textContent === 'SET').length`), "the name in bold, as redis-cli shows it")

		// Tab completes: "se" -> SELECT, SET, ... (redis-cli's order), Enter runs it.
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), "get na")))
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), kb.Tab)))
		assert.Equal(t, "get na", eval[string](t, ctx, `document.querySelector('#term-6379').value`), "no command starts with 'get na': nothing to complete")
		eval[bool](t, ctx, `(document.querySelector('#term-6379').value = '', document.querySelector('#term-6379').focus(), true)`)
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), "se"+kb.Tab)))
		assert.Equal(t, "SELECT", eval[string](t, ctx, `document.querySelector('#term-6379').value`))
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), kb.Tab)))
		assert.Equal(t, "SET", eval[string](t, ctx, `document.querySelector('#term-6379').value`))
		assert.Equal(t, "term-6379", eval[string](t, ctx, `document.activeElement.id`), "Tab completing keeps the focus in the terminal")
		require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), " color blue"+kb.Enter)))
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('127.0.0.1:6379> SET color blueOK')`, 5*time.Second)
		shot(t, ctx, "cli-help")

		typeLine("clear")
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent === ''`, 5*time.Second)
		typeLine("quit")
		poll(t, ctx, `document.querySelector('#node-6379 .prompt').textContent === '$ '`, 5*time.Second)
		typeLine("")
		poll(t, ctx, `document.querySelector('#node-6379 .prompt').textContent === '127.0.0.1:6379> '`, 5*time.Second)
		typeLine("get color")
		poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('127.0.0.1:6379> get color"blue"')`, 5*time.Second)

		// The prompt follows SELECT and MULTI as redis-cli's does.
		typeLine("select 1")
		poll(t, ctx, `document.querySelector('#node-6379 .prompt').textContent === '127.0.0.1:6379[1]> '`, 5*time.Second)
		typeLine("multi")
		poll(t, ctx, `document.querySelector('#node-6379 .prompt').textContent === '127.0.0.1:6379[1](TX)> '`, 5*time.Second)
		typeLine("discard")
		typeLine("select 0")
		poll(t, ctx, `document.querySelector('#node-6379 .prompt').textContent === '127.0.0.1:6379> '`, 5*time.Second)
	})

	t.Run("rdb", func(t *testing.T) {
		// A full sync of a dataset: keys of three encodings (and "color",
		// set above).
		for _, l := range []string{"set name redis", "set counter 42", "rpush list a b c"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), l+kb.Enter)))
		}
		for _, l := range []string{"replicaof no one", "replicaof 127.0.0.1 6379"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6378"), l+kb.Enter)))
		}
		poll(t, ctx, `(syncscope.rdbParts(6378) || {spans: []}).spans.some((s) => s.kind === 'key' && s.name === '"list"')`, 20*time.Second)
		eval[bool](t, ctx, `(async () => {
			const { renderRDB } = await import('./js/rdbview.js');
			const view = renderRDB(syncscope.app, 6378);
			view.id = 'rdb-test';
			document.querySelector('#step-extra').replaceChildren(view);
			return true;
		})()`)
		rdb := text(t, ctx, "#rdb-test")
		for _, want := range []string{`header: magic "REDIS", RDB version 0010`, "aux field (0xFA): redis-ver = 7.0.15 [raw]", "aux field (0xFA): redis-bits = 64 [int8]",
			"aux field (0xFA): repl-id = ", "select database (0xFE): db 0", "resize db (0xFB): 4 keys, 0 with an expiry",
			`key "name": type 0 (string), value "redis" [raw]`, `key "counter": type 0 (string), value "42" [int8]`,
			`key "list": type 18 (quicklist-v2), value 3 elements in 1 node`, `value type 18 (0x12): quicklist-v2`,
			"end of file (0xFF)", "CRC64 checksum 0x"} {
			assert.Contains(t, rdb, want)
		}
		assert.NotContains(t, rdb, "not decoded")
		// The key's value, selected: its bytes are highlighted, no others.
		n := eval[int](t, ctx, `(() => {
			const b = [...document.querySelectorAll('#rdb-test .rdb-parts button')].find((e) => e.textContent.includes('value "redis"'));
			b.click();
			const [from, to] = b.textContent.split(':')[0].split('–').map(Number);
			return to - from + 1;
		})()`)
		assert.Equal(t, 6, n, `"redis" is a length byte and 5 bytes`)
		assert.Equal(t, n, eval[int](t, ctx, `document.querySelectorAll('#rdb-test .rdb-bytes span.hl').length`))
		assert.Equal(t, "05 72 65 64 69 73", eval[string](t, ctx, `[...document.querySelectorAll('#rdb-test .rdb-bytes span.hl')].map((e) => e.textContent).join(' ')`))
		shot(t, ctx, "rdb-view")
	})
}

// At phone width the landing fits the screen and its terminal answers.
func TestBrowserPhoneTerminal(t *testing.T) {
	ctx := staticPage(t, 390, 844, "/")
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 390, "no horizontal scrolling")
	shot(t, ctx, "phone-landing")
	eval[bool](t, ctx, `(document.querySelector("#term-6379").scrollIntoView(), true)`)
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), "help get"+kb.Enter)))
	poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('summary: Get the value of a key')`, 5*time.Second)
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("term-6379"), "info replication"+kb.Enter)))
	poll(t, ctx, `document.querySelector('#node-6379 .term-out').textContent.includes('master_replid:')`, 5*time.Second)
	assert.LessOrEqual(t, eval[int](t, ctx, `document.documentElement.scrollWidth`), 390, "INFO's long lines wrap")
	// Every control of the page is within the screen's width.
	wide := eval[[]string](t, ctx, `[...document.querySelectorAll('button, input, textarea, select, .term, .log')].filter((e) => e.offsetParent && e.getBoundingClientRect().right > 390.5).map((e) => e.id || e.className || e.tagName)`)
	assert.Empty(t, wide, "controls past the right edge")
	shot(t, ctx, "phone-terminal")
}
