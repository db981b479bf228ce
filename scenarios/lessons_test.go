package scenarios_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// lessonSeeds are the seeds every lesson's claim is checked under: a
// lesson must hold whatever the draw, not for one lucky seed.
var lessonSeeds = []uint64{1, 2, 3}

// read records, per test, the metrics a lesson's claim reads, which its
// key list must name: the numbers the lesson promises are the ones shown
// first.
var read sync.Map // *testing.T → *sync.Map of metric keys

// readBy returns the metric keys t's claim has read.
func readBy(t *testing.T) []string {
	var keys []string
	if v, ok := read.Load(t); ok {
		v.(*sync.Map).Range(func(k, _ any) bool {
			keys = append(keys, k.(string))
			return true
		})
	}
	slices.Sort(keys)
	return keys
}

// outcomes runs the model once and returns a function that gives a metric
// of every strategy, by name.
func outcomes(t *testing.T, m *sim.Model) func(key string) map[string]float64 {
	t.Helper()
	keys, _ := read.LoadOrStore(t, &sync.Map{})
	res, err := sim.Run(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return func(key string) map[string]float64 {
		k := results.MetricIndex(key)
		if k < 0 {
			t.Fatalf("no metric %q", key)
		}
		if key != "customers" { // a denominator, in every table's first line
			keys.(*sync.Map).Store(key, true)
		}
		out := map[string]float64{}
		for j, si := range res.Strategies {
			out[m.Strategies[si].Name] = results.Metrics[k].Value(&res.Totals[j][0], m)
		}
		return out
	}
}

// outcome returns metric key of every strategy, by name, in one run.
func outcome(t *testing.T, m *sim.Model, key string) map[string]float64 {
	t.Helper()
	return outcomes(t, m)(key)
}

// Each built-in lesson's stated outcome holds under several seeds.
func TestLessonsHold(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		claim    func(t *testing.T, m *sim.Model) error
	}{
		{"email-pressure", func(t *testing.T, m *sim.Model) error {
			rev := outcome(t, m, "revenue")
			best, top := "", 0.0
			for name, v := range rev {
				if v > top {
					best, top = name, v
				}
			}
			if best != "email_2pw" && best != "email_3pw" {
				return fmt.Errorf("revenue peaks at %s, not at two or three a week: %v", best, rev)
			}
			if !(rev["email_7pw"] < rev["email_1pw"]) {
				return fmt.Errorf("seven a week (%.0f) does not earn less than one (%.0f)", rev["email_7pw"], rev["email_1pw"])
			}
			return nil
		}},
		{"retail-omnichannel", func(t *testing.T, m *sim.Model) error {
			steps := []string{"store_only", "multichannel", "crosschannel", "omnichannel"}
			out := outcomes(t, m)
			for _, key := range []string{"revenue", "profit"} {
				v := out(key)
				prev := 0.0
				for k := 1; k < len(steps); k++ {
					gain := v[steps[k]] - v[steps[k-1]]
					if !(gain > 0) {
						return fmt.Errorf("%s falls from %s to %s: %v", key, steps[k-1], steps[k], v)
					}
					if k > 1 && !(gain < prev) {
						return fmt.Errorf("%s: the step to %s (%.0f) is not smaller than the one before (%.0f)", key, steps[k], gain, prev)
					}
					prev = gain
				}
			}
			return nil
		}},
		{"word-of-mouth", func(t *testing.T, m *sim.Model) error {
			out := outcomes(t, m)
			half, wom := out("time_to_half_market"), out("word_of_mouth_share")
			if !(half["heavy_ads"]+2 <= half["light_ads"]) {
				return fmt.Errorf("half the market after %v weeks with heavy and %v with light advertising; want heavy at least 2 weeks sooner", half["heavy_ads"], half["light_ads"])
			}
			for name, share := range wom {
				if !(share > 0.5) {
					return fmt.Errorf("%s: %.0f%% of adopters came by word of mouth; want most", name, 100*share)
				}
			}
			// The count of word-of-mouth adopters agrees with the adoption
			// curve's own: every adopter not reached by an advertisement.
			buyers := out("buyers")
			res, err := sim.Run(context.Background(), m, sim.Options{})
			if err != nil {
				return err
			}
			for k, si := range res.Strategies {
				name := m.Strategies[si].Name
				if got, want := wom[name]*buyers[name], buyers[name]-float64(res.Totals[k][0].Responses); math.Abs(got-want) > 0.5 {
					return fmt.Errorf("%s: %.0f word-of-mouth adopters, but %.0f adopters were not reached by an advertisement", name, got, want)
				}
			}
			return nil
		}},
		{"personalisation", personalisationClaim},
		{"service-recovery", serviceRecoveryClaim},
		{"survey-metrics", surveyMetricsClaim},
		{"moments-of-truth", momentsOfTruthClaim},
		{"showrooming", func(t *testing.T, m *sim.Model) error {
			out := outcomes(t, m)
			sow, p := out("share_of_wallet"), out("profit")
			if !(sow["silos"] < sow["stock_visible"] && sow["stock_visible"] < sow["price_match"] && sow["price_match"] < sow["integrated"]) {
				return fmt.Errorf("share of wallet is not silos < stock_visible < price_match < integrated: %v", sow)
			}
			if !(p["stock_visible"] > p["silos"]) {
				return fmt.Errorf("stock visibility does not raise profit: %.0f against %.0f", p["stock_visible"], p["silos"])
			}
			if !(p["price_match"] < p["silos"]) {
				return fmt.Errorf("price matching does not lower profit: %.0f against %.0f", p["price_match"], p["silos"])
			}
			return nil
		}},
		{"cx-investment", func(t *testing.T, m *sim.Model) error {
			steps := []string{"thin_service", "fixed", "gold_plated"}
			out := outcomes(t, m)
			for _, key := range []string{"csat", "loyalty", "nps"} {
				v := out(key)
				for k := 1; k < len(steps); k++ {
					if !(v[steps[k]] > v[steps[k-1]]) {
						return fmt.Errorf("%s does not rise from %s to %s: %v", key, steps[k-1], steps[k], v)
					}
				}
			}
			churn, p := out("churn_rate"), out("profit")
			if !(churn["fixed"] < 0.6*churn["thin_service"]) {
				return fmt.Errorf("fixing the service does not (about) halve churn: %.3f against %.3f", churn["fixed"], churn["thin_service"])
			}
			if !(p["fixed"] > p["thin_service"] && p["gold_plated"] < p["fixed"]) {
				return fmt.Errorf("profit is not highest when the service is fixed but not gold-plated: %v", p)
			}
			return nil
		}},
		{"loyalty-programme", func(t *testing.T, m *sim.Model) error {
			steps := []string{"no_programme", "points_2pct", "points_5pct", "points_10pct"}
			out := outcomes(t, m)
			buys, p, points := out("purchases"), out("profit"), out("discount_cost")
			for k := 1; k < len(steps); k++ {
				if !(buys[steps[k]] > buys[steps[k-1]]) {
					return fmt.Errorf("purchases do not rise from %s to %s: %v", steps[k-1], steps[k], buys)
				}
			}
			if !(p["points_2pct"] > p["no_programme"] && p["points_2pct"] > p["points_5pct"] && p["points_2pct"] > p["points_10pct"]) {
				return fmt.Errorf("the 2%% programme does not earn the most: %v", p)
			}
			if !(p["points_5pct"] < p["no_programme"] && p["points_10pct"] < p["points_5pct"]) {
				return fmt.Errorf("5%% does not earn less than no programme, or 10%% less than 5%%: %v", p)
			}
			// The 10% programme's points against the margin on its extra
			// purchases: more than one and a half times.
			extra := m.Margin * (buys["points_10pct"] - buys["no_programme"]) * m.Basket.Mean()
			if !(points["points_10pct"] > 1.5*extra) {
				return fmt.Errorf("10%%: points %.0f, not over one and a half times the margin on its extra purchases (%.0f)", points["points_10pct"], extra)
			}
			return nil
		}},
		{"privacy-consent", func(t *testing.T, m *sim.Model) error {
			out := outcomes(t, m)
			sent, optout, loyal := out("contacts_per_customer"), out("opt_out_rate"), out("loyalty")
			rev, p := out("revenue"), out("profit")
			if !(sent["pre_ticked"] > sent["preference_centre"] && sent["pre_ticked"] > sent["plain_opt_in"]) {
				return fmt.Errorf("the pre-ticked box does not send the most e-mails: %v", sent)
			}
			if !(optout["pre_ticked"] > 0.5) {
				return fmt.Errorf("the pre-ticked box loses %.0f%% of its list, not over half", 100*optout["pre_ticked"])
			}
			if !(loyal["pre_ticked"] < loyal["plain_opt_in"] && loyal["pre_ticked"] < loyal["preference_centre"]) {
				return fmt.Errorf("the pre-ticked box does not end with the lowest loyalty of the forms: %v", loyal)
			}
			if !(p["pre_ticked"] < p["plain_opt_in"]) {
				return fmt.Errorf("the pre-ticked box earns %.0f, not less than the plain box's %.0f", p["pre_ticked"], p["plain_opt_in"])
			}
			if !(optout["preference_centre"] < optout["plain_opt_in"]/2) {
				return fmt.Errorf("the preference centre's unsubscribe rate %.1f%% is not under half the plain box's %.1f%%", 100*optout["preference_centre"], 100*optout["plain_opt_in"])
			}
			for _, other := range []string{"no_email", "plain_opt_in", "pre_ticked"} {
				if !(rev["preference_centre"] > rev[other] && p["preference_centre"] > p[other]) {
					return fmt.Errorf("the preference centre does not earn the most: revenue %v, profit %v", rev, p)
				}
			}
			if !(p["plain_opt_in"] > p["no_email"]) {
				return fmt.Errorf("the plain box earns %.0f, not more than no e-mail's %.0f", p["plain_opt_in"], p["no_email"])
			}
			return nil
		}},
		{"hotel-stay", func(t *testing.T, m *sim.Model) error {
			p := outcome(t, m, "profit")
			direct := p["direct_crm"] - p["ota_dependent"]
			app := p["connected_guest"] - p["direct_crm"]
			if !(direct > 0.05*p["ota_dependent"]) {
				return fmt.Errorf("going direct adds %.0f to %.0f profit: not more than 5%%", direct, p["ota_dependent"])
			}
			if !(app < direct/5) {
				return fmt.Errorf("the app adds %.0f, not under a fifth of going direct (%.0f)", app, direct)
			}
			return nil
		}},
	} {
		for _, seed := range lessonSeeds {
			t.Run(fmt.Sprintf("%s/seed=%d", tc.scenario, seed), func(t *testing.T) {
				t.Parallel()
				sc, err := scenarios.Builtin(tc.scenario)
				if err != nil {
					t.Fatal(err)
				}
				m := sc.Model
				if sc.Lesson == nil {
					t.Fatalf("%s has no lesson", tc.scenario)
				}
				m.Seed, m.Replications = seed, 1
				if err := tc.claim(t, m); err != nil {
					t.Errorf("lesson %q does not hold: %v\nits claim: %s", sc.Lesson.Title, err, sc.Lesson.Expect)
				}
				var key []string
				for _, k := range sc.Key {
					key = append(key, k.Name)
				}
				for _, k := range readBy(t) {
					if !slices.Contains(key, k) {
						t.Errorf("the lesson's claim reads %s, but its key outcomes, shown first, are %v", k, key)
					}
				}
			})
		}
	}
}

