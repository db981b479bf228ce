package main

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/png"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// chartRunArgs run the small scenario with attribution, small enough to
// be quick.
var chartRunArgs = []string{"run", "testdata/small.yaml", "--attribution", "--reps", "2", "--customers", "300", "--horizon", "20", "-q"}

// chartRunDir writes a result folder of chartRunArgs and returns it.
func chartRunDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, stderr := runCLI(t, append(slices.Clone(chartRunArgs), "--out", dir)...); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	return dir
}

// checkSVG makes sure data is well-formed XML with an <svg> root.
func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" || !bytes.Contains(data, []byte("<svg")) {
		t.Errorf("%s: root element %q, want svg", name, root)
	}
}

// checkPNG makes sure data decodes as a non-empty PNG image.
func checkPNG(t *testing.T, name string, data []byte) {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if format != "png" || img.Bounds().Dx() < 1000 || img.Bounds().Dy() < 500 {
		t.Errorf("%s: %s of %v; want a PNG at least 1000 × 500", name, format, img.Bounds())
	}
}

// readCharts returns the files of a charts folder by name.
func readCharts(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = data
	}
	return out
}

// Every kind of chart is drawn for a run with attribution, as valid SVG
// and PNG, into DIR/charts by default.
func TestChartRunFolder(t *testing.T) {
	dir := chartRunDir(t)
	code, stdout, stderr := runCLI(t, "chart", dir)
	if code != 0 {
		t.Fatalf("chart: exit %d: %s", code, stderr)
	}
	out := filepath.Join(dir, "charts")
	if !strings.Contains(stdout, "written to "+out) {
		t.Errorf("stdout does not say where the charts are: %q", stdout)
	}
	files := readCharts(t, out)
	for _, name := range []string{
		"outcome-revenue", "outcome-profit", "outcome-loyalty", "outcome-nps", "business-payback",
		"timeseries-revenue", "timeseries-loyalty", "timeseries-active",
		"funnel-multi", "funnel-omni", "channels-contacts", "channels-revenue",
		"attribution-multi", "attribution-omni",
	} {
		svg, png := files[name+".svg"], files[name+".png"]
		if svg == nil || png == nil {
			t.Errorf("%s: svg or png missing; have %v", name, slices.Sorted(maps.Keys(files)))
			continue
		}
		checkSVG(t, name+".svg", svg)
		checkPNG(t, name+".png", png)
		if !strings.Contains(stdout, name) {
			t.Errorf("stdout does not list %s", name)
		}
	}
	for _, name := range []string{"journeymap-multi", "journeymap-omni"} {
		if svg := files[name+".svg"]; svg == nil || files[name+".png"] != nil {
			t.Errorf("%s: want an SVG file alone", name)
		} else {
			checkSVG(t, name+".svg", svg)
		}
	}
	if len(files) != 30 {
		t.Errorf("%d files; want 14 charts × 2 formats and 2 journey maps", len(files))
	}
}

// The same folder gives the same SVG bytes, and run --charts, drawn from
// the run in memory, gives the same charts as chart on its folder.
func TestChartDeterministic(t *testing.T) {
	dir := chartRunDir(t)
	base := t.TempDir()
	a, b := filepath.Join(base, "a"), filepath.Join(base, "b")
	for _, out := range []string{a, b} {
		if code, _, stderr := runCLI(t, "chart", dir, "--out", out, "--format", "svg"); code != 0 {
			t.Fatalf("chart: exit %d: %s", code, stderr)
		}
	}
	fa, fb := readCharts(t, a), readCharts(t, b)
	if len(fa) != 16 {
		t.Errorf("%d SVG files; want 14 charts and 2 journey maps (and no PNG)", len(fa))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two drawings of the same folder", name)
		}
	}
	// The run again, charted as it runs, without --out.
	c := filepath.Join(base, "c")
	code, _, stderr := runCLI(t, append(slices.Clone(chartRunArgs), "--charts", c)...)
	if code != 0 {
		t.Fatalf("run --charts: exit %d: %s", code, stderr)
	}
	fc := readCharts(t, c)
	if len(fc) != 30 {
		t.Errorf("run --charts wrote %d files; want 30", len(fc))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fc[name]) {
			t.Errorf("%s from run --charts differs from chart on the run's folder", name)
		}
	}
}

