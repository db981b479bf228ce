package sweep

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// As the built-in cx-investment, email-pressure and showrooming scenarios
// declare their levers and caps.
const (
	cxWords = `
levers:
  service: {value: 0, min: 0, max: 2, cost_per_tick: 150,
    description: "the service level: 0 a thin team, 1 staffed, trained and empowered to fix problems at the first contact, 2 gold-plated"}
`
	emailWords = `
run: {tick: day}
strategies:
  - {name: email_1pw, caps: [{channel: email, max: 1, window: 7}]}
  - {name: email_7pw, extends: email_1pw}
`
	shopWords = `
levers:
  price_match: {value: 0, min: 0, max: 1,
    description: "the shop matches the lowest online price, so a showroomer has no reason to leave; its cost is the strategy's discount on every purchase"}
`
)

func parseWords(t *testing.T, text string) *ScenarioWords {
	t.Helper()
	sc, ok := ParseScenarioWords([]byte(text))
	if !ok {
		t.Fatalf("cannot read %q", text)
	}
	return sc
}

// A swept parameter is named in words: a lever by its description, a
// field by what it is, anything else by the end of its path; never by the
// raw path where a description exists. Its short name says the strategy
// it is set for when the sweep runs others; its legend maps the path to
// the words.
func TestDescribeParam(t *testing.T) {
	cx, email, shop := parseWords(t, cxWords), parseWords(t, emailWords), parseWords(t, shopWords)
	const service = "the service level: 0 a thin team, 1 staffed, trained and empowered to fix problems at the first contact, 2 gold-plated"
	for _, tc := range []struct {
		path       string
		sc         *ScenarioWords
		strategies []string
		short      string
		labels     []string
		long       string
	}{
		{"strategies.fixed.levers.service", cx, []string{"fixed"}, "the service level",
			[]string{"the service level (0 = a thin team, 2 = gold-plated)", "the service level (0 to 2)", "the service level"},
			service + " (0 to 2), for fixed"},
		{"strategies.fixed.levers.service", cx, []string{"fixed", "thin_service"}, "the service level (fixed)",
			[]string{"the service level (0 = a thin team, 2 = gold-plated)", "the service level (0 to 2)", "the service level"},
			service + " (0 to 2), for fixed"},
		{"strategies.price_match.levers.price_match", shop, []string{"price_match"}, "the shop matches the lowest online price",
			[]string{"the shop matches the lowest online price (0 to 1)", "the shop matches the lowest online price"},
			"the shop matches the lowest online price, so a showroomer has no reason to leave; its cost is the strategy's discount on every purchase (0 to 1), for price_match"},
		{"strategies.x.levers.nosuch", cx, []string{"x"}, "nosuch", []string{"nosuch"}, "nosuch, for x"},
		{"strategies.email_7pw.caps.email.max", email, []string{"email_1pw", "email_7pw"}, "most email contacts in 7 days (email_7pw)",
			[]string{"most email contacts in 7 days"}, "most email contacts in 7 days, for email_7pw"},
		{"strategies.email_7pw.caps.0.window", email, []string{"email_7pw"}, "window of the email cap",
			[]string{"window of the email cap (days)"}, "window of the email cap (days), for email_7pw"},
		{"strategies.email_1pw.caps.sms.max", email, []string{"email_1pw"}, "most sms contacts in the cap's window",
			[]string{"most sms contacts in the cap's window"}, "most sms contacts in the cap's window, for email_1pw"},
		{"strategies.email_7pw.discount", email, []string{"email_1pw", "email_7pw"}, "discount on every purchase (email_7pw)",
			[]string{"discount on every purchase (share of the price)"}, "discount on every purchase (share of the price), for email_7pw"},
		{`strategies.omni.triggers."v1.2".cooldown`, nil, []string{"omni"}, "cooldown of the v1.2 trigger",
			[]string{"cooldown of the v1.2 trigger (ticks)"}, "cooldown of the v1.2 trigger (ticks), for omni"},
		{"population.size", email, nil, "the number of customers", []string{"customers"}, "the number of customers"},
		{"run.horizon", email, nil, "the horizon", []string{"horizon (days)"}, "the horizon (days)"},
		{"channels.email.cost_per_contact", email, nil, "cost per contact on email", []string{"cost per contact on email (EUR)"}, "cost per contact on email (EUR)"},
		{"channels.email.behaviour.params.rate", email, nil, "rate on email", []string{"rate on email"}, "rate on email"},
		{"levers.service.value", cx, nil, "the service level by default", []string{"the service level by default"}, "the service level by default"},
		{"journey.edges.3.p", email, nil, "edges 3 p", []string{"edges 3 p"}, "edges 3 p"},
		{"loyalty.purchase_gain", email, nil, "purchase gain", []string{"purchase gain"}, "purchase gain"},
	} {
		got := DescribeParam(tc.path, tc.sc, tc.strategies, "EUR")
		if got.Path != tc.path || got.Short() != tc.short || !slices.Equal(got.Labels, tc.labels) || got.Long() != tc.long {
			t.Errorf("%s: short %q, labels %q, long %q; want %q, %q, %q", tc.path, got.Short(), got.Labels, got.Long(), tc.short, tc.labels, tc.long)
		}
		if got.Legend() != tc.path+": "+tc.long {
			t.Errorf("%s: legend %q", tc.path, got.Legend())
		}
		if strings.Contains(got.Short()+got.Long()+strings.Join(got.Labels, ""), "strategies.") {
			t.Errorf("%s: a path in %+v", tc.path, got)
		}
	}
	// A label holds the whole description only when it is all of it.
	short := parseWords(t, "levers:\n  service: {min: 0, max: 2, description: \"the service level.\"}\n")
	for _, tc := range []struct {
		w     ParamWords
		whole bool
	}{
		{DescribeParam("strategies.fixed.levers.service", cx, nil, ""), false},
		{DescribeParam("strategies.fixed.levers.service", short, nil, ""), true},
		{DescribeParam("population.size", nil, nil, ""), true},
	} {
		if tc.w.Whole(tc.w.Labels[0]) != tc.whole || tc.w.Whole(tc.w.Labels[len(tc.w.Labels)-1]) != (tc.whole && len(tc.w.Labels) == 1) {
			t.Errorf("%+v: whole %v", tc.w, !tc.whole)
		}
	}
}

