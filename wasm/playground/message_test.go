package playground

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// feedAll feeds chunks in turn and collects kinds, labels and snapshots.
func feedAll(chunks ...string) (kinds, parts []string, rdbs []string) {
	var d decoder
	for _, c := range chunks {
		k, p, rdb := d.feed([]byte(c))
		kinds = append(kinds, k)
		parts = append(parts, strings.Join(p, " | "))
		if rdb != nil {
			rdbs = append(rdbs, string(rdb))
		}
	}
	return kinds, parts, rdbs
}

func TestDecoder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chunks []string
		kinds  []string
		parts  []string
		rdbs   []string
	}{
		{
			name:   "handshake",
			chunks: []string{"*1\r\n$4\r\nPING\r\n", "+PONG\r\n", "*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n"},
			kinds:  []string{"ctl", "ctl", "ctl"},
			parts:  []string{"PING", "+PONG", "REPLCONF capa eof capa psync2"},
		},
		{
			name:   "a command split anywhere, then two in one chunk",
			chunks: []string{"*3\r\n$3\r\nSET\r\n$4\r\nna", "me\r\n$5\r\nredis\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\nx\r\n"},
			kinds:  []string{"cmd", "cmd"},
			parts:  []string{"19 bytes (partial)", "SET name redis | SELECT 1 | INCR x"},
		},
		{
			name:   "quoting",
			chunks: []string{"*3\r\n$3\r\nset\r\n$3\r\na b\r\n$2\r\n\x00\n\r\n"},
			kinds:  []string{"cmd"},
			parts:  []string{`SET "a b" "\x00\n"`},
		},
		{
			name: "disk-mode full sync: the bulk has no CRLF after it",
			chunks: []string{"+FULLRESYNC 1177a5fc52e84b499fd02947159fc27fc43b2c65 0\r\n", "$12\r\nREDIS0010", "abc*1\r\n$4\r\nPING\r\n",
				"*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$2\r\n14\r\n"},
			kinds: []string{"ctl", "rdb", "rdb", "ctl"},
			parts: []string{"+FULLRESYNC 1177a5fc52e84b499fd02947159fc27fc43b2c65 0", "$12 (RDB from disk) | RDB 9 bytes",
				"RDB 3 bytes | RDB complete (12 bytes) | PING", "REPLCONF ACK 14"},
			rdbs: []string{"REDIS0010abc"},
		},
		{
			name: "diskless: the EOF mark split across chunks",
			chunks: []string{"\n", "+FULLRESYNC 1177a5fc52e84b499fd02947159fc27fc43b2c65 14\r\n$EOF:" + strings.Repeat("m", 40) + "\r\nREDIS0010xyz" + strings.Repeat("m", 30),
				strings.Repeat("m", 10) + "*1\r\n$4\r\nPING\r\n"},
			kinds: []string{"ctl", "rdb", "rdb"},
			parts: []string{`\n (keepalive)`, "+FULLRESYNC 1177a5fc52e84b499fd02947159fc27fc43b2c65 14 | $EOF:mmmmmmmm… (diskless RDB) | RDB 42 bytes",
				"RDB 10 bytes | RDB complete (12 bytes) | PING"},
			rdbs: []string{"REDIS0010xyz"},
		},
		{
			name:   "a bulk reply is not an RDB without +FULLRESYNC",
			chunks: []string{"$5\r\nredis\r\n", "-NOMASTERLINK Can't SYNC while not connected with my master\r\n", ":1\r\n"},
			kinds:  []string{"ctl", "ctl", "ctl"},
			parts:  []string{`"redis"`, "-NOMASTERLINK Can't SYNC while not connected with my master", "(integer) 1"},
		},
		{
			name:   "inline and garbage",
			chunks: []string{"PING\r\n", "*x\r\n"},
			kinds:  []string{"ctl", "cmd"},
			parts:  []string{"PING", "unparsable: Protocol error: invalid multibulk length"},
		},
	} {
		kinds, parts, rdbs := feedAll(tc.chunks...)
		assert.Equal(t, tc.kinds, kinds, tc.name)
		assert.Equal(t, tc.parts, parts, tc.name)
		assert.Equal(t, tc.rdbs, rdbs, tc.name)
	}
}

// Bytes it cannot place are bounded, then dropped with a note.
func TestDecoderBound(t *testing.T) {
	var d decoder
	big := "*2\r\n$3\r\nGET\r\n$" + "2000000\r\n" + strings.Repeat("x", maxPending)
	_, parts, _ := d.feed([]byte(big))
	assert.Equal(t, []string{"1048599 bytes not understood"}, parts)
	assert.Empty(t, d.pending)
	_, parts, _ = d.feed([]byte("*1\r\n$4\r\nPING\r\n"))
	assert.Equal(t, []string{"PING"}, parts, "a fresh start after the drop")
}
