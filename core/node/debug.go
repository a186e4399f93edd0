package node

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/cstr"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/store"
)

// debugState is what DEBUG changes in the node.
type debugState struct {
	// noActiveExpire is DEBUG SET-ACTIVE-EXPIRE 0: the cron leaves expired
	// keys for lazy expiry.
	noActiveExpire bool
	// busyUntil is when DEBUG SLEEP lets the node go; zero when awake.
	busyUntil time.Time
	// sleeper is the client whose DEBUG SLEEP holds the node; its pipelined
	// commands resume when the sleep ends.
	sleeper *client
	// deferred are the events that arrived during the sleep, in order.
	deferred []Event
	// reloadWrite is the Snapshot effect writing DEBUG RELOAD's dump file.
	reloadWrite uint64
	// packedThreshold is DEBUG QUICKLIST-PACKED-THRESHOLD (0: the default).
	packedThreshold int
	// allowDenyScripts is DEBUG SET-DISABLE-DENY-SCRIPTS 1: scripts may call
	// the commands flagged noscript.
	allowDenyScripts bool
}

// debugAllowed is allowProtectedAction for enable-debug-command: yes, or
// local and the client is on a loopback address.
func (n *Node) debugAllowed(c *client) bool {
	switch v := n.cfg.Get("enable-debug-command"); {
	case len(v) == 1 && v[0][1] == "yes":
		return true
	case len(v) == 1 && v[0][1] == "local":
		return isLoopback(c.addr)
	}
	return false
}

// debugSleep is DEBUG SLEEP: Redis blocks its event loop, so nobody is served
// and every reply, the caller's OK included, comes after the sleep. The node
// must not sleep or read a clock, so it holds itself: Ready withholds output
// and asks for a Wake at the end, and Step defers every event until then.
// Doing it in the node keeps the drivers (native, browser, simulator)
// unchanged and the behaviour the same in all three.
func (n *Node) debugSleep(c *client, arg []byte) {
	d := cSeconds(arg)
	c.out.SimpleString("OK")
	if d <= 0 {
		return // nanosleep(0) or an invalid negative time: no pause
	}
	// Sleeps in one EXEC or script add up; each is its command's
	// duration.
	if n.dbg.busyUntil.IsZero() {
		n.dbg.busyUntil = n.now
	}
	n.dbg.busyUntil = n.dbg.busyUntil.Add(d)
	n.dbg.sleeper = c
	n.held += d
}

// cSeconds reads seconds as strtod does (the longest numeric prefix, 0 when
// there is none) and converts them to a duration, saturating.
func cSeconds(b []byte) time.Duration {
	s := string(bytes.TrimLeft(b, " \t\n\v\f\r"))
	var f float64
	for i := len(s); i > 0; i-- {
		if v, err := strconv.ParseFloat(s[:i], 64); err == nil || errors.Is(err, strconv.ErrRange) {
			f = v
			break
		}
	}
	switch {
	case math.IsNaN(f) || f <= 0:
		return 0
	case f >= float64(math.MaxInt64)/float64(time.Second):
		return math.MaxInt64
	}
	return time.Duration(f * float64(time.Second))
}

// cAtoi reads an int as atoi does: optional sign and leading digits, else 0.
func cAtoi(b []byte) int64 {
	b = bytes.TrimLeft(b, " \t\n\v\f\r")
	i := 0
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		i++
	}
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	v, _ := strconv.ParseInt(string(b[:i]), 10, 64)
	return v
}

// asleep reports whether ev must wait for DEBUG SLEEP to end, and keeps it
// (with its own copy of the data) if so. Once the time has passed it resumes
// the sleeper's pipeline and replays the deferred events first, in order.
func (n *Node) asleep(ev Event) bool {
	if n.dbg.busyUntil.IsZero() {
		return false
	}
	if n.now.Before(n.dbg.busyUntil) {
		if r, ok := ev.(Received); ok {
			r.Data = bytes.Clone(r.Data)
			ev = r
		}
		n.dbg.deferred = append(n.dbg.deferred, ev)
		return true
	}
	n.dbg.busyUntil = time.Time{}
	n.serveBlocked() // what the sleeping command made ready, as of now
	c := n.dbg.sleeper
	n.dbg.sleeper = nil
	if c != nil && !c.closed && len(c.qbuf) > 0 {
		n.processInput(c)
	}
	q := n.dbg.deferred
	n.dbg.deferred = nil
	for i, e := range q {
		_ = n.Step(n.now, e) // an event for a closed client is dropped, as Step does
		if !n.dbg.busyUntil.IsZero() {
			// Another DEBUG SLEEP among them: the rest wait again.
			n.dbg.deferred = append(q[i+1:len(q):len(q)], n.dbg.deferred...)
			break
		}
	}
	return n.asleep(ev)
}

