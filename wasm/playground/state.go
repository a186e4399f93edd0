package playground

import "github.com/syncscope/syncscope/core/node"

// State is what the page's replication panel shows for one node: its
// node.ReplicationInfo, named as INFO replication names the fields.
type State struct {
	Port     int    `json:"port"`
	Running  bool   `json:"running"`
	Role     string `json:"role,omitempty"` // "master" or "slave", as INFO says
	ReplID   string `json:"replid,omitempty"`
	ReplID2  string `json:"replid2,omitempty"`
	Offset   int64  `json:"offset"`        // master_repl_offset
	Offset2  int64  `json:"second_offset"` // second_repl_offset
	ReadOnly bool   `json:"read_only"`     // slave_read_only (replicas only)

	Backlog Backlog `json:"backlog"`
	// Master is the link to our master, nil on a master.
	Master *MasterLink `json:"master,omitempty"`
	// Replicas are the replicas attached to us.
	Replicas []Replica `json:"replicas"`
}

// Backlog is the master's window of the replication stream
// (repl_backlog_*): the last bytes, by whole blocks, and whatever a lagging
// replica still holds.
type Backlog struct {
	Active  bool  `json:"active"`
	Size    int64 `json:"size"`
	First   int64 `json:"first"`   // repl_backlog_first_byte_offset
	HistLen int64 `json:"histlen"` // repl_backlog_histlen
}

// MasterLink is a replica's side of its replication link.
type MasterLink struct {
	Host       string `json:"host"`
	Port       int    `json:"port"`
	Status     string `json:"status"` // master_link_status: "up" or "down"
	LastIO     int64  `json:"last_io"`
	Syncing    bool   `json:"syncing"`
	SyncTotal  int64  `json:"sync_total,omitempty"`
	SyncRead   int64  `json:"sync_read,omitempty"`
	DownSince  int64  `json:"down_since,omitempty"`
	ReplOffset int64  `json:"repl_offset"` // slave_repl_offset
}

// Replica is one "slaveN:" line of a master's INFO.
type Replica struct {
	IP     string `json:"ip"`
	Port   int    `json:"port"`
	State  string `json:"state"`
	Offset int64  `json:"offset"`
	Lag    int64  `json:"lag"`
}

// stateFrom is what the panel shows of a node's replication state.
func stateFrom(port int, ri node.ReplicationInfo) State {
	st := State{
		Port: port, Running: true, Role: ri.Role, ReplID: ri.ReplID, ReplID2: ri.ReplID2,
		Offset: ri.Offset, Offset2: ri.Offset2,
		Backlog:  Backlog{Active: ri.Backlog.Active, Size: ri.Backlog.Size, First: ri.Backlog.First, HistLen: ri.Backlog.HistLen},
		Replicas: make([]Replica, 0, len(ri.Replicas)),
	}
	for _, r := range ri.Replicas {
		st.Replicas = append(st.Replicas, Replica{IP: r.IP, Port: r.Port, State: r.State, Offset: r.Offset, Lag: r.Lag})
	}
	if m := ri.Master; m != nil {
		st.ReadOnly = m.ReadOnly
		st.Master = &MasterLink{
			Host: m.Host, Port: m.Port, Status: "down", LastIO: m.LastIO, Syncing: m.Syncing,
			ReplOffset: m.Offset,
		}
		if m.Up {
			st.Master.Status = "up"
		} else {
			st.Master.DownSince = m.DownSince
		}
		if m.Syncing {
			st.Master.SyncTotal, st.Master.SyncRead = m.SyncTotal, m.SyncRead
		}
	}
	return st
}
