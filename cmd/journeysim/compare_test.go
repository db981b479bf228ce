package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's comparison example (the section "Telling a difference from
// noise") is what its command prints: the table and the notes under it.
func TestReadmeComparisonExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs retail-omnichannel with attribution")
	}
	t.Parallel()
	code, stdout, stderr := runCLI(t, "run", "retail-omnichannel", "--reps", "5", "--attribution", "--strategies", "multichannel,omnichannel",
		"--min-effect", "revenue=1%,nps=1,churn_rate=0.1pp,opt_out_rate=0.2pp", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	i := strings.Index(stdout, "Compared with multichannel")
	if i < 0 {
		t.Fatalf("no comparison in:\n%s", stdout)
	}
	block, _, _ := strings.Cut(stdout[i:], "\n\n")
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Telling a difference from noise")
	if !strings.Contains(section, "```\n"+block+"\n```") {
		t.Errorf("README.md's \"Telling a difference from noise\" should show what its command prints:\n%s", block)
	}
}

// --min-effect and checks on a channel's outcomes: what a run prints, and
// every usage error with the flag, the value and what is allowed.
func TestGoldenCompare(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"run_min_effect", []string{"run", "testdata/small.yaml", "--strategies", "multi,omni", "--min-effect", "profit=1,000", "--min-effect", "revenue=5%,ces=0.3,churn_rate=0.5pp"}},
		{"run_check_channel", []string{"run", "testdata/small.yaml", "--reps", "3", "--check", "channel.sms.opt_outs < 3", "--check", `channel["email"].response_rate > 0.05`}},
		{"usage_min_effect_typo", []string{"run", "testdata/small.yaml", "--min-effect", "revnue=1%"}},
		{"usage_min_effect_share", []string{"run", "testdata/small.yaml", "--min-effect", "churn_rate=0.005"}},
		{"usage_min_effect_not_compared", []string{"run", "testdata/small.yaml", "--min-effect", "contacts_per_customer=1"}},
		{"usage_min_effect_romi", []string{"run", "testdata/small.yaml", "--min-effect", "romi=0.5"}},
		{"usage_check_channel_typo", []string{"run", "testdata/small.yaml", "--check", "channel.smss.opt_outs < 3"}},
		{"usage_check_channel_metric_typo", []string{"run", "testdata/small.yaml", "--check", "channel.sms.opt_out < 3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			golden(t, tc.name, transcript(code, stdout, stderr))
		})
	}
}
