package node

import (
	"time"

	"github.com/syncscope/syncscope/core/command"
)

// pauseType orders the client pauses from least to most restrictive
// (Redis's pause_type).
type pauseType uint8

const (
	pauseOff pauseType = iota
	pauseWrite
	pauseAll
)

// pausePurpose is who paused the clients: each keeps its own pause, and
// the most restrictive one in force applies (Redis's pause_purpose).
type pausePurpose uint8

const (
	pauseByCommand pausePurpose = iota // CLIENT PAUSE
	pauseByFailover
	numPausePurposes
)

type pauseEvent struct {
	typ pauseType
	end time.Time
}

// pauseState is the node's client pause.
type pauseState struct {
	events [numPausePurposes]*pauseEvent
	typ    pauseType
	end    time.Time
	// ackPending: a WAIT asked for acknowledgements while paused; the
	// GETACK goes out when the pause ends (get_ack_from_slaves).
	ackPending bool
}

// pauseClients is pauseClients: purpose's pause lasts until end (the later
// of the two ends and the more restrictive type if it already has one).
func (n *Node) pauseClients(purpose pausePurpose, end time.Time, typ pauseType) {
	if e := n.pause.events[purpose]; e != nil {
		e.typ = max(e.typ, typ)
		if end.After(e.end) {
			e.end = end
		}
	} else {
		n.pause.events[purpose] = &pauseEvent{typ: typ, end: end}
	}
	n.updatePause()
}

// unpauseClients ends purpose's pause.
func (n *Node) unpauseClients(purpose pausePurpose) {
	if n.pause.events[purpose] == nil {
		return
	}
	n.pause.events[purpose] = nil
	n.updatePause()
}

// updatePause is updateClientPauseTypeAndEndTime: pauses past their end
// are dropped; when the pause gets less restrictive the postponed clients
// run their commands again (and may be postponed again).
func (n *Node) updatePause() {
	old := n.pause.typ
	typ := pauseOff
	for i, e := range n.pause.events {
		switch {
		case e == nil:
		case e.end.Before(n.now.Truncate(time.Millisecond)):
			n.pause.events[i] = nil
		case e.typ > typ:
			typ = e.typ
		}
	}
	var end time.Time
	for _, e := range n.pause.events {
		if e != nil && e.typ == typ && e.end.After(end) {
			end = e.end
		}
	}
	n.pause.typ, n.pause.end = typ, end
	if typ < old {
		n.resumePostponed()
	}
}

// paused is checkClientPauseTimeoutAndReturnIfPaused.
func (n *Node) paused() bool {
	if n.pause.typ == pauseOff {
		return false
	}
	if n.pause.end.Before(n.now.Truncate(time.Millisecond)) {
		n.updatePause()
	}
	return n.pause.typ != pauseOff
}

// postponeIfPaused blocks c until the pause ends when its command may not
// run now: any command during a pause of ALL, a command that writes or may
// propagate (EXEC counting its queued commands) during a pause of WRITE.
// Replicas are never paused; the master's stream on a replica is, as any
// client (applyMasterStream then stops reading it).
func (n *Node) postponeIfPaused(c *client, args [][]byte, name string, flags command.Flag) bool {
	if n.pause.typ == pauseOff || c.replica != nil || n.execDepth > 0 {
		return false
	}
	if n.pause.typ == pauseWrite && !n.mayReplicate(c, name, flags) {
		return false
	}
	c.blocked = &blockState{argv: copyArgs(args), postponed: true}
	return true
}

// mayReplicate is processCommand's is_may_replicate_command.
func (n *Node) mayReplicate(c *client, name string, flags command.Flag) bool {
	if flags&(command.Write|command.MayReplicate) != 0 {
		return true
	}
	// EXEC: the flags of the commands it queued (mstate.cmd_flags).
	return name == "exec" && c.multi != nil && c.multi.flags&(command.Write|command.MayReplicate) != 0
}

// resumePostponed runs again the commands of the clients postponed by the
// pause, in the order they connected, then what they pipelined after.
func (n *Node) resumePostponed() {
	for _, c := range append([]*client(nil), n.order...) {
		if c.closed || c.blocked == nil || !c.blocked.postponed {
			continue
		}
		argv := c.blocked.argv
		c.blocked = nil
		n.call(c, argv)
		if c.blocked == nil {
			n.processInput(c)
		}
	}
	if n.repl.mc != nil {
		n.applyMasterStream(nil) // what the pause held
	}
	if n.pause.typ == pauseOff && n.pause.ackPending && !n.isReplica() {
		n.pause.ackPending = false
		n.sendGetack()
	}
}

// cmdClientPause is CLIENT PAUSE timeout [WRITE|ALL].
func cmdClientPause(n *Node, c *client, args [][]byte) {
	mode, ok := optionArg(c, args, 3, "ERR CLIENT PAUSE mode must be WRITE or ALL", "write", "all")
	if !ok {
		return
	}
	typ := pauseAll
	if mode == 0 {
		typ = pauseWrite
	}
	ms, ok := timeoutArg(c, args[2])
	if !ok {
		return
	}
	var end time.Time // 0: already over
	if ms > 0 {
		ms = min(ms, 1<<42) // beyond a century: forever, without overflow
		end = n.now.Truncate(time.Millisecond).Add(time.Duration(ms) * time.Millisecond)
	}
	n.pauseClients(pauseByCommand, end, typ)
	c.out.SimpleString("OK")
}
