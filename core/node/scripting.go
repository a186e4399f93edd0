package node

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/core/script"
)

// errNoScripting answers the scripting commands when the driver gave the
// node no engine (Env.Scripting nil: a core/sim world without one).
const errNoScripting = "ERR scripting is not available in this build (no Lua engine linked)"

// msPerTick is the run time one poll of a running script (100000 Lua
// instructions) stands for (see Interrupted).
const msPerTick = 5

// scriptRun is one EVAL or FCALL in progress: the Host its engine calls
// back into, and the run flags of Redis's scriptRunCtx.
type scriptRun struct {
	n          *Node
	caller     *client
	eval       bool
	readOnly   bool // SCRIPT_READ_ONLY: *_RO, or a no-writes script
	allowOOM   bool
	writeDirty bool // SCRIPT_WRITE_DIRTY: a write command ran
	replOff    bool // redis.set_repl without REPL_REPLICA
	// ticks counts Interrupted's polls (one per 100000 Lua instructions,
	// standing for msPerTick of run time) against limit (0: none), when
	// the driver has no Busy.
	ticks, limit int64
	// With the driver's Busy: busy-reply-threshold in ms, when the run
	// started (or last left the debugger), whether it went past the
	// threshold (others are served, BUSY) and whether SCRIPT KILL or
	// FUNCTION KILL asked it to stop.
	limitMs          int64
	start, began     time.Time // began: the run's start, kept through the debugger
	timedOut, killed bool
	name             string   // the sha or function name (FUNCTION STATS, the slow script log)
	argv             [][]byte // the caller's command (FUNCTION STATS)
	// The debugger session's input from the caller, and whether the
	// caller went away.
	debugIn   []byte
	debugGone bool
}

// scriptClient is the script's fake client (Redis's lua_client): it runs
// the script's commands in its own database and has no connection.
func (n *Node) scriptClient() *client {
	if n.luaClient == nil {
		c := &client{id: n.nextClientID, addr: "lua", created: n.now, authed: true, script: true}
		n.nextClientID++
		c.out.Errors = &n.stats.errors
		n.luaClient = c
	}
	return n.luaClient
}

// Call runs argv for the script after scriptCall's checks. A refused
// command counts as rejected, and its error in the error statistics, as
// scriptCall's afterErrorReply counts it.
func (r *scriptRun) Call(argv [][]byte, proto int) ([]byte, string) {
	reply, rejected, name := r.call(argv, proto)
	if rejected != "" {
		if name != "" {
			r.n.cmdStat(name).rejected++
		}
		counted := rejected
		if strings.HasPrefix(counted, "-") {
			counted = counted[1:]
		} else {
			counted = "ERR " + counted
		}
		tally := resp.Writer{Errors: &r.n.stats.errors}
		tally.Error(counted)
		// Counted for this command, not the script's (Redis's
		// incrCommandStatsOnError keeps the count it last saw).
		r.n.stats.prevErrs = r.n.stats.errors.Total
	}
	return reply, rejected
}

// ErrorNotCounted marks the script's command failed: its error reply was
// counted when the command the script ran replied it.
func (r *scriptRun) ErrorNotCounted() {
	if name := r.n.currentFull; name != "" {
		r.n.cmdStat(name).failed++
	}
}

