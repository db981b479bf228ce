package scenarios

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// Control is a setting a lesson lets a class change with a slider or a
// switch (journeysim serve): a lever of the strategy being tried, or a
// field of the scenario, between two bounds.
type Control struct {
	// Label says what the control changes, in words.
	Label string
	// Lever is the lever the control sets for the strategy being tried;
	// "" for a control of a field.
	Lever string
	// Path is the field the control sets, as --set takes it; a path that
	// begins with "strategy." is in the strategy being tried. Empty for a
	// lever.
	Path string
	// Min and Max bound the control; Step is the smallest change.
	Min, Max, Step float64
	// Switch says the control is off (Min) or on (Max), nothing between.
	Switch bool
	// Where locates the control in its file ("retail.yaml:40:7").
	Where string
}

// MaxControls is the most controls a lesson may have: a class page shows
// them all at once.
const MaxControls = 8

// strategyPrefix begins a control's path that is in the strategy being
// tried.
const strategyPrefix = "strategy."

// FieldPath is the path, as --set takes it, of the field the control sets
// for the strategy called strategy.
func (c Control) FieldPath(strategy string) string {
	if c.Lever != "" {
		return FormatPath([]string{"strategies", strategy, "levers", c.Lever})
	}
	if rest, ok := strings.CutPrefix(c.Path, strategyPrefix); ok {
		return FormatPath([]string{"strategies", strategy}) + "." + rest
	}
	return c.Path
}

// Override sets the control to v for the strategy called strategy.
func (c Control) Override(strategy string, v float64) Override {
	return Override{Path: c.FieldPath(strategy), Value: NumberValue(v)}
}

// Check reports whether v is a value the control allows: within its
// bounds, on its steps, and for a switch one of its two ends.
func (c Control) Check(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("%s: %g is not a number; allowed: %s", c.Label, v, c.Allowed())
	case c.Switch && v != c.Min && v != c.Max:
		return fmt.Errorf("%s: %g; allowed: %s", c.Label, v, c.Allowed())
	case v < c.Min || v > c.Max:
		return fmt.Errorf("%s: %g is out of range; allowed: %s", c.Label, v, c.Allowed())
	}
	if steps := (v - c.Min) / c.Step; math.Abs(steps-math.Round(steps)) > 1e-6 {
		return fmt.Errorf("%s: %g is not on a step of %g from %g; allowed: %s", c.Label, v, c.Step, c.Min, c.Allowed())
	}
	return nil
}

// Allowed says in words which values the control allows.
func (c Control) Allowed() string {
	if c.Switch {
		return fmt.Sprintf("%s (off) or %s (on)", number(c.Min), number(c.Max))
	}
	return fmt.Sprintf("%s to %s in steps of %s", number(c.Min), number(c.Max), number(c.Step))
}

func number(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Value is the control's setting in sc for the strategy called strategy:
// the strategy's lever, or the field the control sets as the strategy
// sees it (inherited through extends where the strategy does not set it).
func (c Control) Value(sc *Scenario, strategy string) (float64, error) {
	m := sc.Model
	if c.Lever != "" {
		s, l := m.StrategyIndex(strategy), m.LeverIndex(c.Lever)
		if s < 0 || l < 0 {
			return 0, fmt.Errorf("%s: no strategy %q or lever %q", c.Where, strategy, c.Lever)
		}
		return m.Strategies[s].Levers[l], nil
	}
	root, err := yamlRoot(sc.Source.Data)
	if err != nil {
		return 0, err
	}
	return fieldNumber(root, c.FieldPath(strategy))
}

// yamlRoot parses a scenario's text to its root mapping.
func yamlRoot(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read the scenario: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the scenario is empty")
	}
	return doc.Content[0], nil
}

// fieldNumber reads the number at path under root.
func fieldNumber(root *yaml.Node, path string) (float64, error) {
	n, err := Resolve(root, path, false)
	if err != nil {
		return 0, err
	}
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("%s: holds %s, not a number", path, describe(n))
	}
	switch n.Value {
	case "true":
		return 1, nil
	case "false":
		return 0, nil
	}
	v, err := strconv.ParseFloat(n.Value, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a number", path, n.Value)
	}
	return v, nil
}

