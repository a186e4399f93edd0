//go:build !js

package command

import (
	"testing"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/store"
)

func TestKeyDiff(t *testing.T) {
	hello := string(store.DumpValue(store.NewString([]byte("hello")), rdb.DefaultOptions()))
	badCRC := hello[:len(hello)-1] + "x"
	runDiff(t, []diffCase{
		// DEL UNLINK EXISTS TOUCH TYPE
		dca("MSET", "a", "1", "b", "2", "c", "3"), dca("SADD", "set", "x"), dca("ZADD", "zs", "1", "m"),
		dca("EXISTS", "a", "a", "nokey", "b"), dca("TOUCH", "a", "nokey", "set"), dca("DEL", "a", "a", "nokey"),
		dca("UNLINK", "b", "c", "b"), dca("EXISTS", "a", "b", "c"), dca("DEL"), dca("EXISTS"),
		dca("TYPE", "set"), dca("TYPE", "zs"), dca("TYPE", "nokey"), dca("SET", "s", "v"), dca("TYPE", "s"),
		// KEYS
		{Args: []string{"KEYS", "*"}, Unordered: true}, {Args: []string{"KEYS", "s*"}, Unordered: true},
		{Args: []string{"KEYS", "?s"}, Unordered: true}, {Args: []string{"KEYS", "[sz]*"}, Unordered: true},
		{Args: []string{"KEYS", "nomatch"}, Unordered: true}, dca("KEYS"),
		// RENAME RENAMENX
		dca("RENAME", "s", "s2"), dca("GET", "s2"), dca("EXISTS", "s"), dca("RENAME", "nokey", "x"),
		dca("RENAME", "nokey", "nokey"), dca("RENAME", "s2", "s2"), dca("RENAMENX", "s2", "s2"),
		dca("RENAMENX", "s2", "set"), dca("RENAMENX", "s2", "s3"), dca("RENAMENX", "nokey", "x"),
		dca("SET", "t", "v", "EX", "100"), dca("RENAME", "t", "t2"), dca("TTL", "t2"), dca("RENAME", "s3", "t2"),
		dca("TTL", "t2"), dca("GET", "t2"), dca("RENAME", "set", "t2"), dca("TYPE", "t2"),
		// EXPIRE family
		dca("SET", "e", "v"), dca("EXPIRE", "e", "100"), dca("TTL", "e"), dca("PTTL", "nokey"), dca("TTL", "nokey"),
		dca("PERSIST", "e"), dca("PERSIST", "e"), dca("PERSIST", "nokey"), dca("TTL", "e"),
		dca("EXPIRE", "e", "100", "NX"), dca("EXPIRE", "e", "200", "NX"), dca("EXPIRE", "e", "50", "GT"),
		dca("EXPIRE", "e", "200", "GT"), dca("TTL", "e"), dca("EXPIRE", "e", "300", "LT"), dca("EXPIRE", "e", "100", "LT"),
		dca("TTL", "e"), dca("EXPIRE", "e", "100", "XX"), dca("PERSIST", "e"), dca("EXPIRE", "e", "100", "XX"),
		dca("EXPIRE", "e", "100", "GT"), dca("EXPIRE", "e", "100", "LT"), dca("TTL", "e"), dca("PERSIST", "e"),
		dca("EXPIRE", "e", "100", "NX", "XX"), dca("EXPIRE", "e", "100", "NX", "GT"), dca("EXPIRE", "e", "100", "GT", "LT"),
		dca("EXPIRE", "e", "100", "XX", "GT"), dca("EXPIRE", "e", "100", "FOO"), dca("EXPIRE", "e", "abc", "FOO"),
		dca("EXPIRE", "e", "abc"), dca("EXPIRE", "e", "1.5"), dca("EXPIRE", "nokey", "100"),
		dca("EXPIRE", "e", "9223372036854775807"), dca("EXPIRE", "e", "-9223372036854775808"),
		dca("PEXPIRE", "e", "9223372036854775807"), dca("EXPIREAT", "e", "9223372036854775807"),
		dca("PEXPIREAT", "e", "9223372036854775807"), dca("TTL", "e"), dca("PERSIST", "e"),
		dca("PEXPIRE", "e", "100000"), dca("TTL", "e"), dca("EXPIREAT", "e", "4102444800"), dca("EXPIRETIME", "e"),
		dca("PEXPIRETIME", "e"), dca("PEXPIREAT", "e", "4102444800123"), dca("EXPIRETIME", "e"), dca("PEXPIRETIME", "e"),
		dca("EXPIRETIME", "nokey"), dca("PERSIST", "e"), dca("EXPIRETIME", "e"), dca("PEXPIRETIME", "e"),
		dca("EXPIRE", "e", "-1"), dca("EXISTS", "e"), dca("SET", "e", "v"), dca("EXPIREAT", "e", "1"), dca("GET", "e"),
		dca("SET", "e", "v"), dca("PEXPIRE", "e", "0"), dca("EXISTS", "e"), dca("SET", "e", "v"),
		dca("EXPIRE", "e", "-1", "GT"), dca("EXPIRE", "e", "-1", "LT"), dca("EXISTS", "e"), dca("EXPIRE"), dca("TTL"),
		// RANDOMKEY
		dca("FLUSHALL"), dca("RANDOMKEY"), dca("SET", "only", "1"), dca("RANDOMKEY"), dca("RANDOMKEY", "x"),
		// MOVE
		dca("MOVE", "only", "1"), dca("EXISTS", "only"), dca("MOVE", "nokey", "0"),
		dca("MOVE", "only", "0"), dca("MOVE", "only", "0"), dca("MOVE", "only", "16"), dca("MOVE", "only", "-1"),
		dca("MOVE", "only", "abc"), dca("MOVE", "only", "99999999999"), dca("SET", "only", "again"),
		dca("MOVE", "only", "1"), dca("SET", "m", "v", "EX", "100"), dca("MOVE", "m", "2"), dca("EXISTS", "m"),
		// COPY
		dca("SET", "src", "v", "EX", "100"), dca("COPY", "src", "dst"), dca("TTL", "dst"), dca("GET", "dst"),
		dca("COPY", "src", "dst"), dca("COPY", "src", "dst", "REPLACE"), dca("COPY", "src", "src"),
		dca("COPY", "src", "src", "DB", "0"), dca("COPY", "src", "src", "DB", "1"), dca("COPY", "src", "x", "DB", "16"),
		dca("COPY", "src", "x", "DB", "abc"), dca("COPY", "src", "x", "DB"), dca("COPY", "src", "x", "FOO"),
		dca("COPY", "nokey", "x"), dca("SADD", "cs", "1", "2", "a"), dca("COPY", "cs", "cs2"), dca("SREM", "cs", "1"),
		dca("SCARD", "cs2"), dca("OBJECT", "ENCODING", "cs2"), dca("SET", "ci", "12"), dca("COPY", "ci", "ci2"),
		dca("OBJECT", "ENCODING", "ci2"), dca("APPEND", "ci", "x"), dca("COPY", "ci", "ci3"), dca("OBJECT", "ENCODING", "ci3"),
		dca("COPY", "src", "dst", "REPLACE", "DB", "0"), dca("COPY"),
		// DUMP RESTORE
		dca("DUMP", "nokey"), dca("SET", "d", "hello"), dca("DUMP", "d"), dca("SET", "d", "12"), dca("DUMP", "d"),
		dca("SADD", "dset", "1", "2", "3"), dca("DUMP", "dset"), dca("ZADD", "dz", "1", "a", "2.5", "b"), dca("DUMP", "dz"),
		dca("SET", "dl", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), dca("DUMP", "dl"),
		dca("RESTORE", "r", "0", hello), dca("GET", "r"),
		dca("RESTORE", "r", "0", hello),
		dca("RESTORE", "r", "0", hello, "REPLACE", "IDLETIME", "10"),
		dca("RESTORE", "r2", "100000", hello), dca("TTL", "r2"),
		dca("RESTORE", "r3", "4102444800000", hello, "ABSTTL"), dca("PEXPIRETIME", "r3"),
		dca("RESTORE", "r4", "1", hello, "ABSTTL"), dca("EXISTS", "r4"),
		dca("RESTORE", "r", "1", hello, "ABSTTL", "REPLACE"), dca("EXISTS", "r"),
		dca("RESTORE", "r5", "0", badCRC),
		dca("RESTORE", "r5", "0", "garbage"), dca("RESTORE", "r5", "0", ""), dca("RESTORE", "r5", "-1", "x"),
		dca("RESTORE", "r5", "abc", "x"), dca("RESTORE", "r5", "0", "x", "FOO"), dca("RESTORE", "r5", "0", "x", "IDLETIME", "-1"),
		dca("RESTORE", "r5", "0", "x", "FREQ", "256"), dca("RESTORE", "r5", "0", "x", "FREQ", "1", "IDLETIME", "1"),
		dca("RESTORE", "r5", "0", "x", "IDLETIME"), dca("RESTORE", "r5", "0", "x", "FREQ", "abc"), dca("RESTORE", "d", "0", "x"),
		dca("RESTORE", "r5", "0"),
		// OBJECT
		dca("OBJECT", "HELP"), dca("OBJECT", "help", "x"), dca("OBJECT", "ENCODING"), dca("OBJECT", "ENCODING", "nokey"),
		dca("OBJECT", "ENCODING", "d", "x"), dca("OBJECT", "FOO", "d"), dca("OBJECT", "FREQ", "d"), dca("OBJECT", "REFCOUNT", "nokey"),
		dca("OBJECT", "IDLETIME", "d"), dca("OBJECT", "ENCODING", "dset"), dca("OBJECT", "ENCODING", "dz"), dca("OBJECT"),
		// SCAN arguments (cursors themselves differ: see the unit tests)
		dca("SCAN", "abc"), dca("SCAN", "1 "), dca("SCAN", " 1"), dca("SCAN", "-"), dca("SCAN", "18446744073709551616"),
		dca("SCAN", "0", "COUNT", "0"), dca("SCAN", "0", "COUNT", "abc"), dca("SCAN", "0", "COUNT"), dca("SCAN", "0", "FOO", "x"),
		dca("SCAN", "0", "MATCH"), dca("SCAN"),
		{Args: []string{"SCAN", "0", "COUNT", "1000"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "MATCH", "d*"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "set"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "STRING", "MATCH", "r*"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "nosuchtype"}, Unordered: true},
	})
}

func TestDBDiff(t *testing.T) {
	runDiff(t, []diffCase{
		dca("DBSIZE"), dca("MSET", "a", "1", "b", "2"), dca("DBSIZE"), dca("DBSIZE", "x"),
		dca("FLUSHDB", "FOO"), dca("FLUSHDB", "ASYNC", "x"), dca("FLUSHDB", "sync"), dca("DBSIZE"),
		dca("SET", "a", "1"), dca("FLUSHDB", "async"), dca("FLUSHDB"), dca("DBSIZE"),
		dca("SET", "a", "1"), dca("FLUSHALL", "x"), dca("FLUSHALL", "SYNC"), dca("DBSIZE"), dca("FLUSHALL"),
		dca("SET", "a", "1"), dca("SWAPDB", "0", "1"), dca("DBSIZE"), dca("SWAPDB", "1", "0"), dca("GET", "a"),
		dca("SWAPDB", "0", "0"), dca("SWAPDB", "0", "16"), dca("SWAPDB", "-1", "0"), dca("SWAPDB", "x", "0"),
		dca("SWAPDB", "0", "x"), dca("SWAPDB", "99999999999", "0"), dca("SWAPDB", "0"),
	})
}