// debugReload is DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as debug.c: save
// the dump (unless NOSAVE), empty the dataset (unless NOFLUSH), load the
// dump back. It all happens within the command, so no client sees the
// dataset in between. The encoding is done here; the file is written by the
// driver through the same Snapshot effect SAVE uses.
func (n *Node) debugReload(c *client, args [][]byte) {
	save, flush, merge := true, true, false
	for _, a := range args[2:] {
		switch lower(a) {
		case "merge":
			merge = true
		case "noflush":
			flush = false
		case "nosave":
			save = false
		default:
			c.out.Error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
			return
		}
	}
	if save && !n.reloadSave() {
		c.out.Error("ERR")
		return
	}
	if flush {
		n.st.FlushAll()
		n.touchAllWatched()
	}
	if err := n.reloadLoad(n.persist.dumpFile, flush, merge); err != nil {
		n.log('#', err.Error())
		c.out.Error("ERR Error trying to load the RDB dump")
		return
	}
	n.log('#', "DB reloaded by DEBUG RELOAD")
	c.out.SimpleString("OK")
}

// reloadSave is rdbSave for DEBUG RELOAD: it encodes the dataset now and
// has the driver write the same snapshot to dir/dbfilename.
func (n *Node) reloadSave() bool {
	snap := n.snapshotWithFunctions()
	opts, aux := n.rdbOptions(), n.rdbAux()
	var buf bytes.Buffer
	if err := snap.WriteRDB(&buf, opts, aux); err != nil {
		snap.Release()
		n.log('#', fmt.Sprintf("Write error saving DB on disk: %v", err))
		return false
	}
	n.persist.nextJob++
	n.dbg.reloadWrite = n.persist.nextJob
	n.out.Snapshots = append(n.out.Snapshots, Snapshot{
		ID: n.persist.nextJob, Snap: snap, Opts: opts, Aux: aux, File: n.dumpPath(),
	})
	n.persist.dumpFile = buf.Bytes()
	n.persist.dirty = 0
	n.persist.lastSave = n.now
	n.persist.lastBgsaveOK = true
	n.log('*', "DB saved on disk")
	return true
}

// reloadLoad is rdbLoad for DEBUG RELOAD. Into an emptied dataset the loaded
// store is adopted; with NOFLUSH its keys are added to the current ones, a
// key already there being an error unless MERGE (Redis exits on it; here
// nothing is changed).
func (n *Node) reloadLoad(data []byte, flushed, merge bool) error {
	if data == nil {
		return fmt.Errorf("no RDB file %s to load", n.dumpPath())
	}
	st, info, err := store.LoadRDB(data, n.cfg.Databases, n.rand, n.st.Limits, n.now.UnixMilli(), !n.isReplica())
	if err != nil {
		return fmt.Errorf("loading %s: %w", n.dumpPath(), err)
	}
	n.logRDBInfo(info.Info)
	if flushed {
		n.adoptStore(st, info)
	} else {
		if n.scripts != nil && len(info.Functions) > 0 {
			// The libraries come first in the file: one that exists already
			// fails the load unless MERGE (RDBFLAGS_ALLOW_DUP replaces it).
			policy := script.RestoreAppend
			if merge {
				policy = script.RestoreReplace
			}
			if err := n.scripts.RestoreLibraries(info.Functions, policy); err != nil {
				return fmt.Errorf("loading %s: %w", n.dumpPath(), err)
			}
		}
		if !merge {
			for i, db := range st.DBs {
				for _, k := range db.Keys() {
					if n.st.DBs[i].Peek([]byte(k)) != nil {
						return fmt.Errorf("RDB has duplicated key '%s' in DB %d", k, i)
					}
				}
			}
		}
		for i, db := range st.DBs {
			dst := n.st.DBs[i]
			for _, k := range db.Keys() {
				key := []byte(k)
				dst.Set(key, db.Peek(key))
				if when := db.TTL(key); when >= 0 {
					dst.SetExpire(key, when)
				}
			}
		}
		n.persist.lastLoadKeys = int64(info.Keys)
		n.persist.lastLoadExpired = int64(info.Expired)
		// Loading notifies nothing (dbAddRDBLoad): drop the "new" events.
		clear(n.st.Events)
		n.st.Events = n.st.Events[:0]
	}
	n.log('*', fmt.Sprintf("Done loading RDB, keys loaded: %d, keys expired: %d.", info.Keys, info.Expired))
	return nil
}

