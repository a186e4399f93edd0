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

// By keyboard: Space pauses and plays (but types a space in a terminal),
// and Cut and Heal leave the focus on the link they were done on, through
// the redraws that follow.
func TestBrowserKeyboard(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx := browser(t, 1280, 900)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?step=write&seed=7")))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && !document.querySelector('#do-step').disabled`, 30*time.Second)

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

	focusedPair := `(document.activeElement && document.activeElement.dataset && document.activeElement.dataset.pair) || document.activeElement.tagName`
	eval[bool](t, ctx, `(document.querySelector('#links .link').focus(), true)`)
	pair := eval[string](t, ctx, focusedPair)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	poll(t, ctx, `!document.querySelector('#link-menu').hidden && document.activeElement.textContent === 'Cut'`, 5*time.Second)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	poll(t, ctx, `document.querySelector('#links .link.cut')`, 5*time.Second)
	assert.True(t, eval[bool](t, ctx, `document.querySelector('#link-menu').hidden`), "the menu closed: the Enter that cut did not open it again")
	// The link is drawn again as the replica notices (refreshes every 200 ms).
	time.Sleep(1500 * time.Millisecond)
	assert.Equal(t, pair, eval[string](t, ctx, focusedPair), "the focus stays on the link after Cut")
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	poll(t, ctx, `document.activeElement.textContent === 'Heal'`, 5*time.Second)
	require.NoError(t, chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)))
	poll(t, ctx, `!document.querySelector('#links .link.cut')`, 5*time.Second)
	time.Sleep(1500 * time.Millisecond)
	assert.Equal(t, pair, eval[string](t, ctx, focusedPair), "the focus stays on the link after Heal")
	assert.Equal(t, "null", eval[string](t, ctx, `JSON.stringify(syncscope.cuts())`))
}

// At phone width the landing fits the screen and its terminal answers.
func TestBrowserPhoneTerminal(t *testing.T) {
	dir := builtSite(t)
	ts := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer ts.Close()
	ctx := browser(t, 390, 844)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")))
	poll(t, ctx, `window.syncscope && window.syncscope.app && window.syncscope.app.started && document.querySelector('#term-6379')`, 30*time.Second)
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
