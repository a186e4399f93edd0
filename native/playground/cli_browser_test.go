//go:build !js

package playground

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A learner at 6379's terminal, typing as people do at redis-cli: INFO
// prints raw, help is answered by redis-cli itself, Tab completes command
// names, clear and quit do what they do in redis-cli.
func TestBrowserRedisCLI(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx := browser(t, 1280, 900)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?step=write&seed=7")))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && !document.querySelector('#do-step').disabled`, 30*time.Second)
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
}
