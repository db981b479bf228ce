package sim

import (
	"fmt"
	"strconv"
	"strings"
)

// genTerm is a generated expression with what the generator knows of it.
type genTerm struct {
	src string
	// typ is the type the type checker gives a number; mayInt reports
	// whether the VM may compute it as an int at run time, and runInt
	// whether it always does. They differ for min(tick, 0.5), typed int
	// as its first argument, and for cart ? 1 : 0.5, whose type only the
	// run decides.
	typ            checkerType
	mayInt, runInt bool
	// bound is the largest magnitude the term can take when it is an int
	// at run time, and 0 when it never is.
	bound float64
	// native reports whether the lowering should take it.
	native bool
}

// checkerType is the type expr's type checker gives a number.
type checkerType int

const (
	typFloat checkerType = iota
	typInt
	typAny // interface{}: the run decides
)

// sumType is the type of a + b, a - b and a * b.
func sumType(a, b checkerType) checkerType {
	switch {
	case a == typAny || b == typAny:
		return typAny
	case a == typInt && b == typInt:
		return typInt
	}
	return typFloat
}

// exprGen writes well-typed expressions over a model's variables, steered
// by the bytes of a fuzz input: each choice takes the next byte. Once the
// bytes run out every choice is the first, which is always a leaf, so
// every input gives a finite expression.
type exprGen struct {
	data []byte
	// Leaves, from the model and the table of built-in names.
	numbers, wholes, flags []genTerm
	texts                  []textVar
	channels               []string
	// used counts the constructs generated, for the coverage test.
	used map[string]int
}

// textVar is a text variable and the values it can take.
type textVar struct {
	name   string
	domain []string
}

func newExprGen(m *Model, data []byte) *exprGen {
	g := &exprGen{data: data, channels: m.channelNames(), used: map[string]int{}}
	leaf := func(src string) genTerm { return genTerm{src: src, native: true} }
	for _, a := range m.Population.Attributes {
		if len(a.Levels) > 0 {
			g.texts = append(g.texts, textVar{a.Name, a.Levels})
		} else {
			g.numbers = append(g.numbers, leaf(a.Name))
		}
	}
	for _, n := range nameTable {
		switch n.Kind {
		case NameNumber:
			if n.whole {
				g.wholes = append(g.wholes, intTerm(n.Name, wholeBound))
			} else {
				g.numbers = append(g.numbers, leaf(n.Name))
			}
		case NameBool:
			g.flags = append(g.flags, leaf(n.Name))
		case NameText:
			b, _ := m.bind(n.Name, "")
			g.texts = append(g.texts, textVar{n.Name, b.text.domain})
		case NameChannelNumber:
			for _, ch := range g.channels {
				g.numbers = append(g.numbers, leaf(n.Name+"."+ch))
			}
		case NameChannelBool:
			for _, ch := range g.channels {
				g.flags = append(g.flags, leaf(n.Name+"."+ch))
			}
		case NameLever:
			for _, lv := range m.LeverNames() {
				g.numbers = append(g.numbers, leaf(n.Name+"."+lv))
			}
		case NameEvent:
			for _, f := range n.Fields {
				g.flags = append(g.flags, leaf(n.Name+"."+f))
			}
		}
	}
	return g
}

// pick returns the next choice among n, 0 once the input is used up.
func (g *exprGen) pick(n int) int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b) % n
}

func (g *exprGen) note(construct string) { g.used[construct]++ }

var floatLiterals = []string{"0.5", "0.0", "1.5", "2.0", "0.25", "10.0", "3.75", "1e-9", "1e300"}

func (g *exprGen) numberLeaf() genTerm {
	switch g.pick(4) {
	case 1:
		g.note("int literal")
		return g.intLiteral()
	case 2:
		g.note("variable")
		return g.numbers[g.pick(len(g.numbers))]
	case 3:
		return g.wholeLeaf()
	}
	g.note("float literal")
	return genTerm{src: floatLiterals[g.pick(len(floatLiterals))], native: true}
}

func (g *exprGen) intLiteral() genTerm {
	v := g.pick(100)
	return intTerm(strconv.Itoa(v), float64(v))
}

// intTerm is a leaf that is an int, of at most bound in magnitude.
func intTerm(src string, bound float64) genTerm {
	return genTerm{src: src, typ: typInt, mayInt: true, runInt: true, bound: bound, native: true}
}

// float makes t a float64 by adding 0.0.
func float(t genTerm) genTerm {
	return genTerm{src: "(" + t.src + ") + 0.0", native: t.native}
}

// wholeLeaf is a leaf the VM computes as an int.
func (g *exprGen) wholeLeaf() genTerm {
	switch g.pick(4) {
	case 1:
		g.note("whole variable")
		return g.wholes[g.pick(len(g.wholes))]
	case 2:
		g.note("contacts")
		ch := g.channels[g.pick(len(g.channels))]
		return intTerm(fmt.Sprintf("contacts(%q, %d)", ch, 1+g.pick(MaxWindow)), MaxWindow)
	case 3:
		g.note("contacts_all")
		return intTerm(fmt.Sprintf("contacts_all(%d)", 1+g.pick(MaxWindow)), MaxWindow*float64(len(g.channels)))
	}
	g.note("int literal")
	return g.intLiteral()
}

