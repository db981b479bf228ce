package sweep

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/text"
)

// writeIndices writes the Sobol' indices or Morris effects, when the
// design has them.
func (a *Analysis) writeIndices(w io.Writer) error {
	if len(a.Sobol) > 0 {
		return a.writeSobol(w)
	}
	if len(a.Morris) > 0 {
		return a.writeMorris(w)
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

func (a *Analysis) writeSobol(w io.Writer) error {
	m := a.Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "\nHow the variation splits (Sobol' indices, %s)\n", text.Count(m.Design.Points, "base point"))
	b.WriteString(text.Wrap("On its own: the share of the outcome's variation over the design that the parameter causes by itself (first-order index). "+
		"In total: with its interactions with the others (total index). A total well above the share on its own means the parameter's effect depends on the others. "+
		"In brackets, 95% bootstrap intervals; "+a.replicationWords()+", so noise left in those means adds a little to every total.", width, "", ""))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, r := range a.Sobol {
		fmt.Fprintf(w, "\n%s, %s\n", r.Outcome, r.Strategy)
		if r.Note != "" {
			fmt.Fprintf(w, "  %s\n", r.Note)
			continue
		}
		order := byDescending(r.Indices.ST)
		var rows [][]string
		alone := 0.0
		for _, i := range order {
			rows = append(rows, []string{m.Params[r.Params[i]].Path, shareInterval(r.Indices.S1[i]), shareInterval(r.Indices.ST[i])})
			alone += r.Indices.S1[i].Value
		}
		if err := output.RenderTable(w, []string{"parameter", "on its own", "in total"}, rows); err != nil {
			return err
		}
		switch {
		case r.Indices.Variance == 0:
			fmt.Fprintln(w, "  the outcome is the same at every point")
		case alone >= 0.9:
			fmt.Fprintf(w, "  on their own the parameters account for %s: they act mostly one by one\n", percentCell(clippedShare(alone)))
		default:
			fmt.Fprintf(w, "  on their own the parameters account for %s: the rest comes from interactions (or noise)\n", percentCell(clippedShare(alone)))
		}
		if r.Indices.Skipped > 0 {
			fmt.Fprintf(w, "  %s left out: an outcome undefined at one of their points\n", text.Count(r.Indices.Skipped, "base point"))
		}
	}
	return nil
}

func (a *Analysis) writeMorris(w io.Writer) error {
	m := a.Manifest
	var b strings.Builder
	fmt.Fprintf(&b, "\nScreening (Morris elementary effects, %s, %d levels)\n", text.Count(m.Design.Trajectories, "trajectory"), m.Design.Levels)
	b.WriteString(text.Wrap("Effect: how far the outcome moves, on average and whichever the direction, when the parameter crosses its whole range one step at a time (μ*). "+
		"Spread: how much that effect changes from one place in the design to another (σ); a spread near the effect or above it means a curved response or an interaction. "+
		"Direction: raises or lowers when the mean of the steps' effects (μ) is told apart from 0; unclear otherwise. "+
		"In brackets, 95% bootstrap intervals; "+a.replicationWords()+".", width, "", ""))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	for _, r := range a.Morris {
		fmt.Fprintf(w, "\n%s, %s", r.Outcome, r.Strategy)
		if r.Note != "" {
			fmt.Fprintf(w, "\n  %s\n", r.Note)
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
			fmt.Fprintf(w, " (effects in %s)", unit)
		}
		fmt.Fprintln(w)
		var rows [][]string
		for _, i := range byDescending(r.Effects.MuStar) {
			e, effect := r.Effects.MuStar[i], "none"
			if e.High > 0 {
				effect = num(e.Value) + " (" + num(e.Low) + " to " + num(e.High) + ")"
			}
			rows = append(rows, []string{m.Params[r.Params[i]].Path, effect,
				num(r.Effects.Sigma[i].Value), direction(r.Effects.Mu[i], m.Outcomes[o].Better)})
		}
		if err := output.RenderTable(w, []string{"parameter", "effect", "spread", "direction"}, rows); err != nil {
			return err
		}
		if r.Effects.Skipped > 0 {
			fmt.Fprintf(w, "  %s left out: an outcome undefined at one of their points\n", text.Count(r.Effects.Skipped, "trajectory"))
		}
	}
	return nil
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
