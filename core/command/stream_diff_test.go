//go:build !js

package command

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// streamFill returns XADD cases adding n entries to key with IDs ms-0 from
// ms0 on, fields made to vary in shape every so often (so some entries share
// the node's master fields and some do not).
func streamFill(key string, ms0, n int) []diffCase {
	var cs []diffCase
	for i := range n {
		args := []string{"XADD", key, strconv.Itoa(ms0+i) + "-0"}
		switch i % 7 {
		case 3:
			args = append(args, "other", strconv.Itoa(i))
		case 5:
			args = append(args, "a", strings.Repeat("v", i), "b", "-"+strconv.Itoa(i*1000))
		default:
			args = append(args, "a", strconv.Itoa(i), "b", "x"+strconv.Itoa(i))
		}
		cs = append(cs, diffCase{Args: args})
	}
	return cs
}

func TestStreamDiffBasic(t *testing.T) {
	cases := []diffCase{
		dc("XADD s 1-1 a 1 b 2"), dc("XADD s 1-* a 3 b 4"), dc("XADD s 2 c 5"), dc("XADD s 0-1 a 1"),
		dc("XADD s 0-0 a 1"), dc("XADD s 0-* a 1"), dc("XADD s 1-1 a"), dc("XADD s"), dc("XADD s 5"),
		dc("XADD s MAXLEN 2 5-5 x y"), dc("XRANGE s - +"), dc("XREVRANGE s + - COUNT 1"),
		dc("XRANGE s (1-1 +"), dc("XRANGE s - (5-5"), dc("XRANGE s (- +"), dc("XRANGE s - (+"),
		dc("XRANGE s (18446744073709551615-18446744073709551615 +"), dc("XRANGE s - (0-0"),
		dc("XRANGE s - + COUNT 0"), dc("XRANGE s - + COUNT -1"), dc("XRANGE s a b"), dc("XRANGE s - + COUNT"),
		dc("XRANGE s - + COUNT 1 foo"), dc("XRANGE nokey - +"), dc("XLEN s"), dc("XLEN nokey"),
		dc("XDEL s 2-0 9-9"), dc("XDEL s abc"), dc("XDEL nokey 1"), dc("XTRIM s MAXLEN 0"), dc("XLEN s"),
		dc("TYPE s"), dc("OBJECT ENCODING s"), dc("EXISTS s"), dc("DUMP s"),
		dc("XADD s NOMKSTREAM 7 a b"), dc("XADD nokey NOMKSTREAM 7 a b"), dc("EXISTS nokey"),
		dc("XADD s MINID ~ 0 LIMIT 10 8 a b"), dc("XADD s MINID 0 LIMIT 10 9 a b"), dc("XADD s LIMIT 10 10 a b"),
		dc("XADD s MAXLEN 1 MINID 2 10 a b"), dc("XADD s MAXLEN -1 10 a b"), dc("XADD s MAXLEN x 10 a b"),
		dc("XADD s LIMIT -1 10 a b"), dc("XTRIM s"), dc("XTRIM s foo"), dc("XTRIM s MAXLEN"), dc("XTRIM s MINID -"),
		dca("XADD", "s", "7- 1", "a", "1"), dca("XADD", "s", " 8", "a", "1"), dca("XADD", "s", "+9", "a", "1"),
		dca("XADD", "s", "10- -3", "a", "1"), dc("XADD s -5 a 1"), dc("XADD s 11-1-1 a 1"), dc("XRANGE s - +"),
		dc("XADD s 18446744073709551615-18446744073709551615 a b"), dc("XADD s 5 a b"),
		dc("XADD s 18446744073709551615-* a b"), dc("XADD s * a b"),
		dc("XREAD STREAMS s 0"), dc("XREAD COUNT 1 STREAMS s s 0 0"), dc("XREAD STREAMS s $"), dc("XREAD STREAMS s"),
		dc("XREAD STREAMS nokey 0"), dc("XREAD BLOCK -1 STREAMS s 0"), dc("XREAD BLOCK x STREAMS s 0"),
		dc("XREAD GROUP a b STREAMS s 0"), dc("XREAD NOACK STREAMS s 0"), dc("XREAD STREAMS s >"), dc("XREAD COUNT x STREAMS s 0"),
		dc("SET str x"), dc("XADD str 1 a b"), dc("XRANGE str - +"), dc("XREAD STREAMS str 0"), dc("XLEN str"),
		dc("XDEL str 1"), dc("XTRIM str MAXLEN 1"),
	}
	// Many entries: several nodes, trimming exactly and approximately, by
	// length and by ID, with deletions in between.
	cases = append(cases, streamFill("big", 1000, 350)...)
	cases = append(cases, dc("XINFO STREAM big"))
	// Node keys far apart and close together shape Redis's radix tree.
	cases = append(cases, dc("XADD rax 1-1 a 1"), dc("XINFO STREAM rax"), dc("XADD rax 256-0 a 1"), dc("XADD rax 257-3 a 1"),
		dc("XADD rax 4294967296-0 a 1"), dc("XADD rax 4294967296-1 a 1"), dc("XADD rax 4294967296-65536 a 1"))
	for i := range 202 {
		cases = append(cases, dca("XADD", "rax", "4294967297-"+strconv.Itoa(i*3), "a", "1"))
	}
	cases = append(cases, dc("XINFO STREAM rax"), dc("XDEL rax 256-0"), dc("XINFO STREAM rax"), dc("XTRIM rax MAXLEN ~ 150"),
		dc("XINFO STREAM rax"), dc("XTRIM rax MAXLEN 10"), dc("XINFO STREAM rax"), dc("XINFO STREAM rax FULL COUNT 3"))
	cases = append(cases,
		dc("XLEN big"), dc("DUMP big"), dc("XRANGE big 1100 1105"), dc("XREVRANGE big 1205 1199 COUNT 3"),
		dc("XDEL big 1000-0 1001-0 1150-0 1150-0 1299-0"), dc("XLEN big"), dc("DUMP big"),
		dc("XRANGE big - + COUNT 3"), dc("XREVRANGE big + - COUNT 3"), dc("XRANGE big 1149 1151"),
		dc("XTRIM big MAXLEN ~ 300"), dc("XLEN big"), dc("XTRIM big MAXLEN 290"), dc("XLEN big"), dc("DUMP big"),
		dc("XTRIM big MINID ~ 1200"), dc("XTRIM big MINID 1210-0"), dc("XRANGE big - + COUNT 2"), dc("DUMP big"),
		dc("XTRIM big MAXLEN ~ 0 LIMIT 100"), dc("XLEN big"), dc("XADD big MAXLEN ~ 10 LIMIT 1 2000 a b"), dc("XLEN big"),
		dc("XTRIM big MAXLEN = 5"), dc("XRANGE big - +"), dc("DUMP big"),
		dc("XREAD COUNT 2 STREAMS big 0-0"), dc("XREAD STREAMS big 1346-0"), dc("XINFO STREAM big"),
		dc("XADD del 1 a 1"), dc("XADD del 2 a 2"), dc("XDEL del 1 2"), dc("XLEN del"), dc("EXISTS del"), dc("DUMP del"),
		dc("XADD del 3 a 3"), dc("DUMP del"),
	)
	runDiff(t, cases)
}