// number generates an expression that yields a number.
func (g *exprGen) number(depth int) genTerm {
	if depth <= 0 {
		return g.numberLeaf()
	}
	switch g.pick(10) {
	case 2:
		return g.unary(g.number(depth-1), false)
	case 3, 4:
		return g.arithmetic(g.number(depth-1), g.number(depth-1), false)
	case 5:
		return g.modulo(depth)
	case 6:
		return g.conditional(depth, g.number)
	case 7:
		return g.mathCall(depth)
	case 8:
		return g.rounding(g.number(depth-1), roundings)
	case 9:
		return g.minMax(depth, g.number)
	}
	return g.numberLeaf()
}

// whole generates an expression that % takes: one the type checker types
// int, or whose type only the run decides. It nests at most two levels, so
// that a product of its leaves stays below 2⁵⁰.
func (g *exprGen) whole(depth int) genTerm {
	depth = min(depth, 2)
	if depth <= 0 {
		return g.wholeLeaf()
	}
	switch g.pick(7) {
	case 2:
		return g.unary(g.whole(depth-1), true)
	case 3:
		return g.arithmetic(g.whole(depth-1), g.whole(depth-1), true)
	case 4:
		return g.modulo(depth)
	case 5:
		return g.conditional(depth, g.whole)
	case 6:
		if g.pick(2) == 0 {
			return g.rounding(g.whole(depth-1), roundings[:1])
		}
		return g.minMax(depth, g.whole)
	}
	return g.wholeLeaf()
}

// unary negates x or leaves it be. Where the run decides whether x is an
// int, x is made a float first, or left be to keep ints: the VM negates
// an int 0 to 0 and a float 0 to -0, where the lowering, computing in
// float64, can only do one of them.
func (g *exprGen) unary(x genTerm, keepInt bool) genTerm {
	op := []string{"-", "+"}[g.pick(2)]
	if undecided := op == "-" && x.mayInt && !x.runInt; undecided && keepInt {
		op = "+"
	} else if undecided {
		x = float(x)
	}
	g.note("unary " + op)
	x.src = op + "(" + x.src + ")"
	return x
}

// arithmetic combines a and b with + - * / ** or ^, or with + - or *
// only to keep int operands ints. A sum or product that could leave the
// range where int64 and float64 arithmetic agree (2⁵⁰) is made a float
// by adding 0.0 to b: the lowering computes in float64, where expr
// computes ints in int64 and wraps. So is a product of two operands that
// may both be ints unless the run decides it, 0 × -3 being 0 in ints and
// -0 in float64s; keeping ints, it becomes a sum.
func (g *exprGen) arithmetic(a, b genTerm, keepInt bool) genTerm {
	op := []string{"+", "-", "*", "/", "**", "^"}[g.pick(6)]
	if keepInt {
		op = []string{"+", "-", "*"}[g.pick(3)]
	}
	undecided := op == "*" && a.mayInt && b.mayInt && !(a.runInt && b.runInt)
	if undecided && keepInt {
		op = "+"
	}
	g.note("binary " + op)
	t := genTerm{native: a.native && b.native}
	switch op {
	case "+", "-", "*":
		t.bound = a.bound + b.bound
		if op == "*" {
			t.bound = a.bound * b.bound
		}
		if t.bound > 1<<50 || undecided && op == "*" {
			b = float(b)
			t.bound = 0
		}
		t.typ = sumType(a.typ, b.typ)
		t.mayInt = a.mayInt && b.mayInt
		t.runInt = a.runInt && b.runInt
	}
	t.src = "(" + a.src + ") " + op + " (" + b.src + ")"
	return t
}

// modulo is a % b on two whole numbers: lowered only when both are ints
// at run time, as the VM reports % on a float.
func (g *exprGen) modulo(depth int) genTerm {
	a, b := g.whole(depth-1), g.whole(depth-1)
	g.note("binary %")
	return genTerm{
		src: "(" + a.src + ") % (" + b.src + ")",
		typ: typInt, mayInt: true, runInt: a.runInt && b.runInt, bound: b.bound,
		native: a.native && b.native && a.runInt && b.runInt,
	}
}

func (g *exprGen) conditional(depth int, branch func(int) genTerm) genTerm {
	c, a, b := g.boolean(depth-1), branch(depth-1), branch(depth-1)
	g.note("conditional")
	t := genTerm{
		src: "(" + c.src + ") ? (" + a.src + ") : (" + b.src + ")",
		typ: a.typ, mayInt: a.mayInt || b.mayInt, runInt: a.runInt && b.runInt,
		bound: max(a.bound, b.bound), native: c.native && a.native && b.native,
	}
	if a.typ != b.typ {
		t.typ = typAny
	}
	return t
}

