package node

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
	"github.com/syncscope/syncscope/core/resp"
)

// FuzzNode sends arbitrary bytes from one client, split into chunks of
// chunk%97+1 bytes, to a node (with requirepass when chunk%5 == 0; the
// client may make itself a replica with PSYNC) and drives every effect the
// node asks for. The node must never panic, must close only that client,
// and must then serve a new client: its PING gets exactly one complete
// reply.
func FuzzNode(f *testing.F) {
	f.Add([]byte("PING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\nGET k\r\n"), uint16(5))
	f.Add([]byte("*1\r\n$x\r\n"), uint16(0))
	f.Fuzz(fuzzNodeOnce)
}

// fuzzNodeOnce is one FuzzNode input.
func fuzzNodeOnce(t *testing.T, data []byte, chunk uint16) {
	conf := "port 6379\nsave 1 1\nclient-output-buffer-limit normal 1mb 256kb 1\nrepl-diskless-sync-delay 0\n"
	if chunk%5 == 0 {
		conf += "requirepass pw\n" // the limits before AUTH
	}
	cfg, _, err := config.Parse(conf, nil)
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	n, err := New(cfg, Env{Now: now, Pid: 1})
	require.NoError(t, err)
	d := &fuzzDriver{t: t, n: n, now: now, open: map[ConnID]bool{}}
	d.apply(n.Ready())

	const bad, good ConnID = 1, 2
	d.open[bad] = true
	d.step(Accepted{Conn: bad, Peer: "127.0.0.1:1000", Local: "127.0.0.1:6379"})
	size := int(chunk%97) + 1
	for i := 0; i < len(data) && d.open[bad] && !d.exited; i += size {
		d.step(Received{Conn: bad, Data: data[i:min(i+size, len(data))]})
		d.now = d.now.Add(time.Duration(chunk%7) * 100 * time.Millisecond)
		d.step(Wake{})
	}
	if d.exited {
		return // SHUTDOWN: nothing left to serve
	}
	if d.open[bad] {
		d.step(Closed{Conn: bad, Reason: "Connection reset by peer"})
		delete(d.open, bad)
	}
	d.now = d.now.Add(2 * time.Second)
	d.step(Wake{})
	d.out[good] = nil
	d.open[good] = true
	d.step(Accepted{Conn: good, Peer: "127.0.0.1:1001", Local: "127.0.0.1:6379"})
	d.step(Received{Conn: good, Data: []byte("*1\r\n$4\r\nPING\r\n")})
	if d.exited {
		return
	}
	v, used, err := resp.ReadValue(d.out[good])
	require.NoError(t, err, "reply %q", d.out[good])
	require.NotZero(t, used, "no complete reply to PING: %q", d.out[good])
	require.Equal(t, len(d.out[good]), used, "one reply to PING: %q", d.out[good])
	if v.Kind != resp.Error {
		require.Equal(t, "PONG", string(v.Str), "reply %q", d.out[good])
	}
}

// fuzzDriver carries out a node's effects at once: writes are recorded,
// dials refused, snapshots encoded, files "written".
type fuzzDriver struct {
	t      *testing.T
	n      *Node
	now    time.Time
	open   map[ConnID]bool
	out    map[ConnID][]byte
	exited bool
	queue  []Event
}

func (d *fuzzDriver) step(ev Event) {
	require.NoError(d.t, d.n.Step(d.now, ev))
	d.apply(d.n.Ready())
	for len(d.queue) > 0 && !d.exited {
		ev := d.queue[0]
		d.queue = d.queue[1:]
		require.NoError(d.t, d.n.Step(d.now, ev))
		d.apply(d.n.Ready())
	}
}

func (d *fuzzDriver) apply(rd Ready) {
	if d.out == nil {
		d.out = map[ConnID][]byte{}
	}
	for _, w := range rd.Writes {
		if d.open[w.Conn] {
			d.out[w.Conn] = append(d.out[w.Conn], w.Data...)
			d.queue = append(d.queue, Written{Conn: w.Conn, N: len(w.Data)})
		}
	}
	for _, c := range append(rd.Closes, rd.Drops...) {
		delete(d.open, c)
	}
	for _, dl := range rd.Dials {
		d.queue = append(d.queue, Dialed{Conn: dl.Conn, Err: "Connection refused"})
	}
	for _, s := range rd.Snapshots {
		var buf bytes.Buffer
		err := s.Snap.WriteRDB(&buf, s.Opts, s.Aux)
		s.Snap.Release()
		require.NoError(d.t, err)
		d.queue = append(d.queue, SnapshotDone{ID: s.ID, Data: buf.Bytes()})
	}
	for _, fl := range rd.Files {
		fl.Rewrite("")
		d.queue = append(d.queue, FileDone{Name: fl.Name})
	}
	if rd.Exit {
		d.exited = true
	}
}
