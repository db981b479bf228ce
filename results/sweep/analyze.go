package sweep

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
)

// lowR2 is the R² below which the text says the parameters explain
// little of an outcome.
const lowR2 = 0.3

// TopPoints is the number of best points listed per outcome and strategy.
const TopPoints = 5

// Analysis is what a complete sweep folder says: each design point's
// outcomes under each strategy with their 95% intervals, the best points
// for each outcome, and how sensitive each outcome is to each parameter.
type Analysis struct {
	Dir      string
	Manifest *Manifest
	// Points holds one entry per design point and strategy, by point and
	// then in Manifest.Strategies order.
	Points []PointSummary
	// Best lists, for each outcome with a direction and each strategy,
	// the TopPoints best points, best first.
	Best []BestPoint
	// Sensitivity holds one regression per outcome and strategy, in
	// Manifest.Outcomes and then Manifest.Strategies order.
	Sensitivity []Sensitivity
	// Currency is the unit of money the text and JSON show amounts in, as
	// the sweep's scenario names it (ScenarioCurrency); "" leaves amounts
	// bare.
	Currency string
	// MainEffects holds each outcome's main effect along each numeric
	// parameter the sweep varies, per strategy: by parameter, then
	// outcome, then strategy.
	MainEffects []MainEffect
	// Sobol holds, for a sobol design, each outcome's Sobol' indices per
	// strategy, by outcome and then strategy; nil for other designs.
	Sobol []SobolIndices
	// Morris holds, for a morris design, each outcome's elementary
	// effects per strategy, by outcome and then strategy; nil for other
	// designs.
	Morris []MorrisEffects
	// varied[k] reports whether parameter k takes more than one value.
	varied []bool
	// words names the parameters in words; nil until ParamWords.
	words []ParamWords
	// seedsShared reports whether the runs table shows a seed shared by
	// several points (common random numbers); nil when not read from a
	// runs table.
	seedsShared *bool
}

// PointSummary is one design point under one strategy, over its
// replications.
type PointSummary struct {
	Point    int
	Strategy string
	// Params are the point's parameter values as the runs table holds
	// them, in Manifest.Params order.
	Params []string
	// Outcomes estimate each of Manifest.Outcomes over the replications.
	Outcomes     []results.Estimate
	Replications int
}

// BestPoint is one of the best points for an outcome under a strategy.
type BestPoint struct {
	Outcome  string
	Strategy string
	Rank     int // 1 is the best
	Point    int
	Params   []string
	Estimate results.Estimate
}

// Sensitivity says how much of one outcome's variation each parameter
// accounts for, over every run of one strategy. Runs are compared the way
// the design ran them: under common random numbers the seeds are blocks,
// so the outcome and every term are taken within their seed (as a
// regression with the seed as a fixed effect), and what the seed alone
// does, which every point shares, is set aside. The model has, for each
// numeric parameter, a linear and a quadratic term (so that a response
// that rises and falls is caught), and an indicator for each level but
// the first of a text parameter.
type Sensitivity struct {
	Outcome  string
	Strategy string
	// Runs is the number of runs with the outcome defined.
	Runs int
	// Blocked reports whether runs were compared within their seed.
	Blocked bool
	// SeedShare is the share of the outcome's whole variance that the
	// seeds account for; NaN when not blocked.
	SeedShare float64
	// R2 is the share of the (within-seed) variance that the model
	// explains; NaN without a fit.
	R2         float64
	Predictors []Predictor
	// Note says why some or all shares are missing.
	Note string
}