// mathCall calls one of the model's functions that take numbers.
func (g *exprGen) mathCall(depth int) genTerm {
	name := []string{"exp", "log", "sqrt", "clamp"}[g.pick(4)]
	g.note(name)
	n := 1
	if name == "clamp" {
		n = 3
	}
	args := make([]string, n)
	native := true
	for i := range args {
		a := g.number(depth - 1)
		args[i], native = a.src, native && a.native
	}
	return genTerm{src: name + "(" + strings.Join(args, ", ") + ")", native: native}
}

// roundings are the functions of one number; only the first, abs, keeps
// whole numbers whole.
var roundings = []string{"abs", "floor", "ceil", "round"}

// rounding applies one of names to x.
func (g *exprGen) rounding(x genTerm, names []string) genTerm {
	name := names[g.pick(len(names))]
	g.note(name)
	t := genTerm{src: name + "(" + x.src + ")", native: x.native}
	if name == "abs" {
		t.typ, t.mayInt, t.runInt, t.bound = x.typ, x.mayInt, x.runInt, x.bound
	}
	return t
}

// minMax is min or max of one to four arguments: typed as the first
// unless one is of a type only the run decides, an int at run time only
// if all are.
func (g *exprGen) minMax(depth int, first func(int) genTerm) genTerm {
	name := []string{"min", "max"}[g.pick(2)]
	g.note(name)
	a := first(depth - 1)
	t := genTerm{typ: a.typ, mayInt: a.mayInt, runInt: a.runInt, bound: a.bound, native: a.native}
	args := []string{a.src}
	for range g.pick(4) {
		b := g.number(depth - 1)
		if g.pick(2) == 0 {
			b = g.whole(depth - 1)
		}
		args = append(args, b.src)
		if b.typ == typAny {
			t.typ = typAny
		}
		t.mayInt = t.mayInt || b.mayInt
		t.runInt = t.runInt && b.runInt
		t.bound = max(t.bound, b.bound)
		t.native = t.native && b.native
	}
	t.src = name + "(" + strings.Join(args, ", ") + ")"
	return t
}

var (
	comparisons = []string{"<", "<=", ">", ">=", "==", "!="}
	logic       = []string{"&&", "||", "and", "or"}
)

// boolean generates a condition.
func (g *exprGen) boolean(depth int) genTerm {
	if depth <= 0 {
		return g.boolLeaf()
	}
	switch g.pick(9) {
	case 2:
		x := g.boolean(depth - 1)
		op := []string{"!", "not "}[g.pick(2)]
		g.note("unary " + op)
		x.src = op + "(" + x.src + ")"
		return x
	case 3, 4:
		a, b := g.boolean(depth-1), g.boolean(depth-1)
		op := logic[g.pick(len(logic))]
		g.note("binary " + op)
		return genTerm{src: "(" + a.src + ") " + op + " (" + b.src + ")", native: a.native && b.native}
	case 5, 6:
		a, b := g.number(depth-1), g.number(depth-1)
		op := comparisons[g.pick(len(comparisons))]
		g.note("compare numbers " + op)
		t := genTerm{src: "(" + a.src + ") " + op + " (" + b.src + ")", native: a.native && b.native}
		if (op == "==" || op == "!=") && a.typ == typInt && b.typ == typInt && !(a.runInt && b.runInt) {
			// The VM compares them as ints and fails on a float.
			t.native = false
		}
		return t
	case 7:
		a, b := g.boolean(depth-1), g.boolean(depth-1)
		op := comparisons[4+g.pick(2)]
		g.note("compare booleans " + op)
		return genTerm{src: "(" + a.src + ") " + op + " (" + b.src + ")", native: a.native && b.native}
	case 8:
		return g.conditional(depth, g.boolean)
	}
	return g.boolLeaf()
}

func (g *exprGen) boolLeaf() genTerm {
	switch g.pick(4) {
	case 1:
		g.note("flag")
		return g.flags[g.pick(len(g.flags))]
	case 2:
		return g.text()
	case 3:
		g.note("bool literal")
		return genTerm{src: []string{"true", "false"}[g.pick(2)], native: true}
	}
	// A comparison with a literal on the right, the commonest shape.
	a := g.number(0)
	op := comparisons[g.pick(len(comparisons))]
	g.note("compare with literal " + op)
	return genTerm{src: "(" + a.src + ") " + op + " " + floatLiterals[g.pick(len(floatLiterals))], native: a.native}
}

// text compares a text variable with values it can take.
func (g *exprGen) text() genTerm {
	v := g.texts[g.pick(len(g.texts))]
	level := func() string { return strconv.Quote(v.domain[g.pick(len(v.domain))]) }
	var src string
	switch g.pick(5) {
	case 0:
		src = v.name + " == " + level()
	case 1:
		src = level() + " == " + v.name
	case 2:
		src = v.name + " != " + level()
	case 3, 4:
		levels := make([]string, 1+g.pick(3))
		for i := range levels {
			levels[i] = level()
		}
		op := " in "
		if g.pick(2) == 1 {
			op = " not in "
		}
		src = v.name + op + "[" + strings.Join(levels, ", ") + "]"
	}
	g.note("text " + v.name)
	return genTerm{src: src, native: true}
}
