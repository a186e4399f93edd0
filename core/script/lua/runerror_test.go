package lua

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLua51RuntimeErrors: runtime errors read as Lua 5.1 words them in
// Redis 7.0.15 (each expected string is redis-server's reply, up to its
// " script: <sha>" tail), named from the failing instruction.
func TestLua51RuntimeErrors(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"local t = {} t.x()", "user_script:1: attempt to call field 'x' (a nil value)"},
		{"local a; a()", "user_script:1: attempt to call local 'a' (a nil value)"},
		{"local x = 1; return x()", "user_script:1: attempt to call local 'x' (a number value)"},
		{"return string.foo()", "user_script:1: attempt to call field 'foo' (a nil value)"},
		{"return redis.foo()", "user_script:1: attempt to call field 'foo' (a nil value)"},
		{"local t = {}; t:m()", "user_script:1: attempt to call method 'm' (a nil value)"},
		{`return ("x")()`, "user_script:1: attempt to call a string value"},
		{"local u; local f = function() return u() end; return f()", "user_script:1: attempt to call upvalue 'u' (a nil value)"},
		{"return loadstring(string.dump(function() return 1 end))()", "user_script:1: attempt to call a nil value"},
		{"local a; return a.b", "user_script:1: attempt to index local 'a' (a nil value)"},
		{"local t = {}; return t.x.y", "user_script:1: attempt to index field 'x' (a nil value)"},
		{"local t = {} return t.a.b.c", "user_script:1: attempt to index field 'a' (a nil value)"},
		{"local a; a.x = 1", "user_script:1: attempt to index local 'a' (a nil value)"},
		{"local t = setmetatable({}, {__index = 5}) return t.x", "user_script:1: attempt to index a number value"},
		{"local a; return a + 1", "user_script:1: attempt to perform arithmetic on local 'a' (a nil value)"},
		{"return 1 + nil", "user_script:1: attempt to perform arithmetic on a nil value"},
		{"return true + 1", "user_script:1: attempt to perform arithmetic on a boolean value"},
		{"local a = {} ; return 2 * a", "user_script:1: attempt to perform arithmetic on local 'a' (a table value)"},
		{`local s = "x"; return s - 1`, "user_script:1: attempt to perform arithmetic on local 's' (a string value)"},
		{"local a; return -a", "user_script:1: attempt to perform arithmetic on local 'a' (a nil value)"},
		{"local a; return #a", "user_script:1: attempt to get length of local 'a' (a nil value)"},
		{`local a; return "x" .. a`, "user_script:1: attempt to concatenate local 'a' (a nil value)"},
		{`local a; return a .. "x"`, "user_script:1: attempt to concatenate local 'a' (a nil value)"},
		{`local a; return "x" .. a .. "y"`, "user_script:1: attempt to concatenate local 'a' (a nil value)"},
		{"return {} < {}", "user_script:1: attempt to compare two table values"},
		{"return 1 < nil", "user_script:1: attempt to compare number with nil"},
		{"return nil > 1", "user_script:1: attempt to compare number with nil"},
		{"for k, v in 5 do end", "user_script:1: attempt to call a number value"},
		{"return math.floor('x')", "user_script:1: bad argument #1 to 'floor' (number expected, got string)"},
		{"error(5)", "user_script:1: 5"},
		{"error('x', 2)", "x"},
		{"local function f() error('x', 2) end\nf()", "user_script:2: x"},
		{"local function f() error('x', 2) end return f()", "x"},
		{"error()", "nil"},
		{"for i = nil, 2 do end", "user_script:1: 'for' initial value must be a number"},
		{"for i = 1, nil do end", "user_script:1: 'for' limit must be a number"},
		{"for i = 1, 2, {} do end", "user_script:1: 'for' step must be a number"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			got := evalBody(t, New(), tc.body)
			msg, _, _ := strings.Cut(got, " script: ")
			assert.Equal(t, "-ERR "+tc.want, msg, got)
		})
	}
}

// TestLua51ErrorsCaught: pcall and xpcall see the same words (redis-server
// returns these).
func TestLua51ErrorsCaught(t *testing.T) {
	e := New()
	want := "user_script:1: attempt to call field 'x' (a nil value)"
	assert.Equal(t, "$54\r\n"+want+"\r\n",
		evalBody(t, e, "local ok, e = pcall(function() local t = {} t.x() end) return e"))
	assert.Equal(t, "*2\r\n$-1\r\n$54\r\n"+want+"\r\n",
		evalBody(t, e, "return {false, select(2, xpcall(function() local t = {} t.x() end, function(e) return e end))}"))
	assert.Equal(t, "$27\r\nattempt to call a nil value\r\n", evalBody(t, e, "local ok, e = pcall(nil) return e"))
}

// TestQuoteArgFunc: luaL_argerror's quoting of the function's name.
func TestQuoteArgFunc(t *testing.T) {
	for in, want := range map[string]string{
		"user_script:1: bad argument #1 to floor (number expected, got string)": "user_script:1: bad argument #1 to 'floor' (number expected, got string)",
		"user_script:1: bad argument #2 to 'rep' (number expected)":             "user_script:1: bad argument #2 to 'rep' (number expected)",
		"user_script:1: bad argument #1 to (anonymous) (value expected)":        "user_script:1: bad argument #1 to '?' (value expected)",
		"user_script:1: attempt to call a nil value":                            "user_script:1: attempt to call a nil value",
	} {
		assert.Equal(t, want, quoteArgFunc(in))
	}
}
