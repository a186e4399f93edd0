//go:build !js

package command

import (
	"strings"
	"testing"
)

// Ports 7500-7509 of this helper's range serve the string/key/db diff tests.

func skc(args ...string) diffCase { return diffCase{Args: args} }

func TestStringDiff(t *testing.T) {
	big := strings.Repeat("x", 100)
	runDiff(t, []diffCase{
		// GET / SET and every option
		skc("GET", "k"), skc("SET", "k", "v"), skc("GET", "k"), skc("GET", ""), skc("SET", "", ""), skc("GET", ""),
		skc("SET", "k", "v2", "NX"), skc("SET", "k", "v2", "XX"), skc("GET", "k"),
		skc("SET", "nx1", "a", "nx"), skc("SET", "nx1", "b", "nx"), skc("SET", "xx1", "a", "xx"), skc("GET", "xx1"),
		skc("SET", "k", "v", "NX", "XX"), skc("SET", "k", "v", "XX", "NX"), skc("SET", "k", "v", "NX", "NX"),
		skc("SET", "k", "v", "EX"), skc("SET", "k", "v", "EX", "0"), skc("SET", "k", "v", "EX", "-1"),
		skc("SET", "k", "v", "EX", "abc"), skc("SET", "k", "v", "PX", "0"), skc("SET", "k", "v", "EXAT", "0"),
		skc("SET", "k", "v", "PXAT", "-5"), skc("SET", "k", "v", "EX", "9223372036854775807"),
		skc("SET", "k", "v", "PX", "9223372036854775807"), skc("SET", "k", "v", "EX", "9223372036854776"),
		skc("SET", "k", "v", "EX", "10", "PX", "100"), skc("SET", "k", "v", "EX", "10", "EX", "20"), skc("TTL", "k"),
		skc("SET", "k", "v", "EX", "100", "KEEPTTL"), skc("SET", "k", "v", "KEEPTTL", "EX", "100"),
		skc("SET", "k", "v", "EX", "100"), skc("TTL", "k"), skc("SET", "k", "v2", "KEEPTTL"), skc("TTL", "k"),
		skc("SET", "k", "v3"), skc("TTL", "k"), skc("SET", "k", "v", "PX", "100000"), skc("TTL", "k"),
		skc("SET", "k", "v", "EXAT", "4102444800"), skc("EXPIRETIME", "k"), skc("SET", "k", "v", "PXAT", "4102444800123"),
		skc("PEXPIRETIME", "k"), skc("SET", "k", "v", "PERSIST"), skc("SET", "k", "v", "FOO"), skc("SET", "k", "v", "ex", "5", "foo"),
		skc("SET", "k", "new", "GET"), skc("SET", "k", "newer", "GET", "GET"), skc("SET", "missing", "v", "GET"),
		skc("SET", "k", "x", "NX", "GET"), skc("SET", "absent", "x", "XX", "GET"), skc("GET", "absent"),
		skc("SET", "k", "y", "XX", "GET", "EX", "100"), skc("TTL", "k"),
		skc("SADD", "list", "a"), skc("SET", "list", "v", "GET"), skc("GET", "list"), skc("SET", "list", "v"), skc("GET", "list"),
		skc("SET", "k"), skc("SET"), skc("GET"), skc("GET", "a", "b"),
		// SETNX SETEX PSETEX GETSET
		skc("SETNX", "snx", "1"), skc("SETNX", "snx", "2"), skc("GET", "snx"), skc("SETNX", "snx"),
		skc("SETEX", "sex", "100", "v"), skc("TTL", "sex"), skc("SETEX", "sex", "0", "v"), skc("SETEX", "sex", "-10", "v"),
		skc("SETEX", "sex", "x", "v"), skc("PSETEX", "psex", "100000", "v"), skc("TTL", "psex"), skc("PSETEX", "psex", "0", "v"),
		skc("GETSET", "gs", "1"), skc("GETSET", "gs", "2"), skc("GET", "gs"), skc("GETSET", "list", "x"),
		skc("SET", "gst", "v", "EX", "100"), skc("GETSET", "gst", "w"), skc("TTL", "gst"),
		// GETDEL GETEX
		skc("GETDEL", "gs"), skc("GETDEL", "gs"), skc("GETDEL", "list"), skc("SET", "ge", "v"),
		skc("GETEX", "ge"), skc("GETEX", "ge", "EX", "100"), skc("TTL", "ge"), skc("GETEX", "ge", "PERSIST"), skc("TTL", "ge"),
		skc("GETEX", "ge", "PX", "100000"), skc("TTL", "ge"), skc("GETEX", "ge", "EXAT", "4102444800"), skc("EXPIRETIME", "ge"),
		skc("GETEX", "ge", "PXAT", "4102444800000"), skc("PEXPIRETIME", "ge"), skc("GETEX", "ge", "KEEPTTL"),
		skc("GETEX", "ge", "EX", "0"), skc("GETEX", "ge", "EX", "-1"), skc("GETEX", "ge", "EX", "abc"), skc("GETEX", "ge", "EX"),
		skc("GETEX", "ge", "PERSIST", "EX", "10"), skc("GETEX", "ge", "EX", "10", "PERSIST"), skc("GETEX", "ge", "NX"),
		skc("GETEX", "ge", "GET"), skc("GETEX", "nokey", "EX", "10"), skc("GETEX", "nokey", "EX", "abc"), skc("GETEX", "list"),
		skc("GETEX", "ge", "EXAT", "1"), skc("EXISTS", "ge"), skc("SET", "ge", "v"), skc("GETEX", "ge", "PXAT", "1"), skc("GET", "ge"),
		// MGET MSET MSETNX
		skc("MSET", "a", "1", "b", "2", "c", "3"), skc("MGET", "a", "b", "c", "nokey", "list", "a"),
		skc("MSET", "a", "1", "b"), skc("MSETNX", "a", "x", "z", "y"), skc("GET", "z"), skc("MSETNX", "y1", "1", "y2", "2"),
		skc("MGET", "y1", "y2"), skc("MSETNX", "y3", "1", "y3", "2"), skc("GET", "y3"), skc("MSETNX", "a", "1", "b"), skc("MSET", "a"),
		// INCR family
		skc("INCR", "n"), skc("INCR", "n"), skc("DECR", "n"), skc("INCRBY", "n", "10"), skc("DECRBY", "n", "5"),
		skc("INCRBY", "n", "-100"), skc("DECRBY", "n", "-100"), skc("INCRBY", "n", "abc"), skc("INCRBY", "n", "1.5"),
		skc("INCRBY", "n", " 1"), skc("INCRBY", "n", "+1"), skc("INCRBY", "n", "01"), skc("INCR", "a"), skc("INCR", "list"),
		skc("SET", "s", "foo"), skc("INCR", "s"), skc("SET", "s", " 1"), skc("INCR", "s"), skc("SET", "s", "1 "), skc("INCR", "s"),
		skc("SET", "max", "9223372036854775807"), skc("INCR", "max"), skc("INCRBY", "max", "-1"),
		skc("SET", "min", "-9223372036854775808"), skc("DECR", "min"), skc("INCRBY", "min", "9223372036854775807"),
		skc("DECRBY", "x", "-9223372036854775808"), skc("INCRBY", "x", "9223372036854775808"),
		skc("SET", "big", "99999999999999999999"), skc("INCR", "big"),
		skc("SET", "ttlkey", "5", "EX", "100"), skc("INCR", "ttlkey"), skc("TTL", "ttlkey"),
		// INCRBYFLOAT
		skc("SET", "emptyf", ""), skc("INCRBYFLOAT", "emptyf", "1"), skc("GET", "emptyf"), skc("INCR", "emptyf"),
		skc("INCRBYFLOAT", "f", "0.1"), skc("INCRBYFLOAT", "f", "0.2"), skc("INCRBYFLOAT", "f", "-0.3"),
		skc("INCRBYFLOAT", "f", "1e3"), skc("INCRBYFLOAT", "f", "5.0e3"), skc("INCRBYFLOAT", "f", "abc"),
		skc("INCRBYFLOAT", "f", ""), skc("INCRBYFLOAT", "f", " 1"), skc("INCRBYFLOAT", "f", "1 "),
		skc("INCRBYFLOAT", "f", "inf"), skc("INCRBYFLOAT", "f", "-inf"), skc("INCRBYFLOAT", "f", "nan"),
		skc("INCRBYFLOAT", "f", "+inf"), skc("INCRBYFLOAT", "f", "infinity"), skc("INCRBYFLOAT", "f", "1e5000"),
		skc("INCRBYFLOAT", "f", "1e-5000"), skc("INCRBYFLOAT", "f", "+1.5"), skc("INCRBYFLOAT", "f", ".5"),
		skc("INCRBYFLOAT", "f", "5."), skc("INCRBYFLOAT", "f", "1_0"), skc("INCRBYFLOAT", "f", "0x10"),
		skc("INCRBYFLOAT", "g", "3.0e3"), skc("INCRBYFLOAT", "g", "1.23456789012345678"),
		skc("INCRBYFLOAT", "h", "10.5"), skc("INCRBYFLOAT", "h", "-10.5"), skc("GET", "h"), skc("INCRBYFLOAT", "h", "-0.0"),
		skc("INCRBYFLOAT", "i", "1e300"), skc("INCRBYFLOAT", "i", "1e300"),
		skc("INCRBYFLOAT", "j", "0.0000000000000000001"), skc("INCRBYFLOAT", "j2", "-0.0000000000000000001"),
		skc("INCRBYFLOAT", "k2", "1.1"), skc("INCRBYFLOAT", "k2", "2.2"), skc("INCRBYFLOAT", "k2", "3.3"),
		skc("INCRBYFLOAT", "k3", "9007199254740993"), skc("INCRBYFLOAT", "k3", "0.5"),
		skc("INCRBYFLOAT", "s", "1"), skc("INCRBYFLOAT", "list", "1"), skc("SET", "fl", "1.5"), skc("INCRBYFLOAT", "fl", "1"),
		skc("SET", "fl", "1.5 "), skc("INCRBYFLOAT", "fl", "1"), skc("SET", "fl", "5", "EX", "100"),
		skc("INCRBYFLOAT", "fl", "1.5"), skc("TTL", "fl"), skc("OBJECT", "ENCODING", "fl"),
		skc("INCRBYFLOAT", "fl2", "3"), skc("OBJECT", "ENCODING", "fl2"),
		// APPEND STRLEN GETRANGE SUBSTR SETRANGE
		skc("APPEND", "ap", "hello"), skc("APPEND", "ap", " world"), skc("GET", "ap"), skc("STRLEN", "ap"), skc("STRLEN", "nokey"),
		skc("APPEND", "list", "x"), skc("STRLEN", "list"), skc("APPEND", "ap", ""), skc("OBJECT", "ENCODING", "ap"),
		skc("APPEND", "apn", "12"), skc("OBJECT", "ENCODING", "apn"), skc("APPEND", "apn", ""), skc("OBJECT", "ENCODING", "apn"),
		skc("GETRANGE", "ap", "0", "4"), skc("GETRANGE", "ap", "-5", "-1"), skc("GETRANGE", "ap", "5", "3"),
		skc("GETRANGE", "ap", "0", "-100"), skc("GETRANGE", "ap", "-100", "-200"), skc("GETRANGE", "ap", "-1", "-5"),
		skc("GETRANGE", "ap", "100", "200"), skc("GETRANGE", "ap", "0", "9223372036854775807"),
		skc("GETRANGE", "ap", "-9223372036854775808", "2"), skc("GETRANGE", "ap", "a", "1"), skc("GETRANGE", "nokey", "0", "1"),
		skc("GETRANGE", "list", "0", "1"), skc("GETRANGE", "nokey", "x", "1"), skc("SUBSTR", "ap", "1", "3"),
		skc("SET", "empty", ""), skc("GETRANGE", "empty", "0", "-1"), skc("GETRANGE", "n", "0", "-1"),
		skc("SETRANGE", "sr", "5", "abc"), skc("GET", "sr"), skc("OBJECT", "ENCODING", "sr"), skc("SETRANGE", "sr", "0", "X"),
		skc("GET", "sr"), skc("SETRANGE", "sr", "-1", "x"), skc("SETRANGE", "sr", "x", "x"), skc("SETRANGE", "sr", "1", ""),
		skc("SETRANGE", "srn", "1", ""), skc("EXISTS", "srn"), skc("SETRANGE", "list", "0", "x"), skc("SETRANGE", "list", "0", ""),
		skc("SETRANGE", "sr", "536870912", "x"), skc("SETRANGE", "sr", "536870911", ""), skc("SETRANGE", "srn", "536870911", "xy"),
		skc("SETRANGE", "n", "0", "9"), skc("GET", "n"), skc("OBJECT", "ENCODING", "n"),
		// encodings
		skc("SET", "e1", "123"), skc("OBJECT", "ENCODING", "e1"), skc("SET", "e2", "-0"), skc("OBJECT", "ENCODING", "e2"),
		skc("SET", "e3", "0123"), skc("OBJECT", "ENCODING", "e3"), skc("SET", "e4", big), skc("OBJECT", "ENCODING", "e4"),
		skc("SET", "e5", strings.Repeat("a", 44)), skc("OBJECT", "ENCODING", "e5"),
		skc("SET", "e6", strings.Repeat("a", 45)), skc("OBJECT", "ENCODING", "e6"),
		skc("SET", "e7", "12345678901234567890"), skc("OBJECT", "ENCODING", "e7"),
		skc("SET", "e8", "-9223372036854775808"), skc("OBJECT", "ENCODING", "e8"),
		skc("OBJECT", "REFCOUNT", "e1"), skc("OBJECT", "REFCOUNT", "e8"), skc("SET", "e9", "10000"), skc("OBJECT", "REFCOUNT", "e9"),
		skc("OBJECT", "REFCOUNT", "e4"), skc("INCR", "e1"), skc("OBJECT", "REFCOUNT", "e1"),
		// LCS
		skc("SET", "l1", "ohmytext"), skc("SET", "l2", "mynewtext"), skc("LCS", "l1", "l2"), skc("LCS", "l1", "l2", "LEN"),
		skc("LCS", "l1", "l2", "IDX"), skc("LCS", "l1", "l2", "IDX", "WITHMATCHLEN"), skc("LCS", "l1", "l2", "IDX", "MINMATCHLEN", "4"),
		skc("LCS", "l1", "l2", "IDX", "MINMATCHLEN", "-4", "WITHMATCHLEN"), skc("LCS", "l1", "l2", "IDX", "LEN"),
		skc("LCS", "l1", "l2", "FOO"), skc("LCS", "l1", "l2", "MINMATCHLEN"), skc("LCS", "l1", "l2", "MINMATCHLEN", "x"),
		skc("LCS", "l1", "nokey"), skc("LCS", "nokey", "nokey2", "IDX"), skc("LCS", "l1", "list"), skc("LCS", "l1"),
		skc("SET", "l3", "abcXdefYYghi"), skc("SET", "l4", "ZabcdefQghiabc"), skc("LCS", "l3", "l4", "IDX", "WITHMATCHLEN"),
		skc("LCS", "l4", "l3", "IDX"), skc("LCS", "l3", "l4"),
	})
}
