// Command mutants is mutation testing for the simulator: it generates
// one-site mutants of the replication rules (core/repl and the replication
// files of core/node), builds each with go test -overlay (the tree is never
// touched), runs the simulator's default seeds against it with a time
// limit, and reports the mutants that survive with their diff. A survivor
// must be killed by a better scenario or invariant, or explained as
// equivalent in core/sim/testdata/equivalent-mutants.txt ("<id> :: <reason>"
// per line); the command fails on an unexplained survivor or a kill rate
// of the non-equivalent mutants under -min.
//
//	go run ./native/cmd/mutants              # make mutants
//	go run ./native/cmd/mutants -list        # the mutants, without running them
//	go run ./native/cmd/mutants -only Covers # those whose id contains Covers
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// defaultFiles are the replication rules, "glob[:func|func...]": the
// backlog, the history and the PSYNC rule, the stream encoding, the
// replica link's PSYNC, continuation and offset accounting, the PSYNC
// replies, and in the node's replication files the PSYNC server, the
// stream's feeding and forwarding, promotion and the history kept in the
// RDB (replication.go, master.go, replica.go). What only logs, renders INFO or parses the handshake is left out:
// the simulator does not judge text.
var defaultFiles = strings.Join([]string{
	"core/repl/backlog.go",
	"core/repl/history.go:NewHistory|ContinueFor|Shift|Restart",
	"core/repl/stream.go",
	"core/repl/link.go:sendPsync|psyncReply|parseFullResync|continued|consume|Processed|Ack|Offset",
	"core/repl/replica.go:ParsePsync|AppendContinue|AppendFullResync",
	"core/node/replication.go:" + nodeFuncs,
	"core/node/master.go:" + nodeFuncs,
	"core/node/replica.go:" + nodeFuncs,
}, ",")

// nodeFuncs are the node's replication rules, wherever the split of its
// replication files puts them.
const nodeFuncs = "cmdSync|feedRaw|feedStream|applyMasterStream|restoreReplFromRDB|replInfoForRDB|promote|ensureBacklog"

func main() {
	files := flag.String("files", defaultFiles, "comma-separated files (globs) to mutate, each with :func|func... to mutate only those functions")
	pkg := flag.String("pkg", "./core/sim", "the package whose tests judge a mutant")
	run := flag.String("run", "^TestSeeds$", "the tests that judge a mutant (go test -run)")
	limit := flag.Duration("timeout", 0, "CPU time limit of one mutant's run, over which it counts as killed (it hangs the simulator); 0: three times the unmutated run's, at least 10s")
	jobs := flag.Int("jobs", runtime.NumCPU(), "mutants built and run at once")
	equivFile := flag.String("equivalent", "core/sim/testdata/equivalent-mutants.txt", "survivors explained as equivalent")
	only := flag.String("only", "", "only the mutants whose id contains this")
	list := flag.Bool("list", false, "list the mutants and exit")
	minRate := flag.Float64("min", 0.95, "the least share of viable mutants to kill")
	flag.Parse()

	muts, err := generateAll(*files, *only)
	if err != nil {
		fail(err)
	}
	if *list {
		for _, m := range muts {
			fmt.Printf("%s\n%s", m.ID, m.Diff)
		}
		fmt.Printf("%d mutants\n", len(muts))
		return
	}
	tmp, err := os.MkdirTemp("", "mutants-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)

	// The unmutated tree must pass, or every mutant would look killed; its
	// time sets the limit.
	// Interrupted, the builds and runs under way stop too.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	base := judge(ctx, tmp, -1, Mutant{}, *pkg, *run, 10*time.Minute)
	if base.status != "survived" {
		fail(fmt.Errorf("the unmutated tree does not pass go test %s -run '%s': %s %s", *pkg, *run, base.status, base.why))
	}
	if *limit == 0 {
		*limit = max(10*time.Second, 3*base.cpu)
	}
	fmt.Printf("unmutated: built and passed in %s (run %s)\n", base.took.Round(100*time.Millisecond), base.ran.Round(100*time.Millisecond))
	start := time.Now()
	fmt.Printf("mutants: %d of %s, judged by go test %s -run '%s' (limit %s of CPU each, %d at once)\n", len(muts), *files, *pkg, *run, *limit, *jobs)
	bin, inSchemata := buildSchemata(ctx, tmp, muts, *pkg)
	fmt.Printf("schemata: one build holding %d of the mutants (%s); the others are built alone\n", len(inSchemata), time.Since(start).Round(time.Second))
	results := make([]result, len(muts))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range max(*jobs, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					continue
				}
				one := func(limit time.Duration) result {
					if inSchemata[i] {
						return runTests(ctx, bin, i+1, *pkg, *run, limit)
					}
					return judge(ctx, tmp, i, muts[i], *pkg, *run, limit)
				}
				r := one(*limit)
				mu.Lock()
				results[i] = r
				done++
				fmt.Printf("[%3d/%d %s] %-9s %s (%s)\n", done, len(muts), time.Since(start).Round(time.Second), r.status, muts[i].ID, r.took.Round(100*time.Millisecond))
				mu.Unlock()
			}
		}()
	}
	for i := range muts {
		next <- i
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		os.RemoveAll(tmp)
		fail(errors.New("interrupted"))
	}
	// Read last, so that it can be written while the mutants run.
	equiv, err := readEquivalent(*equivFile)
	if err != nil {
		fail(err)
	}
	os.Exit(report(muts, results, equiv, *minRate, time.Since(start)))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "mutants:", err)
	os.Exit(2)
}

