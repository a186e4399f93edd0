package playground

import (
	"strconv"

	"github.com/syncscope/syncscope/core/resp"
)

// Line is a terminal line read as redis-cli reads it.
type Line struct {
	Args   [][]byte
	Repeat int    // "3 incr x" runs incr x three times, as redis-cli does
	Err    string // what redis-cli prints instead of sending, "" when none
}

// ParseLine splits a terminal line as redis-cli's interactive mode does:
// sdssplitargs quoting ("Invalid argument(s)" when unbalanced), and a
// leading number meaning "repeat that many times".
func ParseLine(line string) Line {
	args, ok := resp.SplitArgs([]byte(line), nil)
	if !ok {
		return Line{Err: "Invalid argument(s)"}
	}
	l := Line{Args: args, Repeat: 1}
	if len(args) > 1 {
		if n, err := strconv.ParseInt(string(args[0]), 10, 64); err == nil {
			// redis-cli treats a leading integer as a repeat count and
			// refuses counts it cannot use.
			if n <= 0 || n > 1<<20 {
				return Line{Err: "Invalid redis-cli repeat command option value."}
			}
			l.Repeat = int(n)
			l.Args = args[1:]
		}
	}
	return l
}
