package lua

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	for _, body := range []string{
		"return f(g())", "local t = {}; t[1].x = 2", "local t = {}; return t[1]()", "return #redis.foo",
		"local a, b = 1; return a + b", "local a = '10'; return a + {}", "return ('a'):foo()",
		"local a; local b; return a .. b", "return 1 .. {}", "local t = {}; return t.x .. 'a'",
		"return 'x' < 1", "return true < false", "local t = setmetatable({}, {__call = 5}); return t()",
		"local function f() return nil end; return f()()", "for k, v in 5 do end", "return math.floor('x')",
		"local t = {}; for i = 1, 2 do t = t.x end", "local t = {}; t.f = 5; t:f()", "return KEYS.x.y",
		"for i = 1, 'x' do end", "local ok, e = pcall(nil) return e",
		"error()", "error(5.5)", "error('x', 2)", "local function f() error('x', 2) end f()",
		"local function f() error('x', 2) end return f()", "error('x', -1)", "error(true)",
		"local ok, e = pcall(error) return {ok and 1 or 0, type(e)}", "local ok, e = pcall(error, 'm', 2) return e",
		"local function f() error('x', 3) end\nlocal function g()\n  f()\nend\ng()",
		"local f, e = loadstring(string.dump(function() return 1 end)) return e",
		"local f = loadstring('local a; return a + 1', '@some/file.lua') return f()",
		"return {xpcall(function() error('x') end, 5)}", "return {xpcall(nil, function(e) return 'h:' .. e end)}",
		"return {xpcall(function() return 1, 2 end, 5)}", "return xpcall()", "return xpcall(function() end)",
		"return {xpcall(function() local t = {} t.x() end, function(e) return e end)}",
		"local ok, e = pcall() return {ok and 1 or 0, e}", "return {pcall(function() return 1, 2 end)}",
		"return math.max(3, 9, 1)", "return math.min(3, 9, 1)", "return math.max('5', 2)", "return math.max()",
		"return math.max(1, 0/0)", "return assert(1, 2, 3)", "return assert(false, 5)", "return assert()",
		"return assert(nil, 'msg')", "return tostring()", "return table.sort({{}, {}})", "return table.sort({3, 'a', 1})",
		"local ok, e = pcall(table.sort, {3, 'a'}) return e", "local ok, e = pcall(string.rep) return e",
		"local ok, e = pcall(string.rep, nil) return e", "return string.sub()", "return string.rep('x', nil)",
		"return table.concat({1, {}, 3})",
	} {
		assert.Equal(t, c.Do("EVAL", body, "0"), evalBody(t, e, body), body)
		n++
	}
	t.Logf("%d scripts compared", n)
}

// TestLibDiff: the library functions Lua 5.1 and gopher-lua differ on,
// side by side with redis-server (testdata/*.txt: one script a line).
func TestLibDiff(t *testing.T) {
	srv := redistest.Start(t, redistest.Options{})
	c := srv.DialRaw(t)
	e := New()
	for _, file := range []string{"testdata/format.txt", "testdata/tablib.txt", "testdata/cjson.txt", "testdata/coroutine.txt"} {
		lines, err := os.ReadFile(file)
		require.NoError(t, err)
		for _, body := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
			assert.Equal(t, c.Do("EVAL", body, "0"), evalBody(t, e, body), "%s: %s", file, body)
		}
	}
}
