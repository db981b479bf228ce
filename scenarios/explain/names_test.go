package explain

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// functionCalls calls each function of the scenario language.
var functionCalls = map[string]string{
	"contacts":     `contacts("email", 7) < 2`,
	"contacts_all": "contacts_all(7) < 2",
	"exp":          "exp(loyalty)",
	"log":          "log(revenue)",
	"sqrt":         "sqrt(tick)",
	"clamp":        "clamp(loyalty, 0.2, 0.8)",
	"min":          "min(loyalty, 0.5)",
	"max":          "max(loyalty, 0.5)",
	"abs":          "abs(loyalty - 0.5)",
	"floor":        "floor(revenue)",
	"ceil":         "ceil(revenue)",
	"round":        "round(revenue)",
}

// The translator puts every name the scenario language has (sim's table of
// them) into words, quoting none: a name added to the language needs words
// here.
func TestDescribesEveryName(t *testing.T) {
	var tr Translator
	check := func(name, src, got, want string) {
		t.Helper()
		if strings.Contains(got, "`") || !strings.Contains(got, want) {
			t.Errorf("%s: %q is %q, want words with %q", name, src, got, want)
		}
	}
	for _, n := range sim.ExprNames() {
		switch n.Kind {
		case sim.NameNumber:
			if got := tr.Number(n.Name); got != n.Noun {
				t.Errorf("%s is %q, want its noun %q", n.Name, got, n.Noun)
			}
			check(n.Name, n.Name+" > 2", tr.Condition(n.Name+" > 2"), "2")
		case sim.NameBool:
			check(n.Name, n.Name, tr.Condition(n.Name), n.Noun)
			check(n.Name, "!"+n.Name, tr.Condition("!"+n.Name), "")
		case sim.NameText:
			src := n.Name + ` == "somewhere"`
			check(n.Name, src, tr.Condition(src), "somewhere")
			src = n.Name + ` in ["here", "there"]`
			check(n.Name, src, tr.Condition(src), "there")
		case sim.NameChannelNumber:
			check(n.Name, n.Name+".email", tr.Number(n.Name+".email"), n.Noun)
		case sim.NameChannelBool:
			check(n.Name, n.Name+".email", tr.Condition(n.Name+".email"), "e-mail")
		case sim.NameLever:
			check(n.Name, n.Name+".price_match", tr.Number(n.Name+".price_match"), "price match")
		case sim.NameEvent:
			for _, f := range n.Fields {
				check(n.Name, n.Name+"."+f, tr.Condition(n.Name+"."+f), "")
				check(n.Name, "!"+n.Name+"."+f, tr.Condition("!"+n.Name+"."+f), "")
			}
		case sim.NameFunction:
			src, ok := functionCalls[n.Name]
			if !ok {
				t.Errorf("no call of the function %s", n.Name)
				continue
			}
			check(n.Name, src, tr.Phrase(src), "")
		default:
			t.Errorf("%s: unknown kind %v", n.Name, n.Kind)
		}
	}
}
