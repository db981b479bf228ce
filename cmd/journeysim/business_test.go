package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
)

// businessCases runs testdata/business_case.yaml with extra flags and
// returns its business cases by strategy, and stderr.
func businessCases(t *testing.T, extra ...string) (map[string]results.BusinessCase, string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, append([]string{"run", "testdata/business_case.yaml", "--format", "json", "--quiet"}, extra...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var s results.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	out := map[string]results.BusinessCase{}
	for _, bc := range s.BusinessCases {
		out[bc.Strategy] = bc
	}
	return out, stderr
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// The business case of testdata/business_case.yaml, worked out by hand:
// replacing a system that costs 100 a day by a 10,000 investment on day one
// earns 100 a day more, so it pays back after 100 days, adds 26,500 of
// profit over 365 days, and its NPV at 8% a year is
// 100 × (1 − 1.08⁻¹) / (1 − 1.08^(−1/365)) − 10,000. Paying 5,000 for
// nothing, depreciated over 730 days, charges 2,500 to a year's profit:
// an incremental ROI of −1, no payback, and an NPV of −5,000.
func TestBusinessCaseHandComputed(t *testing.T) {
	cases, _ := businessCases(t)
	replace, gold := cases["replace"], cases["gold_plate"]
	d := math.Pow(1.08, -1.0/365)
	npv := 100*(1-1/1.08)/(1-d) - 10000
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"replace: extra revenue", replace.Revenue.Mean, 0},
		{"replace: extra profit", replace.Profit.Mean, 26500},
		{"replace: extra investment", replace.Investment.Mean, 10000},
		{"replace: payback", replace.Payback.Mean, 100},
		{"replace: NPV", replace.NPV.Mean, npv},
		{"gold_plate: extra profit", gold.Profit.Mean, -2500},
		{"gold_plate: extra investment", gold.Investment.Mean, 5000},
		{"gold_plate: ROI", gold.ROI.Mean, -1},
		{"gold_plate: NPV", gold.NPV.Mean, -5000},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if replace.PaidBack != 3 || gold.PaidBack != 0 {
		t.Errorf("paid back in %d and %d of 3 replications, want 3 and 0", replace.PaidBack, gold.PaidBack)
	}
	if replace.ROI.N != 0 {
		t.Errorf("replace spends less than the baseline, yet has an incremental ROI %v", replace.ROI)
	}
	if last := replace.Cumulative[364].Mean; !near(last, 26500) {
		t.Errorf("cumulative extra cash at the end %v, want 26,500", last)
	}
	if c := replace.Cumulative[98].Mean; !(c < 0) || !near(replace.Cumulative[99].Mean, 0) {
		t.Errorf("cumulative extra cash after 99 and 100 days %v and %v, want below 0 and 0", c, replace.Cumulative[99].Mean)
	}
}

// The discount rate comes from --discount-rate when given: at 0 the NPV is
// the plain sum of the extra cash.
func TestDiscountRateFlag(t *testing.T) {
	cases, _ := businessCases(t, "--discount-rate", "0")
	if got := cases["replace"].NPV.Mean; !near(got, 26500) {
		t.Errorf("NPV at 0%% = %v, want 26,500", got)
	}
	code, _, stderr := runCLI(t, "run", "testdata/business_case.yaml", "--discount-rate", "-1")
	if code != 2 || !strings.Contains(stderr, "--discount-rate -1: allowed 0 to 10") {
		t.Errorf("exit %d, stderr %q; want exit 2 naming the flag and the allowed range", code, stderr)
	}
}

// Halving the population halves revenue but not fixed costs, and says so
// once; --scale-fixed-costs halves the fixed costs and investments too.
func TestScaleFixedCosts(t *testing.T) {
	cases, stderr := businessCases(t, "--customers", "100")
	if got := cases["replace"].Profit.Mean; !near(got, 26500) {
		t.Errorf("unscaled: extra profit %v, want 26,500", got)
	}
	if strings.Count(stderr, "fixed costs") != 1 || !strings.Contains(stderr, "--scale-fixed-costs") {
		t.Errorf("stderr %q: want one note on fixed costs naming --scale-fixed-costs", stderr)
	}
	cases, stderr = businessCases(t, "--customers", "100", "--scale-fixed-costs")
	if got := cases["replace"].Profit.Mean; !near(got, 13250) {
		t.Errorf("scaled: extra profit %v, want 13,250", got)
	}
	if got := cases["replace"].Payback.Mean; got != 100 {
		t.Errorf("scaled: payback %v, want 100 days, as before", got)
	}
	if stderr != "" {
		t.Errorf("scaled: stderr %q, want nothing", stderr)
	}
}

// summaryJSON runs journeysim with args and --format json and decodes the
// summary.
func summaryJSON(t *testing.T, args ...string) *results.Summary {
	t.Helper()
	code, stdout, stderr := runCLI(t, append(args, "--format", "json", "--quiet")...)
	if code != exitOK {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var s results.Summary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

func caseOf(t *testing.T, s *results.Summary, strategy string) results.BusinessCase {
	t.Helper()
	for _, bc := range s.BusinessCases {
		if bc.Strategy == strategy {
			return bc
		}
	}
	t.Fatalf("no business case for %s", strategy)
	return results.BusinessCase{}
}

// What docs/lessons.md and the README say of the CX lesson's business case
// holds under three seeds: fixing the service pays back in every
// replication after 120 to 190 days (about 150), with a positive NPV;
// gold-plating pays back later; and against fixing the service,
// gold-plating loses profit and never pays back.
func TestCXInvestmentBusinessCase(t *testing.T) {
	for _, seed := range []string{"20250601", "1", "2"} {
		s := summaryJSON(t, "run", "cx-investment", "--seed", seed)
		fixed, gold := caseOf(t, s, "fixed"), caseOf(t, s, "gold_plated")
		if fixed.PaidBack != len(fixed.Payback.Values) || fixed.Payback.Mean < 120 || fixed.Payback.Mean > 190 || !(fixed.NPV.Low() > 0) {
			t.Errorf("seed %s: fixed pays back after %v days in %d replications, NPV %v; want 120 to 190 days in all, NPV above 0", seed, fixed.Payback.Mean, fixed.PaidBack, fixed.NPV)
		}
		if !(gold.Payback.Mean > fixed.Payback.Mean) {
			t.Errorf("seed %s: gold_plated pays back after %v days, fixed after %v; want later", seed, gold.Payback.Mean, fixed.Payback.Mean)
		}
		s = summaryJSON(t, "run", "cx-investment", "--seed", seed, "--baseline", "fixed")
		if step := caseOf(t, s, "gold_plated"); step.PaidBack != 0 || !(step.Profit.High() < 0) {
			t.Errorf("seed %s: against fixed, gold_plated pays back in %d replications with extra profit %v; want none, below 0", seed, step.PaidBack, step.Profit)
		}
	}
}

// The README's business-case example is what the command prints.
func TestReadmeBusinessCaseExample(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "omnichannel-investment", "--quiet")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, block, ok := strings.Cut(stdout, "\nThe business case:")
	if !ok {
		t.Fatalf("no business case in:\n%s", stdout)
	}
	block, _, _ = strings.Cut("The business case:"+block, "\n\n")
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), block+"\n```") {
		t.Errorf("README.md should show what run omnichannel-investment prints:\n%s", block)
	}
}

