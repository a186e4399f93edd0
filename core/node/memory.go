package node

import (
	"fmt"
	"math"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/store"
)

// memOverhead is Redis's redisMemOverhead (getMemoryOverheadData) from what
// the node accounts: MEMORY STATS, MEMORY DOCTOR and INFO memory read it.
// syncscope has no allocator of its own: the allocator's figures (peak,
// RSS, fragmentation) are the ones INFO memory reports, the Go heap in use
// for all of them, so their ratios are 1 and their differences 0.
type memOverhead struct {
	total, peak, startup int64
	backlog, replicas    int64 // the shared replication buffer, split as Redis splits it
	clientsNormal        int64
	dbs                  []dbOverhead
	overheadTotal        int64
	keys                 int64
	dataset              int64
	datasetPerc          float32 // Redis computes both percentages as floats
	peakPerc             float32
	bytesPerKey          int64
}

type dbOverhead struct {
	id            int
	main, expires int64
}

func (n *Node) memoryOverhead() memOverhead {
	used := n.usedMemory()
	// INFO memory reports the peak as the memory used: no peak is kept.
	mh := memOverhead{total: used, peak: used}
	// The shared replication buffer: up to repl-backlog-size it is the
	// backlog's, beyond it the replicas' output.
	if n.repl.backlog != nil {
		buf := n.repl.backlog.Mem()
		mh.backlog = buf
		if size := n.cfg.ReplBacklogSize; len(n.repl.replicas) > 0 && buf > size {
			mh.backlog, mh.replicas = size, buf-size
		}
	}
	// The other clients' buffers: what is read and not yet parsed, and the
	// output not yet written.
	for _, c := range n.clients {
		if c.replica == nil {
			mh.clientsNormal += int64(cap(c.qbuf)) + int64(c.unflushed)
		}
	}
	// The scripts' and functions' caches live in the Go heap and count in
	// total only: INFO has no separate figure for them, nor for AOF (none).
	mh.overheadTotal = mh.startup + mh.backlog + mh.replicas + mh.clientsNormal
	for i, db := range n.st.DBs {
		if db.Len() == 0 {
			continue
		}
		main, expires := store.KeyspaceOverhead(db.Len(), db.ExpiresLen())
		mh.dbs = append(mh.dbs, dbOverhead{id: i, main: main, expires: expires})
		mh.keys += int64(db.Len())
		mh.overheadTotal += main + expires
	}
	mh.dataset = used - mh.overheadTotal
	mh.peakPerc = float32(used) * 100 / float32(mh.peak)
	netUsage := int64(1)
	if used > mh.startup {
		netUsage = used - mh.startup
	}
	mh.datasetPerc = float32(mh.dataset) * 100 / float32(netUsage)
	if mh.keys > 0 {
		mh.bytesPerKey = netUsage / mh.keys
	}
	return mh
}

var memoryHelp = []string{
	"DOCTOR",
	"    Return memory problems reports.",
	"MALLOC-STATS",
	"    Return internal statistics report from the memory allocator.",
	"PURGE",
	"    Attempt to purge dirty pages for reclamation by the allocator.",
	"STATS",
	"    Return information about the memory usage of the server.",
	"USAGE <key> [SAMPLES <count>]",
	"    Return memory in bytes used by <key> and its value. Nested values are",
	"    sampled up to <count> times (default: 5, 0 means sample all).",
}

// The MEMORY subcommands other than USAGE (memoryUsage), each bound to
// its record in handlers.go; dispatch has checked their arity.

func cmdMemoryStats(n *Node, c *client, args [][]byte) { memoryStats(c, n.memoryOverhead()) }

func cmdMemoryDoctor(n *Node, c *client, args [][]byte) { c.out.Verbatim("txt", n.memoryDoctor()) }

// cmdMemoryMallocStats answers what Redis built without jemalloc answers:
// Go's allocator has no report of its own.
func cmdMemoryMallocStats(n *Node, c *client, args [][]byte) {
	c.out.BulkString("Stats not supported for the current allocator")
}

// cmdMemoryPurge is jemalloc_purge without jemalloc: nothing to purge, OK.
func cmdMemoryPurge(n *Node, c *client, args [][]byte) { c.out.SimpleString("OK") }

func memoryUsage(n *Node, c *client, args [][]byte) {
	samples := int64(5)
	for j := 3; j < len(args); j++ {
		if lower(args[j]) != "samples" || j+1 >= len(args) {
			c.out.Error(command.ErrSyntax)
			return
		}
		v, ok := intArg(c, args[j+1])
		if !ok {
			return
		}
		if v < 0 {
			c.out.Error(command.ErrSyntax)
			return
		}
		samples = v
		j++
	}
	// dictFind, not lookupKey: an expired key not yet deleted counts.
	v := n.st.DBs[c.db].Peek(args[2])
	if v == nil {
		c.out.Null()
		return
	}
	c.out.Int(store.MemoryUsage(args[2], v, int(min(samples, math.MaxInt32))))
}

