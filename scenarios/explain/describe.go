package explain

import (
	"fmt"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
)

// AsRun says how a scenario was run where that differs from its file, as
// in a sweep: the settings held fixed, the replications and seed, and the
// strategies run.
type AsRun struct {
	// Fixed are fields set before the run; if the scenario refuses them,
	// it is described without them (Described.Applied is false).
	Fixed        []scenarios.Override
	Replications int
	// Seed is the master seed, when SeedSet.
	Seed    uint64
	SeedSet bool
	// Strategies names the strategies run; the others are left out.
	Strategies []string
}

// Described is a scenario put into words.
type Described struct {
	// Scenario is the scenario as described: loaded to be described (its
	// plugin channels unchecked) and changed as the run was.
	Scenario *scenarios.Scenario
	// Text is the scenario in plain words, as Text writes it.
	Text string
	// Strategies counts the scenario's strategies before any was left
	// out; Left names those left out, in the scenario's order.
	Strategies int
	Left       []string
	// Applied says whether the fixed settings are in the description.
	Applied bool
}

// Describe loads the scenario src (file names it in messages) to be
// described, changes it as run says (nil: as the file says), and puts it
// into words. A scenario whose channels are served by plugins needs none
// of them. Its error is the loader's: the scenario does not load.
func Describe(file string, src []byte, run *AsRun) (*Described, error) {
	d := &Described{}
	if run != nil && len(run.Fixed) > 0 {
		if changed, err := scenarios.Apply(src, run.Fixed); err == nil {
			src, d.Applied = changed, true
		}
	}
	sc, err := scenarios.LoadWith(file, src, scenarios.Options{Describe: true})
	if err != nil {
		return nil, err
	}
	d.Scenario, d.Strategies = sc, len(sc.Model.Strategies)
	if run != nil {
		sc.Model.Replications = run.Replications
		if run.SeedSet {
			sc.Model.Seed = run.Seed
		}
		d.Left = sc.Keep(run.Strategies)
	}
	var b strings.Builder
	if err := Text(&b, sc); err != nil {
		return nil, fmt.Errorf("explain %s: %w", file, err)
	}
	d.Text = b.String()
	return d, nil
}
