package sim

import (
	"fmt"
	"strconv"

	"github.com/syncscope/syncscope/core/node"
)

// External is a connection between a sim node and something outside the
// world, e.g. a native node behind a websocket. The world calls OnData
// with the bytes the sim node writes and OnClose when it closes; Deliver
// and Close, called by the owner, act on the sim node as the world
// advances (the bytes go through the scheduler like any other).
type External struct {
	OnData  func([]byte)
	OnClose func()
	w       *World
	end     *end
	pend    [][]byte // Deliver before the connection was bound
	closed  bool
}

// NewExternal returns an unbound External for a Dialer to hand back.
func NewExternal() *External { return &External{} }

func (x *External) bind(w *World, p *pipe) {
	x.w = w
	x.end = &end{p: p, side: 1, ext: x}
	p.ends[1] = x.end
	for _, b := range x.pend {
		w.send(x.end, b, false)
	}
	x.pend = nil
	if x.closed {
		w.closeEnd(x.end)
	}
}

// Deliver sends p to the sim node.
func (x *External) Deliver(p []byte) {
	if x.end == nil {
		x.pend = append(x.pend, append([]byte(nil), p...))
		return
	}
	x.w.send(x.end, p, false)
}

// Close closes the connection from the outside.
func (x *External) Close() {
	if x.end == nil {
		x.closed = true
		return
	}
	x.w.closeEnd(x.end)
}

func (x *External) received(p []byte) {
	if x.OnData != nil {
		x.OnData(p)
	}
}

func (x *External) hungUp() {
	if x.OnClose != nil {
		x.OnClose()
	}
}

// Accept opens a connection from the outside (peer is its "ip:port") into
// node port, as a client or a replica would connect.
func (w *World) Accept(port int, peer string) (*External, error) {
	h := w.host(port)
	if h == nil || h.node == nil {
		return nil, fmt.Errorf("sim: node %d is not running", port)
	}
	p := w.newPipe(pipeExternal)
	x := &External{}
	x.bind(w, p)
	conn := h.nextConn
	h.nextConn++
	p.bindNode(0, h, conn)
	w.step(h, node.Accepted{Conn: conn, Peer: peer, Local: "127.0.0.1:" + strconv.Itoa(port)})
	return x, nil
}
