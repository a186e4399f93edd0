package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// Mutant is one single-site change of a source file.
type Mutant struct {
	ID   string // file:func#k:change, stable while the function keeps its shape
	File string // path as given
	Func string
	Line int
	Desc string // what changed, e.g. ">= -> >"
	Src  []byte // the whole mutated file
	Diff string // the changed lines, before and after

	// For the schemata build (schemata.go): the statement the change is
	// in, as byte offsets of the original file, and its mutated text.
	// Inline is false when the statement cannot be wrapped in an if
	// (it declares names for the statements after it).
	Start, End int
	Stmt       string
	Inline     bool
}

// skipFuncs render text (INFO, ROLE, names, logs) or parse arguments: a
// mutant there changes what a user reads, which the simulator does not
// judge.
var skipFuncs = map[string]bool{
	"infoReplication": true, "cmdRole": true, "String": true, "Name": true, "hostOf": true,
	"parsePort": true, "boolInt": true, "logf": true, "Format": true,
}

// quiet calls are logs and text formatting: never mutated inside, never
// dropped (dropping one changes only a log).
func quiet(call *ast.CallExpr) bool {
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok && (x.Name == "fmt" || x.Name == "strconv" || x.Name == "errors") {
			return true
		}
		return f.Sel.Name == "log" || f.Sel.Name == "logf" || f.Sel.Name == "Error" || f.Sel.Name == "tracef"
	case *ast.Ident:
		return f.Name == "logf" || f.Name == "panic"
	}
	return false
}

// site is one place a mutation applies: apply changes the AST, undo
// restores it.
type site struct {
	fn          string
	pos         token.Pos
	desc        string
	apply, undo func()
	encl        ast.Stmt // the innermost statement of a statement list holding the change
	drop        bool     // the change removes encl
}

// Generate parses src (file name path) and returns its mutants: comparison
// boundaries and negations, ±1 on integer constants in offset arithmetic,
// swapped replication IDs and offsets (ID/ID2, Offset/Offset2), dropped
// statements that call, append or count, and inverted if conditions.
func Generate(path string, src []byte) ([]Mutant, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	orig, err := render(fset, f)
	if err != nil {
		return nil, err
	}
	var sites []site
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || skipFuncs[fd.Name.Name] {
			continue
		}
		name := fd.Name.Name
		if fd.Recv != nil && len(fd.Recv.List) > 0 {
			name = recvName(fd.Recv.List[0].Type) + "." + name
		}
		sites = append(sites, funcSites(name, fd.Body)...)
	}
	var out []Mutant
	count := map[string]int{}
	for _, s := range sites {
		count[s.fn]++
		s.apply()
		mut, err := render(fset, f)
		var stmt bytes.Buffer
		if err == nil && !s.drop {
			err = format.Node(&stmt, fset, s.encl)
		}
		s.undo()
		if err != nil || bytes.Equal(mut, orig) {
			continue
		}
		out = append(out, Mutant{
			ID:   fmt.Sprintf("%s:%s#%d:%s", path, s.fn, count[s.fn], s.desc),
			File: path, Func: s.fn, Line: fset.Position(s.pos).Line, Desc: s.desc,
			Src: mut, Diff: lineDiff(orig, mut),
			Start: fset.Position(s.encl.Pos()).Offset, End: fset.Position(s.encl.End()).Offset,
			Stmt: stmt.String(), Inline: wrappable(s.encl),
		})
	}
	return out, nil
}

func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		return recvName(t.X)
	}
	return "?"
}

