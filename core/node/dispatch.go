package node

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/repl"
	"github.com/syncscope/syncscope/core/store"
)

// call runs one command from c, as Redis's processCommand does: lookup,
// arity, authentication, state checks, MULTI queueing, execution, then
// propagation and serving clients blocked on the keys it touched.
func (n *Node) call(c *client, args [][]byte) {
	// EXEC calls back in here for each queued command: restore the outer
	// call's state, so that its propagation is still the client's (woff).
	// Not deferred: after a panic the crash report shows the command that
	// was running.
	prev, prevName, prevFull, prevArgs := n.current, n.currentName, n.currentFull, n.currentArgs
	n.current, n.currentName, n.currentFull, n.currentArgs = c, "", "", args
	n.run(c, args)
	n.current, n.currentName, n.currentFull, n.currentArgs = prev, prevName, prevFull, prevArgs
}

func (n *Node) run(c *client, args [][]byte) {
	c.lastActive = n.now
	if securityAttack(args[0]) {
		n.log('#', "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.")
		n.closeClient(c)
		return
	}
	cmdName := args[0]
	if n.hidden != nil {
		cmdName = n.renamedCommand(cmdName)
	}
	cmd := c.lookup(cmdName)
	if cmd == nil {
		n.reject(c, unknownCommand(args))
		return
	}
	name := cmd.Name
	n.currentName, n.currentFull = name, name
	if !cmd.ArityOK(len(args)) {
		n.reject(c, fmt.Sprintf("ERR wrong number of arguments for '%s' command", name))
		return
	}
	if cmd.Container() && len(args) > 1 { // COMMAND alone is a command of its own
		if cmd = cmd.Sub(args[1]); cmd == nil {
			n.reject(c, unknownSubcommand(args))
			return
		}
		n.currentFull = cmd.Name // "client|setname", as Redis names it
		if !cmd.ArityOK(len(args)) {
			n.reject(c, fmt.Sprintf("ERR wrong number of arguments for '%s' command", cmd.Name))
			return
		}
	}
	fullName, flags := cmd.Name, cmd.Flags
	flags = n.scriptCommandFlags(name, fullName, args, flags)
	if n.execDepth == 0 && !n.admit(c, name, fullName, flags, args) {
		return
	}
	// Replicas are never paused: keep them off the keyspace.
	if c.replica != nil && c.replica.Attached && flags&(command.Write|command.MayReplicate|command.ReadOnly) != 0 {
		n.reject(c, "ERR Replica can't interact with the keyspace")
		return
	}
	if n.postponeIfPaused(c, args, name, flags) {
		return
	}
	if c.multi != nil && name != "exec" && name != "discard" && name != "multi" && name != "watch" && name != "quit" && name != "reset" {
		if flags&command.NoMulti != 0 {
			n.reject(c, "ERR Command not allowed inside a transaction")
			return
		}
		c.multi.cmds = append(c.multi.cmds, copyArgs(args))
		c.multi.flags |= flags
		if flags&command.Stale == 0 {
			c.multi.nonStale = true
		}
		if !c.isMaster { // a replica never answers its master
			c.out.SimpleString("QUEUED")
			n.queueOutput(c)
		}
		return
	}
	// Redis feeds MONITOR once the command ran (call()), with the database
	// it left selected, so EXEC comes after the commands it ran; EVAL and
	// FCALL (skip_monitor) feed themselves first, so that their scripts'
	// commands follow them. The arguments are taken as received.
	var monitorArgs string
	if len(n.monitoring) > 0 && flags&command.Admin == 0 {
		if monitorArgs = formatMonitorArgs(name, args); flags&command.SkipMonitor != 0 {
			n.feedMonitors(c, monitorArgs)
			monitorArgs = ""
		}
	}
	n.stats.commands++
	c.lastCmd = fullName
	n.stats.prevErrs = n.stats.errors.Total
	errsBefore := n.stats.errors.Total
	// REPLCONF ACK answers nothing but may release the stream held for
	// the replica's first ACK into its output.
	replica := c.replica != nil && c.replica.Attached && name != "replconf"
	outBefore, offBefore := len(c.out.Buf), n.repl.hist.Offset
	heldBefore := n.held
	if cmd.Run != nil {
		n.runKeyspace(c, cmd, args)
	} else {
		n.handlers[cmd.ID](n, c, args)
	}
	if replica && !c.closed {
		replied := len(c.out.Buf) - outBefore
		if c.replica.State == repl.Online && !c.replica.StreamOnAck {
			replied -= int(n.repl.hist.Offset - offBefore) // its own stream
		}
		if replied > 0 {
			c.out.Buf = c.out.Buf[:outBefore]
			n.replicaReplied(c, fullName)
		}
	}
	if monitorArgs != "" {
		n.feedMonitors(c, monitorArgs)
	}
	// Looked up after the run: CONFIG RESETSTAT may have cleared the table.
	st := n.cmdStat(fullName)
	st.calls++
	if n.stats.errors.Total > n.stats.prevErrs {
		st.failed++
	}
	n.stats.prevErrs = n.stats.errors.Total
	dur := n.held - heldBefore
	n.commandLatency(cmd, dur)
	if c.blocked == nil {
		n.timed(st, dur)
		n.slowlogPush(c, cmd, args, dur)
	} else {
		// Timed and logged once served (updateStatsOnUnblock), but its
		// usec counts now too, as Redis's call() adds it.
		st.usec += dur.Microseconds()
		c.blocked.dur = dur
	}
	if c.isMaster {
		if n.stats.errors.Total > errsBefore {
			n.errorToMaster(firstError(c.out.Buf), fullName)
		}
		c.out.Reset()
	} else {
		n.queueOutput(c)
	}
	if n.execDepth == 0 {
		n.flushPropagation()
		// After a DEBUG SLEEP the command ends when the sleep does: blocked
		// clients are served then (see asleep).
		// Nor while a slow script serves others (processCommand).
		if n.dbg.busyUntil.IsZero() && !n.busy.serving {
			n.serveBlocked()
		}
		if n.unblocked != nil {
			n.resumeUnblocked()
		}
	}
}

