package sim

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// FuzzLowering checks the closure lowering against expr itself: from the
// fuzz input it generates a well-typed number expression and a well-typed
// condition over the model's variables, compiles each, and asserts that the
// lowered closures and the expr virtual machine, running the same compiled
// program, agree on random customers: the same value (bit for bit, or both
// NaN), and an error from both or from neither.
func FuzzLowering(f *testing.F) {
	for _, seed := range loweringSeeds() {
		f.Add(seed)
	}
	m := fuzzModel(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := newExprGen(m, data)
		for _, kind := range []ExprKind{Number, Bool} {
			var term genTerm
			if kind == Number {
				term = g.number(genDepth)
			} else {
				term = g.boolean(genDepth)
			}
			checkLowering(t, m, term, kind, data)
		}
	})
}

// genDepth bounds how deep generated expressions nest.
const genDepth = 5

// loweringSeeds are the seed corpus of FuzzLowering: byte strings from a
// fixed generator, long enough to reach every construct (see
// TestLoweringSeedsCoverTheLanguage).
func loweringSeeds() [][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	seeds := make([][]byte, 300)
	for i := range seeds {
		b := make([]byte, 8+r.IntN(120))
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		seeds[i] = b
	}
	return seeds
}

// refusedAsAlwaysFailing reports whether err refuses a well-typed
// expression because part of it fails for every customer.
func refusedAsAlwaysFailing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "always fails") || strings.Contains(msg, "for every customer") || strings.Contains(msg, "is not a number for")
}

// checkLowering compiles term as an expression of the given kind, checks
// that the lowering took it exactly when the generator expects, and that it
// agrees with the VM on random customers.
func checkLowering(t *testing.T, m *Model, term genTerm, kind ExprKind, data []byte) {
	t.Helper()
	e, err := m.Compile("fuzz", term.src, kind)
	if err != nil && refusedAsAlwaysFailing(err) {
		return // the generator wrote, say, x % 0: refused, as it should be
	}
	if err != nil {
		t.Fatalf("generated %s %q does not compile: %v", kind, term.src, err)
	}
	if e.Native != term.native {
		t.Fatalf("%s %q: lowered %v, want %v", kind, term.src, e.Native, term.native)
	}
	if !e.Native {
		return // nothing to compare: the VM runs it either way
	}
	h := fnv.New64a()
	h.Write(data)
	r := rand.New(rand.NewPCG(h.Sum64(), uint64(kind)))
	for range 3 {
		c := randomCtx(m, 16, r)
		if msg := disagreement(e, c); msg != "" {
			t.Fatalf("%s %q: %s", kind, term.src, msg)
		}
	}
}

// disagreement evaluates e natively and on the VM for every customer of
// c's state and describes the first difference, or returns "".
func disagreement(e *Expr, c *Ctx) string {
	vm := *e
	vm.num, vm.boolean = nil, nil
	for i := range c.s.n {
		c.i = i
		var a, b any
		c.err = nil
		if e.Kind == Bool {
			a = e.Bool(c)
		} else {
			a = e.Number(c)
		}
		nativeErr := c.err
		c.err = nil
		if e.Kind == Bool {
			b = vm.Bool(c)
		} else {
			b = vm.Number(c)
		}
		vmErr := c.err
		c.err = nil
		switch {
		case (nativeErr == nil) != (vmErr == nil):
			return fmt.Sprintf("tick %d, customer %d: native error %v, VM error %v", c.tick, i, nativeErr, vmErr)
		case nativeErr != nil:
		case !sameValue(a, b):
			return fmt.Sprintf("tick %d, customer %d: native %v, VM %v", c.tick, i, a, b)
		}
	}
	return ""
}

// sameValue reports whether a and b are the same bool, or the same float64
// bit for bit (any NaN matches any NaN; 0 and -0 differ).
func sameValue(a, b any) bool {
	x, ok1 := a.(float64)
	y, ok2 := b.(float64)
	if !ok1 || !ok2 {
		return a == b
	}
	return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
}

// fuzzModel is testModel with two levers, whose strategy sets one.
func fuzzModel(t testing.TB) *Model {
	m := testModel(t)
	m.Levers = []Lever{{Name: "price_match", Default: 0.3}, {Name: "boost", Default: 2}}
	m.Strategies[0].Levers = []float64{0.5, 2}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

// Bounds of the random state: whole numbers stay small enough that no
// generated product of them leaves the range where float64 and int
// arithmetic agree (see exprGen.arithmetic).
const (
	maxTick      = 1000
	maxPurchases = 100
	wholeBound   = maxTick
)

// oddValues test the edges of float arithmetic.
var oddValues = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1e300, -1e300, 5e-324,
	math.Inf(1), math.Inf(-1), math.NaN()}

// odd returns x, or now and then one of oddValues.
func odd(r *rand.Rand, x float64) float64 {
	if r.IntN(4) > 0 {
		return x
	}
	return oddValues[r.IntN(len(oddValues))]
}

