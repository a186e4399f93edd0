package command

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/store"
)

// propCase is a sequence of commands and what they must replicate; an
// argument written as two single quotes is an empty one.
type propCase struct {
	name string
	cmds []string
	want []string
}

// runPropCases runs each case's commands on a new harness at testNow and
// requires what it propagated.
func runPropCases(t *testing.T, cases []propCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.now = testNow
			for _, cmd := range c.cmds {
				args := splitArgs(cmd)
				for i, a := range args {
					if a == "''" {
						args[i] = ""
					}
				}
				h.Do(args...)
			}
			assert.Equal(t, c.want, propStrings(h, 0))
		})
	}
}

// TestListPropagation checks what the list commands replicate, as seen on
// a real redis-server 7.0.15 replica link (SYNC) for the same commands.
func TestListPropagation(t *testing.T) {
	runPropCases(t, []propCase{
		{"pushes as is", []string{"rpush src a b c", "lpush src x", "lpushx src y", "rpushx nokey z", "lpushx nokey z"},
			[]string{"rpush src a b c", "lpush src x", "lpushx src y"}},
		{"pops as is, empty pops nothing", []string{"rpush d a b c", "rpop d 0", "lpop d 0", "lpop nokey 2", "lpop nokey",
			"lpop d", "rpop d 5", "lpop d"},
			[]string{"rpush d a b c", "lpop d", "rpop d 5"}},
		{"BLPOP and BRPOP served at once become LPOP and RPOP", []string{"rpush src a b c d e f", "blpop nokey src 0",
			"BRPOP src 0"}, []string{"rpush src a b c d e f", "LPOP src", "RPOP src"}},
		{"BLMOVE keeps the client's directions", []string{"rpush src a b c", "blmove src dst Left RIGHT 0",
			"BLMOVE src dst right left 0"},
			[]string{"rpush src a b c", "LMOVE src dst Left RIGHT", "LMOVE src dst right left"}},
		{"BRPOPLPUSH becomes RPOPLPUSH", []string{"rpush src a", "brpoplpush src dst 0"},
			[]string{"rpush src a", "RPOPLPUSH src dst"}},
		{"LMPOP and BLMPOP become a counted pop", []string{"rpush src a b c d e f", "blmpop 0 2 nokey src left count 5",
			"lmpop 1 src right count 1", "lmpop 1 nokey left", "rpush dst b", "LMPOP 1 dst RIGHT"},
			[]string{"rpush src a b c d e f", "LPOP src 5", "RPOP src 1", "rpush dst b", "RPOP dst 1"}},
		{"moves as is", []string{"rpush x 1", "rpoplpush x x", "lmove x y left right", "rpoplpush nokey x"},
			[]string{"rpush x 1", "rpoplpush x x", "lmove x y left right"}},
		{"no-op LREM and LTRIM propagate nothing", []string{"rpush x 1 2 3", "lrem x 0 zz", "ltrim x 0 -1",
			"lrem x 1 2", "ltrim x 1 0", "ltrim nokey 0 1"},
			[]string{"rpush x 1 2 3", "lrem x 1 2", "ltrim x 1 0"}},
		{"LSET LINSERT", []string{"rpush x a", "lset x 0 b", "lset x 5 c", "lset nokey 0 v", "linsert x before b a",
			"linsert x before zz a", "linsert nokey after a b"},
			[]string{"rpush x a", "lset x 0 b", "linsert x before b a"}},
		{"errors propagate nothing", []string{"set s v", "lpush s a", "lpop s", "blpop s 0", "blmove s d left left 0",
			"lpop nokey x", "lrange s 0 1", "lpos s a"},
			[]string{"set s v"}},
	})
}

// TestListRemovalDeletesKey: an emptied list is deleted, whatever emptied it.
func TestListRemovalDeletesKey(t *testing.T) {
	h := newHarness(t)
	for _, cmd := range []string{
		"LPOP k", "RPOP k 5", "LREM k 0 a", "LTRIM k 1 0", "RPOPLPUSH k other", "LMOVE k other LEFT LEFT",
		"BLPOP k 0", "BRPOP k 0", "LMPOP 1 k LEFT COUNT 9", "BLMPOP 0 1 k RIGHT", "BLMOVE k other LEFT LEFT 0",
	} {
		h.Do("RPUSH", "k", "a")
		h.Do(splitArgs(cmd)...)
		require.Equal(t, ":0\r\n", h.Do("EXISTS", "k"), cmd)
	}
}

