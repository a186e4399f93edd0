package node

import (
	"fmt"
	"strings"
	"time"

	"github.com/syncscope/syncscope/core/command"
	"github.com/syncscope/syncscope/core/repl"
)

// failoverState is a coordinated FAILOVER of this master to one of its
// replicas (Redis's failover_state and its companions).
type failoverState struct {
	state  failoverStep
	target repl.HostPort // zero until chosen ("any replica")
	end    time.Time     // zero: no timeout
	force  bool
}

type failoverStep uint8

const (
	noFailover failoverStep = iota
	failoverWaitForSync
	failoverInProgress
)

func (s failoverStep) String() string {
	switch s {
	case failoverWaitForSync:
		return "waiting-for-sync"
	case failoverInProgress:
		return "failover-in-progress"
	}
	return "no-failover"
}

// cmdFailover is FAILOVER [TO host port [FORCE]] [TIMEOUT ms] | ABORT.
func cmdFailover(n *Node, c *client, args [][]byte) {
	if len(args) == 2 && lower(args[1]) == "abort" {
		if n.failover.state == noFailover {
			c.out.Error("ERR No failover in progress.")
			return
		}
		n.abortFailover("Failover manually aborted")
		c.out.SimpleString("OK")
		return
	}
	var timeout int64
	force, host, port := false, "", int64(0)
	for j := 1; j < len(args); j++ {
		opt := lower(args[j])
		switch {
		case opt == "timeout" && j+1 < len(args) && timeout == 0:
			v, ok := intArg(c, args[j+1])
			if !ok {
				return
			}
			if v <= 0 {
				c.out.Error("ERR FAILOVER timeout must be greater than 0")
				return
			}
			timeout = v
			j++
		case opt == "to" && j+2 < len(args) && host == "":
			v, ok := intArg(c, args[j+2])
			if !ok {
				return
			}
			host, port = string(args[j+1]), v
			j += 2
		case opt == "force" && !force:
			force = true
		default:
			c.out.Error(command.ErrSyntax)
			return
		}
	}
	switch {
	case n.failover.state != noFailover:
		c.out.Error("ERR FAILOVER already in progress.")
		return
	case n.isReplica():
		c.out.Error("ERR FAILOVER is not valid when server is a replica.")
		return
	case len(n.repl.replicas) == 0:
		c.out.Error("ERR FAILOVER requires connected replicas.")
		return
	case force && (timeout == 0 || host == ""):
		c.out.Error("ERR FAILOVER with force option requires both a timeout and target HOST and IP.")
		return
	}
	f := failoverState{state: failoverWaitForSync, force: force}
	if host != "" {
		r := n.findReplica(host, int(port))
		if r == nil {
			c.out.Error("ERR FAILOVER target HOST and PORT is not a replica.")
			return
		}
		if r.replica.State != repl.Online {
			c.out.Error("ERR FAILOVER target replica is not online.")
			return
		}
		f.target = repl.HostPort{Host: host, Port: int(port)}
		n.log('*', fmt.Sprintf("FAILOVER requested to %s:%d.", host, port))
	} else {
		n.log('*', "FAILOVER requested to any replica.")
	}
	if timeout > 0 {
		f.end = n.now.Truncate(time.Millisecond).Add(time.Duration(min(timeout, 1<<42)) * time.Millisecond)
	}
	n.failover = f
	n.pauseClients(pauseByFailover, time.Unix(1<<40, 0), pauseWrite)
	c.out.SimpleString("OK")
}

// findReplica finds an attached replica by the address it announced (or
// its peer's IP) and its listening port, the host compared case-blind.
func (n *Node) findReplica(host string, port int) *client {
	for _, c := range n.repl.replicas {
		r := c.replica
		ip := r.Addr
		if r.AnnouncedIP != "" {
			ip = r.AnnouncedIP
		}
		if strings.EqualFold(host, ip) && port == r.ListeningPort {
			return c
		}
	}
	return nil
}

// updateFailover is updateFailoverStatus: while waiting for a replica to
// catch up, it times out (failing over anyway with FORCE, else aborting)
// or, once the target (or any replica) acknowledged the whole stream, makes
// this node a replica of it with a PSYNC ... FAILOVER.
func (n *Node) updateFailover() {
	f := &n.failover
	if f.state != failoverWaitForSync {
		return
	}
	if !f.end.IsZero() && !n.now.Before(f.end) {
		if f.force {
			n.log('*', fmt.Sprintf("FAILOVER to %s:%d time out exceeded, failing over.", f.target.Host, f.target.Port))
			n.startFailover()
			return
		}
		n.abortFailover("Replica never caught up before timeout")
		return
	}
	var target *client
	if f.target.Host != "" {
		target = n.findReplica(f.target.Host, f.target.Port)
	} else {
		for _, c := range n.repl.replicas {
			if c.replica.AckOffset == n.repl.hist.Offset {
				ip := c.replica.Addr
				if c.replica.AnnouncedIP != "" {
					ip = c.replica.AnnouncedIP
				}
				f.target = repl.HostPort{Host: ip, Port: c.replica.ListeningPort}
				target = c
				break
			}
		}
	}
	if target != nil && target.replica.AckOffset == n.repl.hist.Offset {
		n.log('*', fmt.Sprintf("Failover target %s:%d is synced, failing over.", f.target.Host, f.target.Port))
		n.startFailover()
	}
}

// startFailover turns this master into a replica of the target, whose
// PSYNC asks the target to take over.
func (n *Node) startFailover() {
	n.failover.state = failoverInProgress
	n.setMaster(n.failover.target)
	n.repl.link.Failover = true
}

// failoverAnswered takes the target's answer to PSYNC ... FAILOVER.
func (n *Node) failoverAnswered(accepted bool) {
	if n.failover.state != failoverInProgress {
		return
	}
	if accepted {
		n.clearFailover()
		return
	}
	n.abortFailover("Failover target rejected psync request")
}

// abortFailover ends a failover that did not happen; one already in
// progress turns the node back into a master.
func (n *Node) abortFailover(why string) {
	f := n.failover
	if f.state == noFailover {
		return
	}
	if f.target.Host != "" {
		n.log('*', fmt.Sprintf("FAILOVER to %s:%d aborted: %s", f.target.Host, f.target.Port, why))
	} else {
		n.log('*', "FAILOVER to any replica aborted: "+why)
	}
	if f.state == failoverInProgress {
		n.promote()
	}
	n.clearFailover()
}

// clearFailover is clearFailoverState: no failover, clients unpaused.
func (n *Node) clearFailover() {
	n.failover = failoverState{}
	n.unpauseClients(pauseByFailover)
}

// psyncFailover handles PSYNC <replid> <offset> FAILOVER sent to this
// replica by its master handing over: with our replid it makes us a master
// at once, and the PSYNC goes on as any other. It reports whether to.
func (n *Node) psyncFailover(c *client, args [][]byte) bool {
	n.log('#', fmt.Sprintf("Failover request received for replid %s.", args[1]))
	if !n.isReplica() {
		c.out.Error("ERR PSYNC FAILOVER can't be sent to a master.")
		return false
	}
	if string(args[1]) != n.repl.hist.ID.String() {
		c.out.Error("ERR PSYNC FAILOVER replid must match my replid.")
		return false
	}
	n.promote()
	n.log('*', fmt.Sprintf("MASTER MODE enabled (failover request from '%s')", n.clientInfo(c)))
	return true
}
