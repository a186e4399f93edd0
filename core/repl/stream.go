package repl

import (
	"strconv"

	"github.com/syncscope/syncscope/core/resp"
)

// Stream encodes write commands into the replication stream, as
// replicationFeedSlaves does: each command as a RESP multibulk, preceded by a
// SELECT when its db differs from the last one the stream selected.
type Stream struct {
	DB int // last db SELECTed in the stream; -1 = none yet (forces a SELECT)
}

// NewStream returns a stream that will SELECT before its first command.
func NewStream() Stream { return Stream{DB: -1} }

// Feed appends to dst the encoding of argv run against db, preceded by
// "SELECT db" when db differs from s.DB, and returns the extended slice. A
// command that touches no db (the master's PING) passes s.DB, or -1, and gets
// no SELECT.
func (s *Stream) Feed(dst []byte, db int, argv ...[]byte) []byte {
	if db >= 0 && db != s.DB {
		var num [20]byte
		d := strconv.AppendInt(num[:0], int64(db), 10)
		dst = append(dst, "*2\r\n$6\r\nSELECT\r\n$"...)
		dst = strconv.AppendInt(dst, int64(len(d)), 10)
		dst = append(dst, "\r\n"...)
		dst = append(dst, d...)
		dst = append(dst, "\r\n"...)
		s.DB = db
	}
	return resp.AppendCommand(dst, argv...)
}
