package core

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/syncscope/syncscope/"

// allowed lists, for each core package, the core packages it may import:
// cstr is the leaf all may use, resp and rdb know only it, store knows no
// replication, repl no node.
var allowed = map[string][]string{
	"core":                 nil,
	"core/cstr":            nil,
	"core/resp":            {"core/cstr"},
	"core/rdb":             {"core/cstr"},
	"core/config":          {"core/cstr"},
	"core/store":           {"core/cstr", "core/rdb"},
	"core/command":         {"core/cstr", "core/resp", "core/store", "core/rdb"},
	"core/repl":            {"core/cstr", "core/resp", "core/rdb"},
	"core/node":            {"core/cstr", "core/resp", "core/rdb", "core/store", "core/command", "core/config", "core/repl"},
	"core/node/drivertest": {"core/resp"},
	"core/sim":             {"core/cstr", "core/resp", "core/rdb", "core/store", "core/command", "core/config", "core/repl", "core/node"},
}

// forbidden are imports that would let the deterministic core touch the world.
var forbidden = []string{"net", "os", "os/exec", "os/signal", "syscall", "syscall/js", "math/rand", "unsafe", "time/tzdata"}

// TestLayering enforces the core's import graph and determinism rules on its
// non-test files, in the spirit of go/build's deps_test.go.
func TestLayering(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "testdata") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Join("core", filepath.Dir(path)))
		if filepath.Dir(path) == "." {
			pkg = "core"
		}
		okCore, known := allowed[pkg]
		require.True(t, known, "%s: package %s is not in the layering table", path, pkg)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			require.False(t, slices.Contains(forbidden, p), "%s imports %s: the core does no I/O and has no global randomness", path, p)
			if dep, ok := strings.CutPrefix(p, module); ok {
				require.True(t, slices.Contains(okCore, dep), "%s (%s) may not import %s", path, pkg, dep)
			}
		}
		full, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(full, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s: go statement: the core starts no goroutines", fset.Position(n.Pos()))
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" && (n.Sel.Name == "Now" || n.Sel.Name == "Since" || n.Sel.Name == "Sleep" || n.Sel.Name == "After" || n.Sel.Name == "NewTimer" || n.Sel.Name == "NewTicker" || n.Sel.Name == "Tick" || n.Sel.Name == "AfterFunc" || n.Sel.Name == "Until") {
					t.Errorf("%s: time.%s: the core gets time from its driver", fset.Position(n.Pos()), n.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
}
