package server

import (
	"bytes"
	"context"
	"net"
	"os"
	"time"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/store"
)

type evKind uint8

const (
	evAccepted evKind = iota
	evReceived
	evClosed
	evDialed
	evWritten
	evSnapshot
	evLog
)

// event is what the connection, dial and snapshot goroutines tell the loop.
// One struct for all kinds keeps the channel free of allocations.
type event struct {
	kind evKind
	conn node.ConnID
	nc   net.Conn // evAccepted; evDialed when connected
	buf  *[]byte  // evReceived: pooled, returned after the step
	n    int      // evReceived: byte count
	err  string   // evClosed, evDialed: strerror text; evLog: the line
	// evAccepted: the two ends; evDialed: our end.
	peer, local string
	snap        node.SnapshotDone
	release     *store.Snapshot // evSnapshot: to release before the step
}

// maxBatch bounds how many events one loop turn steps before it applies
// effects, so replies are not held back behind a flood of input.
const maxBatch = 512

// exitFlushTimeout bounds how long an exiting server waits for queued
// writes to reach the network.
const exitFlushTimeout = time.Second

// post hands an event to the loop unless the server has exited.
func (s *Server) post(ev event) {
	select {
	case s.events <- ev:
		if s.p != nil {
			s.p.wake()
		}
	case <-s.stop:
		if ev.nc != nil {
			ev.nc.Close()
		}
	}
}

// link is a connection as the loop drives it: a conn (a reader and a writer
// goroutine) or, on Linux, a pconn served by the poller.
type link interface {
	// send writes data after everything sent before and returns how many
	// bytes went out at once; the rest is written later, in order.
	send(data []byte) int
	closeAfterFlush()
	abort()
	flushed() bool
}

// adopt makes a link of a new connection, or closes it and says why not.
func (s *Server) adopt(id node.ConnID, nc net.Conn) (link, error) {
	// Here, on the loop that owns the config (CONFIG SET tcp-keepalive
	// writes it), as Redis's createClient does for clients and the master
	// link alike.
	if tc, ok := nc.(*net.TCPConn); ok && s.cfg.TCPKeepalive > 0 {
		tc.SetKeepAlivePeriod(time.Duration(s.cfg.TCPKeepalive) * time.Second)
	}
	if s.p != nil {
		c, err := s.p.adopt(id, nc)
		if err != nil {
			nc.Close()
			return nil, err
		}
		return c, nil
	}
	c := newConn(id, nc)
	c.start(s.post)
	return c, nil
}

// loop owns the node: it steps events and applies the effects, as Redis's
// event loop does with file events and time events.
func (s *Server) loop() {
	defer close(s.exited)
	defer s.crashOnPanic(true)
	if s.p != nil {
		s.pollLoop()
		return
	}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	armed := time.Time{}
	for done := s.apply(s.n.Ready()); !done; {
		select {
		case ev := <-s.events:
			now := time.Now()
			s.handle(now, ev)
			s.takeEvents(now)
		case <-timer.C:
			armed = time.Time{}
		case sig := <-s.signals:
			s.signal(time.Now(), sig)
		}
		if !s.wakeAt.IsZero() {
			if now := time.Now(); !now.Before(s.wakeAt) {
				s.step(now, node.Wake{})
			}
		}
		done = s.apply(s.n.Ready())
		if !done && len(s.eofs) > 0 {
			s.closeEOFs()
			done = s.apply(s.n.Ready())
		}
		if !done && !s.wakeAt.Equal(armed) && !s.wakeAt.IsZero() {
			armed = s.wakeAt
			timer.Reset(time.Until(s.wakeAt))
		}
	}
}

// takeEvents steps what the connection goroutines posted, without
// waiting: after the event the loop waited for, and from a busy Step.
func (s *Server) takeEvents(now time.Time) {
	for range maxBatch {
		select {
		case ev := <-s.events:
			s.handle(now, ev)
		default:
			return
		}
	}
}

