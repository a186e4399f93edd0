package sim

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/store"
)

// converge bounds how long the quiescent phase waits for every replica to
// catch up (simulated time).
const converge = 3 * time.Minute

// maxClientBuffer is the most a client's query or output buffer may hold
// once the world is quiet.
const maxClientBuffer = 1 << 20

// quiesce heals every fault, restarts every node, stops writing and waits
// until nothing is in flight and every replica caught up, then checks the
// invariants of a quiet world.
func (sc *scenario) quiesce() error {
	w := sc.w
	w.tracef(0, "quiesce: faults off, partitions healed, every node up")
	w.SetFaults(Faults{})
	w.HealAll()
	for _, p := range sc.ports {
		if w.Node(p) == nil {
			if err := w.Restart(p); err != nil {
				return err
			}
		}
	}
	deadline := w.now.Add(converge)
	var why string
	for w.now.Before(deadline) {
		w.Advance(500 * time.Millisecond)
		if err := sc.failed(); err != nil {
			return err
		}
		if !sc.settle() {
			continue
		}
		if why = sc.diverged(); why == "" {
			break
		}
	}
	if why != "" {
		return fmt.Errorf("no convergence %s after the faults healed: %s", converge, why)
	}
	if err := sc.replays(); err != nil {
		return err
	}
	if err := sc.buffers(); err != nil {
		return err
	}
	return sc.failed()
}

// settle runs events until nothing is in flight between nodes, and
// reports whether it got there.
func (sc *scenario) settle() bool {
	for range 100000 {
		if sc.w.InFlight() == 0 {
			return true
		}
		if !sc.w.Step() {
			return false
		}
	}
	return false
}

// diverged says why the world is not converged yet ("" when it is): a
// replica whose link is down, or whose offset, replid or data differ from
// its master's.
func (sc *scenario) diverged() string {
	for _, p := range sc.ports {
		n := sc.w.Node(p)
		if n == nil {
			return fmt.Sprintf("node %d is down", p)
		}
		in := n.Replication()
		sc.k.checkBacklogInfo(p, in)
		if in.Role != "slave" {
			continue
		}
		mp := in.Master.Port
		m := sc.w.Node(mp)
		switch {
		case m == nil:
			return fmt.Sprintf("node %d replicates %d, which is not running", p, mp)
		case !in.Master.Up:
			return fmt.Sprintf("node %d: link to %d is down", p, mp)
		}
		min := m.Replication()
		switch {
		case in.Offset != min.Offset:
			return fmt.Sprintf("node %d at offset %d, its master %d at %d", p, in.Offset, mp, min.Offset)
		case in.Master.Offset != in.Offset:
			return fmt.Sprintf("node %d: slave_repl_offset %d, master_repl_offset %d", p, in.Master.Offset, in.Offset)
		case in.ReplID != min.ReplID:
			return fmt.Sprintf("node %d has replid %s, its master %d has %s", p, in.ReplID, mp, min.ReplID)
		case digest(n.Store()) != digest(m.Store()):
			return fmt.Sprintf("node %d's data (%d keys) differ from its master %d's (%d keys)%s", p, keyCount(n.Store()), mp, keyCount(m.Store()), diffKeys(n, m))
		}
	}
	return ""
}

// diffKeys names a few keys that differ, for the report.
func diffKeys(a, b *node.Node) string {
	var out []string
	for i, db := range a.Store().DBs {
		other := b.Store().DBs[i]
		for _, k := range db.Keys() {
			if strings.HasPrefix(k, "local:") {
				continue
			}
			va, vb := db.Peek([]byte(k)), other.Peek([]byte(k))
			switch {
			case vb == nil:
				out = append(out, fmt.Sprintf("db%d %q only on the replica", i, k))
			case db.TTL([]byte(k)) != other.TTL([]byte(k)):
				out = append(out, fmt.Sprintf("db%d %q TTL %d vs %d", i, k, db.TTL([]byte(k)), other.TTL([]byte(k))))
			case va.Type() != vb.Type():
				out = append(out, fmt.Sprintf("db%d %q type differs", i, k))
			case store.DigestValue(va, -1) != store.DigestValue(vb, -1):
				out = append(out, fmt.Sprintf("db%d %q value differs", i, k))
			}
			if len(out) >= 3 {
				return ": " + strings.Join(out, ", ")
			}
		}
		for _, k := range other.Keys() {
			if !strings.HasPrefix(k, "local:") && db.Peek([]byte(k)) == nil {
				out = append(out, fmt.Sprintf("db%d %q only on the master", i, k))
			}
			if len(out) >= 3 {
				break
			}
		}
	}
	if len(out) == 0 {
		return ": values differ"
	}
	return ": " + strings.Join(out, ", ")
}

