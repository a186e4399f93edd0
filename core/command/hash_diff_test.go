//go:build !js

package command

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// hashBig returns "HSET key p0 v0 p1 v1 ..." with n fields made by prefix.
func hashBig(key, prefix string, n int) diffCase {
	return bigCase("HSET", key, n, func(i string) []string { return []string{prefix + i, "v" + i} })
}

func TestHashDiffWrite(t *testing.T) {
	long := strings.Repeat("x", 65)
	runDiff(t, []diffCase{
		dc("HSET h a 1 b 2 c 3"), dc("HSET h a 10 d 4"), dc("HGETALL h"), dc("HLEN h"), dc("OBJECT ENCODING h"), dc("TYPE h"),
		dc("HMSET h e 5 a 11"), dc("HGETALL h"), dc("HKEYS h"), dc("HVALS h"), dca("HSET", "h", "", ""), dc("HGETALL h"),
		dc("HSET h a"), dc("HSET h a 1 b"), dc("HMSET h a"), dc("HMSET h a 1 b"), dc("HSET h"), dc("HSET"), dc("HMSET h"),
		dc("SET str v"), dc("HSET str a 1"), dc("HMSET str a 1"), dc("HSETNX str a 1"), dc("HSET str a"),
		dc("HSETNX h a 100"), dc("HSETNX h new 100"), dc("HGET h new"), dc("HSETNX nokey2 f v"), dc("HGETALL nokey2"),
		dc("HSETNX h a"), dc("HSETNX h a b c"),
		// HDEL.
		dc("HDEL h a b zz"), dc("HDEL h zz"), dc("HGETALL h"), dc("HDEL nokey a"), dc("HDEL str a"), dc("HDEL h"),
		dc("HSET gone a 1 b 2"), dc("HDEL gone a b c"), dc("EXISTS gone"), dc("HSET gone a 1"), dc("HDEL gone a a"),
		dc("EXISTS gone"),
		// Listpack order survives replacing and deleting fields.
		dc("HSET o z 1 y 2 x 3 w 4"), dc("HSET o y 20"), dc("HDEL o x"), dc("HSET o x 30"), dc("HGETALL o"),
		dc("HKEYS o"), dc("HVALS o"),
		// Encodings: by value size (either side of 64 bytes), by entry
		// count (512), one way.
		dca("HSET", "e1", "f", strings.Repeat("v", 64)), dc("OBJECT ENCODING e1"),
		dca("HSET", "e2", "f", long), dc("OBJECT ENCODING e2"), dc("HDEL e2 f"), dc("EXISTS e2"),
		dca("HSET", "e3", long, "v"), dc("OBJECT ENCODING e3"),
		dca("HSET", "e4", "a", "1", "b", long), dc("OBJECT ENCODING e4"), dc("HDEL e4 b"), dc("OBJECT ENCODING e4"),
		dca("HSETNX", "e5", long, "v"), dc("OBJECT ENCODING e5"),
		dca("HMSET", "e6", "f", long), dc("OBJECT ENCODING e6"),
		dc("HSET e7 a 1"), dca("HSETNX", "e7", "a", long), dc("OBJECT ENCODING e7"),
		dc("HINCRBY e8 f 1"), dc("OBJECT ENCODING e8"), dca("HINCRBY", "e8", long, "1"), dc("OBJECT ENCODING e8"),
		dca("HINCRBYFLOAT", "e9", long, "1.5"), dc("OBJECT ENCODING e9"),
		dc("HSET e10 f 1"), dc("HINCRBYFLOAT e10 f 1e70"), dc("OBJECT ENCODING e10"), dc("HGET e10 f"),
		hashBig("big", "f", 512), dc("OBJECT ENCODING big"), dc("HLEN big"), dc("HSET big f0 new"), dc("OBJECT ENCODING big"),
		dc("HSET big f512 v"), dc("OBJECT ENCODING big"), dc("HDEL big f512 f511 f510"), dc("OBJECT ENCODING big"),
		dc("HLEN big"), dc("HGET big f100"), dc("HMGET big f0 f1 nope f509"), dc("HSTRLEN big f0"), dc("HEXISTS big f3"),
		dcu("HKEYS big"), dcu("HVALS big"), diffCase{Args: []string{"HGETALL", "big"}, Unordered: true, Pairs: true},
		// Large values.
		dca("HSET", "lv", "f", strings.Repeat("L", 100000)), dc("HSTRLEN lv f"), dc("HGET lv f"), dc("OBJECT ENCODING lv"),
		// HINCRBY.
		dc("HINCRBY n f 5"), dc("HINCRBY n f -3"), dc("HINCRBY n f 0"), dc("HGET n f"), dc("HINCRBY n f x"),
		dc("HINCRBY n f 1.5"), dc("HINCRBY n f 9223372036854775808"), dc("HINCRBY n f 9223372036854775805"),
		dc("HINCRBY n f 1"), dc("HINCRBY n f -1"), dc("HSET n m -9223372036854775807"), dc("HINCRBY n m -1"),
		dc("HINCRBY n m -1"), dc("HINCRBY n m 9223372036854775807"), dc("HGET n m"),
		dc("HSET n s abc"), dc("HINCRBY n s 1"), dc("HSET n sp 01"), dc("HINCRBY n sp 1"), dca("HSET", "n", "sp", " 1"),
		dc("HINCRBY n sp 1"), dc("HSET n fl 1.5"), dc("HINCRBY n fl 1"), dc("HINCRBY str f 1"), dc("HINCRBY str f x"),
		dc("HINCRBY nokey f x"), dc("EXISTS nokey"), dc("HINCRBY n f"), dc("HINCRBY n f 1 2"),
		// HINCRBYFLOAT.
		dc("HINCRBYFLOAT fl f 1.5"), dc("HINCRBYFLOAT fl f 0.1"), dc("HINCRBYFLOAT fl f -1.6"), dc("HGET fl f"),
		dc("HINCRBYFLOAT fl f 1e3"), dc("HINCRBYFLOAT fl f 5.0e3"), dc("HINCRBYFLOAT fl f 0x10"),
		dc("HINCRBYFLOAT fl g 3.0"), dc("HINCRBYFLOAT fl g 1e-20"), dc("HINCRBYFLOAT fl h -0"),
		dc("HINCRBYFLOAT fl f x"), dc("HINCRBYFLOAT fl f nan"), dc("HINCRBYFLOAT fl f inf"), dc("HINCRBYFLOAT fl f -inf"),
		dc("HINCRBYFLOAT fl f +Infinity"), dc("HINCRBYFLOAT fl f 1e5000"), dca("HINCRBYFLOAT", "fl", "f", " 1"),
		dca("HINCRBYFLOAT", "fl", "f", "1 "), dca("HINCRBYFLOAT", "fl", "f", ""),
		dc("HSET fl s abc"), dc("HINCRBYFLOAT fl s 1"), dca("HSET", "fl", "e", ""), dc("HINCRBYFLOAT fl e 1"),
		dc("HINCRBY fl e 1"), dc("HSET fl i inf"), dc("HINCRBYFLOAT fl i 1"),
		dc("HSET fl big 1e4932"), dc("HINCRBYFLOAT fl big 1e4932"), dc("HSET fl big 1.18e4932"),
		dc("HINCRBYFLOAT fl big 1.18e4932"), dc("HINCRBYFLOAT fl big 1"), dc("HGET fl big"),
		dc("HSET fl int 10"), dc("HINCRBYFLOAT fl int 0.5"), dc("HINCRBYFLOAT fl int -10.5"), dc("HGET fl int"),
		dc("HINCRBYFLOAT str f 1"), dc("HINCRBYFLOAT str f x"), dc("HINCRBYFLOAT nokey f nan"), dc("EXISTS nokey"),
		dc("HINCRBYFLOAT fl f"),
	})
}

