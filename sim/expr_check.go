package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
)

// Limits on what one evaluation of an expression may cost. An expression
// runs for every customer at every tick, so a costly one multiplies into
// hours; these bounds are checked where the expression is written when its
// loops' sizes are known there, and while it runs otherwise.
const (
	// MaxRange is the most values a range (a..b) may hold.
	MaxRange = 10_000
	// MaxLoopDepth is how deeply loops (count, filter, map, all, any …
	// with a predicate) may nest.
	MaxLoopDepth = 2
	// MaxLoopSteps is the most predicate evaluations an expression's
	// loops may take, as far as their sizes are known before the run.
	MaxLoopSteps = 100_000
	// MemoryBudget bounds the values (range members, array elements,
	// characters of repeated text) one evaluation may create; past it
	// the evaluation fails and the run stops, naming the expression.
	MemoryBudget = 100_000
)

// errBudget is the expr virtual machine's error when an evaluation goes
// past its memory budget.
const errBudget = "memory budget exceeded"

// explainBudget says in plain words what a memory budget error means.
func explainBudget(msg string) string {
	if strings.Contains(msg, errBudget) {
		return fmt.Sprintf("it creates more than %s values in one evaluation, the limit for an expression (use smaller ranges or fewer nested loops)", sizeWord(MemoryBudget))
	}
	return msg
}

// check refuses, with their position, expressions that cannot run well:
// loops too large or too deep, parts without variables that always fail,
// and operations that fail for every value their variables can take.
func (l *lowerer) check(root ast.Node) {
	l.checkLoops(root, 0)
	if l.err == nil {
		l.checkConstants(root)
	}
	if l.err == nil {
		l.checkDomains(root)
	}
}

// children returns n's direct sub-expressions.
func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{n.Node}
	case *ast.BinaryNode:
		return []ast.Node{n.Left, n.Right}
	case *ast.ChainNode:
		return []ast.Node{n.Node}
	case *ast.MemberNode:
		return []ast.Node{n.Node, n.Property}
	case *ast.SliceNode:
		return nonNil(n.Node, n.From, n.To)
	case *ast.CallNode:
		return append([]ast.Node{n.Callee}, n.Arguments...)
	case *ast.BuiltinNode:
		return n.Arguments
	case *ast.PredicateNode:
		return []ast.Node{n.Node}
	case *ast.ConditionalNode:
		return []ast.Node{n.Cond, n.Exp1, n.Exp2}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{n.Value, n.Expr}
	case *ast.SequenceNode:
		return n.Nodes
	case *ast.ArrayNode:
		return n.Nodes
	case *ast.MapNode:
		return n.Pairs
	case *ast.PairNode:
		return []ast.Node{n.Key, n.Value}
	}
	return nil
}

func nonNil(nodes ...ast.Node) []ast.Node {
	var out []ast.Node
	for _, n := range nodes {
		if n != nil {
			out = append(out, n)
		}
	}
	return out
}

// checkLoops bounds the ranges, the nesting of loops and, where the sizes
// are known, the steps the loops take. depth is the number of loops n is
// inside.
func (l *lowerer) checkLoops(n ast.Node, depth int) {
	if l.err != nil {
		return
	}
	if b, ok := n.(*ast.BinaryNode); ok && b.Operator == ".." {
		if size := l.size(b); size > MaxRange {
			l.errorAt(b, "the range %s can hold %s values; allowed at most %s", b.String(), sizeWord(size), sizeWord(MaxRange))
			return
		}
	}
	if v, ok := n.(*ast.VariableDeclaratorNode); ok {
		if l.lets == nil {
			l.lets = map[string]float64{}
		}
		l.lets[v.Name] = l.size(v.Value)
	}
	if b, ok := n.(*ast.BuiltinNode); ok && loops(b) {
		if depth+1 > MaxLoopDepth {
			l.errorAt(b, "%s() nests loops %d deep; allowed at most %d deep", b.Name, depth+1, MaxLoopDepth)
			return
		}
		if depth == 0 {
			if steps := l.steps(b); steps > MaxLoopSteps {
				l.errorAt(b, "these loops take up to %s steps for each customer at each tick; allowed at most %s (use smaller ranges or fewer nested loops; a collection whose size is not known before the run counts as %s, the most one evaluation can create: bound it, as in 1..min(purchases, 50))",
					sizeWord(steps), sizeWord(MaxLoopSteps), sizeWord(MemoryBudget))
				return
			}
		}
		for _, c := range children(b) {
			if _, ok := c.(*ast.PredicateNode); ok {
				l.checkLoops(c, depth+1)
			} else {
				l.checkLoops(c, depth)
			}
		}
		return
	}
	for _, c := range children(n) {
		l.checkLoops(c, depth)
	}
}

// loops reports whether the builtin runs a predicate over a collection.
func loops(b *ast.BuiltinNode) bool {
	for _, a := range b.Arguments {
		if _, ok := a.(*ast.PredicateNode); ok {
			return true
		}
	}
	return false
}