// adoption returns, per strategy, the mean share of customers in the
// adopted stage at the end of each tick, over the run's replications.
func adoption(t *testing.T, m *sim.Model) map[string][]float64 {
	t.Helper()
	res, err := sim.Run(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	stage := slices.Index(m.Stages, "adopted")
	if stage < 0 {
		t.Fatalf("no adopted stage in %v", m.Stages)
	}
	out := map[string][]float64{}
	for k, si := range res.Strategies {
		curve := make([]float64, m.Horizon)
		for _, tot := range res.Totals[k] {
			for tick := range curve {
				curve[tick] += float64(tot.Stages[tick*len(m.Stages)+stage]) / float64(tot.Customers) / float64(len(res.Totals[k]))
			}
		}
		out[m.Strategies[si].Name] = curve
	}
	return out
}

// The word-of-mouth scenario's mean adoption curve follows the Bass
// diffusion model: an unaware customer adopts in a tick unless neither the
// advertisement (probability p) nor word of mouth (q × the share adopted by
// the tick before) reaches them, so the expected share adopted follows
// F(t) = F(t−1) + (1 − F(t−1)) (1 − (1 − p)(1 − q F(t−1))), the Bass model
// in discrete time. The simulated mean must stay within 0.03 of it at
// every tick, for both advertising levels and several seeds.
func TestBassDiffusion(t *testing.T) {
	const q = 0.3
	for _, seed := range lessonSeeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			sc, err := scenarios.Builtin("word-of-mouth")
			if err != nil {
				t.Fatal(err)
			}
			m := sc.Model
			m.Seed = seed
			curves := adoption(t, m)
			for name, p := range map[string]float64{"light_ads": 0.005, "heavy_ads": 0.02} {
				F, worst, at := 0.0, 0.0, 0
				for tick, got := range curves[name] {
					F += (1 - F) * (1 - (1-p)*(1-q*F))
					if d := math.Abs(got - F); d > worst {
						worst, at = d, tick
					}
				}
				t.Logf("%s: largest distance from the Bass model %.4f, at week %d", name, worst, at+1)
				if worst > 0.03 {
					t.Errorf("%s: the adoption curve is %.3f from the Bass model at week %d (simulated %.3f); allowed 0.03",
						name, worst, at+1, curves[name][at])
				}
				// The curve is an S: it speeds up, then slows down.
				c := curves[name]
				if !(c[len(c)-1] > 0.95 && c[4]-c[0] < c[12]-c[8]) {
					t.Errorf("%s: not an S-curve: %v", name, c)
				}
			}
		})
	}
}

