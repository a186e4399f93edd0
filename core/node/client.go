package node

import (
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/resp"
)

// client is one connection's state (Redis's client struct).
type client struct {
	conn        ConnID
	id          int64 // CLIENT ID
	addr, laddr string
	name        string
	db          int
	created     time.Time
	lastActive  time.Time
	lastCmd     string
	// SCRIPT DEBUG YES (luaDebug) or SYNC (both): the client's next EVAL
	// runs under the Lua debugger.
	luaDebug, luaDebugSync bool
	// The last command name looked up and what it found (see lookup).
	lastLookup []byte
	lastCmdRec *command.Command
	spare      []byte // an output buffer the driver gave back (Recycle)
	qbuf       []byte
	parser     resp.Parser
	out        resp.Writer
	queuedOut  bool // in n.pending
	unflushed  int  // bytes handed to the driver and not yet reported Written
	authed     bool
	user       *aclUser // nil for the link to our master: it may run anything
	closeAfter bool     // close once the pending reply is written
	closed     bool
	multi      *multiState
	watched    []watchKey
	dirtyCAS   bool
	blocked    *blockState
	channels   map[string]bool
	patterns   map[string]bool
	chanOrder  []string // subscription order, for deterministic iteration
	// The shard channels (SSUBSCRIBE), in subscription order too.
	shardChannels map[string]bool
	shardOrder    []string
	patOrder      []string
	monitor       bool
	isMaster      bool          // the link to our master, once streaming
	replica       *repl.Replica // set once the client asked for SYNC/PSYNC
	replRef       *repl.Reader  // its place in the shared replication buffer, once fed
	replSnapshot  uint64        // the snapshot job the replica waits for
	softLimitAt   time.Time     // when the output buffer first passed the soft limit
	woff          int64         // master offset after this client's last propagated write (WAIT)
	// CLIENT REPLY: OFF silences every reply, SKIP the next command's.
	// Pushes (pub/sub messages and (un)subscribe confirmations) still go
	// out, as Redis's CLIENT_PUSHING lets them.
	replyOff, replySkip, replySkipNext bool
	running                            bool        // c's own command is executing
	script                             bool        // the scripts' fake client: no connection
	pushes                             resp.Writer // pushes made while c's silenced command runs
}

type multiState struct {
	cmds  [][][]byte
	dirty bool // a queued command was refused: EXEC aborts
	// flags are the queued commands' flags together, and nonStale is set
	// when one of them is not allowed on a stale replica: EXEC is checked
	// against them (Redis's mstate.cmd_flags and cmd_inv_flags).
	flags    command.Flag
	nonStale bool
}

type watchKey struct {
	db      int
	key     string
	expired bool // already expired (not yet deleted) when watched
}

type blockState struct {
	argv    [][]byte
	keys    []string
	db      int
	timeout time.Time // zero = forever
	// orig is the command as the client sent it (SLOWLOG logs it when
	// served), dur the modelled time it held the node when it blocked.
	orig [][]byte
	dur  time.Duration
	// postponed: the client's command (argv) waits for a client pause to
	// end, then runs from the start (Redis's BLOCKED_POSTPONE).
	postponed bool
}

func (c *client) subscriptions() int { return len(c.channels) + len(c.patterns) }

// pubsubMode reports whether c subscribes to anything, shard channels
// included (Redis's CLIENT_PUBSUB).
func (c *client) pubsubMode() bool { return c.subscriptions() > 0 || len(c.shardChannels) > 0 }

// silenced reports whether CLIENT REPLY OFF or SKIP drops c's replies now.
func (c *client) silenced() bool { return c.replyOff || c.replySkip }

// push is where a push for c goes: its output, unless c's own silenced
// command is running, whose replies are dropped once it ends while the
// pushes are kept.
func (c *client) push() *resp.Writer {
	if c.running && c.silenced() {
		c.pushes.Proto = c.out.Proto
		return &c.pushes
	}
	return &c.out
}

// flags renders CLIENT LIST's flags field.
func (c *client) flags() string {
	f := ""
	if c.replica != nil {
		f += "S"
	}
	if c.isMaster {
		f += "M"
	}
	if c.pubsubMode() {
		f += "P"
	}
	if c.multi != nil {
		f += "x"
	}
	if c.blocked != nil {
		f += "b"
	}
	if c.monitor {
		f += "O"
	}
	if c.closeAfter {
		f += "c"
	}
	if len(c.addr) > 0 && c.addr[0] == '/' { // a unix socket's "<path>:0"
		f += "U"
	}
	if f == "" {
		f = "N"
	}
	return f
}