// steps returns the most predicate evaluations n can take. A loop over a
// collection of unknown size counts as one over MemoryBudget values, the
// most one evaluation can create.
func (l *lowerer) steps(n ast.Node) float64 {
	total := 0.0
	b, ok := n.(*ast.BuiltinNode)
	if ok && loops(b) && len(b.Arguments) > 0 {
		size := l.size(b.Arguments[0])
		if math.IsNaN(size) {
			size = MemoryBudget
		}
		for _, a := range b.Arguments {
			if p, ok := a.(*ast.PredicateNode); ok {
				total += size * (1 + l.steps(p.Node))
			} else {
				total += l.steps(a)
			}
		}
		return total
	}
	for _, c := range children(n) {
		total += l.steps(c)
	}
	return total
}

// size returns the most values the collection n can hold, or NaN when
// that is not known before the run.
func (l *lowerer) size(n ast.Node) float64 {
	switch n := n.(type) {
	case *ast.ArrayNode:
		return float64(len(n.Nodes))
	case *ast.IdentifierNode:
		if size, ok := l.lets[n.Value]; ok {
			return size
		}
		return math.NaN()
	case *ast.SliceNode:
		return l.size(n.Node)
	case *ast.BuiltinNode:
		// What map, filter, sortBy and the like return is no larger than
		// what they loop over.
		switch n.Name {
		case "map", "filter", "sortBy", "sort", "uniq", "reverse", "take", "drop":
			if len(n.Arguments) > 0 {
				return l.size(n.Arguments[0])
			}
		}
		return math.NaN()
	case *ast.BinaryNode:
		if n.Operator != ".." {
			return math.NaN()
		}
		lo, _, ok1 := l.bounds(n.Left)
		_, hi, ok2 := l.bounds(n.Right)
		if !ok1 || !ok2 {
			return math.NaN()
		}
		return max(0, math.Floor(hi)-math.Ceil(lo)+1)
	}
	return math.NaN()
}

// sizeWord writes the size of a range or loop, or "unlimited" for one
// with no bound.
func sizeWord(x float64) string {
	if math.IsInf(x, 0) || x > 1e15 {
		return "unlimited"
	}
	return fmt.Sprintf("%.0f", x)
}

// bounds returns the least and the greatest value the number expression n
// can take, and false when they are not known before the run. Attributes
// take the range their distributions can draw from, loyalty 0 to 1 and
// tick 0 to the horizon.
func (l *lowerer) bounds(n ast.Node) (lo, hi float64, ok bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, n.Value, true
	case *ast.IdentifierNode:
		return l.nameBounds(n.Value)
	case *ast.UnaryNode:
		lo, hi, ok := l.bounds(n.Node)
		switch n.Operator {
		case "-":
			return -hi, -lo, ok
		case "+":
			return lo, hi, ok
		}
	case *ast.BuiltinNode:
		if n.Name == "min" || n.Name == "max" {
			return l.extremeBounds(n.Name, n.Arguments)
		}
	case *ast.ConditionalNode:
		lo1, hi1, ok1 := l.bounds(n.Exp1)
		lo2, hi2, ok2 := l.bounds(n.Exp2)
		return min(lo1, lo2), max(hi1, hi2), ok1 && ok2
	case *ast.BinaryNode:
		a0, a1, ok1 := l.bounds(n.Left)
		b0, b1, ok2 := l.bounds(n.Right)
		if !ok1 || !ok2 {
			return 0, 0, false
		}
		var xs []float64
		switch n.Operator {
		case "+":
			xs = []float64{a0 + b0, a1 + b1}
		case "-":
			xs = []float64{a0 - b1, a1 - b0}
		case "*":
			xs = []float64{a0 * b0, a0 * b1, a1 * b0, a1 * b1}
		default:
			return 0, 0, false
		}
		lo, hi = xs[0], xs[0]
		for _, x := range xs {
			if math.IsNaN(x) { // 0 × ∞
				return 0, 0, false
			}
			lo, hi = min(lo, x), max(hi, x)
		}
		return lo, hi, true
	}
	return 0, 0, false
}

// extremeBounds returns the bounds of min(args) or max(args) of numbers.
// The least of several values is no greater than the greatest bound known
// of any of them, however unknown the others: min(purchases, 50) is at
// most 50. Likewise for the greatest.
func (l *lowerer) extremeBounds(fn string, args []ast.Node) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(1)
	if fn == "max" {
		lo, hi = math.Inf(-1), math.Inf(-1)
	}
	for _, a := range args {
		alo, ahi, aok := l.bounds(a)
		switch {
		case fn == "min" && aok:
			lo, hi, ok = min(lo, alo), min(hi, ahi), true
		case fn == "min":
			lo = math.Inf(-1)
		case aok:
			lo, hi, ok = max(lo, alo), max(hi, ahi), true
		default:
			hi = math.Inf(1)
		}
	}
	return lo, hi, ok
}