// TestStreamDiffRestore moves DUMP payloads both ways: a stream dumped by
// redis-server is restored here and reads and dumps back the same; the
// differential run above already checks that syncscope's DUMP bytes are
// Redis's, which redis-server then restores.
func TestStreamDiffRestore(t *testing.T) {
	s := startStreamRestore(t, 250)
	s.Redis("XDEL", "s", "5-0", "120-0")
	s.Redis("XTRIM", "s", "MAXLEN", "230")
	payload := bulkPayload(t, s.Redis("DUMP", "s"))
	require.Equal(t, "+OK\r\n", s.h.Do("RESTORE", "s", "0", payload))
	s.Do("XRANGE", "s", "-", "+")
	s.Do("XLEN", "s")
	s.Do("DUMP", "s")
	// And back: what syncscope dumps after more changes restores in Redis.
	s.h.Do("XADD", "s", "900-0", "k", "v")
	s.h.Do("XDEL", "s", "200-0")
	mine := bulkPayload(t, s.h.Do("DUMP", "s"))
	require.Equal(t, "+OK\r\n", s.Redis("RESTORE", "t", "0", mine))
	require.Equal(t, s.h.Do("XRANGE", "s", "-", "+"), s.Redis("XRANGE", "t", "-", "+"))
	require.Equal(t, s.h.Do("DUMP", "s"), s.Redis("DUMP", "t"))
}

