package node

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/store"
)

// persistence is RDB snapshotting state.
type persistence struct {
	dirty           int64 // changes since the last successful save
	dirtyAtStart    int64 // dirty when the running save started
	lastSave        time.Time
	lastBgsaveOK    bool
	lastBgsaveSecs  int64
	lastTry         time.Time
	saves, forks    int64
	lastLoadKeys    int64
	lastLoadExpired int64
	nextJob         uint64
	bgsave          *snapshotJob // the one snapshot in flight (Redis has one child)
	bgsaveQueued    bool         // BGSAVE SCHEDULE or a save point waiting for the job
	rewriters       []rewriter   // CONFIG REWRITE callers waiting for FileDone
	// dumpFile is what this node last wrote to or read from dir/dbfilename,
	// for DEBUG RELOAD NOSAVE: the node does no I/O, so it keeps the bytes
	// rather than have the driver read the file back.
	dumpFile []byte
}

// snapshotJob is a snapshot being encoded by the driver.
type snapshotJob struct {
	id       uint64
	started  time.Time
	toDisk   bool   // writes dir/dbfilename
	forRepl  bool   // replicas wait for its bytes
	diskless bool   // for replicas via socket (EOF-marked)
	mark     []byte // the EOF mark of a diskless transfer
	// headerSent: the "$EOF:<mark>" line went to the replicas; streamed:
	// the payload's bytes sent ahead while it is held.
	headerSent bool
	streamed   int
	savers     []*client // SAVE / SHUTDOWN callers waiting for the result
	shutdown   bool      // exit when done
	// shutdownBy is the SHUTDOWN caller, told when the final save fails.
	shutdownBy *client
	// doneAt is when Redis's child would be done writing under
	// rdb-key-save-delay (keys × delay µs, both as at the fork: changing
	// the setting later does not reach the child); held is the driver's
	// result kept back until then.
	doneAt   time.Time
	held     *SnapshotDone
	released bool
}

// rdbKeySaveDelay is rdb-key-save-delay: microseconds a background save
// spends per key (a test knob that makes a snapshot last).
func (n *Node) rdbKeySaveDelay() int64 {
	for _, kv := range n.cfg.Get("rdb-key-save-delay") {
		if v, err := strconv.ParseInt(kv[1], 10, 64); err == nil && v > 0 {
			return v
		}
	}
	return 0
}

// releaseHeldSnapshot finishes a background save held by
// rdb-key-save-delay once its time has come.
func (n *Node) releaseHeldSnapshot() {
	job := n.persist.bgsave
	if job == nil || job.held == nil {
		return
	}
	if n.now.Before(job.doneAt) {
		n.streamHeldSnapshot(job)
		return
	}
	ev := *job.held
	job.held, job.released = nil, true
	n.snapshotDone(ev)
}

func (n *Node) rdbOptions() rdb.Options {
	o := rdb.DefaultOptions()
	o.Compression = n.cfg.RDBCompression
	o.Checksum = n.cfg.RDBChecksum
	o.ListMaxListpackSize = n.cfg.ListMaxListpackSize
	o.HashMaxListpackEntries = n.cfg.HashMaxListpackEntries
	o.HashMaxListpackValue = n.cfg.HashMaxListpackValue
	o.SetMaxIntsetEntries = n.cfg.SetMaxIntsetEntries
	o.ZSetMaxListpackEntries = n.cfg.ZSetMaxListpackEntries
	o.ListPackedThreshold = n.dbg.packedThreshold
	o.ZSetMaxListpackValue = n.cfg.ZSetMaxListpackValue
	return o
}

// rdbAux are the aux fields Redis 7.0 writes, with the replication state
// that lets a restarted node continue by partial resync.
func (n *Node) rdbAux() []rdb.AuxField {
	aux := []rdb.AuxField{
		{Key: "redis-ver", Value: Version},
		{Key: "redis-bits", Value: "64"},
		{Key: "ctime", Value: strconv.FormatInt(n.now.Unix(), 10)},
		{Key: "used-mem", Value: strconv.FormatInt(n.usedMemory(), 10)},
	}
	if id, off, db, ok := n.replInfoForRDB(); ok {
		aux = append(aux,
			rdb.AuxField{Key: "repl-stream-db", Value: strconv.Itoa(db)},
			rdb.AuxField{Key: "repl-id", Value: id},
			rdb.AuxField{Key: "repl-offset", Value: strconv.FormatInt(off, 10)},
		)
	}
	aux = append(aux, rdb.AuxField{Key: "aof-base", Value: "0"})
	return aux
}

