//go:build !js

package command

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/syncscope/syncscope/core/store"
)

// TestListQuicklistDumpWithRedis runs random pushes at both ends, inserts,
// LSETs, LREMs, LTRIMs and pops on lists of many KB, here and on
// redis-server, under several list-max-listpack-size settings, and requires
// byte-identical DUMP payloads after every step: the node boundaries of our
// lists must be those of Redis's quicklist for the same history.
func TestListQuicklistDumpWithRedis(t *testing.T) {
	real := startRealRedis(t, "")
	// With rdbcompression on (the default), a node Redis keeps LZF-compressed
	// (list-compress-depth) is saved with the same bytes as one it keeps
	// plain, so the depth must not change the payload.
	for _, tc := range []struct{ fill, depth int }{{-2, 0}, {-1, 0}, {-5, 0}, {-9, 0}, {0, 0}, {1, 0}, {7, 0}, {100, 0}, {-2, 1}, {5, 2}} {
		fill := tc.fill
		t.Run("fill="+strconv.Itoa(fill)+",depth="+strconv.Itoa(tc.depth), func(t *testing.T) {
			h := newHarness(t)
			h.st.Limits.ListMaxListpackSize = fill
			require.Equal(t, "+OK\r\n", real.doLine(t, "CONFIG SET list-max-listpack-size "+strconv.Itoa(fill)))
			require.Equal(t, "+OK\r\n", real.doLine(t, "CONFIG SET list-compress-depth "+strconv.Itoa(tc.depth)))
			real.doLine(t, "DEL l l2")
			r := rand.New(rand.NewPCG(uint64(fill+10), 42))
			mult := 1 // 64 KB nodes need longer elements to fill several
			if fill <= -4 {
				mult = 6
			}
			elem := func() string {
				switch r.IntN(5) {
				case 0:
					return strconv.Itoa(r.IntN(100000) - 50000)
				case 1:
					return strings.Repeat(string(rune('a'+r.IntN(26))), mult*(200+r.IntN(700)))
				default:
					return strings.Repeat(string(rune('a'+r.IntN(26))), mult*(1+r.IntN(120)))
				}
			}
			length := 0
			for step := range 300 {
				var argv []string
				switch op := r.IntN(20); {
				case op < 5 || length < 20:
					argv = []string{"LPUSH", "l"}
					for range 1 + r.IntN(8) {
						argv = append(argv, elem())
					}
				case op < 8:
					argv = []string{"RPUSH", "l"}
					for range 1 + r.IntN(8) {
						argv = append(argv, elem())
					}
				case op < 12:
					pivot := strings.TrimSuffix(real.doLine(t, "LINDEX l "+strconv.Itoa(r.IntN(length))), "\r\n")
					pivot = pivot[strings.IndexByte(pivot, '\n')+1:]
					argv = []string{"LINSERT", "l", []string{"BEFORE", "AFTER"}[r.IntN(2)], pivot, elem()}
				case op < 14:
					argv = []string{"LSET", "l", strconv.Itoa(r.IntN(2*length) - length), elem()}
				case op < 15:
					pivot := strings.TrimSuffix(real.doLine(t, "LINDEX l "+strconv.Itoa(r.IntN(length))), "\r\n")
					argv = []string{"LREM", "l", strconv.Itoa(r.IntN(5) - 2), pivot[strings.IndexByte(pivot, '\n')+1:]}
				case op < 16:
					argv = []string{"LTRIM", "l", strconv.Itoa(r.IntN(8)), strconv.Itoa(-1 - r.IntN(8))}
				case op < 18:
					argv = []string{"LPOP", "l", strconv.Itoa(1 + r.IntN(10))}
				default:
					argv = []string{"RPOP", "l", strconv.Itoa(1 + r.IntN(10))}
				}
				args := make([][]byte, len(argv))
				for i, a := range argv {
					args[i] = []byte(a)
				}
				require.Equal(t, real.Do(t, args...), h.DoBytes(args), "step %d: %.60q", step, argv)
				require.Equal(t, real.doLine(t, "DUMP l"), h.Do("DUMP", "l"), "DUMP after step %d: %.60q", step, argv)
				n, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(h.Do("LLEN", "l"), ":")))
				require.NoError(t, err)
				length = n
			}
			nodes := 0
			h.st.DBs[0].Peek([]byte("l")).(*store.List).EachNode(func(int) { nodes++ })
			require.Greater(t, nodes, 3, "the list spans several nodes")
			// A payload of Redis's, restored here, keeps its nodes.
			payload := real.Do(t, []byte("DUMP"), []byte("l"))
			raw := []byte(payload[strings.IndexByte(payload, '\n')+1 : len(payload)-2])
			require.Equal(t, "+OK\r\n", h.DoBytes([][]byte{[]byte("RESTORE"), []byte("l2"), []byte("0"), raw}))
			require.Equal(t, payload, h.Do("DUMP", "l2"), "DUMP of a restored list")
		})
	}
}
