package playground

import (
	"errors"

	"github.com/syncscope/syncscope/core/rdb"
	"github.com/syncscope/syncscope/core/resp"
)

// RDBParts is the snapshot a node received in its last full sync, split by
// core/rdb into its parts for the page's byte-by-byte view. Names and
// string values are quoted as redis-cli quotes them ("a\xc3\xa9"), so
// binary bytes survive the trip to JavaScript.
type RDBParts struct {
	Size  int        `json:"size"`
	Spans []rdb.Span `json:"spans"`
	// Err says why reading stopped before the end, at byte At ("" when the
	// whole file was read).
	Err string `json:"error,omitempty"`
	At  int    `json:"at,omitempty"`
}

// RDBParts annotates the last snapshot node port received (nil when none).
func (p *Page) RDBParts(port int) *RDBParts {
	data := p.RDB(port)
	if data == nil {
		return nil
	}
	return annotateRDB(data)
}

func annotateRDB(data []byte) *RDBParts {
	spans, err := rdb.Annotate(data)
	for i := range spans {
		s := &spans[i]
		if s.Kind == rdb.SpanAux || s.Kind == rdb.SpanKey {
			s.Name = resp.QuoteCLI([]byte(s.Name))
		}
		if s.Kind == rdb.SpanAux || (s.Kind == rdb.SpanValue && s.Type == "string") {
			s.Value = resp.QuoteCLI([]byte(s.Value))
		}
	}
	out := &RDBParts{Size: len(data), Spans: spans}
	if out.Spans == nil {
		out.Spans = []rdb.Span{}
	}
	if err != nil {
		out.Err = err.Error()
		var rerr *rdb.Error
		if errors.As(err, &rerr) {
			out.At = rerr.Offset
		}
	}
	return out
}