func (n *Node) dumpPath() string {
	if n.cfg.Dir == "" || n.cfg.Dir == "." {
		return n.cfg.DBFilename
	}
	return path.Join(n.cfg.Dir, n.cfg.DBFilename)
}

// startSnapshot takes a point-in-time snapshot and hands it to the driver.
func (n *Node) startSnapshot(job *snapshotJob) {
	n.persist.nextJob++
	job.id = n.persist.nextJob
	job.started = n.now
	n.persist.bgsave = job
	n.persist.dirtyAtStart = n.persist.dirty
	n.persist.lastTry = n.now
	n.persist.forks++
	if d := n.rdbKeySaveDelay(); d > 0 {
		job.doneAt = n.now.Add(time.Duration(min(int64(n.st.Len())*d, 1<<50)) * time.Microsecond)
	}
	file := ""
	if job.toDisk {
		file = n.dumpPath()
	}
	n.out.Snapshots = append(n.out.Snapshots, Snapshot{
		ID: job.id, Snap: n.snapshotWithFunctions(), Opts: n.rdbOptions(), Aux: n.rdbAux(), File: file,
	})
}

func (n *Node) snapshotDone(ev SnapshotDone) {
	if ev.ID == n.dbg.reloadWrite && ev.Err != "" {
		n.log('#', ev.Err) // DEBUG RELOAD has answered; the file is stale
	}
	job := n.persist.bgsave
	if job == nil || job.id != ev.ID {
		return
	}
	if len(job.savers) == 0 && !job.shutdown && !job.released && n.now.Before(job.doneAt) {
		job.held = &ev
		if ev.Err == "" {
			n.sendEOFHeaders(job)
		}
		n.releaseHeldSnapshot()
		return
	}
	n.persist.bgsave = nil
	ok := ev.Err == ""
	background := len(job.savers) == 0 && !job.shutdown
	// A failed SAVE leaves rdb_last_bgsave_status alone; any good save sets it.
	if job.toDisk && (ok || background) {
		n.persist.lastBgsaveOK = ok
	}
	if job.toDisk && ok && ev.Data != nil {
		n.persist.dumpFile = ev.Data
	}
	if job.toDisk {
		n.persist.lastBgsaveSecs = int64(n.now.Sub(job.started).Seconds())
		if ok {
			n.persist.dirty -= n.persist.dirtyAtStart
			n.persist.lastSave = n.now
			n.persist.saves++
		}
	}
	for _, c := range job.savers {
		if c.closed {
			continue
		}
		if ok {
			c.out.SimpleString("OK")
		} else {
			c.out.Error("ERR")
		}
		n.queueOutput(c)
	}
	switch {
	case job.shutdown && ok:
		n.log('*', "DB saved on disk")
		n.finishShutdown()
		return
	case job.shutdown:
		n.log('#', ev.Err)
		n.log('#', "Error trying to save the DB, can't exit.")
		n.log('#', "Errors trying to shut down the server. Check the logs for more information.")
		n.exiting = false
		if c := job.shutdownBy; c != nil && !c.closed {
			c.out.Error("ERR Errors trying to SHUTDOWN. Check logs.")
			n.queueOutput(c)
		}
	case job.toDisk && ok && background:
		n.logRole('C', '*', "DB saved on disk")
		n.log('*', "Background saving terminated with success")
	case job.toDisk && ok:
		n.log('*', "DB saved on disk")
	case job.toDisk && background:
		// Redis's child logs why; its parent only that it failed.
		n.logRole('C', '#', ev.Err)
		n.log('#', "Background saving error")
	case job.toDisk:
		n.log('#', ev.Err)
	}
	// After the save's own lines, as updateSlavesWaitingBgsave follows
	// backgroundSaveDoneHandler's.
	if job.forRepl {
		n.replSnapshotDone(job, ev)
	}
	if n.persist.bgsaveQueued {
		n.persist.bgsaveQueued = false
		n.bgsave(nil)
	}
	n.replStartPendingSync()
}

// bgsave starts a background save to disk (BGSAVE, save points).
func (n *Node) bgsave(c *client) bool {
	if n.persist.bgsave != nil {
		return false
	}
	n.log('*', fmt.Sprintf("Background saving started by pid %d", n.env.Pid))
	n.startSnapshot(&snapshotJob{toDisk: true})
	return true
}

