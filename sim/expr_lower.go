package sim

import (
	"errors"
	"math"
	"reflect"
	"slices"

	"github.com/expr-lang/expr/ast"
)

// errUnsupported marks an expression the closure compiler does not handle;
// it runs on the expr virtual machine instead.
var errUnsupported = errors.New("not lowered")

type numFn func(*Ctx) float64
type boolFn func(*Ctx) bool

// strVal is a text operand: a variable whose values are the levels of a
// domain, compared by index.
type strVal struct {
	domain []string
	index  func(*Ctx) int
}

// text describes the text variable called name.
func (l *lowerer) text(name string) (*strVal, bool) {
	b, ok := l.m.bind(name, "")
	if !ok || b.text == nil {
		return nil, false
	}
	return b.text, true
}

// member returns the binding of name.prop, for a member node of that shape.
func (l *lowerer) member(n *ast.MemberNode) (binding, bool) {
	id, ok := n.Node.(*ast.IdentifierNode)
	prop, ok2 := n.Property.(*ast.StringNode)
	if !ok || !ok2 {
		return binding{}, false
	}
	return l.m.bind(id.Value, prop.Value)
}

// number lowers n, an expression that yields a number, to a closure that
// computes in float64 what expr computes in float64 or int. The two agree
// but beyond 2⁵³, where ints wrap or round otherwise, and in the sign of a
// zero whose type only the run decides: -(cart ? 0 : 0.5) is 0 on the VM
// when cart holds, an int, and -0 lowered.
func (l *lowerer) number(n ast.Node) (numFn, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		v := float64(n.Value)
		return func(*Ctx) float64 { return v }, nil
	case *ast.FloatNode:
		v := n.Value
		return func(*Ctx) float64 { return v }, nil
	case *ast.IdentifierNode:
		if b, ok := l.m.bind(n.Value, ""); ok && b.num != nil {
			return b.num, nil
		}
	case *ast.MemberNode:
		if b, ok := l.member(n); ok && b.num != nil {
			return b.num, nil
		}
	case *ast.UnaryNode:
		x, err := l.number(n.Node)
		if err != nil {
			return nil, err
		}
		switch n.Operator {
		case "-":
			if whole(n) {
				// An int is never -0 as a float64 can be: -(0) is 0.
				return func(c *Ctx) float64 { return 0 - x(c) }, nil
			}
			return func(c *Ctx) float64 { return -x(c) }, nil
		case "+":
			return x, nil
		}
	case *ast.BinaryNode:
		return l.numberBinary(n)
	case *ast.ConditionalNode:
		f, err := lowerConditional(l, n, func(n ast.Node) (func(*Ctx) float64, error) { return l.number(n) })
		return f, err
	case *ast.CallNode:
		return l.numberCall(n)
	case *ast.BuiltinNode:
		return l.numberBuiltin(n)
	}
	return nil, errUnsupported
}

// lowerConditional lowers "cond ? a : b" whose branches lower yields.
func lowerConditional[T any](l *lowerer, n *ast.ConditionalNode, lower func(ast.Node) (func(*Ctx) T, error)) (func(*Ctx) T, error) {
	cond, err := l.boolean(n.Cond)
	if err != nil {
		return nil, err
	}
	a, err := lower(n.Exp1)
	if err != nil {
		return nil, err
	}
	b, err := lower(n.Exp2)
	if err != nil {
		return nil, err
	}
	return func(c *Ctx) T {
		if cond(c) {
			return a(c)
		}
		return b(c)
	}, nil
}

