package qmc

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// Saltelli's rows are A, then A with one coordinate from B for each
// parameter, then B; A and B are the two halves of a scrambled Sobol'
// sequence.
func TestSaltelliLayout(t *testing.T) {
	const n, d, seed = 16, 3, 11
	rows, err := Saltelli(n, d, seed)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n*(d+2) {
		t.Fatalf("%d rows; want n·(d+2) = %d", len(rows), n*(d+2))
	}
	seq, _ := NewSobol(2*d, seed, true)
	base := make([]float64, 2*d)
	for j := range n {
		seq.Next(base)
		a, b := base[:d], base[d:]
		block := rows[j*(d+2) : (j+1)*(d+2)]
		if !slices.Equal(block[0], a) {
			t.Errorf("row %d = %v; want A_%d = %v", j*(d+2), block[0], j, a)
		}
		if !slices.Equal(block[d+1], b) {
			t.Errorf("row %d = %v; want B_%d = %v", j*(d+2)+d+1, block[d+1], j, b)
		}
		for i := range d {
			ab := block[1+i]
			for k := range d {
				want := a[k]
				if k == i {
					want = b[k]
				}
				if ab[k] != want {
					t.Errorf("row %d (AB^(%d)_%d) column %d = %v; want %v", j*(d+2)+1+i, i, j, k, ab[k], want)
				}
			}
		}
	}
	// Appending to a row leaves the next one alone.
	next := rows[1][0]
	_ = append(rows[0], -1)
	if rows[1][0] != next {
		t.Error("appending to row 0 changed row 1")
	}
}

// Saltelli's A and B columns are each stratified, and the sample is a pure
// function of its seed.
func TestSaltelliSeeds(t *testing.T) {
	a, _ := Saltelli(64, 4, 1)
	b, _ := Saltelli(64, 4, 1)
	c, _ := Saltelli(64, 4, 2)
	same, differ := true, false
	for r := range a {
		same = same && slices.Equal(a[r], b[r])
		differ = differ || !slices.Equal(a[r], c[r])
	}
	if !same {
		t.Error("the same seed gave different samples")
	}
	if !differ {
		t.Error("seeds 1 and 2 gave the same sample")
	}
	for k := range 4 {
		seen := make([]bool, 64)
		for j := range 64 {
			cell := int(a[j*6][k] * 64)
			if seen[cell] {
				t.Fatalf("column %d of A takes cell %d twice", k, cell)
			}
			seen[cell] = true
		}
	}
}

// Morris trajectories change one coordinate at a time by ±Δ, each
// coordinate once, and stay on the grid in [0, 1].
func TestMorrisTrajectories(t *testing.T) {
	for _, levels := range []int{2, 4, 6, 10} {
		const trajectories, d = 50, 5
		rows, err := Morris(trajectories, d, levels, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != trajectories*(d+1) {
			t.Fatalf("levels %d: %d rows; want %d", levels, len(rows), trajectories*(d+1))
		}
		delta := float64(levels) / (2 * float64(levels-1))
		ups, downs := 0, 0
		for tr := range trajectories {
			traj := rows[tr*(d+1) : (tr+1)*(d+1)]
			changed := make([]bool, d)
			for r, row := range traj {
				for k, x := range row {
					level := x * float64(levels-1)
					if x < 0 || x > 1 || math.Abs(level-math.Round(level)) > 1e-9 {
						t.Fatalf("levels %d, trajectory %d, row %d: coordinate %d = %v is off the grid", levels, tr, r, k, x)
					}
				}
				if r == 0 {
					continue
				}
				diff := -1
				for k := range row {
					if row[k] != traj[r-1][k] {
						if diff >= 0 {
							t.Fatalf("levels %d, trajectory %d, row %d changes coordinates %d and %d", levels, tr, r, diff, k)
						}
						diff = k
					}
				}
				if diff < 0 {
					t.Fatalf("levels %d, trajectory %d, row %d changes nothing", levels, tr, r)
				}
				if changed[diff] {
					t.Fatalf("levels %d, trajectory %d changes coordinate %d twice", levels, tr, diff)
				}
				changed[diff] = true
				step := row[diff] - traj[r-1][diff]
				if math.Abs(math.Abs(step)-delta) > 1e-12 {
					t.Fatalf("levels %d, trajectory %d, row %d: step %v; want ±%v", levels, tr, r, step, delta)
				}
				if step > 0 {
					ups++
				} else {
					downs++
				}
			}
		}
		if ups == 0 || downs == 0 {
			t.Errorf("levels %d: %d steps up and %d down; want both", levels, ups, downs)
		}
	}
}

// Each coordinate is changed first in some trajectory: the order is
// random, not fixed.
func TestMorrisOrderVaries(t *testing.T) {
	const trajectories, d = 40, 4
	rows, _ := Morris(trajectories, d, 4, 8)
	first := make([]bool, d)
	for tr := range trajectories {
		for k := range d {
			if rows[tr*(d+1)+1][k] != rows[tr*(d+1)][k] {
				first[k] = true
			}
		}
	}
	for k, ok := range first {
		if !ok {
			t.Errorf("coordinate %d never changes first in %d trajectories", k, trajectories)
		}
	}
	again, _ := Morris(trajectories, d, 4, 8)
	other, _ := Morris(trajectories, d, 4, 9)
	differ := false
	for r := range rows {
		if !slices.Equal(rows[r], again[r]) {
			t.Fatalf("row %d: the same seed gave %v and %v", r, rows[r], again[r])
		}
		differ = differ || !slices.Equal(rows[r], other[r])
	}
	if !differ {
		t.Error("seeds 8 and 9 gave the same design")
	}
}

func TestDesignErrors(t *testing.T) {
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"saltelli n 1", func() error { _, err := Saltelli(1, 2, 0); return err }, "1 base points"},
		{"saltelli n 0", func() error { _, err := Saltelli(0, 2, 0); return err }, "0 base points"},
		{"saltelli n huge", func() error { _, err := Saltelli(MaxBase+1, 2, 0); return err }, "base points"},
		{"saltelli d 0", func() error { _, err := Saltelli(8, 0, 0); return err }, "0 parameters"},
		{"saltelli d too many", func() error { _, err := Saltelli(8, MaxParams+1, 0); return err }, "want 1 to 100"},
		{"morris 1 trajectory", func() error { _, err := Morris(1, 2, 4, 0); return err }, "1 trajectories"},
		{"morris d 0", func() error { _, err := Morris(4, 0, 4, 0); return err }, "0 parameters"},
		{"morris d too many", func() error { _, err := Morris(4, MaxParams+1, 4, 0); return err }, "parameters"},
		{"morris odd levels", func() error { _, err := Morris(4, 2, 5, 0); return err }, "5 levels"},
		{"morris 0 levels", func() error { _, err := Morris(4, 2, 0, 0); return err }, "0 levels"},
		{"morris too many levels", func() error { _, err := Morris(4, 2, 102, 0); return err }, "102 levels"},
	}
	for _, tt := range tests {
		err := tt.call()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := Saltelli(2, MaxParams, 0); err != nil {
		t.Errorf("Saltelli(2, MaxParams): %v", err)
	}
	if _, err := Morris(2, MaxParams, 100, 0); err != nil {
		t.Errorf("Morris(2, MaxParams, 100): %v", err)
	}
}
