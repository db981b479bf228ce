package sim

import (
	"fmt"
	"math"
)

// experience rates customer i's arrival at node n: the node's
// satisfaction and effort expressions, with extraEffort (a switch's)
// added to the effort.
func (w *worker) experience(n, i int, extraEffort float64, tot *Totals) {
	c, to := w.c, &w.m.Nodes[n]
	csat, ces := math.NaN(), math.NaN()
	if to.Satisfaction != nil {
		if csat = to.Satisfaction.Number(c); csat != csat {
			c.fail(to.Satisfaction, fmt.Errorf("satisfaction is NaN"))
		}
	}
	if to.Effort != nil {
		if ces = to.Effort.Number(c) + extraEffort; ces != ces {
			c.fail(to.Effort, fmt.Errorf("effort is NaN"))
		}
	} else if extraEffort > 0 {
		ces = 1 + extraEffort
	}
	w.rate(i, n, csat, ces, tot)
}

// rate records an interaction's CSAT (1 to 5) and CES (1 to 7); NaN means
// not rated. node is the touchpoint rated, or -1 for a contact (rated by
// its channel's behaviour). Experience moves loyalty, and a poor rating
// is a complaint.
func (w *worker) rate(i, node int, csat, ces float64, tot *Totals) {
	s := w.s
	x, weight := 0.0, 0.0
	if csat == csat {
		csat = math.Min(5, math.Max(1, csat))
		s.satisfaction[i] = float32(csat)
		tot.CSAT += csat
		tot.CSATCount++
		if node >= 0 {
			tot.NodeCSAT[node] += csat
			tot.NodeCSATCount[node]++
		}
		if csat <= 2 {
			tot.Complaints++
			s.fresh[i] |= evComplaint
		}
		x += 0.6 * (csat - 1) / 4
		weight += 0.6
	}
	if ces == ces {
		ces = math.Min(7, math.Max(1, ces))
		s.effort[i] = float32(ces)
		tot.CES += ces
		tot.CESCount++
		if node >= 0 {
			tot.NodeCES[node] += ces
			tot.NodeCESCount[node]++
		}
		x += 0.4 * (7 - ces) / 6
		weight += 0.4
	}
	if weight > 0 {
		poor := csat == csat && csat <= 2
		good := csat >= 4 || (csat != csat && ces <= 3)
		w.remember(i, x/weight, poor, good, tot)
	}
}

// remember moves customer i's loyalty towards the rating x (0 to 1) of an
// interaction, poor saying whether it was a complaint and good whether it
// was a good one (Totals.Recoveries). The first rating after a complaint,
// within the recovery window, is the complaint's recovery: it weighs
// Loyalty.RecoveryWeight times as much.
func (w *worker) remember(i int, x float64, poor, good bool, tot *Totals) {
	s, l := w.s, &w.m.Loyalty
	k := l.ExperienceWeight
	if at := s.complained[i]; at >= 0 {
		s.complained[i] = -1
		if !poor && w.c.tick-int(at) <= l.RecoveryWindow {
			if l.RecoveryWeight > 0 {
				k = min(1, k*l.RecoveryWeight)
			}
			if good {
				tot.Recoveries++
			}
		}
	}
	if poor {
		s.complained[i] = int32(w.c.tick)
	}
	if k > 0 {
		s.loyalty[i] += k * (x - s.loyalty[i])
	}
}

// churn makes customer i leave at tick t, ending the customer's path.
func (w *worker) churn(i, t int, tot *Totals) {
	s := w.s
	s.flags[i] |= flagChurned
	tot.Churned++
	tot.Series[t].Churned++
	if s.flags[i]&flagHoldout != 0 {
		tot.Holdout.Churned++
	}
	if w.paths != nil {
		w.paths.drop(tot.Paths, i)
	}
}

// refer counts a new customer that customer i brings by word of mouth at
// tick t, worth the model's referral value.
func (w *worker) refer(i, t int, tot *Totals) {
	m := w.m
	v := m.Loyalty.ReferralValue
	tot.Referrals++
	tot.ReferralRevenue += v
	tot.Revenue += v
	tot.GrossMargin += v * m.Margin
	tot.Series[t].Revenue += v
	tot.Series[t].Contribution += v * m.Margin
	if w.s.flags[i]&flagHoldout != 0 {
		tot.Holdout.Revenue += v
		tot.Holdout.GrossMargin += v * m.Margin
	}
}

// LikelihoodToRecommend maps loyalty in [0, 1] to the 0 to 10 answer of the
// NPS question: eleven equal bands.
func LikelihoodToRecommend(loyalty float64) int {
	return min(10, max(0, int(loyalty*11)))
}
