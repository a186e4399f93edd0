package node_test

import (
	"strings"
	"testing"

	"github.com/syncscope/syncscope/core/node"
)

// BenchmarkDispatch runs pipelines of 32 commands through a node, as a
// driver does (Received, Ready, Written, Recycle): the cost of dispatch
// (lookup, checks, the handler) per command. "mixed" alternates names, so
// every command is looked up (no repeat of the client's last one).
func BenchmarkDispatch(b *testing.B) {
	for _, bc := range []struct {
		name string
		cmds []string
	}{
		{"get", []string{"GET k"}},
		{"set", []string{"SET k v"}},
		{"ping", []string{"PING"}},
		{"client-getname", []string{"CLIENT GETNAME"}},
		{"mixed", []string{"GET k", "SET k v", "PING", "CLIENT GETNAME", "EXISTS k", "HSET h f v", "OBJECT ENCODING k", "ECHO x"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var sb strings.Builder
			for i := range 32 {
				sb.WriteString(bc.cmds[i%len(bc.cmds)] + "\r\n")
			}
			pipeline := []byte(sb.String())
			step := newBenchNode(b, "", node.Env{}).step
			step(node.Accepted{Conn: 1, Peer: "127.0.0.1:50000", Local: "127.0.0.1:6379"})
			step(node.Received{Conn: 1, Data: []byte("SET k v\r\n")})
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step(node.Received{Conn: 1, Data: pipeline})
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*32), "ns/cmd")
		})
	}
}