func render(fset *token.FileSet, f *ast.File) ([]byte, error) {
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// boundary maps a comparison to the one that differs at the boundary, and
// negate to its negation.
var (
	boundary = map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	negate   = map[token.Token]token.Token{token.EQL: token.NEQ, token.NEQ: token.EQL}
	swapSel  = map[string]string{"ID": "ID2", "ID2": "ID", "Offset": "Offset2", "Offset2": "Offset"}
)

// wrappable: st can move into an if's block without hiding a name the
// statements after it use.
func wrappable(st ast.Stmt) bool {
	switch s := st.(type) {
	case *ast.AssignStmt:
		return s.Tok != token.DEFINE
	case *ast.DeclStmt, *ast.LabeledStmt:
		return false
	}
	return true
}

// funcSites walks one function body in source order.
func funcSites(fn string, body *ast.BlockStmt) []site {
	// The statements of statement lists, and the walk's path to the node.
	listed := map[ast.Node]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BlockStmt:
			for _, st := range x.List {
				switch st.(type) {
				case *ast.CaseClause, *ast.CommClause: // a switch's body
				default:
					listed[st] = true
				}
			}
		case *ast.CaseClause:
			for _, st := range x.Body {
				listed[st] = true
			}
		case *ast.CommClause:
			for _, st := range x.Body {
				listed[st] = true
			}
		}
		return true
	})
	// Names a planted bug's switch reads (plantedX && ping): what is
	// computed only for it is not the code under test either.
	plantedOnly := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if x, ok := n.(*ast.IfStmt); ok && mentionsPlanted(x.Cond) {
			ast.Inspect(x.Cond, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok && !strings.HasPrefix(id.Name, "planted") {
					plantedOnly[id.Name] = true
				}
				return true
			})
		}
		return true
	})
	var path []ast.Node
	var sites []site
	enclosing := func() ast.Stmt {
		for i := len(path) - 1; i >= 0; i-- {
			if listed[path[i]] {
				return path[i].(ast.Stmt)
			}
		}
		return nil
	}
	add := func(pos token.Pos, desc string, apply, undo func()) {
		if e := enclosing(); e != nil {
			sites = append(sites, site{fn: fn, pos: pos, desc: desc, apply: apply, undo: undo, encl: e})
		}
	}
	var visit func(n ast.Node) bool
	walk := func(n ast.Node) bool {
		if n == nil {
			path = path[:len(path)-1]
			return true
		}
		path = append(path, n)
		if !visit(n) {
			path = path[:len(path)-1]
			return false
		}
		return true
	}
	visit = func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			if quiet(x) {
				return false
			}
		case *ast.BlockStmt:
			for i, st := range x.List {
				if droppable(st) {
					list, i, st := x.List, i, st
					sites = append(sites, site{fn: fn, pos: st.Pos(), desc: "drop " + stmtLine(st), encl: st, drop: true,
						apply: func() { x.List = append(append([]ast.Stmt{}, list[:i]...), list[i+1:]...) },
						undo:  func() { x.List = list }})
				}
			}
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				if id, ok := l.(*ast.Ident); ok && plantedOnly[id.Name] {
					return false
				}
			}
		case *ast.IfStmt:
			if mentionsPlanted(x.Cond) || allQuiet(x.Body.List) && quietElse(x.Else) {
				return false
			}
			cond := x.Cond
			add(cond.Pos(), "if !(...)", func() {
				x.Cond = &ast.UnaryExpr{Op: token.NOT, X: &ast.ParenExpr{X: cond}}
			}, func() { x.Cond = cond })
		case *ast.BinaryExpr:
			op := x.Op
			if to, ok := boundary[op]; ok {
				add(x.OpPos, op.String()+" -> "+to.String(), func() { x.Op = to }, func() { x.Op = op })
			}
			if to, ok := negate[op]; ok && !isNil(x.X) && !isNil(x.Y) && !isString(x.X) && !isString(x.Y) {
				add(x.OpPos, op.String()+" -> "+to.String(), func() { x.Op = to }, func() { x.Op = op })
			}
			if op == token.ADD || op == token.SUB {
				for _, side := range []*ast.Expr{&x.X, &x.Y} {
					lit, ok := (*side).(*ast.BasicLit)
					if !ok || lit.Kind != token.INT {
						continue
					}
					v, err := strconv.ParseInt(lit.Value, 0, 64)
					if err != nil {
						continue
					}
					for _, d := range []int64{1, -1} {
						old, nv := lit.Value, strconv.FormatInt(v+d, 10)
						add(lit.Pos(), fmt.Sprintf("%s -> %s", old, nv), func() { lit.Value = nv }, func() { lit.Value = old })
					}
				}
			}
		case *ast.SelectorExpr:
			if to, ok := swapSel[x.Sel.Name]; ok {
				sel := x.Sel
				add(sel.Pos(), "."+sel.Name+" -> ."+to, func() { x.Sel = ast.NewIdent(to) }, func() { x.Sel = sel })
			}
		}
		return true
	}
	ast.Inspect(body, walk)
	return sites
}