// Predictor is one parameter's part in a Sensitivity.
type Predictor struct {
	// Name is the parameter's path.
	Name  string
	Param int // index into Manifest.Params
	// Share is the share of the (within-seed) variance the parameter
	// accounts for: what the model loses when its terms are left out.
	// NaN when the parameter does not vary, or varies only with others.
	Share float64
	// P is the p-value of the parameter's terms (an F test on the design
	// points' means, whose errors are independent): below 0.05, its
	// effect is told apart from noise. NaN without one.
	P float64
	// SRC is the standardised coefficient of a model with linear terms
	// only: the change in the outcome, in standard deviations, for one
	// standard deviation more of the parameter, within seeds. NaN for a
	// text parameter.
	SRC float64
	// Rank orders the predictors by Share, 1 the largest; 0 without one.
	Rank int
}

// runRow is one row of the runs table, parsed.
type runRow struct {
	point, rep, strategy int
	params               []string
	outcomes             []float64
}

// Analyze reads the complete sweep folder dir and analyses it.
func Analyze(dir string) (*Analysis, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if !m.Complete {
		how := "journeysim sweep EXPERIMENT.yaml --out " + dir + " --resume"
		if m.Command != "" {
			how = m.Command
			if !strings.Contains(how, "--resume") {
				how += " --resume"
			}
		}
		if m.Shard.Count > 1 && !strings.Contains(how, "--shard") {
			how += " --shard " + m.Shard.String()
		}
		return nil, fmt.Errorf("%s holds %d of %d runs: the sweep is not complete; finish it with: %s", dir, m.Done, m.Units, how)
	}
	if m.Shard.Count > 1 {
		return nil, fmt.Errorf("%s is shard %s of its sweep: merge every shard first (journeysim merge SHARD-FOLDERS... --out DIR) and analyse the merged folder", dir, m.Shard)
	}
	if len(m.Strategies) == 0 || m.Points < 1 || m.Replications < 1 {
		return nil, fmt.Errorf("%s: %s lists %d points, %d strategies and %d replications: nothing to analyse", dir, ManifestFile, m.Points, len(m.Strategies), m.Replications)
	}
	t, err := ReadRuns(dir, m)
	if err != nil {
		return nil, err
	}
	runs, shared, err := parseRuns(dir, m, t)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Dir: dir, Manifest: m, Currency: ScenarioCurrency(dir), seedsShared: &shared}
	a.summarizePoints(runs)
	a.rankPoints()
	a.sensitivity()
	a.mainEffects()
	a.designIndices()
	return a, nil
}

// parseRuns checks the runs table against the manifest and reads its rows;
// shared reports whether some seed is shared by several points.
func parseRuns(dir string, m *Manifest, t *output.Table) (runs []runRow, shared bool, err error) {
	path := filepath.Join(dir, RunsFile)
	want := m.Columns()
	if len(t.Columns) != len(want) {
		return nil, false, fmt.Errorf("%s has %d columns; %s describes %d", path, len(t.Columns), ManifestFile, len(want))
	}
	for k, c := range want {
		if t.Columns[k].Name != c.Name {
			return nil, false, fmt.Errorf("%s: column %d is %q; %s says %q", path, k+1, t.Columns[k].Name, ManifestFile, c.Name)
		}
	}
	if n := m.Points * m.Replications * len(m.Strategies); len(t.Rows) != n {
		return nil, false, fmt.Errorf("%s has %d rows; %d points × %d replications × %d strategies make %d", path, len(t.Rows), m.Points, m.Replications, len(m.Strategies), n)
	}
	const first = 6 // experiment, run, point, replication, strategy, seed
	seen := make([]bool, len(t.Rows))
	runs = make([]runRow, len(t.Rows))
	seedPoint := map[string]int{}
	for i, cells := range t.Rows {
		line := i + 2
		if len(cells) != len(want) {
			return nil, false, fmt.Errorf("%s:%d: %d cells for %d columns", path, line, len(cells), len(want))
		}
		r := runRow{params: cells[first : first+len(m.Params)]}
		var err1, err2 error
		r.point, err1 = strconv.Atoi(cells[2])
		r.rep, err2 = strconv.Atoi(cells[3])
		if err1 != nil || err2 != nil || r.point < 0 || r.point >= m.Points || r.rep < 0 || r.rep >= m.Replications {
			return nil, false, fmt.Errorf("%s:%d: point %q, replication %q: want points 0 to %d, replications 0 to %d", path, line, cells[2], cells[3], m.Points-1, m.Replications-1)
		}
		r.strategy = slices.Index(m.Strategies, cells[4])
		if r.strategy < 0 {
			return nil, false, fmt.Errorf("%s:%d: strategy %q is not one of the sweep's: %s", path, line, cells[4], strings.Join(m.Strategies, ", "))
		}
		key := (r.point*m.Replications+r.rep)*len(m.Strategies) + r.strategy
		if seen[key] {
			return nil, false, fmt.Errorf("%s:%d: point %d, replication %d, strategy %s appears twice", path, line, r.point, r.rep, cells[4])
		}
		seen[key] = true
		if p, ok := seedPoint[cells[5]]; ok && p != r.point {
			shared = true
		}
		seedPoint[cells[5]] = r.point
		for k, p := range m.Params {
			if !p.Numeric {
				continue
			}
			if v, err := strconv.ParseFloat(r.params[k], 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, false, fmt.Errorf("%s:%d: parameter %s is %q, not a number", path, line, p.Path, r.params[k])
			}
		}
		for k, o := range m.Outcomes {
			text := cells[first+len(m.Params)+k]
			if text == "" {
				r.outcomes = append(r.outcomes, math.NaN()) // undefined in this run
				continue
			}
			v, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return nil, false, fmt.Errorf("%s:%d: %s is %q, not a number", path, line, o.Key, text)
			}
			r.outcomes = append(r.outcomes, v)
		}
		runs[key] = r
	}
	return runs, shared, nil
}

