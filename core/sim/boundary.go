package sim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/repl"
)

// Boundary-seeking scenarios. Random faults over random workloads reach the
// middle of the state space, but the replication rules' bugs live at its
// edges: a PSYNC one byte before the backlog's first byte, at or one past
// the master's offset, at or one past second_repl_offset. One seed in
// boundaryEvery runs a script that puts offsets exactly there, as
// FoundationDB's BUGGIFY and TigerBeetle's VOPR steer runs into corners,
// then the usual chaos and quiescence. Offsets move only at command
// boundaries, so the script sizes its writes to the byte (padTo), and it
// asks at offsets no real replica would with probes: clients that send
// PSYNC themselves, as a third-party replica may.
//
// Topology: M (6379) master; W (6378) its witness replica, always in sync,
// so the checker's book holds every byte M streams; R (6377) a replica of
// M, C (6376) a replica of R. The script:
//
//  1. lag: R shut down right after, at and right before the start of a
//     block of M's replication buffer, M written until that block is its
//     first, R restarted: its PSYNC asks First()+1, First(), First()-1.
//  2. block: M's backlog resized and R's offset put exactly before a block
//     starts; probes one before, at and one past that point (bytes read
//     across two blocks, from a block's first byte, from its second).
//  3. ahead: M saves, takes zero or more writes its replicas receive,
//     crashes and restarts from the dump, so its replicas are at or ahead
//     of it; probes around master_repl_offset+1 and second_repl_offset,
//     before and after a write.
//  4. change-repl-id: DEBUG CHANGE-REPL-ID on M (a new replid, no
//     replid2); a probe of the old replid is refused, the replicas full
//     sync once dropped.
//  5. chain: R, the middle of M -> R -> C, promoted while M's writes are
//     in flight to it; C continues from R, W is pointed at R, and probes
//     ask R one before, at and one past second_repl_offset.
//
// Before these, arguments whose lengths and counts sit on either side of
// the stream encoding's cases (9, 10, 99, 100, 999, 1000).
//
// The checker counts every boundary reached (Stats.Edges), and TestSeeds
// requires each one in the default seeds.

// boundaryEvery: seeds divisible by it run the boundary script.
const boundaryEvery = 6

// isBoundary reports whether seed runs the boundary script.
func isBoundary(seed uint64) bool { return seed%boundaryEvery == 0 }

const (
	bM, bW, bR, bC = 6379, 6378, 6377, 6376
)

// drawBoundaryKnobs is drawKnobs for a boundary seed: the script's fixed
// topology, sizes and sync modes from the seed, and faults that chunk and
// delay bytes but never drop a connection while the script runs.
func drawBoundaryKnobs(r *rand.Rand) knobs {
	k := knobs{nodes: 4, boundary: true, faulty: true, topology: true}
	k.faults = Faults{
		MaxChunk:      pick(r, 0, 1+r.IntN(16), 1+r.IntN(512)),
		Jitter:        time.Duration(r.IntN(2000)) * time.Microsecond,
		StallRate:     pick(r, 0, 0.001),
		Stall:         time.Duration(r.IntN(1000)) * time.Millisecond,
		ResetRate:     pick(r, 0, 0.0005),
		SnapshotDelay: time.Duration(r.IntN(300)) * time.Millisecond,
	}
	k.chaos = time.Duration(2+r.IntN(3)) * time.Second
	k.gap = time.Duration(5+r.IntN(30)) * time.Millisecond
	masterOf := map[int]int{bW: bM, bR: bM, bC: bR}
	noPsync := r.IntN(2) == 0 // C refuses PSYNC: syncFallback
	for i := range k.nodes {
		p := portOf(i)
		var c strings.Builder
		// M's backlog is small, so the script trims it many times.
		size := 200 + r.IntN(1800)
		if p != bM {
			size = pick(r, 1<<20, 16384, 1000+r.IntN(4000))
		}
		fmt.Fprintf(&c, "repl-backlog-size %d\n", size)
		fmt.Fprintf(&c, "repl-diskless-sync %s\n", pick(r, "yes", "no"))
		fmt.Fprintf(&c, "repl-diskless-sync-delay %d\n", pick(r, 0, 0, 1))
		fmt.Fprintf(&c, "repl-timeout %d\n", pick(r, 60, 5+r.IntN(10)))
		// No PINGs in the stream while the script counts bytes; the
		// chaos phase sets a short period again.
		c.WriteString("repl-ping-replica-period 3600\n")
		c.WriteString("enable-debug-command yes\n") // DEBUG CHANGE-REPL-ID
		c.WriteString(pick(r, "save \"\"\n", "save 1 1\n", ""))
		if p == bC && noPsync {
			c.WriteString("rename-command PSYNC \"\"\n")
		}
		if m := masterOf[p]; m != 0 {
			fmt.Fprintf(&c, "replicaof 127.0.0.1 %d\n", m)
		}
		k.confs = append(k.confs, c.String())
	}
	return k
}