// debugObject is DEBUG OBJECT: the value's low-level facts in Redis's
// format. There is no robj here: "Value at" is a hash of the key (stable,
// not an address), refcount is OBJECT REFCOUNT's, serializedlength the RDB
// encoding's length.
func (n *Node) debugObject(c *client, key []byte) {
	n.st.Now = n.now.UnixMilli() // for the idle time
	db := n.st.DBs[c.db]
	v := db.Peek(key)
	if v == nil {
		c.out.Error("ERR no such key")
		return
	}
	refcount := 1
	if s, ok := v.(*store.String); ok && s.Encoding() == "int" {
		if i := cAtoi(s.B); i >= 0 && i < 10000 {
			refcount = math.MaxInt32 // a shared integer (OBJ_SHARED_REFCOUNT)
		}
	}
	h := fnv.New64a()
	h.Write(key)
	var extra string
	if l, ok := v.(*store.List); ok {
		nodes, fill, size := l.QuicklistStats()
		avg := 0.0
		if nodes > 0 {
			avg = float64(l.Len()) / float64(nodes)
		}
		compressed := 0
		if v := n.cfg.Get("list-compress-depth"); len(v) == 1 && v[0][1] != "0" {
			compressed = 1
		}
		extra = fmt.Sprintf(" ql_nodes:%d ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:%d ql_uncompressed_size:%d",
			nodes, avg, fill, compressed, size)
	}
	dump := store.DumpValue(v, n.rdbOptions())
	// DUMP is the type byte, the value, a 2-byte version and an 8-byte CRC.
	serialized := len(dump) - 11
	c.out.SimpleString(fmt.Sprintf("Value at:0x%x refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d%s",
		h.Sum64(), refcount, v.Encoding(), serialized, n.st.LRUClock(v), n.st.IdleTime(v)/1000, extra))
}

// debugPopulate is DEBUG POPULATE count [prefix] [size]: keys prefix:0 ..
// prefix:count-1 (prefix "key") holding "value:<j>", zero-padded or cut to
// size bytes when size is given; existing keys are left alone. Like Redis
// it neither propagates nor counts as a change to save.
func (n *Node) debugPopulate(c *client, args [][]byte) {
	positive := func(b []byte) (int64, bool) {
		// getPositiveLongFromObjectOrReply: one message for both.
		v, ok := cstr.String2ll(b)
		if !ok || v < 0 {
			c.out.Error("ERR value is out of range, must be positive")
			return 0, false
		}
		return v, true
	}
	count, ok := positive(args[2])
	if !ok {
		return
	}
	size := int64(0)
	if len(args) == 5 {
		if size, ok = positive(args[4]); !ok {
			return
		}
	}
	prefix := "key"
	if len(args) >= 4 {
		prefix = string(args[3])
	}
	n.st.Now, n.st.Mode = n.now.UnixMilli(), n.expireMode(c)
	db := n.st.DBs[c.db]
	for j := int64(0); j < count; j++ {
		key := []byte(prefix + ":" + strconv.FormatInt(j, 10))
		if db.Exists(key) {
			continue
		}
		val := []byte("value:" + strconv.FormatInt(j, 10))
		if size > 0 {
			padded := make([]byte, size)
			copy(padded, val)
			val = padded
		}
		db.Set(key, store.NewStringOwned(val))
		n.st.Modified(c.db, key)
	}
	n.drainExpired()
	c.out.SimpleString("OK")
}

