package node

import (
	"bytes"
	"time"
)

// SCRIPT DEBUG: Redis's Lua debugger (ldb). In SYNC mode the EVAL runs
// under a debugger session that suspends the script in the middle of its
// command and reads the debugging client's commands directly: the node
// asks the driver's Busy for that client's input, and holds every other
// event until the script ends, as Redis serves nobody else meanwhile. YES
// mode is Redis's forked session, whose changes are thrown away with the
// child: there is no fork here, so EVAL answers as Redis does when fork()
// fails, with ENOSYS's words.

// errDebugNeedsBusy answers SCRIPT DEBUG on a driver that cannot suspend
// a script in the middle of a Step (no Env.Busy: the simulator, the browser).
const errDebugNeedsBusy = "ERR SCRIPT DEBUG is not available here: this driver cannot suspend a script to read the debugger's commands"

// errDebugFork is EVAL's reply in SCRIPT DEBUG YES mode (ldbStartSession
// when redisFork fails).
const errDebugFork = "ERR Fork() failed: can't run EVAL in debugging mode: Function not implemented"

// scriptDebug is SCRIPT DEBUG YES|SYNC|NO.
func (n *Node) scriptDebug(c *client, mode string) {
	switch {
	case len(c.out.Buf) > 0: // clientHasPendingReplies
		c.out.Error("ERR SCRIPT DEBUG must be called outside a pipeline")
	case mode == "no":
		c.luaDebug, c.luaDebugSync = false, false
		c.out.SimpleString("OK")
	case (mode == "yes" || mode == "sync") && n.env.Busy == nil:
		c.out.Error(errDebugNeedsBusy)
	case mode == "yes":
		c.luaDebug = true
		c.out.SimpleString("OK")
	case mode == "sync":
		c.luaDebug, c.luaDebugSync = true, true
		c.out.SimpleString("OK")
	default:
		c.out.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO")
	}
}

// evalMaybeDebug is evalCommand: EVAL, or for a debugging client
// evalGenericCommandWithDebugging. The session ends with the client's
// connection, closed after the reply.
func (n *Node) evalMaybeDebug(c *client, args [][]byte, ro bool) {
	if !c.luaDebug {
		n.evalGeneric(c, args, false, ro, false)
		return
	}
	if !c.luaDebugSync {
		c.out.Error(errDebugFork)
		c.luaDebug = false
		return
	}
	n.log('#', "Redis synchronous debugging eval session started")
	if !n.evalGeneric(c, args, false, ro, true) {
		// Refused before it ran: the session still ends (ldbEndSession).
		n.debugWrite(c, []byte("*1\r\n+<endsession>\r\n"))
	}
	n.log('#', "Redis synchronous debugging eval session ended")
	c.closeAfter = true
}

// debugWrite sends b to c ahead of its replies, as ldb writes to the
// connection directly.
func (n *Node) debugWrite(c *client, b []byte) {
	n.stats.netOut += int64(len(b))
	c.unflushed += len(b)
	n.out.Writes = append(n.out.Writes, Write{Conn: c.conn, Data: bytes.Clone(b)})
}

// DebugWrite is script.DebugHost's: the debugger's logs.
func (r *scriptRun) DebugWrite(b []byte) { r.n.debugWrite(r.caller, b) }

// DebugRead is script.DebugHost's: it waits for the caller's input,
// writing what the debugger sent first. Other events wait for the
// script's end.
func (r *scriptRun) DebugRead() ([]byte, bool) {
	n := r.n
	for len(r.debugIn) == 0 && !r.debugGone {
		evs := n.busyPoll(true)
		if n.busy.exited {
			r.debugGone = true
			break
		}
		for _, ev := range evs {
			switch e := ev.(type) {
			case Received:
				if e.Conn == r.caller.conn {
					r.debugIn = append(r.debugIn, e.Data...)
					continue
				}
				e.Data = bytes.Clone(e.Data)
				ev = e
			case Closed:
				if e.Conn == r.caller.conn {
					r.debugGone = true // and freed once the script ends
				}
			case Written:
				_ = n.step(n.now, ev)
				continue
			}
			n.busy.deferred = append(n.busy.deferred, ev)
		}
	}
	if r.debugGone && len(r.debugIn) == 0 {
		return nil, false
	}
	in := r.debugIn
	r.debugIn = nil
	r.start = n.env.Busy.Now() // the timeout counts from the last stop
	return in, true
}

// TimedOut is script.DebugHost's: the run passed busy-reply-threshold
// (5 s when it is 0) since it started or last stopped.
func (r *scriptRun) TimedOut() bool {
	if r.n.env.Busy == nil {
		return false
	}
	limit := time.Duration(r.limitMs) * time.Millisecond
	if limit <= 0 {
		limit = 5 * time.Second
	}
	return r.n.env.Busy.Now().Sub(r.start) >= limit
}
