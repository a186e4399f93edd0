//go:build !js

package repl

import (
	"bufio"
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/redistest"
)

// These tests run a real redis-server 7.0 master and drive a Link over real
// sockets. With SYNCSCOPE_RECORD=1 they also rewrite the transcripts in
// testdata/ that the socket-free tests replay.

// startRedis runs redis-server on port with extra arguments and returns a
// client connection to it; it is stopped when the test ends.
func startRedis(t *testing.T, port int, args ...string) *bufio.ReadWriter {
	t.Helper()
	return startRedisIn(t, t.TempDir(), port, args...)
}

// startRedisIn is startRedis with its files (redis.log) in dir.
func startRedisIn(t *testing.T, dir string, port int, args ...string) *bufio.ReadWriter {
	t.Helper()
	srv := redistest.Start(t, redistest.Options{Dir: dir, Port: port, Args: args})
	c, err := net.Dial("tcp", srv.Addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c))
}

// call sends a command on a client connection and returns the reply line.
func call(t *testing.T, c *bufio.ReadWriter, args ...string) string {
	t.Helper()
	_, err := c.Write(resp.AppendCommandStrings(nil, args...))
	require.NoError(t, err)
	require.NoError(t, c.Flush())
	line, err := c.ReadString('\n')
	require.NoError(t, err)
	return line
}

// liveLink drives a Link against a real master and records what the master
// sends on each connection.
type liveLink struct {
	t     *testing.T
	l     *Link
	conn  net.Conn
	got   chan []byte
	dead  chan struct{}
	logs  []ActLog
	rdb   *ActFullSync
	cont  *ActContinue
	strm  []byte
	trans [][]byte // bytes received, one entry per connection
}

func (x *liveLink) apply(acts []Action) {
	for _, a := range acts {
		switch a := a.(type) {
		case ActDial:
			c, err := net.Dial("tcp", a.Addr)
			if err != nil {
				x.apply(x.l.Dialed(time.Now(), err.Error()))
				continue
			}
			x.conn = c
			x.trans = append(x.trans, nil)
			x.got, x.dead = make(chan []byte, 64), make(chan struct{})
			go func(c net.Conn, got chan []byte, dead chan struct{}) {
				defer close(dead)
				for {
					buf := make([]byte, 4096)
					n, err := c.Read(buf)
					if n > 0 {
						got <- buf[:n]
					}
					if err != nil {
						return
					}
				}
			}(c, x.got, x.dead)
			x.apply(x.l.Dialed(time.Now(), ""))
		case ActSend:
			_, err := x.conn.Write(a.Data)
			require.NoError(x.t, err)
		case ActClose:
			x.conn.Close()
		case ActLog:
			x.logs = append(x.logs, a)
		case ActFullSync:
			x.rdb = &a
			x.apply(x.l.Loaded(time.Now(), bytes.HasPrefix(a.RDB, []byte("REDIS")), "Invalid argument"))
		case ActContinue:
			x.cont = &a
		case ActStream:
			x.strm = append(x.strm, a.Data...)
			x.l.Processed(int64(len(a.Data)))
		}
	}
}

// dialLink starts a Link replicating from the master on port of this
// host, with its first tick applied (it dials).
func dialLink(t *testing.T, port int, cfg LinkConfig) *liveLink {
	x := &liveLink{t: t, l: NewLink(HostPort{"127.0.0.1", port}, cfg, nil)}
	x.apply(x.l.Tick(time.Now()))
	return x
}

// until feeds the master's bytes to the link until cond holds.
func (x *liveLink) until(cond func() bool) {
	deadline := time.After(15 * time.Second)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
			x.apply(x.l.Tick(time.Now()))
		case p := <-x.got:
			x.trans[len(x.trans)-1] = append(x.trans[len(x.trans)-1], p...)
			x.apply(x.l.Received(time.Now(), p))
		case <-deadline:
			x.t.Fatalf("timed out in state %v; logs %v", x.l.State, x.logs)
		}
	}
}

func record(t *testing.T, name string, data []byte) {
	if os.Getenv("SYNCSCOPE_RECORD") == "" {
		return
	}
	require.NoError(t, os.WriteFile(filepath.Join("testdata", name), data, 0o644))
}

