package experiment_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios/experiment"
)

// recordOptions are the options journeysim sweep reads experiments with:
// every outcome and series a sweep can record.
var recordOptions = experiment.Options{Outcomes: sweep.Recordable, Outcome: sweep.CheckOutcome, Series: sweep.SeriesNames}

const recordBase = "name: t\nscenario: email-pressure\nparameters: {run.horizon: {values: [30]}}\n"

// An experiment records ROMI and the channels' true incremental revenue
// when it turns attribution on, per-channel outcomes and per-tick series;
// every name it cannot record is refused at its line and column, saying
// why, what is allowed and, for a typo, the name meant.
func TestOutcomesAndSeries(t *testing.T) {
	tests := []struct {
		name, src   string
		outcomes    []string
		series      []string
		attribution bool
		errs        []string // error lines, each with its parts split by " | "
	}{
		{name: "romi with attribution", src: "attribution: true\noutcomes: [romi, revenue]\n",
			outcomes: []string{"romi", "revenue"}, attribution: true},
		{name: "channel outcomes", src: "outcomes: [channel.email.contacts, channel.web.revenue]\n",
			outcomes: []string{"channel.email.contacts", "channel.web.revenue"}},
		{name: "true incremental revenue", src: "attribution: true\noutcomes: [channel.email.incremental_truth]\n",
			outcomes: []string{"channel.email.incremental_truth"}, attribution: true},
		{name: "series", src: "series: [revenue, active, stage.buy]\n",
			outcomes: []string{"revenue", "profit", "clv", "churn_rate", "loyalty", "nps", "csat", "ces", "opt_out_rate"},
			series:   []string{"revenue", "active", "stage.buy"}},
		{name: "romi without attribution", src: "outcomes: [romi]\n",
			errs: []string{`exp.yaml:4:12: outcome "romi" needs the counterfactual reruns of attribution: add attribution: true to the experiment`}},
		{name: "truth without attribution", src: "attribution: false\noutcomes: [revenue, channel.web.incremental_truth]\n",
			errs: []string{`exp.yaml:5:21: outcome "channel.web.incremental_truth" needs the counterfactual reruns of attribution`}},
		{name: "unknown channel", src: "outcomes:\n  - channel.emial.contacts\n",
			errs: []string{`exp.yaml:5:5: outcome "channel.emial.contacts": no channel "emial" in scenario email-pressure; it has: email, web; did you mean "channel.email.contacts"?`}},
		{name: "unknown channel metric", src: "outcomes: [channel.web.revnue]\n",
			errs: []string{`exp.yaml:4:12: outcome "channel.web.revnue": no channel metric "revnue"; allowed: contacts, responses, response_rate, visits, purchases, revenue, cost, opt_outs, staff_minutes, handled, minutes_per_handled, abandoned_share, average_speed_of_answer_seconds, service_level, contacts_per_customer, and incremental_truth (with attribution: true); did you mean "channel.web.revenue"?`}},
		{name: "unknown outcome", src: "outcomes: [revenue, proft]\n",
			errs: []string{`exp.yaml:4:21: outcome "proft": not a metric of this scenario; allowed: customers, | with attribution: true, romi | did you mean "profit"?`}},
		{name: "outcome twice", src: "outcomes: [channel.web.visits, channel.web.visits]\n",
			errs: []string{`exp.yaml:4:32: outcome "channel.web.visits" is listed twice`}},
		{name: "unknown series", src: "series: [revenue, activ, stage.cart]\n",
			errs: []string{
				`exp.yaml:4:19: series "activ": not a per-tick series of this scenario; allowed: active, purchases, revenue, contribution, cumulative_profit, loyalty, contacts, responses, opt_outs, churned, new_buyers, adopted, stage.idle, stage.visit, stage.buy; did you mean "active"?`,
				`exp.yaml:4:26: series "stage.cart": not a per-tick series of this scenario; allowed: active,`}},
		{name: "series twice", src: "series: [revenue, revenue]\n",
			errs: []string{`exp.yaml:4:19: series "revenue" is listed twice`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := experiment.Load("exp.yaml", []byte(recordBase+tt.src), recordOptions)
			if len(tt.errs) > 0 {
				if err == nil {
					t.Fatalf("accepted; want errors %q", tt.errs)
				}
				lines := strings.Split(err.Error(), "\n")
				if len(lines) != len(tt.errs) {
					t.Fatalf("errors:\n%v\nwant %d", err, len(tt.errs))
				}
				for k, want := range tt.errs {
					for _, part := range strings.Split(want, " | ") {
						if !strings.Contains(lines[k], part) {
							t.Errorf("error %d:\n%s\nlacks %q", k, lines[k], part)
						}
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(e.Outcomes, tt.outcomes) || !slices.Equal(e.Series, tt.series) || e.Attribution != tt.attribution {
				t.Errorf("outcomes %v, series %v, attribution %v; want %v, %v, %v", e.Outcomes, e.Series, e.Attribution, tt.outcomes, tt.series, tt.attribution)
			}
		})
	}
}

// A reader of experiments that records no series refuses them, and the
// run command of a row of an experiment with attribution asks for it.
func TestSeriesNeedACatalogueAndAttributionIsRepeated(t *testing.T) {
	_, err := experiment.Load("exp.yaml", []byte(recordBase+"series: [revenue]\n"), experiment.Options{Outcomes: sweep.Recordable})
	if err == nil || !strings.Contains(err.Error(), `exp.yaml:4:10: series "revenue": not a per-tick series of this scenario`) {
		t.Errorf("series without a catalogue: %v", err)
	}
	e, err := experiment.Load("exp.yaml", []byte(recordBase+"attribution: true\noutcomes: [romi]\n"), recordOptions)
	if err != nil {
		t.Fatal(err)
	}
	if cmd := e.Command(0, 0, "email_7pw"); !strings.HasSuffix(cmd, " --strategies email_7pw --attribution") {
		t.Errorf("command %q does not ask for attribution", cmd)
	}
}
