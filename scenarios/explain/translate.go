// Package explain puts a scenario into words, as a teacher would say it:
// who the customers are, which channels there are and what they cost, how
// the journey runs, how fatigue and loyalty work, and what each strategy
// does, with every trigger's expression turned into a sentence. It also
// draws the journey graph as a Mermaid flowchart or a Graphviz DOT file.
//
// A Translator turns single expressions into words; Text, Mermaid and DOT
// describe a whole compiled scenario (a *sim.Model).
package explain

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Translator turns the expressions of a scenario (trigger conditions, edge
// probabilities, scores) into English. It knows the variables and
// functions of the scenario language (docs/scenarios.md) and quotes, in
// backticks, any part it cannot put into words, so it never fails. The
// zero value is ready to use and counts time in ticks.
type Translator struct {
	// Tick names one tick, in the singular ("day"); empty means "tick".
	Tick string
	// Currency names the unit of money ("EUR"); empty leaves amounts bare.
	Currency string
}

// ForScenario returns a Translator that speaks of sc's tick and currency.
func ForScenario(sc *scenarios.Scenario) *Translator {
	return &Translator{Tick: sc.Model.TickLabel, Currency: sc.Currency}
}

func (t *Translator) tick() string {
	if t == nil || t.Tick == "" {
		return "tick"
	}
	return t.Tick
}

func (t *Translator) currency() string {
	if t == nil {
		return ""
	}
	return t.Currency
}

// maxDepth bounds how deep the translator follows an expression's tree;
// anything deeper is quoted.
const maxDepth = 40

// Condition translates a true/false expression into a clause, such as
// "the customer has not bought for more than 30 days and loyalty is below
// 0.5" for "since_purchase > 30 && loyalty < 0.5". The constant true is
// "always", false "never".
func (t *Translator) Condition(source string) (out string) {
	defer t.guard(source, &out)
	n, ok := parse(source)
	if !ok {
		return quote(source)
	}
	return t.condition(n)
}

// Number translates an expression that yields a number (a score, say) into
// a formula in words: "4.4 − 0.8 × demanding".
func (t *Translator) Number(source string) (out string) {
	defer t.guard(source, &out)
	n, ok := parse(source)
	if !ok {
		return quote(source)
	}
	return t.number(n)
}

// Probability translates an expression that yields a probability: as
// Number, but a constant, or a constant branch of a condition, is written
// as a percentage: "60% if the customer has an open cart, otherwise 25%".
func (t *Translator) Probability(source string) (out string) {
	defer t.guard(source, &out)
	n, ok := parse(source)
	if !ok {
		return quote(source)
	}
	return t.probability(n)
}

// Phrase translates an expression of either kind: a condition as
// Condition does, anything else as Number.
func (t *Translator) Phrase(source string) (out string) {
	defer t.guard(source, &out)
	n, ok := parse(source)
	if !ok {
		return quote(source)
	}
	if isBool(n) {
		return t.condition(n)
	}
	return t.number(n)
}

// guard turns a panic in the translator, which would be a bug, into the
// quoted source: explaining a scenario must never fail.
func (t *Translator) guard(source string, out *string) {
	if recover() != nil {
		*out = quote(source)
	}
}

// parse parses source as expr-lang, without an environment.
func parse(source string) (ast.Node, bool) {
	if strings.TrimSpace(source) == "" {
		return nil, false
	}
	tree, err := parser.Parse(source)
	if err != nil || tree == nil || tree.Node == nil {
		return nil, false
	}
	return tree.Node, true
}

// condition translates a true/false expression at the top level.
func (t *Translator) condition(n ast.Node) string {
	if b, ok := n.(*ast.BoolNode); ok {
		if b.Value {
			return "always"
		}
		return "never"
	}
	return t.cond(n, false, 0).text
}

// clause is a condition in words. group says whether it joins several
// conditions with "and" or "or", so that a parent can set it apart.
type clause struct {
	text  string
	group string
}

const customer = "the customer "

func simple(text string) clause { return clause{text: text} }

// cond translates n, a condition, negated when neg is set.
func (t *Translator) cond(n ast.Node, neg bool, depth int) clause {
	if n == nil {
		return simple(quote(""))
	}
	if depth > maxDepth {
		return t.quoted(n, neg)
	}
	switch n := n.(type) {
	case *ast.BoolNode:
		if n.Value != neg {
			return simple("always")
		}
		return simple("never")
	case *ast.IdentifierNode:
		if n.Value == "cart" {
			if neg {
				return simple(customer + "has no open cart")
			}
			return simple(customer + "has an open cart")
		}
	case *ast.MemberNode:
		if c, ok := t.memberCondition(n, neg); ok {
			return c
		}
	case *ast.UnaryNode:
		if n.Operator == "!" || n.Operator == "not" {
			return t.cond(n.Node, !neg, depth+1)
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "&&", "and", "||", "or":
			return t.logic(n, neg, depth)
		case "==", "!=", "<", "<=", ">", ">=":
			return t.compare(n.Left, n.Operator, n.Right, neg, depth)
		case "in":
			if c, ok := t.in(n, neg, depth); ok {
				return c
			}
		}
	case *ast.ConditionalNode:
		a := t.cond(n.Exp1, neg, depth+1).text
		b := t.cond(n.Exp2, neg, depth+1).text
		c := t.cond(n.Cond, false, depth+1).text
		return simple("(" + a + " if " + c + ", otherwise " + b + ")")
	}
	return t.quoted(n, neg)
}

// quoted quotes a condition the translator cannot put into words.
func (t *Translator) quoted(n ast.Node, neg bool) clause {
	q := quote(n.String())
	if neg {
		return simple(q + " does not hold")
	}
	return simple(q)
}

// eventWords are the events of the previous tick: what the customer did,
// and did not do.
var eventWords = map[string][2]string{
	"visit":     {"visited a touchpoint", "did not visit a touchpoint"},
	"purchase":  {"bought", "did not buy"},
	"cart":      {"opened a cart", "did not open a cart"},
	"response":  {"responded to a message", "did not respond to a message"},
	"complaint": {"complained (rated an interaction 2 or less)", "did not complain"},
	"leak":      {"was lost at a channel switch or bought from a competitor", "was not lost to a competitor"},
}

// memberCondition translates event.X, consent.X and opted_out.X.
func (t *Translator) memberCondition(n *ast.MemberNode, neg bool) (clause, bool) {
	id, ok := n.Node.(*ast.IdentifierNode)
	prop, ok2 := n.Property.(*ast.StringNode)
	if !ok || !ok2 {
		return clause{}, false
	}
	pick := func(yes, no string) clause {
		if neg {
			return simple(customer + no)
		}
		return simple(customer + yes)
	}
	switch id.Value {
	case "event":
		w, ok := eventWords[prop.Value]
		if !ok {
			return clause{}, false
		}
		when := t.previousTick()
		yes, no := w[0], w[1]
		if note, ok := strings.CutPrefix(yes, "complained "); ok {
			return pick("complained "+when+" "+note, no+" "+when), true
		}
		return pick(yes+" "+when, no+" "+when), true
	case "consent":
		ch := channelName(prop.Value)
		return pick("consented to "+ch, "has not consented to "+ch), true
	case "opted_out":
		ch := channelName(prop.Value)
		return pick("opted out of "+ch, "has not opted out of "+ch), true
	}
	return clause{}, false
}

// previousTick says when an event happened: "yesterday", "in the previous
// hour".
func (t *Translator) previousTick() string {
	if t.tick() == "day" {
		return "yesterday"
	}
	return "in the previous " + t.tick()
}

// logic translates a chain of && or || (each negated when neg is set, by
// De Morgan's laws).
func (t *Translator) logic(n *ast.BinaryNode, neg bool, depth int) clause {
	and := n.Operator == "&&" || n.Operator == "and"
	if neg {
		and = !and
	}
	conj := "or"
	if and {
		conj = "and"
	}
	// Flatten a && b && c, which the parser nests on the left.
	var operands []ast.Node
	var flatten func(x ast.Node, d int)
	flatten = func(x ast.Node, d int) {
		if b, ok := x.(*ast.BinaryNode); ok && sameLogic(b.Operator, n.Operator) && d < maxDepth {
			flatten(b.Left, d+1)
			flatten(b.Right, d+1)
			return
		}
		operands = append(operands, x)
	}
	flatten(n, depth)
	if c, ok := t.cycleList(operands, neg, and); ok {
		return c
	}
	items := make([]string, len(operands))
	prevCustomer, nested := false, false
	for i, x := range operands {
		c := t.cond(x, neg, depth+1)
		text := c.text
		switch {
		case c.group == "or" && and:
			text, nested = "either "+text, true
		case c.group == "and" && !and:
			text, nested = "both "+text, true
			if strings.Count(c.text, " and ") != 1 || strings.Contains(c.text, ", ") {
				text = "(" + c.text + ")"
			}
		}
		isCustomer := strings.HasPrefix(text, customer)
		if isCustomer && prevCustomer {
			text = strings.TrimPrefix(text, customer)
		}
		prevCustomer = isCustomer
		items[i] = text
	}
	if nested {
		// "either a or b, and c": the comma closes the inner group.
		return clause{text: strings.Join(items[:len(items)-1], ", ") + ", " + conj + " " + items[len(items)-1], group: conj}
	}
	return clause{text: text.List(items, conj), group: conj}
}

func sameLogic(a, b string) bool {
	isAnd := func(op string) bool { return op == "&&" || op == "and" }
	isOr := func(op string) bool { return op == "||" || op == "or" }
	return (isAnd(a) && isAnd(b)) || (isOr(a) && isOr(b))
}

// compare translates left op right, negated when neg is set.
func (t *Translator) compare(left ast.Node, op string, right ast.Node, neg bool, depth int) clause {
	// A constant on the left reads better on the right: 0.5 > loyalty is
	// loyalty < 0.5.
	if isLiteral(left) && !isLiteral(right) {
		left, right = right, left
		op = mirror(op)
	}
	if neg {
		op = invert(op)
	}
	// A comparison with true or false is the condition itself.
	if b, ok := right.(*ast.BoolNode); ok && (op == "==" || op == "!=") && isBool(left) {
		return t.cond(left, b.Value != (op == "=="), depth+1)
	}
	k, isConst := literal(right)
	if id, ok := left.(*ast.IdentifierNode); ok {
		switch id.Value {
		case "since_purchase":
			return simple(customer + sinceWords(op, t.numberAt(right, depth+1), isConst, k, t.tick()))
		case "purchases":
			if isConst {
				return simple(customer + purchaseWords(op, k))
			}
		case "tick":
			if isConst {
				return simple(t.tickWords(op, k))
			}
		case "revenue":
			if isConst {
				return simple("what the customer has paid so far " + relation(op) + " " + money(k, t.currency()))
			}
		case "adopters":
			if isConst {
				return simple(adopterWords(op, k, t.previousTick()))
			}
		}
		k, _ := kindOf(id.Value)
		if s, ok := right.(*ast.StringNode); ok && (op == "==" || op == "!=") && (k == sim.NameText || !isReserved(id.Value)) {
			return simple(textIs(id.Value, op == "!=", []string{s.Value}))
		}
	}
	if call, ok := contactsCall(left); ok && isConst {
		return simple(customer + "has had " + quantity(op, k, call.one, call.many) + " " + call.window(t))
	}
	if c, ok := t.cycleWords(left, op, right); ok {
		return simple(c)
	}
	l := t.numberAt(left, depth+1)
	r := t.numberAt(right, depth+1)
	return simple(l + " " + relation(op) + " " + r)
}
