package sweep

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// How the design was run decides how its runs are compared. Under common
// random numbers replication r of every point has the same seed, so the
// seeds are blocks: what the seed does is shared by every point, and the
// differences between points are free of it. The functions here lay a
// sweep's runs out as a matrix of design cells by replications and
// estimate means and differences over it with intervals that account for
// both the replications and the spread of the design.

// blocked reports whether the sweep's replications are seed blocks: it
// has more than one, and its runs table shows a seed shared by several
// points or, without the table, the manifest says common random numbers
// (the default). With one replication every run has the same seed, and
// there is nothing to set aside.
func (a *Analysis) blocked() bool {
	if a.Manifest.Replications < 2 {
		return false
	}
	if a.seedsShared != nil {
		return *a.seedsShared
	}
	if c := a.Manifest.CommonRandomNumbers; c != nil {
		return *c
	}
	return true
}

// outcomeMatrix returns outcome o of strategy s as y[point][replication]
// (NaN where undefined).
func (a *Analysis) outcomeMatrix(o, s int) [][]float64 {
	m := a.Manifest
	ns := len(m.Strategies)
	y := make([][]float64, m.Points)
	for p := range y {
		y[p] = make([]float64, m.Replications)
		for r := range y[p] {
			y[p][r] = math.NaN()
		}
		i := p*ns + s
		if i >= len(a.Points) {
			continue
		}
		vals := a.Points[i].Outcomes[o].Values
		copy(y[p], vals[:min(len(vals), m.Replications)])
	}
	return y
}

// paramValues returns numeric parameter k's value at each point.
func (a *Analysis) paramValues(k int) []float64 {
	m := a.Manifest
	ns := len(m.Strategies)
	out := make([]float64, m.Points)
	for p := range out {
		out[p], _ = strconv.ParseFloat(a.Points[p*ns].Params[k], 64) // numbers: checked by Analyze
	}
	return out
}

// layout says how the points of a sweep sit along parameter k: its
// levels, ascending, and for each level, the point at each setting of the
// other varied parameters (-1 where the design has none). A parameter is
// crossed with the others when every setting of them appears once at
// every level, as in a grid: then two levels compare setting by setting.
type layout struct {
	levels   []float64
	settings []string
	// at[level][setting] is the point, or -1.
	at      [][]int
	crossed bool
	// count[level] is the number of points at the level.
	count []int
}

// layoutOf lays out the points along numeric parameter k.
func (a *Analysis) layoutOf(k int) layout {
	m := a.Manifest
	ns := len(m.Strategies)
	xs := a.paramValues(k)
	c := layout{levels: slices.Compact(slices.Sorted(slices.Values(xs)))}
	key := make([]string, m.Points)
	for p := range key {
		var parts []string
		for j := range m.Params {
			if j != k && a.varied[j] {
				parts = append(parts, a.Points[p*ns].Params[j])
			}
		}
		key[p] = strings.Join(parts, "\x00")
		if !slices.Contains(c.settings, key[p]) {
			c.settings = append(c.settings, key[p])
		}
	}
	c.at = make([][]int, len(c.levels))
	c.count = make([]int, len(c.levels))
	for i := range c.at {
		c.at[i] = make([]int, len(c.settings))
		for j := range c.at[i] {
			c.at[i][j] = -1
		}
	}
	c.crossed = true
	for p, x := range xs {
		i, _ := slices.BinarySearch(c.levels, x)
		j := slices.Index(c.settings, key[p])
		if c.at[i][j] >= 0 {
			c.crossed = false // a setting twice at one level
		}
		c.at[i][j] = p
		c.count[i]++
	}
	for i := range c.at {
		if slices.Contains(c.at[i], -1) {
			c.crossed = false
		}
	}
	return c
}

