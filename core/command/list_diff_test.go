//go:build !js

package command

import (
	"strings"
	"testing"
)

// listBig returns "RPUSH key p0 p1 ..." with n elements made by prefix.
func listBig(key, prefix string, n int) diffCase {
	return bigCase("RPUSH", key, n, func(i string) []string { return []string{prefix + i} })
}

func TestListDiffPushPop(t *testing.T) {
	runDiff(t, []diffCase{
		dc("LPUSH l a b c"), dc("RPUSH l d e"), dc("LRANGE l 0 -1"), dc("LLEN l"), dc("OBJECT ENCODING l"), dc("TYPE l"),
		dc("LPUSHX l x"), dc("RPUSHX l y z"), dc("LPUSHX nokey a"), dc("RPUSHX nokey a b"), dc("EXISTS nokey"),
		dc("LRANGE l 0 -1"), dca("RPUSH", "l", "", "with space", "123", "-0", "9223372036854775808"),
		dc("LRANGE l -5 -1"),
		dc("LPUSH"), dc("LPUSH l"), dc("RPUSH l"), dc("LPUSHX l"), dc("RPUSHX"),
		dc("SET str v"), dc("LPUSH str a"), dc("RPUSH str a"), dc("LPUSHX str a"), dc("RPUSHX str a"),
		dc("LPOP l"), dc("RPOP l"), dc("LPOP l 2"), dc("RPOP l 2"), dc("LPOP l 0"), dc("RPOP l 0"),
		dc("LPOP l -1"), dc("LPOP l x"), dc("RPOP l 1.5"), dc("LPOP l 1 2"), dc("RPOP l 1 2 3"), dc("LPOP"),
		dc("LPOP l 9223372036854775807"), dc("EXISTS l"), dc("LPOP l"), dc("RPOP l"), dc("LPOP l 0"),
		dc("LPOP nokey"), dc("RPOP nokey"), dc("LPOP nokey 3"), dc("RPOP nokey 0"), dc("LPOP nokey -1"),
		dc("LPOP str"), dc("RPOP str 2"), dc("LPOP str x"), dc("LLEN str"), dc("LLEN nokey"), dc("LLEN"),
		dc("RPUSH one 1"), dc("RPOP one 5"), dc("EXISTS one"),
		dc("RPUSH two a b"), dc("LPOP two 1"), dc("LPOP two"), dc("EXISTS two"),
		// Encodings: Redis 7.0 reports quicklist for every list, whatever
		// list-max-listpack-size allows.
		listBig("big", "e", 1000), dc("OBJECT ENCODING big"), dc("LLEN big"),
		dca("RPUSH", "long", strings.Repeat("x", 10000)), dc("OBJECT ENCODING long"), dc("LRANGE long 0 -1"),
		dca("LPUSH", "long", strings.Repeat("y", 70000)), dc("LLEN long"), dc("LINDEX long 0"), dc("STRLEN long"),
		dc("LPOP long"), dc("OBJECT ENCODING long"),
		dc("LPOP big 3"), dc("RPOP big 3"), dc("LRANGE big 0 2"), dc("LRANGE big -3 -1"), dc("LINDEX big 500"),
		dc("LPOP big 990"), dc("LRANGE big 0 -1"), dc("OBJECT ENCODING big"),
	})
}

