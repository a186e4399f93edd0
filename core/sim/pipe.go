package sim

import (
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/node"
)

type pipeKind uint8

const (
	pipeNodes    pipeKind = iota // node to node
	pipeClient                   // a Client to a node
	pipeExternal                 // a node to something outside the world
)

// pipe is one connection: two ends and, per direction, a FIFO of chunks in
// flight. Each direction has at most one pump event scheduled, at its head
// chunk's due time, so bytes arrive in order whatever the delays.
type pipe struct {
	id     uint64
	kind   pipeKind
	dialer int // the node that dialed (pipeNodes)
	ends   [2]*end
	dirs   [2]direction // dirs[i]: from ends[i] to ends[1-i]
	dead   bool         // reset: nothing more is delivered
}

type direction struct {
	chunks  []chunk
	lastDue time.Time
	wire    time.Time // a rate-limited link is busy sending until then
	pumpTok uint64
	pumping bool
}

// chunk is bytes, a FIN or an RST in flight.
type chunk struct {
	data    []byte
	sent    time.Time
	due     time.Time
	fin     bool
	rst     bool
	written int   // on a write's last chunk: the write's size, for node.Written
	call    *Call // a client's command (client chunks are whole commands)
}

// end is one side of a pipe: a node's connection, a Client or an External.
type end struct {
	p      *pipe
	side   int
	host   *host
	inc    int
	conn   node.ConnID
	client *Client
	ext    *External
	closed bool // this side closed: it sends nothing more
}

func (w *World) newPipe(kind pipeKind) *pipe {
	w.nextPipe++
	p := &pipe{id: w.nextPipe, kind: kind}
	if kind != pipeClient {
		w.compactPipes()
		w.pipes = append(w.pipes, p)
	}
	return p
}

// compactPipes forgets dead pipes once they are a good part of the list.
func (w *World) compactPipes() {
	if len(w.pipes) < 64 {
		return
	}
	live := w.pipes[:0]
	for _, p := range w.pipes {
		if !p.dead && !(p.ends[0].closed && p.ends[1].closed && len(p.dirs[0].chunks) == 0 && len(p.dirs[1].chunks) == 0) {
			live = append(live, p)
		}
	}
	clear(w.pipes[len(live):])
	w.pipes = live
}

func (p *pipe) bindNode(side int, h *host, conn node.ConnID) *end {
	e := &end{p: p, side: side, host: h, inc: h.inc, conn: conn}
	p.ends[side] = e
	h.ends[conn] = e
	return e
}

// port of an end's node, 0 for clients and externals.
func (e *end) port() int {
	if e.host != nil {
		return e.host.port
	}
	return 0
}

// cut reports whether the pipe crosses a partition.
func (w *World) cut(p *pipe) bool {
	return p.kind == pipeNodes && w.cuts[mkpair(p.ends[0].host.port, p.ends[1].host.port)]
}

// pipeRate is the byte rate of a node-to-node pipe's link, 0: unlimited.
func (w *World) pipeRate(p *pipe) int {
	if p.kind != pipeNodes {
		return 0
	}
	return w.rate[mkpair(p.ends[0].host.port, p.ends[1].host.port)]
}

func (w *World) pipeLat(p *pipe) time.Duration {
	switch p.kind {
	case pipeNodes:
		return w.lat(p.ends[0].host.port, p.ends[1].host.port)
	case pipeClient:
		return ClientLatency
	}
	return DefaultLatency
}

// send queues data from e to its peer, chunked when faults say so.
func (w *World) send(e *end, data []byte, own bool) { w.sendCall(e, data, own, nil) }