// --min-effect reaches the business case: the extra profit takes the
// comparison's verdict, and npv=AMOUNT judges the NPV.
func TestBusinessCaseMinEffect(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "testdata/business_case.yaml", "--quiet", "--min-effect", "npv=30000,profit=20000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(stdout, "\n") {
		for _, label := range []string{"extra profit", "NPV at 8% a year"} {
			if strings.Contains(line, "│ "+label) {
				rows[label] = line
			}
		}
	}
	for label, want := range map[string]string{
		"extra profit":     "+26,500  better │ -2,500  worse, but below what matters",
		"NPV at 8% a year": "+25,135  better, but below what matters │ -5,000  worse, but below what matters",
	} {
		if !strings.Contains(strings.Join(strings.Fields(rows[label]), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("%s row %q, want %q", label, rows[label], want)
		}
	}
	if !strings.Contains(strings.Join(strings.Fields(stdout), " "), "extra profit as in the comparison above; NPV ±30,000 EUR.") {
		t.Errorf("no note on the NPV's smallest difference that matters in\n%s", stdout)
	}
}

// An investment that falls due after the horizon is not paid, and the run
// says so on stderr, once, naming it.
func TestLateInvestmentNote(t *testing.T) {
	cases, stderr := businessCases(t, "--set", "strategies.replace.investments.migration.tick=400")
	if got := cases["replace"].Investment.Mean; got != 0 {
		t.Errorf("extra investment %v; an investment due after the horizon is not paid", got)
	}
	want := "investment migration of strategy replace falls due on day 400, after the 365-day horizon: this run does not pay it"
	if strings.Count(stderr, "falls due") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q; want one note %q", stderr, want)
	}
	if _, stderr := businessCases(t); strings.Contains(stderr, "falls due") {
		t.Errorf("a note on late investments where none is late: %q", stderr)
	}
	// validate says so too, without failing: the horizon may be lengthened.
	late := filepath.Join(t.TempDir(), "late.yaml")
	src, err := os.ReadFile("testdata/business_case.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(late, []byte(strings.Replace(string(src), "{name: migration, amount: 10000}", "{name: migration, amount: 10000, tick: 400}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCLI(t, "validate", late)
	if code != 0 || !strings.Contains(stderr, "investment migration of strategy replace falls due on day 400") {
		t.Errorf("validate: exit %d, stderr %q; want 0 and the note", code, stderr)
	}
}