// nameBounds returns the range of the variable called name.
func (l *lowerer) nameBounds(name string) (lo, hi float64, ok bool) {
	m := l.m
	switch name {
	case "loyalty", "adopters":
		return 0, 1, true
	case "review_rating":
		return 0, 5, true
	case "tick":
		if m.Horizon > 0 {
			return 0, float64(m.Horizon - 1), true
		}
		return 0, 0, false
	}
	for a, attr := range m.Population.Attributes {
		if attr.Name != name || len(attr.Levels) > 0 || len(m.Population.Personas) == 0 {
			continue
		}
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, p := range m.Population.Personas {
			if a >= len(p.Attributes) {
				return 0, 0, false
			}
			dlo, dhi := p.Attributes[a].Range()
			if math.IsNaN(dlo) || math.IsNaN(dhi) {
				return 0, 0, false
			}
			lo, hi = min(lo, dlo), max(hi, dhi)
		}
		return lo, hi, true
	}
	return 0, 0, false
}

// closed reports whether n reads nothing of the customer or the run: its
// value is the same every time, so it can be worked out now.
func closed(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.IdentifierNode, *ast.VariableDeclaratorNode:
		return false
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return false
		}
		name, ok := lookupName(id.Value)
		if !ok || name.Kind != NameFunction || (name.fn1 == nil && name.fn3 == nil) {
			return false
		}
		for _, a := range n.Arguments {
			if !closed(a) {
				return false
			}
		}
		return true
	}
	for _, c := range children(n) {
		if !closed(c) {
			return false
		}
	}
	return true
}

// literal reports whether n is written as its value.
func literal(n ast.Node) bool {
	switch n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.StringNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode, *ast.BytesNode:
		return true
	}
	return false
}

// checkConstants works out every largest part of the expression that
// reads no variable and refuses the expression if one fails: it would
// fail for every customer at every tick.
func (l *lowerer) checkConstants(n ast.Node) {
	if l.err != nil || literal(n) {
		return
	}
	if _, ok := n.(*ast.PredicateNode); !ok && closed(n) {
		if at, err := l.failing(n); err != nil {
			l.errorAt(at, "%s always fails: %s", at.String(), explainBudget(err.Error()))
		}
		return
	}
	for _, c := range children(n) {
		l.checkConstants(c)
	}
}

// failing returns the smallest part of the closed expression n that fails,
// and its error; nil when n does not fail.
func (l *lowerer) failing(n ast.Node) (ast.Node, error) {
	_, err := l.evaluate(n)
	if err == nil {
		return nil, nil
	}
	for _, c := range children(n) {
		if _, ok := c.(*ast.PredicateNode); ok || literal(c) {
			continue
		}
		if at, cerr := l.failing(c); cerr != nil {
			return at, cerr
		}
	}
	return n, err
}

// evaluate runs the expression n, which reads no variable.
func (l *lowerer) evaluate(n ast.Node) (any, error) {
	opts := append([]expr.Option{expr.Env(l.m.env()), expr.Optimize(false)}, funcOptions...)
	program, err := expr.Compile(n.String(), opts...)
	if err != nil {
		return nil, nil // not an expression by itself: nothing to say
	}
	machine := vm.VM{MemoryBudget: MemoryBudget}
	out, err := machine.Run(program, l.m.env())
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, errors.New(fe.Message)
		}
		return nil, err
	}
	return out, nil
}

// checkDomains refuses operations that fail for every value their
// operands can take: a modulo by zero, the square root of a number never
// positive, the logarithm of a number never positive.
func (l *lowerer) checkDomains(n ast.Node) {
	if l.err != nil {
		return
	}
	switch n := n.(type) {
	case *ast.BinaryNode:
		if n.Operator == "%" {
			if lo, hi, ok := l.bounds(n.Right); ok && lo == 0 && hi == 0 {
				why := ""
				if !literal(n.Right) {
					why = fmt.Sprintf(" (%s is always 0)", n.Right)
				}
				l.errorAt(n, "%s divides by zero for every customer%s", n, why)
				return
			}
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if ok && len(n.Arguments) == 1 && (id.Value == "sqrt" || id.Value == "log") {
			arg := n.Arguments[0]
			if lo, hi, ok := l.bounds(arg); ok {
				// sqrt(x) for x from -1 to 0 is a number at 0 alone: for
				// nearly every customer it is not.
				never := id.Value == "log" && hi <= 0 || id.Value == "sqrt" && (hi < 0 || hi == 0 && lo < 0)
				if never {
					need, who := "positive", "any customer"
					if id.Value == "sqrt" {
						need = "zero or more"
						if hi == 0 {
							who = "nearly every customer"
						}
					}
					l.errorAt(n, "%s is not a number for %s: %s must be %s, but is always between %g and %g",
						n.String(), who, arg.String(), need, lo+0, hi+0)
					return
				}
			}
		}
	}
	for _, c := range children(n) {
		l.checkDomains(c)
	}
}
