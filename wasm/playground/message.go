package playground

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/resp"
)

// Message kinds, as the page colours them.
const (
	KindCommand = "cmd" // a command of the replication stream or a client's
	KindRDB     = "rdb" // the snapshot of a full sync
	KindControl = "ctl" // PING, REPLCONF, PSYNC and the replies of the handshake
)

// Message is one write from a node to another: sent at Sent, due at Due
// (the link's latency and rate), delivered (its last byte) or lost at At.
// It is labelled as the node wrote it: one part per RESP message, e.g.
// "SET name redis". Done counts the bytes delivered so far, which draws a
// big transfer's progress.
type Message struct {
	ID       int64    `json:"id"`
	From     int      `json:"from"`
	To       int      `json:"to"`
	Sent     float64  `json:"sent"` // virtual milliseconds since the world started
	Due      float64  `json:"due"`
	At       float64  `json:"at"`    // delivered or lost; 0 while in flight
	State    string   `json:"state"` // "flight", "done" or "lost"
	Bytes    int      `json:"bytes"`
	Done     int      `json:"done"`
	Kind     string   `json:"kind"`
	Parts    []string `json:"parts"`
	Raw      string   `json:"raw"` // the first bytes, escaped
	SentStep int64    `json:"sent_step"`
	AtStep   int64    `json:"at_step"`
	raw      []byte
}

// Message states.
const (
	InFlight  = "flight"
	Delivered = "done"
	Lost      = "lost"
)

// maxRaw bounds the bytes of a message kept to show.
const maxRaw = 160

// rawText escapes the first bytes of a write for people: printable ASCII
// as is, \r \n and \xNN otherwise (the note of what was cut, as is).
func rawText(p []byte) string {
	var sb strings.Builder
	for i, c := range p {
		if i >= maxRaw {
			sb.Write(p[i:])
			break
		}
		switch {
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c >= ' ' && c <= '~':
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	return sb.String()
}

// maxPending bounds what a decoder holds while waiting for the rest of a
// message it cannot label yet.
const maxPending = 1 << 20

// maxRDB bounds the snapshot kept for the byte-by-byte view.
const maxRDB = 4 << 20

// decoder labels the bytes of one direction of one connection. The stream
// is cut into deliveries anywhere, so it keeps what it has not understood.
type decoder struct {
	parser  resp.Parser
	pending []byte
	// After +FULLRESYNC the next bulk is the RDB: rdbLeft bytes of it
	// remain (disk mode), or eofMark ends it (diskless).
	expectRDB bool
	inRDB     bool
	rdbLeft   int64
	eofMark   []byte
	rdb       []byte
	rdbTotal  int64
}

// feed labels p and reports a finished snapshot, if p ended one.
func (d *decoder) feed(p []byte) (kind string, parts []string, rdb []byte) {
	kinds := map[string]bool{}
	add := func(k, label string) {
		kinds[k] = true
		parts = append(parts, label)
	}
	buf := p
	if len(d.pending) > 0 {
		d.pending = append(d.pending, p...)
		buf = d.pending
	}
	pos := 0
	for pos < len(buf) {
		if d.inRDB {
			n, done := d.rdbBytes(buf[pos:])
			add(KindRDB, fmt.Sprintf("RDB %d bytes", n))
			pos += n
			if done {
				rdb = d.rdb
				add(KindRDB, fmt.Sprintf("RDB complete (%d bytes)", d.rdbTotal))
				d.rdb, d.inRDB = nil, false
			}
			continue
		}
		n, k, label := d.next(buf[pos:])
		if n == 0 {
			break
		}
		pos += n
		if label != "" {
			add(k, label)
		}
	}
	rest := buf[pos:]
	switch {
	case len(rest) > maxPending:
		add(KindCommand, fmt.Sprintf("%d bytes not understood", len(rest)))
		d.pending, d.parser = d.pending[:0], resp.Parser{}
	case len(d.pending) > 0:
		d.pending = append(d.pending[:0], rest...)
	default:
		d.pending = append(d.pending, rest...)
	}
	switch {
	case kinds[KindRDB]:
		kind = KindRDB
	case kinds[KindCommand]:
		kind = KindCommand
	case len(kinds) > 0:
		kind = KindControl
	default:
		kind = KindCommand
		if len(parts) == 0 && len(p) > 0 {
			parts = append(parts, fmt.Sprintf("%d bytes (partial)", len(p)))
		}
	}
	return kind, parts, rdb
}

// next reads one RESP message at the start of b: 0 when incomplete.
func (d *decoder) next(b []byte) (n int, kind, label string) {
	switch b[0] {
	case '*':
		args, used, err := d.parser.Next(b)
		if err != nil {
			return len(b), KindCommand, fmt.Sprintf("unparsable: %v", err)
		}
		if used == 0 {
			return 0, "", ""
		}
		return used, commandKind(args), labelOf(args)
	case '$':
		if d.expectRDB {
			return d.rdbHeader(b)
		}
	case '\n':
		// A bare newline: the keepalive a master sends while it prepares
		// the RDB, and a replica while it loads.
		return 1, KindControl, "\\n (keepalive)"
	}
	if b[0] != '+' && b[0] != '-' && b[0] != ':' && b[0] != '$' && b[0] != '_' && b[0] != ',' && b[0] != '#' && b[0] != '%' && b[0] != '~' && b[0] != '>' && b[0] != '=' && b[0] != '(' && b[0] != '!' && b[0] != '|' {
		// An inline command ("PING\r\n").
		args, used, err := d.parser.Next(b)
		if err != nil || used == 0 {
			return used, KindCommand, ""
		}
		return used, commandKind(args), labelOf(args)
	}
	v, used, err := resp.ReadValue(b)
	if err != nil {
		// Skip the line and carry on with what follows.
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return i + 1, KindCommand, "unparsable reply"
		}
		return len(b), KindCommand, "unparsable reply"
	}
	if used == 0 {
		return 0, "", "" // incomplete
	}
	if v.Kind == resp.SimpleString && bytes.HasPrefix(v.Str, []byte("FULLRESYNC")) {
		d.expectRDB = true
	}
	text := resp.FormatCLI(v)
	if v.Kind == resp.SimpleString || v.Kind == resp.Error {
		text = string(b[:used-2]) // +FULLRESYNC ..., -NOMASTERLINK ... as on the wire
	}
	return used, KindControl, shorten(text)
}

// rdbHeader reads "$<len>\r\n" or "$EOF:<40 bytes>\r\n" and enters the RDB.
func (d *decoder) rdbHeader(b []byte) (int, string, string) {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return 0, "", ""
	}
	head := string(b[1:i])
	d.expectRDB, d.inRDB, d.rdb, d.rdbTotal = false, true, nil, 0
	if mark, ok := strings.CutPrefix(head, "EOF:"); ok {
		d.eofMark, d.rdbLeft = []byte(mark), -1
		return i + 2, KindRDB, "$EOF:" + mark[:min(8, len(mark))] + "… (diskless RDB)"
	}
	n, err := strconv.ParseInt(head, 10, 64)
	if err != nil || n < 0 {
		d.inRDB = false
		return i + 2, KindControl, shorten("$" + head)
	}
	d.eofMark, d.rdbLeft = nil, n
	return i + 2, KindRDB, fmt.Sprintf("$%d (RDB from disk)", n)
}

