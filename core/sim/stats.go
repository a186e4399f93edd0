package sim

// Stats counts what a run exercised.
type Stats struct {
	Runs                            int // in a sum of runs
	Commands, Writes, Refused       int
	PsyncContinue, PsyncFull, NoLnk int
	Promotions, Waits, Replays      int
	StreamBytes                     int64
	// ResentBytes counts the backlog bytes a partial resync sent that the
	// checker compared with the stream's byte at that offset.
	ResentBytes int64
	// Edges counts each boundary reached (boundary.go).
	Edges [numEdges]int
}

// The boundaries the checker counts: where a PSYNC asked, relative to the
// master's state as it read it.
const (
	edgeLagMinus    = iota // a replica's lag was histlen-1 (trimmed backlog): it asked First()+1
	edgeLagExact           // histlen: it asked First()
	edgeLagPlus            // histlen+1: it asked First()-1
	edgeEndNext            // asked master_repl_offset+1 under the replid (0 bytes to send)
	edgeEndPast            // asked master_repl_offset+2 under the replid
	edgeID2Before          // asked second_repl_offset-1 under the replid2
	edgeID2At              // asked second_repl_offset under the replid2
	edgeID2After           // asked second_repl_offset+1 under the replid2, inside the backlog
	edgeAhead              // a replica ahead of its master (asked past master_repl_offset+1)
	edgeID2Continue        // a replica continued under its master's replid2 (promotion, restart)
	edgeBlock              // a partial resync from the first byte of a block of the buffer
	numEdges
)

var edgeNames = [numEdges]string{"lag=histlen-1", "lag=histlen", "lag=histlen+1", "offset+1", "offset+2",
	"second_repl_offset-1", "second_repl_offset", "second_repl_offset+1", "replica-ahead", "continue-under-replid2", "block-start"}

// Add sums two runs' counts.
func (s Stats) Add(o Stats) Stats {
	return Stats{
		Runs: s.Runs + o.Runs, Commands: s.Commands + o.Commands, Writes: s.Writes + o.Writes, Refused: s.Refused + o.Refused,
		PsyncContinue: s.PsyncContinue + o.PsyncContinue, PsyncFull: s.PsyncFull + o.PsyncFull, NoLnk: s.NoLnk + o.NoLnk,
		Promotions: s.Promotions + o.Promotions, Waits: s.Waits + o.Waits, Replays: s.Replays + o.Replays,
		StreamBytes: s.StreamBytes + o.StreamBytes, ResentBytes: s.ResentBytes + o.ResentBytes,
		Edges: addEdges(s.Edges, o.Edges),
	}
}

func addEdges(a, b [numEdges]int) [numEdges]int {
	for i := range a {
		a[i] += b[i]
	}
	return a
}