func (l *lowerer) numberCall(n *ast.CallNode) (numFn, error) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, errUnsupported
	}
	switch id.Value {
	case "contacts":
		s, ok := n.Arguments[0].(*ast.StringNode)
		w, ok2 := n.Arguments[1].(*ast.IntegerNode)
		if !ok || !ok2 {
			return nil, errUnsupported
		}
		ch := l.m.ChannelIndex(s.Value)
		mask := windowMask(w.Value)
		return func(c *Ctx) float64 { return float64(popcount(c.s.bits[ch][c.i] & mask)) }, nil
	case "contacts_all":
		w, ok := n.Arguments[0].(*ast.IntegerNode)
		if !ok {
			return nil, errUnsupported
		}
		mask := windowMask(w.Value)
		return func(c *Ctx) float64 { return float64(c.contactsAll(mask)) }, nil
	}
	f, ok := lookupName(id.Value)
	if !ok || f.fn1 == nil && f.fn3 == nil {
		return nil, errUnsupported
	}
	args := make([]numFn, len(n.Arguments))
	for i, a := range n.Arguments {
		x, err := l.number(a)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	if f.fn1 != nil {
		fn, x := f.fn1, args[0]
		return func(c *Ctx) float64 { return fn(x(c)) }, nil
	}
	fn, x, y, z := f.fn3, args[0], args[1], args[2]
	return func(c *Ctx) float64 { return fn(x(c), y(c), z(c)) }, nil
}

func (l *lowerer) numberBuiltin(n *ast.BuiltinNode) (numFn, error) {
	args := make([]numFn, len(n.Arguments))
	for i, a := range n.Arguments {
		if !numberish(a) {
			return nil, errUnsupported
		}
		f, err := l.number(a)
		if err != nil {
			return nil, err
		}
		args[i] = f
	}
	one := func(f func(float64) float64) (numFn, error) {
		if len(args) != 1 {
			return nil, errUnsupported
		}
		x := args[0]
		return func(c *Ctx) float64 { return f(x(c)) }, nil
	}
	switch n.Name {
	case "abs":
		return one(abs)
	case "floor":
		return one(math.Floor)
	case "ceil":
		return one(math.Ceil)
	case "round":
		return one(math.Round)
	case "min", "max":
		if len(args) == 0 {
			return nil, errUnsupported
		}
		// Compare in order, as expr-lang does: a NaN that is not the first
		// argument loses every comparison and is passed over.
		pick := func(v, x float64) float64 {
			if x < v {
				return x
			}
			return v
		}
		if n.Name == "max" {
			pick = func(v, x float64) float64 {
				if x > v {
					return x
				}
				return v
			}
		}
		if len(args) == 2 {
			a, b := args[0], args[1]
			return func(c *Ctx) float64 { return pick(a(c), b(c)) }, nil
		}
		return func(c *Ctx) float64 {
			v := args[0](c)
			for _, f := range args[1:] {
				v = pick(v, f(c))
			}
			return v
		}, nil
	}
	return nil, errUnsupported
}

// wholeProduct lowers a * b where both are ints on the VM: a product of
// ints is never -0, as one of float64s can be (0 × -3), so 0 is added.
func wholeProduct(n *ast.BinaryNode, a, b numFn) numFn {
	if k, ok := constant(n.Left); ok {
		return func(c *Ctx) float64 { return k*b(c) + 0 }
	}
	if k, ok := constant(n.Right); ok {
		return func(c *Ctx) float64 { return a(c)*k + 0 }
	}
	return func(c *Ctx) float64 { return a(c)*b(c) + 0 }
}

// abs is expr-lang's abs: -0 stays -0, where math.Abs makes it 0.
func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// constant returns the value of a number literal.
func constant(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	}
	return 0, false
}

