package sim

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// checker watches a world's traffic and checks replication's invariants as
// it runs; Quiescent checks the rest once faults heal and writes stop. It
// looks at the nodes only through what a Redis user sees: INFO, replies,
// and the bytes on the links.
//
// While running:
//   - PSYNC: +CONTINUE exactly when the master's backlog holds the asked
//     offset of its replid (or of its replid2 up to second_repl_offset);
//     -NOMASTERLINK from a replica whose own link is down; else FULLRESYNC.
//   - one history per replid: every byte a node streams under a replid at
//     an offset equals what any other node streamed there (a chained
//     replica forwards exactly its master's bytes).
//   - INFO's backlog fields add up: first byte + histlen - 1 = offset.
//   - REPLICAOF NO ONE keeps the old replid as replid2, valid up to the old
//     offset + 1, under a new replid.
//   - a read-only replica refuses every write; a writable replica's own
//     writes never appear in its replication stream.
//   - WAIT never reports more replicas than acknowledged its offset.
type checker struct {
	w        *World
	err      error
	sessions map[*pipe]*session // lookup only; sessionList keeps the order
	list     []*session
	books    map[string]*book
	// localOnly are keys a writable replica accepted as a replica.
	localOnly map[string]bool
	// firstPsync is the PSYNC a replica restarted from its dump must send
	// first, by port (boundary.go).
	firstPsync map[int]string
	// noPsync are the nodes whose PSYNC is renamed away: they answer it
	// with an error, and their replicas fall back to SYNC.
	noPsync map[int]bool
	// syncSeen counts the PSYNC answers seen per node incarnation: full,
	// partial, refused partial.
	syncSeen map[[2]int][3]int64
	stats    Stats
}

func newChecker(w *World) *checker {
	k := &checker{w: w, sessions: map[*pipe]*session{}, books: map[string]*book{}, localOnly: map[string]bool{}, firstPsync: map[int]string{}, noPsync: map[int]bool{}, syncSeen: map[[2]int][3]int64{}}
	w.hooks = k
	return k
}

func (k *checker) failf(format string, args ...any) {
	if k.err == nil {
		k.err = fmt.Errorf("at %s: %s", k.w.now.Format("15:04:05.000000"), fmt.Sprintf(format, args...))
		k.w.tracef(0, "INVARIANT VIOLATED: %v", k.err)
	}
}

// session follows one replication link: the replica's requests and the
// master's replies and stream.
type session struct {
	p       *pipe
	replica int // ports
	master  *host
	inc     int // the master's incarnation

	req     resp.Parser
	reqBuf  []byte
	before  int // commands the replica sent before PSYNC
	psync   bool
	psyncID string
	psyncAt int64
	expect  string // "continue", "full", "nomasterlink"
	viaID2  bool   // the rule continues it under the master's replid2
	synced  bool   // the master answered +CONTINUE or +FULLRESYNC
	// contBefore is the replica's state as a +CONTINUE reaches it, until
	// it has read it (afterDelivered).
	contBefore *node.ReplicationInfo
	resend     int64 // a +CONTINUE resends the backlog up to here (exclusive)
	maxAck     int64

	out     []byte // everything the master sent, for the replay
	pos     int    // parsed up to here
	replies int
	state   int // sessHandshake...
	full    bool
	replid  string
	next    int64 // offset of the next stream byte
	eofMark []byte
	left    int // payload bytes still to come ($<len> form)
	rdb     []byte
	tooBig  bool
}

const (
	sessHandshake = iota
	sessHeader
	sessPayload
	sessStream
	sessDone
)

// maxReplay bounds the transcript kept per session for the replay check.
const maxReplay = 16 << 20

func (k *checker) session(p *pipe) *session {
	s := k.sessions[p]
	if s == nil {
		s = &session{p: p, replica: p.ends[0].host.port, master: p.ends[1].host, inc: p.ends[1].inc, maxAck: -1}
		k.sessions[p] = s
		k.list = append(k.list, s)
	}
	return s
}

