package node_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/config"
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
			cfg, _, err := config.Parse("user u on >p ~key:* +@string +auth\n", nil)
			require.NoError(b, err)
			now := time.Date(2026, 11, 24, 23, 44, 31, 0, time.UTC)
			n, err := node.New(cfg, node.Env{Now: now})
			require.NoError(b, err)
			_ = n.Step(now, node.Accepted{Conn: 1, Peer: "127.0.0.1:5000", Local: "127.0.0.1:6379"})
			if tc.auth != "" {
				_ = n.Step(now, node.Received{Conn: 1, Data: []byte(tc.auth)})
			}
			n.Ready()
			data := pipe.Bytes()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_ = n.Step(now, node.Received{Conn: 1, Data: data})
				rd := n.Ready()
				if len(rd.Writes) == 0 || bytes.Contains(rd.Writes[0].Data, []byte("NOPERM")) {
					b.Fatalf("unexpected reply %+v", rd.Writes)
				}
				for _, w := range rd.Writes {
					_ = n.Step(now, node.Written{Conn: 1, N: len(w.Data)})
				}
			}
		})
	}
}
