package node

import (
	"fmt"
	"math"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
)

// The slow log (src/slowlog.c): the commands that ran for at least
// slowlog-log-slower-than microseconds, newest first, at most
// slowlog-max-len of them.
//
// A command's duration is the modelled time it held the node (Node.held):
// DEBUG SLEEP's time, a script's run time; any other command takes 0 µs, so
// with the default threshold only those are logged, with 0 every command is.
type slowlog struct {
	entries []slowlogEntry // newest first
	nextID  int64
}

type slowlogEntry struct {
	id, time, duration int64
	argv               [][]byte
	peer, name         string
}

// Bounds on what an entry keeps of a command (SLOWLOG_ENTRY_MAX_ARGC and
// SLOWLOG_ENTRY_MAX_STRING).
const (
	slowlogMaxArgc   = 32
	slowlogMaxString = 128
)

// heldUntil is when the command that just ran ended, as Redis's time(NULL)
// after it: the end of DEBUG SLEEP's hold, else the Step's time.
func (n *Node) heldUntil() time.Time {
	if !n.dbg.busyUntil.IsZero() {
		return n.dbg.busyUntil
	}
	return n.now
}

// slowlogPush is slowlogPushCurrentCommand for a command that ran for d.
func (n *Node) slowlogPush(c *client, cmd *command.Command, args [][]byte, d time.Duration) {
	duration := d.Microseconds()
	limit := n.cfg.SlowlogLogSlowerThan
	if limit < 0 || cmd.Flags&command.SkipSlowlog != 0 {
		return
	}
	if duration >= limit {
		args = redacted(cmd.Name, args)
		argc := min(len(args), slowlogMaxArgc)
		e := slowlogEntry{id: n.slowlog.nextID, time: n.heldUntil().Unix(), duration: duration, peer: c.addr, name: c.name, argv: make([][]byte, argc)}
		n.slowlog.nextID++
		for j := range argc {
			a := args[j]
			switch {
			case argc != len(args) && j == argc-1:
				a = fmt.Appendf(nil, "... (%d more arguments)", len(args)-argc+1)
			case len(a) > slowlogMaxString:
				a = fmt.Appendf(append([]byte(nil), a[:slowlogMaxString]...), "... (%d more bytes)", len(a)-slowlogMaxString)
			default:
				a = append([]byte(nil), a...)
			}
			e.argv[j] = a
		}
		n.slowlog.entries = append([]slowlogEntry{e}, n.slowlog.entries...)
	}
	if max := n.cfg.SlowlogMaxLen; int64(len(n.slowlog.entries)) > max {
		clear(n.slowlog.entries[max:])
		n.slowlog.entries = n.slowlog.entries[:max]
	}
}

// The SLOWLOG subcommands, each bound to its record in handlers.go;
// dispatch has checked their arity.

var slowlogHelp = []string{
	"GET [<count>]",
	"    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
	"    Entries are made of:",
	"    id, timestamp, time in microseconds, arguments array, client IP and port,",
	"    client name",
	"LEN",
	"    Return the length of the slowlog.",
	"RESET",
	"    Reset the slowlog.",
}

func cmdSlowlogReset(n *Node, c *client, args [][]byte) {
	n.slowlog.entries = nil
	c.out.SimpleString("OK")
}

func cmdSlowlogLen(n *Node, c *client, args [][]byte) {
	c.out.Int(int64(len(n.slowlog.entries)))
}

// cmdSlowlogGet is SLOWLOG GET [count].
func cmdSlowlogGet(n *Node, c *client, args [][]byte) {
	if len(args) > 3 {
		subcommandError(c, args)
		return
	}
	count := int64(10)
	if len(args) == 3 {
		v, ok := cstr.String2ll(args[2])
		if !ok || v < -1 {
			c.out.Error("ERR count should be greater than or equal to -1")
			return
		}
		count = v
		if count == -1 {
			count = math.MaxInt64
		}
	}
	entries := n.slowlog.entries[:min(int64(len(n.slowlog.entries)), count)]
	c.out.ArrayLen(len(entries))
	for _, e := range entries {
		c.out.ArrayLen(6)
		c.out.Int(e.id)
		c.out.Int(e.time)
		c.out.Int(e.duration)
		c.out.ArrayLen(len(e.argv))
		for _, a := range e.argv {
			c.out.Bulk(a)
		}
		c.out.BulkString(e.peer)
		c.out.BulkString(e.name)
	}
}

// redacted is args with the secrets Redis hides from the slow log replaced
// by "(redacted)" (redactClientCommandArgument): AUTH's credentials, HELLO's
// AUTH pair, ACL SETUSER's rules and the sensitive configs' values of CONFIG
// SET, as far as Redis reached them before any syntax error.
func redacted(name string, args [][]byte) [][]byte {
	var hide []int
	switch name {
	case "auth":
		if len(args) <= 3 {
			for j := 1; j < len(args); j++ {
				hide = append(hide, j)
			}
		}
	case "hello":
		for j := 2; j < len(args); j++ {
			more := len(args) - 1 - j
			switch opt := lower(args[j]); {
			case opt == "auth" && more >= 2:
				hide = append(hide, j+1, j+2)
				j += 2
			case opt == "setname" && more >= 1:
				j++
			default:
				j = len(args)
			}
		}
	case "acl|setuser":
		for j := 2; j < len(args); j++ {
			hide = append(hide, j)
		}
	case "config|set":
		for j := 2; j+1 < len(args); j += 2 {
			switch lower(args[j]) {
			case "masteruser", "masterauth", "requirepass":
				hide = append(hide, j+1)
			}
		}
	}
	if len(hide) == 0 {
		return args
	}
	out := append([][]byte(nil), args...)
	for _, j := range hide {
		out[j] = []byte("(redacted)")
	}
	return out
}