func (r *scriptRun) call(argv [][]byte, proto int) (reply []byte, rejected, name string) {
	n := r.n
	// scriptCall: lookupCommand (a container's subcommand included), then
	// its arity.
	cmd := n.scriptClient().lookup(argv[0])
	if cmd != nil && cmd.Container() && len(argv) > 1 {
		cmd = cmd.Sub(argv[1])
	}
	if cmd == nil {
		return nil, "Unknown Redis command called from script", ""
	}
	if !cmd.ArityOK(len(argv)) {
		return nil, "Wrong number of args calling Redis command from script", cmd.Name
	}
	name = cmd.Name
	flags := cmd.Flags
	if (flags&command.NoScript != 0 || strings.HasPrefix(name, "function") || strings.HasPrefix(name, "script")) && !n.dbg.allowDenyScripts {
		return nil, "This Redis command is not allowed from script", name
	}
	if n.isReplica() && !n.linkUp() && !n.cfg.ReplicaServeStaleData && flags&command.Stale == 0 {
		return nil, "Can not execute the command on a stale replica", name
	}
	if u := r.caller.user; u != nil && !u.unrestricted {
		fullName, _, _ := n.commandIdentity(argv)
		if res, pos := n.aclCheck(u, fullName, flags, argv); res != aclOK {
			n.aclLogDenial(r.caller, res, aclCtxLua, fullName, argv, pos)
			why := "lacking the permissions for the command"
			switch res {
			case aclDeniedCmd:
				why = "can't run this command or subcommand"
			case aclDeniedKey:
				why = "can't access at least one of the keys mentioned in the command arguments"
			case aclDeniedChannel:
				why = "can't publish to the channel mentioned in the command"
			}
			return nil, "The user executing the script " + why, name
		}
	}
	if r.readOnly && flags&(command.Write|command.MayReplicate) != 0 {
		return nil, "Write commands are not allowed from read-only scripts.", name
	}
	if flags&command.Write != 0 && !r.writeDirty {
		obey := r.caller.isMaster
		switch {
		case n.isReplica() && n.cfg.ReplicaReadOnly && !obey:
			return nil, "-READONLY You can't write against a read only replica.", name
		case n.cfg.StopWritesOnBgsaveError && !n.persist.lastBgsaveOK && len(n.cfg.Save) > 0 && !n.isReplica():
			return nil, "-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.", name
		case !n.isReplica() && n.cfg.MinReplicasToWrite > 0 && n.goodReplicas() < n.cfg.MinReplicasToWrite:
			return nil, "-NOREPLICAS Not enough good replicas to write.", name
		}
	}
	if !r.allowOOM && n.cfg.MaxMemory > 0 && !r.caller.isMaster && !r.writeDirty && n.preOOM && flags&command.DenyOOM != 0 {
		return nil, "-OOM " + strings.TrimPrefix(errOOM, "OOM "), name
	}
	if flags&command.Write != 0 {
		r.writeDirty = true
	}
	lc := n.scriptClient()
	lc.out.Proto = proto
	lc.out.Reset()
	n.call(lc, argv)
	// The engine converts the reply before the script's next call, which
	// resets the buffer: no copy.
	return lc.out.Buf, "", name
}

// ACLCheck is redis.acl_check_cmd.
func (r *scriptRun) ACLCheck(argv [][]byte) (bool, bool) {
	fullName, flags, ok := r.n.commandIdentity(argv)
	if !ok {
		return false, false
	}
	u := r.caller.user
	if u == nil || u.unrestricted {
		return true, true
	}
	res, _ := r.n.aclCheck(u, fullName, flags, argv)
	return res == aclOK, true
}

// SetRepl is redis.set_repl: without REPL_REPLICA the script's writes
// are not propagated (AOF does not exist here).
func (r *scriptRun) SetRepl(flags int) { r.replOff = flags&script.ReplReplica == 0 }

// Log is redis.log.
func (r *scriptRun) Log(level int, msg string) {
	r.n.log(".-*#"[level], msg)
}

// Interrupted stops a script that runs past busy-reply-threshold when the
// driver has no Busy (with one, see timedOutInterrupt).
//
// Redis keeps serving other clients while a slow script runs (they get
// BUSY) until SCRIPT KILL. Here the script runs inside one Step of a
// single-threaded, deterministic node: no other client can be served, and
// no time passes (the clock is the Step's). So the threshold is counted in
// Lua instructions, 100000 of them standing for msPerTick milliseconds
// (gopher-lua ran about 17 million a second on a loaded 2-core machine),
// and the node stops the script itself when it is
// reached, with an error that says so, instead of answering BUSY to others.
// Writes already made stay, and are propagated, as Redis would keep them.
func (r *scriptRun) Interrupted() (bool, string) {
	if r.n.env.Busy != nil {
		return r.timedOutInterrupt()
	}
	r.ticks++
	if r.limit > 0 && r.ticks >= r.limit {
		return true, "ERR Script ran past busy-reply-threshold (" + strconv.FormatInt(r.limit*msPerTick, 10) +
			" ms, counted as 20000 Lua instructions each) and was stopped: a script here holds the server alone, so it cannot be left running for SCRIPT KILL"
	}
	return false, ""
}

// numKeys parses EVAL/FCALL's numkeys, replying on error.
func numKeys(c *client, args [][]byte) (int, bool) {
	nk, ok := cstr.String2ll(args[2])
	if !ok {
		c.out.Error(command.ErrNotInt)
		return 0, false
	}
	if nk > int64(len(args)-3) {
		c.out.Error("ERR Number of keys can't be greater than number of args")
		return 0, false
	}
	if nk < 0 {
		c.out.Error("ERR Number of keys can't be negative")
		return 0, false
	}
	return int(nk), true
}

func cmdEval(n *Node, c *client, args [][]byte)      { n.evalMaybeDebug(c, args, false) }
func cmdEvalRO(n *Node, c *client, args [][]byte)    { n.evalMaybeDebug(c, args, true) }
func cmdEvalsha(n *Node, c *client, args [][]byte)   { n.evalsha(c, args, false) }
func cmdEvalshaRO(n *Node, c *client, args [][]byte) { n.evalsha(c, args, true) }

