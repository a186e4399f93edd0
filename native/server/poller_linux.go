//go:build linux

package server

import (
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/syncscope/syncscope/core/node"
)

// poller is the Linux connection engine, Redis's ae_epoll: every socket is
// in one level-triggered epoll set that the loop goroutine waits on and
// serves itself. A socket is read only when epoll says it is readable (a
// net.Conn read that finds the socket drained costs a failed read per
// request) and no goroutine or channel hand-off stands between a socket
// and the node. The epoll descriptor is itself registered with the Go
// runtime's poller, so an idle loop parks its goroutine rather than
// blocking a thread in epoll_wait.
type poller struct {
	epfd     int
	file     *os.File // epfd as the runtime's poller knows it
	raw      syscall.RawConn
	deadline time.Time // the read deadline set on file

	// A pipe other goroutines write to while the loop is parked, to wake it
	// for what they post on the events channel.
	wakeR, wakeW int
	asleep       atomic.Bool

	evs  []syscall.EpollEvent
	byFD []*pconn
	rbuf []byte // one read buffer: the node copies what it is given
	iov  []syscall.Iovec
}

// newPoller returns nil when epoll cannot be used here; the server then
// falls back to a goroutine pair per connection.
func newPoller() *poller {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil
	}
	if err := syscall.SetNonblock(epfd, true); err != nil {
		syscall.Close(epfd)
		return nil
	}
	p := &poller{epfd: epfd, evs: make([]syscall.EpollEvent, 512), rbuf: make([]byte, readSize)}
	p.file = os.NewFile(uintptr(epfd), "epoll")
	// A deadline can be set only on a file the runtime polls: the test
	// that parking on p.file works.
	if p.file.SetReadDeadline(time.Time{}) != nil {
		p.file.Close()
		return nil
	}
	if p.raw, err = p.file.SyscallConn(); err != nil {
		p.file.Close()
		return nil
	}
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_NONBLOCK|syscall.O_CLOEXEC); err != nil {
		p.file.Close()
		return nil
	}
	p.wakeR, p.wakeW = fds[0], fds[1]
	if err := p.ctl(syscall.EPOLL_CTL_ADD, p.wakeR, syscall.EPOLLIN); err != nil {
		p.close()
		return nil
	}
	return p
}

func (p *poller) close() {
	p.file.Close()
	syscall.Close(p.wakeR)
	syscall.Close(p.wakeW)
}

func (p *poller) ctl(op, fd int, events uint32) error {
	ev := syscall.EpollEvent{Events: events, Fd: int32(fd)}
	return syscall.EpollCtl(p.epfd, op, fd, &ev)
}

// wake makes a parked loop return from wait. Called after posting an event.
func (p *poller) wake() {
	if p.asleep.Load() {
		var b [1]byte
		syscall.Write(p.wakeW, b[:]) // a full pipe already wakes it
	}
}

// drainWake empties the wake pipe.
func (p *poller) drainWake() {
	var b [64]byte
	for {
		if n, _ := syscall.Read(p.wakeR, b[:]); n < len(b) {
			return
		}
	}
}

// poll returns the number of ready events in p.evs, without waiting.
func (p *poller) poll() int {
	r, _, errno := syscall.RawSyscall6(syscall.SYS_EPOLL_PWAIT, uintptr(p.epfd),
		uintptr(unsafe.Pointer(unsafe.SliceData(p.evs))), uintptr(len(p.evs)), 0, 0, 0)
	if errno != 0 {
		return 0
	}
	return int(r)
}

// The loop's socket calls never wait (every socket is non-blocking, and
// poll passes a zero timeout), so they are made as raw system calls: a
// syscall.Syscall tells the scheduler the thread may block, and when a
// loopback write takes a few tens of microseconds the runtime's monitor
// hands the loop's P to another thread, which costs more than the write.

func rawRead(fd int, b []byte) (int, syscall.Errno) {
	r, _, errno := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	return int(r), errno
}

func rawWrite(fd int, b []byte) (int, syscall.Errno) {
	r, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)))
	return int(r), errno
}

func rawWritev(fd int, iov []syscall.Iovec) (int, syscall.Errno) {
	r, _, errno := syscall.RawSyscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(iov))), uintptr(len(iov)))
	return int(r), errno
}

// spinPolls is how many more times wait polls before it parks, some tens
// of microseconds: a request that arrives meanwhile is served without a
// thread to wake, and the wake-up (done by the sender, in its write) costs
// about as much as serving the request. Go's scheduler spins before it
// parks a thread for the same reason. Measured with redis-benchmark, 50
// clients: about 5% more requests per second at pipeline 1, 7% at 16.
const spinPolls = 30

