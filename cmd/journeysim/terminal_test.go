package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The progress line in a real terminal: tmux runs journeysim in a pane 60
// and then 80 columns wide, and the pane, captured again and again while
// the run goes on, never holds more than the one progress line, redrawn
// in place, nor a line wider than the pane (captured with -J, a line the
// terminal wrapped reads as one long line). Ctrl-C then stops the run and
// leaves no progress line behind. make test-terminal installs tmux and
// runs this test.
func TestProgressInTerminal(t *testing.T) {
	if os.Getenv("JOURNEYSIM_TERMINAL") != "1" {
		t.Skip("set JOURNEYSIM_TERMINAL=1 to watch the progress line in tmux (make test-terminal installs it and does)")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("JOURNEYSIM_TERMINAL=1 but tmux is not on PATH: make test-terminal installs it")
	}
	bin := journeysimBinary(t)
	// A sweep of many short runs on the retail scenario, for the sweep's
	// line.
	experiment := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(experiment, []byte(`name: long
scenario: retail-omnichannel
replications: 2000
design: {kind: grid}
parameters:
  population.size: {values: [500]}
scale_fixed_costs: true
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		width int
		label string
		// args run for minutes unless interrupted.
		args []string
	}{
		{"run at 60 columns", 60, "simulating", []string{"run", "retail-omnichannel", "--reps", "500"}},
		{"run at 80 columns", 80, "simulating", []string{"run", "retail-omnichannel", "--reps", "500"}},
		{"sweep at 60 columns", 60, "sweeping", []string{"sweep", experiment, "--out", filepath.Join(t.TempDir(), "sweep")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			watchProgress(t, bin, tc.width, tc.label, tc.args)
		})
	}
}

// watchProgress runs bin with args in a tmux pane width columns wide,
// stdout thrown away so that the pane shows stderr alone, and checks the
// progress line that starts with label.
func watchProgress(t *testing.T, bin string, width int, label string, args []string) {
	// A server of its own, its socket in the test's folder and no
	// configuration read, so that neither the user's tmux nor another
	// test is touched.
	socket := filepath.Join(t.TempDir(), "tmux")
	tmux := func(args ...string) (string, error) {
		cmd := exec.Command("tmux", append([]string{"-S", socket, "-f", "/dev/null"}, args...)...)
		cmd.Env = append(os.Environ(), "SHELL=/bin/sh")
		cmd.Env = append(cmd.Env, "TERM=xterm-256color")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	quoted := []string{shellQuote(bin)}
	for _, a := range args {
		quoted = append(quoted, shellQuote(a))
	}
	// The shell outlives the run (trap), says how it ended, then waits to
	// be captured.
	script := "trap : INT; " + strings.Join(quoted, " ") + ` >/dev/null; echo "[exit $?]"; sleep 600`
	if out, err := tmux("new-session", "-d", "-s", "p", "-x", fmt.Sprint(width), "-y", "20", script); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _, _ = tmux("kill-server") })
	capture := func() []string {
		t.Helper()
		out, err := tmux("capture-pane", "-p", "-J", "-t", "p")
		if err != nil {
			t.Fatalf("tmux capture-pane: %v\n%s", err, out)
		}
		var lines []string
		for l := range strings.SplitSeq(out, "\n") {
			lines = append(lines, strings.TrimRight(l, " "))
		}
		return lines
	}
	if out, err := tmux("display-message", "-p", "-t", "p", "#{pane_width}"); err != nil || strings.TrimSpace(out) != fmt.Sprint(width) {
		t.Fatalf("the pane is %q columns wide (%v), want %d", strings.TrimSpace(out), err, width)
	}

	frames := map[string]bool{} // the different progress lines seen
	interrupted, ended := false, ""
	deadline := time.Now().Add(25 * time.Second)
	for time.Now().Before(deadline) && ended == "" {
		lines := capture()
		var progress, others []string
		for _, l := range lines {
			switch {
			case strings.HasPrefix(l, "[exit "):
				ended = l
			case strings.Contains(l, label):
				progress = append(progress, l)
			case l != "":
				others = append(others, l)
			}
		}
		if len(progress) > 1 {
			t.Fatalf("the pane holds %d progress lines, want one:\n%s", len(progress), strings.Join(lines, "\n"))
		}
		for _, l := range progress {
			if n := cells(l); n > width {
				t.Fatalf("a progress line of %d columns in a pane of %d (wrapped):\n%s", n, width, l)
			}
			frames[l] = true
		}
		if !interrupted && ended == "" && len(others) > 0 {
			t.Fatalf("the pane holds more than the progress line while the run goes on:\n%s", strings.Join(lines, "\n"))
		}
		// Two different frames show the line redrawn in place: time to
		// press Ctrl-C.
		if !interrupted && len(frames) >= 2 {
			if out, err := tmux("send-keys", "-t", "p", "C-c"); err != nil {
				t.Fatalf("tmux send-keys C-c: %v\n%s", err, out)
			}
			interrupted = true
		}
		time.Sleep(50 * time.Millisecond)
	}
	switch {
	case len(frames) == 0:
		t.Fatalf("no progress line in 25 s; the pane:\n%s", strings.Join(capture(), "\n"))
	case ended == "":
		t.Fatalf("still running 25 s after it started (interrupted: %v); the pane:\n%s", interrupted, strings.Join(capture(), "\n"))
	case !interrupted:
		t.Fatalf("ended (%s) before its progress line was redrawn; the pane:\n%s", ended, strings.Join(capture(), "\n"))
	}
	final := capture()
	for _, l := range final {
		if strings.Contains(l, label) {
			t.Errorf("the progress line was left on the terminal after Ctrl-C:\n%s", strings.Join(final, "\n"))
		}
	}
	if !strings.Contains(strings.Join(final, "\n"), "interrupted") {
		t.Errorf("no word of the interruption; the pane:\n%s", strings.Join(final, "\n"))
	}
	for f := range frames {
		t.Logf("seen: %s", f)
	}
}

// shellQuote quotes s for sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
