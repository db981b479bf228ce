package sweep

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/text"
)

// IndexSection is the Sobol' indices or Morris effects of a sweep as
// people read them, for any renderer: a title, an introduction that says
// how to read them, and a table per outcome and strategy.
type IndexSection struct {
	// Short is the title's first words, for a table of contents.
	Short  string
	Title  string
	Intro  string
	Tables []IndexTable
}

// IndexTable is one outcome's indices or effects under one strategy: a
// title, a header and rows (parameters, most influential first), and
// notes that follow the table. Rows is nil when Notes says why there are
// none.
type IndexTable struct {
	Title  string
	Header []string
	Rows   [][]string
	Notes  []string
}

// Indices returns the Sobol' indices or the Morris effects as people read
// them; ok is false for designs of other kinds.
func (a *Analysis) Indices() (sec IndexSection, ok bool) {
	switch {
	case len(a.Sobol) > 0:
		return a.sobolSection(), true
	case len(a.Morris) > 0:
		return a.morrisSection(), true
	}
	return IndexSection{}, false
}

// writeIndices writes the Sobol' indices or Morris effects, when the
// design has them.
func (a *Analysis) writeIndices(w io.Writer, cols int) error {
	sec, ok := a.Indices()
	if !ok {
		return nil
	}
	if _, err := io.WriteString(w, "\n"+output.WrapLine(sec.Title, cols, "", "  ")+wrap(sec.Intro, cols, "", "")); err != nil {
		return err
	}
	for _, t := range sec.Tables {
		io.WriteString(w, "\n"+output.WrapLine(t.Title, cols, "", "  "))
		if t.Rows != nil {
			if err := output.RenderTableWidth(w, t.Header, t.Rows, cols); err != nil {
				return err
			}
		}
		for _, n := range t.Notes {
			if _, err := io.WriteString(w, wrap(n, cols, "  ", "  ")); err != nil {
				return err
			}
		}
	}
	return nil
}

// replicationWords says what each point's outcome is: its mean over the
// replications, or its one run.
func (a *Analysis) replicationWords() string {
	if r := a.Manifest.Replications; r > 1 {
		return "each point's outcome is its mean over " + text.Count(r, "replication")
	}
	return "each point's outcome is its one run"
}

func (a *Analysis) sobolSection() IndexSection {
	m := a.Manifest
	sec := IndexSection{Short: "How the variation splits", Title: fmt.Sprintf("How the variation splits (Sobol' indices, %s)", text.Count(m.Design.Points, "base point")),
		Intro: "On its own: the share of the outcome's variation over the design that the parameter causes by itself (first-order index). " +
			"In total: with its interactions with the others (total index). A total well above the share on its own means the parameter's effect depends on the others. " +
			"In brackets, 95% bootstrap intervals; " + a.replicationWords() + ", so noise left in those means adds a little to every total."}
	for _, r := range a.Sobol {
		t := IndexTable{Title: r.Outcome + ", " + r.Strategy, Header: []string{"parameter", "on its own", "in total"}}
		if r.Note != "" {
			t.Notes = []string{r.Note}
			sec.Tables = append(sec.Tables, t)
			continue
		}
		alone, total, suspect := 0.0, 0.0, r.Indices.N < minBasePoints
		t.Rows = [][]string{}
		for _, i := range byDescending(r.Indices.ST) {
			s1, st := r.Indices.S1[i], r.Indices.ST[i]
			t.Rows = append(t.Rows, []string{a.label(r.Params[i]), shareInterval(s1), shareInterval(st)})
			alone += s1.Value
			total += st.Value
			suspect = suspect || !plausibleShare(s1) || !plausibleShare(st) || s1.Low > st.High
		}
		switch {
		case r.Indices.Variance == 0:
			t.Notes = append(t.Notes, "The outcome is the same at every point.")
		default:
			t.Notes = append(t.Notes, "On their own the parameters account for "+percentCell(alone)+"; each with its interactions, "+percentCell(total)+
				" in all. The further the second is above the first, the more the parameters act together (or the more noise is left in the points' outcomes).")
		}
		if suspect {
			t.Notes = append(t.Notes, fmt.Sprintf("These estimates are not reliable: some fall outside 0 to 100%%, or a share on its own exceeds its total, which %s are too few to avoid; run more (such as %s).",
				text.Count(r.Indices.N, "base point"), whole(max(4*r.Indices.N, 2*minBasePoints))))
		}
		if r.Indices.Skipped > 0 {
			t.Notes = append(t.Notes, text.Count(r.Indices.Skipped, "base point")+" left out: an outcome undefined at one of their points.")
		}
		sec.Tables = append(sec.Tables, t)
	}
	return sec
}

