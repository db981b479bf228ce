package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// longScenario writes small.yaml with a horizon of 100,000 days and, when
// churn is not empty, that churn expression: uncancelled, it runs for many
// minutes.
func longScenario(t *testing.T, from, churn string) string {
	t.Helper()
	src, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "horizon: 30,", "horizon: 100000,", 1)
	if churn != "" {
		text = strings.Replace(text, `churn: "0.001 * (1 - loyalty)"`, "churn: '"+churn+"'", 1)
	}
	if text == string(src) {
		t.Fatalf("%s: found nothing to replace", from)
	}
	path := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Ctrl-C stops a run whatever it is doing: inside a tick of costly
// expressions, or waiting for a plugin that never answers (its time limit
// is ten minutes here). The run ends as interrupted, well within the time
// the uncancelled run would take.
func TestInterruptStopsARunInAnyState(t *testing.T) {
	plugins := buildPlugins(t)
	for _, tc := range []struct {
		name string
		args func(t *testing.T) []string
	}{
		{"costly expressions", func(t *testing.T) []string {
			return []string{"run", longScenario(t, "testdata/small.yaml", "0.001 * count(1..400, {# > 400 * loyalty}) / 400")}
		}},
		{"plugin that hangs", func(t *testing.T) []string {
			return []string{"run", faultyScenario(t, 2), "--plugin-dir", plugins, "--plugin-timeout", "10m"}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr bytes.Buffer
			st := &globalState{ctx: ctx, stdout: &stdout, stderr: &stderr}
			args := append(tc.args(t), "--reps", "1", "--out", filepath.Join(t.TempDir(), "out"))
			done := make(chan int, 1)
			go func() { done <- execute(st, args) }()
			// Whether the run is under way yet or not, it must stop.
			time.AfterFunc(500*time.Millisecond, cancel)
			var code int
			select {
			case code = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatal("still running two minutes after Ctrl-C")
			}
			if code != exitFailure || !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("exit %d, %q; want exit %d and interrupted", code, stderr.String(), exitFailure)
			}
		})
	}
}