// lookup is command.Lookup of name through c's last lookup: a client
// usually sends the same command again (pipelines, benchmarks), and a
// script's redis.call is looked up by the script's checks first, then by
// call: remember the last one instead of hashing the name again.
func (c *client) lookup(name []byte) *command.Command {
	if bytes.Equal(name, c.lastLookup) {
		return c.lastCmdRec
	}
	cmd := command.Lookup(name)
	if cmd != nil {
		c.lastLookup = append(c.lastLookup[:0], name...)
		c.lastCmdRec = cmd
	}
	return cmd
}

// admit runs processCommand's checks before a command runs or is queued:
// DEBUG permission, authentication, ACL permissions, OOM, MISCONF, NOREPLICAS, READONLY,
// the subscribed context and MASTERDOWN. It replies with the refusal and
// reports false. Commands EXEC runs were checked when queued, and EXEC was
// checked for them all (Redis's call() does none of this).
func (n *Node) admit(c *client, name, fullName string, flags command.Flag, args [][]byte) bool {
	n.preOOM = false
	if name == "debug" && !n.debugAllowed(c) {
		n.reject(c, `ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`)
		return false
	}
	if !c.authed && flags&command.NoAuth == 0 && n.authRequired(c) {
		n.reject(c, "NOAUTH Authentication required.")
		return false
	}
	if u := c.user; u != nil && !u.unrestricted && !n.aclPermit(c, fullName, flags, args) {
		return false
	}
	isExec := name == "exec" && c.multi != nil
	if isExec {
		flags |= c.multi.flags & (command.Write | command.DenyOOM)
		if c.multi.nonStale {
			flags &^= command.Stale
		}
	}
	if n.execDepth == 0 && n.cfg.MaxMemory > 0 && !c.isMaster && !n.busy.serving && n.evictionsApply() {
		// Queuing in MULTI may use any amount of memory: refuse it too,
		// but never EXEC (unless it holds a command that may grow memory),
		// DISCARD, QUIT or RESET.
		rejectOOM := flags&command.DenyOOM != 0 ||
			c.multi != nil && name != "exec" && name != "discard" && name != "quit" && name != "reset"
		n.preOOM = !n.performEvictions()
		if n.preOOM && rejectOOM {
			n.reject(c, errOOM)
			return false
		}
	}
	isWrite := flags&command.Write != 0
	if !c.isMaster && c.replica == nil {
		if isWrite && n.cfg.StopWritesOnBgsaveError && !n.persist.lastBgsaveOK && len(n.cfg.Save) > 0 && !n.isReplica() {
			n.reject(c, "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.")
			return false
		}
		if isWrite && !n.isReplica() && n.cfg.MinReplicasToWrite > 0 && n.goodReplicas() < n.cfg.MinReplicasToWrite {
			n.reject(c, "NOREPLICAS Not enough good replicas to write.")
			return false
		}
		if isWrite && n.isReplica() && n.cfg.ReplicaReadOnly {
			n.reject(c, "READONLY You can't write against a read only replica.")
			return false
		}
	}
	if c.pubsubMode() && c.out.Proto != 3 && flags&command.Subscribed == 0 {
		n.reject(c, fmt.Sprintf("ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context", fullName))
		return false
	}
	if n.isReplica() && !c.isMaster && !n.linkUp() && !n.cfg.ReplicaServeStaleData && flags&command.Stale == 0 {
		n.reject(c, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")
		return false
	}
	if loading, async := n.loadingNow(); loading && (!async && flags&command.Loading == 0 || async && noAsyncLoading[name]) {
		n.reject(c, errLoading)
		return false
	}
	return !n.rejectBusy(c, flags)
}

// securityAttack reports whether name is POST or Host:, which Redis takes
// for an HTTP request and refuses before any lookup.
func securityAttack(name []byte) bool {
	return (len(name) == 4 && command.EqualFold(name, "post")) || (len(name) == 5 && command.EqualFold(name, "host:"))
}

// unknownCommand is processCommand's reply to a command it does not know.
func unknownCommand(args [][]byte) string {
	var sb strings.Builder
	for _, a := range args[1:] {
		if sb.Len() >= 128 {
			break
		}
		s := string(a)
		if room := 128 - sb.Len(); len(s) > room {
			s = s[:room]
		}
		sb.WriteString("'" + s + "' ")
	}
	cmd := string(args[0])
	if len(cmd) > 128 {
		cmd = cmd[:128]
	}
	return fmt.Sprintf("ERR unknown command '%s', with args beginning with: %s", cmd, sb.String())
}

// unknownSubcommand is processCommand's reply to a container command's
// subcommand it does not know (commandCheckExistence).
func unknownSubcommand(args [][]byte) string {
	return fmt.Sprintf("ERR unknown subcommand '%s'. Try %s HELP.", subcommandName(args), strings.ToUpper(string(args[0])))
}

// subcommandName is the subcommand as Redis's errors print it: "%.128s".
func subcommandName(args [][]byte) []byte {
	sub := cstr.UntilNUL(args[1])
	return sub[:min(len(sub), 128)]
}

// renamedCommand maps a command name as called to the original name it
// runs under rename-command; nil when that name no longer exists.
func (n *Node) renamedCommand(name []byte) []byte {
	lname := lower(name)
	if orig, ok := n.renamed[lname]; ok {
		return []byte(orig)
	}
	if n.hidden[lname] {
		return nil
	}
	return name
}

// reject replies with an error and, inside MULTI, dooms the transaction.
// A rejected EXEC discards the transaction and says why, as Redis's
// execCommandAbort does (whether or not a MULTI is open).
func (n *Node) reject(c *client, msg string) {
	if c.multi != nil {
		c.multi.dirty = true
	}
	if n.currentName == "exec" && !c.isMaster {
		c.multi = nil
		n.unwatchAll(c)
		msg = "EXECABORT Transaction discarded because of: " + strings.TrimPrefix(msg, "ERR ")
		// execCommandAbort: monitors saw MULTI, now they see the end.
		if len(n.monitoring) > 0 {
			n.feedMonitors(c, formatMonitorArgs("exec", n.currentArgs))
		}
	}
	if n.currentFull != "" {
		n.cmdStat(n.currentFull).rejected++
	}
	if c.isMaster {
		n.errorToMaster(msg, "<unknown>")
		return
	}
	if c.replica != nil && c.replica.Attached {
		n.replicaReplied(c, n.currentFull)
		n.log('#', fmt.Sprintf("== CRITICAL == This master is sending an error to its replica: '%s' after processing the command '%s'", strings.TrimPrefix(msg, "ERR "), n.currentFull))
		return
	}
	c.out.Error(msg)
	n.queueOutput(c)
}

// errorToMaster logs the error a command of our master's stream got (the
// reply itself goes nowhere), with the latest backlog bytes, as Redis's
// afterErrorReply and showLatestBacklog do: the two may have diverged.
func (n *Node) errorToMaster(msg, cmd string) {
	// Redis logs the text it was given: without the ERR its addReplyError
	// adds, with the dash of an error object (-WRONGTYPE ...).
	if rest, ok := strings.CutPrefix(msg, "ERR "); ok {
		msg = rest
	} else {
		msg = "-" + msg
	}
	n.log('#', fmt.Sprintf("== CRITICAL == This replica is sending an error to its master: '%s' after processing the command '%s'", msg, cmd))
	if b := n.repl.backlog; b != nil && b.HistLen() > 0 {
		var dump []byte
		for _, p := range b.From(max(b.First(), b.End()+1-256)) {
			dump = append(dump, p...)
		}
		n.log('#', fmt.Sprintf("Latest backlog is: '%s'", cstr.Repr(dump)))
	}
}

// firstError is the text of the first error reply in out, without its dash.
func firstError(out []byte) string {
	for len(out) > 0 {
		line, rest, _ := bytes.Cut(out, []byte("\r\n"))
		if len(line) > 0 && line[0] == '-' {
			return string(line[1:])
		}
		out = rest
	}
	return ""
}

// replicaReplied drops a replica whose command produced a reply: the
// replication link carries no replies (Redis's _addReplyToBufferOrList).
func (n *Node) replicaReplied(c *client, cmd string) {
	if cmd == "" {
		cmd = "<unknown>"
	}
	n.log('#', fmt.Sprintf("Replica generated a reply to command '%s', disconnecting it: %s", cmd, n.clientInfo(c)))
	n.closeClient(c)
}

// runKeyspace runs a keyspace command against the store.
func (n *Node) runKeyspace(c *client, spec *command.Command, args [][]byte) {
	n.st.Now = n.now.UnixMilli()
	n.st.Mode = n.expireMode(c)
	// One Ctx per node, reused: a fresh one per command escapes to the
	// heap. Keyspace commands never nest (EXEC and blocked clients' retries
	// run them one after another).
	ctx := &n.ctx
	*ctx = command.Ctx{
		Args: args, Store: n.st, DB: n.st.DBs[c.db], Now: n.st.Now, Rand: n.rand,
		W: &c.out, InMulti: n.execDepth > 0, Master: c.isMaster, Retry: n.retrying,
		Script: c.script,
	}
	if c.user != nil && !c.user.unrestricted && (spec.Name == "sort" || spec.Name == "sort_ro") {
		ctx.KeysLimited = !n.aclReadsAnyKey(c.user, spec.Name, args)
	}
	var emptied watchTouch
	if len(n.watchedBy) > 0 {
		emptied = n.watchersOfEmptied(c.db, spec.Name, args)
	}
	var flushed []store.KeyRef
	if len(n.blockedBy) > 0 && (spec.Name == "flushall" || spec.Name == "flushdb") {
		flushed = n.blockedStreams(c.db, spec.Name == "flushall")
	}
	spec.Run(ctx)
	n.readyKeys = append(n.readyKeys, flushed...)
	if len(n.replKeys.touched) > 0 {
		n.rememberReplicaKeys()
	}
	n.drainExpired()
	if ctx.Block != nil {
		n.block(c, args, ctx.Block)
		return
	}
	if ctx.Dirty > 0 {
		emptied.apply()
		switch spec.Name {
		case "swapdb":
			n.swapdbReady(args)
			n.forgetReplicaKeys()
		case "flushall":
			n.forgetReplicaKeys()
		}
	}
	if ctx.Dirty > 0 {
		n.persist.dirty += int64(ctx.Dirty)
		if ctx.Prop != nil {
			for _, p := range ctx.Prop {
				n.propagate(c.db, p)
			}
		} else {
			n.propagate(c.db, args)
		}
	}
}

// expireMode is how expired keys look to the command being run for c.
func (n *Node) expireMode(c *client) store.ExpireMode {
	if !n.isReplica() {
		if n.pause.typ != pauseOff && n.paused() {
			// The dataset stays as it is during a pause: expired keys
			// look missing and are deleted after it (expireIfNeeded).
			return store.ExpireHide
		}
		return store.ExpireDelete
	}
	if c != nil && c.isMaster {
		return store.ExpireIgnore
	}
	return store.ExpireHide
}

// drainExpired propagates the deletions of keys that expired during the
// command (or the cron), and publishes the keyspace notifications recorded.
func (n *Node) drainExpired() {
	for _, k := range n.st.Expired {
		n.stats.expired++
		n.propagate(k.DB, [][]byte{[]byte("DEL"), []byte(k.Key)})
	}
	n.st.Expired = n.st.Expired[:0]
	if len(n.st.Events) > 0 {
		n.publishEvents()
	}
}

// publishEvents publishes the keyspace notifications recorded by the store,
// in order, as notifyKeyspaceEvent does: to __keyspace@<db>__:<key> with the
// event as message (K), and to __keyevent@<db>__:<event> with the key (E).
func (n *Node) publishEvents() {
	flags := n.st.NotifyFlags
	var ch []byte
	for _, e := range n.st.Events {
		if flags&store.NotifyKeyspace != 0 {
			ch = append(ch[:0], "__keyspace@"...)
			ch = strconv.AppendInt(ch, int64(e.DB), 10)
			ch = append(append(ch, "__:"...), e.Key...)
			n.publish(ch, []byte(e.Name))
		}
		if flags&store.NotifyKeyevent != 0 {
			ch = append(ch[:0], "__keyevent@"...)
			ch = strconv.AppendInt(ch, int64(e.DB), 10)
			ch = append(append(ch, "__:"...), e.Name...)
			n.publish(ch, []byte(e.Key))
		}
	}
	clear(n.st.Events)
	n.st.Events = n.st.Events[:0]
}

// notifyFlags is what the store records: the configured classes, or none
// when neither K nor E would publish them.
func notifyFlags(cfg *config.Config) int {
	f := cfg.NotifyKeyspaceEvents()
	if f&(store.NotifyKeyspace|store.NotifyKeyevent) == 0 {
		return 0
	}
	return f
}

// propagate queues argv for replicas; flushPropagation sends the unit.
func (n *Node) propagate(db int, argv [][]byte) {
	if n.isReplica() || n.scriptRun != nil && n.scriptRun.replOff {
		return // a replica only forwards its master's stream; redis.set_repl
	}
	n.props = append(n.props, propagated{db: db, argv: argv})
}

// flushPropagation feeds the queued commands to the backlog and replicas,
// wrapped in MULTI/EXEC when there are several so they apply atomically.
func (n *Node) flushPropagation() {
	if len(n.props) == 0 {
		return
	}
	// Commands that touch arbitrary keys (SCAN, KEYS, RANDOMKEY) run
	// directly propagate their lazy-expiry DELs unwrapped, as Redis does.
	arbitrary := n.execDepth == 0 && (n.currentName == "scan" || n.currentName == "keys" || n.currentName == "randomkey")
	if len(n.props) > 1 && !arbitrary {
		if n.repl.multiExec == nil {
			n.repl.multiExec = [][]byte{[]byte("MULTI"), []byte("EXEC")}
		}
		n.feedStream(n.props[0].db, n.repl.multiExec[:1])
		for _, p := range n.props {
			n.feedStream(p.db, p.argv)
		}
		n.feedStream(-1, n.repl.multiExec[1:])
	} else {
		for _, p := range n.props {
			n.feedStream(p.db, p.argv)
		}
	}
	n.props = n.props[:0]
}

// formatMonitorArgs is a command's arguments as MONITOR shows them: quoted,
// with AUTH's and HELLO's secrets redacted.
func formatMonitorArgs(name string, args [][]byte) string {
	redacted := redactedArgs(name, args)
	var b []byte
	for i, a := range args {
		b = append(b, ' ')
		if redacted&(1<<i) != 0 {
			a = []byte("(redacted)")
		}
		b = cstr.AppendRepr(b, a)
	}
	return string(b)
}

// feedMonitors sends a command, its arguments formatted by
// formatMonitorArgs, to the MONITOR clients (replicationFeedMonitors).
func (n *Node) feedMonitors(c *client, args string) {
	us := n.now.UnixMicro()
	line := fmt.Sprintf("%d.%06d [%d %s]%s", us/1e6, us%1e6, c.db, c.addr, args)
	for _, m := range n.monitoring {
		m.out.SimpleString(line)
		n.queueOutput(m)
	}
}
