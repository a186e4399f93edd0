package sim

import (
	"strings"
	"testing"
	"time"

	"github.com/syncscope/syncscope/core/node/drivertest"
)

// simTarget runs the driver conformance script in a world.
type simTarget struct {
	w    *World
	next int
}

func (s *simTarget) Start(conf string) (int, error) {
	s.next++
	return s.next, s.w.Start(s.next, conf)
}

func (s *simTarget) UnusedPort() int { return 1 }

func (s *simTarget) Connect(port int) (drivertest.Conn, error) {
	x, err := s.w.Accept(port, "127.0.0.1:50000")
	if err != nil {
		return nil, err
	}
	c := &simConn{x: x}
	x.OnData = func(p []byte) { c.in = append(c.in, p...) }
	x.OnClose = func() { c.closed = true }
	return c, nil
}

// Until steps the world's events until cond holds, at most a simulated
// minute.
func (s *simTarget) Until(cond func() bool) bool {
	deadline := s.w.Now().Add(time.Minute)
	for !cond() {
		if !s.w.Now().Before(deadline) {
			return false
		}
		if !s.w.Step() {
			s.w.Advance(10 * time.Millisecond)
		}
	}
	return true
}

func (s *simTarget) Log(port int) string {
	var b strings.Builder
	for _, l := range s.w.Logs(port) {
		b.WriteString(l.Format(port))
		b.WriteByte('\n')
	}
	return b.String()
}

func (s *simTarget) Dump(port int) []byte       { return s.w.Dump(port) }
func (s *simTarget) ConfigFile(port int) string { return s.w.Config(port) }
func (s *simTarget) Running(port int) bool      { return s.w.Node(port) != nil }

type simConn struct {
	x      *External
	in     []byte
	closed bool
}

func (c *simConn) Send(p []byte)    { c.x.Deliver(p) }
func (c *simConn) Received() []byte { return c.in }
func (c *simConn) Closed() bool     { return c.closed }

func TestDriverConformance(t *testing.T) {
	drivertest.Run(t, &simTarget{w: New(1), next: 7000})
}