// controls compiles the lesson's controls: each names a lever or a field
// of the scenario (checked for every strategy when it is in the strategy
// tried) and bounds it.
func (c *compiler) controls() {
	l := c.spec.Lesson
	if l == nil || len(l.Controls) == 0 {
		return
	}
	if len(l.Controls) > MaxControls {
		c.at(l.Controls[MaxControls].Pos, "lesson: %d controls; allowed at most %d, the settings the lesson is about", len(l.Controls), MaxControls)
		return
	}
	m := c.m
	var root *yaml.Node
	seen := map[string]bool{}
	for _, cs := range l.Controls {
		ctl := Control{Where: fmt.Sprintf("%s:%d:%d", c.file, cs.Pos.Line, cs.Pos.Column), Switch: cs.Switch.V}
		switch {
		case cs.Lever.Set == cs.Path.Set:
			c.at(cs.Pos, "lesson control: give lever: NAME (a lever of the strategy tried) or path: PATH (a field, as --set takes it), not both or neither")
			continue
		case cs.Lever.Set:
			k := m.LeverIndex(cs.Lever.V)
			if k < 0 {
				c.at(cs.Lever.Pos, "lesson control: no lever %q (levers: %s)%s", cs.Lever.V, orNone(m.LeverNames()), text.DidYouMean(cs.Lever.V, m.LeverNames()))
				continue
			}
			lv := m.Levers[k]
			ctl.Lever = lv.Name
			ctl.Label = lv.Description
			if math.IsInf(lv.Min, 0) || math.IsInf(lv.Max, 0) {
				if !cs.Min.Set || !cs.Max.Set {
					c.at(cs.Lever.Pos, "lesson control: lever %s has no min and max; give the control's min: and max:", lv.Name)
					continue
				}
			}
			ctl.Min, ctl.Max = cs.Min.Or(lv.Min), cs.Max.Or(lv.Max)
			if ctl.Min < lv.Min || ctl.Max > lv.Max {
				c.at(cs.Pos, "lesson control: %g to %g goes beyond lever %s's %g to %g", ctl.Min, ctl.Max, lv.Name, lv.Min, lv.Max)
				continue
			}
		default:
			ctl.Path = strings.TrimSpace(cs.Path.V)
			if !cs.Min.Set || !cs.Max.Set {
				c.at(cs.Path.Pos, "lesson control %s: give its min: and max:", ctl.Path)
				continue
			}
			ctl.Min, ctl.Max = cs.Min.V, cs.Max.V
			if !(ctl.Min < ctl.Max) {
				c.at(cs.Pos, "lesson control %s: min %g and max %g; allowed: finite, min below max", ctl.Path, ctl.Min, ctl.Max)
				continue
			}
			if root == nil {
				var err error
				if root, err = yamlRoot(c.sc.Source.Data); err != nil {
					c.at(cs.Path.Pos, "%v", err)
					return
				}
			}
			if !c.controlPathResolves(root, ctl, cs.Path.Pos) {
				continue
			}
		}
		if cs.Label.Set {
			ctl.Label = strings.TrimSpace(cs.Label.V)
		}
		if ctl.Label == "" {
			c.at(cs.Pos, "lesson control: give it a label: what it changes, in words")
			continue
		}
		key := ctl.Lever + "\x00" + ctl.Path
		if seen[key] {
			c.at(cs.Pos, "lesson control: %s is listed twice", cmpOr(ctl.Lever, ctl.Path))
			continue
		}
		seen[key] = true
		if !(ctl.Min < ctl.Max) || math.IsInf(ctl.Min, 0) || math.IsInf(ctl.Max, 0) {
			c.at(cs.Pos, "lesson control %s: min %g and max %g; allowed: finite, min below max", ctl.Label, ctl.Min, ctl.Max)
			continue
		}
		ctl.Step = ctl.Max - ctl.Min
		if !ctl.Switch {
			ctl.Step = cs.Step.Or((ctl.Max - ctl.Min) / 20)
			if cs.Step.Set && !(cs.Step.V > 0 && cs.Step.V <= ctl.Max-ctl.Min) {
				c.at(cs.Step.Pos, "lesson control %s: step %g; allowed: more than 0, at most max − min (%g)", ctl.Label, cs.Step.V, ctl.Max-ctl.Min)
				continue
			}
			if n := (ctl.Max - ctl.Min) / ctl.Step; n > 1000 {
				c.at(cs.Step.Pos, "lesson control %s: step %g makes %.0f positions; allowed: at most 1,000", ctl.Label, ctl.Step, n)
				continue
			}
		} else if cs.Step.Set {
			c.at(cs.Step.Pos, "lesson control %s: a switch has no step; it is min (off) or max (on)", ctl.Label)
			continue
		}
		if n := (ctl.Max - ctl.Min) / ctl.Step; math.Abs(n-math.Round(n)) > 1e-6 {
			c.at(cs.Step.Pos, "lesson control %s: steps of %g do not lead from %g to %g; give a step that divides max − min", ctl.Label, ctl.Step, ctl.Min, ctl.Max)
			continue
		}
		c.sc.Lesson.Controls = append(c.sc.Lesson.Controls, ctl)
	}
}

// controlPathResolves reports whether a control's path names a number of
// the scenario, for every strategy when it is in the strategy tried, and
// says where it does not.
func (c *compiler) controlPathResolves(root *yaml.Node, ctl Control, at Pos) bool {
	strategies := []string{""}
	if strings.HasPrefix(ctl.Path, strategyPrefix) {
		strategies = strategyNames(c.m)
	} else if _, err := ParsePath(ctl.Path); err != nil {
		c.at(at, "lesson control: %v", err)
		return false
	}
	for _, s := range strategies {
		path := ctl.FieldPath(s)
		if _, err := ParsePath(path); err != nil {
			c.at(at, "lesson control: %v", err)
			return false
		}
		if _, err := fieldNumber(root, path); err != nil {
			where := ""
			if s != "" {
				where = " for strategy " + s
			}
			c.at(at, "lesson control %s%s: %v; name a number the scenario sets (as --set takes it; strategy.FIELD for the strategy tried)", ctl.Path, where, err)
			return false
		}
	}
	return true
}

// orNone lists names, or says there are none.
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// cmpOr returns a, or b when a is empty.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