// startStreamRestore starts redis-server and the harness side by side and
// fills stream s on redis-server alone with n entries (streamFill), for the
// tests that move s by DUMP/RESTORE.
func startStreamRestore(t *testing.T, n int) *sideBySide {
	s := startSideBySide(t)
	for _, c := range streamFill("s", 1, n) {
		s.Redis(c.Args...)
	}
	return s
}

func TestStreamDiffGroups(t *testing.T) {
	cases := streamFill("s", 1, 30)
	cases = append(cases,
		dc("XGROUP CREATE s g 0"), dc("XGROUP CREATE s g 0"), dc("XGROUP CREATE nokey g $"),
		dc("XGROUP CREATE nokey g $ MKSTREAM"), dc("XLEN nokey"), dc("DUMP nokey"), dc("XGROUP CREATE s g2 $ ENTRIESREAD 30"),
		dc("XGROUP CREATE s g3 5 ENTRIESREAD -2"), dc("XGROUP CREATE s g3 5 ENTRIESREAD x"), dc("XGROUP CREATE s g3 5 FOO"),
		dc("XGROUP CREATE s g3 5 MKSTREAM ENTRIESREAD 1 MKSTREAM"), dc("XGROUP CREATE s"), dc("XGROUP FOO s g"),
		dc("XGROUP HELP"), dc("XGROUP HELP x"), dc("XGROUP DESTROY s g3"), dc("XGROUP DESTROY s nog"),
		dc("XGROUP SETID s nog 0"), dc("XGROUP SETID s g2 $"), dc("XGROUP SETID s g2 3 ENTRIESREAD 3"),
		dc("XGROUP SETID s g2 3 ENTRIESREAD"), dc("XGROUP SETID s g2 -"), dc("XINFO GROUPS s"),
		dc("XREADGROUP GROUP g alice COUNT 3 STREAMS s >"), dc("XREADGROUP GROUP g bob COUNT 2 STREAMS s >"),
		dc("XREADGROUP GROUP g alice STREAMS s 0"), dc("XREADGROUP GROUP g alice COUNT 1 STREAMS s 2"),
		dc("XREADGROUP GROUP g carol NOACK COUNT 2 STREAMS s >"), dc("XREADGROUP GROUP nog alice STREAMS s >"),
		dc("XREADGROUP GROUP g alice STREAMS s $"), dc("XREADGROUP STREAMS s >"), dc("XREADGROUP GROUP g alice STREAMS nokey2 >"),
		dc("XPENDING s g"), dc("XPENDING s nog"), dc("XPENDING s g - + 0"),
		dc("XPENDING s g - + 10 nobody"), dc("XPENDING s g IDLE 0 - +"), dc("XPENDING s g x + 10"), dc("XPENDING s g - + x"),
		dc("XACK s g 1 2 99"), dc("XACK s g 1"), dc("XACK s nog 1"), dc("XACK s g x"), dc("XPENDING s g"),
		dc("XCLAIM s g dave 0 3 4 JUSTID"), dc("XCLAIM s g dave 0 3 JUSTID FORCE RETRYCOUNT 5"),
		dc("XCLAIM s g dave 0 20 FORCE JUSTID"), dc("XCLAIM s g dave 0 21 FOO"), dc("XCLAIM s g dave x 21"),
		dc("XCLAIM s g dave 0 21 IDLE x"), dc("XCLAIM s nog dave 0 1"), dc("XCLAIM s g dave 0 3 LASTID 29"), dc("XINFO GROUPS s"),
		dc("XAUTOCLAIM s g erin 0 0 COUNT 2 JUSTID"), dc("XAUTOCLAIM s g erin 0 (4 JUSTID"), dc("XAUTOCLAIM s g erin 0 0 COUNT 0"),
		dc("XAUTOCLAIM s g erin x 0"), dc("XAUTOCLAIM s nog erin 0 0"), dc("XAUTOCLAIM s g erin 0 0 FOO"),
		dc("XDEL s 4-0"), dc("XAUTOCLAIM s g erin 0 0 JUSTID"), dc("XREADGROUP GROUP g erin STREAMS s 0"),
		dc("XGROUP CREATECONSUMER s g frank"), dc("XGROUP CREATECONSUMER s g frank"), dc("XGROUP DELCONSUMER s g erin"),
		dc("XGROUP DELCONSUMER s g nobody"), dc("XGROUP CREATECONSUMER s nog x"), dc("XPENDING s g"),
		dc("XINFO GROUPS s"), dc("XINFO GROUPS nokey3"), dc("XINFO CONSUMERS s nog"), dc("XINFO STREAM s"), dc("XINFO STREAM s FOO"),
		dc("XINFO STREAM s FULL COUNT"), dc("XINFO STREAM s FULL COUNT x"), dc("XINFO HELP"), dc("XINFO FOO s"), dc("XINFO"),
		dc("XINFO STREAM nokey"), dc("XINFO STREAM nokey FULL"),
		dc("XSETID s 1"), dc("XSETID s 100 ENTRIESADDED 1"), dc("XSETID s 100 MAXDELETEDID 200"), dc("XSETID s 100 ENTRIESADDED -1"),
		dc("XSETID s 100 ENTRIESADDED 50 MAXDELETEDID 5"), dc("XSETID nokey3 5"), dc("XSETID s 100 FOO"), dc("XINFO STREAM s"),
		dc("XADD e 1 a b"), dc("XDEL e 1"), dc("XGROUP CREATE e g 0"), dc("XGROUP SETID e g 0 ENTRIESREAD 0"), dc("DUMP e"),
		dc("XINFO STREAM e"), dc("XINFO STREAM e FULL"), dc("XINFO GROUPS e"),
		dc("SET str v"), dc("XGROUP CREATE str g 0"), dc("XINFO STREAM str"), dc("XACK str g 1"), dc("XPENDING str g"),
		dc("XCLAIM str g c 0 1"), dc("XAUTOCLAIM str g c 0 0"), dc("XSETID str 1"), dc("XREADGROUP GROUP g c STREAMS str >"),
	)
	runDiff(t, cases)
}