// rdbBytes takes the snapshot's bytes at the start of b.
func (d *decoder) rdbBytes(b []byte) (n int, done bool) {
	if d.eofMark == nil {
		n = int(min(int64(len(b)), d.rdbLeft))
		d.rdbLeft -= int64(n)
		d.keep(b[:n])
		return n, d.rdbLeft == 0
	}
	// Diskless: the payload ends with the 40-byte mark, which may be split
	// across deliveries, so look in what we kept plus b.
	d.keep(b)
	n = len(b)
	if i := bytes.Index(d.rdb, d.eofMark); i >= 0 {
		extra := len(d.rdb) - (i + len(d.eofMark))
		d.rdb = d.rdb[:i]
		d.rdbTotal = int64(i)
		return n - extra, true
	}
	return n, false
}

func (d *decoder) keep(b []byte) {
	d.rdbTotal += int64(len(b))
	if len(d.rdb)+len(b) <= maxRDB {
		d.rdb = append(d.rdb, b...)
	}
}

// commandKind tells the stream's data apart from its housekeeping.
func commandKind(args [][]byte) string {
	if len(args) == 0 {
		return KindControl
	}
	switch strings.ToUpper(string(args[0])) {
	case "PING", "REPLCONF", "PSYNC", "SYNC", "AUTH":
		return KindControl
	}
	return KindCommand
}

// label renders a command as a user would type it.
func labelOf(args [][]byte) string {
	var sb strings.Builder
	for i, a := range args {
		if i > 0 {
			sb.WriteByte(' ')
		}
		if i == 0 {
			sb.WriteString(strings.ToUpper(string(a)))
			continue
		}
		if needsQuotes(a) {
			sb.WriteString(resp.QuoteCLI(a))
		} else {
			sb.Write(a)
		}
		if sb.Len() > 80 {
			break
		}
	}
	return shorten(sb.String())
}

func needsQuotes(a []byte) bool {
	if len(a) == 0 {
		return true
	}
	for _, c := range a {
		if c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\' {
			return true
		}
	}
	return false
}

func shorten(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