// A scenario file that is not YAML names the parameters from their
// paths; a field of an unexpected shape is left out, the rest read.
func TestParseScenarioWords(t *testing.T) {
	if _, ok := ParseScenarioWords([]byte("levers: [unclosed")); ok {
		t.Error("not YAML, yet read")
	}
	sc, ok := ParseScenarioWords([]byte("run: {tick: week}\nstrategies: 3\nlevers:\n  service: {description: \"the service level\"}\n"))
	if !ok || sc.tick() != "week" || sc.Levers["service"].Description != "the service level" {
		t.Errorf("read %+v, %v", sc, ok)
	}
	if ReadScenarioWords("") != nil || ReadScenarioWords(t.TempDir()) != nil {
		t.Error("a scenario read from nowhere")
	}
}

// An analysis names its parameters from the scenario in its folder; two
// the words would not tell apart keep their paths.
func TestAnalysisParamWords(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ScenarioFile), []byte(emailWords), 0o644); err != nil {
		t.Fatal(err)
	}
	a := &Analysis{Dir: dir, Manifest: &Manifest{Strategies: []string{"email_1pw", "email_7pw"}, Params: []ParamInfo{
		{Path: "strategies.email_7pw.caps.email.max"}, {Path: "strategies.email_7pw.caps.0.max"}, {Path: "strategies.email_7pw.discount"}, {Path: "x1"}}}}
	var got []string
	for _, w := range a.ParamWords() {
		got = append(got, w.Short())
	}
	want := []string{"strategies.email_7pw.caps.email.max", "strategies.email_7pw.caps.0.max", "discount on every purchase (email_7pw)", "x1"}
	if !slices.Equal(got, want) {
		t.Errorf("words %q; want %q", got, want)
	}
	a.varied = []bool{true, true, true, true}
	if l := a.legend(); !slices.Equal(l, []string{"strategies.email_7pw.discount: discount on every purchase (share of the price), for email_7pw"}) {
		t.Errorf("legend %q", l)
	}
}
