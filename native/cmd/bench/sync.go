package main

// Replication benchmarks, run after the throughput table: the time a fresh
// replica takes to full-sync a large dataset (syncscope->syncscope against
// redis-server->redis-server in the same run), and how far a replica lags
// behind its master under a redis-benchmark write load.

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/internal/proc"
)

var (
	syncKeys = flag.Int("sync-keys", 1000000, "keys in the full-sync benchmark's dataset (0 skips the replication benchmarks)")
	syncRuns = flag.Int("sync-runs", 3, "full syncs per pair and transfer (the median is reported)")
	lagN     = flag.Int("lag-n", 1000000, "SETs redis-benchmark sends in the replica-lag benchmark")
)

// syncTimeout bounds every wait: a full sync of a few million keys takes
// seconds.
const syncTimeout = 5 * time.Minute

// benchServer is one server process of the replication benchmarks.
type benchServer struct {
	p   *proc.Process
	dir string
	c   *conn
}

func (s *benchServer) stop() {
	if s.c != nil {
		s.c.Close()
	}
	s.p.Stop()
}

// startServer starts bin on a free port in a new dir under root, with dump
// (when not "") copied in as its dump.rdb.
func startServer(root, name, bin, dump string, args ...string) (*benchServer, error) {
	port, err := proc.FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp(root, name+"-")
	if err != nil {
		return nil, err
	}
	if dump != "" {
		if err := os.Link(dump, filepath.Join(dir, "dump.rdb")); err != nil {
			return nil, err
		}
	}
	args = append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--logfile", filepath.Join(dir, "server.log"), "--repl-diskless-sync-delay", "0"}, args...)
	p, err := proc.Start(bin, port, nil, args...)
	if err != nil {
		return nil, err
	}
	// Loading a large dump delays the listener of syncscope-server; redis
	// listens at once and answers -LOADING meanwhile.
	if err := p.WaitPort(syncTimeout); err != nil {
		p.Stop()
		return nil, err
	}
	s := &benchServer{p: p, dir: dir}
	if s.c, err = dial(port); err != nil {
		p.Stop()
		return nil, err
	}
	deadline := time.Now().Add(syncTimeout)
	for {
		v, err := s.c.Do("PING")
		if err != nil {
			s.stop()
			return nil, err
		}
		if v.Kind != resp.Error {
			return s, nil
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("%s still answers %q", name, v.Str)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runSync runs the replication benchmarks.
func runSync(server, redis string) error {
	if *syncKeys <= 0 {
		return nil
	}
	root, err := os.MkdirTemp("", "syncscope-bench-sync-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)

	fmt.Printf("\nfull sync of %d keys to a fresh replica, from REPLICAOF to master_link_status:up with every key loaded; median of %d\n\n",
		*syncKeys, *syncRuns)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "dataset\tRDB MB\ttransfer\tredis->redis\tsyncscope->syncscope\tratio\t")
	for _, set := range datasets(*syncKeys) {
		dump, err := makeDump(root, redis, set.script)
		if err != nil {
			return fmt.Errorf("dataset %s: %w", set.name, err)
		}
		st, err := os.Stat(dump)
		if err != nil {
			return err
		}
		for _, diskless := range []bool{false, true} {
			mode := "disk"
			if diskless {
				mode = "diskless"
			}
			var times [2]time.Duration
			for i, bin := range []string{redis, server} {
				if times[i], err = medianSync(root, bin, dump, diskless, *syncRuns); err != nil {
					return fmt.Errorf("%s, %s sync of %s: %w", bin, mode, set.name, err)
				}
			}
			fmt.Fprintf(w, "%s\t%.1f\t%s\t%.3fs\t%.3fs\t%.2fx\t\n", set.name, float64(st.Size())/1e6, mode,
				times[0].Seconds(), times[1].Seconds(), times[1].Seconds()/times[0].Seconds())
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return runLag(root, server, redis)
}

type dataset struct {
	name   string
	script [][]string // commands for redis-server that build it
}

// datasets are n keys of 32-byte strings (DEBUG POPULATE), and n keys of
// every type: a quarter strings, then hashes, lists, sets and sorted sets of
// 8 small elements each, built by a Lua loop.
func datasets(n int) []dataset {
	const lua = `local n = tonumber(ARGV[1])
for i = 1, n do
  local t = i % 5
  if t == 0 then redis.call('SET', 's:'..i, 'value:'..i)
  elseif t == 1 then redis.call('HSET', 'h:'..i, 'a', i, 'b', 'x'..i, 'c', 3, 'd', 4, 'e', 5, 'f', 6, 'g', 7, 'h', 8)
  elseif t == 2 then redis.call('RPUSH', 'l:'..i, i, 'b', 'c', 'd', 'e', 'f', 'g', 'h')
  elseif t == 3 then redis.call('SADD', 'S:'..i, i, 'b', 'c', 'd', 'e', 'f', 'g', 'h')
  else redis.call('ZADD', 'z:'..i, 1, i, 2, 'b', 3, 'c', 4, 'd', 5, 'e', 6, 'f', 7, 'g', 8, 'h') end
end
return n`
	return []dataset{
		{"strings", [][]string{{"DEBUG", "POPULATE", strconv.Itoa(n), "key", "32"}}},
		{"all types", [][]string{{"EVAL", lua, "0", strconv.Itoa(n)}}},
	}
}

// makeDump runs script on a fresh redis-server, saves, and returns the
// path of its dump.rdb: one dataset that both masters load at start.
func makeDump(root, redis string, script [][]string) (string, error) {
	gen, err := startServer(root, "gen", redis, "", "--enable-debug-command", "yes")
	if err != nil {
		return "", err
	}
	defer gen.stop()
	for _, cmd := range append(script, []string{"SAVE"}) {
		if _, err := gen.c.Expect(cmd...); err != nil {
			return "", err
		}
	}
	return filepath.Join(gen.dir, "dump.rdb"), nil
}

// medianSync syncs a fresh replica from a master loaded with dump runs
// times and returns the median duration.
func medianSync(root, bin, dump string, diskless bool, runs int) (time.Duration, error) {
	m, err := startServer(root, "master", bin, dump, "--repl-diskless-sync", yesNo(diskless))
	if err != nil {
		return 0, err
	}
	defer m.stop()
	keys, err := m.c.Expect("DBSIZE")
	if err != nil {
		return 0, err
	}
	var times []time.Duration
	for range max(runs, 1) {
		r, err := startServer(root, "replica", bin, "")
		if err != nil {
			return 0, err
		}
		d, err := timeSync(m, r, keys.Int)
		r.stop()
		if err != nil {
			return 0, err
		}
		times = append(times, d)
	}
	slices.Sort(times)
	return times[len(times)/2], nil
}

// timeSync makes r a replica of m and waits until its link is up with
// every key loaded.
func timeSync(m, r *benchServer, keys int64) (time.Duration, error) {
	start := time.Now()
	if _, err := r.c.Expect("REPLICAOF", "127.0.0.1", strconv.Itoa(m.p.Port)); err != nil {
		return 0, err
	}
	for {
		v, err := r.c.Do("INFO", "replication")
		if err != nil {
			return 0, err
		}
		if v.Kind != resp.Error && infoField(v.Str, "master_link_status") == "up" {
			n, err := r.c.Expect("DBSIZE")
			if err != nil {
				return 0, err
			}
			if n.Int == keys {
				return time.Since(start), nil
			}
		}
		if time.Since(start) > syncTimeout {
			return 0, errors.New("the replica did not finish its full sync")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// runLag measures how far a replica trails its master while redis-benchmark
// writes to the master, for each pair.
func runLag(root, server, redis string) error {
	fmt.Printf("\nreplica lag under redis-benchmark -t set -n %d -c 50 -P 16 -r 100000 -d 32 (master and replica offsets sampled every 10 ms)\n\n", *lagN)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "pair\tset rps\tstream MB\tbytes behind p50\tp99\tmax\ttime behind p50\tp99\tmax\tcatch-up after load\t")
	for _, pair := range []struct{ name, bin string }{{"redis->redis", redis}, {"syncscope->syncscope", server}} {
		res, err := measureLag(root, pair.bin)
		if err != nil {
			return fmt.Errorf("%s lag: %w", pair.name, err)
		}
		fmt.Fprintf(w, "%s\t%.0f\t%.1f\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t\n", pair.name, res.rps, float64(res.streamed)/1e6,
			res.bytes[0], res.bytes[1], res.bytes[2], ms(res.times[0]), ms(res.times[1]), ms(res.times[2]), ms(res.catchUp))
	}
	return w.Flush()
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

type lagResult struct {
	rps      float64
	streamed int64
	bytes    [3]int64         // p50, p99, max
	times    [3]time.Duration // p50, p99, max
	catchUp  time.Duration    // from the end of the load to equal offsets
}

type offsetSample struct {
	at  time.Time
	off int64
}

func measureLag(root, bin string) (lagResult, error) {
	var res lagResult
	m, err := startServer(root, "master", bin, "", "--repl-ping-replica-period", "1")
	if err != nil {
		return res, err
	}
	defer m.stop()
	r, err := startServer(root, "replica", bin, "", "--replicaof", "127.0.0.1", strconv.Itoa(m.p.Port))
	if err != nil {
		return res, err
	}
	defer r.stop()
	if _, err := timeSync(m, r, 0); err != nil {
		return res, err
	}
	startOff, err := offset(m.c)
	if err != nil {
		return res, err
	}

	cmd := exec.Command("redis-benchmark", "-q", "-p", strconv.Itoa(m.p.Port), "-t", "set", "-n", strconv.Itoa(*lagN),
		"-c", "50", "-P", "16", "-r", "100000", "-d", "32")
	outc := make(chan []byte, 1)
	errc := make(chan error, 1)
	go func() {
		out, err := cmd.Output()
		outc <- out
		errc <- err
	}()

	var masterSamples []offsetSample
	var lagBytes []int64
	var lagTimes []time.Duration
	var loadEnd time.Time
	var endOff int64
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(syncTimeout)
	for {
		mo, err := offset(m.c)
		if err != nil {
			return res, err
		}
		now := time.Now()
		masterSamples = append(masterSamples, offsetSample{now, mo})
		ro, err := offset(r.c)
		if err != nil {
			return res, err
		}
		rnow := time.Now()
		if loadEnd.IsZero() {
			lagBytes = append(lagBytes, max(mo-ro, 0))
			// Time behind: since the master first reported an offset past
			// the replica's.
			i, _ := slices.BinarySearchFunc(masterSamples, ro+1, func(s offsetSample, off int64) int {
				return int(min(max(s.off-off, -1), 1))
			})
			if i < len(masterSamples) {
				lagTimes = append(lagTimes, rnow.Sub(masterSamples[i].at))
			} else {
				lagTimes = append(lagTimes, 0)
			}
		}
		select {
		case out := <-outc:
			if err := <-errc; err != nil {
				return res, fmt.Errorf("redis-benchmark: %w", err)
			}
			res.rps = parseQuiet(out)["SET"]
			loadEnd = time.Now()
			if endOff, err = offset(m.c); err != nil {
				return res, err
			}
		default:
		}
		if !loadEnd.IsZero() && ro >= endOff {
			res.catchUp = max(rnow.Sub(loadEnd), 0) // 0: caught up before the load ended
			break
		}
		if now.After(deadline) {
			return res, errors.New("the replica did not catch up")
		}
		<-tick.C
	}
	res.streamed = endOff - startOff
	res.bytes = percentiles(lagBytes)
	res.times = percentiles(lagTimes)
	return res, nil
}

// percentiles returns p50, p99 and the maximum of xs.
func percentiles[T int64 | time.Duration](xs []T) [3]T {
	if len(xs) == 0 {
		return [3]T{}
	}
	slices.Sort(xs)
	at := func(p float64) T { return xs[min(int(p*float64(len(xs))), len(xs)-1)] }
	return [3]T{at(0.50), at(0.99), xs[len(xs)-1]}
}

// offset is INFO replication's master_repl_offset: on a replica, the
// offset it has processed.
func offset(c *conn) (int64, error) {
	v, err := c.Expect("INFO", "replication")
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(infoField(v.Str, "master_repl_offset"), 10, 64)
}

func infoField(text []byte, field string) string {
	for _, line := range strings.Split(string(text), "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// conn is a minimal RESP client.
type conn struct {
	net.Conn
	buf []byte
	out []byte
}

func dial(port int) (*conn, error) {
	c, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 10*time.Second)
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// Do sends one command and reads its reply.
func (c *conn) Do(args ...string) (resp.Value, error) {
	bargs := make([][]byte, len(args))
	for i, a := range args {
		bargs[i] = []byte(a)
	}
	c.out = resp.AppendCommand(c.out[:0], bargs...)
	c.SetDeadline(time.Now().Add(syncTimeout))
	if _, err := c.Write(c.out); err != nil {
		return resp.Value{}, err
	}
	for {
		if len(c.buf) > 0 {
			v, n, err := resp.ReadValue(c.buf)
			if err != nil {
				return resp.Value{}, err
			}
			if n > 0 {
				c.buf = c.buf[:copy(c.buf, c.buf[n:])]
				return v, nil
			}
		}
		if cap(c.buf)-len(c.buf) < 4096 {
			c.buf = slices.Grow(c.buf, 64<<10)
		}
		n, err := c.Read(c.buf[len(c.buf):cap(c.buf)])
		c.buf = c.buf[:len(c.buf)+n]
		if err != nil {
			return resp.Value{}, err
		}
	}
}

// Expect is Do with an error reply turned into an error.
func (c *conn) Expect(args ...string) (resp.Value, error) {
	v, err := c.Do(args...)
	if err == nil && v.Kind == resp.Error {
		err = fmt.Errorf("%s: %s", strings.Join(args, " "), v.Str)
	}
	return v, err
}