func TestHashDiffRead(t *testing.T) {
	runDiff(t, []diffCase{
		dc("HSET h a 1 b 22 c 333"), dca("HSET", "h", "empty", ""), dc("SET str v"),
		dc("HGET h a"), dc("HGET h zz"), dc("HGET nokey a"), dc("HGET str a"), dc("HGET h"), dc("HGET h a b"),
		dc("HMGET h a zz c"), dc("HMGET nokey a b"), dc("HMGET str a"), dc("HMGET h"), dc("HMGET h empty"),
		dc("HEXISTS h a"), dc("HEXISTS h zz"), dc("HEXISTS nokey a"), dc("HEXISTS str a"), dc("HEXISTS h"),
		dc("HLEN h"), dc("HLEN nokey"), dc("HLEN str"), dc("HLEN"), dc("HLEN h x"),
		dc("HSTRLEN h c"), dc("HSTRLEN h empty"), dc("HSTRLEN h zz"), dc("HSTRLEN nokey a"), dc("HSTRLEN str a"),
		dc("HSTRLEN h"), dc("HSET h num -12345"), dc("HSTRLEN h num"),
		dc("HKEYS h"), dc("HVALS h"), dc("HGETALL h"), dc("HKEYS nokey"), dc("HVALS nokey"), dc("HGETALL nokey"),
		dc("HKEYS str"), dc("HVALS str"), dc("HGETALL str"), dc("HKEYS"), dc("HGETALL h x"),
		// HRANDFIELD: the deterministic cases.
		dc("HRANDFIELD nokey"), dc("HRANDFIELD nokey 3"), dc("HRANDFIELD nokey -3 WITHVALUES"), dc("HRANDFIELD str"),
		dc("HRANDFIELD str 3"), dc("HRANDFIELD h 0"), dc("HRANDFIELD h 0 WITHVALUES"), dc("HRANDFIELD h 5"),
		dc("HRANDFIELD h 100 WITHVALUES"), dc("HRANDFIELD h 5 withvalues"), dc("HRANDFIELD h x"), dc("HRANDFIELD h 1.5"),
		dc("HRANDFIELD h 1 FOO"), dc("HRANDFIELD h 1 WITHVALUES x"), dc("HRANDFIELD h x WITHVALUES"),
		dc("HRANDFIELD h -9223372036854775808"), dc("HRANDFIELD h -9223372036854775808 WITHVALUES"),
		dc("HRANDFIELD h -4611686018427387904 WITHVALUES"), dc("HRANDFIELD nokey -4611686018427387904 WITHVALUES"),
		dc("HRANDFIELD str -4611686018427387904 WITHVALUES"), dc("HRANDFIELD h 9223372036854775807 WITHVALUES"),
		dc("HRANDFIELD nokey 9223372036854775807"), dc("HRANDFIELD h 9223372036854775808"), dc("HRANDFIELD str x"),
		dc("HRANDFIELD"),
		dc("HSET one only val"), dc("HRANDFIELD one"), dc("HRANDFIELD one -3"), dc("HRANDFIELD one -3 WITHVALUES"),
		dc("HRANDFIELD one 1"), dc("HRANDFIELD one 1 WITHVALUES"),
		// HSCAN: a listpack comes back whole, a hashtable by cursor.
		dc("HSCAN h 0"), dc("HSCAN h 0 COUNT 1"), dc("HSCAN h 0 MATCH [ab]"), dc("HSCAN h 0 MATCH *m* COUNT 100"),
		dc("HSCAN h 42"), dc("HSCAN nokey 0"), dc("HSCAN str 0"), dc("HSCAN h x"), dc("HSCAN h -1"),
		dc("HSCAN h 0 COUNT 0"), dc("HSCAN h 0 COUNT x"), dc("HSCAN h 0 MATCH"), dc("HSCAN h 0 FOO bar"),
		dc("HSCAN nokey x"), dc("HSCAN str x"), dc("HSCAN h"),
		hashBig("big", "f", 600),
		diffCase{Args: []string{"HRANDFIELD", "big", "600"}, Unordered: true},
		diffCase{Args: []string{"HRANDFIELD", "big", "1000", "WITHVALUES"}, Unordered: true, Pairs: true},
	})
}

