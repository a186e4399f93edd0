package repl

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var (
	t0      = time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
	master  = HostPort{"127.0.0.1", 6379}
	idA     = mustID("fb06f43d9db47e77eafb003c6ca8044b156037f2")
	idB     = mustID("2ccff40346cb7be8766987cc79cd26712f80605e")
	markTxt = "7b62b4640f7ec01129442f63fdc5913a581ad136"
)

func mustID(s string) ID {
	id, ok := ParseID(s)
	if !ok {
		panic(s)
	}
	return id
}

// run feeds chunks to l as a node would: every ActFullSync is loaded at once
// (successfully when the payload starts with "REDIS") and Loaded's actions
// follow it.
func run(l *Link, now time.Time, chunks ...[]byte) []Action {
	var out []Action
	for _, c := range chunks {
		out = append(out, settle(l, now, l.Received(now, c))...)
	}
	return out
}

// bytewise is b as chunks of one byte each, as a connection may deliver it.
func bytewise(b []byte) [][]byte {
	chunks := make([][]byte, len(b))
	for i := range b {
		chunks[i] = b[i : i+1]
	}
	return chunks
}

func settle(l *Link, now time.Time, acts []Action) []Action {
	var out []Action
	for _, a := range acts {
		out = append(out, a)
		if fs, ok := a.(ActFullSync); ok {
			out = append(out, settle(l, now, l.Loaded(now, bytes.HasPrefix(fs.RDB, []byte("REDIS")), "Invalid argument"))...)
		}
	}
	return out
}

// normalize copies stream data and merges consecutive ActStream actions, so
// that runs chunked differently compare equal.
func normalize(acts []Action) []Action {
	var out []Action
	for _, a := range acts {
		switch a := a.(type) {
		case ActStream:
			if n := len(out); n > 0 {
				if prev, ok := out[n-1].(ActStream); ok {
					out[n-1] = ActStream{Data: append(prev.Data, a.Data...)}
					continue
				}
			}
			out = append(out, ActStream{Data: append([]byte(nil), a.Data...)})
		case ActFullSync:
			a.RDB = append([]byte(nil), a.RDB...)
			out = append(out, a)
		default:
			out = append(out, a)
		}
	}
	return out
}

