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