func cmdSave(n *Node, c *client, args [][]byte) {
	if n.persist.bgsave != nil {
		c.out.Error("ERR Background save already in progress")
		return
	}
	n.startSnapshot(&snapshotJob{toDisk: true, savers: []*client{c}})
}

func cmdBgsave(n *Node, c *client, args [][]byte) {
	schedule := false
	if len(args) > 1 {
		if len(args) == 2 && lower(args[1]) == "schedule" {
			schedule = true
		} else {
			c.out.Error("ERR syntax error")
			return
		}
	}
	if n.persist.bgsave != nil {
		if n.persist.bgsave.toDisk {
			c.out.Error("ERR Background save already in progress")
			return
		}
		if !schedule {
			c.out.Error("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
			return
		}
		n.persist.bgsaveQueued = true
		c.out.SimpleString("Background saving scheduled")
		return
	}
	n.bgsave(c)
	c.out.SimpleString("Background saving started")
}

func cmdShutdown(n *Node, c *client, args [][]byte) {
	save := len(n.cfg.Save) > 0
	var nosave, saveFlag, now, abort bool
	for _, a := range args[1:] {
		switch lower(a) {
		case "nosave":
			nosave = true
		case "save":
			saveFlag = true
		case "now":
			now = true
		case "force":
		case "abort":
			abort = true
		default:
			c.out.Error("ERR syntax error")
			return
		}
	}
	if nosave && saveFlag || abort && len(args) > 2 {
		c.out.Error("ERR syntax error")
		return
	}
	if abort {
		n.abortShutdown(c)
		return
	}
	if !nosave && n.busy.serving {
		c.out.Error(n.busyErr()) // only SHUTDOWN NOSAVE stops a slow script
		return
	}
	if nosave {
		save = false
	} else if saveFlag {
		save = true
	}
	n.shutdownWith(c, save, now)
}

// shutdown saves (when asked) and exits, as prepareForShutdown does.
func (n *Node) shutdown(c *client, save bool) { n.shutdownWith(c, save, false) }

// shutdownWith first lets replicas catch up, unless now (SHUTDOWN NOW).
func (n *Node) shutdownWith(c *client, save, now bool) {
	if n.exiting {
		return
	}
	n.exiting = true
	// Never a save of a dataset being loaded (prepareForShutdown).
	if loading, async := n.loadingNow(); loading && !async {
		save = false
	}
	n.log('#', "User requested shutdown...")
	if !now && n.waitReplicasBeforeShutdown(c, save) {
		return
	}
	n.finishShutdownSave(c, save)
}

// finishShutdownSave is the rest of finishShutdown: the final save, then exit.
func (n *Node) finishShutdownSave(c *client, save bool) {
	n.dropReplicasForShutdown()
	if !save {
		n.finishShutdown()
		return
	}
	n.log('*', "Saving the final RDB snapshot before exiting.")
	if n.persist.bgsave != nil {
		// Redis kills the child; our snapshot is a goroutine whose result we ignore.
		n.persist.bgsave = nil
	}
	n.startSnapshot(&snapshotJob{toDisk: true, shutdown: true, shutdownBy: c})
}

func (n *Node) finishShutdown() {
	n.log('#', "Redis is now ready to exit, bye bye...")
	for _, c := range append([]*client(nil), n.order...) {
		n.closeClient(c)
	}
	if n.repl.link != nil && n.repl.linkConn != 0 {
		n.out.Closes = append(n.out.Closes, n.repl.linkConn)
	}
	n.out.Exit = true
}

func (n *Node) checkSavePoints() {
	if n.persist.bgsave != nil {
		return
	}
	for _, sp := range n.cfg.Save {
		elapsed := n.now.Sub(n.persist.lastSave)
		if n.persist.dirty >= int64(sp.Changes) && elapsed >= time.Duration(sp.Seconds)*time.Second &&
			(n.persist.lastBgsaveOK || n.now.Sub(n.persist.lastTry) > 5*time.Second) {
			n.log('*', fmt.Sprintf("%d changes in %d seconds. Saving...", sp.Changes, sp.Seconds))
			n.bgsave(nil)
			return
		}
	}
}

func (n *Node) clientTimeouts() {
	if n.cfg.Timeout <= 0 {
		return
	}
	limit := time.Duration(n.cfg.Timeout) * time.Second
	for _, c := range append([]*client(nil), n.order...) {
		if c.replica != nil || c.isMaster || c.blocked != nil || c.pubsubMode() {
			continue
		}
		if n.now.Sub(c.lastActive) > limit {
			n.log('-', "Closing idle client")
			n.closeClient(c)
		}
	}
}

// loadDump loads dir/dbfilename at start, logging as Redis does; under
// key-load-delay the node stays loading for the time that takes (see
// startupLoad).
func (n *Node) loadDump(data []byte) error {
	// Only a master drops the keys that expired meanwhile (rdbLoad's
	// iAmMaster()): a replica keeps them until its master's DEL.
	st, info, err := store.LoadRDB(data, n.cfg.Databases, n.rand, n.st.Limits, n.now.UnixMilli(), !n.isReplica())
	if err != nil {
		n.logRDBInfo(info.Info)
		n.logLoadError(data, err)
		return fmt.Errorf("loading %s: %w", n.dumpPath(), err)
	}
	n.adoptStore(st, info)
	n.persist.dumpFile = data
	n.logRDBInfo(info.Info)
	if d := n.keyLoadDelay(info.Keys + info.Expired); d > 0 {
		n.loading = &startupLoad{until: n.now.Add(d), info: info, took: d}
		return nil
	}
	n.loaded(info, 0)
	return nil
}

// feedExpiredAtLoad streams a DEL for each key a master dropped as expired
// while loading its dump, as Redis 7.0 does (RDBFLAGS_FEED_REPL): replicas
// that continue from the saved history by partial resync delete them too,
// instead of keeping them forever.
func (n *Node) feedExpiredAtLoad(keys []store.KeyRef) {
	if n.isReplica() || n.repl.backlog == nil {
		return
	}
	for _, k := range keys {
		n.feedStream(k.DB, [][]byte{[]byte("DEL"), []byte(k.Key)})
	}
}

// logLoadError refuses a dump at start with Redis's lines for the kind of
// fault, plus where it is and what was expected there.
func (n *Node) logLoadError(data []byte, err error) {
	var re *rdb.Error
	if !errors.As(err, &re) {
		n.log('#', fmt.Sprintf("Fatal error loading the DB: %s. Exiting.", err))
		return
	}
	header := re.Offset < 9 && len(data) >= 9
	switch {
	case header && string(data[:5]) != "REDIS":
		n.log('#', "Wrong signature trying to load DB from file")
	case header && errors.Is(err, rdb.ErrUnsupported) || header && errors.Is(err, rdb.ErrCorrupt):
		n.log('#', fmt.Sprintf("Can't handle RDB format version %s", strings.TrimLeft(string(data[5:9]), "0")))
	case errors.Is(err, rdb.ErrTruncated):
		n.log('#', "Short read or OOM loading DB. Unrecoverable error, aborting now.")
	case errors.Is(err, rdb.ErrChecksum) && re.Offset+8 <= len(data):
		n.log('#', fmt.Sprintf("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.",
			rdb.CRC64(0, data[:re.Offset]), binary.LittleEndian.Uint64(data[re.Offset:])))
	}
	n.log('#', fmt.Sprintf("Internal error in RDB reading offset %d -> %s", re.Offset, strings.TrimPrefix(err.Error(), "loading RDB: ")))
	if header && !errors.Is(err, rdb.ErrTruncated) {
		n.log('#', "Fatal error loading the DB: Invalid argument. Exiting.")
	}
}

func (n *Node) adoptStore(st *store.Store, info store.LoadInfo) {
	st.OnModified = n.keyModified
	st.OnReady = n.keyReady
	st.Limits = n.st.Limits
	st.NotifyFlags = n.st.NotifyFlags
	st.LFU = n.st.LFU
	n.persist.lastLoadKeys = int64(info.Keys)
	n.persist.lastLoadExpired = int64(info.Expired)
	n.st = st
	n.touchAllWatched()
	n.adoptFunctions(info.Functions)
}

func (n *Node) logRDBInfo(info rdb.Info) {
	if v, ok := info.Get("redis-ver"); ok {
		n.log('*', "Loading RDB produced by version "+v)
	}
	if v, ok := info.Get("ctime"); ok {
		if t, err := strconv.ParseInt(v, 10, 64); err == nil {
			age := n.now.Unix() - t
			if age < 0 {
				age = 0
			}
			n.log('*', fmt.Sprintf("RDB age %d seconds", age))
		}
	}
	if v, ok := info.Get("used-mem"); ok {
		if m, err := strconv.ParseInt(v, 10, 64); err == nil {
			n.log('*', fmt.Sprintf("RDB memory usage when created %.2f Mb", float64(m)/(1024*1024)))
		}
	}
}