// wait parks until events are ready or until deadline (zero: none) and
// returns how many are in p.evs. asleep must be set, and the events channel
// found empty after setting it, before the call.
func (p *poller) wait(deadline time.Time) int {
	for range spinPolls {
		if n := p.poll(); n > 0 {
			return n
		}
	}
	if !deadline.Equal(p.deadline) {
		p.file.SetReadDeadline(deadline)
		p.deadline = deadline
	}
	n := 0
	p.raw.Read(func(fd uintptr) bool {
		n = p.poll()
		return n > 0
	})
	return n // 0 at the deadline
}

// adopt takes the socket of nc out of the Go runtime's poller into the
// epoll set: its descriptor is duplicated and nc closed, so that only the
// loop reads and writes it.
func (p *poller) adopt(id node.ConnID, nc net.Conn) (link, error) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return nil, errors.New("not a socket")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil, err
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(s uintptr) {
		fd, dupErr = syscall.Dup(int(s))
	}); err != nil {
		return nil, err
	}
	if dupErr != nil {
		return nil, os.NewSyscallError("dup", dupErr)
	}
	nc.Close()
	syscall.CloseOnExec(fd)
	c := &pconn{id: id, fd: fd, p: p, reading: true}
	if err := p.ctl(syscall.EPOLL_CTL_ADD, fd, syscall.EPOLLIN|syscall.EPOLLRDHUP); err != nil {
		syscall.Close(fd)
		return nil, os.NewSyscallError("epoll_ctl", err)
	}
	for fd >= len(p.byFD) {
		p.byFD = append(p.byFD, nil)
	}
	p.byFD[fd] = c
	return c, nil
}

// lingering returns the connections the node has closed whose last
// replies are still queued.
func (p *poller) lingering() []link {
	var ls []link
	for _, c := range p.byFD {
		if c != nil && c.closing && !c.closed {
			ls = append(ls, c)
		}
	}
	return ls
}

func (p *poller) conn(fd int32) *pconn {
	if fd < 0 || int(fd) >= len(p.byFD) {
		return nil
	}
	return p.byFD[fd]
}

// maxIovecs bounds the buffers one writev takes (IOV_MAX is 1024).
const maxIovecs = 64

// pconn is a connection served by the poller, touched only by the loop.
type pconn struct {
	id      node.ConnID
	fd      int
	p       *poller
	queue   [][]byte // replies the socket did not take yet, in order
	reading bool     // the node still wants its input
	closing bool     // close once queue is written
	closed  bool
	err     error // the write error that closed it
}

// send writes data after everything queued before it and returns how many
// bytes the socket took at once; the rest waits for EPOLLOUT.
func (c *pconn) send(data []byte) int {
	if c.closed || c.closing {
		return 0
	}
	n := 0
	if len(c.queue) == 0 {
		var err syscall.Errno
		n, err = rawWrite(c.fd, data)
		if err != 0 {
			n = 0
		}
		if err != 0 && err != syscall.EAGAIN && err != syscall.EINTR {
			// Reported when epoll says the socket failed or was hung up,
			// as a reader would meet it.
			c.err = err
		}
		if n == len(data) {
			return n
		}
	}
	c.queue = append(c.queue, data[n:])
	if len(c.queue) == 1 {
		c.watch()
	}
	return n
}

// watch sets what epoll reports for the socket from its state.
func (c *pconn) watch() {
	var ev uint32
	if c.reading {
		ev |= syscall.EPOLLIN | syscall.EPOLLRDHUP
	}
	if len(c.queue) > 0 {
		ev |= syscall.EPOLLOUT
	}
	c.p.ctl(syscall.EPOLL_CTL_MOD, c.fd, ev)
}

// flush writes what is queued, as much as the socket takes, and returns
// the bytes written.
func (c *pconn) flush() int {
	total := 0
	for len(c.queue) > 0 && !c.closed {
		iov := c.p.iov[:0]
		for _, b := range c.queue[:min(len(c.queue), maxIovecs)] {
			iov = append(iov, syscall.Iovec{Base: unsafe.SliceData(b)})
			iov[len(iov)-1].SetLen(len(b))
		}
		n, errno := rawWritev(c.fd, iov)
		clear(iov) // holds no buffer past the call
		c.p.iov = iov
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			if errno != syscall.EAGAIN {
				c.err = errno
				c.shut()
			}
			break
		}
		total += n
		for n > 0 {
			if n >= len(c.queue[0]) {
				n -= len(c.queue[0])
				c.queue[0] = nil
				c.queue = c.queue[1:]
			} else {
				c.queue[0] = c.queue[0][n:]
				n = 0
			}
		}
	}
	if len(c.queue) == 0 {
		c.queue = nil
		if c.closing {
			c.shut()
		} else if !c.closed {
			c.watch()
		}
	}
	return total
}