func TestListDiffAccess(t *testing.T) {
	runDiff(t, []diffCase{
		dc("RPUSH l a b c d e f g"), dc("SET str v"),
		// LRANGE.
		dc("LRANGE l 0 -1"), dc("LRANGE l 1 3"), dc("LRANGE l -3 -1"), dc("LRANGE l -100 100"), dc("LRANGE l 5 2"),
		dc("LRANGE l 7 10"), dc("LRANGE l -1 -2"), dc("LRANGE l 0 0"), dc("LRANGE l -7 -7"), dc("LRANGE l -8 0"),
		dc("LRANGE l 6 6"), dc("LRANGE l 2 -100"),
		dc("LRANGE l -9223372036854775808 9223372036854775807"), dc("LRANGE l 9223372036854775807 -9223372036854775808"),
		dc("LRANGE l x 1"), dc("LRANGE l 0 y"), dc("LRANGE l 1.0 2"), dc("LRANGE l 9223372036854775808 1"),
		dc("LRANGE nokey 0 -1"), dc("LRANGE str 0 -1"), dc("LRANGE str x 1"), dc("LRANGE nokey x 1"), dc("LRANGE l 0"),
		// LINDEX.
		dc("LINDEX l 0"), dc("LINDEX l -1"), dc("LINDEX l 6"), dc("LINDEX l 7"), dc("LINDEX l -7"), dc("LINDEX l -8"),
		dc("LINDEX l x"), dc("LINDEX nokey x"), dc("LINDEX str x"), dc("LINDEX str 0"), dc("LINDEX nokey 0"),
		dc("LINDEX l 9223372036854775807"), dc("LINDEX l -9223372036854775808"), dc("LINDEX l"), dc("LINDEX l 1 2"),
		// LSET.
		dc("LSET l 0 A"), dc("LSET l -1 G"), dc("LSET l 3 D"), dc("LRANGE l 0 -1"), dc("LSET l 7 x"), dc("LSET l -8 x"),
		dc("LSET l x v"), dc("LSET nokey 0 v"), dc("LSET nokey x v"), dc("LSET str 0 v"), dc("LSET str x v"),
		dca("LSET", "l", "1", strings.Repeat("z", 5000)), dc("LINDEX l 1"), dca("LSET", "l", "1", ""), dc("LINDEX l 1"),
		dc("LSET l 0"),
		// LTRIM.
		dc("RPUSH t 0 1 2 3 4 5 6 7 8 9"), dc("LTRIM t 1 -2"), dc("LRANGE t 0 -1"), dc("LTRIM t -3 100"),
		dc("LRANGE t 0 -1"), dc("LTRIM t 0 -1"), dc("LRANGE t 0 -1"), dc("LTRIM t x 1"), dc("LTRIM t 0 y"),
		dc("LTRIM t 2 1"), dc("EXISTS t"), dc("LTRIM nokey 0 1"), dc("LTRIM str 0 1"), dc("LTRIM str x 1"),
		dc("RPUSH t a b c"), dc("LTRIM t 5 10"), dc("EXISTS t"), dc("RPUSH t a b c"), dc("LTRIM t -100 -4"), dc("EXISTS t"),
		dc("RPUSH t a b c"), dc("LTRIM t -9223372036854775808 9223372036854775807"), dc("LRANGE t 0 -1"),
		dc("LTRIM t 1 1"), dc("LRANGE t 0 -1"), dc("LTRIM t 0"),
		// LREM.
		dc("RPUSH r a b a c a b a"), dc("LREM r 2 a"), dc("LRANGE r 0 -1"), dc("LREM r -1 a"), dc("LRANGE r 0 -1"),
		dc("RPUSH r a a a"), dc("LREM r -2 a"), dc("LRANGE r 0 -1"), dc("LREM r 0 b"), dc("LRANGE r 0 -1"),
		dc("LREM r 0 zz"), dc("LREM r 1 zz"), dc("LREM r x a"), dc("LREM nokey 0 a"), dc("LREM nokey x a"),
		dc("LREM str 0 a"), dc("LREM r 0 a"), dc("LRANGE r 0 -1"), dc("LREM r -9223372036854775808 c"), dc("EXISTS r"),
		dc("RPUSH r x y x y x"), dc("LREM r 9223372036854775807 x"), dc("LRANGE r 0 -1"), dc("LREM r 1"),
		dca("RPUSH", "r2", "", "a", ""), dca("LREM", "r2", "0", ""), dc("LRANGE r2 0 -1"),
		// LINSERT.
		dc("RPUSH i a b c"), dc("LINSERT i BEFORE b x"), dc("LINSERT i after b y"), dc("LINSERT i Before a first"),
		dc("LINSERT i AFTER c last"), dc("LRANGE i 0 -1"), dc("LINSERT i BEFORE zz v"), dc("LINSERT i MIDDLE b v"),
		dc("LINSERT nokey BEFORE a b"), dc("LINSERT nokey MIDDLE a b"), dc("LINSERT str BEFORE a b"),
		dc("LINSERT str MIDDLE a b"), dc("EXISTS nokey"), dc("RPUSH i b"), dc("LINSERT i AFTER b dup"),
		dc("LRANGE i 0 -1"), dc("LINSERT i BEFORE b"), dc("LINSERT i BEFORE b x y"),
		listBig("ib", "", 300), dc("LINSERT ib BEFORE 150 mid"), dc("LINSERT ib AFTER 299 end"),
		dc("LINSERT ib BEFORE 0 start"), dc("LRANGE ib 148 153"), dc("LRANGE ib -2 -1"), dc("LRANGE ib 0 1"), dc("LLEN ib"),
	})
}