// cellEstimate estimates the mean over the cells of y (cells by
// replications, NaN where undefined): the mean of the cells' means, with a
// 95% interval that accounts for the replications and for the spread
// between cells. Between cells (design points, or settings of the other
// parameters) the variance of a cell's mean over their number; between
// replications the variance of a replication's mean over the cells, over
// their number. Under common random numbers (crn) a replication's seed is
// shared by every cell, so averaging over cells does not remove it: both
// parts are added (Welch–Satterthwaite degrees of freedom). Otherwise the
// cells' spread holds the replications' noise already; with one cell the
// replications alone give the interval. The interval is NaN when neither
// part can be estimated.
func cellEstimate(y [][]float64, crn bool) results.Estimate {
	var cellMeans []float64
	reps := 0
	for _, row := range y {
		reps = max(reps, len(row))
		if mu := nanMean(row); !math.IsNaN(mu) {
			cellMeans = append(cellMeans, mu)
		}
	}
	e := results.Estimate{Mean: math.NaN(), CI95: math.NaN(), N: len(cellMeans)}
	if len(cellMeans) == 0 {
		return e
	}
	e.Mean = stat.Mean(cellMeans, nil)
	var repMeans []float64
	col := make([]float64, len(y))
	for r := range reps {
		for c, row := range y {
			col[c] = math.NaN()
			if r < len(row) {
				col[c] = row[r]
			}
		}
		if mu := nanMean(col); !math.IsNaN(mu) {
			repMeans = append(repMeans, mu)
		}
	}
	vd, dd := math.NaN(), 0.0
	if n := len(cellMeans); n > 1 {
		vd, dd = stat.Variance(cellMeans, nil)/float64(n), float64(n-1)
	}
	vr, dr := math.NaN(), 0.0
	if n := len(repMeans); n > 1 {
		vr, dr = stat.Variance(repMeans, nil)/float64(n), float64(n-1)
	}
	var v, df float64
	switch {
	case crn && !math.IsNaN(vd) && !math.IsNaN(vr):
		v = vd + vr
		df = dd + dr
		if den := vd*vd/dd + vr*vr/dr; den > 0 {
			df = v * v / den
		}
	case !math.IsNaN(vd):
		v, df = vd, dd
	case !math.IsNaN(vr):
		v, df = vr, dr
	default:
		return e
	}
	e.CI95 = tQuantile(df) * math.Sqrt(v)
	return e
}

// tQuantile is the 97.5% quantile of Student's t with df degrees of
// freedom.
func tQuantile(df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975)
}

// nanMean is the mean of v's values that are not NaN; NaN if none.
func nanMean(v []float64) float64 {
	sum, n := 0.0, 0
	for _, x := range v {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// significant reports whether e's 95% interval excludes zero.
func significant(e results.Estimate) bool {
	return !math.IsNaN(e.CI95) && !math.IsNaN(e.Mean) && math.Abs(e.Mean) > e.CI95
}

// Rivals counts the design points whose outcome o under strategy is not
// told apart from the best point's (Best, rank 1): the difference between
// the two, paired replication by replication under common random numbers
// (Welch's otherwise), has a 95% interval that holds zero. tested is false
// when no difference has an interval (one replication), so that nothing
// can be told apart.
func (a *Analysis) Rivals(o int, strategy string) (n int, tested bool) {
	m := a.Manifest
	s := slices.Index(m.Strategies, strategy)
	i := slices.IndexFunc(a.Best, func(b BestPoint) bool {
		return b.Outcome == m.Outcomes[o].Key && b.Strategy == strategy && b.Rank == 1
	})
	if s < 0 || i < 0 {
		return 0, false
	}
	y := a.outcomeMatrix(o, s)
	best := a.Best[i].Point
	for p := range y {
		if p == best || math.IsNaN(nanMean(y[p])) {
			continue
		}
		d := results.Difference(y[best], y[p], a.blocked())
		if !math.IsNaN(d.CI95) {
			tested = true
		}
		if !significant(d) {
			n++
		}
	}
	return n, tested
}