// evalsha is evalShaCommand: a debugging client must send the script.
func (n *Node) evalsha(c *client, args [][]byte, ro bool) {
	if c.luaDebug && n.scripts != nil && len(args[1]) == 40 {
		c.out.Error("ERR Please use EVAL instead of EVALSHA for debugging")
		return
	}
	n.evalGeneric(c, args, true, ro, false)
}

// evalGeneric is evalGenericCommand: find or compile the script, check
// its flags against the server's state, and run it.
func (n *Node) evalGeneric(c *client, args [][]byte, evalsha, ro, debug bool) (debugged bool) {
	if n.scripts == nil {
		c.out.Error(errNoScripting)
		return false
	}
	if evalsha && len(args[1]) != 40 {
		c.out.Error("NOSCRIPT No matching script. Please use EVAL.")
		return false
	}
	nk, ok := numKeys(c, args)
	if !ok {
		return false
	}
	var sha string
	if evalsha {
		sha = n.scriptSHA(args[1])
		if _, ok := n.scripts.Script(sha); !ok {
			c.out.Error("NOSCRIPT No matching script. Please use EVAL.")
			return false
		}
	} else {
		var err error
		if sha, err = n.scripts.LoadScript(args[1]); err != nil {
			c.out.Error("ERR " + err.Error())
			return false
		}
	}
	flags, _ := n.scripts.Script(sha)
	r, ok := n.prepareScript(c, flags, ro)
	if !ok {
		return false
	}
	r.eval, r.name, r.argv = true, sha, args
	n.runScript(r, func() {
		if debug {
			n.scripts.DebugScript(sha, args[1], args[3:3+nk], args[3+nk:], r, &c.out)
		} else {
			n.scripts.RunScript(sha, args[3:3+nk], args[3+nk:], r, &c.out)
		}
	})
	return debug
}

// prepareScript is scriptPrepareForRun: the checks a script's declared
// flags call for before it runs, and the run's own flags.
func (n *Node) prepareScript(c *client, flags script.Flags, ro bool) (*scriptRun, bool) {
	stale := n.isReplica() && !n.linkUp() && !n.cfg.ReplicaServeStaleData
	obey := c.isMaster
	if flags&script.EvalCompat == 0 {
		if stale && flags&script.AllowStale == 0 {
			c.out.Error("MASTERDOWN Link with MASTER is down, replica-serve-stale-data is set to 'no' and 'allow-stale' flag is not set on the script.")
			return nil, false
		}
		if flags&script.NoWrites == 0 {
			if n.isReplica() && n.cfg.ReplicaReadOnly && !obey {
				c.out.Error("READONLY Can not run script with write flag on readonly replica")
				return nil, false
			}
			if n.cfg.StopWritesOnBgsaveError && !n.persist.lastBgsaveOK && len(n.cfg.Save) > 0 && !obey {
				c.out.Error("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.")
				return nil, false
			}
			if ro {
				c.out.Error("ERR Can not execute a script with write flag using *_ro command.")
				return nil, false
			}
			if !n.isReplica() && n.cfg.MinReplicasToWrite > 0 && n.cfg.MinReplicasMaxLag > 0 && n.goodReplicas() < n.cfg.MinReplicasToWrite {
				c.out.Error("NOREPLICAS Not enough good replicas to write.")
				return nil, false
			}
		}
		if n.preOOM && n.cfg.MaxMemory > 0 && flags&(script.AllowOOM|script.NoWrites) == 0 {
			c.out.Error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'")
			return nil, false
		}
	} else if stale {
		c.out.Error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")
		return nil, false
	}
	// The node's own record serves the run unless one is in progress (a
	// script inside a script): no allocation for the usual case.
	r := &n.topRun
	if n.scriptRun != nil {
		r = new(scriptRun)
	}
	*r = scriptRun{n: n, caller: c}
	if ms := n.cfg.BusyReplyThreshold; ms > 0 {
		r.limit = (ms + msPerTick - 1) / msPerTick
		r.limitMs = ms
	}
	if n.env.Busy != nil {
		r.start = n.env.Busy.Now()
		r.began = r.start
	}
	r.readOnly = ro || (flags&script.EvalCompat == 0 && flags&script.NoWrites != 0)
	r.allowOOM = flags&script.EvalCompat == 0 && flags&script.AllowOOM != 0
	return r, true
}