func cmdDebug(n *Node, c *client, args [][]byte) {
	sub := lower(args[1])
	switch {
	case sub == "sleep" && len(args) == 3:
		n.debugSleep(c, args[2])
	case sub == "replicate" && len(args) >= 3:
		// Straight into the stream, in whatever db it has selected.
		n.feedStream(-1, args[2:])
		c.out.SimpleString("OK")
	case sub == "digest" && len(args) == 2:
		// Redis answers both DIGEST forms with status replies.
		d := n.st.Digest()
		c.out.SimpleString(hex.EncodeToString(d[:]))
	case sub == "digest-value" && len(args) >= 2:
		c.out.ArrayLen(len(args) - 2)
		db := n.st.DBs[c.db]
		for _, k := range args[2:] {
			v := db.Peek(k)
			var d [20]byte
			if v != nil {
				d = store.DigestValue(v, db.TTL(k)) // the TTL marker counts, as in Redis
			}
			c.out.SimpleString(hex.EncodeToString(d[:]))
		}
	case sub == "reload":
		n.debugReload(c, args)
	case sub == "quicklist-packed-threshold" && len(args) == 3:
		// quicklistisSetPackedThreshold: 0 restores the default, and the
		// limit leaves room below 4 GB.
		sz, ok := config.Memtoull(string(args[2]))
		if !ok || sz > 1<<32-1<<20 {
			c.out.Error("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
			return
		}
		n.dbg.packedThreshold = int(sz)
		n.st.Limits.ListPackedThreshold = int(sz)
		c.out.SimpleString("OK")
	case sub == "object" && len(args) == 3:
		n.debugObject(c, args[2])
	case sub == "populate" && len(args) >= 3 && len(args) <= 5:
		n.debugPopulate(c, args)
	case sub == "protocol" && len(args) == 3:
		debugProtocol(c, lower(args[2]))
	case sub == "set-disable-deny-scripts" && len(args) == 3:
		n.dbg.allowDenyScripts = cAtoi(args[2]) != 0
		c.out.SimpleString("OK")
	case sub == "set-active-expire" && len(args) == 3:
		n.dbg.noActiveExpire = cAtoi(args[2]) == 0
		c.out.SimpleString("OK")
	case sub == "panic":
		// A bug on purpose: the driver writes Redis's bug report and dies.
		panic(fmt.Sprintf("DEBUG PANIC called at Unix time %d", n.now.Unix()))
	case sub == "segfault":
		// A real invalid memory access, which Go turns into a panic.
		var p *int
		*p = 1 //nolint:govet // the fault is the point
	case sub == "change-repl-id" && len(args) == 2:
		n.repl.hist.Restart(n.newID())
		c.out.SimpleString("OK")
	case sub == "log" && len(args) == 3:
		n.log('#', "DEBUG LOG: "+string(args[2]))
		c.out.SimpleString("OK")
	case sub == "config-rewrite-force-all" && len(args) == 2:
		if n.env.ConfigFile == "" {
			// Redis's fopen(NULL) fails with EFAULT.
			c.out.Error("ERR CONFIG-REWRITE-FORCE-ALL failed: Bad address")
			return
		}
		n.rewriteConfig(c, true)
	case sub == "help":
		// Redis's lines for the subcommands there are, in its order.
		help(c, "DEBUG", []string{
			"CHANGE-REPL-ID",
			"    Change the replication IDs of the instance.",
			"    Dangerous: should be used only for testing the replication subsystem.",
			"CONFIG-REWRITE-FORCE-ALL",
			"    Like CONFIG REWRITE but writes all configuration options, including",
			"    keywords not listed in original configuration file or default values.",
			"DIGEST",
			"    Output a hex signature representing the current DB content.",
			"DIGEST-VALUE <key> [<key> ...]",
			"    Output a hex signature of the values of all the specified keys.",
			"LOG <message>",
			"    Write <message> to the server log.",
			"OBJECT <key>",
			"    Show low level info about `key` and associated value.",
			"PANIC",
			"    Crash the server simulating a panic.",
			"RELOAD [option ...]",
			"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
			"    * MERGE: conflicting keys will be loaded from RDB.",
			"    * NOFLUSH: the existing database will not be removed before load, but",
			"      conflicting keys will generate an exception and kill the server.",
			"    * NOSAVE: the database will be loaded from an existing RDB file.",
			"    Examples:",
			"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
			"      the database.",
			"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
			"      existing RDB file.",
			"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
			"      file to the database.",
			"SEGFAULT",
			"    Crash the server with sigsegv.",
			"QUICKLIST-PACKED-THRESHOLD <size>",
			"    Sets the threshold for elements to be inserted as plain vs packed nodes",
			"    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
			"SET-ACTIVE-EXPIRE <0|1>",
			"    Setting it to 0 disables expiring keys in background when they are not",
			"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
			"    default.",
			"SLEEP <seconds>",
			"    Stop the server for <seconds>. Decimals allowed.",
		})
	default:
		c.out.Error(fmt.Sprintf("ERR unknown subcommand or wrong number of arguments for '%s'. Try DEBUG HELP.", args[1]))
	}
}
