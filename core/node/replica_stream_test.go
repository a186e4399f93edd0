package node

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/resp"
)

// What replicas apply of their master's stream, and when: cases core/sim
// once found wrong, each pinned by the smallest world that shows it.

// session sends commands on one client connection of h (WAIT waits for the
// connection's own writes), lets the world run for d and returns everything
// the client received.
func (w *net) session(h *host, d time.Duration, cmds ...[]string) string {
	conn := w.next
	w.next++
	w.peers[end{h.port, conn}] = end{0, conn}
	require.NoError(w.t, h.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50001"}))
	var data []byte
	for _, c := range cmds {
		data = resp.AppendCommandStrings(data, c...)
	}
	require.NoError(w.t, h.node.Step(w.now, Received{Conn: conn, Data: data}))
	w.apply(h)
	w.settle(d)
	if buf := h.out[conn]; buf != nil {
		return buf.String()
	}
	return ""
}

// A replica applying its master's MULTI must not answer +QUEUED on the
// link. When the transaction arrived in several reads, the master got the
// +QUEUED, ran it as a command and streamed its error back: the replica's
// offset and history forked from its master's.
func TestReplicaDoesNotAnswerQueuedToItsMaster(t *testing.T) {
	w := newNet(t)
	w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	link := r.node.repl.linkConn
	for _, cmd := range [][]string{{"MULTI"}, {"SET", "a", "1"}, {"INCR", "n"}, {"EXEC"}} {
		// One read per command, as TCP may deliver them.
		require.NoError(t, r.node.Step(w.now, Received{Conn: link, Data: resp.AppendCommandStrings(nil, cmd...)}))
		for _, wr := range r.node.Ready().Writes {
			assert.NotEqual(t, link, wr.Conn, "the replica wrote %q to its master after %v", wr.Data, cmd)
		}
	}
	assert.Equal(t, `"1"`, w.do(r, "GET", "a"))
}

// WAIT after MULTI/EXEC waits for the transaction's offset: EXEC's
// propagation is the client's write (c->woff), although the queued commands
// ran through nested calls.
func TestWaitAfterExecWaitsForTheTransaction(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	w.settle(1500 * time.Millisecond) // the replica has acknowledged everything so far
	r.up = false                      // and stops reading and acknowledging
	out := w.session(m, 200*time.Millisecond, []string{"MULTI"}, []string{"SET", "a", "1"}, []string{"EXEC"}, []string{"WAIT", "1", "100"})
	assert.Equal(t, "+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n:0\r\n", out, "the replica never acknowledged the transaction")
}

// A master restarted from its dump drops the keys that expired meanwhile and
// streams their DELs from the saved history, as Redis 7.0.15 does
// (RDBFLAGS_FEED_REPL: offset + 43 bytes for "SELECT 0" and "DEL k"). A
// replica continuing by partial resync then deletes them too; without the
// DELs it kept them forever and diverged from its master.
func TestMasterRestartStreamsDelsOfKeysExpiredInItsDump(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v", "PX", "500"))
	assert.Equal(t, "OK", w.do(m, "SET", "j", "v"))
	w.settle(100 * time.Millisecond)
	w.send(m, "SHUTDOWN")
	w.settle(2 * time.Second)
	require.False(t, m.up)
	m = w.start(6379, "")
	require.Contains(t, m.log(), "keys loaded: 1, keys expired: 1.")
	h := m.node.repl.hist
	assert.Equal(t, h.Offset2-1+43, h.Offset, "SELECT 0 and DEL k follow the saved history")
	w.settle(3 * time.Second)
	require.Contains(t, r.log(), "Successful partial resynchronization with master.")
	assert.Nil(t, r.node.Store().DBs[0].Peek([]byte("k")), "the replica deleted the expired key")
	assert.Equal(t, m.node.repl.hist.Offset, r.node.repl.hist.Offset)
}

// A replica counts its master's transaction as applied at EXEC only, as
// Redis does: when the link drops between MULTI and EXEC, its offset (what
// it PSYNCs from and forwards to sub-replicas) stays before the MULTI, so
// the whole transaction is streamed again. Counting each queued command made
// it resume after them, and the commands were lost with the dropped MULTI.
func TestReplicaAppliesAMastersTransactionAtExec(t *testing.T) {
	w := newNet(t)
	w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	link, before := r.node.repl.linkConn, r.node.repl.hist.Offset
	multi := resp.AppendCommandStrings(nil, "MULTI")
	set := resp.AppendCommandStrings(nil, "SET", "a", "1")
	exec := resp.AppendCommandStrings(nil, "EXEC")
	require.NoError(t, r.node.Step(w.now, Received{Conn: link, Data: append(append([]byte(nil), multi...), set...)}))
	r.node.Ready()
	assert.Equal(t, before, r.node.repl.hist.Offset, "an open transaction is not applied yet")
	assert.Equal(t, before, r.node.repl.link.Offset())
	require.NoError(t, r.node.Step(w.now, Received{Conn: link, Data: exec}))
	r.node.Ready()
	assert.Equal(t, before+int64(len(multi)+len(set)+len(exec)), r.node.repl.hist.Offset)
	assert.Equal(t, r.node.repl.hist.Offset, r.node.repl.link.Offset())
	assert.Equal(t, `"1"`, w.do(r, "GET", "a"))

	// The link drops inside the next transaction: the replica resumes
	// before its MULTI.
	before = r.node.repl.hist.Offset
	require.NoError(t, r.node.Step(w.now, Received{Conn: link, Data: append(append([]byte(nil), multi...), set...)}))
	require.NoError(t, r.node.Step(w.now, Closed{Conn: link}))
	r.node.Ready()
	require.NotNil(t, r.node.repl.link.Cached)
	assert.Equal(t, before, r.node.repl.link.Cached.Offset)
}

// A replica restarted from its dump keeps the keys whose TTL passed
// meanwhile, as Redis does (only a master drops them while loading): its
// master decides. Dropping them lost the key when the master had persisted
// it in the meantime.
func TestReplicaRestartKeepsExpiredKeysForItsMaster(t *testing.T) {
	w := newNet(t)
	m := w.start(6379, "")
	r := w.start(6378, "slaveof 127.0.0.1 6379")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
	assert.Equal(t, "OK", w.do(m, "SET", "k", "v", "PX", "1500"))
	w.settle(100 * time.Millisecond)
	w.send(r, "SHUTDOWN")
	w.settle(200 * time.Millisecond)
	require.False(t, r.up)
	assert.Equal(t, "(integer) 1", w.do(m, "PERSIST", "k"), "the master keeps k")
	w.settle(2 * time.Second) // k's old TTL passes while the replica is down
	r = w.start(6378, "slaveof 127.0.0.1 6379")
	assert.Contains(t, r.log(), "keys loaded: 1, keys expired: 0.")
	w.settle(2 * time.Second)
	require.Contains(t, r.log(), "Successful partial resynchronization with master.")
	assert.Equal(t, `"v"`, w.do(r, "GET", "k"))
	assert.Equal(t, "(integer) -1", w.do(r, "PTTL", "k"))
}

// A master sends a newline every second to a replica waiting for its
// snapshot, as Redis does, so a replica whose repl-timeout is shorter than
// repl-diskless-sync-delay still syncs instead of timing out forever.
func TestPresyncNewlinesKeepAWaitingReplica(t *testing.T) {
	w := newNet(t)
	w.start(6379, "repl-diskless-sync yes\nrepl-diskless-sync-delay 5")
	r := w.start(6378, "slaveof 127.0.0.1 6379\nrepl-timeout 2")
	w.settle(8 * time.Second)
	assert.NotContains(t, r.log(), "Timeout connecting to the MASTER")
	assert.Contains(t, r.log(), "MASTER <-> REPLICA sync: Finished with success")
}

// A master turned replica unblocks its blocked clients with -UNBLOCKED and
// closes them, as Redis 7.0.15 does: a BLPOP left blocked was served by the
// new master's LPUSH and popped on the replica alone.
func TestBecomingAReplicaUnblocksClients(t *testing.T) {
	w := newNet(t)
	w.start(6379, "")
	a := w.start(6378, "")
	conn := w.next
	w.next++
	w.peers[end{a.port, conn}] = end{0, conn}
	require.NoError(t, a.node.Step(w.now, Accepted{Conn: conn, Peer: "127.0.0.1:50002"}))
	require.NoError(t, a.node.Step(w.now, Received{Conn: conn, Data: resp.AppendCommandStrings(nil, "BLPOP", "l", "0")}))
	w.apply(a)
	assert.Equal(t, "OK", w.do(a, "REPLICAOF", "127.0.0.1", "6379"))
	assert.Equal(t, "-UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)\r\n", a.out[conn].String())
	w.settle(2 * time.Second)
	m := w.nodes[6379]
	assert.Equal(t, "(integer) 1", w.do(m, "LPUSH", "l", "x"))
	w.settle(100 * time.Millisecond)
	assert.Equal(t, "(integer) 1", w.do(a, "LLEN", "l"), "the replica keeps what its master pushed")
}