// runScript runs body as the current script: its commands run as the
// script client in the caller's database, as one unit (like EXEC: their
// propagation is flushed together, wrapped in MULTI/EXEC when there are
// several, and no blocked client is served in between).
func (n *Node) runScript(r *scriptRun, body func()) {
	lc := n.scriptClient()
	lc.db = r.caller.db
	prev := n.scriptRun
	n.scriptRun = r
	n.execDepth++
	body()
	n.execDepth--
	n.scriptRun = prev
	if prev == nil {
		n.held += r.ranFor()
	}
}

// ranFor is how long the script held the node: the driver's clock with a
// Busy, else its Lua instructions counted in msPerTick (see Interrupted).
func (r *scriptRun) ranFor() time.Duration {
	if r.n.env.Busy != nil {
		return r.n.env.Busy.Now().Sub(r.began)
	}
	return time.Duration(r.ticks*msPerTick) * time.Millisecond
}

func cmdScript(n *Node, c *client, args [][]byte) {
	sub := strings.ToLower(string(args[1]))
	if sub == "help" && len(args) == 2 {
		help(c, "SCRIPT", []string{
			"DEBUG (YES|SYNC|NO)",
			"    Set the debug mode for subsequent scripts executed.",
			"EXISTS <sha1> [<sha1> ...]",
			"    Return information about the existence of the scripts in the script cache.",
			"FLUSH [ASYNC|SYNC]",
			"    Flush the Lua scripts cache. Very dangerous on replicas.",
			"    When called without the optional mode argument, the behavior is determined by the",
			"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
			"    * ASYNC: Asynchronously flush the scripts cache.",
			"    * SYNC: Synchronously flush the scripts cache.",
			"KILL",
			"    Kill the currently executing Lua script.",
			"LOAD <script>",
			"    Load a script into the scripts cache without executing it.",
		})
		return
	}
	if n.scripts == nil {
		c.out.Error(errNoScripting)
		return
	}
	switch {
	case sub == "flush":
		if len(args) > 3 || len(args) == 3 && !strings.EqualFold(string(args[2]), "sync") && !strings.EqualFold(string(args[2]), "async") {
			c.out.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
			return
		}
		n.scripts.FlushScripts()
		c.out.SimpleString("OK")
	case sub == "exists":
		c.out.ArrayLen(len(args) - 2)
		for _, a := range args[2:] {
			if _, ok := n.scripts.Script(string(a)); ok {
				c.out.Int(1)
			} else {
				c.out.Int(0)
			}
		}
	case sub == "load" && len(args) == 3:
		sha, err := n.scripts.LoadScript(args[2])
		if err != nil {
			c.out.Error("ERR " + err.Error())
			return
		}
		c.out.BulkString(sha)
	case sub == "kill" && len(args) == 2:
		n.scriptKill(c, true)
	case sub == "debug" && len(args) == 3:
		n.scriptDebug(c, lower(args[2]))
	default:
		subcommandError(c, args)
	}
}

// scriptCommandFlags adjusts a command's flags before the server's checks
// run: a script or function that declares flags runs with the flags they
// imply (evalGetCommandFlags, fcallGetCommandFlags, scriptFlagsToCmdFlags).
func (n *Node) scriptCommandFlags(name, fullName string, args [][]byte, flags command.Flag) command.Flag {
	var sf script.Flags
	switch name {
	case "eval", "eval_ro", "evalsha", "evalsha_ro":
		if n.scripts == nil {
			return flags
		}
		var ok bool
		if strings.HasPrefix(name, "evalsha") {
			sf, ok = n.scripts.Script(n.scriptSHA(args[1]))
		} else if sf, ok = n.scripts.Script(sha1hex(args[1])); !ok {
			sf, _, _ = script.Shebang(args[1])
			ok = true
		}
		if !ok {
			return flags
		}
	case "fcall", "fcall_ro":
		if n.scripts == nil {
			return flags
		}
		var ok bool
		if _, sf, ok = n.scripts.Function(string(args[1])); !ok {
			return flags
		}
	default:
		return flags
	}
	if sf&script.EvalCompat != 0 {
		return flags
	}
	flags &^= command.Stale | command.DenyOOM | command.Write | command.MayReplicate
	if sf&(script.AllowOOM|script.NoWrites) == 0 {
		flags |= command.DenyOOM
	}
	if sf&script.NoWrites == 0 {
		flags |= command.Write
	}
	if sf&script.AllowStale != 0 {
		flags |= command.Stale
	}
	return flags
}

// scriptSHA is an EVALSHA argument lower-cased, as the cache names
// scripts. The last one is kept: a client running the same script again
// (the usual case) costs no allocation.
func (n *Node) scriptSHA(b []byte) string {
	if string(b) != n.lastSHA {
		n.lastSHA = strings.ToLower(string(b))
	}
	return n.lastSHA
}

// sha1hex is a script body's name in the cache.
func sha1hex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}
