package sim

import (
	"math"
	"testing"
)

// One path worked by hand: A at tick 0, B at 7, A at 14, a purchase of 100
// at 14, with a time-decay half-life of 7 ticks. Weights at the purchase:
// A 1 + 0.25, B 0.5, so A gets 1.25/1.75 and B 0.5/1.75; linear gives A 2/3;
// position-based gives A 40% + 40% and B the middle 20%.
func TestPathCreditsByHand(t *testing.T) {
	const A, B = 0, 1
	tot := newPathTotals(2)
	p := newPathState(2, 1, 7)
	p.reset(1)
	p.touch(tot, 0, A, 0)
	p.touch(tot, 0, B, 7)
	p.touch(tot, 0, A, 14)
	p.convert(tot, 0, 100)
	for _, tc := range []struct {
		model string
		got   []float64
		want  [2]float64
	}{
		{"first touch", tot.FirstTouch, [2]float64{100, 0}},
		{"last touch", tot.LastTouch, [2]float64{100, 0}},
		{"linear", tot.Linear, [2]float64{200.0 / 3, 100.0 / 3}},
		{"time decay", tot.TimeDecay, [2]float64{100 * 1.25 / 1.75, 100 * 0.5 / 1.75}},
		{"position-based", tot.Position, [2]float64{80, 20}},
	} {
		for c := range tc.want {
			if math.Abs(tc.got[c]-tc.want[c]) > 1e-9 {
				t.Errorf("%s: channel %d gets %v, want %v", tc.model, c, tc.got[c], tc.want[c])
			}
		}
	}
	// Transitions: start→A, A→B, B→A, A→conversion; C = 2, rows of 4.
	want := map[[2]int]float64{{2, A}: 1, {A, B}: 1, {B, A}: 1, {A, 2}: 1}
	for from := 0; from <= 2; from++ {
		for to := 0; to < 4; to++ {
			if got := tot.Transitions[from*4+to]; got != want[[2]int{from, to}] {
				t.Errorf("transitions %d→%d: %v, want %v", from, to, got, want[[2]int{from, to}])
			}
		}
	}
	if s := tot.Sets[0b11]; s.Paths != 1 || s.Conversions != 1 || s.Revenue != 100 {
		t.Errorf("set {A, B}: %+v", s)
	}
	if p.length[0] != 0 || p.mask[0] != 0 || p.last[0] != -1 {
		t.Error("the path is not cleared after the purchase")
	}
}

// A purchase long after the last touch keeps finite time-decay credit.
func TestTimeDecayLongWait(t *testing.T) {
	tot := newPathTotals(1)
	p := newPathState(1, 1, 0.5)
	p.reset(1)
	p.touch(tot, 0, 0, 0)
	p.convert(tot, 0, 10) // as if at tick 5000: no ageing happens at the purchase
	if tot.TimeDecay[0] != 10 {
		t.Errorf("time decay credit %v, want 10", tot.TimeDecay[0])
	}
	p.touch(tot, 0, 0, 0)
	p.touch(tot, 0, 0, 3000) // 6000 half-lives later: the old weight underflows to 0
	p.convert(tot, 0, 10)
	if got := tot.TimeDecay[0]; got != 20 {
		t.Errorf("time decay credit %v after a long gap, want 20", got)
	}
}

// Position-based credit on a path of two touches on one channel: both
// halves go to it. ([A, B, A] is worked in TestPathCreditsByHand.)
func TestPositionBasedRepeats(t *testing.T) {
	tot := newPathTotals(2)
	p := newPathState(2, 1, 7)
	p.reset(1)
	p.touch(tot, 0, 0, 0)
	p.touch(tot, 0, 0, 1)
	p.convert(tot, 0, 10)
	if tot.Position[0] != 10 || tot.Position[1] != 0 {
		t.Errorf("[A, A]: %v", tot.Position)
	}
}
