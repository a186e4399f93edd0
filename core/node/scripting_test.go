package node_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// scriptSteps are the EVAL, SCRIPT, FUNCTION and FCALL commands the
// differential test sends: replies of every type both ways, errors raised
// and caught, the read-only and flag checks, and writes whose effects are
// replicated.
var scriptSteps = [][]string{
	{"EVAL", "return 'hello'", "0"},
	{"EVAL", "return {1, 2, 3, 'x', {a = 1}, true, false, nil, 4}", "0"},
	{"EVAL", "return 3.99", "0"},
	{"EVAL", "return -3.99", "0"},
	{"EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"},
	{"EVAL", "return redis.call('get', KEYS[1])", "1", "k"},
	{"EVAL", "return redis.call('get', 'missing')", "0"},
	{"EVAL", "return {redis.call('incr', 'n'), redis.call('incrby', 'n', 10)}", "0"},
	{"EVAL", "return redis.call('incr', 'k')", "0"},
	{"EVAL", "return redis.pcall('incr', 'k')", "0"},
	{"EVAL", "local ok, e = pcall(redis.call, 'incr', 'k'); return e", "0"},
	{"EVAL", "return redis.call('nosuchcommand')", "0"},
	{"EVAL", "return redis.pcall('get', 'a', 'b')", "0"},
	{"EVAL", "return redis.call('eval', 'return 1', 0)", "0"},
	{"EVAL", "return redis.call()", "0"},
	{"EVAL", "return redis.call('get', {})", "0"},
	{"EVAL", "return redis.error_reply('MY custom error')", "0"},
	{"EVAL", "return redis.error_reply('-X custom')", "0"},
	{"EVAL", "return redis.status_reply('FINE')", "0"},
	{"EVAL", "return {err = 'ERR direct'}", "0"},
	{"EVAL", "return redis.sha1hex('')", "0"},
	{"EVAL", "math.randomseed(42); return {math.random(1000000), math.random(5, 10), tostring(math.random())}", "0"},
	{"EVAL", "return redis.call('hset', 'h', 'f', 'v', 'g', 'w')", "0"},
	{"EVAL", "return redis.call('hset', 'h1', 'f', 'v')", "0"},
	{"EVAL", "return redis.call('hgetall', 'h')", "0"},
	{"EVAL", "redis.setresp(3); return redis.call('hgetall', 'h1')", "0"},
	{"EVAL", "redis.setresp(3); return redis.call('get', 'missing')", "0"},
	{"EVAL", "redis.setresp(3); local t = redis.call('hgetall', 'h'); return t.map.f", "0"},
	{"EVAL", "return redis.call('type', 'h')", "0"},
	{"EVAL", "return redis.call('type', 'h').ok", "0"},
	{"EVAL", "return cjson.encode({1, 2, {a = 'x/y'}, true, '\\001\\n\"'})", "0"},
	{"EVAL", "return {cjson.encode({}), cjson.encode(0.1), cjson.encode({[1] = 1, [2] = 2, [100] = 3})}", "0"},
	{"EVAL", "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"},
	{"EVAL", "local t = cjson.decode('{\"a\":[1,2,null],\"b\":\"\\\\u00e9\"}') return {t.b, #t.a, tostring(t.a[3] == cjson.null)}", "0"},
	{"EVAL", "return {pcall(function() return cjson.encode({[false] = 1}) end)}", "0"},
	{"EVAL", "local h = '' local e = cmsgpack.pack({1, 2, 'x', {a = 1}}, 0.1, -5, 300, true, -1099511627776) for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", "0"},
	{"EVAL", "return {cmsgpack.unpack(cmsgpack.pack({1, 2, 'x'}, 'y', 70000))}", "0"},
	{"EVAL", "local a = {x = nil, y = 5} local b = {x = a} a['x'] = b local e = cmsgpack.pack(a) local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", "0"},
	{"EVAL", "return {bit.tobit(4294967297), bit.band(0xff, 0x0f), bit.tohex(255), bit.tohex(-1, -4), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bswap(0x12345678), bit.rol(0x80000001, 1)}", "0"},
	{"EVAL", "return {struct.pack('>I2', 258), struct.size('!4bi'), struct.unpack('<i2s', struct.pack('<i2s', -3, 'abc'))}", "0"},
	{"EVAL", "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 's', '$')", "1", "s"},
	{"EVAL", "return redis.pcall('blpop', 'nolist', 0)", "0"},
	{"EVAL", "x = 1", "0"},
	{"EVAL", "return y", "0"},
	{"EVAL", "redis.call = nil", "0"},
	{"EVAL", "return 1", "2", "a"},
	{"EVAL", "return 1", "-1"},
	{"EVAL", "return 1", "x"},
	{"EVAL", "#!lua flags=no-writes\nreturn redis.call('set', 'k', 'v')", "0"},
	{"EVAL", "#!lua flags=no-writes\nreturn redis.call('get', 'k')", "0"},
	{"EVAL", "#!lua flags=bogus\nreturn 1", "0"},
	{"EVAL", "#!other\nreturn 1", "0"},
	{"EVAL_RO", "return redis.call('set', 'k', 'v')", "0"},
	{"EVAL_RO", "return redis.call('get', 'k')", "0"},
	{"EVAL_RO", "#!lua\nreturn 1", "0"},
	{"EVAL", "redis.call('select', 9); redis.call('set', 'in9', 1); return redis.call('dbsize')", "0"},
	{"EVAL", "redis.call('set', 'a', 1); redis.call('PEXPIREAT', 'a', 1900000000000); return redis.call('del', 'a')", "0"},
	{"SCRIPT", "LOAD", "return redis.call('incr', KEYS[1])"},
	{"EVALSHA", "e6e0b547500efcec21eddb619ac3724081afee76", "1", "counter"},
	{"EVALSHA", "E6E0B547500EFCEC21EDDB619AC3724081AFEE76", "1", "counter"},
	{"EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0"},
	{"EVALSHA", "short", "0"},
	// SORT BY a constant sorts a set from a script (its order is Redis's
	// dict's otherwise); a GEOADD's effect is the ZADD it becomes.
	{"SADD", "sortset", "kiwi", "apple", "fig", "banana", "date", "cherry"},
	{"EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "sortset"},
	{"ZADD", "sortz", "1", "b", "2", "a", "3", "c"},
	{"EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort', 'desc')", "1", "sortz"},
	{"EVAL", "redis.call('geoadd', KEYS[1], '13.361389', '38.115556', 'Palermo'); return redis.call('geopos', KEYS[1], 'Palermo')", "1", "sg"},
	{"SCRIPT", "EXISTS", "e6e0b547500efcec21eddb619ac3724081afee76", "ffffffffffffffffffffffffffffffffffffffff"},
	{"SCRIPT", "LOAD", "return ("},
	{"SCRIPT", "LOAD", "a b"},
	{"EVAL", "m1", "0"},
	{"SCRIPT", "FLUSH"},
	{"SCRIPT", "EXISTS", "e6e0b547500efcec21eddb619ac3724081afee76"},
	{"SCRIPT", "FLUSH", "bogus"},
	{"SCRIPT", "KILL"},
	{"SCRIPT", "BOGUS"},
	{"FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return redis.call('set', keys[1], args[1]) end)"},
	{"FUNCTION", "LOAD", "#!lua name=libro\nredis.register_function{function_name='f2', callback=function(keys, args) return #keys + #args end, flags={'no-writes', 'allow-stale'}, description='counts'}"},
	{"FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function() return 1 end)"},
	{"FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function('f1', function() return 1 end)"},
	{"FUNCTION", "LOAD", "#!lua name=lib3\nreturn 1"},
	{"FUNCTION", "LOAD", "#!lua name=libmiss\nreturn redis.nosuch"}, // the API's missing-name error
	{"EVAL", "return nosuch", "0"},
	{"FUNCTION", "LOAD", "#!lua\nreturn 1"},
	{"FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"},
	{"FUNCTION", "LOAD", "#!js name=x\nreturn 1"},
	{"FUNCTION", "LOAD", "no shebang"},
	{"FUNCTION", "LOAD", "BOGUS", "#!lua name=x\n"},
	{"FUNCTION", "LOAD", "REPLACE", "\x00", "a b"}, // the boundary fuzzer's find: an option printed up to its NUL
	{"FUNCTION", "LIST", "LIBRARYNAME", "", "WITHCODE", "\x00"},
	// Syntax errors at the end of the script inside an open bracket: Lua
	// 5.1 names the bracket it expected (the boundary fuzzer's "(a").
	{"SCRIPT", "LOAD", "(a"}, {"SCRIPT", "LOAD", "(1"}, {"EVAL", "return f(a,\nb", "0"},
	{"EVAL", "return t[a", "0"}, {"EVAL", "return {a", "0"}, {"EVAL", "return {\n[1]=2", "0"},
	{"EVAL", "return (", "0"}, {"EVAL", "return (a +", "0"}, {"EVAL", "return ('s'", "0"},
	{"EVAL", "--[[ (\n]] return (a -- )", "0"}, {"EVAL", "return (function() end", "0"},
	{"EVAL", "return ([[x\n)]]", "0"}, {"EVAL", "return (nil", "0"}, {"EVAL", "return (a and", "0"},
	{"FCALL", "f1", "1", "fk", "fv"},
	{"FCALL", "f2", "2", "a", "b", "c"},
	{"FCALL_RO", "f2", "0"},
	{"FCALL_RO", "f1", "1", "fk", "fv"},
	{"FCALL", "nofunc", "0"},
	{"FCALL", "f1", "x"},
	{"FUNCTION", "LIST", "LIBRARYNAME", "libro"},
	{"FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "lib1"},
	{"FUNCTION", "LIST", "LIBRARYNAME", "nomatch*"},
	{"FUNCTION", "STATS"},
	{"FUNCTION", "DELETE", "nolib"},
	{"FUNCTION", "DELETE", "lib1"},
	{"FUNCTION", "FLUSH"},
	{"FUNCTION", "KILL"},
}

// TestScriptingDiffRedis sends scriptSteps to redis-server and to the node
// and requires the same reply bytes for each, and the same replicated
// stream: a script's writes are propagated as their effects, wrapped in
// MULTI/EXEC when there are several, and FUNCTION LOAD verbatim.
func TestScriptingDiffRedis(t *testing.T) {
	srv := startRedis(t)
	real, repl := srv.DialRaw(t), srv.DialRaw(t)
	repl.Send("SYNC")
	repl.SkipRDB()
	var want []string
	for _, s := range scriptSteps {
		real.Send(s...)
		want = append(want, real.Reply())
	}
	realStream := streamLines(t, []byte(repl.Pending(300*time.Millisecond)))

	w, stream := startStreamed(t, "")
	c := w.conn(6379)
	for i, s := range scriptSteps {
		require.Equal(t, want[i], c.do(s...), "step %d: %q", i, s)
	}
	require.Equal(t, realStream, stream())
	// gopher-lua's parser words syntax errors its own way: only the
	// prefix is Redis's.
	require.Regexp(t, `^-ERR Error compiling script \(new function\): user_script.*\r\n$`, c.do("SCRIPT", "LOAD", "return ("))
}

// TestFunctionsReplicated: a replica gets the master's libraries with its
// full sync (they travel in the RDB) and later ones by the stream
// (FUNCTION LOAD verbatim); DEBUG RELOAD keeps them (the RDB again).
func TestFunctionsReplicated(t *testing.T) {
	w := startWorld(t, 6379, "enable-debug-command yes")
	require.Equal(t, `"lib1"`, w.do(6379, "FUNCTION", "LOAD", "#!lua name=lib1\nredis.register_function('f1', function(keys) return redis.call('incr', keys[1]) end)"))
	w.start(6378, "slaveof 127.0.0.1 6379")
	w.Advance(3 * time.Second)
	require.Equal(t, `"lib2"`, w.do(6379, "FUNCTION", "LOAD", "#!lua name=lib2\nredis.register_function{function_name='f2', callback=function() return 'two' end, flags={'no-writes'}}"))
	require.Equal(t, "(integer) 1", w.do(6379, "FCALL", "f1", "1", "n"))
	w.Advance(time.Second)
	require.Equal(t, `"1"`, w.do(6378, "GET", "n"))
	require.Equal(t, `"two"`, w.do(6378, "FCALL_RO", "f2", "0"))
	require.Contains(t, w.do(6378, "FCALL", "f1", "1", "n"), "READONLY")
	require.Equal(t, "OK", w.do(6379, "DEBUG", "RELOAD"))
	require.Equal(t, "(integer) 2", w.do(6379, "FCALL", "f1", "1", "n"))
}