// boundary runs the script; the chaos phase follows.
func (sc *scenario) boundary() error {
	full := sc.knobs.faults
	// Snapshots take a while, so that replicas asking together for a full
	// sync share one (a disk BGSAVE in progress is attached to).
	sc.w.SetFaults(Faults{MaxChunk: full.MaxChunk, Jitter: full.Jitter, SnapshotDelay: 100*time.Millisecond + full.SnapshotDelay})
	sc.bdb = sc.r.IntN(4)
	defer func() { sc.bdb = 0 }()
	steps := []func() error{sc.waitSync, sc.fill, sc.lengthEdges, sc.lagEdges, sc.blockEdge, sc.aheadEdges, sc.changeID, sc.failover, sc.chainEdges, sc.syncFallback}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
		if err := sc.failed(); err != nil {
			return err
		}
	}
	// Back to the config files' topology, which the chaos phase keeps
	// free of cycles with its own links (a restart goes back to it).
	for _, p := range []int{bM, bW, bR, bC} {
		if sc.master[p] == sc.conf[p] {
			continue
		}
		args := []string{"REPLICAOF", "NO", "ONE"}
		if sc.conf[p] != 0 {
			args = []string{"REPLICAOF", "127.0.0.1", itoa(sc.conf[p])}
		}
		sc.setMaster(p, sc.conf[p])
		if _, err := sc.do(p, args...); err != nil {
			return err
		}
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	sc.w.SetFaults(full)
	for _, p := range sc.up() {
		sc.w.Exec(p, "CONFIG", "SET", "repl-ping-replica-period", itoa(1+sc.r.IntN(5)))
	}
	return nil
}

// infoOf is node p's INFO replication (zero when p is down).
func (sc *scenario) infoOf(p int) node.ReplicationInfo {
	n := sc.w.Node(p)
	if n == nil {
		return node.ReplicationInfo{}
	}
	return n.Replication()
}

// syncLimit bounds each wait of the script (simulated time).
const syncLimit = 2 * time.Minute

// waitSync runs the world until every running replica's link is up at its
// master's offset and replid.
func (sc *scenario) waitSync() error {
	deadline := sc.w.now.Add(syncLimit)
	for sc.w.now.Before(deadline) {
		if sc.inSync() == "" {
			return nil
		}
		sc.w.Advance(20 * time.Millisecond)
		if err := sc.failed(); err != nil {
			return err
		}
	}
	return fmt.Errorf("boundary script: no sync within %s: %s", syncLimit, sc.inSync())
}

func (sc *scenario) inSync() string {
	for _, p := range sc.up() {
		in := sc.infoOf(p)
		if in.Role != "slave" {
			continue
		}
		mp := in.Master.Port
		if sc.w.Node(mp) == nil {
			continue
		}
		m := sc.infoOf(mp)
		if linkStatus(in) != "up" || in.Offset != m.Offset || in.ReplID != m.ReplID {
			return fmt.Sprintf("node %d (link %s, offset %d) vs its master %d (offset %d)", p, linkStatus(in), in.Offset, mp, m.Offset)
		}
	}
	// Everyone at its master's offset. The script writes no key with a
	// TTL: at the same offset, the same data.
	for _, p := range sc.up() {
		in := sc.infoOf(p)
		if in.Role != "slave" || sc.w.Node(in.Master.Port) == nil {
			continue
		}
		n, m := sc.w.Node(p), sc.w.Node(in.Master.Port)
		if digest(n.Store()) != digest(m.Store()) {
			sc.k.failf("node %d at its master %d's offset %d, but its data (%d keys) differ%s", p, in.Master.Port, in.Offset, keyCount(n.Store()), diffKeys(n, m))
		}
	}
	return ""
}