// handle steps one event, dropping those about connections the node has
// already closed (their goroutines may still be reporting).
func (s *Server) handle(now time.Time, ev event) {
	switch ev.kind {
	case evAccepted:
		c, err := s.adopt(ev.conn, ev.nc)
		if err != nil {
			s.logf('#', "Accepting client connection: %s", ErrText(err))
			return
		}
		s.conns[ev.conn] = c
		s.step(now, node.Accepted{Conn: ev.conn, Peer: ev.peer, Local: ev.local})
	case evReceived:
		if s.conns[ev.conn] != nil {
			s.step(now, node.Received{Conn: ev.conn, Data: (*ev.buf)[:ev.n]})
		}
		readBufs.Put(ev.buf)
	case evClosed:
		if ev.err == "" {
			// The end of input: replies to what came before it go out
			// first, as Redis writes them before it next reads.
			s.eofs = append(s.eofs, ev.conn)
			return
		}
		if c := s.conns[ev.conn]; c != nil {
			delete(s.conns, ev.conn)
			c.abort()
			s.step(now, node.Closed{Conn: ev.conn, Reason: ev.err})
		}
	case evWritten:
		if c, ok := s.conns[ev.conn].(*conn); ok {
			if n := c.takeWritten(); n > 0 {
				s.step(now, node.Written{Conn: ev.conn, N: n})
			}
		}
	case evDialed:
		if _, ok := s.dialing[ev.conn]; !ok {
			if ev.nc != nil {
				ev.nc.Close() // the node closed it while we dialed
			}
			return
		}
		delete(s.dialing, ev.conn)
		if ev.nc != nil {
			c, err := s.adopt(ev.conn, ev.nc)
			if err != nil {
				s.step(now, node.Dialed{Conn: ev.conn, Err: ErrText(err)})
				return
			}
			s.conns[ev.conn] = c
		}
		s.step(now, node.Dialed{Conn: ev.conn, Err: ev.err, Local: ev.local})
	case evSnapshot:
		s.snapshotDone(now, ev)
	case evLog:
		s.logf('-', "%s", ev.err)
	}
}

// closeEOFs closes the connections whose peers ended their input, once
// the replies to that input are sent.
func (s *Server) closeEOFs() {
	now := time.Now()
	for _, id := range s.eofs {
		if c := s.conns[id]; c != nil {
			delete(s.conns, id)
			c.closeAfterFlush()
			s.step(now, node.Closed{Conn: id})
		}
	}
	s.eofs = s.eofs[:0]
}

func (s *Server) step(now time.Time, ev node.Event) {
	if s.gone {
		return
	}
	if s.polling {
		// Handled after Poll returns: the read buffer is reused by then.
		if r, ok := ev.(node.Received); ok {
			r.Data = bytes.Clone(r.Data)
			ev = r
		}
		s.polled = append(s.polled, ev)
		return
	}
	if err := s.n.Step(now, ev); err != nil {
		// A driver bug; say so rather than take the server down.
		s.logf('#', "syncscope driver: %v", err)
	}
}

// apply carries out one Ready (node.Ready.Apply knows the order), then
// steps the config-file rewrites it finished, and reports whether the node
// has exited.
func (s *Server) apply(rd node.Ready) bool {
	if s.gone {
		return true // exited while the node was busy (SHUTDOWN NOSAVE)
	}
	for {
		s.applyNow = time.Time{}
		if rd.Exit {
			s.closeListeners() // before the closes the exit's clients see (see exit)
		}
		if rd.Apply((*effects)(s)) {
			return true
		}
		if len(s.filesDone) == 0 {
			return false
		}
		now := time.Now()
		for i, ev := range s.filesDone {
			s.step(now, ev)
			s.filesDone[i] = node.FileDone{}
		}
		s.filesDone = s.filesDone[:0]
		rd = s.n.Ready()
	}
}

// dial connects to d.Addr off the loop. Redis's connect has no timeout of
// its own (the node's repl-timeout cron gives up and closes), so the
// kernel's or repl-timeout, whichever is shorter, bounds it here.
func (s *Server) dial(d node.Dial) {
	ctx, cancel := context.WithCancel(context.Background())
	s.dialing[d.Conn] = cancel
	timeout := time.Duration(s.cfg.ReplTimeout) * time.Second
	go func() {
		defer cancel()
		dialer := net.Dialer{Timeout: timeout}
		nc, err := dialer.DialContext(ctx, "tcp", d.Addr)
		if err != nil {
			s.post(event{kind: evDialed, conn: d.Conn, err: ErrText(err)})
			return
		}
		s.post(event{kind: evDialed, conn: d.Conn, nc: nc, local: nc.LocalAddr().String()})
	}()
}

// exit closes the listeners, flushes what the node wrote last (bounded),
// then releases the process's resources: connections, pidfile, log.
func (s *Server) exit(code int) {
	s.code = code
	s.gone = true
	// No new connection from here on, as Redis closes its listening
	// sockets before it exits: a client that saw its connection close
	// must find the port refused, not accepted and then reset.
	s.closeListeners()
	deadline := time.Now().Add(exitFlushTimeout)
	pending := make([]link, 0, len(s.conns))
	for _, c := range s.conns {
		c.closeAfterFlush()
		pending = append(pending, c)
	}
	if s.p != nil {
		pending = append(pending, s.p.lingering()...)
	}
	for _, c := range pending {
		for !c.flushed() && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		c.abort()
	}
	for _, cancel := range s.dialing {
		cancel()
	}
	close(s.stop)
	if s.p != nil {
		s.p.close()
	}
	if s.pidf != "" {
		os.Remove(s.pidf)
	}
	s.log.close()
}
