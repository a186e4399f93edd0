package node

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/repl"
)

// ReplicationInfo is a node's replication state as INFO replication shows
// it, for code that wants the values rather than the text (the page, the
// simulator's checks): the node renders INFO from this struct.
type ReplicationInfo struct {
	Role string // "master" or "slave", as INFO says
	// Master is our side of the link to our master; nil on a master.
	Master *MasterLinkInfo
	// GoodReplicas is min_slaves_good_slaves, -1 when min-replicas-to-write
	// is off (INFO leaves the field out then).
	GoodReplicas int
	// Replicas are the replicas attached to us, as the slaveN lines.
	Replicas      []ReplicaInfo
	FailoverState string
	ReplID        string
	ReplID2       string
	Offset        int64 // master_repl_offset
	Offset2       int64 // second_repl_offset, -1 without a second ID
	Backlog       BacklogInfo
}

// MasterLinkInfo is a replica's side of its replication link.
type MasterLinkInfo struct {
	Host string
	Port int
	Up   bool // master_link_status
	// LastIO is master_last_io_seconds_ago, -1 while the link is down.
	LastIO     int64
	ReadOffset int64 // slave_read_repl_offset
	Offset     int64 // slave_repl_offset
	// Syncing: an RDB is being transferred; the Sync fields count it.
	Syncing    bool
	SyncTotal  int64 // -1 for an EOF-marked (diskless) transfer
	SyncRead   int64
	SyncLastIO int64
	// DownSince is master_link_down_since_seconds while the link is down,
	// -1 when it never was up.
	DownSince int64
	Priority  int
	ReadOnly  bool
	Announced bool
}

// ReplicaInfo is one "slaveN:" line: a replica attached to us.
type ReplicaInfo struct {
	IP     string
	Port   int
	State  string // "wait_bgsave", "send_bulk", "online"
	Offset int64  // the offset it last acknowledged
	Lag    int64  // seconds since its last acknowledgement
}

// BacklogInfo is the replication backlog's INFO fields.
type BacklogInfo struct {
	Active  bool
	Size    int64
	First   int64 // repl_backlog_first_byte_offset
	HistLen int64
	// NextBlock is where the buffer's next block will start (no INFO
	// field: the simulator aims at block boundaries with it).
	NextBlock int64
}

// SyncStats are INFO stats' sync_full, sync_partial_ok and sync_partial_err:
// the resynchronizations this node answered as a master.
type SyncStats struct {
	Full, PartialOK, PartialErr int64
}

// SyncStats returns the node's resynchronization counters.
func (n *Node) SyncStats() SyncStats {
	return SyncStats{Full: n.stats.syncFull, PartialOK: n.stats.syncPartialOK, PartialErr: n.stats.syncPartialErr}
}

// Replication returns the node's replication state.
func (n *Node) Replication() ReplicationInfo {
	ri := ReplicationInfo{
		Role:          "master",
		GoodReplicas:  -1,
		FailoverState: n.failover.state.String(),
		ReplID:        n.repl.hist.ID.String(),
		ReplID2:       n.repl.hist.ID2.String(),
		Offset:        n.repl.hist.Offset,
		Offset2:       n.repl.hist.Offset2,
		Backlog:       BacklogInfo{Size: n.cfg.ReplBacklogSize},
	}
	if n.isReplica() {
		ri.Role = "slave"
		ri.Master = n.masterLinkInfo()
	}
	if n.cfg.MinReplicasToWrite > 0 && n.cfg.MinReplicasMaxLag > 0 {
		ri.GoodReplicas = n.goodReplicas()
	}
	ri.Replicas = make([]ReplicaInfo, 0, len(n.repl.replicas))
	for _, c := range n.repl.replicas {
		r := c.replica
		ip := r.Addr
		if r.AnnouncedIP != "" {
			ip = r.AnnouncedIP
		}
		ri.Replicas = append(ri.Replicas, ReplicaInfo{
			IP: ip, Port: r.ListeningPort, State: r.State.String(), Offset: r.AckOffset,
			Lag: n.now.Unix() - r.AckTime.Unix(),
		})
	}
	if b := n.repl.backlog; b != nil {
		ri.Backlog = BacklogInfo{Active: true, Size: int64(b.Size()), First: b.First(), HistLen: int64(b.HistLen()), NextBlock: b.NextBlock()}
	}
	return ri
}