func TestListDiffLpos(t *testing.T) {
	runDiff(t, []diffCase{
		dc("RPUSH p a b c 1 2 3 c c"), dc("SET str v"),
		dc("LPOS p c"), dc("LPOS p zz"), dc("LPOS p c RANK 1"), dc("LPOS p c RANK 2"), dc("LPOS p c RANK 4"),
		dc("LPOS p c RANK -1"), dc("LPOS p c RANK -3"), dc("LPOS p c RANK -4"), dc("LPOS p c COUNT 0"),
		dc("LPOS p c COUNT 2"), dc("LPOS p c COUNT 10"), dc("LPOS p zz COUNT 2"), dc("LPOS p c RANK 2 COUNT 0"),
		dc("LPOS p c RANK -1 COUNT 2"), dc("LPOS p c RANK -2 COUNT 0"), dc("LPOS p c MAXLEN 3"), dc("LPOS p c MAXLEN 2"),
		dc("LPOS p c MAXLEN 7 COUNT 0"), dc("LPOS p c RANK -1 MAXLEN 1"), dc("LPOS p c RANK -1 MAXLEN 1 COUNT 0"),
		dc("LPOS p c MAXLEN 0"), dc("LPOS p 1 rank 1 count 1 maxlen 0"), dc("LPOS p c COUNT 1 COUNT 0"),
		dc("LPOS p c RANK 0"), dc("LPOS p c RANK x"), dc("LPOS p c RANK -9223372036854775808"),
		dc("LPOS p c RANK 9223372036854775807"), dc("LPOS p c RANK -9223372036854775807"),
		dc("LPOS p c RANK -9223372036854775808 COUNT 0"), dc("LPOS p c RANK -9223372036854775808 COUNT 2 MAXLEN 3"),
		dc("LPOS p c COUNT -1"), dc("LPOS p c COUNT x"), dc("LPOS p c MAXLEN -1"), dc("LPOS p c MAXLEN x"),
		dc("LPOS p c RANK"), dc("LPOS p c COUNT"), dc("LPOS p c MAXLEN"), dc("LPOS p c FOO 1"), dc("LPOS p c FOO"),
		dc("LPOS p c RANK 1 FOO"), dc("LPOS p"), dc("LPOS nokey c"), dc("LPOS nokey c COUNT 1"), dc("LPOS nokey c RANK 0"),
		dc("LPOS str c"), dc("LPOS str c COUNT 0"), dc("LPOS str c RANK 0"),
		dc("LPOS p c COUNT 9223372036854775807"), dc("LPOS p c MAXLEN 9223372036854775807"),
	})
}

