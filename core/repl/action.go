package repl

import "fmt"

// Action is an effect the Link asks the node to perform, in order. The
// concrete types are the Act* structs below.
type Action interface{}

// ActDial asks the node to connect to the master at Addr ("host:port",
// "[v6]:port") and report the outcome with Link.Dialed.
type ActDial struct{ Addr string }

// ActSend asks the node to write Data on the link's connection.
type ActSend struct{ Data []byte }

// ActClose asks the node to close the link's connection.
type ActClose struct{}

// ActLog is a log line: Level is '.' debug, '-' verbose, '*' notice or '#'
// warning, as Redis prints it; Text is Redis's.
type ActLog struct {
	Level byte
	Text  string
}

// ActDropReplicas asks the node to disconnect its own replicas
// (disconnectSlaves) so they re-PSYNC against the new history; with
// FreeBacklog it also frees its backlog so they cannot continue
// (replicationAttachToNewMaster, before a full sync's data is loaded).
type ActDropReplicas struct{ FreeBacklog bool }

// ActFullSync hands over a complete RDB payload received after
// +FULLRESYNC. The node loads it into a fresh store, swaps it in on success,
// takes History{ID: ReplID, Offset: Offset} with no ID2, creates its backlog
// if it has none, then calls Link.Loaded. RDB is the node's from now on.
// Offset is -1 (and ReplID meaningless) after the SYNC fallback.
type ActFullSync struct {
	ReplID ID
	Offset int64
	RDB    []byte
	EOF    bool // the payload came "$EOF:<mark>" delimited (diskless master)
}

// ActContinue reports an accepted partial resync (+CONTINUE). When NewID is
// not the node's current ID (Changed), the node shifts its history to it
// (History.Shift(NewID), ignoring the returned line: Redis logs "Master
// replication ID changed to" instead); an ActDropReplicas follows. The node
// creates its backlog if it has none.
type ActContinue struct {
	NewID   ID
	Changed bool
}

// ActStream is replication stream bytes from the master, to be applied as
// commands from the master; the node calls Link.Processed as it applies
// them. Data may alias the slice given to Received.
type ActStream struct{ Data []byte }

// ActFailover reports how the target of a FAILOVER answered the link's
// PSYNC ... FAILOVER: Accepted when it continued or started a full sync
// (the failover is over), else the node aborts the failover; the link
// then does nothing more until the node stops it.
type ActFailover struct{ Accepted bool }

func logf(level byte, format string, args ...any) ActLog {
	return ActLog{Level: level, Text: fmt.Sprintf(format, args...)}
}