// closeAfterFlush stops reading and closes once the queue is written.
func (c *pconn) closeAfterFlush() {
	c.reading = false
	c.closing = true
	if len(c.queue) == 0 {
		c.shut()
	} else {
		c.watch()
	}
}

// abort closes the socket now, dropping queued writes.
func (c *pconn) abort() { c.shut() }

// flushed writes what it can and reports whether the socket is closed; the
// exiting loop polls it.
func (c *pconn) flushed() bool {
	if !c.closed {
		c.flush()
	}
	return c.closed
}

func (c *pconn) shut() {
	if c.closed {
		return
	}
	c.closed = true
	c.reading = false
	c.queue = nil
	if c.p.byFD[c.fd] == c {
		c.p.byFD[c.fd] = nil
	}
	syscall.Close(c.fd) // also leaves the epoll set
}

// read reads once from a readable socket into the poller's buffer. eof is
// set when the peer closed it or it failed (err says how, nil for EOF).
func (c *pconn) read() (data []byte, eof bool, err error) {
	for {
		n, errno := rawRead(c.fd, c.p.rbuf)
		switch {
		case errno == syscall.EINTR:
			continue
		case errno == syscall.EAGAIN:
			return nil, false, nil
		case errno != 0:
			return nil, true, errno
		case n > 0:
			return c.p.rbuf[:n], false, nil
		default:
			return nil, true, nil
		}
	}
}

// serveIO handles the ready events in s.p.evs[:n].
func (s *Server) serveIO(now time.Time, n int) {
	p := s.p
	for i := range n {
		ev := &p.evs[i]
		if int(ev.Fd) == p.wakeR {
			p.drainWake()
			continue
		}
		c := p.conn(ev.Fd)
		if c == nil {
			continue
		}
		if ev.Events&(syscall.EPOLLOUT|syscall.EPOLLERR|syscall.EPOLLHUP) != 0 && len(c.queue) > 0 {
			if w := c.flush(); w > 0 && s.conns[c.id] == link(c) {
				s.step(now, node.Written{Conn: c.id, N: w})
			}
		}
		if c.closed {
			s.lost(now, c, c.err)
			continue
		}
		if !c.reading || ev.Events&(syscall.EPOLLIN|syscall.EPOLLRDHUP|syscall.EPOLLHUP|syscall.EPOLLERR) == 0 {
			continue
		}
		data, eof, err := c.read()
		if eof {
			if err == nil {
				err = c.err
			}
			c.shut()
			s.lost(now, c, err)
			continue
		}
		if len(data) > 0 && s.conns[c.id] == link(c) {
			s.step(now, node.Received{Conn: c.id, Data: data})
		}
	}
}

// lost tells the node a connection it still has is gone.
func (s *Server) lost(now time.Time, c *pconn, err error) {
	if s.conns[c.id] != link(c) {
		return
	}
	delete(s.conns, c.id)
	s.step(now, node.Closed{Conn: c.id, Reason: ErrText(err)})
}

// pollLoop is loop for the poller: each turn takes what other goroutines
// posted, serves the sockets epoll reports ready, steps the node's timers
// and applies the effects (replies go out in that same turn). It parks only
// when a turn found nothing to do.
func (s *Server) pollLoop() {
	p := s.p
	for done := s.apply(s.n.Ready()); !done; {
		now := time.Now()
		busy := s.takePosted(now)
		n := p.poll()
		if n == 0 && !busy {
			p.asleep.Store(true)
			// Anything posted before asleep was set is taken here; anything
			// after it writes the wake pipe.
			if busy = s.takePosted(now); !busy {
				n = p.wait(s.wakeAt)
			}
			p.asleep.Store(false)
			now = time.Now()
		}
		s.serveIO(now, n)
		if !s.wakeAt.IsZero() && !now.Before(s.wakeAt) {
			s.step(now, node.Wake{})
		}
		done = s.apply(s.n.Ready())
	}
}

// takePosted steps the events and signals waiting in their channels, at
// most maxBatch, and reports whether there were any.
func (s *Server) takePosted(now time.Time) bool {
	for i := range maxBatch {
		select {
		case ev := <-s.events:
			s.handle(now, ev)
		case sig := <-s.signals:
			s.signal(now, sig)
		default:
			return i > 0
		}
	}
	return true
}

// pollIO steps what was posted and serves the sockets that are ready;
// with wait, when there was neither, it parks until there is (the node is busy in a script and waits for
// its debugging client).
func (s *Server) pollIO(now time.Time, wait bool) {
	p := s.p
	posted := s.takePosted(now)
	n := p.poll()
	if n == 0 && wait && !posted {
		p.asleep.Store(true)
		if !s.takePosted(now) {
			n = p.wait(time.Time{})
		}
		p.asleep.Store(false)
		now = time.Now()
	}
	s.serveIO(now, n)
}