func (l *lowerer) numberBinary(n *ast.BinaryNode) (numFn, error) {
	a, err := l.number(n.Left)
	if err != nil {
		return nil, err
	}
	b, err := l.number(n.Right)
	if err != nil {
		return nil, err
	}
	if n.Operator == "*" && whole(n) {
		return wholeProduct(n, a, b), nil
	}
	// A literal operand is captured as a value rather than called: the
	// commonest shapes ("0.01 * loyalty", "1 - x") save a call each.
	if k, ok := constant(n.Left); ok {
		switch n.Operator {
		case "+":
			return func(c *Ctx) float64 { return k + b(c) }, nil
		case "-":
			return func(c *Ctx) float64 { return k - b(c) }, nil
		case "*":
			return func(c *Ctx) float64 { return k * b(c) }, nil
		}
	}
	if k, ok := constant(n.Right); ok {
		switch n.Operator {
		case "+":
			return func(c *Ctx) float64 { return a(c) + k }, nil
		case "-":
			return func(c *Ctx) float64 { return a(c) - k }, nil
		case "*":
			return func(c *Ctx) float64 { return a(c) * k }, nil
		case "/":
			return func(c *Ctx) float64 { return a(c) / k }, nil
		}
	}
	switch n.Operator {
	case "+":
		return func(c *Ctx) float64 { return a(c) + b(c) }, nil
	case "-":
		return func(c *Ctx) float64 { return a(c) - b(c) }, nil
	case "*":
		return func(c *Ctx) float64 { return a(c) * b(c) }, nil
	case "/":
		return func(c *Ctx) float64 { return a(c) / b(c) }, nil
	case "**", "^":
		return func(c *Ctx) float64 { return math.Pow(a(c), b(c)) }, nil
	case "%":
		if !whole(n.Left) || !whole(n.Right) {
			return nil, errUnsupported // the VM reports % on a non-integer
		}
		return func(c *Ctx) float64 {
			d := int64(b(c))
			if d == 0 {
				c.failf("integer divide by zero")
				return 0
			}
			return float64(int64(a(c)) % d)
		}, nil
	}
	return nil, errUnsupported
}

func (l *lowerer) boolean(n ast.Node) (boolFn, error) {
	switch n := n.(type) {
	case *ast.BoolNode:
		v := n.Value
		return func(*Ctx) bool { return v }, nil
	case *ast.IdentifierNode:
		if b, ok := l.m.bind(n.Value, ""); ok && b.flag != nil {
			return b.flag, nil
		}
	case *ast.MemberNode:
		if b, ok := l.member(n); ok && b.flag != nil {
			return b.flag, nil
		}
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			x, err := l.boolean(n.Node)
			if err != nil {
				return nil, err
			}
			return func(c *Ctx) bool { return !x(c) }, nil
		}
	case *ast.ConditionalNode:
		f, err := lowerConditional(l, n, func(n ast.Node) (func(*Ctx) bool, error) { return l.boolean(n) })
		return f, err
	case *ast.BinaryNode:
		return l.booleanBinary(n)
	}
	return nil, errUnsupported
}

func (l *lowerer) booleanBinary(n *ast.BinaryNode) (boolFn, error) {
	switch n.Operator {
	case "and", "&&", "or", "||":
		a, err := l.boolean(n.Left)
		if err != nil {
			return nil, err
		}
		b, err := l.boolean(n.Right)
		if err != nil {
			return nil, err
		}
		if n.Operator == "and" || n.Operator == "&&" {
			return func(c *Ctx) bool { return a(c) && b(c) }, nil
		}
		return func(c *Ctx) bool { return a(c) || b(c) }, nil
	case "in":
		return l.textIn(n)
	}
	lt, rt := n.Left.Type(), n.Right.Type()
	switch {
	case numberish(n.Left) && numberish(n.Right):
		if (n.Operator == "==" || n.Operator == "!=") && isInt(lt) && isInt(rt) && !(whole(n.Left) && whole(n.Right)) {
			// The VM compares two operands typed int as ints, and fails
			// on one that is a float at run time (min(tick, 0.5)).
			return nil, errUnsupported
		}
		a, err := l.number(n.Left)
		if err != nil {
			return nil, err
		}
		if k, ok := constant(n.Right); ok {
			return compareConstant(n.Operator, a, k)
		}
		b, err := l.number(n.Right)
		if err != nil {
			return nil, err
		}
		return compareNumbers(n.Operator, a, b)
	case lt.Kind() == reflect.Bool && rt.Kind() == reflect.Bool:
		a, err := l.boolean(n.Left)
		if err != nil {
			return nil, err
		}
		b, err := l.boolean(n.Right)
		if err != nil {
			return nil, err
		}
		switch n.Operator {
		case "==":
			return func(c *Ctx) bool { return a(c) == b(c) }, nil
		case "!=":
			return func(c *Ctx) bool { return a(c) != b(c) }, nil
		}
	case lt.Kind() == reflect.String && rt.Kind() == reflect.String:
		return l.textEqual(n)
	}
	return nil, errUnsupported
}

