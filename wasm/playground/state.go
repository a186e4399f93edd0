package playground

import (
	"strconv"
	"strings"
)

// State is what the page's replication panel shows for one node, read from
// its INFO replication (the fields a Redis user knows).
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

// Backlog is the ring of the last bytes of the replication stream.
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

// ParseInfo reads the replication section of an INFO reply into a State.
// Unknown fields are ignored, so INFO with more sections works too.
func ParseInfo(port int, info string) State {
	st := State{Port: port, Running: true, Replicas: []Replica{}}
	var link MasterLink
	for _, line := range strings.Split(info, "\n") {
		key, val, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		if !ok || strings.HasPrefix(key, "#") {
			continue
		}
		num, _ := strconv.ParseInt(val, 10, 64)
		switch key {
		case "role":
			st.Role = val
		case "master_replid":
			st.ReplID = val
		case "master_replid2":
			st.ReplID2 = val
		case "master_repl_offset":
			st.Offset = num
		case "second_repl_offset":
			st.Offset2 = num
		case "slave_read_only":
			st.ReadOnly = num == 1
		case "repl_backlog_active":
			st.Backlog.Active = num == 1
		case "repl_backlog_size":
			st.Backlog.Size = num
		case "repl_backlog_first_byte_offset":
			st.Backlog.First = num
		case "repl_backlog_histlen":
			st.Backlog.HistLen = num
		case "master_host":
			link.Host = val
		case "master_port":
			link.Port = int(num)
		case "master_link_status":
			link.Status = val
		case "master_last_io_seconds_ago":
			link.LastIO = num
		case "master_sync_in_progress":
			link.Syncing = num == 1
		case "master_sync_total_bytes":
			link.SyncTotal = num
		case "master_sync_read_bytes":
			link.SyncRead = num
		case "master_link_down_since_seconds":
			link.DownSince = num
		case "slave_repl_offset":
			link.ReplOffset = num
		default:
			if strings.HasPrefix(key, "slave") && isDigits(key[len("slave"):]) {
				st.Replicas = append(st.Replicas, parseReplica(val))
			}
		}
	}
	if st.Role == "slave" {
		st.Master = &link
	}
	return st
}

// parseReplica reads "ip=127.0.0.1,port=6378,state=online,offset=42,lag=0".
func parseReplica(val string) Replica {
	var r Replica
	for _, kv := range strings.Split(val, ",") {
		k, v, _ := strings.Cut(kv, "=")
		num, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "ip":
			r.IP = v
		case "port":
			r.Port = int(num)
		case "state":
			r.State = v
		case "offset":
			r.Offset = num
		case "lag":
			r.Lag = num
		}
	}
	return r
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