// TestListBlockingCtx checks what the blocking commands ask of the node:
// the keys to wait on and the deadline, or a null reply inside MULTI.
func TestListBlockingCtx(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		args  string
		keys  []string
		multi string
	}{
		{"BLPOP a b 1.5", []string{"a", "b"}, "*-1\r\n"},
		{"BRPOP a 1.5", []string{"a"}, "*-1\r\n"},
		{"BLMPOP 1.5 2 a b LEFT COUNT 3", []string{"a", "b"}, "*-1\r\n"},
		{"BLMOVE a b LEFT RIGHT 1.5", []string{"a"}, "$-1\r\n"},
		{"BRPOPLPUSH a b 1.5", []string{"a"}, "$-1\r\n"},
	} {
		args := splitArgs(tc.args)
		c := runCtx(h, false, testNow, args...)
		require.NotNil(t, c.Block, tc.args)
		var keys []string
		for _, k := range c.Block.Keys {
			keys = append(keys, string(k))
		}
		require.Equal(t, tc.keys, keys, tc.args)
		require.Equal(t, int64(testNow+1500), c.Block.Timeout, tc.args)
		require.Empty(t, h.w.Buf, tc.args)
		require.Zero(t, c.Dirty)

		c = runCtx(h, true, testNow, args...)
		require.Nil(t, c.Block, tc.args)
		require.Equal(t, tc.multi, string(h.w.Buf), tc.args)
	}
	c := runCtx(h, false, testNow, "BLPOP", "a", "0")
	require.Equal(t, int64(0), c.Block.Timeout, "0 waits forever")
}

// TestListCopyOnWrite checks that every list write path copies a list shared
// with a snapshot instead of changing it in place.
func TestListCopyOnWrite(t *testing.T) {
	h := newHarness(t)
	h.Do("RPUSH", "l", "a", "b", "c", "d", "e", "f")
	old := h.st.DBs[0].Peek([]byte("l")).(*store.List)
	sn := h.st.Snapshot()
	defer sn.Release()
	for _, cmd := range []string{
		"LPUSH l x", "RPUSH l y", "LPUSHX l z", "RPUSHX l z", "LPOP l", "RPOP l 1", "LSET l 0 Q", "LREM l 1 c",
		"LTRIM l 0 3", "LINSERT l BEFORE d D", "RPOPLPUSH l l", "LMOVE l l LEFT RIGHT", "BLPOP l 0", "BRPOP l 0",
		"LMPOP 1 l LEFT", "BLMOVE l l RIGHT LEFT 0",
	} {
		h.Do(splitArgs(cmd)...)
	}
	var elems []string
	old.Each(func(e []byte) bool { elems = append(elems, string(e)); return true })
	require.Equal(t, []string{"a", "b", "c", "d", "e", "f"}, elems)
}

// TestListDoesNotKeepArgs: pushed elements are copies, not views of the
// query buffer the arguments alias.
func TestListDoesNotKeepArgs(t *testing.T) {
	h := newHarness(t)
	argv := [][]byte{[]byte("RPUSH"), []byte("l"), []byte("abc"), []byte("def")}
	h.DoBytes(argv)
	copy(argv[2], "XXX")
	argv = [][]byte{[]byte("LSET"), []byte("l"), []byte("1"), []byte("ghi")}
	h.DoBytes(argv)
	copy(argv[3], "YYY")
	argv = [][]byte{[]byte("LINSERT"), []byte("l"), []byte("AFTER"), []byte("abc"), []byte("jkl")}
	h.DoBytes(argv)
	copy(argv[4], "ZZZ")
	require.Equal(t, "*3\r\n$3\r\nabc\r\n$3\r\njkl\r\n$3\r\nghi\r\n", h.Do("LRANGE", "l", "0", "-1"))
}

// TestListLongDeque exercises the ring buffer through the commands with
// pushes and pops at both ends, checked against a plain slice.
func TestListLongDeque(t *testing.T) {
	h := newHarness(t)
	var model []string
	for i := range 3000 {
		e := strings.Repeat("e", i%7) + string(rune('a'+i%26))
		switch i % 5 {
		case 0, 1:
			h.Do("RPUSH", "l", e)
			model = append(model, e)
		case 2:
			h.Do("LPUSH", "l", e)
			model = append([]string{e}, model...)
		case 3:
			if len(model) > 0 {
				require.Equal(t, "$"+strconv.Itoa(len(model[0]))+"\r\n"+model[0]+"\r\n", h.Do("LPOP", "l"))
				model = model[1:]
			}
		case 4:
			if i%10 == 4 && len(model) > 0 {
				last := model[len(model)-1]
				require.Equal(t, "$"+strconv.Itoa(len(last))+"\r\n"+last+"\r\n", h.Do("RPOP", "l"))
				model = model[:len(model)-1]
			}
		}
	}
	require.Equal(t, ":"+strconv.Itoa(len(model))+"\r\n", h.Do("LLEN", "l"))
	for _, i := range []int{0, 1, len(model) / 2, len(model) - 1} {
		require.Equal(t, "$"+strconv.Itoa(len(model[i]))+"\r\n"+model[i]+"\r\n", h.Do("LINDEX", "l", strconv.Itoa(i)))
	}
}
