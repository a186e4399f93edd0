// Package node is one Redis node as a deterministic state machine: the driver
// feeds it events (a connection accepted, bytes received, a dial finished,
// time passing, a snapshot written) and applies the effects it returns
// (bytes to write, addresses to dial, connections to close, snapshots to
// write, log lines). It never does I/O itself, so the native server, the
// browser and the simulator run the same code.
package node

import (
	"fmt"
	"time"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/store"
)

// ConnID names a connection. Accepted connections get IDs from the driver;
// connections the node dials get IDs from the node (see Dial).
type ConnID uint64

// Event is something that happened to the node.
type Event interface{ isEvent() }

// Accepted reports a new client connection. Peer and Local are "ip:port".
type Accepted struct {
	Conn        ConnID
	Peer, Local string
}

// Received carries bytes read from a connection. The node copies them.
type Received struct {
	Conn ConnID
	Data []byte
}

// Closed reports that a connection was closed by the peer or failed.
type Closed struct {
	Conn   ConnID
	Reason string // e.g. "Connection reset by peer"; "" for an orderly close
}

// Dialed reports the outcome of a Dial effect.
type Dialed struct {
	Conn  ConnID
	Err   string // "" when connected, else e.g. "Connection refused"
	Local string // our side's "ip:port" when connected
}

// Wake reports that time passed (at least until Ready.WakeAt).
type Wake struct{}

// Written reports that n bytes queued for conn were handed to the network:
// the node's measure of a client's pending output.
type Written struct {
	Conn ConnID
	N    int
}

// SnapshotDone reports the end of a Snapshot effect: Data is the encoded RDB
// (also written to the file when the job named one), or Err says why not.
type SnapshotDone struct {
	ID   uint64
	Data []byte
	Err  string
}

// FileDone reports the end of a File effect: Data is what a read found.
type FileDone struct {
	Name string
	Err  string
	Data string
}

// Shutdown asks the node to shut down as on SIGTERM/SIGINT.
type Shutdown struct{ Signal string }

func (Accepted) isEvent()     {}
func (Received) isEvent()     {}
func (Closed) isEvent()       {}
func (Dialed) isEvent()       {}
func (Wake) isEvent()         {}
func (Written) isEvent()      {}
func (SnapshotDone) isEvent() {}
func (Shutdown) isEvent()     {}
func (FileDone) isEvent()     {}

// Write is bytes to send on a connection.
type Write struct {
	Conn ConnID
	Data []byte // owned by the driver from now on
}

// Dial asks the driver to connect to Addr ("host:port") as Conn and report
// the outcome with a Dialed event.
type Dial struct {
	Conn ConnID
	Addr string
}

// Snapshot asks the driver to encode Snap as an RDB (Snap.WriteRDB with Opts
// and Aux), off the node's loop if it can, then to write it atomically to
// File (dir/dbfilename; "" = do not write a file), release the snapshot and
// report SnapshotDone. Clients keep being served meanwhile (BGSAVE).
type Snapshot struct {
	ID   uint64
	Snap *store.Snapshot
	Opts rdb.Options
	Aux  []rdb.AuxField
	File string
}

// File asks the driver to rewrite the text file Name: read it ("" when it
// does not exist), write Rewrite(old) atomically, and report FileDone
// (CONFIG REWRITE, ACL SAVE). With Rewrite nil the driver only reads the
// file and reports its content, or the error (a missing file is one), in
// FileDone (ACL LOAD).
type File struct {
	Name    string
	Rewrite func(old string) string
}

// LogLine is one line of the node's log.
type LogLine struct {
	Time  time.Time
	Level byte // '.' debug, '-' verbose, '*' notice, '#' warning
	Role  byte // 'M' master, 'S' replica, 'C' background save
	Text  string
}

// Format renders the line as Redis does: "pid:role dd Mon yyyy hh:mm:ss.mmm <level> text".
// A line without a role is pre-formatted (the signal handler's) and is
// rendered as it is.
func (l LogLine) Format(pid int) string {
	if l.Role == 0 {
		return l.Text
	}
	return fmt.Sprintf("%d:%c %s %c %s", pid, l.Role, l.Time.Format("02 Jan 2006 15:04:05.000"), l.Level, l.Text)
}

// Ready is the effects accumulated since the last call to Node.Ready. A
// driver carries them out with Apply, which alone knows their order.
type Ready struct {
	Writes []Write
	Closes []ConnID
	// Drops are connections to close now, discarding the writes still
	// queued for them (a client over its output buffer limit).
	Drops     []ConnID
	Dials     []Dial
	Snapshots []Snapshot
	Files     []File
	Logs      []LogLine
	// WakeAt is when the node wants a Wake event at the latest.
	WakeAt time.Time
	// Exit asks the driver to exit with ExitCode once the effects are applied.
	Exit     bool
	ExitCode int
}

