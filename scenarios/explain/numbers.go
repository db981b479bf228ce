package explain

import (
	"math"

	"github.com/expr-lang/expr/ast"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Precedence of a formula in words, to know where parentheses are needed.
const (
	precTernary = iota + 1
	precSum
	precProduct
	precUnary
	precPower
	precAtom
)

// formula is a number in words: its text, its precedence, and whether it
// ends in an open phrase ("the larger of a and b") that would swallow an
// operator written after it; closed is then the text with that phrase in
// parentheses.
type formula struct {
	text   string
	prec   int
	open   bool
	closed string
}

// openPhrase is a formula that ends in an open phrase.
func openPhrase(text string) formula {
	return formula{text: text, prec: precAtom, open: true, closed: "(" + text + ")"}
}

func atom(text string) formula { return formula{text: text, prec: precAtom} }

// number translates a number expression at the top level.
func (t *Translator) number(n ast.Node) string { return t.numberAt(n, 0) }

func (t *Translator) numberAt(n ast.Node, depth int) string { return t.formula(n, depth).text }

// probability translates a probability at the top level.
func (t *Translator) probability(n ast.Node) string { return t.prob(n, 0) }

func (t *Translator) prob(n ast.Node, depth int) string {
	if v, ok := fold(n, 0); ok {
		s := pct(v)
		if d, ok := oneIn(n); ok && v > 0 && v < 1 {
			s += " (1 in " + num(d) + ")"
		}
		return s
	}
	if c, ok := n.(*ast.ConditionalNode); ok && depth < maxDepth {
		a, b := t.prob(c.Exp1, depth+1), t.prob(c.Exp2, depth+1)
		cond := t.cond(c.Cond, false, depth+1).text
		_, nestedA := c.Exp1.(*ast.ConditionalNode)
		_, nestedB := c.Exp2.(*ast.ConditionalNode)
		if nestedA || nestedB || len(a) > 40 {
			// A long or nested case reads better with the condition first.
			return "if " + cond + ": " + a + "; otherwise " + b
		}
		return a + " if " + cond + ", otherwise " + b
	}
	return t.numberAt(n, depth)
}

// oneIn recognizes 1 / N.
func oneIn(n ast.Node) (float64, bool) {
	b, ok := n.(*ast.BinaryNode)
	if !ok || b.Operator != "/" {
		return 0, false
	}
	one, ok := literal(b.Left)
	d, ok2 := literal(b.Right)
	return d, ok && ok2 && one == 1 && d > 1
}

// fold computes an expression made of number literals only.
func fold(n ast.Node, depth int) (float64, bool) {
	if depth > maxDepth {
		return 0, false
	}
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		v, ok := fold(n.Node, depth+1)
		switch n.Operator {
		case "-":
			return -v, ok
		case "+":
			return v, ok
		}
	case *ast.BinaryNode:
		a, ok := fold(n.Left, depth+1)
		b, ok2 := fold(n.Right, depth+1)
		if !ok || !ok2 {
			return 0, false
		}
		var v float64
		switch n.Operator {
		case "+":
			v = a + b
		case "-":
			v = a - b
		case "*":
			v = a * b
		case "/":
			v = a / b
		case "**", "^":
			v = math.Pow(a, b)
		default:
			return 0, false
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
		return v, true
	}
	return 0, false
}

// formula translates a number expression.
func (t *Translator) formula(n ast.Node, depth int) formula {
	if n == nil {
		return atom(quote(""))
	}
	if depth > maxDepth {
		return atom(quote(n.String()))
	}
	switch n := n.(type) {
	case *ast.IntegerNode:
		return atom(num(float64(n.Value)))
	case *ast.FloatNode:
		return atom(num(n.Value))
	case *ast.StringNode:
		return atom(`"` + n.Value + `"`)
	case *ast.BoolNode:
		if n.Value {
			return atom("true")
		}
		return atom("false")
	case *ast.IdentifierNode:
		return atom(variableNoun(n.Value))
	case *ast.MemberNode:
		if s, ok := memberNoun(n); ok {
			return atom(s)
		}
	case *ast.UnaryNode:
		switch n.Operator {
		case "-":
			x := t.formula(n.Node, depth+1)
			return formula{text: "−" + wrapBelow(x, precPower), prec: precUnary}
		case "+":
			return t.formula(n.Node, depth+1)
		}
	case *ast.BinaryNode:
		if f, ok := t.arithmetic(n, depth); ok {
			return f
		}
	case *ast.ConditionalNode:
		c := t.cond(n.Cond, false, depth+1).text
		a := wrapBelow(t.formula(n.Exp1, depth+1), precSum)
		b := wrapBelow(t.formula(n.Exp2, depth+1), precSum)
		return formula{text: a + " if " + c + ", otherwise " + b, prec: precTernary}
	case *ast.CallNode, *ast.BuiltinNode:
		if f, ok := t.function(n, depth); ok {
			return f
		}
	}
	if isBool(n) {
		return atom("(" + t.cond(n, false, depth+1).text + ")")
	}
	return atom(quote(n.String()))
}

// wrapBelow puts f in parentheses if it binds less tightly than prec, and
// closes an open phrase at its end.
func wrapBelow(f formula, prec int) string {
	switch {
	case f.prec < prec:
		return "(" + f.text + ")"
	case f.open:
		return f.closed
	}
	return f.text
}

// arithmetic translates + - * / % ** ^.
func (t *Translator) arithmetic(n *ast.BinaryNode, depth int) (formula, bool) {
	var prec int
	var sym string
	switch n.Operator {
	case "+":
		prec, sym = precSum, " + "
	case "-":
		prec, sym = precSum, " − "
	case "*":
		prec, sym = precProduct, " × "
	case "/":
		prec, sym = precProduct, " ÷ "
	case "%":
		prec, sym = precProduct, " mod "
	case "**", "^":
		prec = precPower
	default:
		return formula{}, false
	}
	l := t.formula(n.Left, depth+1)
	r := t.formula(n.Right, depth+1)
	if prec == precPower {
		base := wrapBelow(l, precAtom)
		if k, ok := literal(n.Right); ok && (k == 2 || k == 3) {
			return atom(base + map[float64]string{2: "²", 3: "³"}[k]), true
		}
		return formula{text: base + "^" + wrapBelow(r, precAtom), prec: precPower}, true
	}
	left := wrapBelow(l, prec)
	// The right operand of - and / (and of mod) needs parentheses at equal
	// precedence too: a − (b − c).
	rightPrec := prec
	if n.Operator == "-" || n.Operator == "/" || n.Operator == "%" {
		rightPrec = prec + 1
	}
	if r.prec < rightPrec {
		return formula{text: left + sym + "(" + r.text + ")", prec: prec}, true
	}
	f := formula{text: left + sym + r.text, prec: prec, open: r.open}
	if r.open {
		f.closed = left + sym + r.closed
	}
	return f, true
}

// function translates a call of one of the language's functions.
func (t *Translator) function(n ast.Node, depth int) (formula, bool) {
	name, args := call(n)
	arg := func(i int) string { return wrapBelow(t.formula(args[i], depth+1), precAtom) }
	inner := func(i int) string { return t.formula(args[i], depth+1).text }
	switch {
	case (name == "contacts" && len(args) == 2) || (name == "contacts_all" && len(args) == 1):
		if c, ok := contactsCall(n); ok {
			return atom(c.many + " " + c.window(t)), true
		}
	case (name == "max" || name == "min") && len(args) >= 2:
		which := map[string][2]string{"max": {"larger", "largest"}, "min": {"smaller", "smallest"}}[name]
		items := make([]string, len(args))
		for i := range args {
			items[i] = arg(i)
		}
		word := which[0]
		if len(args) > 2 {
			word = which[1]
		}
		return openPhrase("the " + word + " of " + text.List(items, "and")), true
	case name == "clamp" && len(args) == 3:
		return atom("(" + inner(0) + ", kept between " + arg(1) + " and " + arg(2) + ")"), true
	case name == "exp" && len(args) == 1:
		return formula{text: "e^" + arg(0), prec: precPower}, true
	case name == "log" && len(args) == 1:
		return openPhrase("the logarithm of " + arg(0)), true
	case name == "sqrt" && len(args) == 1:
		return openPhrase("the square root of " + arg(0)), true
	case name == "abs" && len(args) == 1:
		return atom("|" + inner(0) + "|"), true
	case name == "floor" && len(args) == 1:
		return atom("(" + inner(0) + ", rounded down)"), true
	case name == "ceil" && len(args) == 1:
		return atom("(" + inner(0) + ", rounded up)"), true
	case name == "round" && len(args) == 1:
		return atom("(" + inner(0) + ", rounded)"), true
	}
	return formula{}, false
}

// names are the scenario language's own names (sim.ExprNames), by name.
var names = func() map[string]sim.ExprName {
	out := map[string]sim.ExprName{}
	for _, n := range sim.ExprNames() {
		out[n.Name] = n
	}
	return out
}()

// kindOf returns the kind of the built-in called name, and false for any
// other name (an attribute).
func kindOf(name string) (sim.NameKind, bool) {
	n, ok := names[name]
	return n.Kind, ok
}

// isReserved reports whether name is one of the model's own variables
// rather than an attribute.
func isReserved(name string) bool {
	k, ok := kindOf(name)
	return ok && k != sim.NameFunction
}

// isNumber reports whether name is a built-in number variable.
func isNumber(name string) bool {
	k, ok := kindOf(name)
	return ok && k == sim.NameNumber
}

// variableNoun names a variable in a formula: a built-in one by its noun
// (sim.ExprName.Noun), an attribute by its name.
func variableNoun(name string) string {
	if n, ok := names[name]; ok {
		switch n.Kind {
		case sim.NameNumber, sim.NameBool, sim.NameText:
			return n.Noun
		}
	}
	return pretty(name)
}

// memberNoun names fatigue.X, affinity.X and lever.X.
func memberNoun(n *ast.MemberNode) (string, bool) {
	id, ok := n.Node.(*ast.IdentifierNode)
	prop, ok2 := n.Property.(*ast.StringNode)
	if !ok || !ok2 {
		return "", false
	}
	switch n, _ := names[id.Value]; n.Kind {
	case sim.NameChannelNumber:
		return channelName(prop.Value) + " " + n.Noun, true
	case sim.NameLever:
		return "the strategy's " + pretty(prop.Value), true
	}
	return "", false
}

// literal returns the value of a number literal (or its negation).
func literal(n ast.Node) (float64, bool) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		return float64(n.Value), true
	case *ast.FloatNode:
		return n.Value, true
	case *ast.UnaryNode:
		if n.Operator == "-" {
			v, ok := literal(n.Node)
			return -v, ok
		}
	}
	return 0, false
}

// isLiteral reports whether n is a constant: a number, text or true/false.
func isLiteral(n ast.Node) bool {
	if _, ok := literal(n); ok {
		return true
	}
	switch n.(type) {
	case *ast.StringNode, *ast.BoolNode:
		return true
	}
	return false
}

// isBool guesses whether n yields true or false, from its shape alone.
func isBool(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BoolNode:
		return true
	case *ast.IdentifierNode:
		k, ok := kindOf(n.Value)
		return ok && k == sim.NameBool
	case *ast.MemberNode:
		if id, ok := n.Node.(*ast.IdentifierNode); ok {
			k, ok := kindOf(id.Value)
			return ok && (k == sim.NameEvent || k == sim.NameChannelBool)
		}
	case *ast.UnaryNode:
		return n.Operator == "!" || n.Operator == "not"
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or", "==", "!=", "<", "<=", ">", ">=", "in",
			"matches", "contains", "startsWith", "endsWith":
			return true
		}
	case *ast.ConditionalNode:
		return isBool(n.Exp1) && isBool(n.Exp2)
	}
	return false
}