// dialed returns a link that has dialed and got its connection: PING sent.
func dialed(t *testing.T, cfg LinkConfig, cached *History) *Link {
	t.Helper()
	l := NewLink(master, cfg, cached)
	require.Equal(t, []Action{
		notice("Connecting to MASTER 127.0.0.1:6379"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, l.Tick(t0))
	require.Equal(t, Connecting, l.State)
	require.Equal(t, []Action{
		notice("Non blocking connect for SYNC fired the event."),
		ActSend{Data: []byte("*1\r\n$4\r\nPING\r\n")},
	}, l.Dialed(t0, ""))
	require.Equal(t, ReceivePingReply, l.State)
	return l
}

func notice(s string) ActLog  { return ActLog{Level: '*', Text: s} }
func warning(s string) ActLog { return ActLog{Level: '#', Text: s} }

const handshakeSent = "*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6378\r\n" +
	"*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n"

// fullSyncEOF is what a diskless master sends for an empty dataset, with
// keepalive newlines before the reply and before the payload.
func fullSyncEOF(rdb, stream string) string {
	return "+PONG\r\n+OK\r\n+OK\r\n\n\n+FULLRESYNC " + idA.String() + " 14\r\n" +
		"$EOF:" + markTxt + "\r\n" + rdb + markTxt + stream
}

// fullSyncEOFHead is what a Link does with fullSyncEOF up to the payload,
// which it receives to "disk" or to the "parser".
func fullSyncEOFHead(to string) []Action {
	return []Action{
		notice("Master replied to PING, replication can continue..."),
		ActSend{Data: []byte(handshakeSent)},
		notice("Partial resynchronization not possible (no cached master)"),
		ActSend{Data: []byte("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")},
		notice("Full resync from master: " + idA.String() + ":14"),
		notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to " + to),
	}
}

func TestLinkFullSyncEOF(t *testing.T) {
	rdb := "REDIS0010\xfa\x09redis-ver\x067.0.15\xff12345678"
	stream := "*1\r\n$4\r\nPING\r\n"
	want := append(fullSyncEOFHead("disk"),
		ActDropReplicas{FreeBacklog: true},
		notice("MASTER <-> REPLICA sync: Flushing old data"),
		notice("MASTER <-> REPLICA sync: Loading DB in memory"),
		ActFullSync{ReplID: idA, Offset: 14, RDB: []byte(rdb), EOF: true},
		notice("MASTER <-> REPLICA sync: Finished with success"),
		ActSend{Data: []byte("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n14\r\n")},
		ActStream{Data: []byte(stream)},
	)
	in := []byte(fullSyncEOF(rdb, stream))
	cfg := LinkConfig{ListeningPort: 6378}

	l := dialed(t, cfg, nil)
	require.Equal(t, want, normalize(run(l, t0, in)))
	require.Equal(t, Connected, l.State)
	require.Equal(t, idA, l.MasterID())

	l = dialed(t, cfg, nil)
	require.Equal(t, want, normalize(run(l, t0, bytewise(in)...)))
}

func TestLinkFullSyncDisk(t *testing.T) {
	rdb := "REDIS0010\xff12345678"
	in := "+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + idA.String() + " 0\r\n\n\n$18\r\n" + rdb +
		"*1\r\n$4\r\nPING\r\n"
	l := dialed(t, LinkConfig{ListeningPort: 6378}, nil)
	acts := normalize(run(l, t0, []byte(in)))
	require.Equal(t, []Action{
		notice("MASTER <-> REPLICA sync: receiving 18 bytes from master to disk"),
		ActDropReplicas{FreeBacklog: true},
		notice("MASTER <-> REPLICA sync: Flushing old data"),
		notice("MASTER <-> REPLICA sync: Loading DB in memory"),
		ActFullSync{ReplID: idA, Offset: 0, RDB: []byte(rdb)},
		notice("MASTER <-> REPLICA sync: Finished with success"),
		// No ACK right away in disk mode: the master streams without one.
		ActStream{Data: []byte("*1\r\n$4\r\nPING\r\n")},
	}, acts[5:])
	l.Processed(14)
	require.Equal(t, int64(14), l.Offset())
	require.Equal(t, "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n14\r\n", string(l.Ack()))
}

// The transcripts in testdata were recorded from redis-server 7.0.15 by
// realredis_test.go: every byte the master sent on one connection.
func transcript(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// idAfter reads the 40-character ID following prefix in b.
func idAfter(t *testing.T, b []byte, prefix string) ID {
	t.Helper()
	i := bytes.Index(b, []byte(prefix))
	require.GreaterOrEqual(t, i, 0)
	return mustID(string(b[i+len(prefix) : i+len(prefix)+40]))
}

func TestLinkRealTranscripts(t *testing.T) {
	type tc struct {
		file   string
		cached func(b []byte) *History
		check  func(t *testing.T, b []byte, l *Link, acts []Action)
	}
	tests := []tc{{
		file: "disk-full.bin",
		check: func(t *testing.T, b []byte, l *Link, acts []Action) {
			id := idAfter(t, b, "+FULLRESYNC ")
			require.Equal(t, Connected, l.State)
			require.Contains(t, acts, notice("Full resync from master: "+id.String()+":0"))
			require.Contains(t, acts, notice("MASTER <-> REPLICA sync: receiving 189 bytes from master to disk"))
			fs := findFullSync(t, acts)
			require.Equal(t, id, fs.ReplID)
			require.Len(t, fs.RDB, 189)
			require.True(t, bytes.HasPrefix(fs.RDB, []byte("REDIS0010")))
			require.Equal(t, ActStream{Data: []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")}, acts[len(acts)-1])
		},
	}, {
		file: "diskless-full.bin",
		check: func(t *testing.T, b []byte, l *Link, acts []Action) {
			id := idAfter(t, b, "+FULLRESYNC ")
			mark := idAfter(t, b, "$EOF:")
			require.Equal(t, Connected, l.State)
			require.Contains(t, acts, notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"))
			fs := findFullSync(t, acts)
			require.Equal(t, id, fs.ReplID)
			require.True(t, fs.EOF)
			require.True(t, bytes.HasPrefix(fs.RDB, []byte("REDIS0010")))
			require.False(t, bytes.Contains(fs.RDB, mark[:]))
			require.Equal(t, byte(0xff), fs.RDB[len(fs.RDB)-9]) // EOF opcode, then the CRC64
			require.Contains(t, acts, ActSend{Data: []byte("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n")})
			require.Equal(t, ActStream{Data: []byte("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")}, acts[len(acts)-1])
		},
	}, {
		file: "continue.bin",
		cached: func(b []byte) *History {
			return &History{ID: mustID(string(b[bytes.Index(b, []byte("+CONTINUE "))+10:][:40])), Offset: 55}
		},
		check: func(t *testing.T, b []byte, l *Link, acts []Action) {
			require.Equal(t, Connected, l.State)
			require.Nil(t, l.Cached)
			require.Equal(t, []Action{
				notice("Trying a partial resynchronization (request " + l.MasterID().String() + ":56)."),
				ActSend{Data: []byte("*3\r\n$5\r\nPSYNC\r\n$40\r\n" + l.MasterID().String() + "\r\n$2\r\n56\r\n")},
				notice("Successful partial resynchronization with master."),
				ActContinue{NewID: l.MasterID()},
				notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization."),
				ActStream{Data: []byte("*3\r\n$3\r\nSET\r\n$2\r\nk2\r\n$2\r\nv2\r\n")},
			}, acts[2:])
		},
	}, {
		file: "nomasterlink.bin",
		check: func(t *testing.T, b []byte, l *Link, acts []Action) {
			require.Equal(t, Connect, l.State)
			require.Equal(t, []Action{
				notice("Partial resynchronization not possible (no cached master)"),
				ActSend{Data: []byte("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")},
				notice("Master is currently unable to PSYNC but should be in the future: -NOMASTERLINK Can't SYNC while not connected with my master"),
				ActClose{},
			}, acts[2:])
		},
	}}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			b := transcript(t, tc.file)
			var cached *History
			if tc.cached != nil {
				cached = tc.cached(b)
			}
			cfg := LinkConfig{ListeningPort: 6378}
			l := dialed(t, cfg, cached)
			whole := normalize(run(l, t0, b))
			tc.check(t, b, l, whole)
			// Every split point gives the same actions.
			for i := 1; i < len(b); i++ {
				l := dialed(t, cfg, cached)
				got := normalize(run(l, t0, b[:i], b[i:]))
				require.Equal(t, whole, got, "split at %d", i)
			}
			// And byte by byte.
			l = dialed(t, cfg, cached)
			require.Equal(t, whole, normalize(run(l, t0, bytewise(b)...)))
		})
	}
}

func findFullSync(t *testing.T, acts []Action) ActFullSync {
	t.Helper()
	for _, a := range acts {
		if fs, ok := a.(ActFullSync); ok {
			return fs
		}
	}
	t.Fatal("no ActFullSync")
	return ActFullSync{}
}

func TestLinkContinueNewID(t *testing.T) {
	l := dialed(t, LinkConfig{ListeningPort: 6377}, &History{ID: idA, Offset: 71})
	acts := run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n+CONTINUE "+idB.String()+"\r\n"))
	require.Equal(t, []Action{
		notice("Trying a partial resynchronization (request " + idA.String() + ":72)."),
		ActSend{Data: []byte("*3\r\n$5\r\nPSYNC\r\n$40\r\n" + idA.String() + "\r\n$2\r\n72\r\n")},
		notice("Successful partial resynchronization with master."),
		warning("Master replication ID changed to " + idB.String()),
		ActContinue{NewID: idB, Changed: true},
		ActDropReplicas{},
		notice("MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization."),
	}, acts[2:])
	require.Equal(t, int64(71), l.Offset())
	require.Equal(t, idB, l.MasterID())

	// A "+CONTINUE" without an ID (no psync2) keeps the cached one.
	l = dialed(t, LinkConfig{ListeningPort: 6377}, &History{ID: idA, Offset: 71})
	acts = run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n+CONTINUE\r\n"))
	require.Contains(t, acts, ActContinue{NewID: idA})
	require.Equal(t, Connected, l.State)
}

func TestLinkHandshakeOptions(t *testing.T) {
	cfg := LinkConfig{ListeningPort: 6378, AnnounceIP: "10.0.0.7", MasterUser: "repl", MasterAuth: "s3cret"}
	l := dialed(t, cfg, nil)
	acts := run(l, t0, []byte("+PONG\r\n"))
	require.Equal(t, []Action{
		notice("Master replied to PING, replication can continue..."),
		ActSend{Data: []byte("*3\r\n$4\r\nAUTH\r\n$4\r\nrepl\r\n$6\r\ns3cret\r\n" +
			"*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$4\r\n6378\r\n" +
			"*3\r\n$8\r\nREPLCONF\r\n$10\r\nip-address\r\n$8\r\n10.0.0.7\r\n" +
			"*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n")},
	}, acts)
	require.Equal(t, ReceiveAuthReply, l.State)
	acts = run(l, t0, []byte("+OK\r\n-ERR a\r\n-ERR b\r\n-ERR c\r\n"))
	require.Equal(t, []Action{
		notice("(Non critical) Master does not understand REPLCONF listening-port: -ERR a"),
		notice("(Non critical) Master does not understand REPLCONF ip-address: -ERR b"),
		notice("(Non critical) Master does not understand REPLCONF capa: -ERR c"),
		notice("Partial resynchronization not possible (no cached master)"),
		ActSend{Data: []byte("*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")},
	}, acts)

	// AUTH with a password only; a refused AUTH ends the attempt.
	l = dialed(t, LinkConfig{ListeningPort: 1, MasterAuth: "pw"}, nil)
	acts = run(l, t0, []byte("+PONG\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n+OK\r\n"))
	require.Equal(t, ActSend{Data: []byte("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n" +
		"*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$1\r\n1\r\n" +
		"*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n")}, acts[1])
	require.Equal(t, []Action{
		warning("Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled."),
		ActClose{},
	}, acts[2:])
	require.Equal(t, Connect, l.State)
}

func TestLinkPingReplies(t *testing.T) {
	for _, r := range []string{"+PONG", "-NOAUTH Authentication required.", "-NOPERM this user has no permissions", "-ERR operation not permitted"} {
		l := dialed(t, LinkConfig{}, nil)
		require.Equal(t, notice("Master replied to PING, replication can continue..."), run(l, t0, []byte(r+"\r\n"))[0], r)
	}
	l := dialed(t, LinkConfig{}, nil)
	require.Equal(t, []Action{warning("Error reply to PING from master: '-ERR weird'"), ActClose{}},
		run(l, t0, []byte("-ERR weird\r\n+OK\r\n")))
	require.Equal(t, Connect, l.State)
}

// toPsync returns a link that has sent PSYNC ? -1.
func toPsync(t *testing.T) *Link {
	t.Helper()
	l := dialed(t, LinkConfig{ListeningPort: 6378}, nil)
	run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n"))
	require.Equal(t, ReceivePsyncReply, l.State)
	return l
}

func TestLinkPsyncTryLater(t *testing.T) {
	for _, r := range []string{"-NOMASTERLINK Can't SYNC while not connected with my master", "-LOADING Redis is loading the dataset in memory"} {
		l := toPsync(t)
		require.Equal(t, []Action{
			notice("Master is currently unable to PSYNC but should be in the future: " + r),
			ActClose{},
		}, run(l, t0, []byte(r+"\r\n")))
		require.Equal(t, Connect, l.State)
		// Retried at the next cron, a second later.
		require.Equal(t, []Action{
			notice("Connecting to MASTER 127.0.0.1:6379"),
			notice("MASTER <-> REPLICA sync started"),
			ActDial{Addr: "127.0.0.1:6379"},
		}, l.Tick(t0.Add(time.Second)))
	}
}

func TestLinkPsyncFallbackToSync(t *testing.T) {
	l := toPsync(t)
	require.Equal(t, []Action{
		notice("Master does not support PSYNC or is in error state (reply: -ERR unknown command)"),
		notice("Retrying with SYNC..."),
		ActSend{Data: []byte("SYNC\r\n")},
	}, run(l, t0, []byte("-ERR unknown command\r\n")))
	require.Equal(t, Transfer, l.State)

	l = toPsync(t)
	acts := run(l, t0, []byte("+WHAT\r\n-ERR no\r\n"))
	require.Equal(t, []Action{
		warning("Unexpected reply to PSYNC from master: +WHAT"),
		notice("Retrying with SYNC..."),
		ActSend{Data: []byte("SYNC\r\n")},
		warning("MASTER aborted replication with an error: ERR no"),
		ActClose{},
		notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, acts)

	// A legacy master's payload loads with offset -1, and no ACKs follow.
	l = toPsync(t)
	acts = run(l, t0, []byte("-ERR unknown command\r\n$5\r\nREDIS"))
	require.Equal(t, ActFullSync{ReplID: NoID, Offset: -1, RDB: []byte("REDIS")}, acts[len(acts)-2])
	require.Equal(t, Connected, l.State)
	require.Empty(t, l.Tick(t0.Add(time.Second)))
}

func TestLinkBadFullResync(t *testing.T) {
	l := toPsync(t)
	acts := run(l, t0, []byte("+FULLRESYNC abc 5\r\n$5\r\nREDIS"))
	require.Equal(t, warning("Master replied with wrong +FULLRESYNC syntax."), acts[0])
	require.Equal(t, ActFullSync{ReplID: NoID, Offset: -1, RDB: []byte("REDIS")}, acts[5])
}

func TestLinkBulkHeaderErrors(t *testing.T) {
	full := "+FULLRESYNC " + idA.String() + " 5\r\n"
	retry := []Action{ActClose{}, notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"),
		notice("MASTER <-> REPLICA sync started"), ActDial{Addr: "127.0.0.1:6379"}}
	for _, tc := range []struct{ in, log string }{
		{"hello\r\n", "Bad protocol from MASTER, the first byte is not '$' (we received 'hello'), are you sure the host and port are right?"},
		{"-ERR oops\r\n", "MASTER aborted replication with an error: ERR oops"},
		{"$-3\r\n", "Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: No space left on device"},
	} {
		l := toPsync(t)
		acts := run(l, t0, []byte(full+tc.in))
		require.Equal(t, append([]Action{warning(tc.log)}, retry...), acts[len(acts)-5:], tc.in)
		require.Equal(t, Connecting, l.State)
	}
	// A short "$EOF:" is a length (0): an empty payload, which fails to load.
	l := toPsync(t)
	acts := run(l, t0, []byte(full+"$EOF:abc\r\n"))
	require.Contains(t, acts, ActFullSync{ReplID: idA, Offset: 5, RDB: []byte{}})
	require.Contains(t, acts, warning("Failed trying to load the MASTER synchronization DB from disk: Invalid argument"))
}

func TestLinkTruncatedBulk(t *testing.T) {
	head := "+FULLRESYNC " + idA.String() + " 5\r\n"
	for _, tc := range []struct{ in, reason, log string }{
		{"", "", "I/O error reading bulk count from MASTER: Success"},
		{"$100\r\nREDIS0010", "", "I/O error trying to sync with MASTER: connection lost"},
		{"$100\r\nREDIS0010", "Connection reset by peer", "I/O error trying to sync with MASTER: Connection reset by peer"},
		{"$EOF:" + markTxt + "\r\nREDIS0010" + markTxt[:39], "", "I/O error trying to sync with MASTER: connection lost"},
	} {
		l := toPsync(t)
		acts := run(l, t0, []byte(head+tc.in))
		for _, a := range acts {
			require.NotEqual(t, "ActFullSync", typeName(a), "no full sync for partial data")
		}
		require.Equal(t, []Action{
			warning(tc.log),
			ActClose{},
			notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"),
			notice("MASTER <-> REPLICA sync started"),
			ActDial{Addr: "127.0.0.1:6379"},
		}, l.Closed(t0, tc.reason), tc.in)
	}
}

func typeName(a Action) string {
	if _, ok := a.(ActFullSync); ok {
		return "ActFullSync"
	}
	return ""
}

func TestLinkClosedDuringHandshake(t *testing.T) {
	l := NewLink(master, LinkConfig{}, nil)
	l.Tick(t0)
	require.Equal(t, []Action{warning("Error condition on socket for SYNC: Connection refused")}, l.Dialed(t0, "Connection refused"))
	require.Equal(t, Connect, l.State)

	l = dialed(t, LinkConfig{}, nil)
	require.Equal(t, []Action{
		warning("Failed to read response from the server: Success"),
		warning("Master did not respond to command during SYNC handshake"),
		ActClose{},
	}, l.Closed(t0, ""))
	require.Equal(t, Connect, l.State)

	l = toPsync(t)
	require.Equal(t, []Action{
		warning("Failed to read response from the server: Connection reset by peer"),
		warning("Master did not reply to PSYNC, will try later"),
		ActClose{},
	}, l.Closed(t0, "Connection reset by peer"))
}

// connected returns a link streaming from master idA at offset off.
func connected(t *testing.T, off int64) *Link {
	t.Helper()
	l := dialed(t, LinkConfig{ListeningPort: 6377}, &History{ID: idA, Offset: off})
	run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n+CONTINUE "+idA.String()+"\r\n"))
	require.Equal(t, Connected, l.State)
	return l
}

func TestLinkMasterLost(t *testing.T) {
	l := connected(t, 14)
	require.Equal(t, []Action{ActStream{Data: []byte("*1\r\n$4\r\nPING\r\n")}}, l.Received(t0, []byte("*1\r\n$4\r\nPING\r\n")))
	l.Processed(14)
	require.Equal(t, int64(28), l.Offset())
	require.Equal(t, int64(28), l.RoleOffset())
	require.Equal(t, []Action{
		warning("Connection with master lost."),
		notice("Caching the disconnected master state."),
		notice("Reconnecting to MASTER 127.0.0.1:6379"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, l.Closed(t0.Add(time.Second), ""))
	require.Equal(t, &History{ID: idA, Offset: 28, ID2: NoID, Offset2: -1}, l.Cached)
	require.Equal(t, int64(28), l.Offset())
	require.Equal(t, int64(-1), l.RoleOffset())
	require.Equal(t, t0.Add(time.Second), l.DownSince())
	require.Equal(t, "connecting", l.State.Role())

	// The next PSYNC asks for offset 29.
	l.Dialed(t0, "")
	acts := run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n"))
	require.Contains(t, acts, notice("Trying a partial resynchronization (request "+idA.String()+":29)."))
	require.Equal(t, "handshake", l.State.Role())
}

func TestLinkTimeouts(t *testing.T) {
	retry := []Action{ActClose{}, notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"),
		notice("MASTER <-> REPLICA sync started"), ActDial{Addr: "127.0.0.1:6379"}}

	// Handshake: 60 s without a reply is fine, 61 s is not.
	l := dialed(t, LinkConfig{}, nil)
	require.Empty(t, l.Tick(t0.Add(60*time.Second)))
	require.Empty(t, l.Tick(t0.Add(60*time.Second+500*time.Millisecond)), "cron runs once a second")
	require.Equal(t, append([]Action{warning("Timeout connecting to the MASTER...")}, retry...), l.Tick(t0.Add(61*time.Second)))

	// Transfer: each chunk of payload counts as I/O.
	l = toPsync(t)
	run(l, t0, []byte("+FULLRESYNC "+idA.String()+" 5\r\n$100\r\nREDIS"))
	run(l, t0.Add(30*time.Second), []byte("0010"))
	require.Empty(t, l.Tick(t0.Add(90*time.Second)))
	total, read, _ := l.Transferring()
	require.Equal(t, int64(100), total)
	require.Equal(t, int64(9), read)
	require.Equal(t, append([]Action{warning("Timeout receiving bulk data from MASTER... If the problem persists try to set the 'repl-timeout' parameter in redis.conf to a larger value.")}, retry...),
		l.Tick(t0.Add(91*time.Second)))

	// Connected: silence from the master for more than repl-timeout.
	l = connected(t, 0)
	require.Equal(t, []Action{ActSend{Data: []byte("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$1\r\n0\r\n")}}, l.Tick(t0.Add(5*time.Second)))
	l.Received(t0.Add(10*time.Second), []byte("\n"))
	require.Len(t, l.Tick(t0.Add(70*time.Second)), 1)
	require.Equal(t, []Action{
		warning("MASTER timeout: no data nor PING received..."),
		ActClose{},
		warning("Connection with master lost."),
		notice("Caching the disconnected master state."),
		notice("Reconnecting to MASTER 127.0.0.1:6379"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, l.Tick(t0.Add(71*time.Second)))

	// A shorter repl-timeout.
	l = NewLink(master, LinkConfig{ReplTimeout: 5 * time.Second}, nil)
	l.Tick(t0)
	require.Equal(t, warning("Timeout connecting to the MASTER..."), l.Tick(t0.Add(6 * time.Second))[0])
}

func TestLinkLoadFailure(t *testing.T) {
	l := dialed(t, LinkConfig{ListeningPort: 6378}, &History{ID: idB, Offset: 9})
	acts := run(l, t0, []byte("+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC "+idA.String()+" 5\r\n$10\r\n0123456789"))
	require.Equal(t, []Action{
		notice("MASTER <-> REPLICA sync: receiving 10 bytes from master to disk"),
		notice("Discarding previously cached master state."),
		ActDropReplicas{FreeBacklog: true},
		notice("MASTER <-> REPLICA sync: Flushing old data"),
		notice("MASTER <-> REPLICA sync: Loading DB in memory"),
		ActFullSync{ReplID: idA, Offset: 5, RDB: []byte("0123456789")},
		warning("Failed trying to load the MASTER synchronization DB from disk: Invalid argument"),
		ActClose{},
		notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, acts[5:])
	require.Nil(t, l.Cached, "the cached master is gone: the next PSYNC is ? -1")
}

func TestLinkEventsWhileLoading(t *testing.T) {
	rdb := "REDIS0010\xff"
	in := []byte("+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + idA.String() + " 5\r\n$10\r\n" + rdb + "*1\r\n")
	// Stream bytes that arrive before Loaded wait for it.
	l := dialed(t, LinkConfig{}, nil)
	acts := l.Received(t0, in)
	require.IsType(t, ActFullSync{}, acts[len(acts)-1])
	require.Empty(t, l.Received(t0, []byte("$4\r\nPING\r\n")))
	require.Empty(t, l.Tick(t0.Add(100*time.Second)), "no timeouts while loading")
	require.Equal(t, []Action{
		notice("MASTER <-> REPLICA sync: Finished with success"),
		ActStream{Data: []byte("*1\r\n$4\r\nPING\r\n")},
	}, l.Loaded(t0, true, ""))

	// A close while loading is handled once the load is done: the stream
	// bytes are dropped and the PSYNC resumes at the loaded offset.
	l = dialed(t, LinkConfig{}, nil)
	l.Received(t0, in)
	require.Empty(t, l.Closed(t0, ""))
	acts = l.Loaded(t0, true, "")
	require.Equal(t, []Action{
		notice("MASTER <-> REPLICA sync: Finished with success"),
		warning("Connection with master lost."),
		notice("Caching the disconnected master state."),
		notice("Reconnecting to MASTER 127.0.0.1:6379"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "127.0.0.1:6379"},
	}, acts)
	require.Equal(t, &History{ID: idA, Offset: 5, ID2: NoID, Offset2: -1}, l.Cached)

	// Too many stream bytes while loading: close, then resume by PSYNC.
	l = dialed(t, LinkConfig{MaxBulk: 16}, nil)
	l.Received(t0, in)
	require.Equal(t, []Action{ActClose{}}, l.Received(t0, bytes.Repeat([]byte("x"), 17)))
	require.Empty(t, l.Received(t0, []byte("x")), "dropped: the link is going down")
	require.Empty(t, l.pending)
	acts = l.Loaded(t0, true, "")
	require.Equal(t, warning("Connection with master lost."), acts[1])
}

func TestLinkMaxBulk(t *testing.T) {
	full := "+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + idA.String() + " 5\r\n"
	disk := warning("Write error or short write writing to the DB dump file needed for MASTER <-> REPLICA synchronization: No space left on device")
	l := dialed(t, LinkConfig{MaxBulk: 64}, nil)
	acts := run(l, t0, []byte(full+"$65\r\n"))
	require.Equal(t, disk, acts[len(acts)-5])

	l = dialed(t, LinkConfig{MaxBulk: 64}, nil)
	run(l, t0, []byte(full+"$EOF:"+markTxt+"\r\n"+strings.Repeat("x", 60)))
	require.Equal(t, Transfer, l.State)
	acts = run(l, t0, []byte(strings.Repeat("x", 45)))
	require.Equal(t, disk, acts[0])
	require.Equal(t, Connecting, l.State)

	// Exactly MaxBulk bytes of payload plus the mark fit.
	l = dialed(t, LinkConfig{MaxBulk: 64}, nil)
	acts = run(l, t0, []byte(full+"$EOF:"+markTxt+"\r\nREDIS"+strings.Repeat("x", 59)+markTxt))
	require.Equal(t, Connected, l.State)
	require.Len(t, findFullSync(t, acts).RDB, 64)
}

func TestLinkLongLines(t *testing.T) {
	// A reply longer than Redis's 256-byte buffer is cut at 255 bytes and the
	// rest is read as the next reply.
	l := dialed(t, LinkConfig{}, nil)
	acts := run(l, t0, []byte("+"+strings.Repeat("P", 300)+"\r\n"))
	require.Equal(t, notice("Master replied to PING, replication can continue..."), acts[0])
	require.Equal(t, ReceiveCapaReply, l.State, "the 46 bytes left were the listening-port reply")

	// Without newlines nothing buffers beyond one line.
	l = toPsync(t)
	for i := 0; i < 100; i++ {
		l.Received(t0, []byte(strings.Repeat("x", 100)))
		require.Less(t, len(l.in), headerLineMax)
	}
}

func TestLinkStopAndStart(t *testing.T) {
	l := connected(t, 100)
	require.Equal(t, []Action{
		ActClose{},
		warning("Connection with master lost."),
		notice("Caching the disconnected master state."),
	}, l.Stop(t0))
	require.Equal(t, None, l.State)
	require.Equal(t, int64(100), l.Cached.Offset)
	require.Empty(t, l.Tick(t0.Add(time.Hour)))
	require.Equal(t, []Action{notice("Discarding previously cached master state.")}, l.Discard())
	require.Empty(t, l.Discard())

	// REPLICAOF toward another master reuses the cache and dials at once.
	l = NewLink(HostPort{"::1", 6380}, LinkConfig{}, &History{ID: idA, Offset: 100})
	require.Equal(t, []Action{
		notice("Connecting to MASTER ::1:6380"),
		notice("MASTER <-> REPLICA sync started"),
		ActDial{Addr: "[::1]:6380"},
	}, l.Start(t0))
	require.Empty(t, l.Start(t0))
	require.Equal(t, []Action{ActClose{}}, l.Stop(t0))
}

func TestLinkStateNames(t *testing.T) {
	require.Equal(t, "connect", Connect.String())
	require.Equal(t, "receive_psync_reply", ReceivePsyncReply.String())
	require.Equal(t, "unknown", LinkState(99).String())
	for s, role := range map[LinkState]string{None: "none", Connect: "connect", Connecting: "connecting",
		ReceivePingReply: "handshake", SendPsync: "handshake", Transfer: "sync", Connected: "connected", LinkState(-1): "unknown"} {
		require.Equal(t, role, s.Role(), s)
	}
}

func BenchmarkLinkReceiveStream(b *testing.B) {
	b.ReportAllocs()
	l := NewLink(master, LinkConfig{}, &History{ID: idA})
	l.Tick(t0)
	l.Dialed(t0, "")
	l.Received(t0, []byte("+PONG\r\n+OK\r\n+OK\r\n+CONTINUE\r\n"))
	p := []byte("*3\r\n$3\r\nSET\r\n$4\r\nname\r\n$5\r\nredis\r\n")
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		acts := l.Received(t0, p)
		l.Processed(int64(len(acts[0].(ActStream).Data)))
	}
}

func BenchmarkLinkFullSync(b *testing.B) {
	b.ReportAllocs()
	rdb := append([]byte("REDIS0010"), make([]byte, 1<<20)...)
	head := []byte("+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC " + idA.String() + " 0\r\n$" + strconv.Itoa(len(rdb)) + "\r\n")
	b.SetBytes(int64(len(rdb)))
	for b.Loop() {
		l := NewLink(master, LinkConfig{}, nil)
		l.Tick(t0)
		l.Dialed(t0, "")
		l.Received(t0, head)
		for i := 0; i < len(rdb); i += 16 << 10 {
			l.Received(t0, rdb[i:min(i+16<<10, len(rdb))])
		}
		if l.Loaded(t0, true, "") == nil {
			b.Fatal("no full sync")
		}
	}
}

// TestLinkDisklessLoad: with repl-diskless-load the payload goes straight
// to the loader, so the replica is loading from the header on (Parsing):
// swapdb keeps the old dataset until the load succeeds, on-empty-db (with
// an empty dataset) attaches and flushes first; a transfer cut short drops
// the partial load and retries. Log lines as readSyncBulkPayload's.
func TestLinkDisklessLoad(t *testing.T) {
	rdb := "REDIS0010\xfa\x09redis-ver\x067.0.15\xff12345678"
	stream := "*1\r\n$4\r\nPING\r\n"
	head := fullSyncEOFHead("parser")
	tail := []Action{
		notice("MASTER <-> REPLICA sync: Finished with success"),
		ActSend{Data: []byte("*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n14\r\n")},
		ActStream{Data: []byte(stream)},
	}
	full := ActFullSync{ReplID: idA, Offset: 14, RDB: []byte(rdb), EOF: true}
	for _, tc := range []struct {
		mode    string
		empty   bool
		atStart []Action // after the header line
		atEnd   []Action // the payload complete
	}{
		{mode: "swapdb",
			atStart: []Action{notice("MASTER <-> REPLICA sync: Loading DB in memory")},
			atEnd: []Action{ActDropReplicas{FreeBacklog: true}, full,
				notice("MASTER <-> REPLICA sync: Swapping active DB with loaded DB"),
				notice("MASTER <-> REPLICA sync: Discarding old DB in background")}},
		{mode: "on-empty-db", empty: true,
			atStart: []Action{ActDropReplicas{FreeBacklog: true}, notice("MASTER <-> REPLICA sync: Flushing old data"),
				notice("MASTER <-> REPLICA sync: Loading DB in memory")},
			atEnd: []Action{full}},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			cfg := LinkConfig{ListeningPort: 6378, DisklessLoad: tc.mode}
			in := fullSyncEOF(rdb, stream)
			cut := strings.Index(in, "REDIS")
			l := dialed(t, cfg, nil)
			l.SetEmptyDB(tc.empty)
			require.Equal(t, append(append([]Action{}, head...), tc.atStart...), normalize(run(l, t0, []byte(in[:cut+3]))))
			require.True(t, l.Parsing(), "loading from the header on")
			require.Equal(t, idA, l.FullSyncID())
			want := append(append([]Action{}, tc.atEnd...), tail...)
			require.Equal(t, want, normalize(run(l, t0, []byte(in[cut+3:]))))
			require.False(t, l.Parsing())
			require.Equal(t, Connected, l.State)

			// Cut short: the partial load goes, the sync starts over.
			l = dialed(t, cfg, nil)
			l.SetEmptyDB(tc.empty)
			run(l, t0, []byte(in[:cut+3]))
			acts := l.Closed(t0, "")
			require.Equal(t, warning("Failed trying to load the MASTER synchronization DB from socket: Success"), acts[0])
			if tc.mode == "swapdb" {
				require.Equal(t, notice("MASTER <-> REPLICA sync: Discarding temporary DB in background"), acts[1])
			}
			require.False(t, l.Parsing())
			require.Contains(t, acts, notice("Reconnecting to MASTER 127.0.0.1:6379 after failure"))
		})
	}

	// on-empty-db with data, and disabled: to disk, loading only at the end.
	for _, cfg := range []LinkConfig{{ListeningPort: 6378, DisklessLoad: "on-empty-db"}, {ListeningPort: 6378, DisklessLoad: "disabled"}} {
		l := dialed(t, cfg, nil)
		acts := run(l, t0, []byte(fullSyncEOF(rdb, stream)[:len(fullSyncEOF(rdb, stream))-len(stream)-45]))
		require.Contains(t, acts, notice("MASTER <-> REPLICA sync: receiving streamed RDB from master with EOF to disk"))
		require.False(t, l.Parsing())
	}
}
