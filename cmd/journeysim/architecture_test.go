package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// module is the import path of the repository's module.
const module = "github.com/journeysim/journeysim"

// importRule says whether the package pkg (a path in the repository, such
// as "results/report") may import the project package dep, and if not,
// why not. These are the one-way imports of the architecture (README's
// "How it works"): the engine depends on nothing of ours; the input side
// (scenarios) and the output side (results) each build on the engine and
// never on each other; plugins build on the engine only; only the command
// line ties everything together.
func importRule(pkg, dep string) (ok bool, why string) {
	switch top := strings.SplitN(pkg, "/", 2)[0]; top {
	case "sim":
		if pkg == "sim" {
			return false, "sim, the engine, imports no package of the project"
		}
		return under(dep, "sim") && dep != "sim", "a subpackage of sim imports only other subpackages of sim"
	case "scenarios":
		return !under(dep, "results") && !under(dep, "cmd"), "scenarios (input) never imports results (output) or cmd; hand what both need over as values or functions, or join them in cmd"
	case "results":
		return !under(dep, "scenarios") && !under(dep, "cmd"), "results (output) never imports scenarios (input) or cmd; hand what both need over as values or functions, or join them in cmd"
	case "plugins":
		return under(dep, "sim") || under(dep, "plugins"), "plugins imports only sim and its own subpackages"
	case "cmd":
		return true, ""
	}
	return false, "the package is outside the architecture's folders (cmd, sim, scenarios, plugins, results)"
}

// under reports whether the repository path p is dir or inside it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// listedPackage is what go list -json says of a package, as far as the
// import rules go.
type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// listPackages lists every package of the module with go list.
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goTool, "list", "-json", module+"/...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; want the whole module", len(pkgs))
	}
	return pkgs
}

// The packages keep to the one-way imports of the architecture. The rules
// bind what a package imports, which is what every program built on it
// links; its tests may reach across (a test of the report loads a real
// scenario to have something to report on).
func TestImportsRunOneWay(t *testing.T) {
	checked := 0
	for _, p := range listPackages(t) {
		pkg := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		for _, imp := range p.Imports {
			dep, ours := strings.CutPrefix(imp, module+"/")
			if !ours {
				continue
			}
			checked++
			if ok, why := importRule(pkg, dep); !ok {
				t.Errorf("%s imports %s: %s", pkg, dep, why)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no import of a project package was checked")
	}
}

// The rules themselves: each allows what the architecture allows and
// refuses what it refuses, so that a mistake in importRule cannot pass
// everything.
func TestImportRule(t *testing.T) {
	tests := []struct {
		pkg, dep string
		ok       bool
	}{
		{"sim", "sim/text", false},
		{"sim/text", "sim", false},
		{"sim/text", "results", false},
		{"scenarios", "sim", true},
		{"scenarios", "sim/text", true},
		{"scenarios/explain", "scenarios", true},
		{"scenarios/experiment", "results/sweep", false},
		{"scenarios", "results", false},
		{"results", "sim", true},
		{"results/report", "results/sweep", true},
		{"results/report", "scenarios", false},
		{"results/report", "scenarios/explain", false},
		{"results/sweep", "cmd/journeysim", false},
		{"plugins", "sim", true},
		{"plugins/contactcentre", "plugins", true},
		{"plugins", "results", false},
		{"plugins", "scenarios", false},
		{"cmd/journeysim", "scenarios/explain", true},
		{"cmd/journeysim", "results/report", true},
		{"tools", "sim", false},
	}
	for _, tt := range tests {
		if ok, why := importRule(tt.pkg, tt.dep); ok != tt.ok {
			t.Errorf("importRule(%s, %s) = %v (%s); want %v", tt.pkg, tt.dep, ok, why, tt.ok)
		}
	}
}

// README's table of packages says what each imports of ours, and it says
// the truth: every package but the test fixtures, the generated protocol
// and the example plugins has a row, and each row lists exactly the
// project packages the package imports.
func TestReadmePackageTable(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{} // package: the imports its row lists
	for _, line := range strings.Split(string(readme), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 5 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		pkg := strings.Trim(strings.TrimSpace(cells[1]), "`")
		var deps []string
		switch listed := strings.TrimSpace(cells[3]); listed {
		case "none":
		case "everything":
			pkg = "!" + pkg // not compared
		default:
			for _, d := range strings.Split(listed, ",") {
				deps = append(deps, strings.Trim(strings.TrimSpace(d), "`"))
			}
		}
		rows[pkg] = deps
	}
	if len(rows) < 10 {
		t.Fatalf("found %d rows in README's package table; is the table still there?", len(rows))
	}
	for _, p := range listPackages(t) {
		pkg := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if strings.Contains(pkg, "/internal/") || under(pkg, "plugins/proto") || (under(pkg, "plugins") && pkg != "plugins") {
			continue
		}
		want, ok := rows[pkg]
		if !ok {
			if _, ok := rows["!"+pkg]; !ok {
				t.Errorf("README's package table has no row for %s", pkg)
			}
			continue
		}
		var got []string
		for _, imp := range p.Imports {
			if dep, ours := strings.CutPrefix(imp, module+"/"); ours {
				got = append(got, dep)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("README says %s imports %v; it imports %v", pkg, want, got)
		}
	}
}
