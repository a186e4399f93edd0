package repl

import (
	"bytes"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/cstr"
)

func (l *Link) startTransfer(now time.Time, acts []Action) []Action {
	l.State = Transfer
	l.size, l.read, l.eof, l.rdb, l.parsing = -1, 0, false, nil, false
	l.lastIO = now
	return acts
}

// header handles the bulk header line: "$<len>", "$EOF:<mark>", a keepalive
// newline, or an error.
func (l *Link) header(now time.Time, line string, acts []Action) []Action {
	switch {
	case line == "":
		l.lastIO = now
		return acts
	case line[0] == '-':
		acts = append(acts, logf('#', "MASTER aborted replication with an error: %s", line[1:]))
		return l.retryNow(now, acts)
	case line[0] != '$':
		acts = append(acts, logf('#', "Bad protocol from MASTER, the first byte is not '$' (we received '%s'), are you sure the host and port are right?", line))
		return l.retryNow(now, acts)
	}
	// useDisklessLoad: the payload goes straight to the loader.
	l.parsing = l.cfg.DisklessLoad == "swapdb" || l.cfg.DisklessLoad == "on-empty-db" && l.emptyDB
	to := "disk"
	if l.parsing {
		to = "parser"
	}
	if strings.HasPrefix(line[1:], "EOF:") && len(line) >= 5+eofMarkLen {
		l.eof, l.size = true, 0
		copy(l.mark[:], line[5:])
		acts = append(acts, logf('*', "MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to %s", to))
		return l.startParsing(acts)
	}
	l.size, _, _ = cstr.Strtoll(line[1:], 10)
	acts = append(acts, logf('*', "MASTER <-> REPLICA sync: receiving %d bytes from master to %s", l.size, to))
	if l.size < 0 || l.size > l.cfg.MaxBulk {
		return l.diskFull(now, acts)
	}
	l.rdb = make([]byte, 0, min(l.size, 64<<20))
	return l.startParsing(acts)
}

// startParsing starts a diskless load as the payload starts: swapdb loads
// beside the old dataset, which stays until the load succeeds; on-empty-db
// attaches to the new master and flushes first.
func (l *Link) startParsing(acts []Action) []Action {
	if !l.parsing {
		return acts
	}
	if l.cfg.DisklessLoad != "swapdb" {
		acts = append(acts, l.Discard()...)
		acts = append(acts, ActDropReplicas{FreeBacklog: true}, logf('*', "MASTER <-> REPLICA sync: Flushing old data"))
	}
	return append(acts, logf('*', "MASTER <-> REPLICA sync: Loading DB in memory"))
}

// parseFailed ends a diskless load cut short (the connection lost or
// silent): the partial dataset is dropped and the sync retried.
func (l *Link) parseFailed(now time.Time, acts []Action, errno string) []Action {
	acts = append(acts, logf('#', "Failed trying to load the MASTER synchronization DB from socket: %s", errno))
	if l.cfg.DisklessLoad == "swapdb" {
		acts = append(acts, logf('*', "MASTER <-> REPLICA sync: Discarding temporary DB in background"))
	}
	return l.retryNow(now, acts)
}

// diskFull fails the transfer when the payload would exceed MaxBulk, with
// the line Redis logs when the disk is full.
func (l *Link) diskFull(now time.Time, acts []Action) []Action {
	acts = append(acts, logf('#', "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: No space left on device"))
	return l.retryNow(now, acts)
}

// payload takes RDB bytes from data. When the payload is complete it emits
// the full sync and returns done with the bytes that follow it.
func (l *Link) payload(now time.Time, data []byte, acts []Action) ([]Action, bool, []byte) {
	if l.eof {
		if int64(len(l.rdb)+len(data)) > l.cfg.MaxBulk+eofMarkLen {
			return l.diskFull(now, acts), false, nil
		}
		if len(data) > 0 {
			l.lastIO = now
		}
		from := max(0, len(l.rdb)-(eofMarkLen-1))
		l.rdb = append(l.rdb, data...)
		l.read += int64(len(data))
		i := bytes.Index(l.rdb[from:], l.mark[:])
		if i < 0 {
			return acts, false, nil
		}
		end := from + i
		rest := l.rdb[end+eofMarkLen:]
		l.rdb = l.rdb[:end:end]
		return l.complete(acts), true, rest
	}
	n := int(min(int64(len(data)), l.size-l.read))
	if n > 0 {
		l.lastIO = now
		l.rdb = append(l.rdb, data[:n]...)
		l.read += int64(n)
	}
	if l.read < l.size {
		return acts, false, nil
	}
	return l.complete(acts), true, data[n:]
}

// complete hands the payload over: replicationAttachToNewMaster, then the
// flush and load lines.
func (l *Link) complete(acts []Action) []Action {
	switch {
	case !l.parsing:
		acts = append(acts, l.Discard()...)
		acts = append(acts,
			ActDropReplicas{FreeBacklog: true},
			logf('*', "MASTER <-> REPLICA sync: Flushing old data"),
			logf('*', "MASTER <-> REPLICA sync: Loading DB in memory"))
	case l.cfg.DisklessLoad == "swapdb":
		// Redis attaches to the new master once the load succeeded; the
		// node swaps its store in only then too, and must drop its
		// replicas before it makes the new backlog.
		acts = append(acts, l.Discard()...)
		acts = append(acts, ActDropReplicas{FreeBacklog: true})
	}
	acts = append(acts, ActFullSync{ReplID: l.fullID, Offset: l.fullOff, RDB: l.rdb, EOF: l.eof})
	l.rdb, l.loading = nil, true
	return acts
}

// Loaded reports the outcome of ActFullSync: ok, or the error text Redis
// would print (e.g. "Invalid argument").
func (l *Link) Loaded(now time.Time, ok bool, err string) []Action {
	if !l.loading {
		return nil
	}
	l.loading = false
	parsing := l.parsing
	l.parsing = false
	pending := l.pending
	l.pending = nil
	if !ok && parsing {
		acts := []Action{logf('#', "Failed trying to load the MASTER synchronization DB from socket: %s", err)}
		if l.cfg.DisklessLoad == "swapdb" {
			acts = append(acts, logf('*', "MASTER <-> REPLICA sync: Discarding temporary DB in background"))
		}
		if l.lost {
			l.lost = false
			l.State = Connect
			return l.connectAfterFailure(now, acts)
		}
		return l.retryNow(now, acts)
	}
	if !ok {
		acts := []Action{logf('#', "Failed trying to load the MASTER synchronization DB from disk: %s", err)}
		if l.lost {
			l.lost = false
			l.State = Connect
			return l.connectAfterFailure(now, acts)
		}
		return l.retryNow(now, acts)
	}
	l.masterID, l.reploff, l.prePSYNC = l.fullID, l.fullOff, l.fullOff == -1
	l.up(now)
	var acts []Action
	if parsing && l.cfg.DisklessLoad == "swapdb" {
		acts = append(acts,
			logf('*', "MASTER <-> REPLICA sync: Swapping active DB with loaded DB"),
			logf('*', "MASTER <-> REPLICA sync: Discarding old DB in background"))
	}
	acts = append(acts, logf('*', "MASTER <-> REPLICA sync: Finished with success"))
	if l.eof {
		acts = append(acts, ActSend{Data: l.Ack()})
	}
	if l.lost {
		l.lost = false
		return l.masterLost(now, acts)
	}
	if len(pending) > 0 {
		acts = append(acts, ActStream{Data: pending})
	}
	return acts
}