// delivered sees data from side about to reach the other end.
func (k *checker) delivered(p *pipe, side int, data []byte) {
	s := k.session(p)
	if side == 0 {
		k.requests(s, data)
	} else {
		k.masterSent(s, data)
	}
}

// requests parses what the replica sends: PSYNC and REPLCONF ACK.
func (k *checker) requests(s *session, data []byte) {
	s.reqBuf = append(s.reqBuf, data...)
	pos := 0
	for pos < len(s.reqBuf) {
		args, n, err := s.req.Next(s.reqBuf[pos:])
		if err != nil {
			k.failf("replica %d sent a malformed request: %v", s.replica, err)
			s.reqBuf = nil
			return
		}
		if n == 0 {
			break
		}
		pos += n
		if len(args) == 0 {
			continue
		}
		name := strings.ToLower(string(args[0]))
		switch {
		case name == "psync" && len(args) == 3 && !s.psync:
			s.psync = true
			s.psyncID = string(args[1])
			s.psyncAt, _ = strconv.ParseInt(string(args[2]), 10, 64)
			s.expect = k.expectPsync(s)
			if want, ok := k.firstPsync[s.replica]; ok {
				delete(k.firstPsync, s.replica)
				if got := fmt.Sprintf("PSYNC %s %d", s.psyncID, s.psyncAt); got != want {
					k.failf("replica %d restarted from its dump sent %s, want %s (the replid and offset+1 it had when it saved)", s.replica, got, want)
				}
			}
		case name == "replconf" && len(args) >= 3 && strings.EqualFold(string(args[1]), "ack"):
			if off, err := strconv.ParseInt(string(args[2]), 10, 64); err == nil && off > s.maxAck {
				s.maxAck = off
			}
		case !s.psync:
			s.before++
		case s.synced && name != "replconf":
			// A replica that got +CONTINUE or +FULLRESYNC only
			// acknowledges from then on (a SYNC here means it did not
			// take the reply for what it was).
			k.failf("replica %d sent %s to %d after its PSYNC was answered", s.replica, strings.ToUpper(name), s.master.port)
		}
	}
	s.reqBuf = append(s.reqBuf[:0], s.reqBuf[pos:]...)
}

// expectPsync applies Redis's rule to the master's state as INFO shows it
// right before it reads the PSYNC.
func (k *checker) expectPsync(s *session) string {
	h := s.master
	if h.node == nil || h.inc != s.inc {
		return ""
	}
	in := h.node.Replication()
	k.checkBacklogInfo(h.port, in)
	if k.noPsync[h.port] {
		return "error"
	}
	want := psyncRule(in, s.psyncID, s.psyncAt)
	k.countEdges(in, s.psyncID, s.psyncAt, true)
	s.viaID2 = want == "continue" && s.psyncID != in.ReplID
	s.resend = in.Offset + 1
	return want
}

// afterDelivered runs once the node at the end of side's bytes has read
// them: a replica that read +CONTINUE keeps its replid and replid2 when the
// master's replid is the one it had, else takes the master's with its old
// one as replid2, valid up to its offset+1 (replicationResurrectCachedMaster
// after slaveTryPartialResynchronization).
func (k *checker) afterDelivered(p *pipe, side int, h *host) {
	s := k.sessions[p]
	if side != 1 || s == nil || s.contBefore == nil {
		return
	}
	before := *s.contBefore
	s.contBefore = nil
	if h.node == nil {
		return
	}
	in := h.node.Replication()
	if linkStatus(in) != "up" {
		return
	}
	want := before
	changed := !strings.EqualFold(s.replid, before.ReplID)
	if changed {
		want.ReplID, want.ReplID2, want.Offset2 = s.replid, before.ReplID, before.Offset+1
	}
	// A new replid drops our own replicas (disconnectSlaves): they
	// reconnect and continue under our replid2. The same one keeps them.
	switch {
	case changed && len(in.Replicas) > 0:
		k.failf("replica %d continued under the new replid %s but kept %d replicas of its own", s.replica, s.replid, len(in.Replicas))
	case !changed && len(in.Replicas) != len(before.Replicas):
		k.failf("replica %d continued under its replid %s, and its replicas went from %d to %d", s.replica, s.replid, len(before.Replicas), len(in.Replicas))
	}
	if in.ReplID != want.ReplID || in.ReplID2 != want.ReplID2 || in.Offset2 != want.Offset2 {
		k.failf("replica %d continued from %d (+CONTINUE %s): replid %s replid2 %s second_repl_offset %d, want %s %s %d (before: %s %s %d, offset %d)",
			s.replica, s.master.port, s.replid, in.ReplID, in.ReplID2, in.Offset2, want.ReplID, want.ReplID2, want.Offset2,
			before.ReplID, before.ReplID2, before.Offset2, before.Offset)
	}
}

