package repl

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzLink feeds arbitrary master bytes to a link that has just sent PING:
// it must never panic, never buffer more than its bounds, and give the same
// actions however the bytes are chunked.
func FuzzLink(f *testing.F) {
	for _, name := range []string{"disk-full.bin", "diskless-full.bin", "continue.bin", "nomasterlink.bin"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(f, err)
		f.Add(uint8(1), b, uint8(7))
	}
	f.Add(uint8(0), []byte(fullSyncEOF("REDIS0010\xff", "*1\r\n$4\r\nPING\r\n")), uint8(3))
	f.Add(uint8(2), []byte("+PONG\r\n+OK\r\n+OK\r\n+FULLRESYNC "+idA.String()+" 5\r\n$100000\r\nREDIS"), uint8(200))

	f.Fuzz(func(t *testing.T, mode uint8, data []byte, step uint8) {
		cfg := LinkConfig{ListeningPort: 6378, MaxBulk: 1 << 12}
		if mode&2 != 0 {
			cfg.MasterAuth, cfg.AnnounceIP = "pw", "10.0.0.1"
		}
		var cached *History
		if mode&1 != 0 {
			cached = &History{ID: idA, Offset: 41}
		}
		start := func() *Link {
			l := NewLink(master, cfg, cached)
			l.Tick(t0)
			l.Dialed(t0, "")
			return l
		}

		whole := start()
		want := normalize(run(whole, t0, data))
		checkBounds(t, whole, cfg)

		l := start()
		var got []Action
		n := int(step%64) + 1
		for i := 0; i < len(data); i += n {
			got = append(got, run(l, t0, data[i:min(i+n, len(data))])...)
			checkBounds(t, l, cfg)
		}
		require.Equal(t, want, normalize(got))
		for _, a := range got {
			if fs, ok := a.(ActFullSync); ok {
				require.LessOrEqual(t, int64(len(fs.RDB)), cfg.MaxBulk)
			}
		}

		// Whatever state it is in, the other inputs are safe too.
		l.Tick(t0.Add(time.Duration(mode) * time.Second))
		l.Closed(t0, "")
		l.Loaded(t0, false, "x")
		l.Processed(int64(step))
		require.NotPanics(t, func() { _ = l.State.Role() })
	})
}

func checkBounds(t *testing.T, l *Link, cfg LinkConfig) {
	require.Less(t, len(l.in), headerLineMax)
	require.LessOrEqual(t, int64(len(l.rdb)), cfg.MaxBulk+eofMarkLen)
	require.Empty(t, l.pending, "run loads synchronously")
}

// FuzzParsePsync checks that an accepted offset is exactly the canonical
// text of a 64-bit integer, as Redis's string2ll accepts.
func FuzzParsePsync(f *testing.F) {
	for _, s := range []string{"-1", "0", "72", "01", "-0", "+5", "9223372036854775807", "9223372036854775808", " 1", ""} {
		f.Add("?", s)
	}
	f.Fuzz(func(t *testing.T, id, off string) {
		gotID, got, err := ParsePsync([][]byte{[]byte("PSYNC"), []byte(id), []byte(off)})
		if err != nil {
			require.ErrorIs(t, err, ErrPsyncOffset)
			_, perr := strconv.ParseInt(off, 10, 64)
			if perr == nil {
				require.NotEqual(t, strconv.FormatInt(must(strconv.ParseInt(off, 10, 64)), 10), off,
					"a canonical integer must be accepted")
			}
			return
		}
		require.Equal(t, id, gotID)
		require.Equal(t, off, strconv.FormatInt(got, 10))
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
