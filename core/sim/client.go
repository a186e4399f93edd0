package sim

import (
	"strconv"
	"time"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/resp"
)

// Client is a client connection to a node: commands sent on it are
// pipelined and answered in order, as with redis-cli. Its bytes are never
// chunked.
type Client struct {
	w      *World
	port   int
	end    *end
	calls  []*Call // waiting for their reply, oldest first
	buf    []byte
	closed bool
	reason string
	woff   int64 // offset after its last write that propagated (Redis's c->woff)
	waiter bool  // it will WAIT: the checker follows its woff
}

// Call is one command sent by a Client.
type Call struct {
	Args   []string
	Port   int
	SentAt time.Time
	DoneAt time.Time
	reply  []byte
	err    string
	done   bool
	// tag is the workload's note about what to check on the reply.
	tag *callTag
	// onDone, when set, is called with the call once it is done.
	onDone func(*Call)
	client *Client
}

// Done reports whether the reply arrived (or the connection closed). A
// SHUTDOWN that goes through gets no reply: its call is done when the node
// exits; one refused or aborted (SHUTDOWN ABORT) gets its reply.
func (c *Call) Done() bool { return c.done }

// Reply is the raw RESP reply, nil while not done or when the connection
// closed first.
func (c *Call) Reply() []byte { return c.reply }

// Err is why there is no reply ("" when there is one): the connection was
// refused or closed.
func (c *Call) Err() string { return c.err }

// Text is the reply as redis-cli prints it, or the error.
func (c *Call) Text() string {
	if c.reply == nil {
		if c.err != "" {
			return "(error) " + c.err
		}
		return ""
	}
	v, _, err := resp.ReadValue(c.reply)
	if err != nil {
		return "(bad reply) " + strconv.Quote(string(c.reply))
	}
	return resp.FormatCLI(v)
}

// Client opens a client connection to node port; nil with an error when
// the node is not running.
func (w *World) Client(port int) (*Client, error) {
	h := w.host(port)
	if h == nil || h.node == nil {
		return nil, &refusedError{port}
	}
	return w.dial(h), nil
}

type refusedError struct{ port int }

func (e *refusedError) Error() string {
	return "Could not connect to Redis at 127.0.0.1:" + strconv.Itoa(e.port) + ": Connection refused"
}

func (w *World) dial(h *host) *Client {
	p := w.newPipe(pipeClient)
	c := &Client{w: w, port: h.port}
	c.end = &end{p: p, side: 0, client: c}
	p.ends[0] = c.end
	conn := h.nextConn
	h.nextConn++
	p.bindNode(1, h, conn)
	w.tracef(h.port, "accept %d (client)", conn)
	w.step(h, node.Accepted{Conn: conn, Peer: w.ephemeral(), Local: "127.0.0.1:" + strconv.Itoa(h.port)})
	return c
}

// Exec sends a command on node port's default client connection (opened
// on first use and again after the node restarts). The Call completes as
// the world advances.
func (w *World) Exec(port int, args ...string) *Call {
	h := w.host(port)
	if h == nil || h.node == nil {
		return &Call{Args: args, Port: port, SentAt: w.now, DoneAt: w.now, done: true, err: (&refusedError{port}).Error()}
	}
	if h.client == nil || h.client.closed {
		h.client = w.dial(h)
	}
	return h.client.Exec(args...)
}

// Exec sends a command; its reply arrives as the world advances.
func (c *Client) Exec(args ...string) *Call {
	return c.send(args, false)
}

// sendTagged is Exec with the checker's tag.
func (c *Client) sendTagged(args []string, tag *callTag) *Call {
	return c.sendCall(&Call{Args: args, Port: c.port, SentAt: c.w.now, tag: tag, client: c}, false)
}

// send queues a command; direct steps the node at once (Stop's SHUTDOWN).
func (c *Client) send(args []string, direct bool) *Call {
	return c.sendCall(&Call{Args: args, Port: c.port, SentAt: c.w.now, client: c}, direct)
}

func (c *Client) sendCall(call *Call, direct bool) *Call {
	args := call.Args
	if c.closed {
		call.done, call.DoneAt, call.err = true, c.w.now, "connection closed"
		return call
	}
	c.calls = append(c.calls, call)
	data := resp.AppendCommandStrings(nil, args...)
	if direct {
		peer := c.end.p.ends[1]
		if c.w.hooks != nil {
			c.w.hooks.beforeCall(call, peer.host)
		}
		c.w.step(peer.host, node.Received{Conn: peer.conn, Data: data})
		return call
	}
	c.w.sendCall(c.end, data, true, call)
	return call
}

// Pending is the number of calls waiting for their reply.
func (c *Client) Pending() int { return len(c.calls) }

// Close closes the connection.
func (c *Client) Close() {
	if !c.closed {
		c.w.closeEnd(c.end)
		c.hungUp("connection closed")
	}
}

func (c *Client) received(p []byte) {
	c.buf = append(c.buf, p...)
	for len(c.calls) > 0 && len(c.buf) > 0 {
		call := c.calls[0]
		_, n, err := resp.ReadValue(c.buf)
		if err != nil {
			c.finish(call, nil, "bad reply: "+err.Error())
			c.buf = nil
			break
		}
		if n == 0 {
			break
		}
		c.finish(call, append([]byte(nil), c.buf[:n]...), "")
		c.buf = c.buf[n:]
	}
	if len(c.buf) == 0 {
		c.buf = nil
	}
}

func (c *Client) finish(call *Call, reply []byte, err string) {
	c.calls = c.calls[1:]
	call.reply, call.err, call.done, call.DoneAt = reply, err, true, c.w.now
	c.w.tracef(c.port, "reply to %s: %.80q %s", call.Args[0], reply, err)
	if c.w.hooks != nil {
		c.w.hooks.replied(call)
	}
	if call.onDone != nil {
		call.onDone(call)
	}
}

func (c *Client) hungUp(reason string) {
	c.closed = true
	if reason == "" {
		reason = "connection closed"
	}
	c.reason = reason
	for len(c.calls) > 0 {
		c.finish(c.calls[0], nil, reason)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