// personalisationClaim checks the personalisation lesson with clear
// margins: personalised earns the most profit (by at least 1%) and loses
// the fewest customers to opt-outs, segmented comes second on both (by at
// least 1% of profit); mass_blast sends over four times as many messages
// as personalised, loses over five times as many customers to opt-outs
// (between 15% and 30% of the base: "about a fifth") and ends with the
// lowest loyalty; it earns more profit than no_messages, but each of its
// messages adds under a fifth of the extra profit (over no_messages) that a
// personalised message adds.
func personalisationClaim(t *testing.T, m *sim.Model) error {
	o := outcomes(t, m)
	profit, optout, contacts, loyalty := o("profit"), o("opt_out_rate"), o("contacts_per_customer"), o("loyalty")
	customers := o("customers")
	sending := []string{"mass_blast", "segmented", "personalised"}
	for _, name := range append(sending, "no_messages") {
		if _, ok := profit[name]; !ok {
			return fmt.Errorf("no strategy %s", name)
		}
		t.Logf("seed %d, %-12s profit %8.0f  contacts/customer %5.2f  opt-out %5.1f%%  loyalty %.3f",
			m.Seed, name, profit[name], contacts[name], 100*optout[name], loyalty[name])
	}

	// Personalised earns the most profit and loses the fewest customers to
	// opt-outs, segmented comes second on both: profit falls by over 1% and
	// opt-outs rise at each step from personalised to segmented to
	// mass_blast.
	for k := len(sending) - 1; k > 0; k-- {
		better, worse := sending[k], sending[k-1]
		if !(profit[better] > 1.01*profit[worse]) {
			return fmt.Errorf("%s's profit %.0f is not clearly (by 1%%) above %s's %.0f", better, profit[better], worse, profit[worse])
		}
		if !(optout[better] < optout[worse]) {
			return fmt.Errorf("%s loses %.1f%% of customers to opt-outs, not fewer than %s (%.1f%%)", better, 100*optout[better], worse, 100*optout[worse])
		}
	}
	// Mass sends over four times as many messages and loses over five
	// times as many customers to opt-outs, about a fifth of the base.
	if r := contacts["mass_blast"] / contacts["personalised"]; !(r > 4) {
		return fmt.Errorf("mass_blast sends %.2f messages per customer, only %.1f× personalised's %.2f; want over 4×", contacts["mass_blast"], r, contacts["personalised"])
	}
	if r := optout["mass_blast"] / optout["personalised"]; !(r > 5) {
		return fmt.Errorf("mass_blast loses %.1f%% to opt-outs, only %.1f× personalised's %.1f%%; want over 5×", 100*optout["mass_blast"], r, 100*optout["personalised"])
	}
	if v := optout["mass_blast"]; !(v > 0.15 && v < 0.30) {
		return fmt.Errorf("mass_blast loses %.1f%% of the base to opt-outs; want about a fifth (15-30%%)", 100*v)
	}
	// Mass ends with the lowest loyalty.
	for _, name := range []string{"segmented", "personalised", "no_messages"} {
		if !(loyalty["mass_blast"] < loyalty[name]) {
			return fmt.Errorf("mass_blast's loyalty %.3f is not the lowest: %s has %.3f", loyalty["mass_blast"], name, loyalty[name])
		}
	}
	// Mass still earns more profit than sending nothing, but each of its
	// messages adds under a fifth of the extra profit (over no_messages) a
	// personalised message adds.
	if !(profit["mass_blast"] > profit["no_messages"]) {
		return fmt.Errorf("mass_blast's profit %.0f is not above no_messages' %.0f", profit["mass_blast"], profit["no_messages"])
	}
	perMessage := func(name string) float64 {
		return (profit[name] - profit["no_messages"]) / (contacts[name] * customers[name])
	}
	mass, pers := perMessage("mass_blast"), perMessage("personalised")
	t.Logf("seed %d, extra profit per message over no_messages: mass_blast %.4f, segmented %.4f, personalised %.4f (%.1f× mass_blast)",
		m.Seed, mass, perMessage("segmented"), pers, pers/mass)
	if !(mass < pers/5) {
		return fmt.Errorf("a mass_blast message adds %.4f profit, not under a fifth of a personalised one's %.4f", mass, pers)
	}
	return nil
}
