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
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/syncscope/syncscope/native/internal/proc"
)

func main() {
	server := flag.String("server", "bin/syncscope-server", "the syncscope-server binary")
	redis := flag.String("redis", "redis-server", "the redis-server binary")
	requests := flag.Int("n", 200000, "requests per test at pipeline 1 (a pipelined test sends pipeline/2 times as many, so that it runs about as long)")
	clients := flag.Int("c", 50, "parallel clients")
	tests := flag.String("t", "set,get,lpush,evalsha,xadd", "redis-benchmark tests (evalsha: a counter with an expire, see counterScript; xadd: see xaddArgs)")
	pipelines := flag.String("P", "1,16", "pipeline depths, comma-separated")
	rounds := flag.Int("rounds", 7, "runs of each test on each server, alternating (medians are reported)")
	flag.Parse()
	if err := run(*server, *redis, *requests, *clients, *tests, *pipelines, max(*rounds, 1)); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	// Replication (sync.go): full sync and replica lag.
	if err := runSync(*server, *redis); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(server, redis string, requests, clients int, tests, pipelines string, rounds int) error {
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

	fmt.Printf("redis-benchmark -q -t <test> -n %d (x pipeline/2 when pipelined) -c %d -P <pipeline>, %d rounds alternating redis-server (pid %d, port %d) and syncscope-server (pid %d, port %d);\nmedian rps of each, the median of the rounds' ratios, and each round's ratio (syncscope/redis)\n\n",
		requests, clients, rounds, rs.Pid(), rs.Port, ss.Pid(), ss.Port)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "test\tpipeline\tredis rps\tsyncscope rps\tratio\trounds\t")
	for _, p := range strings.Split(pipelines, ",") {
		for _, t := range strings.Split(tests, ",") {
			// Alternate the servers test by test so that load from other
			// processes falls on both alike.
			n := requests
			if depth, err := strconv.Atoi(p); err == nil && depth > 1 {
				n = requests * depth / 2
			}
			var redisRPS, scopeRPS, ratios []float64
			var each []string
			for round := range rounds {
				// Who goes first alternates too, so neither always runs
				// on a machine warmed (or loaded) by the other.
				var r, s float64
				var err error
				for i := range 2 {
					if (i+round)%2 == 0 {
						if r, err = benchmark(rs.Port, t, n, clients, p); err != nil {
							return fmt.Errorf("redis-server: %w", err)
						}
					} else if s, err = benchmark(ss.Port, t, n, clients, p); err != nil {
						return fmt.Errorf("syncscope-server: %w", err)
					}
				}
				redisRPS, scopeRPS = append(redisRPS, r), append(scopeRPS, s)
				if r > 0 {
					ratios = append(ratios, s/r)
				}
				each = append(each, ratio(s, r))
			}
			fmt.Fprintf(w, "%s\t%s\t%.0f\t%.0f\t%.2fx\t%s\t\n", strings.ToUpper(t), p, median(redisRPS), median(scopeRPS), median(ratios), strings.Join(each, " "))
		}
	}
	return w.Flush()
}

func ratio(s, r float64) string {
	if r <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", s/r)
}

func median(xs []float64) float64 {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	if len(ys) == 0 {
		return 0
	}
	if len(ys)%2 == 1 {
		return ys[len(ys)/2]
	}
	return (ys[len(ys)/2-1] + ys[len(ys)/2]) / 2
}

// counterScript is the evalsha test's script: the rate limiter's counter
// that applications run, an INCR and an EXPIRE in one script.
const counterScript = "local n = redis.call('incr', KEYS[1]) redis.call('expire', KEYS[1], 60) return n"

// xaddArgs is the xadd test's command: a job queue's producer, appending
// to one stream kept near 100000 entries by approximate trimming.
var xaddArgs = []string{"XADD", "bench:jobs", "MAXLEN", "~", "100000", "*", "job", "payload"}

// benchmark runs one redis-benchmark -q test ("set", "get", "lpush",
// "evalsha": EVALSHA of counterScript on 100000 random keys, the script
// loaded first, or "xadd": xaddArgs) and returns its requests per second.
func benchmark(port int, test string, requests, clients int, pipeline string) (float64, error) {
	args := []string{"-q", "-p", strconv.Itoa(port), "-n", strconv.Itoa(requests), "-c", strconv.Itoa(clients), "-P", pipeline}
	if test == "evalsha" {
		sha, err := exec.Command("redis-cli", "-p", strconv.Itoa(port), "SCRIPT", "LOAD", counterScript).Output()
		if err != nil {
			return 0, fmt.Errorf("redis-cli SCRIPT LOAD: %w", err)
		}
		args = append(args, "-r", "100000", "evalsha", strings.TrimSpace(string(sha)), "1", "counter:__rand_int__")
	} else if test == "xadd" {
		args = append(args, xaddArgs...)
	} else {
		args = append(args, "-t", test)
	}
	cmd := exec.Command("redis-benchmark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("redis-benchmark: %w: %s", err, stderr.String())
	}
	rps, ok := parseQuiet(out)[strings.ToUpper(test)]
	if !ok {
		return 0, fmt.Errorf("redis-benchmark -t %s printed no result: %q", test, out)
	}
	return rps, nil
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
			rps[strings.ToUpper(strings.Fields(name)[0])] = v // a custom command prints as sent
		}
	}
	return rps
}