// do runs a command on p on a client of its own and waits for the reply.
func (sc *scenario) do(p int, args ...string) (*Call, error) {
	c, err := sc.scriptClient(p)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	call := c.Exec(args...)
	deadline := sc.w.now.Add(syncLimit)
	for !call.Done() && sc.w.now.Before(deadline) {
		sc.w.Advance(time.Millisecond)
	}
	if !call.Done() || call.Err() != "" || len(call.Reply()) > 0 && call.Reply()[0] == '-' {
		return call, fmt.Errorf("boundary script: %v on %d: %s", args, p, call.Text())
	}
	return call, nil
}

// scriptClient is a client of p in the script's db: the stream then
// SELECTs only when the script's writes start or a full sync restarts it.
func (sc *scenario) scriptClient(p int) (*Client, error) {
	c, err := sc.w.Client(p)
	if err == nil && sc.bdb != 0 {
		c.Exec("SELECT", itoa(sc.bdb))
	}
	return c, err
}

// padKey is the key the script pads with: SET bnd:pad <n bytes> is
// padLen(n) bytes of stream.
const padKey = "bnd:pad"

func padLen(n int) int {
	// *3 $3 SET $7 bnd:pad $<n> <n bytes>, each with its CRLF.
	return 4 + 9 + 4 + len(padKey) + 2 + 1 + len(strconv.Itoa(n)) + 2 + n + 2
}

// padRoom is what a first pad write leaves for the exact one: room for
// two more writes, a SELECT ("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n", 23 bytes)
// the master may put before it, and the jump from 9 to 10 value bytes.
var padRoom = 2*padLen(9) + padLen(0) + 23

// padSize is the value length whose SET is exactly want bytes (ok false
// when none is).
func padSize(want int) (int, bool) {
	for n := max(want-padLen(0)-6, 0); n <= want; n++ {
		if padLen(n) == want {
			return n, true
		}
	}
	return 0, false
}

// padTo writes to master p until its offset is exactly target; it fails
// when the offset is already past target or too close to reach.
func (sc *scenario) padTo(p int, target int64) error {
	// A short write first takes any SELECT the stream owes (a full sync
	// started since the last write makes the master re-emit one).
	if _, err := sc.do(p, "SET", padKey, "0"); err != nil {
		return err
	}
	for i := range 1000 {
		off := sc.infoOf(p).Offset
		left := int(target - off)
		if left == 0 {
			return nil
		}
		n, ok := padSize(left)
		// The first write may carry a SELECT (a full sync started since
		// the master's last write makes it re-emit one), so it is not the
		// exact one when there is room for two.
		first := i == 0 && left > padRoom+padLen(1)
		if !ok || left > 4096 || first {
			// A first write that leaves enough for an exact one.
			n = max(min(left-2*padLen(9), 2048), 1)
			if left > padRoom+padLen(1) {
				n = min(n, left-padRoom)
			}
		}
		if left < padLen(1) {
			return fmt.Errorf("boundary script: node %d at offset %d cannot reach %d exactly", p, off, target)
		}
		if _, err := sc.do(p, "SET", padKey, strings.Repeat(string(rune('a'+sc.r.IntN(26))), n)); err != nil {
			return err
		}
	}
	return fmt.Errorf("boundary script: padding node %d to %d did not end", p, target)
}

// backlog reads p's backlog fields: first byte, histlen, size.
func (sc *scenario) backlog(p int) (first, hist, size int64) {
	in := sc.infoOf(p)
	return in.Backlog.First, in.Backlog.HistLen, in.Backlog.Size
}

// fill writes to M until its backlog is full and every replica caught up.
func (sc *scenario) fill() error {
	// The stream's first write also SELECTs: padTo counts from after it.
	if _, err := sc.do(bM, "SET", padKey, "0"); err != nil {
		return err
	}
	_, _, size := sc.backlog(bM)
	if err := sc.padTo(bM, sc.infoOf(bM).Offset+size+int64(100+sc.r.IntN(400))); err != nil {
		return err
	}
	return sc.waitAll(bM)
}

