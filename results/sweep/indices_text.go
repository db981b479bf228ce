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
func (a *Analysis) writeIndices(w io.Writer) error {
	sec, ok := a.Indices()
	if !ok {
		return nil
	}
	if _, err := io.WriteString(w, "\n"+sec.Title+"\n"+text.Wrap(sec.Intro, width, "", "")); err != nil {
		return err
	}
	for _, t := range sec.Tables {
		fmt.Fprintf(w, "\n%s\n", t.Title)
		if t.Rows != nil {
			if err := output.RenderTable(w, t.Header, t.Rows); err != nil {
				return err
			}
		}
		for _, n := range t.Notes {
			if _, err := io.WriteString(w, text.Wrap(n, width, "  ", "  ")); err != nil {
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
		return fmt.Sprintf("each point's outcome is its mean over %d replications", r)
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
		alone := 0.0
		t.Rows = [][]string{}
		for _, i := range byDescending(r.Indices.ST) {
			t.Rows = append(t.Rows, []string{m.Params[r.Params[i]].Path, shareInterval(r.Indices.S1[i]), shareInterval(r.Indices.ST[i])})
			alone += r.Indices.S1[i].Value
		}
		switch {
		case r.Indices.Variance == 0:
			t.Notes = append(t.Notes, "The outcome is the same at every point.")
		case alone >= 0.9:
			t.Notes = append(t.Notes, "On their own the parameters account for "+percentCell(clippedShare(alone))+": they act mostly one by one.")
		default:
			t.Notes = append(t.Notes, "On their own the parameters account for "+percentCell(clippedShare(alone))+": the rest comes from interactions (or noise).")
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
	sec := IndexSection{Short: "Screening", Title: fmt.Sprintf("Screening (Morris elementary effects, %s, %d levels)", text.Count(m.Design.Trajectories, "trajectory"), m.Design.Levels),
		Intro: "Effect: how far the outcome moves, on average and whichever the direction, when the parameter crosses its whole range one step at a time (μ*). " +
			"Spread: how much that effect changes from one place in the design to another (σ); a spread near the effect or above it means a curved response or an interaction. " +
			"Direction: raises or lowers when the mean of the steps' effects (μ) is told apart from 0; unclear otherwise. " +
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
		o := slices.IndexFunc(m.Outcomes, func(x Outcome) bool { return x.Key == r.Outcome })
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
			t.Rows = append(t.Rows, []string{m.Params[r.Params[i]].Path, effect,
				num(r.Effects.Sigma[i].Value), direction(r.Effects.Mu[i], m.Outcomes[o].Better)})
		}
		if r.Effects.Skipped > 0 {
			t.Notes = append(t.Notes, text.Count(r.Effects.Skipped, "trajectory")+" left out: an outcome undefined at one of their points.")
		}
		sec.Tables = append(sec.Tables, t)
	}
	return sec
}

// direction says which way a parameter moves an outcome, from the mean
// of its elementary effects: raises or lowers when the interval leaves
// out 0 (and whether that is better, for an outcome with a direction),
// unclear otherwise.
func direction(mu sensitivity.Estimate, better int) string {
	var word string
	var up bool
	switch {
	case mu.Low > 0:
		word, up = "raises", true
	case mu.High < 0:
		word = "lowers"
	default:
		return "unclear"
	}
	switch {
	case better == 0:
		return word
	case (better > 0) == up:
		return word + " (better)"
	}
	return word + " (worse)"
}

// shareInterval writes an index as a percentage with its interval,
// clipped to 0–100% and the interval rounded outwards.
func shareInterval(e sensitivity.Estimate) string {
	lo := math.Floor(100 * clippedShare(e.Low))
	hi := math.Ceil(100 * clippedShare(e.High))
	return percentCell(clippedShare(e.Value)) + " (" + results.FormatNumber(lo, 0) + " to " + results.FormatNumber(hi, 0) + "%)"
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
