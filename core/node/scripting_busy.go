package node

import (
	"bytes"
	"fmt"
	"time"

	"github.com/syncscope/syncscope/core/command"
)

// The BUSY replies (shared.slowevalerr, shared.slowscripterr).
const (
	errBusyEval   = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	errBusyScript = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
)

// busyState is what the node keeps while a script holds a Step and the
// driver's Busy lets it serve others (Redis's processEventsWhileBlocked).
type busyState struct {
	// serving is set while the node handles events from inside a script:
	// commands without allow-busy are answered BUSY, blocked clients wait.
	serving bool
	// deferred are the events the script's run cannot take (its caller's,
	// the master link's, timers, background work): stepped once it ends.
	deferred []Event
	// exited says the driver carried out an exit while the script ran
	// (SHUTDOWN NOSAVE): the process is gone, the script is stopped.
	exited bool
}

// busyErr is the BUSY reply for the running script: EVAL's or FCALL's.
func (n *Node) busyErr() string {
	if r := n.scriptRun; r != nil && !r.eval {
		return errBusyScript
	}
	return errBusyEval
}

// timedOutInterrupt is Interrupted with a driver that serves clients
// meanwhile (scriptInterrupt): once the script has run for
// busy-reply-threshold, other clients are served between its
// instructions, and SCRIPT KILL / FUNCTION KILL stop it.
func (r *scriptRun) timedOutInterrupt() (bool, string) {
	n := r.n
	if n.busy.exited {
		return true, "ERR Script stopped: the server shut down"
	}
	if !r.timedOut {
		elapsed := n.env.Busy.Now().Sub(r.start)
		if r.limitMs <= 0 || elapsed < time.Duration(r.limitMs)*time.Millisecond {
			return false, ""
		}
		how := "SCRIPT KILL"
		if !r.eval {
			how = "FUNCTION KILL"
		}
		n.log('#', fmt.Sprintf("Slow script detected: still in execution after %d milliseconds. You can try killing the script using the %s command. Script name is: %s.",
			elapsed.Milliseconds(), how, r.name))
		r.timedOut = true
	}
	n.serveWhileBusy()
	switch {
	case n.busy.exited:
		return true, "ERR Script stopped: the server shut down"
	case r.killed:
		n.log('#', "Lua script killed by user with SCRIPT KILL.")
		return true, "ERR Script killed by user with SCRIPT KILL..."
	}
	return false, ""
}

// serveWhileBusy is processEventsWhileBlocked: up to four rounds of
// writing what is pending and handling what arrived, while the script's
// own command stays as it is (its propagation, its reply, its client).
func (n *Node) serveWhileBusy() {
	depth, props, preOOM := n.execDepth, n.props, n.preOOM
	n.execDepth, n.props = 0, nil
	n.busy.serving = true
	for range 4 {
		evs := n.busyPoll(false)
		if len(evs) == 0 || n.busy.exited {
			break
		}
		for _, ev := range evs {
			n.busyEvent(ev)
		}
	}
	n.busy.serving = false
	n.execDepth, n.props, n.preOOM = depth, props, preOOM
}

// busyPoll hands the driver what the node has to write (all but the
// script's caller, which Redis protects until the script ends) and takes
// what arrived.
func (n *Node) busyPoll(wait bool) []Event {
	if n.busy.exited {
		return nil
	}
	rd := n.busyReady()
	evs := n.env.Busy.Poll(rd, wait)
	if rd.Exit {
		n.busy.exited = true
		return nil
	}
	return evs
}

// busyReady is Ready for a node inside a script: writes, closes, drops,
// logs and an exit go out now; dials, snapshots and files wait for the
// script's end. The script's caller gets nothing until then.
func (n *Node) busyReady() Ready {
	var caller *client
	if r := n.scriptRun; r != nil {
		caller = r.caller
	}
	held := false
	if caller != nil && caller.queuedOut {
		held = true
		caller.queuedOut = false
		n.pending = removeClient(n.pending, caller)
	}
	later := n.out
	n.out = Ready{Writes: later.Writes, Closes: later.Closes, Drops: later.Drops, Logs: later.Logs, Exit: later.Exit, ExitCode: later.ExitCode}
	rd := n.Ready()
	n.out = Ready{Dials: later.Dials, Snapshots: later.Snapshots, Files: later.Files}
	if held {
		n.queueOutput(caller)
	}
	return rd
}

// busyEvent handles one event that arrived while a script runs: clients
// other than the caller are served (commands that are not allow-busy get
// BUSY, see admit); the caller's input and the master's stream wait, as
// Redis protects the one and does not process the other, and so does
// everything that is not a client's.
func (n *Node) busyEvent(ev Event) {
	caller := n.scriptRun.caller
	switch e := ev.(type) {
	case Accepted, Written:
		_ = n.step(n.now, ev)
		return
	case Received:
		if c := n.clients[e.Conn]; c != nil && c != caller && (n.repl.link == nil || e.Conn != n.repl.linkConn) {
			_ = n.step(n.now, ev)
			return
		}
		e.Data = bytes.Clone(e.Data)
		ev = e
	case Closed:
		if c := n.clients[e.Conn]; c != nil && c != caller && (n.repl.link == nil || e.Conn != n.repl.linkConn) {
			_ = n.step(n.now, ev)
			return
		}
	}
	n.busy.deferred = append(n.busy.deferred, ev)
}

// stepDeferred steps the events a script's run held back, once no script
// runs (one of them may run another slow script, which defers again).
func (n *Node) stepDeferred() {
	for len(n.busy.deferred) > 0 && n.scriptRun == nil {
		q := n.busy.deferred
		n.busy.deferred = nil
		for i, ev := range q {
			_ = n.step(n.now, ev)
			if n.scriptRun != nil || len(n.busy.deferred) > 0 {
				n.busy.deferred = append(q[i+1:len(q):len(q)], n.busy.deferred...)
				break
			}
		}
	}
}

// rejectBusy is processCommand's refusal of a command without allow-busy
// while a script runs long.
func (n *Node) rejectBusy(c *client, flags command.Flag) bool {
	if !n.busy.serving || flags&command.AllowBusy != 0 {
		return false
	}
	n.reject(c, n.busyErr())
	return true
}

// scriptKill is SCRIPT KILL (eval) and FUNCTION KILL (scriptKill).
func (n *Node) scriptKill(c *client, eval bool) {
	r := n.scriptRun
	switch {
	case r == nil:
		c.out.Error("NOTBUSY No scripts in execution right now.")
	case r.caller.isMaster:
		c.out.Error("UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.")
	case r.writeDirty:
		c.out.Error("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.")
	case eval && !r.eval:
		c.out.Error(errBusyScript)
	case !eval && r.eval:
		c.out.Error(errBusyEval)
	default:
		r.killed = true
		c.out.SimpleString("OK")
	}
}
