package server

import (
	"net"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/syncscope/syncscope/core/node"
)

// readSize is how much one read asks for, Redis's PROTO_IOBUF_LEN.
const readSize = 16 * 1024

// readBufs recycles read buffers: a buffer goes to the loop with its
// Received event and comes back once the node has copied it.
var readBufs = sync.Pool{New: func() any { b := make([]byte, readSize); return &b }}

// conn is one TCP connection where the poller is not used (other systems
// than Linux, and tests of both engines): a reader goroutine feeds the loop; the loop
// writes replies itself while the socket takes them at once (one
// non-blocking write per connection per loop turn, as Redis writes in
// beforeSleep), and a writer goroutine drains whatever did not fit, in order,
// so the loop never blocks on the network.
type conn struct {
	id  node.ConnID
	nc  net.Conn
	raw syscall.RawConn // nil when nc has none: the writer writes everything

	mu      sync.Mutex
	wake    *sync.Cond
	queue   [][]byte
	busy    bool // the writer is writing a batch taken from queue
	closing bool // close once queue is flushed
	done    bool // writer gone: drop further writes

	// Bytes written and not yet reported: under load one Written event
	// reports many writes instead of waking the loop for each.
	written       atomic.Int64
	writtenPosted atomic.Bool
}

// takeWritten returns the bytes written since the last call; the loop calls
// it for each evWritten.
func (c *conn) takeWritten() int {
	c.writtenPosted.Store(false) // before the swap: a later write posts anew
	return int(c.written.Swap(0))
}

func newConn(id node.ConnID, nc net.Conn) *conn {
	c := &conn{id: id, nc: nc}
	if sc, ok := nc.(syscall.Conn); ok {
		c.raw, _ = sc.SyscallConn()
	}
	c.wake = sync.NewCond(&c.mu)
	return c
}

// start runs the connection's reader and writer, reporting through post.
func (c *conn) start(post func(event)) {
	go c.readLoop(post)
	go c.writeLoop(post)
}

func (c *conn) readLoop(post func(event)) {
	for {
		bp := readBufs.Get().(*[]byte)
		n, err := c.nc.Read(*bp)
		if n > 0 {
			post(event{kind: evReceived, conn: c.id, buf: bp, n: n})
		} else {
			readBufs.Put(bp)
		}
		if err != nil {
			post(event{kind: evClosed, conn: c.id, err: ErrText(err)})
			return
		}
	}
}

// send writes data after everything sent before it and returns how many
// bytes went out at once; the rest is queued for the writer.
func (c *conn) send(data []byte) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done || c.closing {
		return 0
	}
	n := 0
	if len(c.queue) == 0 && !c.busy && c.raw != nil {
		n = c.tryWrite(data)
		if n == len(data) {
			return n
		}
	}
	c.queue = append(c.queue, data[n:])
	c.wake.Signal()
	return n
}

// tryWrite makes one non-blocking write of data and returns the bytes
// written: 0 when the socket buffer is full or on an error, which the
// writer then meets and reports.
func (c *conn) tryWrite(data []byte) int {
	n := 0
	c.raw.Write(func(fd uintptr) bool {
		n, _ = syscall.Write(int(fd), data)
		return true // never wait for the socket here
	})
	return max(n, 0)
}

// closeAfterFlush closes the connection once the queued writes are out.
func (c *conn) closeAfterFlush() {
	c.mu.Lock()
	c.closing = true
	c.wake.Signal()
	c.mu.Unlock()
}

// abort closes the connection now, dropping queued writes: the peer is gone.
func (c *conn) abort() {
	c.mu.Lock()
	c.done = true
	c.queue = nil
	c.wake.Signal()
	c.mu.Unlock()
	c.nc.Close()
}

// flushed reports whether the writer has finished (after closeAfterFlush:
// everything queued has been written).
func (c *conn) flushed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

func (c *conn) writeLoop(post func(event)) {
	var batch net.Buffers // declared once: WriteTo takes its address
	var spare [][]byte
	for {
		c.mu.Lock()
		for len(c.queue) == 0 && !c.closing && !c.done {
			c.wake.Wait()
		}
		if c.done || len(c.queue) == 0 {
			// Closing with nothing left to write, or aborted.
			c.done = true
			c.mu.Unlock()
			c.nc.Close()
			return
		}
		// Take the whole queue: one writev for everything pending.
		taken := c.queue
		c.queue = spare[:0]
		c.busy = true
		c.mu.Unlock()

		total := 0
		for _, b := range taken {
			total += len(b)
		}
		batch = taken // WriteTo consumes batch, not taken's header
		_, err := batch.WriteTo(c.nc)
		clear(taken)
		spare = taken
		c.mu.Lock()
		c.busy = false
		c.mu.Unlock()
		if err != nil {
			c.mu.Lock()
			c.done = true
			c.queue = nil
			c.mu.Unlock()
			c.nc.Close()
			post(event{kind: evClosed, conn: c.id, err: ErrText(err)})
			return
		}
		c.written.Add(int64(total))
		if c.writtenPosted.CompareAndSwap(false, true) {
			post(event{kind: evWritten, conn: c.id})
		}
	}
}