// replays checks that what each master streamed on its live full-sync
// links, replayed into a fresh node from the start of that history (the
// RDB at the FULLRESYNC offset, then the stream), rebuilds the master's
// dataset and offset.
func (sc *scenario) replays() error {
	for _, s := range sc.k.list {
		p := s.p
		m, r := p.ends[1], p.ends[0]
		if p.dead || m.closed || r.closed || s.master.node == nil || s.master.inc != s.inc || !s.full || s.tooBig || s.state != sessStream {
			continue
		}
		shadow, err := replay(s.out, sc.w.now)
		if err != nil {
			return fmt.Errorf("replaying what %d sent %d: %w", s.master.port, s.replica, err)
		}
		sc.k.stats.Replays++
		in := shadow.Replication()
		min := s.master.node.Replication()
		if in.Offset != min.Offset || digest(shadow.Store()) != digest(s.master.node.Store()) {
			return fmt.Errorf("the stream %d sent %d since its FULLRESYNC, replayed, gives offset %d and %d keys; %d has offset %d and %d keys%s",
				s.master.port, s.replica, in.Offset, keyCount(shadow.Store()), s.master.port, min.Offset, keyCount(s.master.node.Store()), diffKeys(shadow, s.master.node))
		}
	}
	return nil
}

// replay feeds a master's side of a link, as recorded, to a fresh replica
// that talks to nobody else.
func replay(transcript []byte, now time.Time) (*node.Node, error) {
	cfg, _, err := config.Parse("port 1\nreplicaof 127.0.0.1 2\nsave \"\"\nrepl-timeout 100000\n", nil)
	if err != nil {
		return nil, err
	}
	n, err := node.New(cfg, node.Env{Now: now, Seed: [2]uint64{1, 2}, Pid: 1})
	if err != nil {
		return nil, err
	}
	rd := n.Ready()
	if len(rd.Dials) != 1 {
		if err := n.Step(now, node.Wake{}); err != nil {
			return nil, err
		}
		rd = n.Ready()
	}
	if len(rd.Dials) != 1 {
		return nil, fmt.Errorf("the replay node did not dial its master")
	}
	conn := rd.Dials[0].Conn
	if err := n.Step(now, node.Dialed{Conn: conn, Local: "127.0.0.1:2"}); err != nil {
		return nil, err
	}
	n.Ready()
	// Reply by reply, as the master did: the replica sends its next
	// handshake command only after reading the previous reply.
	rest := transcript
	for range 1 << 16 { // replies and keepalive newlines
		i := bytes.IndexByte(rest, '\n')
		if i < 0 || len(rest) == 0 || rest[0] == '$' {
			break
		}
		line := rest[:i+1]
		rest = rest[i+1:]
		if err := n.Step(now, node.Received{Conn: conn, Data: line}); err != nil {
			return nil, err
		}
		n.Ready()
		if bytes.HasPrefix(line, []byte("+FULLRESYNC")) {
			break
		}
	}
	if err := n.Step(now, node.Received{Conn: conn, Data: rest}); err != nil {
		return nil, err
	}
	n.Ready()
	if m := n.Replication().Master; m == nil || !m.Up {
		return nil, fmt.Errorf("the replay node's link is down: %s", strconv.Quote(lastLog(n)))
	}
	return n, nil
}

func lastLog(n *node.Node) string {
	rd := n.Ready()
	if len(rd.Logs) == 0 {
		return ""
	}
	return rd.Logs[len(rd.Logs)-1].Text
}

// buffers checks that no client's query or output buffer grew without
// bound: once the world is quiet, CLIENT LIST shows them nearly empty.
func (sc *scenario) buffers() error {
	for _, p := range sc.ports {
		call := sc.w.Exec(p, "CLIENT", "LIST")
		for i := 0; i < 10000 && !call.Done() && sc.w.Step(); i++ {
		}
		if call.reply == nil {
			return fmt.Errorf("CLIENT LIST on %d: %s", p, call.err)
		}
		for _, line := range strings.Split(string(call.reply), "\n") {
			for _, f := range strings.Fields(line) {
				k, v, _ := strings.Cut(f, "=")
				if k != "qbuf" && k != "omem" {
					continue
				}
				if n, _ := strconv.Atoi(v); n > maxClientBuffer {
					return fmt.Errorf("node %d: client buffer %s=%d after the world went quiet: %s", p, k, n, line)
				}
			}
		}
	}
	queued := 0
	for _, pp := range sc.w.pipes {
		for _, d := range pp.dirs {
			for _, c := range d.chunks {
				queued += len(c.data)
			}
		}
	}
	if queued > maxClientBuffer {
		return fmt.Errorf("%d bytes in flight on the links of a quiet world", queued)
	}
	return nil
}
