package node_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncscope/syncscope/core/node"
	"github.com/syncscope/syncscope/core/script"
	"github.com/syncscope/syncscope/core/script/lua"
)

// counterScript is native/cmd/bench's evalsha script: a rate limiter's
// counter with an expire.
const counterScript = "local n = redis.call('incr', KEYS[1]) redis.call('expire', KEYS[1], 60) return n"

// BenchmarkEvalsha runs EVALSHA of counterScript through a node, 16 to a
// pipeline as `make bench` sends them at P16, on keys drawn from 100000:
// the whole path (parse, dispatch, script lookup, KEYS/ARGV, redis.call
// and its reply's conversion, the effects' MULTI/EXEC, the reply) per
// script run. "replica" has a replica attached, so the effects are
// propagated to it.
func BenchmarkEvalsha(b *testing.B) {
	for _, replica := range []bool{false, true} {
		name := "alone"
		if replica {
			name = "replica"
		}
		b.Run(name, func(b *testing.B) {
			bn := newBenchNode(b, "", node.Env{Scripting: func() script.Engine { return lua.New() }})
			var last []byte // the last reply written to conn 1
			bn.seen = func(w node.Write) {
				if w.Conn == 1 {
					last = append(last[:0], w.Data...)
				}
			}
			step := bn.step
			step(node.Accepted{Conn: 1, Peer: "127.0.0.1:50000", Local: "127.0.0.1:6379"})
			if replica {
				// A replica that has synced: its PSYNC is served, then
				// it only reads the stream.
				step(node.Accepted{Conn: 2, Peer: "127.0.0.1:50001", Local: "127.0.0.1:6379"})
				step(node.Received{Conn: 2, Data: []byte("REPLCONF listening-port 6380\r\nREPLCONF capa eof capa psync2\r\nPSYNC ? -1\r\n")})
			}
			sha := lua.SHA1Hex([]byte(counterScript))
			step(node.Received{Conn: 1, Data: []byte(fmt.Sprintf("*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n$%d\r\n%s\r\n", len(counterScript), counterScript))})
			if got := string(last); got != fmt.Sprintf("$40\r\n%s\r\n", sha) {
				b.Fatalf("SCRIPT LOAD replied %q", got)
			}
			const perPipeline = 16
			pipelines := make([][]byte, 1000)
			key := uint32(1)
			for i := range pipelines {
				var sb strings.Builder
				for range perPipeline {
					key = key*1103515245 + 12345
					k := fmt.Sprintf("counter:%012d", key%100000)
					fmt.Fprintf(&sb, "*4\r\n$7\r\nEVALSHA\r\n$40\r\n%s\r\n$1\r\n1\r\n$%d\r\n%s\r\n", sha, len(k), k)
				}
				pipelines[i] = []byte(sb.String())
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				step(node.Received{Conn: 1, Data: pipelines[i%len(pipelines)]})
			}
			b.StopTimer()
			if last[0] != ':' {
				b.Fatalf("EVALSHA replied %q", last)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perPipeline), "ns/script")
		})
	}
}