// fullSyncFromRealMaster starts redis-server on port with args, sets
// name=redis there and has a Link (announcing listenPort) sync from it: the
// RDB arrives on disk or, with eof, diskless, and then the write SET k v
// arrives in the stream at the offset that follows the RDB's. It records the
// transcript as name and returns the master's client, the link and the
// stream so far.
func fullSyncFromRealMaster(t *testing.T, port, listenPort int, eof bool, name string, args ...string) (*bufio.ReadWriter, *liveLink, string) {
	t.Helper()
	cli := startRedis(t, port, args...)
	require.Equal(t, "+OK\r\n", call(t, cli, "SET", "name", "redis"))

	x := dialLink(t, port, LinkConfig{ListeningPort: listenPort})
	x.until(func() bool { return x.l.State == Connected })
	require.NotNil(t, x.rdb)
	require.Equal(t, eof, x.rdb.EOF)
	require.True(t, bytes.HasPrefix(x.rdb.RDB, []byte("REDIS0010")))
	require.True(t, bytes.Contains(x.rdb.RDB, []byte("name")))

	// A write on the master reaches the stream (diskless, only once the
	// master has our first ACK, sent after the load).
	require.Equal(t, "+OK\r\n", call(t, cli, "SET", "k", "v"))
	want := "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
	x.until(func() bool { return len(x.strm) >= len(want) })
	require.Equal(t, want, string(x.strm))
	require.Equal(t, x.rdb.Offset+int64(len(want)), x.l.Offset())
	record(t, name, x.trans[0])
	return cli, x, want
}

func TestRealMasterDiskSync(t *testing.T) {
	cli, x, want := fullSyncFromRealMaster(t, 7410, 7499, false, "disk-full.bin", "--repl-diskless-sync", "no")

	// Drop the connection with a write in flight: the link caches the master,
	// continues, and gets the write from the master's backlog.
	require.Equal(t, "+OK\r\n", call(t, cli, "SET", "k2", "v2"))
	x.conn.Close()
	<-x.dead
	x.apply(x.l.Closed(time.Now(), ""))
	x.until(func() bool { return x.l.State == Connected })
	require.NotNil(t, x.cont)
	require.False(t, x.cont.Changed)
	want2 := want + "*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$2\r\nv2\r\n"
	x.until(func() bool { return len(x.strm) >= len(want2) })
	require.Equal(t, want2, string(x.strm))
	record(t, "continue.bin", x.trans[1])
	require.Contains(t, texts(x.logs), "Trying a partial resynchronization (request "+x.rdb.ReplID.String()+":"+
		strconv.FormatInt(x.rdb.Offset+int64(len(want))+1, 10)+").")
	require.Equal(t, x.rdb.Offset+int64(len(want2)), x.l.Offset())

	// The master's ROLE shows our ACKed offset once we ACK.
	x.apply(x.l.Tick(time.Now().Add(2 * time.Second)))
	require.Eventually(t, func() bool {
		_, err := cli.Write(resp.AppendCommandStrings(nil, "ROLE"))
		require.NoError(t, err)
		require.NoError(t, cli.Flush())
		off := strconv.FormatInt(x.l.Offset(), 10)
		return bytes.Contains(readAll(t, cli), []byte("$4\r\n7499\r\n$"+strconv.Itoa(len(off))+"\r\n"+off+"\r\n"))
	}, 5*time.Second, 100*time.Millisecond)
}

func TestRealMasterDisklessSync(t *testing.T) {
	fullSyncFromRealMaster(t, 7411, 7498, true, "diskless-full.bin", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "2")
}

func TestRealMasterNoMasterLink(t *testing.T) {
	// A replica of a master that is not there answers PSYNC with
	// -NOMASTERLINK.
	startRedis(t, 7412, "--replicaof", "127.0.0.1", "7413")
	x := dialLink(t, 7412, LinkConfig{ListeningPort: 7497})
	x.until(func() bool { return x.l.State == Connect })
	require.Contains(t, texts(x.logs), "Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master")
	record(t, "nomasterlink.bin", x.trans[0])
}

func readAll(t *testing.T, c *bufio.ReadWriter) []byte {
	t.Helper()
	_, err := c.Peek(1) // one read of the reply, which is small
	require.NoError(t, err)
	buf := make([]byte, c.Reader.Buffered())
	_, err = c.Read(buf)
	require.NoError(t, err)
	return buf
}

func texts(logs []ActLog) []string {
	out := make([]string, len(logs))
	for i, l := range logs {
		out[i] = l.Text
	}
	return out
}
