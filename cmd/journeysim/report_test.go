package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := chartRunDir(t)
	out := filepath.Join(t.TempDir(), "report.html")
	code, stdout, stderr := runCLI(t, "report", dir, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("stdout %q does not name %s", stdout, out)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<!DOCTYPE html>", "Strategies compared", "<svg", `id="comparison"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	code, stdout, _ = runCLI(t, "report", dir, "-o", "-")
	if code != 0 || stdout != string(page) {
		t.Errorf("report -o - (exit %d) printed other bytes than it wrote", code)
	}
	code, _, _ = runCLI(t, "report", dir)
	if _, err := os.Stat(filepath.Join(dir, "report.html")); code != 0 || err != nil {
		t.Errorf("report DIR: exit %d, %v; want DIR/report.html", code, err)
	}
}

func TestReportInputErrors(t *testing.T) {
	tmp := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"report", filepath.Join(tmp, "nosuch"), "-o", filepath.Join(tmp, "r.html")}, "nosuch"},
		{"not a result folder", []string{"report", tmp, "-o", filepath.Join(tmp, "r.html")}, "not a result folder"},
		{"output is a folder", []string{"report", tmp, "-o", tmp}, "is a folder"},
		{"output folder missing", []string{"report", tmp, "-o", filepath.Join(tmp, "no", "r.html")}, "does not exist"},
		{"no argument", []string{"report"}, "takes 1 argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, exitUsage, c.want)
			}
		})
	}
}