// syncStats counts a PSYNC answer of node h (incarnation inc) and checks
// INFO stats' sync counters against all the answers seen: a partial resync
// counts in sync_partial_ok; a full one in sync_full, and in
// sync_partial_err too unless the replica asked for one ("PSYNC ? -1").
// INFO may count more (an answer lost with its connection), never less.
func (k *checker) syncStats(h *host, inc int, id, got string) {
	if h.node == nil || h.inc != inc || got != "full" && got != "continue" {
		return
	}
	key := [2]int{h.port, inc}
	c := k.syncSeen[key]
	if got == "continue" {
		c[1]++
	} else {
		c[0]++
		if id != "?" {
			c[2]++
		}
	}
	k.syncSeen[key] = c
	st := h.node.SyncStats()
	if st.Full < c[0] || st.PartialOK < c[1] || st.PartialErr < c[2] {
		k.failf("node %d counts sync_full %d, sync_partial_ok %d, sync_partial_err %d, but answered at least %d full, %d partial, %d refused partial resyncs",
			h.port, st.Full, st.PartialOK, st.PartialErr, c[0], c[1], c[2])
	}
}

// psyncRule is masterTryPartialResynchronization's decision on "PSYNC id
// off" (with syncCommand's -NOMASTERLINK), computed from the master's INFO
// as it reads the PSYNC: "continue", "full" or "nomasterlink".
func psyncRule(in node.ReplicationInfo, id string, off int64) string {
	if in.Role == "slave" && linkStatus(in) != "up" {
		return "nomasterlink"
	}
	idOK := strings.EqualFold(id, in.ReplID) || strings.EqualFold(id, in.ReplID2) && off <= in.Offset2
	if idOK && covered(in, off) {
		return "continue"
	}
	return "full"
}

// covered: the backlog holds offset off (or off is the next byte).
func covered(in node.ReplicationInfo, off int64) bool {
	return in.Backlog.Active && off >= in.Backlog.First && off <= in.Offset+1
}

// countEdges counts the boundaries a PSYNC asked at (replica: a real
// replica's, else a probe's).
func (k *checker) countEdges(in node.ReplicationInfo, id string, off int64, replica bool) {
	if in.Role == "slave" && linkStatus(in) != "up" || !in.Backlog.Active {
		return
	}
	e := &k.stats.Edges
	isID, isID2 := strings.EqualFold(id, in.ReplID), strings.EqualFold(id, in.ReplID2) && in.Offset2 > 0
	// Full: the backlog holds at least its size, so its first byte is one
	// it trimmed to, not the one it started from.
	first, full := in.Backlog.First, in.Backlog.HistLen >= in.Backlog.Size
	if replica && (isID || isID2 && off <= in.Offset2) && full {
		switch off - first {
		case 1:
			e[edgeLagMinus]++
		case 0:
			e[edgeLagExact]++
		case -1:
			e[edgeLagPlus]++
		}
	}
	if isID && off == in.Offset+1 {
		e[edgeEndNext]++
	}
	if isID && off == in.Offset+2 {
		e[edgeEndPast]++
	}
	if isID2 {
		switch off - in.Offset2 {
		case -1:
			e[edgeID2Before]++
		case 0:
			e[edgeID2At]++
		case 1:
			if covered(in, off) {
				e[edgeID2After]++
			}
		}
	}
	if replica && (isID || isID2) && off > in.Offset+1 {
		e[edgeAhead]++
	}
}

