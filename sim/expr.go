package sim

import (
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/expr-lang/expr/vm"
)

// ExprKind is the type an expression must have.
type ExprKind int

// Expression kinds.
const (
	// Number expressions yield a float64 (probabilities, scores).
	Number ExprKind = iota
	// Bool expressions yield true or false (trigger conditions).
	Bool
)

func (k ExprKind) String() string {
	if k == Bool {
		return "boolean"
	}
	return "number"
}

// Expr is a compiled expression. Compiled expressions are immutable and
// shared by all workers; each worker evaluates them with its own Ctx.
type Expr struct {
	// Name says where the expression comes from (for run-time errors).
	Name   string
	Source string
	Kind   ExprKind
	// Native reports whether the expression runs as a tree of typed Go
	// closures (no allocation) rather than on the expr virtual machine.
	Native bool

	num     numFn
	boolean boolFn
	// constant holds the value of an expression that uses no state.
	constant *float64

	program *vm.Program
	vars    []string
	// population reports whether the expression reads a population
	// variable (PopulationVars).
	population bool
}

// ExprError is a compile error at a position inside an expression's source.
type ExprError struct {
	// Line and Column are 1-based positions inside the expression source.
	Line, Column int
	Message      string
}

func (e *ExprError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message)
}

// RunError is a run-time failure of an expression.
type RunError struct {
	Name   string
	Source string
	// Tick and Customer say where the run was when the expression failed.
	Tick, Customer int
	Err            error
}

func (e *RunError) Error() string {
	return fmt.Sprintf("expression %s (%q) failed at tick %d for customer %d: %v", e.Name, e.Source, e.Tick, e.Customer, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// OutcomeError is a run that cannot go on because an outcome went wrong,
// such as revenue no longer a finite number.
type OutcomeError struct {
	// Tick and Customer say where the run was.
	Tick, Customer int
	Err            error
}

func (e *OutcomeError) Error() string {
	return fmt.Sprintf("at tick %d for customer %d: %v", e.Tick, e.Customer, e.Err)
}

func (e *OutcomeError) Unwrap() error { return e.Err }

// finite reports whether x is a number other than ±Inf.
func finite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }

// Const returns the expression's value and true when it uses no state.
func (e *Expr) Const() (float64, bool) {
	if e == nil || e.constant == nil {
		return 0, false
	}
	return *e.constant, true
}

// UsesOnly reports whether every variable the expression reads is in names.
func (e *Expr) UsesOnly(names ...string) bool {
	for _, v := range e.vars {
		if !slices.Contains(names, v) {
			return false
		}
	}
	return true
}

// Number evaluates a Number expression for the customer the context points
// at. A run-time error is recorded in the context and 0 returned.
func (e *Expr) Number(c *Ctx) float64 {
	if e.num != nil {
		v := e.num(c)
		if c.err != nil {
			c.blame(e)
		}
		return v
	}
	v := c.runVM(e)
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case nil:
		return 0
	}
	f, ok := toFloat(v)
	if !ok {
		c.fail(e, fmt.Errorf("result %v is not a number", v))
	}
	return f
}

// Bool evaluates a Bool expression for the customer the context points at.
func (e *Expr) Bool(c *Ctx) bool {
	if e.boolean != nil {
		v := e.boolean(c)
		if c.err != nil {
			c.blame(e)
		}
		return v
	}
	b, _ := c.runVM(e).(bool)
	return b
}

func toFloat(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch {
	case rv.CanFloat():
		return rv.Float(), true
	case rv.CanInt():
		return float64(rv.Int()), true
	case rv.CanUint():
		return float64(rv.Uint()), true
	}
	return 0, false
}
