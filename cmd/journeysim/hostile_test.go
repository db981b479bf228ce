package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The hostile inputs of ../../testdata/hostile and the faults below are
// each run by the journeysim binary in a child process, under a memory
// bound (prlimit --as) and a time bound. Each must end with its exit code
// and message, and leave no process behind: every process the case
// started carries a marker in its environment, looked for in /proc.

// hostileMemory is the address space a case may use: enough for
// journeysim, far from what an unbounded read or expansion would take.
const hostileMemory = 2 << 30

// hostileDeadline is how long a case may run before it counts as hung;
// every case ends in well under a second.
const hostileDeadline = 90 * time.Second

// hostileCase is one input or fault and how journeysim must answer it.
type hostileCase struct {
	name string
	args []string
	code int
	// want is a regular expression stderr must match; notWant, when set,
	// one it must not.
	want, notWant string
	// signal, when set, is sent once the case has run for a moment.
	signal syscall.Signal
}

func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary under prlimit; skipped with -short")
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	bin := journeysimBinary(t)
	plugins := buildPlugins(t)
	dir := "../../testdata/hostile"
	tmp := t.TempDir()
	fifo := filepath.Join(tmp, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(tmp, "big.yaml") // sparse: 9 MiB claimed, none written
	if err := os.WriteFile(big, nil, 0o644); err != nil || os.Truncate(big, 9<<20) != nil {
		t.Fatal("cannot make a 9 MiB file")
	}
	environ := filepath.Join(tmp, "environ.yaml")
	src, err := os.ReadFile("testdata/plugins/segments.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(environ, bytes.Replace(src, []byte("{file: rates.csv}"), []byte("{file: /proc/self/environ}"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	file := func(name string) string { return filepath.Join(dir, name) }
	// Shell plugins: one that never answers the handshake, one that
	// leaves a child holding its output and then serves.
	script := func(name, body string) string {
		d := filepath.Join(tmp, name)
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "response"), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	silent := script("silent", "sleep 600")
	forking := script("forking", "(sleep 600 &)\nexec "+filepath.Join(plugins, "response"))
	smallPlugin := "testdata/plugins/small_plugin.yaml"
	cases := []hostileCase{
		// Files that are not files, or too big.
		{"named pipe: run", []string{"run", fifo}, exitUsage, `fifo.yaml: cannot read the file: it is a named pipe, not a file`, "", 0},
		{"named pipe: validate", []string{"validate", fifo}, exitUsage, `it is a named pipe, not a file`, "", 0},
		{"named pipe: explain", []string{"explain", fifo}, exitUsage, `it is a named pipe, not a file`, "", 0},
		{"device", []string{"run", "/dev/zero"}, exitUsage, `/dev/zero: cannot read the file: it is a device, not a file`, "", 0},
		{"folder", []string{"validate", tmp}, exitUsage, `it is a folder, not a file`, "", 0},
		{"9 MiB file", []string{"run", big}, exitUsage, `it holds 9437184 bytes; at most 8388608 are allowed`, "", 0},
		// Scenario files.
		{"alias bomb", []string{"validate", file("alias_bomb.yaml")}, exitUsage, `alias_bomb.yaml:\d+:\d+: `, "", 0},
		{"deep nesting", []string{"validate", file("deep_nesting.yaml")}, exitUsage, `deep_nesting.yaml:\d+:\d+: `, "", 0},
		{"markup in a name", []string{"validate", file("markup_name.yaml")}, exitUsage, `strategy name "<script>alert\(1\)</script>": use letters, digits, - and _ only`, "", 0},
		{"second document", []string{"validate", file("two_documents.yaml")}, exitUsage, `two_documents.yaml:24:1: a second YAML document starts here`, "", 0},
		{"unreachable edge", []string{"validate", file("unreachable_edge.yaml")}, exitUsage, `unreachable_edge.yaml:21:34: journey.edges\[2\]: from node aware, this tick edge \(its 3rd\) can never be taken`, "", 0},
		{"infinite basket", []string{"run", file("infinite_basket.yaml")}, exitUsage, `lognormal \[800, 0.5\] draws values too large for a number`, "", 0},
		// Expressions.
		{"nested loops", []string{"validate", file("loop_bomb.yaml")}, exitUsage, `loop_bomb.yaml:23:30: .*these loops take up to 490700 steps for each customer at each tick; allowed at most 100000`, "", 0},
		{"huge range", []string{"run", file("huge_range.yaml")}, exitUsage, `the range 1..1000000000 can hold 1000000000 values; allowed at most 10000`, "", 0},
		{"loops three deep", []string{"validate", file("deep_loops.yaml")}, exitUsage, `any\(\) nests loops 3 deep; allowed at most 2 deep`, "", 0},
		{"constant that fails", []string{"validate", file("always_fails.yaml")}, exitUsage, `\[1, 2\]\[5\] always fails: index out of range`, "", 0},
		{"modulo by zero", []string{"validate", file("modulo_zero.yaml")}, exitUsage, `tick % 0 divides by zero for every customer`, "", 0},
		{"text of a billion characters", []string{"run", file("repeat_bomb.yaml")}, exitUsage, `always fails: it creates more than 100000 values in one evaluation`, "", 0},
		{"square root never a number", []string{"validate", file("sqrt_negative.yaml")}, exitUsage, `sqrt\(-1 - loyalty\) is not a number for any customer`, "", 0},
		// Files named in a scenario.
		{"file outside the folder", []string{"validate", environ, "--plugin-dir", plugins}, exitUsage, `/proc/self/environ`, `PATH=|JOURNEYSIM_HOSTILE=`, 0},
		// Plugins that go wrong.
		{"plugin crashes", []string{"run", faultyScenario(t, 1), "--plugin-dir", plugins}, exitFailure, `plugin faulty: the plugin process stopped or crashed`, "", 0},
		{"plugin hangs", []string{"run", faultyScenario(t, 2), "--plugin-dir", plugins, "--plugin-timeout", "1s"}, exitFailure, `plugin faulty: no answer within the time limit`, "", 0},
		{"plugin truncates shared memory", []string{"run", faultyScenario(t, 7), "--plugin-dir", plugins}, exitOK, ``, `fatal error|SIGBUS`, 0},
		{"plugin leaves a child", []string{"validate", faultyScenario(t, 8), "--plugin-dir", plugins}, exitOK, ``, "", 0},
		{"plugin leaves a child holding its output", []string{"run", faultyScenario(t, 8), "--plugin-dir", plugins}, exitOK, ``, "", 0},
		{"plugin makes revenue infinite", []string{"run", faultyScenario(t, 9), "--plugin-dir", plugins}, exitFailure, `revenue is no longer a finite number`, "", 0},
		{"plugin never starts", []string{"validate", smallPlugin, "--plugin-dir", silent, "--plugin-timeout", "1s"}, exitUsage, `start plugin response .*timeout while waiting for plugin to start`, "", 0},
		{"shell plugin leaves a child holding its output", []string{"run", smallPlugin, "--plugin-dir", forking}, exitOK, ``, "", 0},
		// Signals.
		{"Ctrl-C in costly expressions", []string{"run", file("slow.yaml")}, exitFailure, `interrupted`, "", syscall.SIGINT},
		{"SIGTERM in costly expressions", []string{"run", file("slow.yaml")}, exitFailure, `interrupted`, "", syscall.SIGTERM},
		{"Ctrl-C while a plugin starts", []string{"run", smallPlugin, "--plugin-dir", silent}, exitFailure, `interrupted before the run began; nothing was run or written`, "", syscall.SIGINT},
		{"Ctrl-C while a plugin hangs", []string{"run", faultyScenario(t, 2), "--plugin-dir", plugins, "--plugin-timeout", "10m"}, exitFailure, `interrupted`, "", syscall.SIGINT},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			marker := fmt.Sprintf("JOURNEYSIM_HOSTILE=%d-%d", os.Getpid(), i)
			args := append([]string{"--as=" + strconv.Itoa(hostileMemory), bin}, tc.args...)
			if tc.args[0] == "run" {
				args = append(args, "--quiet", "--out", filepath.Join(t.TempDir(), "out"))
			}
			ctx, cancel := context.WithTimeout(context.Background(), hostileDeadline)
			defer cancel()
			cmd := exec.CommandContext(ctx, prlimit, args...)
			cmd.Env = append(os.Environ(), marker)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var sent time.Time
			if tc.signal != 0 {
				time.Sleep(time.Second) // under way, or about to be: either way it must stop
				sent = time.Now()
				cmd.Process.Signal(tc.signal)
			}
			err := cmd.Wait()
			if ctx.Err() != nil {
				t.Fatalf("still running after %s: %s", hostileDeadline, stderr.String())
			}
			if !sent.IsZero() {
				t.Logf("ended %s after the signal", time.Since(sent).Round(time.Millisecond))
			}
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			msg := stderr.String()
			if code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, msg)
			}
			if !regexp.MustCompile(tc.want).MatchString(msg) {
				t.Errorf("stderr does not match %q:\n%s", tc.want, msg)
			}
			if tc.notWant != "" && regexp.MustCompile(tc.notWant).MatchString(msg) {
				t.Errorf("stderr matches %q, which it must not:\n%s", tc.notWant, msg)
			}
			if strings.Contains(msg, "goroutine ") || strings.Contains(msg, "panic:") {
				t.Errorf("stderr holds a crash:\n%s", msg)
			}
			if left := leftBehind(marker); len(left) > 0 {
				t.Errorf("processes left behind: %s", strings.Join(left, "; "))
			}
		})
	}
}

// leftBehind returns the command lines of the live processes whose
// environment holds marker. A process just killed may take a moment to go,
// so it looks again for a few seconds before it reports one.
func leftBehind(marker string) []string {
	var left []string
	for range 50 {
		left = left[:0]
		procs, _ := filepath.Glob("/proc/[0-9]*")
		for _, p := range procs {
			env, err := os.ReadFile(filepath.Join(p, "environ"))
			if err != nil || !bytes.Contains(env, []byte(marker+"\x00")) {
				continue
			}
			if stat, err := os.ReadFile(filepath.Join(p, "stat")); err == nil && strings.Contains(string(stat), ") Z ") {
				continue // ended; only its parent can reap it
			}
			cmdline, _ := os.ReadFile(filepath.Join(p, "cmdline"))
			left = append(left, filepath.Base(p)+": "+strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
		if len(left) == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return left
}