// checkResent compares the backlog bytes p that master port resent from
// offset off, in its state in, with the book: below second_repl_offset
// they are the history of replid2 (or of the replid, which shares it),
// from there on the replid's.
func (k *checker) checkResent(port int, in node.ReplicationInfo, off int64, p []byte) {
	for i, c := range p {
		o := off + int64(i)
		ids := []string{in.ReplID}
		if o < in.Offset2 {
			ids = append(ids, in.ReplID2)
		}
		for _, id := range ids {
			b := k.books[id]
			if b == nil {
				continue
			}
			if want, ok := b.at(o); ok {
				if want != c {
					k.failf("node %d resent %q at offset %d of a partial resync from %d, where the stream had %q", port, excerpt(p, i), o, off, excerpt(b.data, int(o-b.base)))
					return
				}
				k.stats.ResentBytes++
				break
			}
		}
	}
}

// checkBacklogInfo checks that INFO's backlog fields add up. The backlog
// may hold more than its size (whole blocks, and what replicas still send).
func (k *checker) checkBacklogInfo(port int, in node.ReplicationInfo) {
	if !in.Backlog.Active {
		return
	}
	first, hist, size := in.Backlog.First, in.Backlog.HistLen, in.Backlog.Size
	if first+hist-1 != in.Offset || hist < 0 || in.Backlog.NextBlock <= in.Offset {
		k.failf("node %d: backlog fields do not add up: first byte %d + histlen %d - 1 != master_repl_offset %d (size %d)", port, first, hist, in.Offset, size)
	}
}

// masterSent parses the master's side of a link: handshake replies, the
// PSYNC reply, the RDB payload, then the stream, which goes in the book.
func (k *checker) masterSent(s *session, data []byte) {
	if !s.tooBig {
		s.out = append(s.out, data...)
		if len(s.out) > maxReplay {
			s.tooBig = true
		}
	}
	buf := data
	if !s.tooBig {
		buf = s.out[s.pos:]
	} else if s.state != sessStream {
		return // too big to follow: not checked
	}
	used := 0
	for used < len(buf) && s.state != sessDone {
		rest := buf[used:]
		switch s.state {
		case sessHandshake, sessHeader:
			if rest[0] == '\n' { // a master's keepalive while the replica waits
				used++
				continue
			}
			i := bytes.Index(rest, []byte("\r\n"))
			if i < 0 {
				// A partial line: what was read before it stays read.
				if !s.tooBig {
					s.pos += used
				}
				return
			}
			line := string(rest[:i])
			used += i + 2
			if s.state == sessHeader {
				k.payloadHeader(s, line)
				continue
			}
			s.replies++
			if s.replies <= s.before || !s.psync {
				continue
			}
			k.psyncReply(s, line)
		case sessPayload:
			if s.left >= 0 {
				n := min(s.left, len(rest))
				s.rdb = append(s.rdb, rest[:n]...)
				s.left -= n
				used += n
				if s.left == 0 {
					s.state = sessStream
				}
				continue
			}
			s.rdb = append(s.rdb, rest...)
			used += len(rest)
			if len(s.rdb) >= len(s.eofMark) && bytes.HasSuffix(s.rdb, s.eofMark) {
				s.rdb = s.rdb[:len(s.rdb)-len(s.eofMark)]
				s.state = sessStream
			}
		case sessStream:
			k.stream(s, rest)
			used += len(rest)
		}
	}
	if !s.tooBig {
		s.pos += used
	}
}