// randomCtx returns a context on n random customers at a random tick,
// under the model's strategy with random levers and discount, or under
// none.
func randomCtx(m *Model, n int, r *rand.Rand) *Ctx {
	s := newState(m, n)
	s.sample(m, r.Uint64(), 0, n)
	s.reset(m)
	tick := r.IntN(maxTick + 1)
	for i := range n {
		s.persona[i] = uint8(r.IntN(len(m.Population.Personas)))
		for k, a := range m.Population.Attributes {
			if len(a.Levels) > 0 {
				s.attr[k][i] = float64(r.IntN(len(a.Levels)))
			} else {
				s.attr[k][i] = odd(r, 3*r.NormFloat64())
			}
		}
		s.tolerance[i] = odd(r, 4*r.Float64())
		s.consent[i] = r.Uint32()
		s.node[i] = int16(r.IntN(len(m.Nodes)))
		s.flags[i] = uint8(r.IntN(16))
		s.events[i] = uint8(r.IntN(64))
		s.loyalty[i] = odd(r, r.Float64())
		for ch := range m.Channels {
			s.affinity[ch][i] = float32(odd(r, r.Float64()))
			s.fatigue[ch][i] = odd(r, 3*r.Float64())
			s.bits[ch][i] = r.Uint64() & r.Uint64()
		}
		s.optedOut[i] = r.Uint32()
		if r.IntN(4) > 0 {
			s.lastPurchase[i] = int32(r.IntN(tick + 1))
			s.purchases[i] = int32(1 + r.IntN(maxPurchases))
			s.revenue[i] = odd(r, 500*r.Float64())
		}
		s.offer[i] = float32(r.IntN(4)) / 10
		s.satisfaction[i] = float32(odd(r, 1+4*r.Float64()))
		s.effort[i] = float32(odd(r, 1+6*r.Float64()))
	}
	c := newCtx(m)
	c.s, c.tick = s, tick
	c.adopters = odd(r, r.Float64())
	if r.IntN(3) > 0 {
		st := m.Strategies[0]
		st.Discount = float64(r.IntN(5)) / 10
		st.Levers = []float64{odd(r, r.Float64()), odd(r, 10*r.Float64())}
		c.strat = &st
	}
	c.contactChannels = c.contactChannels[:0]
	for ch := range m.Channels {
		if r.IntN(3) > 0 {
			c.contactChannels = append(c.contactChannels, ch)
		}
	}
	return c
}

// The seed corpus alone, which plain go test runs, reaches every construct
// of the language the lowering covers and every built-in variable.
func TestLoweringSeedsCoverTheLanguage(t *testing.T) {
	m := fuzzModel(t)
	used := map[string]int{}
	var sources []string
	for _, seed := range loweringSeeds() {
		g := newExprGen(m, seed)
		sources = append(sources, g.number(genDepth).src, g.boolean(genDepth).src)
		for k, n := range g.used {
			used[k] += n
		}
	}
	want := []string{"int literal", "float literal", "bool literal", "variable", "whole variable", "flag",
		"unary -", "unary +", "unary !", "unary not ", "conditional"}
	for _, op := range []string{"+", "-", "*", "/", "**", "^", "%", "&&", "||", "and", "or"} {
		want = append(want, "binary "+op)
	}
	for _, op := range comparisons {
		want = append(want, "compare numbers "+op, "compare with literal "+op)
	}
	want = append(want, "compare booleans ==", "compare booleans !=")
	for _, n := range nameTable {
		switch n.Kind {
		case NameFunction:
			want = append(want, n.Name)
		case NameText:
			want = append(want, "text "+n.Name)
		}
	}
	for _, w := range want {
		if used[w] == 0 {
			t.Errorf("the seeds never generate %q", w)
		}
	}
	all := strings.Join(sources, "\n")
	for _, n := range nameTable {
		if n.Kind != NameFunction && !strings.Contains(all, n.Name) {
			t.Errorf("the seeds never read %s", n.Name)
		}
	}
	for _, lv := range m.LeverNames() {
		if !strings.Contains(all, "lever."+lv) {
			t.Errorf("the seeds never read lever.%s", lv)
		}
	}
}

// FuzzCompile: any source either compiles or is refused with an
// *ExprError, and what compiles evaluates without a panic, within the
// cost bound. The seeds include expressions that once cost minutes or
// failed for every customer.
func FuzzCompile(f *testing.F) {
	for _, src := range []string{
		"count(1..700, {count(1..700, {# > 0}) > 0}) > 0",
		"count(1..300, {count(1..300, {# > 0}) > 0}) > 0",
		"len(1..1000000000) > 0",
		`len(repeat("x", 1000000000)) > 0`,
		"[1,2][5] > 0",
		"tick % 0 > 0",
		"purchases % 0 > 0",
		"sqrt(-1 * loyalty) > 0",
		"any(1..5, {any(1..5, {any(1..5, {# > 1})})})",
		"count(1..tick, {count(1..tick, {# > 0}) > 0}) > 0",
		"let x = 1..5000; count(x, {count(x, {# > 1}) > 0}) > 0",
		"map(1..10000, {# * 2})[9999] > 0",
		"loyalty > 0.5",
	} {
		f.Add(src)
	}
	m := fuzzModel(f)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 2000 {
			t.Skip("too long to be useful")
		}
		for _, kind := range []ExprKind{Bool, Number} {
			e, err := m.Compile("fuzz", src, kind)
			if err != nil {
				var ee *ExprError
				if !errors.As(err, &ee) {
					t.Fatalf("%q: error %v (%T) is not an *ExprError", src, err, err)
				}
				continue
			}
			c := randomCtx(m, 4, rand.New(rand.NewPCG(1, 2)))
			if kind == Bool {
				e.Bool(c)
			} else {
				e.Number(c)
			}
		}
	})
}
