package lua

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// echoHost answers every command with its own name as a bulk string.
type echoHost struct{ calls [][]string }

func (h *echoHost) Call(argv [][]byte, proto int) ([]byte, string) {
	var call []string
	for _, a := range argv {
		call = append(call, string(a))
	}
	h.calls = append(h.calls, call)
	var w resp.Writer
	w.Bulk(argv[0])
	return w.Buf, ""
}
func (h *echoHost) SetRepl(int)                    {}
func (h *echoHost) ACLCheck([][]byte) (bool, bool) { return true, true }
func (h *echoHost) ErrorNotCounted()               {}
func (h *echoHost) Log(int, string)                {}
func (h *echoHost) Interrupted() (bool, string)    { return false, "" }

func evalBody(t *testing.T, e *Engine, body string, keys ...string) string {
	sha, err := e.LoadScript([]byte(body))
	require.NoError(t, err)
	var k [][]byte
	for _, s := range keys {
		k = append(k, []byte(s))
	}
	var w resp.Writer
	e.RunScript(sha, k, nil, &echoHost{}, &w)
	return string(w.Buf)
}

// TestNumberArguments: a number passed to redis.call is formatted as
// "%.17g", as Redis does (not as Lua's tostring).
func TestNumberArguments(t *testing.T) {
	e := New()
	h := &echoHost{}
	sha, err := e.LoadScript([]byte("redis.call('set', 'k', 1.5, 10, 0.1)"))
	require.NoError(t, err)
	var w resp.Writer
	e.RunScript(sha, nil, nil, h, &w)
	require.Equal(t, [][]string{{"set", "k", "1.5", "10", "0.10000000000000001"}}, h.calls)
	require.Equal(t, "$-1\r\n", string(w.Buf))
}

// TestRandomSequence: math.random draws Redis's redisLrand48 sequence,
// and randomseed restarts it.
func TestRandomSequence(t *testing.T) {
	e := New()
	a := evalBody(t, e, "math.randomseed(42); return {math.random(100), math.random(100), math.random(100)}")
	b := evalBody(t, e, "math.randomseed(42); return {math.random(100), math.random(100), math.random(100)} -- again")
	require.Equal(t, a, b)
}

func TestReplyConversion(t *testing.T) {
	e := New()
	require.Equal(t, ":3\r\n", evalBody(t, e, "return 3.99"))
	require.Equal(t, "*2\r\n:1\r\n$-1\r\n", evalBody(t, e, "return {true, false}"))
	require.Equal(t, "+OK\r\n", evalBody(t, e, "return {ok='OK'}"))
	require.Equal(t, "-ERR x\r\n", evalBody(t, e, "return {err='ERR x'}"))
	require.Equal(t, "$1\r\nk\r\n", evalBody(t, e, "return KEYS[1]", "k"))
}

// BenchmarkRunScript is the bench row's script (a counter with an expire)
// against a host that answers at once: the engine's own cost per EVALSHA.
func BenchmarkRunScript(b *testing.B) {
	e := New()
	sha, err := e.LoadScript([]byte("local n = redis.call('incr', KEYS[1]) redis.call('expire', KEYS[1], 60) return n"))
	require.NoError(b, err)
	h := &echoHost{}
	keys := [][]byte{[]byte("counter:1")}
	var w resp.Writer
	b.ReportAllocs()
	for b.Loop() {
		w.Reset()
		h.calls = h.calls[:0]
		e.RunScript(sha, keys, nil, h, &w)
	}
}

// Numerals as Lua 5.1's lexer reads them: the replies are redis-server
// 7.0.15's to SCRIPT LOAD of the same bodies.
func TestMalformedNumbers(t *testing.T) {
	for _, tc := range []struct{ body, err string }{
		{"1e", "user_script:1: malformed number near '1e'"},
		{"return 1e", "user_script:1: malformed number near '1e'"},
		{"x = 3e+ ", "user_script:1: malformed number near '3e+'"},
		{"return 0x", "user_script:1: malformed number near '0x'"},
		{"return 1..2", "user_script:1: malformed number near '1..2'"},
		{"return 3.4.5", "user_script:1: malformed number near '3.4.5'"},
		{"local a = 1\nreturn 2ee", "user_script:2: malformed number near '2ee'"},
		{"return 0xg", "user_script:1: malformed number near '0xg'"},
		{"1_0", "user_script:1: malformed number near '1_0'"},
		{"return .5e", "user_script:1: malformed number near '.5e'"},
		{"return 0x.8", "user_script:1: malformed number near '0x'"},
		{"return 1e5x", "user_script:1: malformed number near '1e5x'"},
		{"0x1p3", "user_script:1: unexpected symbol near '0x1p3'"},
		{"return 08", ""},
		{"return 3 .. 4", ""},
		{"return 0x10", ""},
		{"return 5e-1", ""},
		{"return 1.e2", ""},
		{"return 9e999", ""},
		{"-- 1e\nreturn 'a1e'", ""},
		{"return [[1e]]", ""},
	} {
		_, err := New().LoadScript([]byte(tc.body))
		if tc.err == "" {
			assert.NoError(t, err, "%q", tc.body)
			continue
		}
		if assert.Error(t, err, "%q", tc.body) {
			assert.Equal(t, "Error compiling script (new function): "+tc.err, err.Error(), "%q", tc.body)
		}
	}
}

// TestStringRepBounded: a string.rep past maxRepLen fails the script with
// Lua's memory error instead of taking the process down (1e10 is
// 1410065408 as a C int: 1.4 GB, which redis-server would try to build),
// and the engine goes on serving.
func TestStringRepBounded(t *testing.T) {
	e := New()
	for _, body := range []string{
		"return string.rep('x', 1e10)",
		"return string.rep('abcd', 2^31 - 1)",
		"return ('x'):rep(2^29 + 1)",
	} {
		assert.Contains(t, evalBody(t, e, body), "not enough memory", body)
	}
	assert.Equal(t, "$3\r\nxxx\r\n", evalBody(t, e, "return string.rep('x', 3)"))
	assert.Equal(t, ":1048576\r\n", evalBody(t, e, "return #string.rep('x', 2^20)"))
}
