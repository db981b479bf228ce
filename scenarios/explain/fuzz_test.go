package explain

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/expr-lang/expr/parser"
	"github.com/journeysim/journeysim/scenarios"
)

// FuzzTranslate: any expression that expr-lang parses translates, in every
// mode, without panicking, and into some words. The translator's internal
// functions are called directly, past the recover in the exported
// methods, so that a panic is found rather than hidden.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"since_purchase > 30 && loyalty < 0.5",
		`cart ? 0.6 : 0.25`,
		`node == "review" ? (loyalty >= 0.8 ? 0.15 : 0) : (loyalty >= 0.82 ? 0.0003 : 0)`,
		"tick % 7 == 0 || tick % 7 == 3",
		`contacts("email", 7) < 2 and not event.purchase`,
		"max(0, fatigue.email - tolerance) ** 2",
		`stage in ["a", "b"]`,
		"tick % 0 == 1", "tick % 7 == -1", "1 / 0", "-(-(-loyalty))",
		"let x = 1; x", "[1, 2][0] > 0", "{a: 1}.a", "foo?.bar ?? 1", "all([1], # > 0)",
		"if cart { 1 } else { 0 }", "1..3", "contacts()", "contacts(1, 2, 3)", "max()", "clamp(1)",
		"`a` == 'b'", "x.y.z(1)", "!!!true", "not not cart", "_", "_ > __", `fatigue[""] > 1`,
	} {
		f.Add(s)
	}
	// Every expression of the built-in scenarios.
	if infos, err := scenarios.Builtins(); err == nil {
		for _, in := range infos {
			if sc, err := scenarios.Builtin(in.Name); err == nil {
				for _, e := range sc.Model.Expressions() {
					f.Add(e.Source)
				}
			}
		}
	}
	t := &Translator{Tick: "day", Currency: "EUR"}
	f.Fuzz(func(tt *testing.T, source string) {
		tree, err := parser.Parse(source)
		if err != nil || tree == nil || tree.Node == nil {
			return
		}
		for mode, out := range map[string]string{
			"condition":   t.condition(tree.Node),
			"number":      t.number(tree.Node),
			"probability": t.probability(tree.Node),
		} {
			if strings.TrimSpace(out) == "" {
				tt.Errorf("%s of %q is empty", mode, source)
			}
			if utf8.ValidString(source) && !utf8.ValidString(out) {
				tt.Errorf("%s of %q is not valid UTF-8: %q", mode, source, out)
			}
		}
		// The exported methods agree with the internal ones.
		if got, want := t.Condition(source), t.condition(tree.Node); got != want {
			tt.Errorf("Condition(%q) = %q, condition = %q", source, got, want)
		}
	})
}