// lagEdges shuts R down with its next byte one before, at and one past
// the start of a block of M's replication buffer (in the seed's order),
// writes to M until that block is its first (the ones before trimmed) and
// restarts R: its PSYNC asks First()-1, First(), First()+1 of a trimmed
// backlog.
func (sc *scenario) lagEdges() error {
	deltas := []int64{-1, 0, 1}
	sc.r.Shuffle(len(deltas), func(i, j int) { deltas[i], deltas[j] = deltas[j], deltas[i] })
	for _, d := range deltas {
		if err := sc.waitSync(); err != nil {
			return err
		}
		edge := sc.blockAhead(bM)
		if err := sc.padTo(bM, edge-1+d); err != nil {
			return err
		}
		if err := sc.waitSync(); err != nil {
			return err
		}
		if err := sc.stopReplica(bR); err != nil {
			return err
		}
		// Filled to its end, the block at edge is the first once the next
		// one is made with fewer bytes than the backlog's size: it alone
		// then holds more, the older ones go.
		if err := sc.padTo(bM, edge+repl.BlockSize-1); err != nil {
			return err
		}
		if _, err := sc.do(bM, "SET", padKey, "0"); err != nil {
			return err
		}
		if got := sc.infoOf(bM).Backlog.First; got != edge {
			return fmt.Errorf("boundary script: node %d's backlog starts at %d, want the block at %d", bM, got, edge)
		}
		if err := sc.restart(bR); err != nil {
			return err
		}
	}
	return sc.waitSync()
}

// blockAhead is the offset at which a block of p's buffer will start, far
// enough ahead for padTo to reach the byte before it exactly. Writes of up
// to a block make blocks of BlockSize.
func (sc *scenario) blockAhead(p int) int64 {
	in := sc.infoOf(p)
	edge := in.Backlog.NextBlock
	if edge-in.Offset < int64(4*padRoom) {
		edge += repl.BlockSize
	}
	return edge
}

// stopReplica shuts replica p down with a save: restarted, the first PSYNC
// it sends must ask for the replid and offset+1 it had (the dump's
// repl-id and repl-offset, its cached master).
func (sc *scenario) stopReplica(p int) error {
	in := sc.infoOf(p)
	if err := sc.w.Stop(p, true); err != nil {
		return err
	}
	sc.setMaster(p, sc.conf[p])
	sc.k.firstPsync[p] = fmt.Sprintf("PSYNC %s %d", in.ReplID, in.Offset+1)
	sc.dumpOff[p] = in.Offset
	return nil
}

func (sc *scenario) restart(p int) error {
	if err := sc.w.Restart(p); err != nil {
		return err
	}
	if off, ok := sc.dumpOff[p]; ok {
		// Before it connects, its cached master is the dump's history.
		delete(sc.dumpOff, p)
		if in := sc.infoOf(p); in.Master == nil || in.Master.Offset != off || in.Offset != off {
			sc.k.failf("replica %d restarted from a dump saved at offset %d shows master_repl_offset %d, slave_repl_offset %v", p, off, in.Offset, in.Master)
		}
	}
	sc.setMaster(p, sc.conf[p])
	return nil
}

// blockEdge resizes M's backlog (CONFIG SET takes at least 16 KB) and
// reads back what it kept, writes until R's offset is right before a block
// of M's buffer starts, shuts R down, writes some more into that block,
// probes one before, at and one past its start, and restarts R, whose PSYNC
// asks for the block's first byte.
func (sc *scenario) blockEdge() error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	size2 := int64(16384 + sc.r.IntN(512))
	if _, err := sc.do(bM, "CONFIG", "SET", "repl-backlog-size", strconv.FormatInt(size2, 10)); err != nil {
		return err
	}
	first, hist, _ := sc.backlog(bM)
	// Every byte kept must read back at its offset after the resize.
	in := sc.infoOf(bM)
	for _, off := range []int64{first, first + hist/2, in.Offset} {
		if err := sc.probe(bM, in.ReplID, off, false); err != nil {
			return err
		}
	}
	edge := sc.blockAhead(bM)
	if err := sc.padTo(bM, edge-1); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	if err := sc.stopReplica(bR); err != nil {
		return err
	}
	// Less than size2 into the new block: the one before it stays.
	if err := sc.padTo(bM, edge-1+int64(100+sc.r.IntN(int(size2/2)))); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	in = sc.infoOf(bM)
	for _, off := range []int64{edge - 1, edge, edge + 1} {
		if err := sc.probe(bM, in.ReplID, off, off == edge); err != nil {
			return err
		}
	}
	if err := sc.restart(bR); err != nil {
		return err
	}
	return sc.waitSync()
}