// compareConstant compares a with the literal k.
func compareConstant(op string, a numFn, k float64) (boolFn, error) {
	switch op {
	case "<":
		return func(c *Ctx) bool { return a(c) < k }, nil
	case "<=":
		return func(c *Ctx) bool { return a(c) <= k }, nil
	case ">":
		return func(c *Ctx) bool { return a(c) > k }, nil
	case ">=":
		return func(c *Ctx) bool { return a(c) >= k }, nil
	case "==":
		return func(c *Ctx) bool { return a(c) == k }, nil
	case "!=":
		return func(c *Ctx) bool { return a(c) != k }, nil
	}
	return nil, errUnsupported
}

func compareNumbers(op string, a, b numFn) (boolFn, error) {
	switch op {
	case "<":
		return func(c *Ctx) bool { return a(c) < b(c) }, nil
	case "<=":
		return func(c *Ctx) bool { return a(c) <= b(c) }, nil
	case ">":
		return func(c *Ctx) bool { return a(c) > b(c) }, nil
	case ">=":
		return func(c *Ctx) bool { return a(c) >= b(c) }, nil
	case "==":
		return func(c *Ctx) bool { return a(c) == b(c) }, nil
	case "!=":
		return func(c *Ctx) bool { return a(c) != b(c) }, nil
	}
	return nil, errUnsupported
}

// textEqual lowers variable == "level" (either way round) to an index test.
func (l *lowerer) textEqual(n *ast.BinaryNode) (boolFn, error) {
	id, lit := n.Left, n.Right
	if _, ok := id.(*ast.StringNode); ok {
		id, lit = lit, id
	}
	ident, ok := id.(*ast.IdentifierNode)
	s, ok2 := lit.(*ast.StringNode)
	if !ok || !ok2 {
		return nil, errUnsupported
	}
	sv, ok := l.text(ident.Value)
	if !ok {
		return nil, errUnsupported
	}
	want := slices.Index(sv.domain, s.Value)
	idx := sv.index
	switch n.Operator {
	case "==":
		return func(c *Ctx) bool { return idx(c) == want }, nil
	case "!=":
		return func(c *Ctx) bool { return idx(c) != want }, nil
	}
	return nil, errUnsupported
}

// textIn lowers variable in ["a", "b"] to a lookup in a table of levels.
func (l *lowerer) textIn(n *ast.BinaryNode) (boolFn, error) {
	ident, ok := n.Left.(*ast.IdentifierNode)
	arr, ok2 := n.Right.(*ast.ArrayNode)
	if !ok || !ok2 {
		return nil, errUnsupported
	}
	sv, ok := l.text(ident.Value)
	if !ok {
		return nil, errUnsupported
	}
	member := make([]bool, len(sv.domain))
	for _, el := range arr.Nodes {
		s, ok := el.(*ast.StringNode)
		if !ok {
			return nil, errUnsupported
		}
		if k := slices.Index(sv.domain, s.Value); k >= 0 {
			member[k] = true
		}
	}
	idx := sv.index
	return func(c *Ctx) bool { return member[idx(c)] }, nil
}

func windowMask(w int) uint64 {
	if w >= 64 {
		return ^uint64(0)
	}
	return (uint64(1) << w) - 1
}