func TestListDiffMove(t *testing.T) {
	runDiff(t, []diffCase{
		dc("RPUSH src a b c d"), dc("SET str v"),
		dc("RPOPLPUSH src dst"), dc("LRANGE src 0 -1"), dc("LRANGE dst 0 -1"), dc("RPOPLPUSH src src"),
		dc("LRANGE src 0 -1"), dc("RPOPLPUSH nokey dst"), dc("RPOPLPUSH str dst"), dc("RPOPLPUSH src str"),
		dc("RPOPLPUSH nokey str"), dc("LRANGE src 0 -1"), dc("RPOPLPUSH src"),
		dc("LMOVE src dst LEFT RIGHT"), dc("LMOVE src dst right left"), dc("LMOVE src dst Left Left"),
		dc("LMOVE dst src RIGHT RIGHT"), dc("LRANGE src 0 -1"), dc("LRANGE dst 0 -1"), dc("LMOVE src src LEFT RIGHT"),
		dc("LRANGE src 0 -1"), dc("LMOVE src dst UP LEFT"), dc("LMOVE src dst LEFT DOWN"), dc("LMOVE nokey dst UP LEFT"),
		dc("LMOVE nokey dst LEFT RIGHT"), dc("LMOVE str dst LEFT RIGHT"), dc("LMOVE src str LEFT RIGHT"),
		dc("LMOVE src dst LEFT"),
		dc("RPUSH single x"), dc("LMOVE single single LEFT RIGHT"), dc("LRANGE single 0 -1"),
		dc("LMOVE single other LEFT RIGHT"), dc("EXISTS single"), dc("LRANGE other 0 -1"),
		dc("RPOPLPUSH other other"), dc("LRANGE other 0 -1"),
		// LMPOP.
		dc("RPUSH m1 a b c d e"), dc("LMPOP 1 m1 LEFT"), dc("LMPOP 1 m1 RIGHT COUNT 2"), dc("LMPOP 2 nokey m1 LEFT COUNT 10"),
		dc("EXISTS m1"), dc("LMPOP 2 nokey m1 LEFT"), dc("LMPOP 1 str LEFT"), dc("LMPOP 2 nokey str LEFT"),
		dc("RPUSH m1 a"), dc("LMPOP 2 m1 str left"), dc("LMPOP 2 str m1 left"),
		dc("LMPOP 0 m1 LEFT"), dc("LMPOP -1 m1 LEFT"), dc("LMPOP x m1 LEFT"), dc("LMPOP 2 m1 LEFT"), dc("LMPOP 1 m1 UP"),
		dc("LMPOP 1 m1 LEFT COUNT 0"), dc("LMPOP 1 m1 LEFT COUNT -1"), dc("LMPOP 1 m1 LEFT COUNT x"),
		dc("LMPOP 1 m1 LEFT COUNT 1 COUNT 2"), dc("LMPOP 1 m1 LEFT COUNT"), dc("LMPOP 1 m1 LEFT FOO"), dc("LMPOP 1 m1"),
		dc("LMPOP 9223372036854775807 m1 LEFT"), dc("LMPOP 1"),
		// Blocking forms that find an element at once, and their errors.
		listBig("b1", "e", 60), dc("BLPOP nokey b1 0"), dc("BRPOP nokey b1 1.5"), dc("BLPOP b1 0.001"),
		dc("BLMOVE b1 bd LEFT RIGHT 0"), dc("BLMOVE b1 bd right LEFT 0"), dc("BRPOPLPUSH b1 bd 0"),
		dc("LRANGE bd 0 -1"), dc("BLMPOP 0 2 nokey b1 RIGHT COUNT 2"), dc("BLMPOP 0 1 b1 LEFT"), dc("LRANGE b1 0 -1"),
		dc("BLPOP str 0"), dc("BRPOP nokey str 0"), dc("BLMOVE str bd LEFT LEFT 0"), dc("BLMOVE b1 str LEFT LEFT 0"),
		dc("BRPOPLPUSH str bd 0"), dc("BRPOPLPUSH b1 str 0"), dc("BLMPOP 0 1 str LEFT"),
		dc("BLPOP b1 -1"), dc("BLPOP b1 x"), dc("BLPOP b1 inf"), dc("BLPOP b1 nan"), dc("BLPOP b1 1e300"),
		dc("BLPOP b1 -0.0001"), dc("BLPOP str -1"), dc("BLPOP b1"),
		dc("BLMOVE b1 bd UP LEFT 0"), dc("BLMOVE b1 bd LEFT UP x"), dc("BLMOVE b1 bd LEFT LEFT x"),
		dc("BLMOVE b1 bd LEFT LEFT -1"), dc("BLMOVE str bd UP LEFT 0"), dc("BLMOVE b1 bd LEFT LEFT"),
		dc("BRPOPLPUSH b1 bd x"), dc("BRPOPLPUSH b1 bd -1"), dc("BRPOPLPUSH str bd x"),
		dc("BLMPOP 0 0 b1 LEFT"), dc("BLMPOP x 1 b1 LEFT"), dc("BLMPOP -1 1 b1 LEFT"), dc("BLMPOP 0 1 b1 UP"),
		dc("BLMPOP 0 1 b1 LEFT COUNT 0"), dc("BLMPOP x 1 b1 LEFT COUNT 0"), dc("BLMPOP 0 2 b1 LEFT"),
		dc("BLMPOP 0 1 b1"), dc("BLMPOP 0 1 b1 RIGHT COUNT 100"), dc("EXISTS b1"),
	})
}