// sendCall is send for a client's command.
func (w *World) sendCall(e *end, data []byte, own bool, call *Call) {
	p := e.p
	if p.dead || e.closed || len(data) == 0 {
		return
	}
	if !own {
		data = append([]byte(nil), data...)
	}
	d := &p.dirs[e.side]
	data0 := data
	base := w.now.Add(w.pipeLat(p))
	faulty := p.kind == pipeNodes
	rate := w.pipeRate(p)
	wire := w.now
	if d.wire.After(wire) {
		wire = d.wire
	}
	total := len(data)
	for len(data) > 0 {
		n := len(data)
		if faulty && w.faults.MaxChunk > 0 {
			n = min(n, 1+w.rng.IntN(w.faults.MaxChunk))
		}
		due := base
		if rate > 0 {
			// Parts of a twentieth of a second each, so the peer reads a
			// big write as it arrives.
			n = min(n, max(1, rate/20))
			wire = wire.Add(time.Duration(int64(n) * int64(time.Second) / int64(rate)))
			due = wire.Add(w.pipeLat(p))
		}
		if faulty && w.faults.Jitter > 0 {
			due = due.Add(time.Duration(w.rng.Int64N(int64(w.faults.Jitter) + 1)))
		}
		if faulty && w.faults.StallRate > 0 && w.faults.Stall > 0 && w.rng.Float64() < w.faults.StallRate {
			due = due.Add(time.Duration(w.rng.Int64N(int64(w.faults.Stall))))
		}
		if due.Before(d.lastDue) {
			due = d.lastDue
		}
		d.lastDue = due
		d.chunks = append(d.chunks, chunk{data: data[:n:n], sent: w.now, due: due})
		data = data[n:]
	}
	if rate > 0 {
		d.wire = wire
	}
	last := &d.chunks[len(d.chunks)-1]
	last.call = call
	if p.kind == pipeNodes && len(w.onSend) > 0 {
		w.notify(w.onSend, p, e.side, data0, w.now, last.due)
	}
	if e.host != nil {
		// Written reports the whole write once its last byte is delivered.
		last.written = total
	}
	w.pump(p, e.side)
}

// closeEnd closes e's side: its peer gets Closed after the bytes in flight.
func (w *World) closeEnd(e *end) {
	p := e.p
	if p.dead || e.closed {
		return
	}
	e.closed = true
	d := &p.dirs[e.side]
	due := w.now.Add(w.pipeLat(p))
	if due.Before(d.lastDue) {
		due = d.lastDue
	}
	d.lastDue = due
	d.chunks = append(d.chunks, chunk{due: due, fin: true})
	w.pump(p, e.side)
}

// reset kills the pipe from side's end (a crash, or a reset fault): what
// is in flight is lost and the other end gets "Connection reset by peer".
func (w *World) reset(p *pipe, side int) {
	if p.dead {
		return
	}
	e := p.ends[side]
	e.closed = true
	other := p.ends[1-side]
	w.dropAll(p)
	if other.closed && other.host != nil {
		p.dead = true
		return
	}
	d := &p.dirs[side]
	d.chunks = append(d.chunks, chunk{due: w.now.Add(w.pipeLat(p)), rst: true})
	d.lastDue = d.chunks[0].due
	w.pump(p, side)
}

// pump schedules the delivery of direction side's head chunk.
func (w *World) pump(p *pipe, side int) {
	d := &p.dirs[side]
	if d.pumping || len(d.chunks) == 0 || p.dead {
		return
	}
	if w.cut(p) {
		return // Heal pumps again
	}
	d.pumping = true
	d.pumpTok++
	tok := d.pumpTok
	to := p.ends[1-side]
	w.at(d.chunks[0].due, to.host, func() {
		if d.pumpTok != tok || p.dead {
			return
		}
		d.pumping = false
		if w.cut(p) {
			return
		}
		c := d.chunks[0]
		d.chunks[0] = chunk{}
		d.chunks = d.chunks[1:]
		w.deliver(p, side, c)
		w.pump(p, side)
	})
}

