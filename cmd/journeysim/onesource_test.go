package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// helperHomes names, for each small helper that is easy to copy, the one
// package folder (from the repository root) that may declare a function of
// that name. Names compare case-insensitively, methods included.
var helperHomes = map[string]string{
	"plural":       "sim/text",
	"plurals":      "sim/text",
	"pluralword":   "sim/text",
	"pluralverb":   "sim/text",
	"editdistance": "sim/text",
	"levenshtein":  "sim/text",
	"didyoumean":   "sim/text",
	"suggest":      "sim/text",
	"listtext":     "sim/text",
	"capitalize":   "sim/text",
	"counttext":    "sim/text",
	"mix":          "sim",
	"splitmix":     "sim",
	"splitmix64":   "sim",
	"shellquote":   "scenarios/experiment",
}

// Each helper is declared in its home only, and only sim/paths.go lists
// the attribution models: a second copy, free to drift from the first,
// fails here. Only non-test files count, so a test or a benchmark may keep
// a copy of its own (scenarios/handwritten_bench_test.go has a mixer to
// stay a self-contained hand-written loop).
func TestOneSourcePerConcept(t *testing.T) {
	root := filepath.Join("..", "..")
	homed := map[string]bool{} // helper names declared in their home
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != root && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if rel != "sim/paths.go" {
			if named := modelsNamed(f); len(named) > 2 {
				t.Errorf("%s names attribution models %v in its own words: take them from sim.AttributionModels", rel, named)
			}
		}
		if rel != "results/metrics.go" {
			if named := stringsNamed(f, conditionalMetrics); len(named) > 0 {
				t.Errorf("%s names the metrics %v, which only some runs have: ask results.Unavailable instead of deciding here", rel, named)
			}
		}
		for _, name := range funcNames(f) {
			home, ok := helperHomes[strings.ToLower(name)]
			if !ok {
				continue
			}
			if path.Dir(rel) == home {
				homed[strings.ToLower(name)] = true
				continue
			}
			t.Errorf("%s declares %s, whose one home is %s: call it from there", rel, name, home)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"plural", "editdistance", "didyoumean", "mix", "shellquote"} {
		if !homed[name] {
			t.Errorf("no function %s found in %s; is the walk reading the repository?", name, helperHomes[name])
		}
	}
}

// conditionalMetrics are the metrics only some runs have; which ones is
// results.Unavailable's to say (results/metrics.go), so no other file
// names them.
var conditionalMetrics = []string{"share_of_wallet", "lever_cost", "romi"}

// stringsNamed returns those of words that f holds as string literals.
func stringsNamed(f *ast.File, words []string) []string {
	var named []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if v, err := strconv.Unquote(lit.Value); err == nil && slices.Contains(words, v) && !slices.Contains(named, v) {
				named = append(named, v)
			}
		}
		return true
	})
	return named
}

// modelsNamed returns the keys of the attribution models whose key, label
// or legend f holds as a string literal. Two can be computations looked up
// by key (results works out Markov and Shapley credits so); three or more
// are a list of models, which only sim.AttributionModels may be.
func modelsNamed(f *ast.File) []string {
	byName := map[string]string{}
	for _, m := range sim.AttributionModels {
		byName[m.Key], byName[m.Label], byName[m.Legend] = m.Key, m.Key, m.Key
	}
	var named []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		if v, err := strconv.Unquote(lit.Value); err == nil {
			if key, ok := byName[v]; ok && !slices.Contains(named, key) {
				named = append(named, key)
			}
		}
		return true
	})
	return named
}

// funcNames returns the names of f's functions and methods, and of its
// package-level variables that hold a function literal.
func funcNames(f *ast.File) []string {
	var names []string
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			names = append(names, d.Name.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				for i, v := range vs.Values {
					if _, ok := v.(*ast.FuncLit); ok && i < len(vs.Names) {
						names = append(names, vs.Names[i].Name)
					}
				}
			}
		}
	}
	return names
}
