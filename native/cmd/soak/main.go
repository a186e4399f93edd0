// Command soak runs a master and two chained replicas (real syncscope-server
// processes) while redis-benchmark writes on the master and links are cut
// and restored, a replica is stopped and continued, and replicas are
// restarted; at the end it checks that the three datasets (DEBUG DIGEST) and
// replication offsets agree and that no acknowledged write was lost.
//
//	go run ./native/cmd/soak -server bin/syncscope-server -duration 3m
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/syncscope/syncscope/core/resp"
	"github.com/syncscope/syncscope/native/internal/proc"
)

func main() {
	server := flag.String("server", "bin/syncscope-server", "the syncscope-server binary")
	duration := flag.Duration("duration", 3*time.Minute, "how long to write and inject faults")
	every := flag.Duration("fault-every", 6*time.Second, "time between faults")
	keep := flag.Bool("keep", false, "keep the data directories and logs")
	flag.Parse()
	if err := run(*server, *duration, *every, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// node is one server of the chain.
type node struct {
	name, bin, dir, conf string
	port                 int
	p                    *proc.Process
}

func (n *node) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.port)) }

func (n *node) start() error {
	out, err := os.OpenFile(filepath.Join(n.dir, "stdout.log"), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	if n.p, err = proc.Start(n.bin, n.port, out, n.conf); err != nil {
		return err
	}
	return n.p.WaitPort(30 * time.Second)
}

func (n *node) log() string {
	b, _ := os.ReadFile(filepath.Join(n.dir, "server.log"))
	return string(b)
}

// do runs one command on a new connection.
func (n *node) do(args ...string) (resp.Value, error) {
	c, err := dial(n.addr())
	if err != nil {
		return resp.Value{}, err
	}
	defer c.close()
	return c.do(args...)
}

func (n *node) info(field string) (string, error) {
	v, err := n.do("INFO")
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(v.Str), "\r\n") {
		if k, val, ok := strings.Cut(line, ":"); ok && k == field {
			return val, nil
		}
	}
	return "", fmt.Errorf("%s: no %s in INFO", n.name, field)
}