// payloadHeader reads the line before the RDB: "$<len>" or "$EOF:<mark>".
func (k *checker) payloadHeader(s *session, line string) {
	if mark, ok := strings.CutPrefix(line, "$EOF:"); ok {
		s.eofMark = []byte(mark)
		s.left = -1
	} else if n, err := strconv.Atoi(strings.TrimPrefix(line, "$")); err == nil && n >= 0 {
		s.left = n
	} else {
		k.failf("master %d sent a bad payload header %q to %d", s.master.port, line, s.replica)
		s.state = sessDone
		return
	}
	s.state = sessPayload
}

func (k *checker) psyncReply(s *session, line string) {
	got := "error"
	defer func() { s.synced = got == "full" || got == "continue" }()
	switch {
	case strings.HasPrefix(line, "+FULLRESYNC "):
		f := strings.Fields(line)
		if len(f) != 3 {
			k.failf("master %d: bad %q", s.master.port, line)
			s.state = sessDone
			return
		}
		got = "full"
		s.full = true
		s.replid = f[1]
		off, _ := strconv.ParseInt(f[2], 10, 64)
		s.next = off + 1
		s.state = sessHeader
		s.resend = 0
		k.stats.PsyncFull++
	case strings.HasPrefix(line, "+CONTINUE"):
		got = "continue"
		s.replid = strings.TrimSpace(strings.TrimPrefix(line, "+CONTINUE"))
		if s.replid == "" {
			s.replid = s.psyncID
		}
		s.next = s.psyncAt
		s.state = sessStream
		k.stats.PsyncContinue++
		if h := k.w.host(s.replica); h != nil && h.node != nil {
			in := h.node.Replication()
			s.contBefore = &in
		}
		if s.viaID2 {
			k.stats.Edges[edgeID2Continue]++
		}
	case strings.HasPrefix(line, "-NOMASTERLINK"):
		got = "nomasterlink"
		s.state = sessDone
		k.stats.NoLnk++
	default:
		s.state = sessDone
	}
	k.syncStats(s.master, s.inc, s.psyncID, got)
	switch {
	case s.expect == "":
	case s.expect == "continue" && got != "continue",
		s.expect != "continue" && got == "continue",
		s.expect == "nomasterlink" && got != "nomasterlink",
		s.expect == "full" && got != "full",
		s.expect == "error" && got != "error":
		k.failf("PSYNC %s %d from %d to %d: Redis's rule says %s, the master replied %q", s.psyncID, s.psyncAt, s.replica, s.master.port, s.expect, line)
	}
}

// stream records bytes streamed under s.replid at s.next.
func (k *checker) stream(s *session, p []byte) {
	k.stats.StreamBytes += int64(len(p))
	b := k.books[s.replid]
	if b == nil {
		b = &book{base: s.next}
		k.books[s.replid] = b
	}
	if s.next < s.resend {
		k.stats.ResentBytes += int64(b.knownIn(s.next, p[:min(int64(len(p)), s.resend-s.next)]))
	}
	if at, old, ok := b.record(s.next, p); !ok {
		k.failf("two histories under replid %s: at offset %d node %d streamed %q to %d, where %q was streamed before",
			s.replid, at, s.master.port, excerpt(p, int(at-s.next)), s.replica, old)
	}
	s.next += int64(len(p))
	k.scanLocal(s, p)
}

// scanLocal looks for a writable replica's own keys in a stream.
func (k *checker) scanLocal(s *session, p []byte) {
	for i := 0; ; {
		j := bytes.Index(p[i:], []byte("local:"))
		if j < 0 {
			return
		}
		start := i + j
		end := start
		for end < len(p) && p[end] != '\r' {
			end++
		}
		if key := string(p[start:end]); k.localOnly[key] {
			k.failf("node %d streamed key %s to %d: a writable replica's writes must not leave it", s.master.port, key, s.replica)
		}
		i = end
	}
}

func excerpt(p []byte, at int) string {
	lo, hi := max(at-8, 0), min(at+24, len(p))
	return string(p[lo:hi])
}

