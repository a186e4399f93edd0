package command

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/store"
)

// harness runs commands the way the node does (lookup, arity check, handler)
// against a store, without sockets, and returns the raw reply bytes.
type harness struct {
	t     testing.TB
	st    *store.Store
	db    int
	now   int64 // unix ms; 0 = the wall clock (for side-by-side runs with redis-server)
	w     resp.Writer
	props [][][]byte // what was propagated, in order
}

func newHarness(t testing.TB) *harness {
	st := store.New(16, rand.New(rand.NewPCG(1, 2)))
	return &harness{t: t, st: st}
}

// bytesArgs is a command's arguments as raw bytes.
func bytesArgs(args ...string) [][]byte {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	return argv
}

// Do runs one command and returns its raw reply.
func (h *harness) Do(args ...string) string { return h.DoBytes(bytesArgs(args...)) }

// DoBytes runs one command given as raw arguments.
func (h *harness) DoBytes(argv [][]byte) string {
	h.w.Reset()
	spec := Lookup(argv[0])
	if spec == nil {
		var sb strings.Builder
		for _, a := range argv[1:] {
			fmt.Fprintf(&sb, "'%s' ", a)
		}
		h.w.Error(fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", argv[0], sb.String()))
		return string(h.w.Buf)
	}
	if !spec.ArityOK(len(argv)) {
		h.w.Error(fmt.Sprintf("ERR wrong number of arguments for '%s' command", strings.ToLower(string(argv[0]))))
		return string(h.w.Buf)
	}
	if spec.Container() && len(argv) > 1 {
		if spec = spec.Sub(argv[1]); spec == nil {
			h.w.Error(fmt.Sprintf("ERR unknown subcommand '%s'. Try %s HELP.", argv[1], strings.ToUpper(string(argv[0]))))
			return string(h.w.Buf)
		}
		if !spec.ArityOK(len(argv)) {
			h.w.Error(fmt.Sprintf("ERR wrong number of arguments for '%s' command", spec.Name))
			return string(h.w.Buf)
		}
	}
	now := h.now
	if now == 0 {
		now = time.Now().UnixMilli()
	}
	h.st.Now = now
	c := &Ctx{Args: argv, Store: h.st, DB: h.st.DBs[h.db], Now: now, Rand: h.st.Rand, W: &h.w}
	spec.Run(c)
	if c.Dirty > 0 {
		if c.Prop != nil {
			h.props = append(h.props, c.Prop...)
		} else {
			h.props = append(h.props, argv)
		}
	}
	return string(h.w.Buf)
}

// requireReplies runs each {command, expected raw reply} pair.
func (h *harness) requireReplies(pairs ...[2]string) {
	h.t.Helper()
	for _, p := range pairs {
		args := splitArgs(p[0])
		require.Equal(h.t, p[1], h.Do(args...), "command %q", p[0])
	}
}

// splitArgs splits a command line on spaces; use DoBytes for arguments with spaces.
func splitArgs(line string) []string { return strings.Fields(line) }

// propStrings renders what the harness propagated from its from-th command
// on, one command a string ("SET k v").
func propStrings(h *harness, from int) []string {
	var out []string
	for _, argv := range h.props[from:] {
		out = append(out, string(bytes.Join(argv, []byte(" "))))
	}
	return out
}
