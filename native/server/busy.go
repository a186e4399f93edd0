package server

import (
	"time"

	"github.com/syncscope/syncscope/core/node"
)

// busy is the Server as the node's node.Busy: while a script runs past
// busy-reply-threshold, or waits in the Lua debugger, the node calls it
// from inside Step, on the loop goroutine, to write its replies and learn
// what arrived. What the loop would step meanwhile (reads, accepted and
// closed connections, writes done) is collected and handed back instead.
type busy Server

var _ node.Busy = (*busy)(nil)

func (b *busy) Now() time.Time { return time.Now() }

func (b *busy) Poll(rd node.Ready, wait bool) []node.Event {
	s := (*Server)(b)
	if s.gone {
		return nil
	}
	s.polling = true
	defer func() { s.polling = false }()
	s.applyNow = time.Time{}
	if rd.Exit {
		s.closeListeners() // before the closes the exit's clients see (see exit)
	}
	if rd.Apply((*effects)(s)) {
		return nil // SHUTDOWN NOSAVE: the server is gone
	}
	for {
		now := time.Now()
		if s.p != nil {
			s.pollIO(now, false)
		} else {
			s.takeEvents(now)
		}
		if len(s.eofs) > 0 {
			s.closeEOFs()
		}
		if len(s.polled) > 0 || !wait {
			break
		}
		if s.p != nil {
			s.pollIO(now, true)
		} else {
			s.handle(time.Now(), <-s.events)
		}
	}
	evs := s.polled
	s.polled = nil
	return evs
}
