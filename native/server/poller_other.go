//go:build !linux

package server

import (
	"errors"
	"net"
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// poller is the epoll engine, Linux only: elsewhere every connection gets
// a reader and a writer goroutine (conn).
type poller struct{}

func newPoller() *poller    { return nil }
func (*poller) wake()       {}
func (*poller) close()      {}
func (s *Server) pollLoop() {}

func (*poller) adopt(node.ConnID, net.Conn) (link, error) {
	return nil, errors.New("no poller on this system")
}

func (*poller) lingering() []link { return nil }

func (s *Server) pollIO(time.Time, bool) {}
