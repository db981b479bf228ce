package charts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/plot"
)

// buildSweep analyses the complete sweep folder dir and charts it.
func buildSweep(dir string) ([]*Chart, error) {
	a, err := sweep.Analyze(dir)
	if err != nil {
		return nil, err
	}
	return FromSweep(a, a.Currency)
}

// outcomeInfo is how a sweep's outcome is labelled and scaled.
func outcomeInfo(key, currency string) (label, unit string, scale float64) {
	var met *results.Metric
	if k := results.MetricIndex(key); k >= 0 {
		met = &results.Metrics[k]
	} else if key == results.ROMI.Key {
		met = &results.ROMI
	}
	if met == nil {
		return strings.ReplaceAll(key, "_", " "), "", 1
	}
	scale = 1
	if met.Percent {
		scale = 100
	}
	return met.Label, unitLabel(met.Unit, currency, met.Percent), scale
}

// FromSweep charts a sweep's analysis: each outcome against each numeric
// parameter the sweep varies, one series of dots with 95% whiskers per
// strategy (sweep-OUTCOME-vs-PARAMETER). Where several design points share
// a parameter value, as in a grid, a dot is the mean over all their runs:
// the parameter's main effect, averaged over the other parameters.
// currency labels money; "" leaves it out.
func FromSweep(a *sweep.Analysis, currency string) ([]*Chart, error) {
	m := a.Manifest
	if len(a.Points) == 0 {
		return nil, fmt.Errorf("%s: the sweep has no design point to chart", a.Dir)
	}
	// varied[k]: parameter k takes more than one value.
	varied := make([]bool, len(m.Params))
	var numeric, variedNames []string
	for k, p := range m.Params {
		for _, ps := range a.Points {
			if ps.Params[k] != a.Points[0].Params[k] {
				varied[k] = true
				break
			}
		}
		if varied[k] {
			variedNames = append(variedNames, p.Path)
			if p.Numeric {
				numeric = append(numeric, p.Path)
			}
		}
	}
	if len(numeric) == 0 {
		what := "no parameter"
		if len(variedNames) > 0 {
			what = "only text parameters (" + strings.Join(variedNames, ", ") + ")"
		}
		return nil, fmt.Errorf("%s: the sweep varies %s, so there is no number to chart its outcomes against", a.Dir, what)
	}
	sc := readScenarioText(a.Dir)
	words := make([]paramText, len(m.Params))
	for k, par := range m.Params {
		words[k] = describeParam(par.Path, sc, m.Strategies, currency)
	}
	var charts []*Chart
	for o, out := range m.Outcomes {
		label, unit, scale := outcomeInfo(out.Key, currency)
		for k, par := range m.Params {
			if !varied[k] || !par.Numeric {
				continue
			}
			charts = append(charts, sweepChart(a, o, k, label, unit, scale, varied, words))
		}
	}
	uniqueNames(charts)
	return charts, nil
}

// sweepChart is outcome o against parameter k; words name the
// parameters.
func sweepChart(a *sweep.Analysis, o, k int, label, unit string, scale float64, varied []bool, words []paramText) *Chart {
	m := a.Manifest
	par := m.Params[k].Path
	var others []string
	for j := range m.Params {
		if j != k && varied[j] {
			others = append(others, words[j].name)
		}
	}
	// Each strategy's main effect along the parameter: the analysis's
	// curve, as its thresholds read it.
	effects := make([]*sweep.MainEffect, len(m.Strategies))
	all := a.Effects()
	for i := range all {
		me := &all[i]
		if me.Param == k && me.Outcome == m.Outcomes[o].Key {
			if s := slices.Index(m.Strategies, me.Strategy); s >= 0 {
				effects[s] = me
			}
		}
	}
	var xs []float64
	binned, fitted := false, false
	for _, me := range effects {
		if me != nil {
			xs, binned, fitted = me.X, me.Binned, me.Fitted != nil
			break
		}
	}
	span := 0.0
	if len(xs) > 1 {
		span = xs[len(xs)-1] - xs[0]
	}
	ns := len(m.Strategies)
	p := newPlot(words[k].axis, withUnit(label, unit))
	addGrid(p)
	var legend []legendEntry
	for s, name := range m.Strategies {
		// Strategies side by side: shifted by 1% of the axis each, so
		// that their whiskers do not hide one another.
		dodge := (float64(s) - float64(ns-1)/2) * 0.01 * span
		d := &dots{color: strategyColor(s), dashes: strategyDashes(s), join: true}
		if me := effects[s]; me != nil {
			for i, x := range me.X {
				e := me.Level[i]
				d.points = append(d.points, point{x: x + dodge, mean: e.Mean * scale, low: e.Low() * scale, high: e.High() * scale})
			}
		}
		p.Add(d)
		legend = append(legend, legendEntry{label: name, thumb: d})
	}
	if span > 0 {
		pad := 0.03 * span
		p.X.Min, p.X.Max = xs[0]-pad, xs[len(xs)-1]+pad
	}
	roundY(p, false)
	var sub string
	switch {
	case len(others) == 0:
		sub = fmt.Sprintf("Each dot: one design point, the mean of %d replications; whiskers: 95%% confidence interval.", m.Replications)
	case binned:
		sub = fmt.Sprintf("Each dot: the mean of a group of design points with nearby values, over every setting of %s; whiskers: a 95%% band over the replications and those settings.",
			text.List(others, "and"))
	default:
		sub = fmt.Sprintf("Each dot: the mean of every run with this value, over every setting of %s; whiskers: a 95%% band over the replications and those settings.",
			text.List(others, "and"))
	}
	if fitted {
		sub += " The other parameters vary with this one, so the dots may mislead: see the thresholds, read off the fitted main effect."
	} else if m.Replications > 1 {
		sub += " Runs on the same seed, compared in pairs, tell apart more than the whiskers show."
	}
	if words[k].about != "" {
		sub += " " + words[k].about
	}
	sub += fmt.Sprintf(" Sweep %s.", m.Experiment)
	return &Chart{
		Name:     "sweep-" + slug(m.Outcomes[o].Key) + "-vs-" + slug(par),
		Title:    fmt.Sprintf("%s against %s, by strategy", text.Capitalize(label), words[k].name),
		Subtitle: sub, plot: p, legendTitle: "strategy", legend: legend,
	}
}

// Interface checks.
var (
	_ plot.Thumbnailer = (*dots)(nil)
	_ plot.GlyphBoxer  = (*dots)(nil)
	_ plot.GlyphBoxer  = (*bars)(nil)
	_ plot.DataRanger  = (*bars)(nil)
)