// TestHashDiffScanHashtable walks a hashtable-encoded hash with HSCAN on
// both servers until the cursor returns to 0 and compares what was seen:
// the cursors themselves depend on each server's hashing.
func TestHashDiffScanHashtable(t *testing.T) {
	s := startSideBySide(t)
	s.Do(hashBig("big", "f", 600).Args...)
	for _, opts := range [][]string{{"COUNT", "7"}, {"MATCH", "f5?"}, {"COUNT", "100", "MATCH", "*9"}, nil} {
		walk := func(do func(argv [][]byte) string) []string {
			var seen []string
			cursor := "0"
			for range 10000 {
				args := [][]byte{[]byte("HSCAN"), []byte("big"), []byte(cursor)}
				for _, o := range opts {
					args = append(args, []byte(o))
				}
				v, _, err := resp.ReadValue([]byte(do(args)))
				require.NoError(t, err)
				require.Len(t, v.Elems, 2)
				for i := 0; i+1 < len(v.Elems[1].Elems); i += 2 {
					seen = append(seen, string(v.Elems[1].Elems[i].Str)+"="+string(v.Elems[1].Elems[i+1].Str))
				}
				if cursor = string(v.Elems[0].Str); cursor == "0" {
					break
				}
			}
			require.Equal(t, "0", cursor, "scan did not finish")
			sort.Strings(seen)
			return slices.Compact(seen)
		}
		want := walk(func(argv [][]byte) string { return s.rr.Do(t, argv...) })
		got := walk(s.h.DoBytes)
		require.NotEmpty(t, want)
		require.Equal(t, want, got, "HSCAN options %q", opts)
	}
}

