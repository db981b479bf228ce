package scenarios_test

import (
	"fmt"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// surveyMetricsClaim checks the survey-metrics lesson with clear margins.
// check_ins has the highest CSAT (by at least 0.2 over as_is and 0.05 over
// self_service; seen 0.32 and 0.14), by survey too (by at least 0.05 over
// as_is; seen 0.11 to 0.16), and the lowest NPS: the customers' NPS falls
// by over 10 points against as_is (seen 15) and churn rises (by at least
// 0.4 points; seen 0.7 to 0.9). The survey shows less than half that fall
// (seen −1 to 5 points of about 15) and misses the customers' NPS by more
// than its own margin of error (checked at one and a half times the
// margin; seen twice). self_service has the lowest CES (by at least 0.1;
// seen 0.3), by survey too, and the highest NPS, by population (at least
// 10 points over as_is; seen 16) and by survey (at least 5 points over
// each other strategy; seen 16 and more).
func surveyMetricsClaim(t *testing.T, m *sim.Model) error {
	o := outcomes(t, m)
	nps, snps, margin := o("nps"), o("survey_nps"), o("survey_nps_margin")
	csat, scsat, ces, sces := o("csat"), o("survey_csat"), o("ces"), o("survey_ces")
	churn := o("churn_rate")
	const as, ci, ss = "as_is", "check_ins", "self_service"
	for _, name := range []string{as, ci, ss} {
		if _, ok := nps[name]; !ok {
			return fmt.Errorf("no strategy %s", name)
		}
		t.Logf("seed %d, %-12s NPS %6.1f  by survey %6.1f ± %4.1f  CSAT %.2f by survey %.2f  CES %.2f by survey %.2f  churn %.1f%%",
			m.Seed, name, nps[name], snps[name], margin[name], csat[name], scsat[name], ces[name], sces[name], 100*churn[name])
	}

	// check_ins: the highest CSAT, by population and by survey.
	if !(csat[ci] > csat[as]+0.2 && csat[ci] > csat[ss]+0.05) {
		return fmt.Errorf("check_ins' CSAT %.2f is not clearly the highest: as_is %.2f, self_service %.2f", csat[ci], csat[as], csat[ss])
	}
	if !(scsat[ci] > scsat[as]+0.05 && scsat[ci] > scsat[ss]) {
		return fmt.Errorf("check_ins' CSAT by survey %.2f is not the highest: as_is %.2f, self_service %.2f", scsat[ci], scsat[as], scsat[ss])
	}
	// ... and the lowest NPS: the customers' falls by over 10 points, and
	// churn rises.
	fall := nps[as] - nps[ci]
	if !(fall > 10 && nps[ci] < nps[ss]) {
		return fmt.Errorf("check_ins' NPS %.1f is not the lowest, over 10 points below as_is: as_is %.1f, self_service %.1f", nps[ci], nps[as], nps[ss])
	}
	if !(churn[ci] > churn[as]+0.004) {
		return fmt.Errorf("check_ins' churn %.1f%% does not rise over as_is' %.1f%%", 100*churn[ci], 100*churn[as])
	}
	// The survey shows less than half the fall, and misses the customers'
	// NPS by more than its own margin of error.
	if seen := snps[as] - snps[ci]; !(seen < fall/2) {
		return fmt.Errorf("the survey shows a fall of %.1f NPS points from as_is to check_ins, not less than half the customers' %.1f", seen, fall)
	}
	if gap := snps[ci] - nps[ci]; !(gap > 1.5*margin[ci]) {
		return fmt.Errorf("check_ins: the survey's NPS %.1f is %.1f points from the customers' %.1f, not clearly more than its margin of %.1f", snps[ci], gap, nps[ci], margin[ci])
	}

	// self_service: the lowest CES and the highest NPS, by population and
	// by survey.
	if !(ces[ss] < ces[ci]-0.1 && ces[ss] < ces[as]-0.1) {
		return fmt.Errorf("self_service's CES %.2f is not clearly the lowest: as_is %.2f, check_ins %.2f", ces[ss], ces[as], ces[ci])
	}
	if !(sces[ss] < sces[ci] && sces[ss] < sces[as]) {
		return fmt.Errorf("self_service's CES by survey %.2f is not the lowest: as_is %.2f, check_ins %.2f", sces[ss], sces[as], sces[ci])
	}
	if !(nps[ss] > nps[as]+10) {
		return fmt.Errorf("self_service's NPS %.1f is not over 10 points above as_is' %.1f", nps[ss], nps[as])
	}
	if !(snps[ss] > snps[as]+5 && snps[ss] > snps[ci]+5) {
		return fmt.Errorf("self_service's NPS by survey %.1f is not clearly the highest: as_is %.1f, check_ins %.1f", snps[ss], snps[as], snps[ci])
	}
	return nil
}
