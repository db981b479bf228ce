package sim_test

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// reviewScenario is a product bought once: a customer who reads the
// reviews buys with a chance that grows with their rating, and rates the
// product lever.quality stars after using it, posting half the ratings as
// reviews. Before the run there were count reviews of rating stars.
func reviewScenario(rating, count float64) string {
	return fmt.Sprintf(`name: reviews
run: {horizon: 60, seed: 11, replications: 2}
population:
  size: 4000
  personas: [{name: all, share: 1}]
channels:
  web: {direction: inbound}
reviews: {rating: %g, count: %g}
levers:
  quality: {value: 4, min: 1, max: 5}
journey:
  start: search
  nodes:
    search: {stage: zmot}
    buy: {stage: fmot, channel: web, purchase: true}
    use: {stage: smot, channel: web, satisfaction: "lever.quality", review: "0.5"}
  edges:
    - {from: search, to: buy, p: "0.02 * review_rating"}
    - {from: buy, to: use, p: "1"}
strategies:
  - {name: good}
  - {name: poor, levers: {quality: 1}}
`, rating, count)
}

// Reviews feed later customers' first moment: a poor product's reviews
// drag its rating, and its sales, below a good one's; the rating shown is
// the earlier reviews' and the run's together; and none of it depends on
// the number of workers.
func TestReviewsFeedLaterCustomers(t *testing.T) {
	m := load(t, reviewScenario(4, 50))
	if !m.Coupled() {
		t.Fatal("a model reading review_rating is not coupled")
	}
	if m.HasWordOfMouth() {
		t.Error("an edge reading the reviews counts as word of mouth, which grows with past buyers")
	}
	res := run(t, m, sim.Options{Workers: 1})
	byName := map[string]*sim.Totals{}
	for k, si := range res.Strategies {
		byName[m.Strategies[si].Name] = &res.Totals[k][0]
	}
	good, poor := byName["good"], byName["poor"]
	for name, tot := range byName {
		if tot.Reviews == 0 || tot.Reviews > tot.Purchases {
			t.Errorf("%s: %d reviews of %d purchases", name, tot.Reviews, tot.Purchases)
		}
	}
	if got := good.ReviewStars / float64(good.Reviews); got != 4 {
		t.Errorf("good: reviews of %g stars on average, want 4", got)
	}
	if got := m.Reviews.ReviewRating(poor.Reviews, poor.ReviewStars); !(got < 3) {
		t.Errorf("poor: rating at the end %.2f, want below 3", got)
	}
	if !(float64(poor.Purchases) < 0.8*float64(good.Purchases)) {
		t.Errorf("poor sells %d, good %d: its reviews did not cost it a fifth of its sales", poor.Purchases, good.Purchases)
	}
	again := run(t, m, sim.Options{Workers: 4})
	if !reflect.DeepEqual(res.Totals, again.Totals) {
		t.Error("results differ between 1 and 4 workers")
	}
}

// The rating shown is the earlier reviews' and the run's together, and the
// earlier rating alone before any review is posted.
func TestReviewRatingStart(t *testing.T) {
	for _, r := range []sim.Reviews{{Rating: 4, Count: 50}, {}} {
		got := r.ReviewRating(0, 0)
		if got != r.Rating {
			t.Errorf("%+v with no review posted: %g, want %g", r, got, r.Rating)
		}
	}
	r := sim.Reviews{Rating: 4, Count: 2}
	if got := r.ReviewRating(2, 2); math.Abs(got-2.5) > 1e-12 {
		t.Errorf("two 4-star and two 1-star reviews: %g, want 2.5", got)
	}
	if got := (sim.Reviews{}).ReviewRating(3, 15); got != 5 {
		t.Errorf("three 5-star reviews alone: %g, want 5", got)
	}
}
