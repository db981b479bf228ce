package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

func TestExplainGolden(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"explain_hotel_stay_text", []string{"explain", "hotel-stay"}},
		{"explain_retail_mermaid", []string{"explain", "retail-omnichannel", "--format", "mermaid"}},
		{"explain_bad_format", []string{"explain", "hotel-stay", "--format", "svg"}},
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
		{[]string{"explain", "hotel-stay", "--format", "svg"}, []string{`--format "svg"`, "text, mermaid, dot"}},
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
		for _, format := range []string{"text", "mermaid", "dot"} {
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
