package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/spf13/cobra"
)

// tooWide lists the lines of out wider than width display columns, with
// their widths.
func tooWide(out string, width int) []string {
	var bad []string
	for i, line := range strings.Split(out, "\n") {
		if w := displayWidth(line); w > width {
			bad = append(bad, fmt.Sprintf("line %d, %d columns: %s", i+1, w, line))
		}
	}
	return bad
}

// The default run, the attribution table and the channel table at 80
// and 120 columns: tables too wide are transposed or split into groups of
// columns that repeat the row labels, and sentences are wrapped.
func TestGoldenWidths(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"run", []string{"run", "testdata/small.yaml", "--workers", "2"}},
		{"attribution", []string{"run", "testdata/small.yaml", "--attribution", "--reps", "2"}},
		// One strategy's four channels: a table with more columns than
		// rows, transposed where that fits.
		{"channels", []string{"run", "testdata/small.yaml", "--strategies", "omni", "--horizon", "10", "--customers", "100"}},
	}
	for _, tc := range cases {
		for _, width := range []int{80, 120} {
			name := fmt.Sprintf("width%d_%s", width, tc.name)
			t.Run(name, func(t *testing.T) {
				code, stdout, stderr := runCLI(t, append(tc.args, "--width", fmt.Sprint(width))...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				for _, l := range tooWide(stdout, width) {
					t.Errorf("wider than %d: %s", width, l)
				}
				golden(t, name, transcript(code, stdout, stderr))
			})
		}
	}
}

// The width comes from --width, else COLUMNS, else the terminal; piped
// output and CSV or JSON are not fitted.
func TestWidthSources(t *testing.T) {
	args := []string{"run", "testdata/small.yaml", "--strategies", "omni", "--horizon", "10", "--customers", "100"}
	run := func(t *testing.T, st *globalState, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		st.ctx, st.stdout, st.stderr = context.Background(), &stdout, &stderr
		if code := execute(st, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}
	flag := run(t, &globalState{}, append(args, "--width", "80")...)
	piped := run(t, &globalState{}, args...)
	if flag == piped || len(tooWide(piped, 80)) == 0 {
		t.Fatalf("the test needs a table wider than 80 columns when not fitted:\n%s", piped)
	}
	env := func(k string) string {
		if k == "COLUMNS" {
			return "80"
		}
		return ""
	}
	if got := run(t, &globalState{getenv: env}, args...); got != flag {
		t.Errorf("COLUMNS=80 differs from --width 80:\n%s", got)
	}
	terminal := &globalState{stdoutIsTerminal: true, terminalColumns: func(int) int { return 80 }}
	if got := run(t, terminal, args...); got != flag {
		t.Errorf("an 80-column terminal differs from --width 80:\n%s", got)
	}
	unknown := &globalState{stdoutIsTerminal: true}
	if got := run(t, unknown, args...); got != flag {
		t.Errorf("a terminal of unknown size is not 80 columns wide:\n%s", got)
	}
	if got := run(t, &globalState{getenv: env}, append(args, "--width", "200")...); got != piped {
		t.Errorf("--width 200 does not win over COLUMNS=80:\n%s", got)
	}
	for _, format := range []string{"csv", "json"} {
		want := run(t, &globalState{}, append(args, "--format", format)...)
		if got := run(t, terminal, append(args, "--format", format, "--width", "40")...); got != want {
			t.Errorf("--format %s changes with the width:\n%s", format, got)
		}
	}
}

// A --width below 40 is a usage error that names the flag, the value and
// what is allowed, whatever the verb.
func TestWidthRefused(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "testdata/small.yaml", "--width", "30")
	golden(t, "usage_width_too_small", transcript(code, stdout, stderr))
	code, stdout, stderr = runCLI(t, "run", "testdata/small.yaml", "--width", "wide")
	golden(t, "usage_width_not_a_number", transcript(code, stdout, stderr))
	for _, args := range [][]string{
		{"scenarios", "--width", "39"},
		{"--width", "0", "validate", "testdata/small.yaml"},
		{"show", "testdata", "--width", "-1"},
		{"analyze", "testdata", "--width", "10"},
		{"explain", "fatigue", "--width", "20"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "--width") || !strings.Contains(stderr, "allowed 40 or more") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and a message on --width", args, code, stdout, stderr)
		}
	}
	if code, _, stderr := runCLI(t, "validate", "testdata/small.yaml", "--width", "40"); code != 0 {
		t.Errorf("--width 40: exit %d: %s", code, stderr)
	}
}

// Every built-in scenario, run small, prints no line wider than the width
// at 80 and 60 columns: tables, their notes and the checks.
func TestBuiltinScenariosFitTheWidth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every built-in scenario")
	}
	list, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range list {
		t.Run(info.Name, func(t *testing.T) {
			args := []string{"run", info.Name, "--customers", "300", "--horizon", "30", "--reps", "2", "--attribution", "--workers", "2"}
			if len(info.Plugins) > 0 {
				args = append(args, "--plugin-dir", buildPlugins(t))
			}
			for _, width := range []int{80, 60} {
				code, stdout, stderr := runCLI(t, append(args, "--width", fmt.Sprint(width))...)
				if code != 0 && code != exitChecks {
					t.Fatalf("width %d: exit %d: %s", width, code, stderr)
				}
				for _, l := range tooWide(stdout, width) {
					t.Errorf("width %d: %s", width, l)
				}
			}
		})
	}
}

