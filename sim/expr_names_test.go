package sim

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/expr-lang/expr/builtin"
)

// ReservedNames is the table of names, sorted, each once, lever and the
// functions included.
func TestReservedNamesAreTheTable(t *testing.T) {
	got := ReservedNames()
	if !slices.IsSorted(got) {
		t.Errorf("ReservedNames is not sorted: %v", got)
	}
	if len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("ReservedNames holds a name twice: %v", got)
	}
	var want []string
	for _, n := range ExprNames() {
		want = append(want, n.Name)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ReservedNames = %v\nwant the names of ExprNames %v", got, want)
	}
	for _, name := range []string{"lever", "event", "fatigue", "tick", "contacts", "min"} {
		if !slices.Contains(got, name) {
			t.Errorf("%s is not reserved", name)
		}
	}
}

// functionExamples calls each function of the table; whole-number
// arguments check that the VM takes them as the lowering does.
var functionExamples = map[string]string{
	"contacts":     `contacts("email", 7)`,
	"contacts_all": "contacts_all(7)",
	"exp":          "exp(loyalty)",
	"log":          "log(revenue)",
	"sqrt":         "sqrt(tick)",
	"clamp":        "clamp(tick, 2, purchases)",
	"min":          "min(loyalty, tick, 0.5)",
	"max":          "max(purchases, fatigue.push)",
	"abs":          "abs(loyalty - 0.5)",
	"floor":        "floor(revenue)",
	"ceil":         "ceil(tick / 7)",
	"round":        "round(income * 3)",
}

// examples returns expressions that read the name n, with their kinds.
func examples(t *testing.T, m *Model, n ExprName) map[string]ExprKind {
	out := map[string]ExprKind{}
	switch n.Kind {
	case NameNumber:
		out[n.Name] = Number
		out[n.Name+" + 1"] = Number
	case NameBool:
		out[n.Name] = Bool
	case NameText:
		b, _ := m.bind(n.Name, "")
		out[n.Name+" == "+strconv.Quote(b.text.domain[0])] = Bool
		out[n.Name+" in ["+strconv.Quote(b.text.domain[len(b.text.domain)-1])+"]"] = Bool
	case NameChannelNumber:
		for _, ch := range m.channelNames() {
			out[n.Name+"."+ch] = Number
		}
	case NameChannelBool:
		for _, ch := range m.channelNames() {
			out[n.Name+"."+ch] = Bool
		}
	case NameLever:
		for _, lv := range m.LeverNames() {
			out[n.Name+"."+lv] = Number
		}
	case NameEvent:
		for _, f := range n.Fields {
			out[n.Name+"."+f] = Bool
		}
	case NameFunction:
		src, ok := functionExamples[n.Name]
		if !ok {
			t.Errorf("no example calls the function %s", n.Name)
		}
		out[src] = Number
	default:
		t.Errorf("%s: unknown kind %v", n.Name, n.Kind)
	}
	return out
}

// Every name of the table is in the typed environment, or is a function
// declared to expr-lang (funcOptions) or given by it, and nothing else is;
// every one compiles, is lowered to closures and reads on the VM what it
// reads lowered.
func TestEveryNameIsTypedAndBound(t *testing.T) {
	m := fuzzModel(t)
	env := m.env()
	for _, a := range m.Population.Attributes {
		delete(env, a.Name)
	}
	declared := map[string]bool{}
	for _, n := range nameTable {
		switch {
		case n.fn1 != nil || n.fn3 != nil:
			declared[n.Name] = true
		case n.Kind == NameFunction && n.function == nil:
			if _, ok := builtin.Index[n.Name]; !ok {
				t.Errorf("%s: neither in the environment, declared nor one of expr-lang's functions", n.Name)
			}
		default:
			if _, ok := env[n.Name]; !ok {
				t.Errorf("%s is not in the typed environment", n.Name)
			}
			delete(env, n.Name)
		}
	}
	for name := range env {
		t.Errorf("the typed environment holds %s, which is not in the table", name)
	}
	if len(declared) != len(funcOptions) {
		t.Errorf("%d functions of numbers, %d declared to expr-lang", len(declared), len(funcOptions))
	}

	c := newCtx(m)
	c.initVM()
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range ExprNames() {
		switch {
		case n.Kind != NameFunction:
			if c.getters[n.Name] == nil {
				t.Errorf("the VM has no getter for %s", n.Name)
			}
		case !declared[n.Name] && !slices.Contains(builtin.Names, n.Name):
			if c.env[n.Name] == nil {
				t.Errorf("the VM has no function %s", n.Name)
			}
		}
		for src, kind := range examples(t, m, n) {
			e, err := m.Compile(n.Name, src, kind)
			if err != nil {
				t.Errorf("%s: %q: %v", n.Name, src, err)
				continue
			}
			if !e.Native {
				t.Errorf("%s: %q is not lowered", n.Name, src)
			}
			for range 4 {
				if msg := disagreement(e, randomCtx(m, 32, r)); msg != "" {
					t.Errorf("%s: %q: %s", n.Name, src, msg)
					break
				}
			}
		}
	}
}

// Event's fields, as expressions name them, are the event built-in's
// fields, in the order of the event bits.
func TestEventFields(t *testing.T) {
	ty := reflect.TypeFor[Event]()
	var tags []string
	for i := range ty.NumField() {
		tags = append(tags, ty.Field(i).Tag.Get("expr"))
	}
	n, _ := lookupName("event")
	if !slices.Equal(tags, n.Fields) {
		t.Errorf("Event's fields %v, the event built-in's %v", tags, n.Fields)
	}
	for k, f := range n.Fields {
		ev := reflect.ValueOf(eventOf(uint8(1) << k))
		for j := range ty.NumField() {
			if set := ev.Field(j).Bool(); set != (j == k) {
				t.Errorf("eventOf(bit %d = event.%s): %s is %v", k, f, ty.Field(j).Name, set)
			}
		}
	}
	// ExprNames hands out copies.
	for _, x := range ExprNames() {
		if x.Kind == NameEvent {
			x.Fields[0] = "changed"
		}
	}
	if n.Fields[0] != "visit" {
		t.Error("ExprNames shares the event fields with the table")
	}
}