// deliver hands chunk c, sent from side, to the other end.
func (w *World) deliver(p *pipe, side int, c chunk) {
	from, to := p.ends[side], p.ends[1-side]
	if len(c.data) > 0 && p.kind == pipeNodes && w.faults.ResetRate > 0 && w.rng.Float64() < w.faults.ResetRate {
		w.tracef(from.port(), "fault: reset of the connection to %d", to.port())
		w.resetBoth(p)
		return
	}
	switch {
	case c.rst:
		p.dead = true
		w.closedAt(to, "Connection reset by peer")
		return
	case c.fin:
		if to.closed {
			p.dead = true // both sides closed
		}
		w.closedAt(to, "")
		return
	}
	// Bytes reaching a node that crashed (its peer does not know yet) or a
	// connection it closed are lost, as the kernel drops them.
	lost := to.host != nil && (to.closed || to.host.inc != to.inc)
	if p.kind == pipeNodes && lost && len(c.data) > 0 {
		w.notify(w.onLost, p, side, c.data, c.sent, w.now)
	}
	if p.kind == pipeNodes && !lost {
		if w.hooks != nil {
			w.hooks.delivered(p, side, c.data)
		}
		for _, f := range w.onDeliver {
			f(Delivery{From: from.port(), To: to.port(), Dialer: p.dialer, Conn: p.id, Data: c.data, Sent: c.sent, At: w.now})
		}
	}
	switch {
	case lost:
	case to.host != nil:
		if c.call != nil {
			w.tracef(to.port(), "recv conn %d: %s", to.conn, strings.Join(c.call.Args, " "))
		} else {
			w.tracef(to.port(), "recv conn %d (%d bytes from %s)", to.conn, len(c.data), from.name())
		}
		if c.call != nil && w.hooks != nil {
			w.hooks.beforeCall(c.call, to.host)
		}
		w.step(to.host, node.Received{Conn: to.conn, Data: c.data})
		if c.call != nil && w.hooks != nil {
			w.hooks.afterCall(c.call, to.host)
		}
		if p.kind == pipeNodes && w.hooks != nil {
			w.hooks.afterDelivered(p, side, to.host)
		}
	case to.client != nil:
		to.client.received(c.data)
	case to.ext != nil:
		to.ext.received(c.data)
	}
	if c.written > 0 && from.host != nil && !from.closed && from.host.inc == from.inc {
		w.step(from.host, node.Written{Conn: from.conn, N: c.written})
	}
}

// resetBoth resets p as a network fault: both nodes see the reset.
func (w *World) resetBoth(p *pipe) {
	w.dropAll(p)
	p.dead = true
	for _, e := range p.ends {
		if !e.closed {
			e.closed = true
			w.closedAt(e, "Connection reset by peer")
		}
	}
}

// closedAt tells end e that its connection closed.
func (w *World) closedAt(e *end, reason string) {
	switch {
	case e.host != nil:
		if e.host.inc != e.inc || e.host.ends[e.conn] != e {
			return
		}
		delete(e.host.ends, e.conn)
		e.closed = true
		w.tracef(e.port(), "closed conn %d %s", e.conn, reason)
		w.step(e.host, node.Closed{Conn: e.conn, Reason: reason})
	case e.client != nil:
		e.closed = true
		e.client.hungUp(reason)
	case e.ext != nil:
		e.closed = true
		e.ext.hungUp()
	}
}

func (e *end) name() string {
	switch {
	case e.host != nil:
		return "node " + itoa(e.host.port)
	case e.client != nil:
		return "client"
	}
	return "external"
}

// dropAll drops the bytes in flight on p, reported as lost, and stops its
// pumps: a reset's or a close's end of the traffic.
func (w *World) dropAll(p *pipe) {
	if p.kind == pipeNodes && len(w.onLost) > 0 {
		for side := range p.dirs {
			for _, c := range p.dirs[side].chunks {
				if len(c.data) > 0 {
					w.notify(w.onLost, p, side, c.data, c.sent, w.now)
				}
			}
		}
	}
	for i := range p.dirs {
		p.dirs[i].chunks = nil
		p.dirs[i].pumpTok++ // a pump already scheduled finds itself stale
		p.dirs[i].pumping = false
	}
}
