package sim

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// testModel builds a small model by hand: three channels, a numeric and a
// categorical attribute, two personas, three nodes on three stages.
func testModel(t testing.TB) *Model {
	t.Helper()
	nan := math.NaN()
	dist := func(k DistKind, p ...float64) Dist { return Dist{Kind: k, Params: p, Min: nan, Max: nan} }
	tier := Dist{Kind: Categorical, Levels: []string{"gold", "silver", "bronze"}, Weights: []float64{0.2, 0.3, 0.5}, Min: nan, Max: nan}
	persona := func(name string, share float64, income Dist) Persona {
		return Persona{
			Name: name, Share: share,
			Attributes: []Dist{income, tier},
			Affinity:   []Dist{dist(Uniform, 0, 1), dist(Beta, 2, 2), ConstantDist(0.4)},
			Consent:    []float64{0.7, 0.5, 1},
			Tolerance:  dist(Uniform, 1, 4),
			Loyalty:    dist(Uniform, 0, 1),
		}
	}
	m := &Model{
		Name: "hand", Horizon: 10, Replications: 1, Seed: 9,
		Population: Population{
			Size:       100,
			Attributes: []Attribute{{Name: "income"}, {Name: "tier", Levels: []string{"gold", "silver", "bronze"}}},
			Personas:   []Persona{persona("young", 0.5, dist(Normal, 0.5, 0.2)), persona("old", 0.5, dist(Uniform, 0, 2))},
		},
		Channels: []Channel{
			{Name: "email", Behaviour: silentBehaviour{}},
			{Name: "push", Behaviour: silentBehaviour{}},
			{Name: "web", Direction: Inbound, Behaviour: silentBehaviour{}},
		},
		Stages: []string{"aware", "consider", "buy"},
		Nodes: []Node{
			{Name: "aware", Stage: 0, Channel: -1},
			{Name: "browse", Stage: 1, Channel: 2},
			{Name: "buy", Stage: 2, Channel: 2, Purchase: true, Basket: ConstantDist(50)},
		},
		Basket:     ConstantDist(50),
		Strategies: []Strategy{{Name: "s", Channels: []bool{true, true, true}, PerTick: 1, Discount: 0.05}},
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// testState samples n customers and scrambles their dynamic state.
func testState(m *Model, n int, seed uint64) *state {
	s := newState(m, n)
	s.sample(m, seed, 0, n)
	s.reset(m)
	r := rand.New(rand.NewPCG(seed, 7))
	for i := range n {
		s.node[i] = int16(r.IntN(len(m.Nodes)))
		s.flags[i] = uint8(r.IntN(8))
		s.events[i] = uint8(r.IntN(64))
		s.loyalty[i] = r.Float64()
		for c := range m.Channels {
			s.fatigue[c][i] = 3 * r.Float64()
			s.bits[c][i] = r.Uint64()
		}
		s.optedOut[i] = uint32(r.IntN(8))
		if r.IntN(3) > 0 {
			s.lastPurchase[i] = int32(r.IntN(10))
			s.purchases[i] = int32(1 + r.IntN(5))
			s.revenue[i] = 200 * r.Float64()
		}
		s.offer[i] = float32(r.IntN(3)) / 10
		s.satisfaction[i] = float32(1 + 4*r.Float64())
		s.effort[i] = float32(1 + 6*r.Float64())
	}
	return s
}

var nativeNumbers = []string{
	"loyalty * 2 + tick",
	"income - tolerance / 3",
	"purchases + revenue / 100",
	"since_purchase > 5 ? 1 : 0.5",
	"since_purchase < 1000 ? since_purchase : -1",
	"discount * 10",
	"satisfaction + effort",
	"fatigue.email + fatigue.push * 2",
	"affinity.web - affinity.email",
	`contacts("email", 7) + contacts_all(3) + tick`,
	`contacts("push", 64) - contacts_all(1) * loyalty`,
	"exp(-loyalty) + log(1 + revenue) + sqrt(income + 1)",
	"clamp(income * 3, 0.2, 0.8)",
	"min(loyalty, income, 0.5) + max(tick, 3)",
	"abs(income - 0.5) + floor(loyalty * 10) + ceil(income) + round(revenue)",
	"tick % 7",
	"-tick + +loyalty",
	"loyalty ** 2 + income ^ 0.5",
	"purchases / 3",
	`tier == "gold" ? 1 : 0`,
	`stage == "buy" && cart ? 0.9 : income > 1 ? 0.5 : 0`,
}

var nativeBools = []string{
	"cart",
	"!cart && loyalty > 0.5",
	"event.purchase || event.visit",
	"event.response and not event.leak",
	"event.cart != event.complaint",
	"consent.email && !opted_out.push",
	"opted_out.email || consent.push",
	`stage == "consider"`,
	`"buy" == stage`,
	`node != "aware"`,
	`channel == "web"`,
	`channel == ""`,
	`persona in ["young"]`,
	`tier in ["gold", "bronze"]`,
	`tier == "silver" || income >= 0.5`,
	"tick % 3 == 0",
	"since_purchase <= 4",
	"cart == event.cart",
	"purchases >= 2 ? cart : loyalty < 0.3",
	"fatigue.email < tolerance",
	`contacts("push", 10) >= 2 && tick >= 0`,
	"true",
	"false || tick > 4",
}

// The closure lowering gives the same value as the expr virtual machine for
// the same state: each expression is compiled as is (natively) and wrapped
// so that the lowering gives up and the VM runs it.
func TestNativeMatchesVM(t *testing.T) {
	m := testModel(t)
	s := testState(m, 200, 3)
	c := newCtx(m)
	c.s, c.strat = s, &m.Strategies[0]
	for _, kind := range []ExprKind{Number, Bool} {
		sources, wrap := nativeNumbers, func(src string) string { return "float(" + src + ")" }
		if kind == Bool {
			sources, wrap = nativeBools, func(src string) string { return "(" + src + `) && len("x") == 1` }
		}
		for _, src := range sources {
			native, err := m.Compile("native", src, kind)
			if err != nil {
				t.Errorf("%s %q: %v", kind, src, err)
				continue
			}
			if !native.Native {
				t.Errorf("%s %q: not lowered to closures", kind, src)
			}
			vm, err := m.Compile("vm", wrap(src), kind)
			if err != nil {
				t.Errorf("%s %q: %v", kind, wrap(src), err)
				continue
			}
			if vm.Native {
				t.Fatalf("%s %q: lowered, so it cannot stand for the VM", kind, wrap(src))
			}
			differ := 0
			for _, tick := range []int{0, 3, 9} {
				c.tick = tick
				for i := range s.n {
					c.i = i
					if kind == Bool {
						a, b := native.Bool(c), vm.Bool(c)
						if a != b {
							differ++
							if differ < 4 {
								t.Errorf("%q at tick %d, customer %d: native %v, VM %v", src, tick, i, a, b)
							}
						}
						continue
					}
					a, b := native.Number(c), vm.Number(c)
					if !(a == b || math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) <= 1e-12*math.Abs(b)) {
						differ++
						if differ < 4 {
							t.Errorf("%q at tick %d, customer %d: native %v, VM %v", src, tick, i, a, b)
						}
					}
				}
			}
			if c.err != nil {
				t.Fatalf("%q: run-time error %v", src, c.err)
			}
		}
	}
}

// Natively lowered values against values worked out by hand.
func TestNativeValues(t *testing.T) {
	m := testModel(t)
	s := testState(m, 4, 1)
	c := newCtx(m)
	c.s, c.strat, c.i, c.tick = s, &m.Strategies[0], 0, 6
	s.node[0] = 1 // browse: stage consider, channel web
	s.loyalty[0] = 0.25
	s.fatigue[0][0], s.fatigue[1][0] = 1.5, 0.5
	s.bits[0][0] = 0b1011 // email contacts 0, 1 and 3 ticks ago
	s.bits[1][0] = 0b100  // push 2 ticks ago
	s.bits[2][0] = 0
	s.lastPurchase[0], s.purchases[0], s.revenue[0] = 2, 3, 120
	s.offer[0] = 0.2
	s.flags[0] = flagCart
	s.events[0] = evPurchase | evResponse
	s.consent[0], s.optedOut[0] = 0b011, 0b010
	numbers := map[string]float64{
		"loyalty * 4":                  1,
		"tick % 4":                     2,
		"since_purchase":               4,
		"discount":                     float64(float32(0.2)),
		"purchases * 2 + revenue":      126,
		"fatigue.email - fatigue.push": 1,
		`contacts("email", 1) + tick`:  7,
		`contacts("email", 2) + tick`:  8,
		`contacts("email", 4) + tick`:  9,
		"contacts_all(3) + tick":       9,
		"contacts_all(64) * loyalty":   1,
		`stage == "consider" ? 2 : 3`:  2,
		"clamp(tick, 0, 5)":            5,
	}
	for src, want := range numbers {
		e, err := m.Compile("x", src, Number)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if got := e.Number(c); math.Abs(got-want) > 1e-12 {
			t.Errorf("%q = %v, want %v", src, got, want)
		}
	}
	bools := map[string]bool{
		"cart":                                 true,
		"event.purchase && event.response":     true,
		"event.visit":                          false,
		`channel == "web" && node == "browse"`: true,
		"consent.email && consent.push":        true,
		"consent.web":                          false,
		"opted_out.push && !opted_out.email":   true,
	}
	for src, want := range bools {
		e, err := m.Compile("x", src, Bool)
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if got := e.Bool(c); got != want {
			t.Errorf("%q = %v, want %v", src, got, want)
		}
	}
	// Discount: the strategy's own 0.05 when no better offer was answered.
	s.offer[0] = 0
	e, _ := m.Compile("x", "discount", Number)
	if got := e.Number(c); got != 0.05 {
		t.Errorf("discount with no offer = %v, want the strategy's 0.05", got)
	}
	// No purchase yet: since_purchase is infinite.
	s.lastPurchase[0] = -1
	e, _ = m.Compile("x", "since_purchase", Number)
	if got := e.Number(c); !math.IsInf(got, 1) {
		t.Errorf("since_purchase with no purchase = %v, want +Inf", got)
	}
}

// Compile errors: each must be an *ExprError at the offending token.
func TestCompileErrors(t *testing.T) {
	m := testModel(t)
	cases := []struct {
		src       string
		kind      ExprKind
		line, col int
		msg       string
	}{
		{"fatigue.nosuch > 1", Bool, 1, 9, `unknown channel "nosuch"`},
		{"affinity.nosuch", Number, 1, 10, `unknown channel "nosuch"`},
		{"consent.sms", Bool, 1, 9, `unknown channel "sms"`},
		{`stage == "nosuch"`, Bool, 1, 10, `stage is never "nosuch"`},
		{`"nosuch" != node`, Bool, 1, 1, `node is never "nosuch"`},
		{`tier == "platinum"`, Bool, 1, 9, `tier is never "platinum"`},
		{`persona in ["young", "middle"]`, Bool, 1, 22, `persona is never "middle"`},
		{"loyalty > 0 &&\n  fatigue.nosuch > 1", Bool, 2, 11, `unknown channel "nosuch"`},
		{`"é" != "" && stage == "x"`, Bool, 1, 23, `stage is never "x"`},
		{`contacts("nosuch", 3) > tick`, Bool, 1, 10, `unknown channel "nosuch"`},
		{`contacts("email", 99) > tick`, Bool, 1, 19, "window 99"},
		{`contacts_all(0) > tick`, Bool, 1, 14, "window 0"},
		{"loyalty * 2", Bool, 1, 1, "must be a boolean"},
		{"loyalty > 0.5", Number, 1, 1, "must be a number"},
		{`stage`, Number, 1, 1, "must be a number"},
		{`loyalty + "a"`, Number, 1, 9, "mismatched types"},
		{"loyality > 0", Bool, 1, 1, "unknown name loyality"},
		{"loyalty >", Bool, 1, 9, "unexpected token"},
		{"(loyalty > 1", Bool, 1, 12, "unexpected token"},
		{"stage > 1", Bool, 1, 7, "mismatched types"},
		// Parts that fail for every customer.
		{"[1,2][5] > 0", Bool, 1, 6, "[1, 2][5] always fails: index out of range"},
		{"loyalty * (1 + [3][2])", Number, 1, 19, "[3][2] always fails"},
		{"tick % 0 > 0", Bool, 1, 6, "tick % 0 divides by zero for every customer"},
		{"purchases % (2 - 2) > 0", Bool, 1, 11, "divides by zero for every customer"},
		{`len(repeat("x", 1000000000)) > 0`, Bool, 1, 5, "always fails: it creates more than 100000 values"},
		{"sqrt(-1 * loyalty)", Number, 1, 1, "is not a number for nearly every customer: -1 * loyalty must be zero or more, but is always between -1 and 0"},
		{"log(tick - 10)", Number, 1, 1, "tick - 10 must be positive, but is always between -10 and -1"},
		// Loops too large or too deep.
		{"len(1..1000000000) > 0", Bool, 1, 6, "the range 1..1000000000 can hold 1000000000 values; allowed at most 10000"},
		{"count(1..700, {count(1..700, {# > 0}) > 0}) > 0", Bool, 1, 1, "these loops take up to 490700 steps"},
		{"count(1..tick * 2000, {# > 0}) > 0", Bool, 1, 8, "can hold 18000 values"},
		{"any(1..5, {any(1..5, {any(1..5, {# > 1})})})", Bool, 1, 23, "nests loops 3 deep; allowed at most 2 deep"},
		{"let x = 1..5000; count(x, {count(x, {# > 1}) > 0}) > 0", Bool, 1, 18, "these loops take up to 25005000 steps"},
		{"count(1..10, {count(1..purchases, {# > 1}) > 0}) > 0", Bool, 1, 1, "these loops take up to 1000010 steps"},
		{"count(1..10, {count(map(1..purchases, # * 2), {# > 1}) > 0}) > 0", Bool, 1, 1, "counts as 100000"},
	}
	for _, tc := range cases {
		_, err := m.Compile("x", tc.src, tc.kind)
		var ee *ExprError
		if !errors.As(err, &ee) {
			t.Errorf("%q: error %v, want an *ExprError", tc.src, err)
			continue
		}
		if ee.Line != tc.line || ee.Column != tc.col || !strings.Contains(ee.Message, tc.msg) {
			t.Errorf("%q: %d:%d: %s\n\twant %d:%d: …%s…", tc.src, ee.Line, ee.Column, ee.Message, tc.line, tc.col, tc.msg)
		}
	}
}

// Expressions near the limits, or failing only for some customers, are
// accepted.
func TestCompileAccepts(t *testing.T) {
	m := testModel(t)
	for _, src := range []string{
		"count(1..300, {count(1..300, {# > 0}) > 0}) > 0",
		"len(1..10000) > 0",
		"count(1..tick, {# > 3}) > 0",
		"tick % purchases == 0",
		"sqrt(loyalty - 0.5) > 0",
		"log(income) > 0",
		"[1, 2][1] > 0",
		"any(1..5, {any(1..5, {# > 1})})",
		"count(1..purchases, {# > 3}) > 0",
		"count(1..10, {count(1..min(purchases, 50), {# > 1}) > 0}) > 0",
		"let x = 1..300; count(x, {count(x, {# > 1}) > 0}) > 0",
	} {
		if _, err := m.Compile("x", src, Bool); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestConstAndUsesOnly(t *testing.T) {
	m := testModel(t)
	for src, want := range map[string]float64{"0.5 * 2": 1, "1 - 0.25": 0.75, "true ? 0.2 : 0.3": 0.2, "min(0.4, 0.6)": 0.4} {
		e, err := m.Compile("x", src, Number)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := e.Const(); !ok || v != want {
			t.Errorf("%q: Const() = %v, %v; want %v, true", src, v, ok, want)
		}
	}
	for _, src := range []string{"loyalty", "tick * 0", "float(1)"} {
		e, err := m.Compile("x", src, Number)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := e.Const(); ok && src != "float(1)" {
			t.Errorf("%q: Const() = %v, true; it reads state", src, v)
		}
	}
	e, _ := m.Compile("q", "tick % 7 == 6", Bool)
	if !e.UsesOnly("tick") {
		t.Error(`"tick % 7 == 6" should use only tick`)
	}
	e, _ = m.Compile("q", "tick > loyalty", Bool)
	if e.UsesOnly("tick") {
		t.Error(`"tick > loyalty" uses loyalty too`)
	}
}

// An expression that reads state only through contacts() or contacts_all()
// has no variables, but it is not a constant: compiling it must not
// evaluate it without a customer.
func TestCompileContactsOnly(t *testing.T) {
	m := testModel(t)
	for _, tc := range []struct {
		src  string
		kind ExprKind
	}{
		{`contacts("email", 3) == 0`, Bool},
		{"contacts_all(7) < 2", Bool},
		{"contacts_all(7) / 10", Number},
	} {
		var e *Expr
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Model.Compile(%q) panics: %v", tc.src, p)
				}
			}()
			e, err = m.Compile("x", tc.src, tc.kind)
		}()
		if err != nil {
			t.Fatalf("%q: %v", tc.src, err)
		}
		if _, ok := e.Const(); ok {
			t.Errorf("%q is taken for a constant", tc.src)
		}
		s := testState(m, 10, 5)
		c := newCtx(m)
		c.s = s
		s.bits[0][0], s.bits[1][0], s.bits[2][0] = 1, 1, 0
		// Both conditions are false, and the number is 0.2, with one
		// contact on email and one on push this tick.
		if tc.kind == Bool && e.Bool(c) {
			t.Errorf("%q with contacts on email and push now: true", tc.src)
		}
		if tc.kind == Number && e.Number(c) != 0.2 {
			t.Errorf("%q with two contacts now = %v, want 0.2", tc.src, e.Number(c))
		}
	}
}

// A run-time failure on the VM names the expression.
func TestVMRunError(t *testing.T) {
	m := testModel(t)
	e, err := m.Compile("trigger x", `tick % purchases == 0 && len(persona) > 0`, Bool)
	if err != nil {
		t.Fatal(err)
	}
	s := testState(m, 2, 1)
	c := newCtx(m)
	c.s = s
	s.purchases[0] = 0
	e.Bool(c)
	var re *RunError
	if !errors.As(c.err, &re) || re.Name != "trigger x" || !strings.Contains(c.err.Error(), "tick % purchases") {
		t.Errorf("error %v: want a RunError naming the expression", c.err)
	}
}