// aheadEdges saves M's dump, gives it zero to two writes its replicas
// receive, then crashes and restarts M from the dump: its replicas are at
// or ahead of it, under what is now its replid2. Probes ask around
// master_repl_offset+1 and second_repl_offset, then again after a write.
func (sc *scenario) aheadEdges() error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	// A BGSAVE of save 1 1 may be under way: SAVE once it is done.
	call, err := sc.do(bM, "SAVE")
	for deadline := sc.w.now.Add(syncLimit); err != nil && call != nil && strings.Contains(call.Text(), "in progress") && sc.w.now.Before(deadline); {
		sc.w.Advance(10 * time.Millisecond)
		call, err = sc.do(bM, "SAVE")
	}
	if err != nil {
		return err
	}
	saved := sc.infoOf(bM)
	for range sc.r.IntN(3) {
		if _, err := sc.do(bM, "SET", "bnd:ahead", itoa(sc.r.IntN(1000))); err != nil {
			return err
		}
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	sc.w.Crash(bM, false)
	// R, its link down, saves its cached master's history and stops.
	sc.w.Advance(50 * time.Millisecond)
	if err := sc.stopReplica(bR); err != nil {
		return err
	}
	if err := sc.restart(bM); err != nil {
		return err
	}
	// loadDataFromDisk: the saved history as replid2 up to its offset+1,
	// under a new replid, with an empty backlog from there.
	in := sc.infoOf(bM)
	first, hist, _ := sc.backlog(bM)
	if in.ReplID == saved.ReplID || in.ReplID2 != saved.ReplID || in.Offset2 != saved.Offset+1 || in.Offset != saved.Offset ||
		!in.Backlog.Active || first != saved.Offset+1 || hist != 0 {
		sc.k.failf("node %d restarted from a dump saved at replid %s offset %d: replid %s replid2 %s second_repl_offset %d offset %d, backlog active %v from %d holding %d",
			bM, saved.ReplID, saved.Offset, in.ReplID, in.ReplID2, in.Offset2, in.Offset, in.Backlog.Active, first, hist)
	}
	if err := sc.aroundEdges(bM); err != nil {
		return err
	}
	if err := sc.restart(bR); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	if _, err := sc.do(bM, "SET", "bnd:after", itoa(sc.r.IntN(1000))); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	return sc.aroundEdges(bM)
}

