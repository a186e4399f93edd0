//go:build !js

package playground

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A learner scripts the master in the page, by hand, as in redis-cli: EVAL
// answers OK, and the replicas get the key by the script's effects (SET,
// never the EVAL); a library loaded with FUNCTION LOAD reaches both
// replicas down the chain, where FCALL_RO runs it.
func TestBrowserScripting(t *testing.T) {
	ctx := staticPage(t, 1280, 900, "/?step=write&seed=7")
	// What crosses the links from now on.
	eval[bool](t, ctx, `(window.sent = [], syncscope.onMessage((m) => sent.push(m.from + '>' + m.to + ' ' + m.parts.join(' | '))), true)`)
	termHas := func(port int, s string) string {
		return fmt.Sprintf(`document.querySelector('#node-%d .term-out').textContent.includes(%q)`, port, s)
	}

	eval1 := `EVAL "return redis.call('SET',KEYS[1],ARGV[1])" 1 k v`
	typeLine(t, ctx, 6379, eval1)
	poll(t, ctx, termHas(6379, "127.0.0.1:6379> "+eval1+"OK"), 5*time.Second)
	typeLine(t, ctx, 6378, "get k")
	poll(t, ctx, termHas(6378, `127.0.0.1:6378> get k"v"`), 5*time.Second)
	typeLine(t, ctx, 6377, "get k")
	poll(t, ctx, termHas(6377, `127.0.0.1:6377> get k"v"`), 5*time.Second)
	sent := strings.Join(eval[[]string](t, ctx, `sent`), "\n")
	assert.Regexp(t, `(?m)^6379>6378 (SELECT 0 \| )?SET k v$`, sent, "the script's effect on the link")
	assert.Regexp(t, `(?m)^6378>6377 (SELECT 0 \| )?SET k v$`, sent, "and on down the chain")
	assert.NotContains(t, strings.ToUpper(sent), "EVAL", "effects replication: the script itself is not sent")
	shot(t, ctx, "script-eval")

	load := `FUNCTION LOAD "#!lua name=greet\nredis.register_function{function_name='hi', callback=function(keys, args) return 'hi ' .. args[1] end, flags={'no-writes'}}"`
	typeLine(t, ctx, 6379, load)
	poll(t, ctx, termHas(6379, "127.0.0.1:6379> "+load+`"greet"`), 5*time.Second)
	for _, port := range []int{6378, 6377} {
		typeLine(t, ctx, port, "FCALL_RO hi 0 you")
		poll(t, ctx, termHas(port, fmt.Sprintf(`127.0.0.1:%d> FCALL_RO hi 0 you"hi you"`, port)), 5*time.Second)
	}
	sent = strings.Join(eval[[]string](t, ctx, `sent`), "\n")
	assert.Contains(t, sent, "6379>6378 FUNCTION LOAD")
	assert.Contains(t, sent, "6378>6377 FUNCTION LOAD")
	// A replica refuses a script that may write, as Redis does.
	typeLine(t, ctx, 6378, eval1)
	poll(t, ctx, termHas(6378, "127.0.0.1:6378> "+eval1+"(error) READONLY"), 5*time.Second)
	out := text(t, ctx, "#node-6378 .term-out")
	require.NotContains(t, out, "scripting is not available")
	shot(t, ctx, "script-function")
}