func (a *Analysis) morrisSection() IndexSection {
	m := a.Manifest
	sec := IndexSection{Short: "Screening", Title: fmt.Sprintf("Screening (Morris elementary effects, %s, %s)", text.Count(m.Design.Trajectories, "trajectory"), text.Count(m.Design.Levels, "level")),
		Intro: "Effect: how far the outcome moves, on average and whichever the direction, per whole range of the parameter (of its probability, for a distribution or a list), measured one step at a time (μ*). " +
			"Spread: how much that effect changes from one place in the design to another (σ); a spread near the effect or above it means a curved response, an interaction or, with few replications, noise. " +
			"Direction: raises or lowers when the mean of the steps' effects (μ) is told apart from 0, both ways when the effect is but the mean is not, none when no step moves the outcome. " +
			"In brackets, 95% bootstrap intervals; " + a.replicationWords() + "."}
	for _, r := range a.Morris {
		t := IndexTable{Title: r.Outcome + ", " + r.Strategy, Header: []string{"parameter", "effect", "spread", "direction"}}
		if r.Note != "" {
			t.Notes = []string{r.Note}
			sec.Tables = append(sec.Tables, t)
			continue
		}
		var values []float64
		for _, e := range r.Effects.MuStar {
			values = append(values, e.Value)
		}
		f := FormatOutcome(r.Outcome, a.Currency, values...)
		num := func(v float64) string { return results.FormatNumber(v*f.scale, f.digits) }
		if unit := f.ChangeUnit(); unit != "" {
			t.Title += " (effects in " + unit + ")"
		}
		t.Rows = [][]string{}
		for _, i := range byDescending(r.Effects.MuStar) {
			e, effect := r.Effects.MuStar[i], "none"
			if e.High > 0 {
				effect = num(e.Value) + " (" + num(e.Low) + " to " + num(e.High) + ")"
			}
			t.Rows = append(t.Rows, []string{a.label(r.Params[i]), effect,
				num(r.Effects.Sigma[i].Value), direction(e, r.Effects.Mu[i])})
		}
		if r.Effects.Skipped > 0 {
			t.Notes = append(t.Notes, text.Count(r.Effects.Skipped, "trajectory")+" left out: an outcome undefined at one of their points.")
		}
		sec.Tables = append(sec.Tables, t)
	}
	return sec
}

// direction says which way a parameter moves an outcome, from its
// elementary effects: none when they are all 0; raises or lowers when the
// interval of their mean (μ) leaves out 0; both ways when their mean size
// (μ*) is told apart from 0 but their mean is not; unclear otherwise.
func direction(muStar, mu sensitivity.Estimate) string {
	switch {
	case muStar.High == 0:
		return "none"
	case mu.Low > 0:
		return "raises"
	case mu.High < 0:
		return "lowers"
	case muStar.Low > 0:
		return "both ways"
	}
	return "unclear"
}

// minBasePoints is the fewest base points whose Sobol' indices the text
// does not warn about.
const minBasePoints = 64

// plausibleShare reports whether a Sobol' index and its interval lie in
// 0 to 1, give or take the estimators' small overshoot.
func plausibleShare(e sensitivity.Estimate) bool {
	const slack = 0.05
	return e.Low >= -slack && e.High <= 1+slack && e.Value >= -slack && e.Value <= 1+slack
}

// shareInterval writes an index as a percentage with its interval, the
// interval rounded outwards.
func shareInterval(e sensitivity.Estimate) string {
	lo := math.Floor(100 * e.Low)
	hi := math.Ceil(100 * e.High)
	return percentCell(e.Value) + " (" + results.FormatNumber(lo, 0) + " to " + results.FormatNumber(hi, 0) + "%)"
}

// byDescending returns the indices of es, largest value first; ties keep
// their order.
func byDescending(es []sensitivity.Estimate) []int {
	order := make([]int, len(es))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		vx, vy := es[x].Value, es[y].Value
		if math.IsNaN(vx) {
			vx = math.Inf(-1)
		}
		if math.IsNaN(vy) {
			vy = math.Inf(-1)
		}
		return cmpFloat(vy, vx)
	})
	return order
}