// book is what was streamed under one replid, by offset.
type book struct {
	base  int64
	data  []byte
	known []bool
}

// at is the byte recorded at offset off, if any.
func (b *book) at(off int64) (byte, bool) {
	i := off - b.base
	if i < 0 || i >= int64(len(b.data)) || !b.known[i] {
		return 0, false
	}
	return b.data[i], true
}

// knownIn counts the bytes of p at offset off already recorded (record
// then compares them).
func (b *book) knownIn(off int64, p []byte) int {
	n := 0
	for i := range p {
		if _, ok := b.at(off + int64(i)); ok {
			n++
		}
	}
	return n
}

// record writes p at offset off and reports the first offset where it
// disagrees with what was there, with an excerpt of that.
func (b *book) record(off int64, p []byte) (int64, string, bool) {
	if off < b.base {
		grow := int(b.base - off)
		b.data = append(make([]byte, grow, grow+len(b.data)), b.data...)
		b.known = append(make([]bool, grow, grow+len(b.known)), b.known...)
		b.base = off
	}
	i := int(off - b.base)
	if need := i + len(p); need > len(b.data) {
		b.data = append(b.data, make([]byte, need-len(b.data))...)
		b.known = append(b.known, make([]bool, need-len(b.known))...)
	}
	bad, old := int64(-1), ""
	for j, c := range p {
		if b.known[i+j] && b.data[i+j] != c && bad < 0 {
			bad, old = off+int64(j), excerpt(b.data, i+j)
		}
	}
	copy(b.data[i:], p)
	for j := range p {
		b.known[i+j] = true
	}
	return bad, old, bad < 0
}

// callTag is the workload's note on a call: what to check, and what the
// node's state was when it read the command.
type callTag struct {
	write    bool   // the command writes
	localKey string // a write of a writable replica's own key
	wait     bool
	promote  bool
	blocking bool // a blocking command: its reply may come much later
	probe    bool // a PSYNC sent by the script (boundary.go)
	psyncID  string
	psyncAt  int64

	seen       bool // the node read it
	host       *host
	inc        int
	wasReplica bool
	readOnly   bool
	before     node.ReplicationInfo
	woff       int64 // WAIT: the offset it waits for
}

// beforeCall runs right before node h reads call.
func (k *checker) beforeCall(call *Call, h *host) {
	k.stats.Commands++
	t := call.tag
	if t == nil || h.node == nil {
		return
	}
	t.seen, t.host, t.inc = true, h, h.inc
	if t.wait && call.client != nil {
		t.woff = call.client.woff
	}
	if t.write || t.wait || t.promote || t.probe {
		t.before = h.node.Replication()
		k.checkBacklogInfo(h.port, t.before)
		t.wasReplica = t.before.Role == "slave"
		t.readOnly = h.node.Config().ReplicaReadOnly
	}
}

// afterCall runs right after node h read call.
func (k *checker) afterCall(call *Call, h *host) {
	t := call.tag
	waiter := call.client != nil && call.client.waiter
	if t == nil || !t.seen || h.node == nil || h.inc != t.inc || !(t.promote || t.write && waiter) {
		return
	}
	in := h.node.Replication()
	if t.write && in.Offset != t.before.Offset {
		// Redis's c->woff: the offset right after the client's last
		// command that propagated, which its WAIT waits for.
		call.client.woff = in.Offset
	}
	if !t.promote || !t.wasReplica {
		return
	}
	k.stats.Promotions++
	switch {
	case in.Role != "master":
		k.failf("node %d: still %s after REPLICAOF NO ONE", h.port, in.Role)
	case in.ReplID2 != t.before.ReplID || in.Offset2 != t.before.Offset+1 || in.ReplID == t.before.ReplID:
		k.failf("node %d promoted: replid %s replid2 %s second_repl_offset %d; before it was replid %s at offset %d (want replid2 = the old replid, valid up to offset+1 = %d, under a new replid)",
			h.port, in.ReplID, in.ReplID2, in.Offset2, t.before.ReplID, t.before.Offset, t.before.Offset+1)
	}
}