// quietElse: no else, or one that only logs.
func quietElse(e ast.Stmt) bool {
	switch x := e.(type) {
	case nil:
		return true
	case *ast.BlockStmt:
		return allQuiet(x.List)
	case *ast.IfStmt:
		return allQuiet(x.Body.List) && quietElse(x.Else)
	}
	return false
}

// allQuiet: the statements only log (an if around them decides a log).
func allQuiet(list []ast.Stmt) bool {
	for _, st := range list {
		if !quietStmt(st) {
			return false
		}
	}
	return len(list) > 0
}

// quietStmt: a log call, or an append of a log line (logs = append(logs,
// logf(...))).
func quietStmt(st ast.Stmt) bool {
	switch s := st.(type) {
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		return ok && quiet(call)
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 {
			return false
		}
		call, ok := s.Rhs[0].(*ast.CallExpr)
		if !ok {
			return false
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "append" && len(call.Args) == 2 {
			arg, ok := call.Args[1].(*ast.CallExpr)
			return ok && quiet(arg)
		}
	}
	return false
}

// droppable: a statement that forwards or accounts something: a call
// (not a log), an append, a += / -=, an increment.
func droppable(st ast.Stmt) bool {
	if quietStmt(st) {
		return false
	}
	switch s := st.(type) {
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		return ok && !quiet(call)
	case *ast.IncDecStmt:
		return true
	case *ast.AssignStmt:
		if s.Tok == token.ADD_ASSIGN || s.Tok == token.SUB_ASSIGN {
			return true
		}
		if s.Tok == token.ASSIGN && len(s.Rhs) == 1 {
			if call, ok := s.Rhs[0].(*ast.CallExpr); ok {
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "append" {
					return true
				}
			}
		}
	}
	return false
}

// mentionsPlanted: a planted bug's switch (planted.go), which is not the
// code under test.
func mentionsPlanted(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && strings.HasPrefix(id.Name, "planted") {
			found = true
		}
		return !found
	})
	return found
}

func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

func isString(e ast.Expr) bool {
	lit, ok := e.(*ast.BasicLit)
	return ok && lit.Kind == token.STRING
}

// stmtLine renders a statement's first line for a description.
func stmtLine(st ast.Stmt) string {
	var b bytes.Buffer
	if err := format.Node(&b, token.NewFileSet(), st); err != nil {
		return "statement"
	}
	s, _, _ := strings.Cut(b.String(), "\n")
	return strings.Join(strings.Fields(s), " ")
}

// lineDiff shows the lines that differ between a and b (one hunk: a
// mutant changes one place).
func lineDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	i := 0
	for i < len(la) && i < len(lb) && la[i] == lb[i] {
		i++
	}
	ja, jb := len(la), len(lb)
	for ja > i && jb > i && la[ja-1] == lb[jb-1] {
		ja--
		jb--
	}
	var d strings.Builder
	fmt.Fprintf(&d, "@@ line %d @@\n", i+1)
	for _, l := range la[i:ja] {
		d.WriteString("-" + l + "\n")
	}
	for _, l := range lb[i:jb] {
		d.WriteString("+" + l + "\n")
	}
	return d.String()
}