// Driver carries out a node's effects: one method per kind, so a driver
// that forgets one does not compile (CONFIG REWRITE once never answered on
// a driver that skipped Files). The methods may step the node (Write
// reports Written at once when the bytes went out); what those steps
// produce is in the next Ready.
type Driver interface {
	// Log records lines of the node's log (at least one).
	Log(lines []LogLine)
	// Write queues bytes on a connection, after those queued before.
	Write(w Write)
	// Close closes a connection once its queued writes are flushed, or
	// abandons a dial still under way.
	Close(conn ConnID)
	// Drop closes a connection now, discarding its queued writes.
	Drop(conn ConnID)
	// Dial connects and reports Dialed.
	Dial(d Dial)
	// Snapshot encodes (and maybe saves) an RDB and reports SnapshotDone.
	Snapshot(s Snapshot)
	// RewriteFile rewrites a text file and reports FileDone.
	RewriteFile(f File)
	// WakeAt says when the node wants a Wake event at the latest; zero
	// when it wants none.
	WakeAt(t time.Time)
	// Exit ends the node's process with code, after the effects above.
	Exit(code int)
}

// Apply carries out rd on d in the order the node relies on: logs first
// (they describe what follows), writes before the closes that flush them,
// closes and drops before dials (a new link never races the old one),
// then background work (snapshots, files), then the wake or the exit. It
// reports whether the node exited.
func (rd Ready) Apply(d Driver) (exited bool) {
	if len(rd.Logs) > 0 {
		d.Log(rd.Logs)
	}
	each(rd.Writes, d.Write)
	each(rd.Closes, d.Close)
	each(rd.Drops, d.Drop)
	each(rd.Dials, d.Dial)
	each(rd.Snapshots, d.Snapshot)
	each(rd.Files, d.RewriteFile)
	if rd.Exit {
		d.Exit(rd.ExitCode)
		return true
	}
	d.WakeAt(rd.WakeAt)
	return false
}

// each hands the effects of one kind to the driver's method for them, in order.
func each[T any](effects []T, apply func(T)) {
	for _, e := range effects {
		apply(e)
	}
}

// Env is what the driver gives a node at start.
type Env struct {
	Now  time.Time
	Seed [2]uint64 // seeds the node's randomness (replication IDs, SPOP, sampling, EOF marks)
	Pid  int       // shown in log lines and INFO
	// Dump is the content of dir/dbfilename at start, nil when there is none.
	Dump []byte
	// Host facts for INFO server; all optional.
	OS, Arch, Executable, ConfigFile string
	// MemoryUsed, when set, reports the process's memory for INFO memory.
	MemoryUsed func() int64
	// LogIsTTY says the log goes to a terminal: Redis then shows its ASCII
	// logo at start as always-show-logo does.
	LogIsTTY bool
	// Scripting, when set, makes the node's scripting engine (EVAL,
	// FUNCTION): core/script/lua's New, natively and in the browser.
	// Without it the scripting commands answer that this build has none.
	Scripting func() script.Engine
	// ACLFile is the content of the aclfile at start, or ACLFileErr why
	// it could not be read (strerror's words); both empty without one.
	ACLFile, ACLFileErr string
	// Busy, when set, lets the node serve clients while one Step runs
	// long (see Busy). Without it a script past busy-reply-threshold is
	// stopped by the node, its run time counted in Lua instructions, and
	// SCRIPT DEBUG SYNC is refused.
	Busy Busy
	// Listen, when set, moves the driver's TCP listeners to port (none for
	// port 0), as Redis's changeListenPort does when CONFIG SET changes
	// port, and returns why it could not (its old listeners then stay).
	// The node calls it from inside Step, on the driver's goroutine. A
	// driver without sockets (the simulator, the browser) leaves it nil:
	// CONFIG SET port then changes only the value.
	Listen func(port int) error
}

// Busy is what a driver may offer a node that is busy inside one Step: a
// script running past busy-reply-threshold (Redis then answers other
// clients -BUSY, and lets them run SCRIPT KILL, FUNCTION KILL or SHUTDOWN
// NOSAVE), or one suspended in the Lua debugger, waiting for the
// debugging client's next command. The node calls it from inside Step, on
// the driver's goroutine, so its methods must not step the node.
//
// A driver that cannot read its connections in the middle of a Step (the
// simulator, whose events are scheduled; the browser, whose JavaScript
// event loop is blocked while Go runs) leaves Env.Busy nil.
type Busy interface {
	// Now is the current time (the node's clock inside a Step is the
	// Step's).
	Now() time.Time
	// Poll carries out rd at once (Ready.Apply: the replies, closes and
	// logs of what the node did while busy; rd.Exit ends the process as
	// SHUTDOWN NOSAVE does), then returns the events that arrived since the
	// last Step or Poll, in order. With wait it waits until at least one
	// has. Effects a driver reports by stepping the node (Written) are
	// returned among the events instead. After an exit it returns none.
	Poll(rd Ready, wait bool) []Event
}
