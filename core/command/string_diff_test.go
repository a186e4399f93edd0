//go:build !js

package command

import (
	"strings"
	"testing"
)

func TestStringDiff(t *testing.T) {
	big := strings.Repeat("x", 100)
	runDiff(t, []diffCase{
		// GET / SET and every option
		dca("GET", "k"), dca("SET", "k", "v"), dca("GET", "k"), dca("GET", ""), dca("SET", "", ""), dca("GET", ""),
		dca("SET", "k", "v2", "NX"), dca("SET", "k", "v2", "XX"), dca("GET", "k"),
		dca("SET", "nx1", "a", "nx"), dca("SET", "nx1", "b", "nx"), dca("SET", "xx1", "a", "xx"), dca("GET", "xx1"),
		dca("SET", "k", "v", "NX", "XX"), dca("SET", "k", "v", "XX", "NX"), dca("SET", "k", "v", "NX", "NX"),
		dca("SET", "k", "v", "EX"), dca("SET", "k", "v", "EX", "0"), dca("SET", "k", "v", "EX", "-1"),
		dca("SET", "k", "v", "EX", "abc"), dca("SET", "k", "v", "PX", "0"), dca("SET", "k", "v", "EXAT", "0"),
		dca("SET", "k", "v", "PXAT", "-5"), dca("SET", "k", "v", "EX", "9223372036854775807"),
		dca("SET", "k", "v", "PX", "9223372036854775807"), dca("SET", "k", "v", "EX", "9223372036854776"),
		dca("SET", "k", "v", "EX", "10", "PX", "100"), dca("SET", "k", "v", "EX", "10", "EX", "20"), dca("TTL", "k"),
		dca("SET", "k", "v", "EX", "100", "KEEPTTL"), dca("SET", "k", "v", "KEEPTTL", "EX", "100"),
		dca("SET", "k", "v", "EX", "100"), dca("TTL", "k"), dca("SET", "k", "v2", "KEEPTTL"), dca("TTL", "k"),
		dca("SET", "k", "v3"), dca("TTL", "k"), dca("SET", "k", "v", "PX", "100000"), dca("TTL", "k"),
		dca("SET", "k", "v", "EXAT", "4102444800"), dca("EXPIRETIME", "k"), dca("SET", "k", "v", "PXAT", "4102444800123"),
		dca("PEXPIRETIME", "k"), dca("SET", "k", "v", "PERSIST"), dca("SET", "k", "v", "FOO"), dca("SET", "k", "v", "ex", "5", "foo"),
		dca("SET", "k", "new", "GET"), dca("SET", "k", "newer", "GET", "GET"), dca("SET", "missing", "v", "GET"),
		dca("SET", "k", "x", "NX", "GET"), dca("SET", "absent", "x", "XX", "GET"), dca("GET", "absent"),
		dca("SET", "k", "y", "XX", "GET", "EX", "100"), dca("TTL", "k"),
		dca("SADD", "list", "a"), dca("SET", "list", "v", "GET"), dca("GET", "list"), dca("SET", "list", "v"), dca("GET", "list"),
		dca("SET", "k"), dca("SET"), dca("GET"), dca("GET", "a", "b"),
		// SETNX SETEX PSETEX GETSET
		dca("SETNX", "snx", "1"), dca("SETNX", "snx", "2"), dca("GET", "snx"), dca("SETNX", "snx"),
		dca("SETEX", "sex", "100", "v"), dca("TTL", "sex"), dca("SETEX", "sex", "0", "v"), dca("SETEX", "sex", "-10", "v"),
		dca("SETEX", "sex", "x", "v"), dca("PSETEX", "psex", "100000", "v"), dca("TTL", "psex"), dca("PSETEX", "psex", "0", "v"),
		dca("GETSET", "gs", "1"), dca("GETSET", "gs", "2"), dca("GET", "gs"), dca("GETSET", "list", "x"),
		dca("SET", "gst", "v", "EX", "100"), dca("GETSET", "gst", "w"), dca("TTL", "gst"),
		// GETDEL GETEX
		dca("GETDEL", "gs"), dca("GETDEL", "gs"), dca("GETDEL", "list"), dca("SET", "ge", "v"),
		dca("GETEX", "ge"), dca("GETEX", "ge", "EX", "100"), dca("TTL", "ge"), dca("GETEX", "ge", "PERSIST"), dca("TTL", "ge"),
		dca("GETEX", "ge", "PX", "100000"), dca("TTL", "ge"), dca("GETEX", "ge", "EXAT", "4102444800"), dca("EXPIRETIME", "ge"),
		dca("GETEX", "ge", "PXAT", "4102444800000"), dca("PEXPIRETIME", "ge"), dca("GETEX", "ge", "KEEPTTL"),
		dca("GETEX", "ge", "EX", "0"), dca("GETEX", "ge", "EX", "-1"), dca("GETEX", "ge", "EX", "abc"), dca("GETEX", "ge", "EX"),
		dca("GETEX", "ge", "PERSIST", "EX", "10"), dca("GETEX", "ge", "EX", "10", "PERSIST"), dca("GETEX", "ge", "NX"),
		dca("GETEX", "ge", "GET"), dca("GETEX", "nokey", "EX", "10"), dca("GETEX", "nokey", "EX", "abc"), dca("GETEX", "list"),
		dca("GETEX", "ge", "EXAT", "1"), dca("EXISTS", "ge"), dca("SET", "ge", "v"), dca("GETEX", "ge", "PXAT", "1"), dca("GET", "ge"),
		// MGET MSET MSETNX
		dca("MSET", "a", "1", "b", "2", "c", "3"), dca("MGET", "a", "b", "c", "nokey", "list", "a"),
		dca("MSET", "a", "1", "b"), dca("MSETNX", "a", "x", "z", "y"), dca("GET", "z"), dca("MSETNX", "y1", "1", "y2", "2"),
		dca("MGET", "y1", "y2"), dca("MSETNX", "y3", "1", "y3", "2"), dca("GET", "y3"), dca("MSETNX", "a", "1", "b"), dca("MSET", "a"),
		// INCR family
		dca("INCR", "n"), dca("INCR", "n"), dca("DECR", "n"), dca("INCRBY", "n", "10"), dca("DECRBY", "n", "5"),
		dca("INCRBY", "n", "-100"), dca("DECRBY", "n", "-100"), dca("INCRBY", "n", "abc"), dca("INCRBY", "n", "1.5"),
		dca("INCRBY", "n", " 1"), dca("INCRBY", "n", "+1"), dca("INCRBY", "n", "01"), dca("INCR", "a"), dca("INCR", "list"),
		dca("SET", "s", "foo"), dca("INCR", "s"), dca("SET", "s", " 1"), dca("INCR", "s"), dca("SET", "s", "1 "), dca("INCR", "s"),
		dca("SET", "max", "9223372036854775807"), dca("INCR", "max"), dca("INCRBY", "max", "-1"),
		dca("SET", "min", "-9223372036854775808"), dca("DECR", "min"), dca("INCRBY", "min", "9223372036854775807"),
		dca("DECRBY", "x", "-9223372036854775808"), dca("INCRBY", "x", "9223372036854775808"),
		dca("SET", "big", "99999999999999999999"), dca("INCR", "big"),
		dca("SET", "ttlkey", "5", "EX", "100"), dca("INCR", "ttlkey"), dca("TTL", "ttlkey"),
		// INCRBYFLOAT
		dca("SET", "emptyf", ""), dca("INCRBYFLOAT", "emptyf", "1"), dca("GET", "emptyf"), dca("INCR", "emptyf"),
		dca("INCRBYFLOAT", "f", "0.1"), dca("INCRBYFLOAT", "f", "0.2"), dca("INCRBYFLOAT", "f", "-0.3"),
		dca("INCRBYFLOAT", "f", "1e3"), dca("INCRBYFLOAT", "f", "5.0e3"), dca("INCRBYFLOAT", "f", "abc"),
		dca("INCRBYFLOAT", "f", ""), dca("INCRBYFLOAT", "f", " 1"), dca("INCRBYFLOAT", "f", "1 "),
		dca("INCRBYFLOAT", "f", "inf"), dca("INCRBYFLOAT", "f", "-inf"), dca("INCRBYFLOAT", "f", "nan"),
		dca("INCRBYFLOAT", "f", "+inf"), dca("INCRBYFLOAT", "f", "infinity"), dca("INCRBYFLOAT", "f", "1e5000"),
		dca("INCRBYFLOAT", "f", "1e-5000"), dca("INCRBYFLOAT", "f", "+1.5"), dca("INCRBYFLOAT", "f", ".5"),
		dca("INCRBYFLOAT", "f", "5."), dca("INCRBYFLOAT", "f", "1_0"), dca("INCRBYFLOAT", "f", "0x10"),
		dca("INCRBYFLOAT", "g", "3.0e3"), dca("INCRBYFLOAT", "g", "1.23456789012345678"),
		dca("INCRBYFLOAT", "h", "10.5"), dca("INCRBYFLOAT", "h", "-10.5"), dca("GET", "h"), dca("INCRBYFLOAT", "h", "-0.0"),
		dca("INCRBYFLOAT", "i", "1e300"), dca("INCRBYFLOAT", "i", "1e300"),
		dca("INCRBYFLOAT", "j", "0.0000000000000000001"), dca("INCRBYFLOAT", "j2", "-0.0000000000000000001"),
		dca("INCRBYFLOAT", "k2", "1.1"), dca("INCRBYFLOAT", "k2", "2.2"), dca("INCRBYFLOAT", "k2", "3.3"),
		dca("INCRBYFLOAT", "k3", "9007199254740993"), dca("INCRBYFLOAT", "k3", "0.5"),
		dca("INCRBYFLOAT", "s", "1"), dca("INCRBYFLOAT", "list", "1"), dca("SET", "fl", "1.5"), dca("INCRBYFLOAT", "fl", "1"),
		dca("SET", "fl", "1.5 "), dca("INCRBYFLOAT", "fl", "1"), dca("SET", "fl", "5", "EX", "100"),
		dca("INCRBYFLOAT", "fl", "1.5"), dca("TTL", "fl"), dca("OBJECT", "ENCODING", "fl"),
		dca("INCRBYFLOAT", "fl2", "3"), dca("OBJECT", "ENCODING", "fl2"),
		// APPEND STRLEN GETRANGE SUBSTR SETRANGE
		dca("APPEND", "ap", "hello"), dca("APPEND", "ap", " world"), dca("GET", "ap"), dca("STRLEN", "ap"), dca("STRLEN", "nokey"),
		dca("APPEND", "list", "x"), dca("STRLEN", "list"), dca("APPEND", "ap", ""), dca("OBJECT", "ENCODING", "ap"),
		dca("APPEND", "apn", "12"), dca("OBJECT", "ENCODING", "apn"), dca("APPEND", "apn", ""), dca("OBJECT", "ENCODING", "apn"),
		dca("GETRANGE", "ap", "0", "4"), dca("GETRANGE", "ap", "-5", "-1"), dca("GETRANGE", "ap", "5", "3"),
		dca("GETRANGE", "ap", "0", "-100"), dca("GETRANGE", "ap", "-100", "-200"), dca("GETRANGE", "ap", "-1", "-5"),
		dca("GETRANGE", "ap", "100", "200"), dca("GETRANGE", "ap", "0", "9223372036854775807"),
		dca("GETRANGE", "ap", "-9223372036854775808", "2"), dca("GETRANGE", "ap", "a", "1"), dca("GETRANGE", "nokey", "0", "1"),
		dca("GETRANGE", "list", "0", "1"), dca("GETRANGE", "nokey", "x", "1"), dca("SUBSTR", "ap", "1", "3"),
		dca("SET", "empty", ""), dca("GETRANGE", "empty", "0", "-1"), dca("GETRANGE", "n", "0", "-1"),
		dca("SETRANGE", "sr", "5", "abc"), dca("GET", "sr"), dca("OBJECT", "ENCODING", "sr"), dca("SETRANGE", "sr", "0", "X"),
		dca("GET", "sr"), dca("SETRANGE", "sr", "-1", "x"), dca("SETRANGE", "sr", "x", "x"), dca("SETRANGE", "sr", "1", ""),
		dca("SETRANGE", "srn", "1", ""), dca("EXISTS", "srn"), dca("SETRANGE", "list", "0", "x"), dca("SETRANGE", "list", "0", ""),
		dca("SETRANGE", "sr", "536870912", "x"), dca("SETRANGE", "sr", "536870911", ""), dca("SETRANGE", "srn", "536870911", "xy"),
		dca("SETRANGE", "n", "0", "9"), dca("GET", "n"), dca("OBJECT", "ENCODING", "n"),
		// encodings
		dca("SET", "e1", "123"), dca("OBJECT", "ENCODING", "e1"), dca("SET", "e2", "-0"), dca("OBJECT", "ENCODING", "e2"),
		dca("SET", "e3", "0123"), dca("OBJECT", "ENCODING", "e3"), dca("SET", "e4", big), dca("OBJECT", "ENCODING", "e4"),
		dca("SET", "e5", strings.Repeat("a", 44)), dca("OBJECT", "ENCODING", "e5"),
		dca("SET", "e6", strings.Repeat("a", 45)), dca("OBJECT", "ENCODING", "e6"),
		dca("SET", "e7", "12345678901234567890"), dca("OBJECT", "ENCODING", "e7"),
		dca("SET", "e8", "-9223372036854775808"), dca("OBJECT", "ENCODING", "e8"),
		dca("OBJECT", "REFCOUNT", "e1"), dca("OBJECT", "REFCOUNT", "e8"), dca("SET", "e9", "10000"), dca("OBJECT", "REFCOUNT", "e9"),
		dca("OBJECT", "REFCOUNT", "e4"), dca("INCR", "e1"), dca("OBJECT", "REFCOUNT", "e1"),
		// LCS
		dca("SET", "l1", "ohmytext"), dca("SET", "l2", "mynewtext"), dca("LCS", "l1", "l2"), dca("LCS", "l1", "l2", "LEN"),
		dca("LCS", "l1", "l2", "IDX"), dca("LCS", "l1", "l2", "IDX", "WITHMATCHLEN"), dca("LCS", "l1", "l2", "IDX", "MINMATCHLEN", "4"),
		dca("LCS", "l1", "l2", "IDX", "MINMATCHLEN", "-4", "WITHMATCHLEN"), dca("LCS", "l1", "l2", "IDX", "LEN"),
		dca("LCS", "l1", "l2", "FOO"), dca("LCS", "l1", "l2", "MINMATCHLEN"), dca("LCS", "l1", "l2", "MINMATCHLEN", "x"),
		dca("LCS", "l1", "nokey"), dca("LCS", "nokey", "nokey2", "IDX"), dca("LCS", "l1", "list"), dca("LCS", "l1"),
		dca("SET", "l3", "abcXdefYYghi"), dca("SET", "l4", "ZabcdefQghiabc"), dca("LCS", "l3", "l4", "IDX", "WITHMATCHLEN"),
		dca("LCS", "l4", "l3", "IDX"), dca("LCS", "l3", "l4"),
	})
}
