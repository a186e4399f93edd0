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
	"core/hll":             nil,
	"core/geohash":         nil,
	"core/command":         {"core/cstr", "core/resp", "core/store", "core/rdb", "core/hll", "core/geohash"},
	"core/repl":            {"core/cstr", "core/resp", "core/rdb"},
	"core/script":          {"core/resp"},
	"core/script/lua":      {"core/cstr", "core/resp", "core/script"},
	"core/node":            {"core/cstr", "core/resp", "core/rdb", "core/store", "core/command", "core/config", "core/repl", "core/script"},
	"core/node/drivertest": {"core/resp"},
	"core/sim":             {"core/cstr", "core/resp", "core/rdb", "core/store", "core/command", "core/config", "core/repl", "core/script", "core/node"},
}

// forbidden are imports that would let the deterministic core touch the world.
var forbidden = []string{"net", "os", "os/exec", "os/signal", "syscall", "syscall/js", "math/rand", "unsafe", "time/tzdata"}

// packageVars are the package-level variables the core has, each a table
// or value set once at init and only read after (or a planted-bug switch
// the simbugs build sets at init): state shared by every node must not
// creep in. A new one fails TestLayering; make it a const, a field, or,
// when it truly is read-only, add it here. Sentinel errors (errors.New)
// and blank assertions (var _ I = ...) need no entry.
var packageVars = map[string][]string{
	"core/command": {"table", "sorted", "count", "redisTable", "CategoryNames", "metadata", "metadataBitmap", "metadataCluster", "metadataConnection", "metadataGeneric", "metadataGeo", "metadataHash", "metadataHyperloglog", "metadataList", "metadataPubsub", "metadataScripting", "metadataServer", "metadataSet", "metadataSortedSet", "metadataStream", "metadataString", "metadataTransactions", "keyspaceHandlers", "keysProcs", "nodeCommands", "FlagNames", "KeyFlagNames", "wordHSET", "wordABSTTL", "objectHelp", "xgroupHelp", "xinfoHelp", "wordLPOP", "wordRPOP", "wordLMOVE", "wordRPOPLPUSH", "wordSet", "wordPXAT", "wordKEEPTTL", "wordDEL", "wordPEXPIREAT", "wordPERSIST", "zero", "one"},
	"core/config":  {"defaultOBufLimits", "classNames", "notifyChars", "yesNoLocal", "shutdownOn", "params", "deprecated"},
	"core/node":    {"infoSections", "clientHelp", "configHelp", "pubsubHelp", "slowlogHelp", "latencyHelp", "levelRank", "plantedChainDropsPing", "aclCategoryNames", "aclCommands", "userFlagNames", "aclHelp", "memoryHelp", "noAsyncLoading"},
	"core/rdb":     {"crcTables", "qlOptimizationLevel", "kindNames", "typeNames"},
	"core/repl":    {"NoID", "linkStateNames", "plantedBacklogOffByOne", "plantedReplid2MixUp"},
	"core/sim":     {"padRoom", "noReplid", "edgeNames", "Epoch"},
	// dictSeed: one random hash seed per process, as Go's maps have; it
	// changes no result, only the layout of Dict's index.
	"core/store":      {"dictSeed", "typeNames", "MaxStreamID"},
	"core/geohash":    {"sinCoef", "cosCoef"}, // Taylor coefficients
	"core/script/lua": {"jsonTokenNames"},
}

// randConstructors are the math/rand/v2 names the core may use: a
// generator seeded from the driver's Env. The package-level functions
// (rand.IntN, rand.Float64...) draw from a global source no seed fixes.
var randConstructors = []string{"New", "NewPCG", "NewChaCha8", "NewZipf", "Rand", "Source", "PCG", "ChaCha8", "Zipf"}

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
		checkPackageVars(t, fset, pkg, full)
		randName := ""
		for _, imp := range full.Imports {
			if strings.Trim(imp.Path.Value, `"`) == "math/rand/v2" {
				randName = "rand"
				if imp.Name != nil {
					randName = imp.Name.Name
				}
			}
		}
		ast.Inspect(full, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GoStmt:
				t.Errorf("%s: go statement: the core starts no goroutines", fset.Position(n.Pos()))
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" && (n.Sel.Name == "Now" || n.Sel.Name == "Since" || n.Sel.Name == "Sleep" || n.Sel.Name == "After" || n.Sel.Name == "NewTimer" || n.Sel.Name == "NewTicker" || n.Sel.Name == "Tick" || n.Sel.Name == "AfterFunc" || n.Sel.Name == "Until") {
					t.Errorf("%s: time.%s: the core gets time from its driver", fset.Position(n.Pos()), n.Sel.Name)
				}
				if id, ok := n.X.(*ast.Ident); ok && randName != "" && id.Name == randName && !slices.Contains(randConstructors, n.Sel.Name) {
					t.Errorf("%s: %s.%s: the global source; draw from a *rand.Rand seeded from Env.Seed", fset.Position(n.Pos()), randName, n.Sel.Name)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
}

// checkPackageVars reports package-level variables not in packageVars.
func checkPackageVars(t *testing.T, fset *token.FileSet, pkg string, f *ast.File) {
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if name.Name == "_" || slices.Contains(packageVars[pkg], name.Name) {
					continue
				}
				if i < len(vs.Values) && isErrorsNew(vs.Values[i]) {
					continue
				}
				t.Errorf("%s: package-level variable %s: the core keeps no state outside its values (see packageVars)", fset.Position(name.Pos()), name.Name)
			}
		}
	}
}

func isErrorsNew(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "errors" && sel.Sel.Name == "New"
}