func run(bin string, duration, every time.Duration, keep bool) error {
	if _, err := exec.LookPath("redis-benchmark"); err != nil {
		return errors.New("redis-benchmark is not installed (Debian: redis-tools)")
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	root, err := os.MkdirTemp("", "syncscope-soak-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("data and logs in", root)
	} else {
		defer os.RemoveAll(root)
	}
	var nodes [3]*node
	for i, name := range []string{"master", "replica1", "replica2"} {
		port, err := proc.FreePort()
		if err != nil {
			return err
		}
		n := &node{name: name, bin: bin, dir: filepath.Join(root, name), port: port}
		n.conf = filepath.Join(n.dir, "redis.conf")
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile server.log\nsave \"\"\nrepl-backlog-size 128mb\nenable-debug-command local\n", port, n.dir)
		if i > 0 {
			conf += fmt.Sprintf("replicaof 127.0.0.1 %d\n", nodes[i-1].port)
		}
		if err := os.MkdirAll(n.dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(n.conf, []byte(conf), 0o644); err != nil {
			return err
		}
		if err := n.start(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer func() { n.p.Signal(syscall.SIGCONT); n.p.Stop() }()
		nodes[i] = n
	}
	m, r1, r2 := nodes[0], nodes[1], nodes[2]
	for _, r := range []*node{r1, r2} {
		if err := waitFor(30*time.Second, func() bool { s, _ := r.info("master_link_status"); return s == "up" }); err != nil {
			return fmt.Errorf("%s never synced: %w", r.name, err)
		}
	}
	fmt.Printf("master %d <- replica1 %d <- replica2 %d; writing for %v, a fault every %v\n", m.port, r1.port, r2.port, duration, every)

	start := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup

	// redis-benchmark runs, one after another; only completed runs count.
	const perRun, tests = 100000, "set,incr,lpush,hset,sadd,zadd,mset"
	var benchOps atomic.Int64
	var benchErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			cmd := exec.Command("redis-benchmark", "-p", strconv.Itoa(m.port), "-q", "-c", "20", "-P", "8",
				"-n", strconv.Itoa(perRun), "-r", "100000", "-d", "64", "-t", tests)
			if out, err := cmd.CombinedOutput(); err != nil {
				benchErr = fmt.Errorf("redis-benchmark: %v\n%s", err, out)
				return
			}
			benchOps.Add(int64(perRun * len(strings.Split(tests, ","))))
		}
	}()

	// An acknowledged-writes log: every SADD that got its reply must be on
	// every node at the end.
	var acked atomic.Int64
	var ackErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := dial(m.addr())
		if err != nil {
			ackErr = err
			return
		}
		defer c.close()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			v, err := c.do("SADD", "soak:acked", strconv.Itoa(i))
			if err != nil || v.Kind != resp.Integer || v.Int != 1 {
				ackErr = fmt.Errorf("SADD %d: %v %v", i, v, err)
				return
			}
			acked.Store(int64(i))
		}
	}()

	// Faults, in turn.
	faults := []struct {
		name string
		do   func() error
	}{
		{"CLIENT KILL TYPE master on replica1", func() error { _, err := r1.do("CLIENT", "KILL", "TYPE", "master"); return err }},
		{"CLIENT KILL TYPE replica on master", func() error { _, err := m.do("CLIENT", "KILL", "TYPE", "replica"); return err }},
		{"SIGSTOP replica1 for 3s, then SIGCONT", func() error {
			if err := r1.p.Signal(syscall.SIGSTOP); err != nil {
				return err
			}
			time.Sleep(3 * time.Second)
			return r1.p.Signal(syscall.SIGCONT)
		}},
		{"CLIENT KILL TYPE master on replica2", func() error { _, err := r2.do("CLIENT", "KILL", "TYPE", "master"); return err }},
		{"restart replica2 (SHUTDOWN SAVE)", func() error { return restart(r2, false) }},
		{"CLIENT KILL TYPE replica on replica1", func() error { _, err := r1.do("CLIENT", "KILL", "TYPE", "replica"); return err }},
		{"restart replica1 (SHUTDOWN SAVE)", func() error { return restart(r1, false) }},
		{"kill -9 replica2 and restart", func() error { return restart(r2, true) }},
	}
	var faultErr error
	injected := 0
	for i := 0; time.Since(start) < duration; i++ {
		time.Sleep(min(every, max(0, duration-time.Since(start))))
		if time.Since(start) >= duration {
			break
		}
		f := faults[i%len(faults)]
		fmt.Printf("%6.1fs fault: %s\n", time.Since(start).Seconds(), f.name)
		if err := f.do(); err != nil {
			faultErr = fmt.Errorf("%s: %w", f.name, err)
			break
		}
		injected++
	}
	close(stop)
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range []error{faultErr, benchErr, ackErr} {
		if err != nil {
			return err
		}
	}

	// Converge: links up, offsets equal, digests equal.
	for _, r := range []*node{r1, r2} {
		if err := waitFor(60*time.Second, func() bool { s, _ := r.info("master_link_status"); return s == "up" }); err != nil {
			return fmt.Errorf("%s link not up at the end: %w", r.name, err)
		}
	}
	var offsets [3]string
	if err := waitFor(60*time.Second, func() bool {
		for i, n := range nodes {
			offsets[i], _ = n.info("master_repl_offset")
		}
		return offsets[0] != "" && offsets[0] == offsets[1] && offsets[1] == offsets[2]
	}); err != nil {
		return fmt.Errorf("offsets never agreed: %v", offsets)
	}
	var digests [3]string
	var lens [3]int64
	for i, n := range nodes {
		v, err := n.do("DEBUG", "DIGEST")
		if err != nil {
			return err
		}
		digests[i] = string(v.Str)
		if v, err = n.do("SCARD", "soak:acked"); err != nil {
			return err
		}
		lens[i] = v.Int
	}
	lost := int64(0)
	for _, l := range lens {
		lost = max(lost, acked.Load()-l)
	}
	full, partial := 0, 0
	for _, r := range []*node{r1, r2} {
		log := r.log()
		full += strings.Count(log, "MASTER <-> REPLICA sync: Finished with success")
		partial += strings.Count(log, "Successful partial resynchronization with master.")
	}
	keys, _ := m.info("db0")
	fmt.Printf("duration: %v\n", elapsed.Round(time.Second))
	fmt.Printf("operations: %d redis-benchmark requests (%s) + %d acknowledged SADDs\n", benchOps.Load(), tests, acked.Load())
	fmt.Printf("faults injected: %d\n", injected)
	fmt.Printf("resyncs: %d full, %d partial (replica logs; the two initial syncs are full)\n", full, partial)
	fmt.Printf("offsets: master %s, replica1 %s, replica2 %s\n", offsets[0], offsets[1], offsets[2])
	fmt.Printf("digests: %s %s %s\n", digests[0], digests[1], digests[2])
	fmt.Printf("dataset: %s\n", keys)
	fmt.Printf("writes lost: %d\n", lost)
	if digests[0] != digests[1] || digests[1] != digests[2] {
		return errors.New("the datasets differ")
	}
	if lost != 0 {
		return fmt.Errorf("%d acknowledged writes lost", lost)
	}
	fmt.Println("PASS")
	return nil
}

// restart stops r (SHUTDOWN SAVE, or kill -9) and starts it again with its
// dump: it continues by partial resync when its dump carries the history.
func restart(r *node, kill bool) error {
	if kill {
		r.p.Signal(syscall.SIGKILL)
	} else if _, err := r.do("SHUTDOWN", "SAVE"); err != nil && !isClosed(err) {
		return err
	}
	if _, err := r.p.Wait(30 * time.Second); err != nil {
		return err
	}
	return r.start()
}

func isClosed(err error) bool {
	return errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || strings.Contains(err.Error(), "EOF")
}

func waitFor(timeout time.Duration, ok func() bool) error {
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not after %v", timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// client is a minimal RESP client.
type client struct {
	conn net.Conn
	r    *bufio.Reader
}

func dial(addr string) (*client, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &client{conn: conn, r: bufio.NewReader(conn)}, nil
}

func (c *client) close() { c.conn.Close() }

func (c *client) do(args ...string) (resp.Value, error) {
	argv := make([][]byte, len(args))
	for i, a := range args {
		argv[i] = []byte(a)
	}
	c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(resp.AppendCommand(nil, argv...)); err != nil {
		return resp.Value{}, err
	}
	var pending []byte
	chunk := make([]byte, 64<<10)
	for {
		if len(pending) > 0 {
			v, n, err := resp.ReadValue(pending)
			if err != nil {
				return resp.Value{}, err
			}
			if n > 0 {
				if v.Kind == resp.Error {
					return v, fmt.Errorf("%s", v.Str)
				}
				return v, nil
			}
		}
		n, err := c.r.Read(chunk)
		pending = append(pending, chunk[:n]...)
		if err != nil {
			return resp.Value{}, err
		}
	}
}