// TestListHashDiffResp3 compares the RESP3 shapes (maps, nulls, nested
// pairs) with redis-server after HELLO 3.
func TestListHashDiffResp3(t *testing.T) {
	runResp3Diff(t, []diffCase{
		dc("HSET h a 1 b 2"), dc("RPUSH l a b c"), dc("SET str v"),
		dc("HGETALL h"), dc("HGETALL nokey"), dc("HKEYS h"), dc("HVALS nokey"), dc("HGET h zz"), dc("HGET nokey a"),
		dc("HMGET h a zz"), dc("HMGET nokey a"), dc("HRANDFIELD nokey"), dc("HRANDFIELD nokey 2"),
		dc("HRANDFIELD h 5 WITHVALUES"), dc("HRANDFIELD h 5"), dc("HRANDFIELD h 0 WITHVALUES"), dc("HSET one f v"),
		dc("HRANDFIELD one -2 WITHVALUES"), dc("HRANDFIELD one 1 WITHVALUES"), dc("HSCAN h 0"), dc("HSCAN nokey 0"),
		dc("HINCRBYFLOAT h f 1.5"), dc("HINCRBY h n 2"), dc("HSTRLEN h a"),
		dc("LPOP nokey"), dc("LPOP nokey 2"), dc("RPOP l 0"), dc("LPOP l 2"), dc("LINDEX l 5"), dc("LINDEX nokey 0"),
		dc("LRANGE l 0 -1"), dc("LRANGE nokey 0 -1"), dc("LPOS l zz"), dc("LPOS l zz COUNT 0"), dc("LPOS nokey a COUNT 1"),
		dc("LMPOP 1 nokey LEFT"), dc("RPUSH l x y z"), dc("LMPOP 1 l RIGHT COUNT 2"), dc("BLPOP l 0"),
		dc("BLMPOP 0 1 l LEFT"), dc("RPOPLPUSH nokey d"), dc("LMOVE nokey d LEFT LEFT"), dc("RPUSH l q"),
		dc("BLMOVE l d LEFT RIGHT 0"), dc("LRANGE d 0 -1"),
	})
}