// memoryStats writes MEMORY STATS: Redis 7.0.15's fields in its order.
func memoryStats(c *client, mh memOverhead) {
	w := &c.out
	w.MapLen(27 + len(mh.dbs))
	ints := func(fields []memField) {
		for _, f := range fields {
			w.BulkString(f.name)
			w.Int(f.v)
		}
	}
	ratio := func(name string, v float32) {
		w.BulkString(name)
		w.Double(float64(v))
	}
	ints([]memField{
		{"peak.allocated", mh.peak}, {"total.allocated", mh.total}, {"startup.allocated", mh.startup},
		{"replication.backlog", mh.backlog}, {"clients.slaves", mh.replicas}, {"clients.normal", mh.clientsNormal},
		// No cluster, no AOF; the script caches are in the Go heap, not
		// accounted apart (see memOverhead).
		{"cluster.links", 0}, {"aof.buffer", 0}, {"lua.caches", 0}, {"functions.caches", 0},
	})
	for _, db := range mh.dbs {
		w.BulkString(fmt.Sprintf("db.%d", db.id))
		w.MapLen(3)
		// slot-to-keys: cluster mode only.
		ints([]memField{{"overhead.hashtable.main", db.main}, {"overhead.hashtable.expires", db.expires}, {"overhead.hashtable.slot-to-keys", 0}})
	}
	ints([]memField{{"overhead.total", mh.overheadTotal}, {"keys.count", mh.keys}, {"keys.bytes-per-key", mh.bytesPerKey}, {"dataset.bytes", mh.dataset}})
	ratio("dataset.percentage", mh.datasetPerc)
	ratio("peak.percentage", mh.peakPerc)
	// The allocator's figures are the memory used, as INFO memory's RSS is:
	// every ratio 1, every difference 0.
	ints([]memField{{"allocator.allocated", mh.total}, {"allocator.active", mh.total}, {"allocator.resident", mh.total}})
	for _, name := range []string{"allocator-fragmentation", "allocator-rss", "rss-overhead"} {
		ratio(name+".ratio", 1)
		ints([]memField{{name + ".bytes", 0}})
	}
	ratio("fragmentation", 1)
	ints([]memField{{"fragmentation.bytes", 0}})
}

// memField is one integer field of MEMORY STATS.
type memField struct {
	name string
	v    int64
}

const (
	doctorEmpty = "Hi Sam, this instance is empty or is using very little memory, " +
		"my issues detector can't be used in these conditions. " +
		"Please, leave for your mission on Earth and fill it with some data. " +
		"The new Sam and I will be back to our programming as soon as I " +
		"finished rebooting.\n"
	doctorFine = "Hi Sam, I can't find any memory issue in your instance. " +
		"I can only account for what occurs on this base.\n"
	doctorBigReplicaBuf = " * Big replica buffers: The replica output buffers in this instance are greater than 10MB for each replica (on average). This likely means that there is some replica instance that is struggling receiving data, either because it is too slow or because of networking issues. As a result, data piles on the master output buffers. Please try to identify what replica is not receiving data correctly and why. You can use the INFO output in order to check the replicas delays and the CLIENT LIST command to check the output buffers of each replica.\n\n"
	doctorBigClientBuf  = " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory.\n\n"
	doctorManyScripts   = " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory.\n\n"
)

// memoryDoctor is getMemoryDoctorReport over the conditions the node can
// tell: an (almost) empty instance, big client and replica buffers, many
// cached scripts. Peak, fragmentation and RSS have no figures of their own
// here (memOverhead), so their reports never show.
func (n *Node) memoryDoctor() string {
	mh := n.memoryOverhead()
	if mh.total < 5<<20 {
		return doctorEmpty
	}
	report := ""
	replicas := int64(len(n.repl.replicas))
	if replicas > 0 && mh.replicas > 10<<20 {
		report += doctorBigReplicaBuf
	}
	if others := int64(len(n.clients)) - replicas; others > 0 && mh.clientsNormal/others > 200<<10 {
		report += doctorBigClientBuf
	}
	if scripts, _, _ := n.scriptCounts(); scripts > 1000 {
		report += doctorManyScripts
	}
	if report == "" {
		return doctorFine
	}
	return "Sam, I detected a few issues in this Redis instance memory implants:\n\n" + report +
		"I'm here to keep you safe, Sam. I want to help you.\n"
}
