package repl

import (
	"fmt"
	"strings"
)

// History is a node's place in a replication history: master_replid,
// master_replid2, master_repl_offset and second_replid_offset (-1 when there
// is no ID2). A replica shares its master's history: same IDs, same offsets.
type History struct {
	ID, ID2         ID
	Offset, Offset2 int64
}

// NewHistory starts a fresh history at offset 0 with no ID2.
func NewHistory(id ID) History { return History{ID: id, ID2: NoID, Offset2: -1} }

// Continue applies masterTryPartialResynchronization's rule to "PSYNC id
// off": the replica may continue when id is our ID, or our ID2 with off up to
// Offset2, and the backlog b (nil = none) still holds offset off. When it may
// not, why is the line Redis logs. Redis names the replica in two of those
// lines; Continue leaves the name empty: use ContinueFor to log.
func (h History) Continue(id string, off int64, b *Backlog) (ok bool, why string) {
	ok, logs := h.ContinueFor("", id, off, b)
	if len(logs) > 0 {
		why = logs[0].Text
	}
	return ok, why
}

// ContinueFor is Continue with every line Redis logs when it refuses, in
// order and with its level; replica is replicationGetSlaveName's text
// (Replica.Name).
func (h History) ContinueFor(replica, id string, off int64, b *Backlog) (ok bool, logs []ActLog) {
	isID := strings.EqualFold(id, h.ID.String())
	isID2 := strings.EqualFold(id, h.ID2.String())
	if !isID && (!isID2 || off > h.Offset2) {
		switch {
		case strings.HasPrefix(id, "?"):
			logs = append(logs, logf('*', "Full resync requested by replica %s", replica))
		case !isID2:
			logs = append(logs, logf('*', "Partial resynchronization not accepted: "+
				"Replication ID mismatch (Replica asked for '%s', my replication IDs are '%s' and '%s')",
				id, h.ID, h.ID2))
		default:
			logs = append(logs, logf('*', "Partial resynchronization not accepted: "+
				"Requested offset for second ID was %d, but I can reply up to %d", off, h.Offset2))
		}
		return false, logs
	}
	if b == nil || !b.Covers(off) {
		logs = append(logs, logf('*', "Unable to partial resync with replica %s for lack of backlog (Replica request was: %d).", replica, off))
		if off > h.Offset {
			logs = append(logs, logf('#', "Warning: replica %s tried to PSYNC with an offset that is greater than the master replication offset.", replica))
		}
		return false, logs
	}
	return true, nil
}

// Shift starts a new history where this one ends, as shiftReplicationId does
// when a replica becomes a master: ID2 = ID valid up to Offset+1, ID = next.
// It returns the line Redis logs (level '#').
func (h *History) Shift(next ID) (logLine string) {
	h.ID2, h.Offset2, h.ID = h.ID, h.Offset+1, next
	if plantedReplid2MixUp {
		h.ID, h.ID2 = h.ID2, h.ID
	}
	return fmt.Sprintf("Setting secondary replication ID to %s, valid up to offset: %d. New replication ID is %s", h.ID2, h.Offset2, h.ID)
}

// Restart starts a new history under id at the same offset, with no past
// (changeReplicationId then clearReplicationId2): Redis never rewinds
// master_repl_offset.
func (h *History) Restart(id ID) { *h = History{ID: id, ID2: NoID, Offset: h.Offset, Offset2: -1} }

// ClearID2 forgets the secondary ID (clearReplicationId2), as after a full
// resync.
func (h *History) ClearID2() { h.ID2, h.Offset2 = NoID, -1 }
