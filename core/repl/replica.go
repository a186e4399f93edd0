package repl

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/cstr"
)

// ReplicaState is where a replica attached to us stands in its sync
// (SLAVE_STATE_*).
type ReplicaState int

// Replica states. WaitBgsave replicas get no stream yet; from WaitBgsaveEnd
// on, the stream accumulates in their output.
const (
	WaitBgsave    ReplicaState = iota // waiting for a snapshot to start (WAIT_BGSAVE_START)
	WaitBgsaveEnd                     // +FULLRESYNC sent, snapshot in progress
	SendBulk                          // sending the RDB file
	Online                            // streaming
)

// String is the state as INFO replication shows it.
func (s ReplicaState) String() string {
	switch s {
	case WaitBgsave, WaitBgsaveEnd:
		return "wait_bgsave"
	case SendBulk:
		return "send_bulk"
	case Online:
		return "online"
	}
	return "unknown"
}

// Replica is what a master knows about one replica connection: what it
// announced with REPLCONF and where its sync and ACKs stand.
type Replica struct {
	State         ReplicaState
	Attached      bool   // it sent SYNC/PSYNC (CLIENT_SLAVE): REPLCONF ACK counts only then
	Addr          string // the peer's IP
	ListeningPort int    // REPLCONF listening-port
	AnnouncedIP   string // REPLCONF ip-address
	CapaEOF       bool   // REPLCONF capa eof: takes a diskless "$EOF:" payload
	CapaPSync2    bool   // REPLCONF capa psync2: gets "+CONTINUE <replid>"
	PrePSync      bool   // it sent SYNC, not PSYNC (CLIENT_PRE_PSYNC): no +FULLRESYNC line
	RDBOnly       bool   // REPLCONF rdb-only 1
	// REPLCONF rdb-filter-only: what to leave out of its RDB.
	ExcludeData, ExcludeFunctions bool
	AckOffset                     int64     // repl_ack_off
	AckTime                       time.Time // repl_ack_time
	// StreamOnAck holds the stream until the first ACK after a diskless
	// transfer (repl_start_cmd_stream_on_ack); HandleReplconf clears it.
	StreamOnAck bool
	// InitialOffset is the offset sent with +FULLRESYNC (psync_initial_offset).
	InitialOffset int64
}

// Name is replicationGetSlaveName: "ip:port" ("[ip]:port" for IPv6), with
// the announced IP if any, or "ip:<unknown-replica-port>".
func (r *Replica) Name() string {
	ip := r.Addr
	if r.AnnouncedIP != "" {
		ip = r.AnnouncedIP
	}
	if r.ListeningPort == 0 {
		return ip + ":<unknown-replica-port>"
	}
	if strings.IndexByte(ip, ':') >= 0 {
		return "[" + ip + "]:" + strconv.Itoa(r.ListeningPort)
	}
	return ip + ":" + strconv.Itoa(r.ListeningPort)
}

// Error texts shared with the command layer (without the leading '-').
const (
	errSyntax = "ERR syntax error"
	errNotInt = "ERR value is not an integer or out of range"
)

// HandleReplconf runs "REPLCONF <option> <value> ..." for this connection
// (replconfCommand); args is the whole argv, REPLCONF included. reply is the
// RESP reply, nil when Redis sends none (ACK, GETACK); err, when not empty,
// is the error to reply instead, without its '-' (e.g. "ERR syntax error").
// Options before a bad one stay applied, as in Redis. GETACK does nothing
// here: a replica answers its master's GETACK with Link.Ack.
func (r *Replica) HandleReplconf(args [][]byte, now time.Time) (reply []byte, err string) {
	if len(args)%2 == 0 {
		return nil, errSyntax
	}
	for j := 1; j < len(args); j += 2 {
		opt, val := strings.ToLower(string(args[j])), args[j+1]
		switch opt {
		case "listening-port":
			port, ok := cstr.String2ll(val)
			if !ok {
				return nil, errNotInt
			}
			r.ListeningPort = int(int32(port)) // Redis stores it in an int
		case "ip-address":
			if len(val) >= 256 { // NET_HOST_STR_LEN
				return nil, "ERR REPLCONF ip-address provided by replica instance is too long: " +
					strconv.Itoa(len(val)) + " bytes"
			}
			r.AnnouncedIP = string(val)
		case "capa":
			switch strings.ToLower(string(val)) {
			case "eof":
				r.CapaEOF = true
			case "psync2":
				r.CapaPSync2 = true
			}
		case "ack":
			if !r.Attached {
				return nil, ""
			}
			off, ok := cstr.String2ll(val)
			if !ok {
				return nil, ""
			}
			r.AckOffset = max(r.AckOffset, off)
			r.AckTime = now
			if r.StreamOnAck && r.State == Online {
				r.StreamOnAck = false
			}
			return nil, ""
		case "getack":
			return nil, ""
		case "rdb-only":
			v, ok := cstr.String2ll(val)
			if !ok {
				return nil, errNotInt
			}
			if v < 0 || v > 1 {
				return nil, "ERR value is out of range, value must between 0 and 1"
			}
			r.RDBOnly = v == 1
		case "rdb-filter-only":
			filters, ok := cstr.SplitArgsStrings(string(val))
			if !ok {
				return nil, "ERR Missing rdb-filter-only values"
			}
			r.ExcludeData, r.ExcludeFunctions = true, true
			for _, f := range filters {
				if !strings.EqualFold(f, "functions") {
					return nil, "ERR Unsupported rdb-filter-only option: " + f
				}
				r.ExcludeFunctions = false
			}
		default:
			return nil, "ERR Unrecognized REPLCONF option: " + string(args[j])
		}
	}
	return []byte("+OK\r\n"), ""
}

// ErrPsyncOffset is ParsePsync's error for an offset that is not an integer.
var ErrPsyncOffset = errors.New(errNotInt)

// ParsePsync reads "PSYNC <replid> <offset> [FAILOVER]" (args is the whole
// argv). The error text is the reply to send, without its '-'; Redis also
// logs "Replica %s asks for synchronization but with a wrong offset" then.
func ParsePsync(args [][]byte) (id string, off int64, err error) {
	if len(args) < 3 {
		return "", 0, errors.New("ERR wrong number of arguments for 'psync' command")
	}
	off, ok := cstr.String2ll(args[2])
	if !ok {
		return "", 0, ErrPsyncOffset
	}
	return string(args[1]), off, nil
}

// AppendFullResync appends "+FULLRESYNC <id> <offset>\r\n".
func AppendFullResync(dst []byte, id ID, off int64) []byte {
	dst = append(dst, "+FULLRESYNC "...)
	dst = append(dst, id.String()...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, off, 10)
	return append(dst, "\r\n"...)
}

// AppendContinue appends "+CONTINUE <id>\r\n" for a psync2 replica, else
// "+CONTINUE\r\n".
func AppendContinue(dst []byte, id ID, psync2 bool) []byte {
	if !psync2 {
		return append(dst, "+CONTINUE\r\n"...)
	}
	dst = append(dst, "+CONTINUE "...)
	dst = append(dst, id.String()...)
	return append(dst, "\r\n"...)
}
