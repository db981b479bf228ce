package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
)

func TestExplainGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"explain_hotel_stay_text", []string{"explain", "hotel-stay"}},
		{"explain_retail_mermaid", []string{"explain", "retail-omnichannel", "--format", "mermaid"}},
		{"explain_retail_dot", []string{"explain", "retail-omnichannel", "--format", "dot"}},
		{"explain_bad_format", []string{"explain", "hotel-stay", "--format", "png"}},
		{"explain_no_scenario", []string{"explain"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			golden(t, tc.name, transcript(code, stdout, stderr))
		})
	}
}

// TestExplainUsageErrors: a bad format or scenario is a usage error (exit
// 2) that names the value and what is allowed, with nothing on stdout.
func TestExplainUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"explain", "hotel-stay", "--format", "png"}, []string{`--format "png"`, "text, mermaid, dot, svg"}},
		{[]string{"explain", "hotel-stai", "--format", "dot"}, []string{`"hotel-stai"`, "hotel-stay", "retail-omnichannel"}},
		{[]string{"explain", "testdata/nosuch.yaml"}, []string{"testdata/nosuch.yaml", "no such file"}},
		{[]string{"explain", "testdata/bad/expression_syntax.yaml"}, []string{"testdata/bad/expression_syntax.yaml:"}},
		{[]string{"explain", "a", "b"}, []string{"takes 1 argument"}},
	}
	for _, tc := range cases {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		if stdout != "" {
			t.Errorf("%v: wrote to stdout: %q", tc.args, stdout)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: the message does not say %q: %q", tc.args, w, stderr)
			}
		}
	}
}

// TestExplainEveryBuiltin explains every built-in scenario, and a scenario
// file, in every format; a scenario served by plugins with the example
// plugins built.
func TestExplainEveryBuiltin(t *testing.T) {
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"testdata/small.yaml"}
	flags := map[string][]string{}
	for _, in := range infos {
		names = append(names, in.Name)
		if len(in.Plugins) > 0 {
			flags[in.Name] = []string{"--plugin-dir", buildPlugins(t)}
		}
	}
	dot, _ := exec.LookPath("dot")
	for _, name := range names {
		for _, format := range []string{"text", "mermaid", "dot", "svg"} {
			code, stdout, stderr := runCLI(t, append([]string{"explain", name, "--format", format}, flags[name]...)...)
			if code != exitOK || stderr != "" || stdout == "" {
				t.Errorf("explain %s --format %s: exit %d, stderr %q, %d bytes out", name, format, code, stderr, len(stdout))
				continue
			}
			switch format {
			case "mermaid":
				if !strings.HasPrefix(stdout, "flowchart LR\n") {
					t.Errorf("explain %s --format mermaid: not a flowchart: %.40q", name, stdout)
				}
			case "svg":
				checkSVGText(t, name, stdout)
			case "dot":
				checkDOTText(t, name, stdout)
				if dot != "" {
					cmd := exec.Command(dot, "-Tcanon")
					cmd.Stdin = strings.NewReader(stdout)
					if out, err := cmd.CombinedOutput(); err != nil {
						t.Errorf("explain %s --format dot: Graphviz refuses it: %v\n%s", name, err, out)
					}
				}
			}
		}
	}
	if dot == "" {
		t.Log("Graphviz's dot is not installed: the DOT output was checked for its structure only")
	}
}

// checkDOTText checks that a DOT file has balanced braces outside its
// quoted strings, closes every string, and quotes every label.
func checkDOTText(t *testing.T, name, out string) {
	t.Helper()
	if !strings.HasPrefix(out, "digraph ") {
		t.Errorf("%s: not a digraph: %.40q", name, out)
	}
	depth, inQuote, labels := 0, false, 0
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth < 0 {
				t.Fatalf("%s: a } without its { at byte %d", name, i)
			}
		case strings.HasPrefix(out[i:], "label="):
			labels++
			if !strings.HasPrefix(out[i:], `label="`) {
				t.Errorf("%s: an unquoted label at byte %d: %.40q", name, i, out[i:])
			}
		}
	}
	if depth != 0 || inQuote {
		t.Errorf("%s: %d braces left open, inside a quote at the end: %v", name, depth, inQuote)
	}
	if labels == 0 {
		t.Errorf("%s: no labels", name)
	}
}

// checkSVGText checks that an SVG journey map is well-formed XML with an
// svg root, a title, a box for the start and a legend.
func checkSVGText(t *testing.T, name, out string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(out))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("explain %s --format svg: not well-formed XML: %v", name, err)
			return
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Errorf("explain %s --format svg: the root element is %q", name, root)
	}
	for _, want := range []string{"<title>", "start: every customer begins here", `class="legend"`} {
		if !bytes.Contains([]byte(out), []byte(want)) {
			t.Errorf("explain %s --format svg: no %q", name, want)
		}
	}
}

// The journey maps of a saved run, one per strategy, carry what happened
// under each: customers per stage, visits per channel, the channels it
// switches off; and they are sound layouts.
func TestJourneyMapsOfRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	code, _, stderr := runCLI(t, "run", "retail-omnichannel", "--customers", "300", "--reps", "2", "--horizon", "60", "--out", dir)
	if code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	maps, err := journeyMapsOfRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range maps {
		names = append(names, m.Name)
		checkSVGText(t, m.Name, string(m.SVG))
		svg := string(m.SVG)
		for _, want := range []string{"What happened under the strategy " + m.Strategy, "here on an average day", "visits", "Over all rated interactions"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: no %q", m.Name, want)
			}
		}
		// Every strategy but omnichannel leaves a channel off (store-only
		// the web shop; multi- and crosschannel push and ads).
		if off := strings.Contains(svg, "switched off"); off != (m.Strategy != "omnichannel") {
			t.Errorf("%s: a channel switched off: %v", m.Name, off)
		}
	}
	want := []string{"journeymap-store_only", "journeymap-multichannel", "journeymap-crosschannel", "journeymap-omnichannel"}
	if !slices.Equal(names, want) {
		t.Errorf("maps %v, want %v", names, want)
	}
	// The figures come from the folder: stage occupancy adds up to the
	// customers still active, about.
	sc, err := scenarios.Builtin("retail-omnichannel")
	if err != nil {
		t.Fatal(err)
	}
	l := explain.JourneyMap(sc)
	if p := l.Problems(); len(p) > 0 {
		t.Errorf("the map has problems: %v", p)
	}
	// A folder changed after the run is refused.
	if err := os.WriteFile(filepath.Join(dir, "timeseries.csv"), []byte("strategy\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := journeyMapsOfRun(dir); err == nil || !strings.Contains(err.Error(), "changed after the run") {
		t.Errorf("a changed timeseries.csv: %v", err)
	}
	if _, err := journeyMapsOfRun(filepath.Join(dir, "nosuch")); err == nil {
		t.Error("a missing folder: no error")
	}
}
