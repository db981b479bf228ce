package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A key outcome that is no outcome is an input error at its line and
// column, from validate and from run alike, with the name likely meant.
func TestBadKeyOutcome(t *testing.T) {
	src, err := os.ReadFile("testdata/business_case.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "key.yaml")
	if err := os.WriteFile(path, append(src, []byte("key: [profit, npv, revnue]\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(src), "\n") + 1
	want := path + ":" + strconv.Itoa(line) + ":20: key outcome \"revnue\" is not an outcome"
	for _, args := range [][]string{{"validate", path}, {"run", path, "--quiet"}} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, want) || !strings.Contains(stderr, `did you mean "revenue"?`) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", args[0], code, stderr, exitUsage, want)
		}
	}
}