// generateAll expands the globs and generates every file's mutants.
func generateAll(globs, only string) ([]Mutant, error) {
	var out []Mutant
	for _, g := range strings.Split(globs, ",") {
		g, funcs, _ := strings.Cut(strings.TrimSpace(g), ":")
		var keep *regexp.Regexp
		if funcs != "" {
			var err error
			if keep, err = regexp.Compile("^(" + funcs + ")$"); err != nil {
				return nil, err
			}
		}
		paths, err := filepath.Glob(g)
		if err != nil {
			return nil, err
		}
		if len(paths) == 0 {
			return nil, fmt.Errorf("no file matches %s", g)
		}
		for _, p := range paths {
			if strings.HasSuffix(p, "_test.go") {
				continue
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return nil, err
			}
			ms, err := Generate(p, src)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			for _, m := range ms {
				_, fn, _ := strings.Cut(m.Func, ".")
				if fn == "" {
					fn = m.Func
				}
				if strings.Contains(m.ID, only) && (keep == nil || keep.MatchString(fn)) {
					out = append(out, m)
				}
			}
		}
	}
	return out, nil
}

type result struct {
	status string // killed, survived, timeout (killed), unviable (does not build)
	why    string // the first failure line, or the build error
	took   time.Duration
	ran    time.Duration // the run alone, without the build
	cpu    time.Duration // its CPU time
}

// judge builds mutant m alone as a test binary through an overlay (the
// unmutated tree when m.File is "") and runs it.
func judge(parent context.Context, tmp string, i int, m Mutant, pkg, run string, limit time.Duration) result {
	start := time.Now()
	dir := filepath.Join(tmp, fmt.Sprint(i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return result{status: "unviable", why: err.Error()}
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "sim.test")
	args := []string{"test", "-c", "-vet=off", "-o", bin}
	if m.File != "" {
		abs, err := filepath.Abs(m.File)
		if err != nil {
			return result{status: "unviable", why: err.Error()}
		}
		ov, err := writeOverlay(dir, map[string][]byte{abs: m.Src})
		if err != nil {
			return result{status: "unviable", why: err.Error()}
		}
		args = append(args, "-overlay", ov)
	}
	build := exec.CommandContext(parent, "go", append(args, pkg)...)
	if out, err := build.CombinedOutput(); err != nil {
		return result{status: "unviable", why: firstLine(string(out)), took: time.Since(start)}
	}
	r := runTests(parent, bin, 0, pkg, run, limit)
	r.took = time.Since(start)
	return r
}

// runTests runs a test binary with mutant k switched on (0: none). The
// limit is on CPU time (ulimit -t), so that a machine busy with other work
// does not pass for a hung mutant; the wall clock only gets a far bound.
func runTests(parent context.Context, bin string, k int, pkg, run string, limit time.Duration) result {
	ctx, cancel := context.WithTimeout(parent, 30*limit)
	defer cancel()
	secs := max(int(limit/time.Second), 1)
	cmd := exec.CommandContext(ctx, "sh", "-c", fmt.Sprintf(`ulimit -t %d && exec "$0" "$@"`, secs),
		bin, "-test.run", run, "-test.failfast", "-test.count=1")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", mutantEnv, k))
	// As go test runs it: in the package's directory (its testdata).
	if p, err := filepath.Abs(strings.TrimPrefix(pkg, "./")); err == nil {
		cmd.Dir = p
	}
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := result{took: time.Since(start), ran: time.Since(start)}
	if ps := cmd.ProcessState; ps != nil {
		r.cpu = ps.UserTime() + ps.SystemTime()
	}
	switch {
	case parent.Err() != nil:
		r.status = "interrupted"
	case ctx.Err() != nil || err != nil && r.cpu >= time.Duration(secs)*time.Second-time.Second:
		r.status, r.why = "timeout", "over "+limit.String()+" of CPU"
	case err != nil:
		r.status, r.why = "killed", failure(string(out))
	default:
		r.status = "survived"
	}
	return r
}

// buildSchemata builds one test binary holding every inline mutant
// (schemata.go); the mutants it had to leave out (their statement does not
// compile where it stands) are judged alone. It returns the binary ("" when
// the schemata do not build at all) and which mutants it holds.
func buildSchemata(ctx context.Context, tmp string, muts []Mutant, pkg string) (string, map[int]bool) {
	on := map[int]bool{}
	for i, m := range muts {
		if m.Inline {
			on[i] = true
		}
	}
	dir := filepath.Join(tmp, "schemata")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", nil
	}
	bin := filepath.Join(dir, "sim.test")
	for range 30 {
		files, owners, err := schemata(muts, on)
		if err != nil {
			fmt.Printf("schemata: %v; every mutant is built alone\n", err)
			return "", nil
		}
		ov, err := writeOverlay(dir, files)
		if err != nil {
			fmt.Printf("schemata: %v; every mutant is built alone\n", err)
			return "", nil
		}
		// -e: every error at once, so one round drops every mutant in error.
		build := exec.CommandContext(ctx, "go", "test", "-c", "-vet=off", "-gcflags=github.com/syncscope/syncscope/...=-e", "-overlay", ov, "-o", bin, pkg)
		out, err := build.CombinedOutput()
		if err == nil {
			return bin, on
		}
		bad, ok := blame(out, owners)
		if !ok {
			fmt.Printf("schemata do not build: %s; every mutant is built alone\n", firstLine(string(out)))
			return "", nil
		}
		for _, i := range bad {
			delete(on, i)
		}
	}
	return "", nil
}

