//go:build !js

package repl

import (
	"bufio"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/syncscope/syncscope/native/redistest"
)

// fakeMaster serves one replica connection with a script, then refuses
// further connections (its listener is closed).
func fakeMaster(t *testing.T, port int, script func(c net.Conn, r *bufio.Reader)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		ln.Close()
		if err != nil {
			return
		}
		defer c.Close()
		script(c, bufio.NewReader(c))
	}()
	t.Cleanup(func() { ln.Close(); <-done })
}

// expect reads one command of the handshake and checks its name.
func expect(r *bufio.Reader, name string) bool {
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "*") {
		return false
	}
	n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
	var first string
	for i := 0; i < n; i++ {
		if _, err := r.ReadString('\n'); err != nil {
			return false
		}
		arg, err := r.ReadString('\n')
		if err != nil {
			return false
		}
		if i == 0 {
			first = strings.TrimSpace(arg)
		}
	}
	return strings.EqualFold(first, name)
}

// upToPsync answers PING and the two REPLCONFs and reads PSYNC.
func upToPsync(c net.Conn, r *bufio.Reader) bool {
	if !expect(r, "PING") {
		return false
	}
	c.Write([]byte("+PONG\r\n"))
	for i := 0; i < 2; i++ {
		if !expect(r, "REPLCONF") {
			return false
		}
		c.Write([]byte("+OK\r\n"))
	}
	return expect(r, "PSYNC")
}

// answerPsync is a fake master that goes through the handshake up to
// PSYNC, answers it with reply and keeps the link open for linger.
func answerPsync(reply string, linger time.Duration) func(c net.Conn, r *bufio.Reader) {
	return func(c net.Conn, r *bufio.Reader) {
		upToPsync(c, r)
		c.Write([]byte(reply))
		time.Sleep(linger)
	}
}

const fakeID = "0123456789abcdef0123456789abcdef01234567"

// The scripts: what a broken or unusual master does.
var fakeScripts = map[string]func(c net.Conn, r *bufio.Reader){
	"close after PING": func(c net.Conn, r *bufio.Reader) { expect(r, "PING") },
	"bad PING reply": func(c net.Conn, r *bufio.Reader) {
		expect(r, "PING")
		c.Write([]byte("-ERR weird\r\n"))
		time.Sleep(300 * time.Millisecond)
	},
	"REPLCONF refused": func(c net.Conn, r *bufio.Reader) {
		expect(r, "PING")
		c.Write([]byte("+PONG\r\n"))
		expect(r, "REPLCONF")
		expect(r, "REPLCONF")
		c.Write([]byte("-ERR nope\r\n-ERR nope\r\n"))
		expect(r, "PSYNC")
	},
	"close after PSYNC": func(c net.Conn, r *bufio.Reader) { upToPsync(c, r) },
	"NOMASTERLINK":      answerPsync("-NOMASTERLINK Can't SYNC while not connected with my master\r\n", 300*time.Millisecond),
	"LOADING":           answerPsync("-LOADING Redis is loading the dataset in memory\r\n", 300*time.Millisecond),
	"PSYNC unknown, SYNC refused": func(c net.Conn, r *bufio.Reader) {
		upToPsync(c, r)
		c.Write([]byte("-ERR unknown command 'PSYNC'\r\n"))
		r.ReadString('\n') // SYNC
		c.Write([]byte("-ERR unknown command 'SYNC'\r\n"))
		time.Sleep(300 * time.Millisecond)
	},
	"bad FULLRESYNC":        answerPsync("+FULLRESYNC abc 5\r\n", 300*time.Millisecond),
	"not a bulk":            answerPsync("+FULLRESYNC "+fakeID+" 5\r\n\nhello\r\n", 300*time.Millisecond),
	"error instead of bulk": answerPsync("+FULLRESYNC "+fakeID+" 5\r\n-ERR oops\r\n", 300*time.Millisecond),
	"close in payload":      answerPsync("\n+FULLRESYNC "+fakeID+" 5\r\n$100\r\nREDIS0010", 300*time.Millisecond),
	"close in EOF payload":  answerPsync("+FULLRESYNC "+fakeID+" 5\r\n$EOF:"+markTxt+"\r\nREDIS0010", 300*time.Millisecond),
	"silent master (repl-timeout 1)": func(c net.Conn, r *bufio.Reader) {
		expect(r, "PING")
		time.Sleep(4 * time.Second)
	},
	"stalled payload (repl-timeout 1)": answerPsync("+FULLRESYNC "+fakeID+" 5\r\n$100\r\nREDIS", 4*time.Second),
	"garbage RDB":                      answerPsync("+FULLRESYNC "+fakeID+" 5\r\n$10\r\n0123456789", 300*time.Millisecond),
}