// summarizePoints estimates each outcome per point and strategy; runs are
// in (point, replication, strategy) order.
func (a *Analysis) summarizePoints(runs []runRow) {
	m := a.Manifest
	ns := len(m.Strategies)
	for p := range m.Points {
		for s := range ns {
			ps := PointSummary{Point: p, Strategy: m.Strategies[s], Replications: m.Replications}
			ps.Params = runs[(p*m.Replications)*ns+s].params
			for o := range m.Outcomes {
				vals := make([]float64, m.Replications)
				for r := range m.Replications {
					vals[r] = runs[(p*m.Replications+r)*ns+s].outcomes[o]
				}
				ps.Outcomes = append(ps.Outcomes, results.NewEstimate(vals))
			}
			a.Points = append(a.Points, ps)
		}
	}
	a.findVaried()
}

// findVaried sets which parameters take more than one value.
func (a *Analysis) findVaried() {
	a.varied = make([]bool, len(a.Manifest.Params))
	for k := range a.Manifest.Params {
		for _, ps := range a.Points {
			if ps.Params[k] != a.Points[0].Params[k] {
				a.varied[k] = true
				break
			}
		}
	}
}

// rankPoints picks the best points of each outcome with a direction.
func (a *Analysis) rankPoints() {
	m := a.Manifest
	for o, out := range m.Outcomes {
		if out.Better != 1 && out.Better != -1 {
			continue
		}
		for _, name := range m.Strategies {
			var cand []PointSummary
			for _, ps := range a.Points {
				if ps.Strategy == name && !math.IsNaN(ps.Outcomes[o].Mean) {
					cand = append(cand, ps)
				}
			}
			slices.SortStableFunc(cand, func(x, y PointSummary) int {
				d := float64(out.Better) * (y.Outcomes[o].Mean - x.Outcomes[o].Mean)
				switch {
				case d < 0:
					return -1
				case d > 0:
					return 1
				}
				return x.Point - y.Point
			})
			for k, ps := range cand[:min(TopPoints, len(cand))] {
				a.Best = append(a.Best, BestPoint{Outcome: out.Key, Strategy: name, Rank: k + 1, Point: ps.Point,
					Params: ps.Params, Estimate: ps.Outcomes[o]})
			}
		}
	}
}
