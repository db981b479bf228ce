package sim

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// min and max compare in order as expr-lang does: a NaN after the first
// argument is passed over, natively as on the VM.
func TestMinMaxNaNLikeExpr(t *testing.T) {
	m := testModel(t)
	s := testState(m, 50, 3)
	for _, src := range []string{"max(1, log(income - 5))", "min(1, log(income - 5))", "max(0, sqrt(income - 10), 2)"} {
		e, err := m.Compile("x", src, Number)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Native {
			t.Fatalf("%q is not lowered", src)
		}
		vm := *e
		vm.num = nil
		c := newCtx(m)
		c.s = s
		for i := 0; i < s.n; i++ {
			c.i = i
			a, b := e.Number(c), vm.Number(c)
			if a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
				t.Fatalf("%q for customer %d: lowered %v, VM %v", src, i, a, b)
			}
		}
	}
}

// % on a value that may be a float is left to the VM, which reports it.
func TestModuloOnFloatIsAnError(t *testing.T) {
	m := testModel(t)
	e, err := m.Compile("x", "(cart ? 2.5 : 3) % 2", Number)
	if err != nil {
		t.Fatal(err)
	}
	if e.Native {
		t.Fatal("% on a possible float is lowered")
	}
	s := testState(m, 1, 1)
	s.flags[0] |= flagCart
	c := newCtx(m)
	c.s = s
	e.Number(c)
	if c.err == nil {
		t.Error("2.5 % 2 gave no error")
	}
}

func TestNegativeWindowIsACompileError(t *testing.T) {
	m := testModel(t)
	for _, src := range []string{`contacts("email", -1) > 0`, "contacts_all(-3) > 0"} {
		_, err := m.Compile("x", src, Bool)
		var ee *ExprError
		if !errors.As(err, &ee) || !strings.Contains(ee.Message, "window") {
			t.Errorf("%q: error %v, want one about the window", src, err)
		}
	}
}

// A deadline, like a cancellation, keeps what is complete and says so.
func TestDeadlineIsAnInterruption(t *testing.T) {
	m := testModel(t)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	res, err := Run(ctx, m, Options{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want the deadline", err)
	}
	if res == nil || !res.Interrupted || len(res.Seeds) != 0 {
		t.Fatalf("result %+v, want an interrupted result with no replication", res)
	}
}

// Shapes on which the lowering and the VM once disagreed, found by
// FuzzLowering: each is lowered, or left to the VM, as listed, and where
// lowered it agrees with the VM, tick 0 and empty histories included.
func TestLoweringEdgesMatchVM(t *testing.T) {
	m := fuzzModel(t)
	cases := []struct {
		src    string
		kind   ExprKind
		native bool
	}{
		// The VM passed a whole-number argument to exp, log, sqrt and
		// clamp as an int, and failed.
		{"exp(tick) + sqrt(purchases)", Number, true},
		{"clamp(tick, 0, purchases)", Number, true},
		{"exp(tick) > float(1)", Bool, false},
		// An int product or negation is never -0.
		{"1 / (tick * -1)", Number, true},
		{"1 / -(contacts_all(1))", Number, true},
		{"1 / (0 * -(purchases))", Number, true},
		{"1 / (-(purchases) * 0)", Number, true},
		// abs keeps -0 as expr's does.
		{"1 / abs(-(0.0))", Number, true},
		// min(tick, 0.5) is typed int but may be 0.5: % and == on it are
		// the VM's, which reports the float.
		{"min(tick, 0.5) % 2", Number, false},
		{"min(purchases, 0.5) == purchases", Bool, false},
		{"min(purchases, 0.5) < purchases", Bool, true},
		// min, max and abs of a value of unknown type are numbers.
		{"min(cart ? 1 : 0.5, 2) + abs(cart ? -1 : 0.5)", Number, true},
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range cases {
		e, err := m.Compile("x", tc.src, tc.kind)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if e.Native != tc.native {
			t.Errorf("%q: lowered %v, want %v", tc.src, e.Native, tc.native)
		}
		for k := range 8 {
			c := randomCtx(m, 32, r)
			if k == 0 {
				c.tick = 0
				clear(c.s.purchases)
				for ch := range c.s.bits {
					clear(c.s.bits[ch])
				}
			}
			if msg := disagreement(e, c); msg != "" {
				t.Errorf("%q: %s", tc.src, msg)
				break
			}
		}
	}
}
