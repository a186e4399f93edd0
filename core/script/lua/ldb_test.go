package lua

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	glua "github.com/yuin/gopher-lua"

	"github.com/syncscope/syncscope/core/resp"
)

func TestHumanReply(t *testing.T) {
	for _, tc := range []struct{ reply, want string }{
		{":42\r\n", "42"},
		{"$3\r\na\nb\r\n", `"a\nb"`},
		{"$-1\r\n", "NULL"},
		{"+OK\r\n", `"+OK"`},
		{"-ERR no\r\n", `"-ERR no"`},
		{"*2\r\n:1\r\n*1\r\n$1\r\nx\r\n", `[1,["x"]]`},
		{"*-1\r\n", "NULL"},
		{"~1\r\n:1\r\n", "~(1)"},
		{"%1\r\n$1\r\nk\r\n:2\r\n", `{"k" => 2}`},
		{"_\r\n", "(null)"},
		{"#t\r\n", "#true"},
		{",1.5\r\n", "(double) 1.5"},
	} {
		var b []byte
		humanReply(&b, []byte(tc.reply))
		assert.Equal(t, tc.want, string(b), "%q", tc.reply)
	}
}

func TestCatValue(t *testing.T) {
	L := glua.NewState()
	defer L.Close()
	arr := L.NewTable()
	arr.Append(glua.LNumber(1))
	arr.Append(glua.LString("x"))
	hash := L.NewTable()
	hash.RawSetString("k", glua.LTrue)
	nested := L.NewTable()
	nested.Append(nested) // recursion is cut
	for _, tc := range []struct {
		v    glua.LValue
		want string
	}{
		{glua.LString("a\"b"), `"a\"b"`},
		{glua.LNumber(3.14159265), "3.14159"},
		{glua.LNumber(1e20), "1e+20"},
		{glua.LNil, "nil"},
		{glua.LFalse, "false"},
		{arr, `{1; "x"}`},
		{hash, `{["k"]=true}`},
	} {
		assert.Equal(t, tc.want, catValue(tc.v, 0))
	}
	assert.Contains(t, catValue(nested, 0), "<max recursion level reached! Nested table?>")
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{"*2\r\n$1\r\nb\r\n$1\r\n3\r\n", []string{"b", "3"}, false},
		{"*2\r\n$1\r\nb\r\n", nil, false}, // more to read
		{"*1\r\n$4\r\nst", nil, false},
		{"step\r\n", nil, true}, // no '*': inline commands are not read
		{"*0\r\n", nil, true},
		{"*1\r\n:1\r\n", nil, true},
		{"*1\r\n$0\r\n\r\n", nil, true},
	} {
		d := &ldb{cbuf: []byte(tc.in)}
		got, err := d.parseCommand()
		assert.Equal(t, tc.want, got, "%q", tc.in)
		assert.Equal(t, tc.err, err != nil, "%q", tc.in)
	}
}

// debugHost is echoHost with a debugging client: the commands it sends
// one read at a time, and what the debugger wrote.
type debugHost struct {
	echoHost
	in      []string
	written []string
}

func (h *debugHost) DebugRead() ([]byte, bool) {
	if len(h.in) == 0 {
		return nil, false
	}
	in := h.in[0]
	h.in = h.in[1:]
	return []byte(in), true
}

func (h *debugHost) DebugWrite(b []byte) {
	v, _, err := resp.ReadValue(b)
	if err != nil {
		panic(err)
	}
	for _, e := range v.Elems {
		h.written = append(h.written, string(e.Str))
	}
}

func (h *debugHost) TimedOut() bool { return false }

func ldbCmd(args ...string) string {
	b := make([][]byte, len(args))
	for i, a := range args {
		b[i] = []byte(a)
	}
	return string(resp.AppendCommand(nil, b...))
}

// A session: step, print, eval, a breakpoint set by redis.breakpoint(),
// then the client goes away and the script runs to its end.
func TestDebugScript(t *testing.T) {
	e := New()
	src := "local a = 1\nlocal t = {a, 'x'}\nredis.breakpoint()\nlocal b = a + 1\nreturn redis.call('get', 'k')\n"
	sha, err := e.LoadScript([]byte(src))
	require.NoError(t, err)
	h := &debugHost{in: []string{ldbCmd("s"), ldbCmd("p"), ldbCmd("e", "1", "+", "1"), ldbCmd("c"), ldbCmd("trace")}}
	var w resp.Writer
	e.DebugScript(sha, []byte(src), nil, nil, h, &w)
	assert.Equal(t, []string{
		"* Stopped at 1, stop reason = step over", "-> 1   local a = 1",
		"* Stopped at 2, stop reason = step over", "-> 2   local t = {a, 'x'}",
		"<value> a = 1",
		"<retval> 2",
		"* Stopped at 4, stop reason = redis.breakpoint() called", "-> 4   local b = a + 1",
		"In top level:", "-> 4   local b = a + 1",
		"<endsession>",
	}, h.written)
	assert.Equal(t, "$3\r\nget\r\n", string(w.Buf), "the script ran to its end")
	assert.Nil(t, e.eval.dbg, "the session is over")
}
