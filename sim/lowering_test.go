package sim

import (
	"context"
	"errors"
	"math"
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