// commands lists c and every command under it.
func commands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		if sub.IsAvailableCommand() {
			out = append(out, commands(sub)...)
		}
	}
	return out
}

// Every verb's help has examples and fits the width: the terminal's (80
// when help is piped), COLUMNS or --width.
func TestHelpFitsTheWidth(t *testing.T) {
	for _, c := range commands(newRootCommand(&globalState{})) {
		path := strings.Fields(c.CommandPath())[1:]
		t.Run(strings.Join(append([]string{"journeysim"}, path...), " "), func(t *testing.T) {
			for _, tc := range []struct {
				width int
				env   string
				flag  bool
			}{{80, "", false}, {60, "60", false}, {40, "", true}, {120, "", true}} {
				args := append(append([]string(nil), path...), "--help")
				if tc.flag {
					args = append(args, "--width", fmt.Sprint(tc.width))
				}
				code, stdout, stderr := runWith(t, map[string]string{"COLUMNS": tc.env}, args...)
				if code != 0 || stderr != "" {
					t.Fatalf("%v: exit %d: %s", args, code, stderr)
				}
				for _, l := range tooWide(stdout, tc.width) {
					t.Errorf("%v: wider than %d: %s", args, tc.width, l)
				}
				for _, want := range []string{"Usage:", "Examples:\n  journeysim", "--width int"} {
					if !strings.Contains(stdout, want) {
						t.Errorf("%v: the help lacks %q:\n%s", args, want, stdout)
					}
				}
			}
		})
	}
}

// run --help: every flag is listed, its usage wrapped beside the flags'
// names; long examples are continued with a backslash.
func TestRunHelpAt80Columns(t *testing.T) {
	_, stdout, _ := runCLI(t, "run", "--help")
	for _, want := range []string{
		"\n      --min-effect stringArray", "\n  -q, --quiet", "\nGlobal Flags:\n      --width int",
		"\n  journeysim run retail-omnichannel --reps 5 --min-effect \\\n      revenue=1%,churn_rate=0.5pp\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("run --help lacks %q:\n%s", want, stdout)
		}
	}
	_, wide, _ := runCLI(t, "run", "--help", "--width", "300")
	if !strings.Contains(wide, "\n  journeysim run retail-omnichannel --reps 5 --min-effect revenue=1%,churn_rate=0.5pp\n") {
		t.Errorf("run --help --width 300 wraps an example that fits:\n%s", wide)
	}
}

// wrapHelp reflows what is too wide and keeps what fits as written:
// paragraphs as paragraphs, list items under their bullet, indented lines
// under their indentation.
func TestWrapHelp(t *testing.T) {
	long := "A first paragraph, written for eighty\ncolumns.\n\n  - an item of a list that goes on\n    over two lines\n  - another\n\n  journeysim run a-long-scenario-name    what it does, at length"
	want := "A first paragraph,\nwritten for eighty\ncolumns.\n\n  - an item of a list\n    that goes on over\n    two lines\n  - another\n\n  journeysim run\n    a-long-scenario-name\n    what it does, at\n    length"
	if got := wrapHelp(long, 24); got != want {
		t.Errorf("wrapHelp at 24:\n%s\nwant\n%s", got, want)
	}
	if got := wrapHelp(long, 80); got != long {
		t.Errorf("wrapHelp changed text that fits:\n%s", got)
	}
	if got := wrapCommand("  journeysim run x --reps 5", 20); got != "  journeysim run x \\\n      --reps 5\n" {
		t.Errorf("wrapCommand: %q", got)
	}
}

// show fits a saved run's tables to the width, as run does.
func TestShowWidth(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runCLI(t, "run", "testdata/small.yaml", "--out", dir); code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "show", dir, "--width", "60")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, stderr)
	}
	for _, l := range tooWide(stdout, 60) {
		t.Errorf("show --width 60: %s", l)
	}
	if !strings.Contains(stdout, "│ strategy · channel │") {
		t.Errorf("show lacks the channel table:\n%s", stdout)
	}
}

// analyze fits the sweep analysis's tables (the Morris effects are some
// 90 columns wide) and sentences to the width; the analysis.txt it writes
// does not depend on it.
func TestAnalyzeWidth(t *testing.T) {
	dir := sweepExperiment(t, "email-morris")
	code, unlimited, stderr := runCLI(t, "analyze", dir)
	if code != exitOK {
		t.Fatalf("analyze: exit %d: %s", code, stderr)
	}
	if len(tooWide(unlimited, 80)) == 0 {
		t.Fatalf("the test needs an analysis wider than 80 columns when not fitted")
	}
	saved, err := os.ReadFile(filepath.Join(dir, "analysis", "analysis.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{80, 60} {
		code, stdout, stderr := runCLI(t, "analyze", dir, "--width", fmt.Sprint(width))
		if code != exitOK {
			t.Fatalf("analyze --width %d: exit %d: %s", width, code, stderr)
		}
		for _, l := range tooWide(stdout, width) {
			t.Errorf("analyze --width %d: %s", width, l)
		}
		for _, want := range []string{"Screening (Morris", "│ half-life of fatigue", "Thresholds:"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("analyze --width %d lacks %q", width, want)
			}
		}
		again, err := os.ReadFile(filepath.Join(dir, "analysis", "analysis.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, saved) {
			t.Errorf("analysis.txt changed with --width %d", width)
		}
	}
}
