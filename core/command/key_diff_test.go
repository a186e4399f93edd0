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
		skc("MSET", "a", "1", "b", "2", "c", "3"), skc("SADD", "set", "x"), skc("ZADD", "zs", "1", "m"),
		skc("EXISTS", "a", "a", "nokey", "b"), skc("TOUCH", "a", "nokey", "set"), skc("DEL", "a", "a", "nokey"),
		skc("UNLINK", "b", "c", "b"), skc("EXISTS", "a", "b", "c"), skc("DEL"), skc("EXISTS"),
		skc("TYPE", "set"), skc("TYPE", "zs"), skc("TYPE", "nokey"), skc("SET", "s", "v"), skc("TYPE", "s"),
		// KEYS
		{Args: []string{"KEYS", "*"}, Unordered: true}, {Args: []string{"KEYS", "s*"}, Unordered: true},
		{Args: []string{"KEYS", "?s"}, Unordered: true}, {Args: []string{"KEYS", "[sz]*"}, Unordered: true},
		{Args: []string{"KEYS", "nomatch"}, Unordered: true}, skc("KEYS"),
		// RENAME RENAMENX
		skc("RENAME", "s", "s2"), skc("GET", "s2"), skc("EXISTS", "s"), skc("RENAME", "nokey", "x"),
		skc("RENAME", "nokey", "nokey"), skc("RENAME", "s2", "s2"), skc("RENAMENX", "s2", "s2"),
		skc("RENAMENX", "s2", "set"), skc("RENAMENX", "s2", "s3"), skc("RENAMENX", "nokey", "x"),
		skc("SET", "t", "v", "EX", "100"), skc("RENAME", "t", "t2"), skc("TTL", "t2"), skc("RENAME", "s3", "t2"),
		skc("TTL", "t2"), skc("GET", "t2"), skc("RENAME", "set", "t2"), skc("TYPE", "t2"),
		// EXPIRE family
		skc("SET", "e", "v"), skc("EXPIRE", "e", "100"), skc("TTL", "e"), skc("PTTL", "nokey"), skc("TTL", "nokey"),
		skc("PERSIST", "e"), skc("PERSIST", "e"), skc("PERSIST", "nokey"), skc("TTL", "e"),
		skc("EXPIRE", "e", "100", "NX"), skc("EXPIRE", "e", "200", "NX"), skc("EXPIRE", "e", "50", "GT"),
		skc("EXPIRE", "e", "200", "GT"), skc("TTL", "e"), skc("EXPIRE", "e", "300", "LT"), skc("EXPIRE", "e", "100", "LT"),
		skc("TTL", "e"), skc("EXPIRE", "e", "100", "XX"), skc("PERSIST", "e"), skc("EXPIRE", "e", "100", "XX"),
		skc("EXPIRE", "e", "100", "GT"), skc("EXPIRE", "e", "100", "LT"), skc("TTL", "e"), skc("PERSIST", "e"),
		skc("EXPIRE", "e", "100", "NX", "XX"), skc("EXPIRE", "e", "100", "NX", "GT"), skc("EXPIRE", "e", "100", "GT", "LT"),
		skc("EXPIRE", "e", "100", "XX", "GT"), skc("EXPIRE", "e", "100", "FOO"), skc("EXPIRE", "e", "abc", "FOO"),
		skc("EXPIRE", "e", "abc"), skc("EXPIRE", "e", "1.5"), skc("EXPIRE", "nokey", "100"),
		skc("EXPIRE", "e", "9223372036854775807"), skc("EXPIRE", "e", "-9223372036854775808"),
		skc("PEXPIRE", "e", "9223372036854775807"), skc("EXPIREAT", "e", "9223372036854775807"),
		skc("PEXPIREAT", "e", "9223372036854775807"), skc("TTL", "e"), skc("PERSIST", "e"),
		skc("PEXPIRE", "e", "100000"), skc("TTL", "e"), skc("EXPIREAT", "e", "4102444800"), skc("EXPIRETIME", "e"),
		skc("PEXPIRETIME", "e"), skc("PEXPIREAT", "e", "4102444800123"), skc("EXPIRETIME", "e"), skc("PEXPIRETIME", "e"),
		skc("EXPIRETIME", "nokey"), skc("PERSIST", "e"), skc("EXPIRETIME", "e"), skc("PEXPIRETIME", "e"),
		skc("EXPIRE", "e", "-1"), skc("EXISTS", "e"), skc("SET", "e", "v"), skc("EXPIREAT", "e", "1"), skc("GET", "e"),
		skc("SET", "e", "v"), skc("PEXPIRE", "e", "0"), skc("EXISTS", "e"), skc("SET", "e", "v"),
		skc("EXPIRE", "e", "-1", "GT"), skc("EXPIRE", "e", "-1", "LT"), skc("EXISTS", "e"), skc("EXPIRE"), skc("TTL"),
		// RANDOMKEY
		skc("FLUSHALL"), skc("RANDOMKEY"), skc("SET", "only", "1"), skc("RANDOMKEY"), skc("RANDOMKEY", "x"),
		// MOVE
		skc("MOVE", "only", "1"), skc("EXISTS", "only"), skc("MOVE", "nokey", "0"),
		skc("MOVE", "only", "0"), skc("MOVE", "only", "0"), skc("MOVE", "only", "16"), skc("MOVE", "only", "-1"),
		skc("MOVE", "only", "abc"), skc("MOVE", "only", "99999999999"), skc("SET", "only", "again"),
		skc("MOVE", "only", "1"), skc("SET", "m", "v", "EX", "100"), skc("MOVE", "m", "2"), skc("EXISTS", "m"),
		// COPY
		skc("SET", "src", "v", "EX", "100"), skc("COPY", "src", "dst"), skc("TTL", "dst"), skc("GET", "dst"),
		skc("COPY", "src", "dst"), skc("COPY", "src", "dst", "REPLACE"), skc("COPY", "src", "src"),
		skc("COPY", "src", "src", "DB", "0"), skc("COPY", "src", "src", "DB", "1"), skc("COPY", "src", "x", "DB", "16"),
		skc("COPY", "src", "x", "DB", "abc"), skc("COPY", "src", "x", "DB"), skc("COPY", "src", "x", "FOO"),
		skc("COPY", "nokey", "x"), skc("SADD", "cs", "1", "2", "a"), skc("COPY", "cs", "cs2"), skc("SREM", "cs", "1"),
		skc("SCARD", "cs2"), skc("OBJECT", "ENCODING", "cs2"), skc("SET", "ci", "12"), skc("COPY", "ci", "ci2"),
		skc("OBJECT", "ENCODING", "ci2"), skc("APPEND", "ci", "x"), skc("COPY", "ci", "ci3"), skc("OBJECT", "ENCODING", "ci3"),
		skc("COPY", "src", "dst", "REPLACE", "DB", "0"), skc("COPY"),
		// DUMP RESTORE
		skc("DUMP", "nokey"), skc("SET", "d", "hello"), skc("DUMP", "d"), skc("SET", "d", "12"), skc("DUMP", "d"),
		skc("SADD", "dset", "1", "2", "3"), skc("DUMP", "dset"), skc("ZADD", "dz", "1", "a", "2.5", "b"), skc("DUMP", "dz"),
		skc("SET", "dl", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), skc("DUMP", "dl"),
		skc("RESTORE", "r", "0", hello), skc("GET", "r"),
		skc("RESTORE", "r", "0", hello),
		skc("RESTORE", "r", "0", hello, "REPLACE", "IDLETIME", "10"),
		skc("RESTORE", "r2", "100000", hello), skc("TTL", "r2"),
		skc("RESTORE", "r3", "4102444800000", hello, "ABSTTL"), skc("PEXPIRETIME", "r3"),
		skc("RESTORE", "r4", "1", hello, "ABSTTL"), skc("EXISTS", "r4"),
		skc("RESTORE", "r", "1", hello, "ABSTTL", "REPLACE"), skc("EXISTS", "r"),
		skc("RESTORE", "r5", "0", badCRC),
		skc("RESTORE", "r5", "0", "garbage"), skc("RESTORE", "r5", "0", ""), skc("RESTORE", "r5", "-1", "x"),
		skc("RESTORE", "r5", "abc", "x"), skc("RESTORE", "r5", "0", "x", "FOO"), skc("RESTORE", "r5", "0", "x", "IDLETIME", "-1"),
		skc("RESTORE", "r5", "0", "x", "FREQ", "256"), skc("RESTORE", "r5", "0", "x", "FREQ", "1", "IDLETIME", "1"),
		skc("RESTORE", "r5", "0", "x", "IDLETIME"), skc("RESTORE", "r5", "0", "x", "FREQ", "abc"), skc("RESTORE", "d", "0", "x"),
		skc("RESTORE", "r5", "0"),
		// OBJECT
		skc("OBJECT", "HELP"), skc("OBJECT", "help", "x"), skc("OBJECT", "ENCODING"), skc("OBJECT", "ENCODING", "nokey"),
		skc("OBJECT", "ENCODING", "d", "x"), skc("OBJECT", "FOO", "d"), skc("OBJECT", "FREQ", "d"), skc("OBJECT", "REFCOUNT", "nokey"),
		skc("OBJECT", "IDLETIME", "d"), skc("OBJECT", "ENCODING", "dset"), skc("OBJECT", "ENCODING", "dz"), skc("OBJECT"),
		// SCAN arguments (cursors themselves differ: see the unit tests)
		skc("SCAN", "abc"), skc("SCAN", "1 "), skc("SCAN", " 1"), skc("SCAN", "-"), skc("SCAN", "18446744073709551616"),
		skc("SCAN", "0", "COUNT", "0"), skc("SCAN", "0", "COUNT", "abc"), skc("SCAN", "0", "COUNT"), skc("SCAN", "0", "FOO", "x"),
		skc("SCAN", "0", "MATCH"), skc("SCAN"),
		{Args: []string{"SCAN", "0", "COUNT", "1000"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "MATCH", "d*"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "set"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "STRING", "MATCH", "r*"}, Unordered: true},
		{Args: []string{"SCAN", "0", "COUNT", "1000", "TYPE", "nosuchtype"}, Unordered: true},
	})
}

func TestDBDiff(t *testing.T) {
	runDiff(t, []diffCase{
		skc("DBSIZE"), skc("MSET", "a", "1", "b", "2"), skc("DBSIZE"), skc("DBSIZE", "x"),
		skc("FLUSHDB", "FOO"), skc("FLUSHDB", "ASYNC", "x"), skc("FLUSHDB", "sync"), skc("DBSIZE"),
		skc("SET", "a", "1"), skc("FLUSHDB", "async"), skc("FLUSHDB"), skc("DBSIZE"),
		skc("SET", "a", "1"), skc("FLUSHALL", "x"), skc("FLUSHALL", "SYNC"), skc("DBSIZE"), skc("FLUSHALL"),
		skc("SET", "a", "1"), skc("SWAPDB", "0", "1"), skc("DBSIZE"), skc("SWAPDB", "1", "0"), skc("GET", "a"),
		skc("SWAPDB", "0", "0"), skc("SWAPDB", "0", "16"), skc("SWAPDB", "-1", "0"), skc("SWAPDB", "x", "0"),
		skc("SWAPDB", "0", "x"), skc("SWAPDB", "99999999999", "0"), skc("SWAPDB", "0"),
	})
}
