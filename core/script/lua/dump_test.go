package lua

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStringDump: string.dump writes Lua 5.1's binary chunk; for these
// functions the bytes are redis-server 7.0.15's, hex-encoded.
func TestStringDump(t *testing.T) {
	e := New()
	const toHex = "local h = {} for i = 1, #s do h[i] = string.format('%02x', s:byte(i)) end return table.concat(h)"
	for body, want := range map[string]string{
		"function() return 1 end": "1b4c756151000104080408000d0000000000000040757365725f7363726970740001000000010000000000000203000000010000001e0000011e0080000100000003000000000000f03f00000000030000000100000001000000010000000000000000000000",
		"function(a, b) local c = a .. b; return c, {1, 2, x = 'y'}, 2.5, true end": "1b4c756151000104080408000d0000000000000040757365725f736372697074000100000001000000000200070d00000080000000c000800095c00001c00000010a410001410100008141000009c14081224100014101010082018000de0080021e0080000500000003000000000000f03f03000000000000004004020000000000000078000402000000000000007900030000000000000440000000000d000000010000000100000001000000010000000100000001000000010000000100000001000000010000000100000001000000010000000300000002000000000000006100000000000c00000002000000000000006200000000000c00000002000000000000006300030000000c00000000000000",
	} {
		got := evalBody(t, e, "local s = string.dump("+body+") "+toHex)
		b, err := hex.DecodeString(want)
		require.NoError(t, err)
		assert.Equal(t, "$"+strconv.Itoa(len(want))+"\r\n"+want+"\r\n", got, "%s: %q", body, b)
	}
	assert.Contains(t, evalBody(t, e, "return string.dump(string.len)"), "unable to dump given function")
}

// TestLoadstring: Redis's Lua reads every chunk as text, a binary one
// too, and names chunks as luaO_chunkid does (redis-server's replies).
func TestLoadstring(t *testing.T) {
	e := New()
	for body, want := range map[string]string{
		`local f, e = loadstring(string.dump(function() return 1 end)) return e`:                                                 "[string \"\x1bLuaQ\"]:1: unexpected symbol near 'char(27)'",
		`local f, e = loadstring("x x") return e`:                                                                                `[string "x x"]:1: '=' expected near 'x'`,
		`local f, e = loadstring("x(", "foo") return e`:                                                                          `[string "foo"]:1: unexpected symbol near '<eof>'`,
		`local f, e = loadstring("return a very long line of code that goes on and on and on and on + +") return e`:              `[string "return a very long line of code that goes on and on and on and ..."]:1: unexpected symbol near 'very'`,
		`local f = loadstring("local a; return a + 1 -- a very long line of code that goes on and on and on and on") return f()`: `-ERR [string "local a; return a + 1 -- a very long line o..."]:1: attempt to perform arithmetic on local 'a' (a nil value)`,
		`local f = loadstring("local a; return a + 1", "=name") return f()`:                                                      `-ERR name:1: attempt to perform arithmetic on local 'a' (a nil value)`,
		`return loadstring("return 1 + 1")()`:                                                                                    ":2",
	} {
		got := evalBody(t, e, body)
		if strings.HasPrefix(got, "$") {
			_, got, _ = strings.Cut(got, "\r\n")
		}
		got, _, _ = strings.Cut(got, " script: ")
		assert.Equal(t, want, strings.TrimSuffix(got, "\r\n"), body)
	}
}

// TestChunkID: luaO_chunkid's forms and cuts.
func TestChunkID(t *testing.T) {
	long := "@a/very/long/path/name/that/goes/on/and/on/and/on/and/on/file.lua"
	assert.Equal(t, "name", chunkID("=name", 60))
	assert.Equal(t, long[1:], chunkID(long, 80))
	assert.Equal(t, "..."+long[len(long)-52:], chunkID(long, 60))
	assert.Equal(t, `[string "x"]`, chunkID("x\x00y", 60))
	assert.Equal(t, `[string "return 1..."]`, chunkID("return 1\nx", 60))
}
