package command

import (
	"strconv"
	"strings"
	"testing"

	"github.com/syncscope/syncscope/core/resp"
)

// FuzzStreamCommands runs a program of stream commands drawn from the input
// on a stream with small nodes, checking after each step that XLEN counts
// what XRANGE returns and XREVRANGE returns it backwards, and at the end
// that the stream's DUMP restores to the same DUMP (its node listpacks are
// well formed). The input's tail is also RESTOREd as a payload, and read and
// written if accepted: nothing may panic.
func FuzzStreamCommands(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, []byte{})
	f.Add([]byte("\x00\x00\x00\x00\x00\x01\x02\x03\x09\x0a\x0b\x0c\x0d\x0e\x0f\x05\x06\x07"), []byte("\x13\x00"))
	// A real payload, with two nodes, a tombstone, a group and pending entries.
	seed := newHarness(f)
	seed.now = 1
	seed.st.Limits.StreamNodeMaxEntries = 3
	for _, cmd := range []string{"XADD s 1 a 1 b 2", "XADD s 2 a 3 b 4", "XADD s 3 c 5", "XADD s 4 a 1 b x", "XDEL s 2",
		"XGROUP CREATE s g 0", "XREADGROUP GROUP g alice COUNT 2 STREAMS s >", "XGROUP CREATECONSUMER s g bob"} {
		seed.Do(splitArgs(cmd)...)
	}
	f.Add([]byte{1, 2, 3}, []byte(bulkBody(f, seed.Do("DUMP", "s"))))
	f.Fuzz(func(t *testing.T, prog, payload []byte) {
		// Each step checks the whole stream: keep programs short.
		prog = prog[:min(len(prog), 200)]
		h := newHarness(t)
		h.now = 1000
		if len(prog) > 0 {
			h.st.Limits.StreamNodeMaxEntries = int(prog[0] % 8)
			h.st.Limits.StreamNodeMaxBytes = 40 + int(prog[0])*4
		}
		h.Do("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM")
		ms := 0
		for i, op := range prog {
			arg := strconv.Itoa(int(op) % 7)
			var r string
			switch op % 16 {
			case 0, 1, 2:
				ms += int(op) % 3
				r = h.Do("XADD", "s", strconv.Itoa(ms)+"-*", "f", arg, "g"+arg, strings.Repeat("v", int(op)%40))
			case 3:
				r = h.Do("XADD", "s", "MAXLEN", "~", arg, "*", "f", "1")
			case 4:
				r = h.Do("XDEL", "s", strconv.Itoa(int(op)%(ms+1))+"-0", strconv.Itoa(int(op)%(ms+1))+"-1")
			case 5:
				r = h.Do("XTRIM", "s", "MAXLEN", arg)
			case 6:
				r = h.Do("XTRIM", "s", "MINID", "~", strconv.Itoa(int(op)%(ms+1)))
			case 7:
				r = h.Do("XTRIM", "s", "MINID", strconv.Itoa(int(op)%(ms+1)))
			case 8:
				r = h.Do("XREADGROUP", "GROUP", "g", "c"+arg, "COUNT", arg, "STREAMS", "s", ">")
			case 9:
				r = h.Do("XACK", "s", "g", strconv.Itoa(int(op)%(ms+1))+"-0")
			case 10:
				r = h.Do("XCLAIM", "s", "g", "c"+arg, "0", strconv.Itoa(int(op)%(ms+1))+"-0", "FORCE")
			case 11:
				r = h.Do("XAUTOCLAIM", "s", "g", "c"+arg, "0", "0", "COUNT", "3")
			case 12:
				r = h.Do("XREADGROUP", "GROUP", "g", "c"+arg, "STREAMS", "s", "0")
			case 13:
				r = h.Do("XGROUP", "SETID", "s", "g", strconv.Itoa(int(op)%(ms+1)))
			case 14:
				r = h.Do("XGROUP", "DELCONSUMER", "s", "g", "c"+arg)
			case 15:
				r = h.Do("XINFO", "STREAM", "s", "FULL")
			}
			if r == "" {
				t.Fatalf("step %d: no reply", i)
			}
			checkStreamRanges(t, h, i)
		}
		dump := h.Do("DUMP", "s")
		if dump[0] == '$' && dump != "$-1\r\n" {
			if r := h.Do("RESTORE", "copy", "0", bulkBody(t, dump)); r != "+OK\r\n" {
				t.Fatalf("RESTORE of our own DUMP: %q", r)
			}
			if again := h.Do("DUMP", "copy"); again != dump {
				t.Fatalf("DUMP after RESTORE differs")
			}
		}
		if r := h.Do("RESTORE", "p", "0", string(payload)); r == "+OK\r\n" {
			for _, argv := range [][]string{{"XRANGE", "p", "-", "+"}, {"XREVRANGE", "p", "+", "-"}, {"XINFO", "STREAM", "p", "FULL"},
				{"XADD", "p", "*", "a", "b"}, {"XDEL", "p", "1-1"}, {"XTRIM", "p", "MAXLEN", "1"}, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "p", ">"},
				{"XAUTOCLAIM", "p", "g", "c", "0", "0"}, {"XPENDING", "p", "g", "-", "+", "10"}, {"DUMP", "p"}} {
				h.Do(argv...)
			}
		}
	})
}

// checkStreamRanges requires XLEN to count XRANGE's entries and XREVRANGE
// to return them in the opposite order.
func checkStreamRanges(t *testing.T, h *harness, step int) {
	t.Helper()
	fwd, _, err := resp.ReadValue([]byte(h.Do("XRANGE", "s", "-", "+")))
	if err != nil {
		t.Fatal(err)
	}
	rev, _, err := resp.ReadValue([]byte(h.Do("XREVRANGE", "s", "+", "-")))
	if err != nil {
		t.Fatal(err)
	}
	n, _, _ := resp.ReadValue([]byte(h.Do("XLEN", "s")))
	if int64(len(fwd.Elems)) != n.Int || len(rev.Elems) != len(fwd.Elems) {
		t.Fatalf("step %d: XLEN %d, XRANGE %d entries, XREVRANGE %d", step, n.Int, len(fwd.Elems), len(rev.Elems))
	}
	for i := range fwd.Elems {
		a, b := fwd.Elems[i].Elems[0].Str, rev.Elems[len(rev.Elems)-1-i].Elems[0].Str
		if string(a) != string(b) {
			t.Fatalf("step %d: XRANGE[%d] %s, XREVRANGE from the end %s", step, i, a, b)
		}
	}
}

// bulkBody returns the content of a raw bulk-string reply.
func bulkBody(t testing.TB, raw string) string {
	v, _, err := resp.ReadValue([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return string(v.Str)
}
