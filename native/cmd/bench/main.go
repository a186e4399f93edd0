// Command bench runs redis-benchmark against redis-server and
// syncscope-server side by side, on free ports in one run, and prints the
// requests per second of each and their ratio.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncscope/syncscope/native/internal/proc"
)

func main() {
	server := flag.String("server", "bin/syncscope-server", "the syncscope-server binary")
	redis := flag.String("redis", "redis-server", "the redis-server binary")
	requests := flag.Int("n", 200000, "requests per test")
	clients := flag.Int("c", 50, "parallel clients")
	tests := flag.String("t", "set,get,lpush", "redis-benchmark tests")
	pipelines := flag.String("P", "1,16", "pipeline depths, comma-separated")
	flag.Parse()
	if err := run(*server, *redis, *requests, *clients, *tests, *pipelines); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	// Replication (sync.go): full sync and replica lag.
	if err := runSync(*server, *redis); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(server, redis string, requests, clients int, tests, pipelines string) error {
	dir, err := os.MkdirTemp("", "syncscope-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start := func(name, bin string) (*proc.Process, error) {
		port, err := proc.FreePort()
		if err != nil {
			return nil, err
		}
		sub := dir + "/" + name
		if err := os.Mkdir(sub, 0o755); err != nil {
			return nil, err
		}
		p, err := proc.Start(bin, port, nil, "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
			"--save", "", "--appendonly", "no", "--dir", sub, "--logfile", sub+"/server.log")
		if err != nil {
			return nil, err
		}
		if err := p.WaitPort(10 * time.Second); err != nil {
			p.Stop()
			return nil, err
		}
		return p, nil
	}
	rs, err := start("redis", redis)
	if err != nil {
		return err
	}
	defer rs.Stop()
	ss, err := start("syncscope", server)
	if err != nil {
		return err
	}
	defer ss.Stop()

	fmt.Printf("redis-benchmark -q -t %s -n %d -c %d -P <pipeline>; redis-server pid %d port %d, syncscope-server pid %d port %d\n\n",
		tests, requests, clients, rs.Pid(), rs.Port, ss.Pid(), ss.Port)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "test\tpipeline\tredis rps\tsyncscope rps\tratio\t")
	for _, p := range strings.Split(pipelines, ",") {
		redisRPS, err := benchmark(rs.Port, tests, requests, clients, p)
		if err != nil {
			return fmt.Errorf("redis-server: %w", err)
		}
		scopeRPS, err := benchmark(ss.Port, tests, requests, clients, p)
		if err != nil {
			return fmt.Errorf("syncscope-server: %w", err)
		}
		for _, t := range strings.Split(tests, ",") {
			name := strings.ToUpper(t)
			r, s := redisRPS[name], scopeRPS[name]
			ratio := "-"
			if r > 0 {
				ratio = fmt.Sprintf("%.2fx", s/r)
			}
			fmt.Fprintf(w, "%s\t%s\t%.0f\t%.0f\t%s\t\n", name, p, r, s, ratio)
		}
	}
	return w.Flush()
}

// benchmark runs redis-benchmark -q and returns requests per second by
// test name ("SET", "GET", "LPUSH").
func benchmark(port int, tests string, requests, clients int, pipeline string) (map[string]float64, error) {
	cmd := exec.Command("redis-benchmark", "-q", "-p", strconv.Itoa(port), "-t", tests,
		"-n", strconv.Itoa(requests), "-c", strconv.Itoa(clients), "-P", pipeline)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("redis-benchmark: %w: %s", err, stderr.String())
	}
	return parseQuiet(out), nil
}

// parseQuiet reads redis-benchmark -q's final lines, e.g.
// "SET: 151515.16 requests per second, p50=0.167 msec" (progress lines end
// in \r and are overwritten).
func parseQuiet(out []byte) map[string]float64 {
	rps := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.LastIndexByte(line, '\r'); i >= 0 {
			line = line[i+1:]
		}
		name, rest, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		num, _, ok := strings.Cut(strings.TrimSpace(rest), " requests per second")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(num, 64); err == nil {
			rps[strings.Fields(name)[0]] = v
		}
	}
	return rps
}