// failure picks the line that says why the tests failed.
func failure(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "failed:") || strings.Contains(l, "panic:") || strings.Contains(l, "Error") {
			return strings.TrimSpace(l)
		}
	}
	return firstLine(out)
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return strings.TrimSpace(s)
}

// readEquivalent reads "<id> :: <reason>" lines; '#' starts a comment line.
func readEquivalent(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " :: ")
		out[strings.TrimSpace(id)] = strings.TrimSpace(reason)
	}
	return out, sc.Err()
}

// report prints the summary and the survivors; its result is the exit code.
func report(muts []Mutant, rs []result, equiv map[string]string, minRate float64, took time.Duration) int {
	var killed, survived, unviable, explained, equivalent int
	var open []int
	for i, r := range rs {
		switch r.status {
		case "killed", "timeout":
			killed++
		case "unviable":
			unviable++
		case "survived":
			survived++
			why, ok := equiv[muts[i].ID]
			switch {
			case !ok:
				open = append(open, i)
			case isEquivalent(why):
				equivalent++
				explained++
			default:
				explained++
			}
		}
	}
	viable := killed + survived
	fmt.Printf("\n== %d mutants: %d viable (%d do not build), %d killed, %d survived (%d explained: %d equivalent, %d not reached) in %s\n",
		len(muts), viable, unviable, killed, survived, explained, equivalent, explained-equivalent, took.Round(time.Second))
	// The mutation score leaves out the equivalent mutants: no test can
	// kill a mutant that cannot change behaviour. Not-reached ones count
	// against it.
	rate, raw := 1.0, 1.0
	if viable > equivalent {
		rate = float64(killed) / float64(viable-equivalent)
	}
	if viable > 0 {
		raw = float64(killed) / float64(viable)
	}
	fmt.Printf("kill rate %.1f%% of the %d non-equivalent mutants (%.1f%% of all viable; at least %.0f%% required)\n",
		100*rate, viable-equivalent, 100*raw, 100*minRate)
	var surv []int
	for i, r := range rs {
		if r.status == "survived" {
			surv = append(surv, i)
		}
	}
	sort.Ints(surv)
	for _, i := range surv {
		why, ok := equiv[muts[i].ID]
		if !ok {
			why = "NOT EXPLAINED: kill it with a scenario or invariant, or explain it in the equivalent-mutants file"
		}
		fmt.Printf("\nsurvivor %s\n  %s\n%s", muts[i].ID, why, indent(muts[i].Diff))
	}
	// Explanations for mutants that are no longer generated or now die.
	for i, m := range muts {
		if _, ok := equiv[m.ID]; ok && rs[i].status != "survived" {
			fmt.Printf("\nnote: %s is listed as equivalent but was %s\n", m.ID, rs[i].status)
		}
	}
	if len(open) > 0 || rate < minRate {
		return 1
	}
	return 0
}

// isEquivalent tells an explanation of a mutant that cannot change
// behaviour ("Equivalent...") from one the simulator does not reach yet.
func isEquivalent(why string) bool { return strings.HasPrefix(why, "Equivalent") }

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}