func (n *Node) masterLinkInfo() *MasterLinkInfo {
	l := n.repl.link
	m := &MasterLinkInfo{
		Host: n.repl.master.Host, Port: n.repl.master.Port, Up: n.linkUp(), LastIO: -1,
		ReadOffset: l.Offset(), Offset: l.Offset(), Syncing: l.State == repl.Transfer, DownSince: -1,
		Priority: n.cfg.ReplicaPriority, ReadOnly: n.cfg.ReplicaReadOnly, Announced: n.cfg.ReplicaAnnounced,
	}
	if mc := n.repl.mc; mc != nil {
		// Read but not yet applied: a partial command, an open MULTI, or
		// the stream a CLIENT PAUSE holds (Redis's read_reploff).
		m.ReadOffset += int64(len(mc.qbuf))
	}
	if m.Up {
		m.LastIO = int64(n.now.Sub(l.LastInteraction()).Seconds())
	} else if ds := l.DownSince(); !ds.IsZero() {
		m.DownSince = int64(n.now.Sub(ds).Seconds())
	}
	if m.Syncing {
		total, read, io := l.Transferring()
		m.SyncTotal, m.SyncRead, m.SyncLastIO = total, read, int64(n.now.Sub(io).Seconds())
	}
	return m
}

// infoReplication renders Replication as Redis's INFO replication.
func (n *Node) infoReplication(sb *strings.Builder) {
	ri := n.Replication()
	kv(sb, "role", ri.Role)
	if m := ri.Master; m != nil {
		kv(sb, "master_host", m.Host)
		kv(sb, "master_port", m.Port)
		status := "down"
		if m.Up {
			status = "up"
		}
		kv(sb, "master_link_status", status)
		kv(sb, "master_last_io_seconds_ago", m.LastIO)
		kv(sb, "master_sync_in_progress", boolInt(m.Syncing))
		kv(sb, "slave_read_repl_offset", m.ReadOffset)
		kv(sb, "slave_repl_offset", m.Offset)
		if m.Syncing {
			kv(sb, "master_sync_total_bytes", m.SyncTotal)
			kv(sb, "master_sync_read_bytes", m.SyncRead)
			kv(sb, "master_sync_left_bytes", m.SyncTotal-m.SyncRead) // negative for an EOF-marked transfer, as in Redis
			perc := 0.0
			if m.SyncTotal > 0 {
				perc = float64(m.SyncRead) * 100 / float64(m.SyncTotal)
			}
			kv(sb, "master_sync_perc", fmt.Sprintf("%.2f", perc))
			kv(sb, "master_sync_last_io_seconds_ago", m.SyncLastIO)
		}
		if !m.Up {
			kv(sb, "master_link_down_since_seconds", m.DownSince)
		}
		kv(sb, "slave_priority", m.Priority)
		kv(sb, "slave_read_only", boolInt(m.ReadOnly))
		kv(sb, "replica_announced", boolInt(m.Announced))
	}
	kv(sb, "connected_slaves", len(ri.Replicas))
	if ri.GoodReplicas >= 0 {
		kv(sb, "min_slaves_good_slaves", ri.GoodReplicas)
	}
	for i, r := range ri.Replicas {
		fmt.Fprintf(sb, "slave%d:ip=%s,port=%d,state=%s,offset=%d,lag=%d\r\n", i, r.IP, r.Port, r.State, r.Offset, r.Lag)
	}
	kv(sb, "master_failover_state", ri.FailoverState)
	kv(sb, "master_replid", ri.ReplID)
	kv(sb, "master_replid2", ri.ReplID2)
	kv(sb, "master_repl_offset", ri.Offset)
	kv(sb, "second_repl_offset", ri.Offset2)
	kv(sb, "repl_backlog_active", boolInt(ri.Backlog.Active))
	kv(sb, "repl_backlog_size", ri.Backlog.Size)
	kv(sb, "repl_backlog_first_byte_offset", ri.Backlog.First)
	kv(sb, "repl_backlog_histlen", ri.Backlog.HistLen)
}

func cmdRole(n *Node, c *client, args [][]byte) {
	if n.isReplica() {
		c.out.ArrayLen(5)
		c.out.BulkString("slave")
		c.out.BulkString(n.repl.master.Host)
		c.out.Int(int64(n.repl.master.Port))
		c.out.BulkString(n.repl.link.State.Role())
		c.out.Int(n.repl.link.RoleOffset())
		return
	}
	c.out.ArrayLen(3)
	c.out.BulkString("master")
	c.out.Int(n.repl.hist.Offset)
	var online []*client
	for _, r := range n.repl.replicas {
		if r.replica.State == repl.Online {
			online = append(online, r)
		}
	}
	c.out.ArrayLen(len(online))
	for _, r := range online {
		c.out.ArrayLen(3)
		ip := r.replica.Addr
		if r.replica.AnnouncedIP != "" {
			ip = r.replica.AnnouncedIP
		}
		c.out.BulkString(ip)
		c.out.BulkString(strconv.Itoa(r.replica.ListeningPort))
		c.out.BulkString(strconv.FormatInt(r.replica.AckOffset, 10))
	}
}