// A stream with consumer groups and pending entries dumped by redis-server
// restores here and dumps back byte for byte, delivery times included.
func TestStreamDiffRestoreGroups(t *testing.T) {
	s := startStreamRestore(t, 120)
	s.Redis("XGROUP", "CREATE", "s", "g", "0")
	s.Redis("XGROUP", "CREATE", "s", "1", "$")
	s.Redis("XREADGROUP", "GROUP", "g", "alice", "COUNT", "10", "STREAMS", "s", ">")
	s.Redis("XREADGROUP", "GROUP", "g", "7", "COUNT", "5", "STREAMS", "s", ">")
	s.Redis("XREADGROUP", "GROUP", "g", "bob", "NOACK", "COUNT", "5", "STREAMS", "s", ">")
	s.Redis("XGROUP", "CREATECONSUMER", "s", "1", "x")
	s.Redis("XDEL", "s", "3-0")
	payload := bulkPayload(t, s.Redis("DUMP", "s"))
	require.Equal(t, "+OK\r\n", s.h.Do("RESTORE", "s", "0", payload))
	s.Do("DUMP", "s")
	s.Do("XINFO", "GROUPS", "s")
	s.Do("XPENDING", "s", "g")
	s.Do("XINFO", "STREAM", "s", "FULL")
	mine := bulkPayload(t, s.h.Do("DUMP", "s"))
	require.Equal(t, "+OK\r\n", s.Redis("RESTORE", "t", "0", mine))
	require.Equal(t, s.Redis("DUMP", "s"), s.Redis("DUMP", "t"))
}