// untilSecondAttempt cuts logs just after the second "sync started": the
// first attempt, its failure, and the start of the next one.
func untilSecondAttempt(logs []ActLog) []ActLog {
	n := 0
	for i, l := range logs {
		if l.Text == "MASTER <-> REPLICA sync started" {
			if n++; n == 2 {
				return logs[:i+1]
			}
		}
	}
	return logs
}

// TestRealReplicaLogsMatchOnFaults runs a real redis-server replica and a
// Link against the same misbehaving fake master and compares their logs from
// the first connection to the start of the next attempt.
func TestRealReplicaLogsMatchOnFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("about 20 s against redis-server")
	}
	redistest.Bin(t)
	port := 7440 // up to 7487 for the scripts below
	for name, script := range fakeScripts {
		t.Run(name, func(t *testing.T) {
			port += 3
			var args []string
			cfg := LinkConfig{ListeningPort: port + 1}
			if strings.Contains(name, "repl-timeout 1") {
				args, cfg.ReplTimeout = []string{"--repl-timeout", "1"}, time.Second
			}
			// The real replica.
			fakeMaster(t, port, script)
			dir := t.TempDir()
			startRedisIn(t, dir, port+1, append(args, "--replicaof", "127.0.0.1", strconv.Itoa(port))...)
			logFile := filepath.Join(dir, "redis.log")
			require.Eventually(t, func() bool {
				return len(untilSecondAttempt(redisLog(t, logFile, "Connecting to MASTER"))) <
					len(redisLog(t, logFile, "Connecting to MASTER"))
			}, 10*time.Second, 20*time.Millisecond)
			want := untilSecondAttempt(redisLog(t, logFile, "Connecting to MASTER"))
			require.Greater(t, len(want), 4)
			require.Equal(t, "MASTER <-> REPLICA sync started", want[len(want)-1].Text)
			for i := range want {
				if strings.HasPrefix(want[i].Text, "Wrong signature") { // the RDB loader's
					want = append(want[:i], want[i+1:]...)
					break
				}
			}

			// The Link, against the same script.
			fakeMaster(t, port+2, script)
			x := dialLink(t, port+2, cfg)
			dials := func() int {
				n := 0
				for _, l := range x.logs {
					if l.Text == "MASTER <-> REPLICA sync started" {
						n++
					}
				}
				return n
			}
			deadline := time.Now().Add(10 * time.Second)
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for dials() < 2 && time.Now().Before(deadline) {
				select {
				case <-tick.C:
					x.apply(x.l.Tick(time.Now()))
				case p := <-x.got:
					x.apply(x.l.Received(time.Now(), p))
				case <-x.dead:
					for drained := false; !drained; { // what the master sent before closing comes first
						select {
						case p := <-x.got:
							x.apply(x.l.Received(time.Now(), p))
						default:
							drained = true
						}
					}
					if x.l.State != Connect {
						x.apply(x.l.Closed(time.Now(), ""))
					}
					x.apply(x.l.Tick(time.Now().Add(time.Second)))
				}
			}
			got := normalizeIDs(untilSecondAttempt(x.logs))
			for i := range got {
				got[i].Text = strings.ReplaceAll(got[i].Text, strconv.Itoa(port+2), strconv.Itoa(port))
			}
			require.Equal(t, normalizeIDs(want), got)
		})
	}
}