// testChartExperiment is a small sweep: one numeric parameter on a grid,
// another in a list, two strategies.
const testChartExperiment = `name: chart-sweep
scenario: email-pressure
seed: 3
replications: 2
strategies: [email_1pw, email_7pw]
outcomes: [revenue, opt_out_rate]
design: {kind: grid}
parameters:
  population.size: {values: [200]}
  run.horizon: {values: [20]}
  strategies.email_7pw.caps.email.max: {values: [1, 4, 7]}
`

// A complete sweep folder gives one chart per outcome and varied numeric
// parameter.
func TestChartSweepFolder(t *testing.T) {
	exp := writeExperiment(t, testChartExperiment)
	dir := filepath.Join(t.TempDir(), "sweep")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "-q"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "charts")
	code, stdout, stderr := runCLI(t, "chart", dir, "--out", out)
	if code != 0 {
		t.Fatalf("chart: exit %d: %s", code, stderr)
	}
	files := readCharts(t, out)
	for _, name := range []string{"sweep-revenue-vs-strategies.email_7pw.caps.email.max", "sweep-opt_out_rate-vs-strategies.email_7pw.caps.email.max"} {
		if files[name+".svg"] == nil || files[name+".png"] == nil {
			t.Errorf("%s missing; have %v\n%s", name, slices.Sorted(maps.Keys(files)), stdout)
			continue
		}
		checkSVG(t, name+".svg", files[name+".svg"])
		checkPNG(t, name+".png", files[name+".png"])
	}
	if len(files) != 4 {
		t.Errorf("%d files; want 2 charts × 2 formats", len(files))
	}
}

// Bad input is a usage error (exit 2) that names the value and what is
// allowed, and writes nothing.
func TestChartUsageErrors(t *testing.T) {
	dir := chartRunDir(t)
	notResult := t.TempDir()
	if err := os.WriteFile(filepath.Join(notResult, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"not a result folder", []string{"chart", notResult}, []string{notResult, "not a result folder", "journeysim run --out"}},
		{"no such folder", []string{"chart", filepath.Join(notResult, "nosuch")}, []string{"nosuch", "no such folder"}},
		{"a file", []string{"chart", "testdata/small.yaml"}, []string{"testdata/small.yaml", "is a file"}},
		{"bad format", []string{"chart", dir, "--format", "jpg"}, []string{`--format "jpg"`, "allowed: svg, png"}},
		{"bad format in a list", []string{"chart", dir, "--format", "svg,pdf"}, []string{`--format "pdf"`, "allowed: svg, png"}},
		{"out holds other files", []string{"chart", dir, "--out", notResult}, []string{"--out " + notResult, "notes.txt", "not charts"}},
		{"out is the result folder", []string{"chart", dir, "--out", dir}, []string{"--out " + dir, "is a result or sweep folder", filepath.Join(dir, "charts")}},
		{"no folder", []string{"chart"}, []string{"takes 1 argument"}},
		{"run --charts same as --out", []string{"run", "testdata/small.yaml", "--out", filepath.Join(notResult, "x"), "--charts", filepath.Join(notResult, "x")}, []string{"--charts", "same folder as --out"}},
		{"run --charts holds other files", []string{"run", "testdata/small.yaml", "--charts", notResult}, []string{"--charts " + notResult, "not charts"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("wrote to stdout: %q", stdout)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("message %q does not contain %q", stderr, w)
				}
			}
		})
	}
	if entries, _ := os.ReadDir(notResult); len(entries) != 1 {
		t.Errorf("a refused command wrote into %s: %d entries", notResult, len(entries))
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
		t.Errorf("the result folder was damaged: %v", err)
	}
}