// aroundEdges probes master p one before, at and one past each of its
// edges: the backlog's first byte, master_repl_offset+1 (under its replid)
// and second_repl_offset (under its replid2).
func (sc *scenario) aroundEdges(p int) error {
	in := sc.infoOf(p)
	first := in.Backlog.First
	for _, d := range []int64{-1, 0, 1} {
		if err := sc.probe(p, in.ReplID, first+d, false); err != nil {
			return err
		}
		if err := sc.probe(p, in.ReplID, in.Offset+1+d, false); err != nil {
			return err
		}
		if in.Offset2 > 0 {
			if err := sc.probe(p, in.ReplID2, in.Offset2+d, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// chainEdges promotes R, the middle of a chain (its master -> R -> C),
// while its master's writes are in flight to it, points that master (at
// or ahead of R) at R, writes to R and probes its edges.
func (sc *scenario) chainEdges() error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	top := sc.master[bR]
	c, err := sc.scriptClient(top)
	if err != nil {
		return err
	}
	for range 1 + sc.r.IntN(5) {
		c.Exec("SET", "bnd:chain:"+itoa(sc.r.IntN(4)), itoa(sc.r.IntN(1000)))
	}
	sc.w.Advance(time.Duration(sc.r.IntN(1500)) * time.Microsecond)
	rc, err := sc.w.Client(bR)
	if err != nil {
		return err
	}
	gen := sc.topoGen[bR]
	call := sc.exec(rc, &callTag{promote: true}, "REPLICAOF", "NO", "ONE")
	for !call.Done() {
		sc.w.Advance(time.Millisecond)
	}
	if string(call.Reply()) != "+OK\r\n" || sc.topoGen[bR] != gen {
		return fmt.Errorf("boundary script: REPLICAOF NO ONE on %d: %s", bR, call.Text())
	}
	sc.setMaster(bR, 0)
	c.Close()
	rc.Close()
	sc.setMaster(top, bR)
	if _, err := sc.do(top, "REPLICAOF", "127.0.0.1", itoa(bR)); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	if err := sc.aroundEdges(bR); err != nil {
		return err
	}
	if _, err := sc.do(bR, "SET", "bnd:promoted", "1"); err != nil {
		return err
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	return sc.aroundEdges(bR)
}

// failover promotes W, M's other replica, and points R and M at it, as
// a PSYNC2 failover does: both continue under W's new replid, and R, whose
// replid changed, drops C, which continues from R under R's replid2.
func (sc *scenario) failover() error {
	if err := sc.waitSync(); err != nil {
		return err
	}
	wc, err := sc.w.Client(bW)
	if err != nil {
		return err
	}
	defer wc.Close()
	call := sc.exec(wc, &callTag{promote: true}, "REPLICAOF", "NO", "ONE")
	for !call.Done() {
		sc.w.Advance(time.Millisecond)
	}
	if string(call.Reply()) != "+OK\r\n" {
		return fmt.Errorf("boundary script: REPLICAOF NO ONE on %d: %s", bW, call.Text())
	}
	sc.setMaster(bW, 0)
	for _, p := range []int{bR, bM} {
		sc.setMaster(p, bW)
		if _, err := sc.do(p, "REPLICAOF", "127.0.0.1", itoa(bW)); err != nil {
			return err
		}
	}
	return sc.waitAll(bW)
}

// syncFallback, in the seeds whose C refuses PSYNC (rename-command PSYNC
// ""), points M at C: M's PSYNC gets -ERR, and it falls back to SYNC, as
// a replica of a master without PSYNC does, and loads C's data. A SYNC
// carries no offsets, so M goes back to its master after that.
func (sc *scenario) syncFallback() error {
	if !sc.k.noPsync[bC] {
		return nil
	}
	if err := sc.waitSync(); err != nil {
		return err
	}
	back := sc.master[bM]
	sc.setMaster(bM, bC)
	if _, err := sc.do(bM, "REPLICAOF", "127.0.0.1", itoa(bC)); err != nil {
		return err
	}
	deadline := sc.w.now.Add(syncLimit)
	for {
		m, c := sc.w.Node(bM), sc.w.Node(bC)
		if m != nil && c != nil && linkStatus(sc.infoOf(bM)) == "up" && digest(m.Store()) == digest(c.Store()) {
			break
		}
		if !sc.w.now.Before(deadline) {
			return fmt.Errorf("boundary script: node %d did not sync from %d by SYNC within %s", bM, bC, syncLimit)
		}
		sc.w.Advance(20 * time.Millisecond)
		if err := sc.failed(); err != nil {
			return err
		}
	}
	sc.setMaster(bM, back)
	if _, err := sc.do(bM, "REPLICAOF", "127.0.0.1", itoa(back)); err != nil {
		return err
	}
	return sc.waitSync()
}

// probe sends "PSYNC id off" to p as a replica would, on a connection of
// its own: the checker compares the master's decision with Redis's rule
// (replied), and here every backlog byte a +CONTINUE sends is compared
// with the book of what the stream held at that offset. blockStart marks
// a probe at a block's first byte (counted when it continues).
func (sc *scenario) probe(p int, id string, off int64, blockStart bool) error {
	if off < 0 || id == "" || id == strings.Repeat("0", 40) {
		return nil
	}
	c, err := sc.w.Client(p)
	if err != nil {
		return err
	}
	defer c.Close()
	c.Exec("REPLCONF", "capa", "eof", "capa", "psync2")
	tag := &callTag{probe: true, psyncID: id, psyncAt: off}
	call := sc.exec(c, tag, "PSYNC", id, strconv.FormatInt(off, 10))
	deadline := sc.w.now.Add(time.Second)
	for !call.Done() && sc.w.now.Before(deadline) {
		sc.w.Advance(time.Millisecond)
	}
	switch {
	case !tag.seen:
		return fmt.Errorf("boundary script: PSYNC %s %d to %d: not read", id, off, p)
	case !call.Done() && psyncRule(tag.before, id, off) == "continue":
		sc.k.failf("PSYNC %s %d to %d: Redis's rule says continue, and +CONTINUE comes at once, but no reply came", id, off, p)
		return nil
	case !call.Done():
		// +FULLRESYNC waits for the next snapshot to start.
		return nil
	}
	if !strings.HasPrefix(string(call.Reply()), "+CONTINUE") {
		return nil
	}
	// The backlog's bytes come with the reply; give them time to arrive.
	want := int(tag.before.Offset + 1 - off)
	for len(c.buf) < want && sc.w.now.Before(deadline) {
		sc.w.Advance(time.Millisecond)
	}
	if len(c.buf) < want {
		sc.k.failf("PSYNC %s %d to %d continued with %d bytes of backlog, want %d (master_repl_offset %d)", id, off, p, len(c.buf), want, tag.before.Offset)
		return nil
	}
	sc.k.checkResent(p, tag.before, off, c.buf[:want])
	if blockStart {
		sc.k.stats.Edges[edgeBlock]++
	}
	return nil
}