// replying sees node h write reply bytes to client c, before they leave:
// a blocking write answered by a node that is by now a read-only replica
// must be an error or a timeout, never a pop that the replica did alone.
func (k *checker) replying(h *host, c *Client, data []byte) {
	if len(c.calls) == 0 || c.calls[0].tag == nil || !c.calls[0].tag.blocking || len(data) == 0 {
		return
	}
	switch {
	case data[0] == '-', bytes.HasPrefix(data, []byte("*-1")), bytes.HasPrefix(data, []byte("$-1")), data[0] == '_':
		return
	}
	if in := h.node.Replication(); in.Role == "slave" && h.node.Config().ReplicaReadOnly {
		k.failf("read-only replica %d served %v: %q", h.port, c.calls[0].Args, excerpt(data, 0))
	}
}

// replied checks a call's reply.
func (k *checker) replied(call *Call) {
	t := call.tag
	if t == nil || !t.seen || call.reply == nil {
		return
	}
	isErr := len(call.reply) > 0 && call.reply[0] == '-'
	if t.probe {
		k.probeReplied(call)
		return
	}
	if t.write {
		k.stats.Writes++
		if isErr {
			k.stats.Refused++
		}
	}
	switch {
	case t.write && t.wasReplica && t.readOnly && !isErr:
		k.failf("read-only replica %d accepted %v: %q", call.Port, call.Args, call.reply)
	case t.write && t.wasReplica && !isErr && t.localKey != "":
		k.localOnly[t.localKey] = true
	case t.write && t.wasReplica && !isErr:
		k.failf("workload: wrote %v to writable replica %d", call.Args, call.Port)
	case t.wait && !isErr && call.reply[0] == ':' && t.woff > 0: // offset 0: nothing to acknowledge
		k.stats.Waits++
		n, _ := strconv.Atoi(strings.TrimSpace(string(call.reply[1:])))
		acked := 0
		for _, s := range k.list {
			if s.master == t.host && s.inc == t.inc && s.maxAck >= t.woff {
				acked++
			}
		}
		if n > acked {
			k.failf("WAIT on %d reported %d replicas, but only %d acknowledged the client's offset %d", call.Port, n, acked, t.woff)
		}
	}
}

// probeReplied checks the master's decision on a probe's PSYNC against
// Redis's rule applied to its state as it read the PSYNC.
func (k *checker) probeReplied(call *Call) {
	t := call.tag
	want := psyncRule(t.before, t.psyncID, t.psyncAt)
	k.countEdges(t.before, t.psyncID, t.psyncAt, false)
	got := "full"
	switch r := string(call.reply); {
	case strings.HasPrefix(r, "+CONTINUE"):
		got = "continue"
		if id := strings.TrimSpace(strings.TrimPrefix(r, "+CONTINUE")); id != t.before.ReplID {
			k.failf("PSYNC %s %d to %d: +CONTINUE %s, but its replid is %s", t.psyncID, t.psyncAt, call.Port, id, t.before.ReplID)
		}
	case strings.HasPrefix(r, "-NOMASTERLINK"):
		got = "nomasterlink"
	case strings.HasPrefix(r, "+FULLRESYNC "):
	default:
		k.failf("PSYNC %s %d to %d: unexpected reply %q", t.psyncID, t.psyncAt, call.Port, r)
		return
	}
	if t.host != nil {
		k.syncStats(t.host, t.inc, t.psyncID, got)
	}
	if got != want {
		k.failf("PSYNC %s %d to %d: Redis's rule says %s (replid %s, replid2 %s up to %d, backlog %d..%d), the master replied %q",
			t.psyncID, t.psyncAt, call.Port, want, t.before.ReplID, t.before.ReplID2, t.before.Offset2,
			t.before.Backlog.First, t.before.Offset, strings.TrimSpace(string(call.reply)))
	}
}
