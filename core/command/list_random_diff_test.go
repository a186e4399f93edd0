//go:build !js

package command

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// randomListHashCommand draws one list or hash command from a small
// vocabulary of keys, elements and edge-case numbers, so that sequences
// collide often: pops that empty keys, wrong types, out-of-range indexes.
// Commands whose reply is random (HRANDFIELD) or that may block are left
// out. With long, some elements are past hash-max-listpack-value, so
// hashes turn into hashtables.
func randomListHashCommand(r *rand.Rand, long bool) []string {
	keys := []string{"l1", "l2", "h1", "h2", "s"}
	elems := []string{"a", "b", "c", "", "1", "-1", "10", "x y"}
	if long {
		elems = append(elems, strings.Repeat("v", 65), strings.Repeat("w", 300))
	}
	nums := []string{"0", "1", "2", "-1", "-2", "3", "-5", "100", "x", "1.5", "9223372036854775807", "-9223372036854775808"}
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	k := pick(keys)
	switch r.IntN(30) {
	case 0:
		return []string{"LPUSH", k, pick(elems), pick(elems)}
	case 1:
		return []string{"RPUSH", k, pick(elems)}
	case 2:
		return []string{pick([]string{"LPUSHX", "RPUSHX"}), k, pick(elems)}
	case 3:
		return []string{pick([]string{"LPOP", "RPOP"}), k}
	case 4:
		return []string{pick([]string{"LPOP", "RPOP"}), k, pick(nums)}
	case 5:
		return []string{"LRANGE", k, pick(nums), pick(nums)}
	case 6:
		return []string{"LINDEX", k, pick(nums)}
	case 7:
		return []string{"LSET", k, pick(nums), pick(elems)}
	case 8:
		return []string{"LREM", k, pick(nums), pick(elems)}
	case 9:
		return []string{"LTRIM", k, pick(nums), pick(nums)}
	case 10:
		return []string{"LINSERT", k, pick([]string{"BEFORE", "AFTER", "x"}), pick(elems), pick(elems)}
	case 11:
		cmd := []string{"LPOS", k, pick(elems)}
		for range r.IntN(3) {
			cmd = append(cmd, pick([]string{"RANK", "COUNT", "MAXLEN"}), pick(nums))
		}
		return cmd
	case 12:
		return []string{"RPOPLPUSH", k, pick(keys)}
	case 13:
		return []string{"LMOVE", k, pick(keys), pick([]string{"LEFT", "RIGHT"}), pick([]string{"LEFT", "RIGHT", "UP"})}
	case 14:
		cmd := []string{"LMPOP", pick([]string{"1", "2"}), k, pick(keys), pick([]string{"LEFT", "RIGHT"})}
		if r.IntN(2) == 0 {
			cmd = append(cmd, "COUNT", pick(nums))
		}
		return cmd
	case 15:
		return []string{"LLEN", k}
	case 16, 17:
		return []string{"HSET", k, pick(elems), pick(elems)}
	case 18:
		return []string{"HSETNX", k, pick(elems), pick(elems)}
	case 19:
		return []string{"HDEL", k, pick(elems), pick(elems)}
	case 20:
		return []string{"HGET", k, pick(elems)}
	case 21:
		return []string{"HMGET", k, pick(elems), pick(elems)}
	case 22:
		return []string{pick([]string{"HGETALL", "HKEYS", "HVALS", "HLEN"}), k}
	case 23:
		return []string{"HINCRBY", k, pick(elems), pick(nums)}
	case 24:
		return []string{"HINCRBYFLOAT", k, pick(elems), pick(append(nums, "0.1", "-0.3", "1e10", "inf"))}
	case 25:
		return []string{pick([]string{"HSTRLEN", "HEXISTS"}), k, pick(elems)}
	case 26:
		if long { // a hashtable's cursors depend on the server's hash seed
			return []string{"HLEN", k}
		}
		return []string{"HSCAN", k, "0", "MATCH", pick([]string{"*", "a*", "[0-9]*"})}
	case 27:
		return []string{"HRANDFIELD", k, pick([]string{"0", "100", "x"}), pick([]string{"WITHVALUES", "FOO"})}
	case 28:
		return []string{pick([]string{"TYPE", "EXISTS", "OBJECT"}), k}
	}
	return []string{"SET", "s", pick(elems)}
}

// TestListHashRandomDiff runs the same random sequence of list and hash
// commands against redis-server and here, requiring identical replies
// (whole-hash replies compared as sets where hashtables may occur).
func TestListHashRandomDiff(t *testing.T) {
	for _, long := range []bool{false, true} {
		r := rand.New(rand.NewPCG(7, 2026))
		var cases []diffCase
		for range 3000 {
			args := randomListHashCommand(r, long)
			c := diffCase{Args: args}
			switch args[0] {
			case "OBJECT":
				c.Args = []string{"OBJECT", "ENCODING", args[1]}
			case "HGETALL", "HKEYS", "HVALS":
				c.Unordered, c.Pairs = long, args[0] == "HGETALL"
			case "HRANDFIELD":
				c.Unordered, c.Pairs = long, args[3] == "WITHVALUES"
			}
			cases = append(cases, c)
		}
		runDiff(t, cases)
	}
}

// TestListHashNoPanic throws random arguments, of every arity, at every
// list and hash command: each must reply, never panic.
func TestListHashNoPanic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	h := newHarness(t)
	words := []string{"k", "l", "h", "0", "1", "-1", "2", "9223372036854775807", "-9223372036854775808",
		"LEFT", "RIGHT", "BEFORE", "AFTER", "COUNT", "RANK", "MAXLEN", "MATCH", "WITHVALUES", "x", "", "0.5", "inf", "nan"}
	var names []string
	for _, s := range All() {
		if s.Categories&(CatList|CatHash) != 0 {
			names = append(names, s.Name)
		}
	}
	h.Do("RPUSH", "l", "a", "b", "1")
	h.Do("HSET", "h", "a", "1", "b", "x")
	for range 20000 {
		name := names[r.IntN(len(names))]
		args := []string{strings.ToUpper(name)}
		for range r.IntN(8) {
			args = append(args, words[r.IntN(len(words))])
		}
		reply := h.Do(args...)
		if Lookup([]byte(name)).Flags&Blocking == 0 { // a blocking one may only record a Block
			require.NotEmpty(t, reply, "%q", args)
		}
		if r.IntN(50) == 0 {
			h.Do("RPUSH", "l", "a", "b", "1")
			h.Do("HSET", "h", "a", "1", "b", "x")
		}
	}
}
