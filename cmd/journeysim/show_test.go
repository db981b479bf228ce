package main

import (
	"strings"
	"testing"
)

// The command line show prints can be pasted into a shell: arguments a
// shell would split or read as a redirection are single-quoted.
func TestShowQuotesCommandLine(t *testing.T) {
	got := commandLine([]string{"journeysim", "run", "email-pressure", "--check", "profit_to_cost > 1", "--out", "out/it's", "--set", "strategies.a.discount=0.1", "--format", ""})
	want := `journeysim run email-pressure --check 'profit_to_cost > 1' --out 'out/it'\''s' --set strategies.a.discount=0.1 --format ''`
	if got != want {
		t.Errorf("commandLine = %s\nwant          %s", got, want)
	}

	dir, _ := runFolder(t, "--check", "profit_to_cost > 0.5", "--check", "churn_rate < 1")
	code, stdout, stderr := runCLI(t, "show", dir)
	if code != exitOK && code != exitChecks {
		t.Fatalf("show: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "--check 'profit_to_cost > 0.5' --check 'churn_rate < 1'") {
		t.Errorf("show prints the command line unquoted:\n%s", stdout)
	}
}
