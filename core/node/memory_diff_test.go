package node_test

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// memoryNumbers are the values of MEMORY STATS, which no two servers share:
// integers, and doubles (bulk strings in RESP2).
var memoryNumbers = regexp.MustCompile(`(:-?[0-9]+|,[^\r]*|\$[0-9]+\r\n-?[0-9][0-9.e+-]*)\r\n`)

// TestMemoryAsRedis: MEMORY STATS has Redis's fields in Redis's order and
// its types (with a db entry per database that has keys), MEMORY DOCTOR
// Redis's report on a small instance, in both protocols; HELP, PURGE and
// the arity and subcommand errors are the same bytes.
func TestMemoryAsRedis(t *testing.T) {
	steps := []aclStep{
		{0, []string{"memory", "stats"}},
		{0, []string{"set", "a", "1"}},
		{0, []string{"set", "b", "2", "ex", "100"}},
		{0, []string{"select", "3"}},
		{0, []string{"set", "c", "3"}},
		{0, []string{"memory", "stats"}},
		{0, []string{"memory", "doctor"}},
		{0, []string{"memory", "purge"}},
		{0, []string{"memory", "help"}},
		{0, []string{"memory", "usage", "c"}},
		{0, []string{"memory", "usage", "nokey"}},
		{0, []string{"memory", "usage", "c", "samples"}},
		{0, []string{"memory", "usage", "c", "samples", "-1"}},
		{0, []string{"memory", "stats", "x"}},
		{0, []string{"memory", "doctor", "x"}},
		{0, []string{"memory", "purge", "x"}},
		{0, []string{"memory", "nosuch"}},
		{0, []string{"memory"}},
		{0, []string{"hello", "3"}},
		{0, []string{"memory", "stats"}},
		{0, []string{"memory", "doctor"}},
	}
	runMemoryDiff(t, steps)
}

// runMemoryDiff is runACLDiff with MEMORY STATS's numbers blanked.
func runMemoryDiff(t *testing.T, steps []aclStep) {
	t.Helper()
	real := startRedis(t).DialRaw(t)
	var want []string
	for _, s := range steps {
		real.Send(s.args...)
		want = append(want, memoryNumbers.ReplaceAllString(real.Reply(), "N\r\n"))
	}
	w := startWorld(t, 6379, "")
	ours := w.conn(6379)
	for i, s := range steps {
		ours.send(s.args)
		require.Equal(t, want[i], memoryNumbers.ReplaceAllString(ours.pending(), "N\r\n"), "step %d: %q", i, s.args)
	}
}
