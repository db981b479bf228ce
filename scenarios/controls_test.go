package scenarios_test

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

// Every built-in lesson has controls for a class page; each control holds
// every strategy's own setting within its bounds and on its steps, and the
// scenario compiles with the control at either end.
func TestLessonControls(t *testing.T) {
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		src, err := scenarios.BuiltinSource(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		opt := scenarios.Options{Describe: true}
		sc, err := scenarios.LoadWith(in.Name+".yaml", src, opt)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Lesson == nil {
			continue
		}
		t.Run(in.Name, func(t *testing.T) {
			if n := len(sc.Lesson.Controls); n == 0 || n > scenarios.MaxControls {
				t.Fatalf("%d controls; want 1 to %d", n, scenarios.MaxControls)
			}
			for _, c := range sc.Lesson.Controls {
				if c.Label == "" || strings.Contains(c.Label, "_") {
					t.Errorf("%s: label %q is not in words", c.Where, c.Label)
				}
				for _, st := range sc.Model.Strategies {
					v, err := c.Value(sc, st.Name)
					if err != nil {
						t.Errorf("%s for %s: %v", c.Where, st.Name, err)
						continue
					}
					if err := c.Check(v); err != nil {
						t.Errorf("%s: strategy %s's own setting: %v", c.Where, st.Name, err)
					}
				}
				st := sc.Model.Strategies[0].Name
				for _, v := range []float64{c.Min, c.Max} {
					changed, err := sc.With([]scenarios.Override{c.Override(st, v)}, opt)
					if err != nil {
						t.Errorf("%s set to %g for %s: %v", c.Where, v, st, err)
						continue
					}
					if got, err := c.Value(changed, st); err != nil || got != v {
						t.Errorf("%s set to %g for %s reads back %g (%v)", c.Where, v, st, got, err)
					}
				}
			}
		})
	}
}

// A control's value is checked against its bounds, its steps, and, for a
// switch, its two ends; the message says what is allowed.
func TestControlCheck(t *testing.T) {
	slider := scenarios.Control{Label: "operators", Min: 1, Max: 12, Step: 1}
	sw := scenarios.Control{Label: "price match", Min: 0, Max: 1, Step: 1, Switch: true}
	fine := scenarios.Control{Label: "reach", Min: 0, Max: 0.05, Step: 0.0025}
	for _, tt := range []struct {
		c    scenarios.Control
		v    float64
		want string // "" for allowed
	}{
		{slider, 1, ""}, {slider, 12, ""}, {slider, 7, ""},
		{slider, 0, "out of range; allowed: 1 to 12 in steps of 1"},
		{slider, 12.5, "out of range"},
		{slider, 2.5, "not on a step of 1"},
		{sw, 0, ""}, {sw, 1, ""}, {sw, 0.5, "allowed: 0 (off) or 1 (on)"},
		{fine, 0.0175, ""}, {fine, 0.02, ""}, {fine, 0.021, "not on a step"},
	} {
		err := tt.c.Check(tt.v)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s %g: %v; want allowed", tt.c.Label, tt.v, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s %g: %v; want %q", tt.c.Label, tt.v, err, tt.want)
		}
	}
}

// Bad controls are refused with where they are and what is allowed.
func TestBadControls(t *testing.T) {
	base, err := scenarios.BuiltinSource("cx-investment")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, controls, want string
	}{
		{"unknown lever", `[{lever: servise}]`, `no lever "servise" (levers: service); did you mean "service"?`},
		{"both", `[{lever: service, path: run.horizon, min: 1, max: 2}]`, "not both or neither"},
		{"neither", `[{label: x}]`, "not both or neither"},
		{"no bounds", `[{path: run.horizon, label: x}]`, "give its min: and max:"},
		{"no such field", `[{path: run.horizn, label: x, min: 1, max: 2}]`, "lesson control run.horizn"},
		{"not a number", `[{path: journey.start, label: x, min: 1, max: 2}]`, "not a number"},
		{"min above max", `[{path: run.horizon, label: x, min: 3, max: 2}]`, "min below max"},
		{"beyond the lever", `[{lever: service, min: 0, max: 5}]`, "goes beyond lever service's 0 to 2"},
		{"bad step", `[{lever: service, step: 0}]`, "step 0; allowed: more than 0"},
		{"switch with a step", `[{lever: service, switch: true, step: 1}]`, "a switch has no step"},
		{"twice", `[{lever: service}, {lever: service}]`, "listed twice"},
		{"steps that miss max", `[{lever: service, step: 0.3}]`, "steps of 0.3 do not lead from 0 to 2"},
		{"strategy field missing", `[{path: strategy.suppress_above, label: x, min: 0, max: 2}]`, "for strategy thin_service"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(string(base), "lesson:\n", "lesson:\n  controls: "+tt.controls+"\n", 1)
			src = strings.Replace(src, "  controls:\n    - {lever: service", "  old_controls:\n    - {lever: service", 1)
			src = removeOldControls(src)
			_, err := scenarios.Load("cx.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "cx.yaml:") {
				t.Errorf("error %v; want cx.yaml:LINE:COL and %q", err, tt.want)
			}
		})
	}
}

// removeOldControls drops the lesson's own controls block (renamed
// old_controls) so that only the test's controls are read.
func removeOldControls(src string) string {
	lines := strings.Split(src, "\n")
	var out []string
	skip := false
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "  old_controls:"):
			skip = true
			continue
		case skip && strings.HasPrefix(l, "    "):
			continue
		}
		skip = false
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
