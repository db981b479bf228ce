package scenarios

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
)

// Scenario is a loaded scenario: the model the engine runs, and what the
// file says around it for people: the lesson it teaches, the checks it
// states, the currency its amounts are in, and its own text.
type Scenario struct {
	// Model is everything the engine runs, compiled.
	Model *sim.Model
	// Lesson is what the scenario teaches, for a class; nil for none.
	Lesson *Lesson
	// Checks are pass/fail conditions on outcomes that the scenario
	// states; the results package compiles and evaluates them.
	Checks []Check
	// Key names the outcomes that answer the scenario's question, shown
	// first: metric keys, channel.CHANNEL.METRIC or business-case measures,
	// as the scenario wrote them; the results package resolves them.
	Key []KeyOutcome
	// Currency names the unit of money in reports ("EUR").
	Currency string
	// Source is the scenario's text and where it came from, so that a run
	// can record exactly what it ran and fields can be changed.
	Source Source
}

// Lesson is what a scenario teaches: the question to ask the class, what
// to vary, and the outcome to expect.
type Lesson struct {
	Title    string
	Question string
	Vary     string
	Expect   string
	// Controls are the settings a class may change on the lesson's page
	// (journeysim serve), beyond the strategy tried.
	Controls []Control
}

// Check is a pass/fail condition on a strategy's outcomes, such as
// "profit_to_cost > 1.5", as the scenario wrote it.
type Check struct {
	Source string
	// Strategies limits the check to the named strategies; empty means all.
	Strategies []string
	// Where locates the check in its file ("retail.yaml:40:7"), for
	// messages.
	Where string
	// At, if set, locates a line and column inside Source in the file.
	At func(line, column int) string
}

// KeyOutcome is one name of a scenario's key list.
type KeyOutcome struct {
	Name string
	// Where locates the name in its file ("retail.yaml:12:7"), for
	// messages.
	Where string
}

// MaxKeyOutcomes is how many key outcomes a scenario may name: a few, so
// that they stay the key ones.
const MaxKeyOutcomes = 8

// Source is a scenario's text and where it came from.
type Source struct {
	// Origin is the file's path, or "builtin:NAME".
	Origin string
	Data   []byte
}

// File is the name the source's problems are reported under: the file's
// path, or builtin/NAME.yaml for a built-in.
func (s Source) File() string {
	if name, ok := strings.CutPrefix(s.Origin, "builtin:"); ok {
		return path.Join("builtin", name+".yaml")
	}
	return s.Origin
}

// With returns the scenario with fields of its text changed, loaded again
// with opt: overrides are applied to the text (so that a result folder
// records the changed scenario) and the whole scenario is checked and
// compiled anew. A problem with an override, or one the changed scenario
// has, comes back as an error naming it.
func (s *Scenario) With(overrides []Override, opt Options) (*Scenario, error) {
	data, err := Apply(s.Source.Data, overrides)
	if err != nil {
		return nil, err
	}
	changed, err := LoadWith(s.Source.File(), data, opt)
	if err != nil {
		return nil, &OverrideError{Overrides: overrides, Err: err}
	}
	changed.Source.Origin = s.Source.Origin
	return changed, nil
}

// OverrideError is a scenario that does not load once overrides are
// applied.
type OverrideError struct {
	Overrides []Override
	// Err is the loader's error, an ErrorList for problems in the file.
	Err error
}

func (e *OverrideError) Error() string {
	var list ErrorList
	if l, ok := e.Err.(ErrorList); ok {
		list = l
	}
	if list == nil {
		return e.Err.Error()
	}
	msgs := make([]string, len(list))
	for i, le := range list {
		msgs[i] = le.Message
	}
	return fmt.Sprintf("the scenario does not load with it: %s", strings.Join(msgs, "; "))
}

func (e *OverrideError) Unwrap() error { return e.Err }

// Keep leaves in the scenario only the strategies named in names, and the
// checks that are about them (a check for some strategies keeps those it
// names that stay), and returns the names of the strategies it took out,
// in the scenario's order. When none or all would be taken out, it changes
// nothing and returns nil.
func (s *Scenario) Keep(names []string) (left []string) {
	m := s.Model
	var kept []sim.Strategy
	for _, st := range m.Strategies {
		if slices.Contains(names, st.Name) {
			kept = append(kept, st)
		} else {
			left = append(left, st.Name)
		}
	}
	if len(left) == 0 || len(kept) == 0 {
		return nil
	}
	m.Strategies = kept
	var checks []Check
	for _, c := range s.Checks {
		if len(c.Strategies) > 0 {
			var about []string
			for _, name := range c.Strategies {
				if slices.Contains(names, name) {
					about = append(about, name)
				}
			}
			if len(about) == 0 {
				continue
			}
			c.Strategies = about
		}
		checks = append(checks, c)
	}
	s.Checks = checks
	return left
}
