package sim_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// surveyed returns the totals scenario with a survey added.
func surveyed(t *testing.T, survey string) *sim.Model {
	t.Helper()
	return load(t, strings.Replace(totalsScenario, "journey:\n", survey+"\njourney:\n", 1))
}

// A survey of everyone that every invited customer answers, with no
// recency, gives the population's promoters and detractors among the
// customers still there.
func TestSurveyOfEveryone(t *testing.T) {
	m := surveyed(t, "survey: {sample: 1, recency: 0}")
	m.Loyalty.Churn = nil
	res := run(t, m, sim.Options{})
	for k := range res.Strategies {
		for r, tot := range res.Totals[k] {
			v := tot.Survey
			if v.Invited != tot.Customers || v.Answered != tot.Customers {
				t.Errorf("strategy %d rep %d: %d invited, %d answered, of %d customers", k, r, v.Invited, v.Answered, tot.Customers)
			}
			if v.Promoters != tot.Promoters || v.Detractors != tot.Detractors {
				t.Errorf("strategy %d rep %d: survey promoters %d, detractors %d; population %d, %d", k, r, v.Promoters, v.Detractors, tot.Promoters, tot.Detractors)
			}
			if v.CSATCount > v.Answered || v.CESCount > v.Answered {
				t.Errorf("strategy %d rep %d: %d CSAT and %d CES answers of %d", k, r, v.CSATCount, v.CESCount, v.Answered)
			}
		}
	}
}

// A sample invites about its share of the customers still there, the same
// customers under every strategy; answers depend on experience as the
// response expression says; and the survey does not depend on the
// number of workers.
func TestSurveySample(t *testing.T) {
	m := surveyed(t, `survey: {sample: 0.2, response: "satisfaction > 0 && satisfaction <= 2 ? 0.6 : 0.1"}`)
	res := run(t, m, sim.Options{Workers: 1})
	for k := range res.Strategies {
		for r, tot := range res.Totals[k] {
			v := tot.Survey
			active := tot.Customers - tot.Churned
			if lo, hi := 0.17*float64(active), 0.23*float64(active); !(float64(v.Invited) > lo && float64(v.Invited) < hi) {
				t.Errorf("strategy %d rep %d: %d invited of %d customers still there, not about 20%%", k, r, v.Invited, active)
			}
			if !(v.Answered > 0 && v.Answered < v.Invited/2) {
				t.Errorf("strategy %d rep %d: %d answers of %d invited", k, r, v.Answered, v.Invited)
			}
		}
	}
	again := run(t, m, sim.Options{Workers: 4})
	for k := range res.Strategies {
		for r := range res.Totals[k] {
			if a, b := res.Totals[k][r].Survey, again.Totals[k][r].Survey; !reflect.DeepEqual(a, b) {
				t.Errorf("strategy %d rep %d: survey with 1 worker %+v, with 4 %+v", k, r, a, b)
			}
		}
	}
}

// A response probability that is NaN fails the run, naming it.
func TestSurveyNaN(t *testing.T) {
	m := surveyed(t, `survey: {sample: 1, response: "sqrt(0.5 - loyalty)"}`)
	_, err := sim.Run(t.Context(), m, sim.Options{})
	if err == nil || !strings.Contains(err.Error(), "sqrt(0.5 - loyalty)") {
		t.Fatalf("got %v, want the response expression's failure", err)
	}
}
