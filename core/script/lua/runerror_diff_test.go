package lua

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/syncscope/syncscope/native/redistest"
)

// TestLua51ErrorsDiff runs each operation on each kind of value held each
// way Lua 5.1 names (local, field, field by a variable key, nested field,
// method, upvalue, temporary) on redis-server and here: the replies, the
// error words and the script's sha and line, must be the same bytes.
func TestLua51ErrorsDiff(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	c := srv.DialRaw(t)
	e := New()
	holders := []struct{ setup, expr string }{
		{"local a = V;", "a"},
		{"local t = {x = V};", "t.x"},
		{"local t = {V}; local k = 1;", "t[k]"},
		{"local t = {u = {x = V}};", "t.u.x"},
		{"local a = V; local function f() return OP end;", "a"}, // the operation in a closure
		{"", "(function() return V end)()"},
	}
	values := []string{"nil", "1", "'s'", "{}", "true"}
	ops := []string{"X()", "X.y", "X.y = 1", "X + 1", "1 + X", "-X", "#X", "'a' .. X", "X .. 'a'", "X < 1", "X < X", "X:m()"}
	n := 0
	for _, h := range holders {
		for _, v := range values {
			for _, op := range ops {
				use := strings.ReplaceAll(op, "X", h.expr)
				body := strings.ReplaceAll(h.setup, "V", v)
				if strings.Contains(body, "OP") {
					body = strings.ReplaceAll(body, "OP", use) + " return f()"
				} else {
					body = strings.ReplaceAll(body+" return "+use, "V", v)
				}
				if strings.HasSuffix(op, "= 1") {
					body = strings.Replace(body, "return ", "", 1)
				}
				want := c.Do("EVAL", body, "0")
				assert.Equal(t, want, evalBody(t, e, body), body)
				n++
			}
		}
	}
	t.Logf("%d scripts compared", n)
}
