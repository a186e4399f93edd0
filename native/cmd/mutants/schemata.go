package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Mutant schemata: rather than one build per mutant, every mutant of a
// file goes into one source, each behind a switch read from the
// environment at start,
//
//	if zzMutantOn(17) { <the mutated statement> } else { <the original> }
//
// so one test binary judges them all (SYNCSCOPE_MUTANT=17 turns on the
// 17th). The sources only ever exist in the overlay of that build: the
// tree, and core/'s rule of no global state, are untouched.

// mutantEnv names the variable that selects the mutant (1-based index).
const mutantEnv = "SYNCSCOPE_MUTANT"

// rangeNode is a statement holding mutants, with the statements inside it
// that hold others.
type rangeNode struct {
	start, end int
	muts       []int
	kids       []*rangeNode
}

// schemata returns the overlay (original path -> source) embedding the
// mutants of muts whose index is in on, and, per file, which output line
// belongs to which mutant (for compiler errors).
func schemata(muts []Mutant, on map[int]bool) (map[string][]byte, map[string]map[int]int, error) {
	byFile := map[string][]int{}
	for i := range muts {
		if on[i] {
			byFile[muts[i].File] = append(byFile[muts[i].File], i)
		}
	}
	out := map[string][]byte{}
	owners := map[string]map[int]int{}
	pkgDirs := map[string]string{}
	for file, idx := range byFile {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, nil, err
		}
		abs, err := filepath.Abs(file)
		if err != nil {
			return nil, nil, err
		}
		e := &emitter{owner: map[int]int{}, line: 1}
		e.emit(src, 0, len(src), tree(muts, idx), muts)
		out[abs] = []byte(e.b.String())
		owners[abs] = e.owner
		pkg := packageName(src)
		if pkg == "" {
			return nil, nil, fmt.Errorf("%s: no package clause", file)
		}
		pkgDirs[filepath.Dir(abs)] = pkg
	}
	for dir, pkg := range pkgDirs {
		out[filepath.Join(dir, "zz_mutant_switch.go")] = []byte(fmt.Sprintf(`package %s

import (
	"os"
	"strconv"
)

var zzMutant, _ = strconv.Atoi(os.Getenv(%q))

func zzMutantOn(k int) bool { return zzMutant == k }
`, pkg, mutantEnv))
	}
	return out, owners, nil
}

var packageClause = regexp.MustCompile(`(?m)^package (\w+)`)

func packageName(src []byte) string {
	m := packageClause.FindSubmatch(src)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// tree nests the statements holding mutants idx (statements nest or are
// disjoint).
func tree(muts []Mutant, idx []int) []*rangeNode {
	byRange := map[[2]int]*rangeNode{}
	var nodes []*rangeNode
	for _, i := range idx {
		k := [2]int{muts[i].Start, muts[i].End}
		n := byRange[k]
		if n == nil {
			n = &rangeNode{start: k[0], end: k[1]}
			byRange[k] = n
			nodes = append(nodes, n)
		}
		n.muts = append(n.muts, i)
	}
	sort.Slice(nodes, func(a, b int) bool {
		if nodes[a].start != nodes[b].start {
			return nodes[a].start < nodes[b].start
		}
		return nodes[a].end > nodes[b].end
	})
	var roots, stack []*rangeNode
	for _, n := range nodes {
		for len(stack) > 0 && !(n.start >= stack[len(stack)-1].start && n.end <= stack[len(stack)-1].end) {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, n)
		} else {
			top := stack[len(stack)-1]
			top.kids = append(top.kids, n)
		}
		stack = append(stack, n)
	}
	return roots
}

// emitter writes the schemata source, counting lines.
type emitter struct {
	b     strings.Builder
	line  int
	owner map[int]int // output line -> mutant index
}

func (e *emitter) write(s string) {
	e.b.WriteString(s)
	e.line += strings.Count(s, "\n")
}

// emit writes src[lo:hi] with the statements of nodes wrapped.
func (e *emitter) emit(src []byte, lo, hi int, nodes []*rangeNode, muts []Mutant) {
	pos := lo
	for _, n := range nodes {
		e.write(string(src[pos:n.start]))
		for j, i := range n.muts {
			if j > 0 {
				e.write(" else ")
			}
			e.write("if zzMutantOn(" + strconv.Itoa(i+1) + ") {\n")
			from := e.line
			e.write(muts[i].Stmt)
			for l := from; l <= e.line; l++ {
				e.owner[l] = i
			}
			e.write("\n}")
		}
		e.write(" else {\n")
		e.emit(src, n.start, n.end, n.kids, muts)
		e.write("\n}")
		pos = n.end
	}
	e.write(string(src[pos:hi]))
}

var compileError = regexp.MustCompile(`(?m)^(?:\./)?([^\s:]+\.go):(\d+):\d+: `)

// blame maps a failed build's output to the mutants whose lines it names;
// ok is false when an error is on no mutant's line.
func blame(out []byte, owners map[string]map[int]int) (bad []int, ok bool) {
	ok = true
	for _, m := range compileError.FindAllSubmatch(out, -1) {
		file, line := string(m[1]), 0
		line, _ = strconv.Atoi(string(m[2]))
		found := false
		for abs, own := range owners {
			if strings.HasSuffix(abs, string(filepath.Separator)+filepath.Base(file)) && (filepath.IsAbs(file) && abs == file || !filepath.IsAbs(file)) {
				if i, hit := own[line]; hit {
					bad = append(bad, i)
					found = true
				}
			}
		}
		if !found {
			ok = false
		}
	}
	return bad, ok && len(bad) > 0
}

// writeOverlay writes the sources into dir and the overlay file naming
// them; it returns the overlay file's path.
func writeOverlay(dir string, files map[string][]byte) (string, error) {
	repl := map[string]string{}
	n := 0
	for abs, src := range files {
		n++
		p := filepath.Join(dir, fmt.Sprintf("%d-%s", n, filepath.Base(abs)))
		if err := os.WriteFile(p, src, 0o644); err != nil {
			return "", err
		}
		repl[abs] = p
	}
	var b bytes.Buffer
	b.WriteString(`{"Replace":{`)
	first := true
	keys := make([]string, 0, len(repl))
	for k := range repl {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "%q:%q", k, repl[k])
	}
	b.WriteString("}}")
	p := filepath.Join(dir, "overlay.json")
	return p, os.WriteFile(p, b.Bytes(), 0o644)
}
