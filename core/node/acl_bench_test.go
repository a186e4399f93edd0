package node_test

import (
	"bytes"
	"testing"

	"github.com/syncscope/syncscope/core/node"
)

// BenchmarkDispatchACL measures a pipelined GET/SET through dispatch for
// the default user (unrestricted: the permission hook is one pointer and
// one flag test) and for a user with command and key rules (the full check).
func BenchmarkDispatchACL(b *testing.B) {
	var pipe bytes.Buffer
	for i := 0; i < 50; i++ {
		pipe.WriteString("*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$3\r\nval\r\n*2\r\n$3\r\nGET\r\n$5\r\nkey:1\r\n")
	}
	for _, tc := range []struct{ name, auth string }{
		{"default", ""},
		{"restricted", "*3\r\n$4\r\nAUTH\r\n$1\r\nu\r\n$1\r\np\r\n"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			bn := newBenchNode(b, "user u on >p ~key:* +@string +auth\n", node.Env{})
			bn.step(node.Accepted{Conn: 1, Peer: "127.0.0.1:5000", Local: "127.0.0.1:6379"})
			if tc.auth != "" {
				bn.step(node.Received{Conn: 1, Data: []byte(tc.auth)})
			}
			replies := 0
			bn.seen = func(w node.Write) {
				if bytes.Contains(w.Data, []byte("NOPERM")) {
					b.Fatalf("unexpected reply %q", w.Data)
				}
				replies++
			}
			data := pipe.Bytes()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				before := replies
				bn.step(node.Received{Conn: 1, Data: data})
				if replies == before {
					b.Fatal("no reply")
				}
			}
		})
	}
}
