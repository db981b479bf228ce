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
	"math"
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
	return clause{text: list(items, conj), group: conj}
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

// relation is a comparison operator in words.
func relation(op string) string {
	switch op {
	case ">":
		return "is above"
	case "<":
		return "is below"
	case ">=":
		return "is at least"
	case "<=":
		return "is at most"
	case "!=":
		return "is not"
	}
	return "is"
}

// mirror swaps the sides of a comparison: a < b is b > a.
func mirror(op string) string {
	switch op {
	case "<":
		return ">"
	case ">":
		return "<"
	case "<=":
		return ">="
	case ">=":
		return "<="
	}
	return op
}

// invert negates a comparison: not (a < b) is a >= b.
func invert(op string) string {
	switch op {
	case "<":
		return ">="
	case ">":
		return "<="
	case "<=":
		return ">"
	case ">=":
		return "<"
	case "==":
		return "!="
	case "!=":
		return "=="
	}
	return op
}

// sinceWords says how long ago the customer last bought.
func sinceWords(op, n string, isConst bool, k float64, tick string) string {
	span := n + " " + text.Plural(tick)
	if isConst {
		span = counted(k, tick)
	}
	switch op {
	case ">":
		return "has not bought for more than " + span
	case ">=":
		return "has not bought for " + span + " or more"
	case "<":
		return "bought less than " + span + " ago"
	case "<=":
		return "bought at most " + span + " ago"
	case "==":
		return "bought exactly " + span + " ago"
	}
	return "did not buy exactly " + span + " ago"
}

// purchaseWords says how many purchases the customer has made.
func purchaseWords(op string, k float64) string {
	switch {
	case op == "==" && k == 0, op == "<" && k == 1, op == "<=" && k == 0:
		return "has never bought"
	case op == "!=" && k == 0, op == ">" && k == 0, op == ">=" && k == 1:
		return "has bought before"
	case op == "!=":
		return "has not made exactly " + counted(k, "purchase")
	}
	return "has made " + quantity(op, k, "purchase", "purchases")
}

// quantity says how many: "fewer than 2 e-mails", "at least 1 purchase".
func quantity(op string, k float64, one, many string) string {
	noun := many
	if k == 1 {
		noun = one
	}
	n := num(k) + " " + noun
	switch op {
	case ">":
		return "more than " + n
	case "<":
		return "fewer than " + n
	case ">=":
		return "at least " + n
	case "<=":
		return "at most " + n
	case "!=":
		return "other than " + n
	}
	if k == 0 {
		return "no " + many
	}
	return "exactly " + n
}

// adopterWords says how much of the population had bought: "more than
// 50% of customers had bought by yesterday".
func adopterWords(op string, k float64, when string) string {
	how := map[string]string{">": "more than ", "<": "less than ", ">=": "at least ", "<=": "at most ", "==": "exactly ", "!=": "not exactly "}[op]
	by := strings.Replace(when, "in the previous", "by the previous", 1)
	if by == "yesterday" {
		by = "by yesterday"
	}
	return how + pct(k) + " of customers had bought " + by
}

// tickWords says when in the run a tick comparison holds.
func (t *Translator) tickWords(op string, k float64) string {
	passed := func(q string) string {
		verb := "have"
		if strings.HasSuffix(q, " 1 "+t.tick()) {
			verb = "has"
		}
		return q + " " + verb + " passed since the start"
	}
	n := t.ticks(k)
	switch op {
	case ">=":
		return passed("at least " + n)
	case ">":
		return passed("more than " + n)
	case "<":
		return "it is within the first " + n + " of the run"
	case "<=":
		return passed("at most " + n)
	case "==":
		return passed("exactly " + n)
	}
	return passed("other than exactly " + n)
}

// textIs says that a text variable takes (or does not take) one of values.
func textIs(name string, not bool, values []string) string {
	is := "is"
	if not {
		is = "is not"
	}
	or := list(values, "or")
	switch name {
	case "stage":
		return customer + is + " in the " + or + " stage"
	case "node":
		return customer + is + " at " + or
	case "channel":
		if len(values) == 1 && values[0] == "" {
			return customer + is + " at a touchpoint without a channel"
		}
		names := make([]string, len(values))
		for i, v := range values {
			names[i] = channelName(v)
			if v == "" {
				names[i] = "no channel"
			}
		}
		return customer + is + " on " + list(names, "or")
	case "persona":
		belongs := "belongs"
		if not {
			belongs = "does not belong"
		}
		return customer + belongs + " to the " + or + " persona"
	}
	return pretty(name) + " " + is + " " + or
}

// in translates x in [a, b].
func (t *Translator) in(n *ast.BinaryNode, neg bool, depth int) (clause, bool) {
	arr, ok := n.Right.(*ast.ArrayNode)
	if !ok || len(arr.Nodes) == 0 {
		return clause{}, false
	}
	var values []string
	allText := true
	for _, el := range arr.Nodes {
		if s, ok := el.(*ast.StringNode); ok {
			values = append(values, s.Value)
			continue
		}
		allText = false
		values = append(values, t.numberAt(el, depth+1))
	}
	if id, ok := n.Left.(*ast.IdentifierNode); ok && allText && !isNumber(id.Value) {
		return simple(textIs(id.Value, neg, values)), true
	}
	is := "is one of"
	if neg {
		is = "is none of"
	}
	return simple(t.numberAt(n.Left, depth+1) + " " + is + " " + list(values, "or")), true
}

// contacts is a call of contacts("CHANNEL", W) or contacts_all(W).
type contacts struct {
	one, many string
	window    func(*Translator) string
}

func contactsCall(n ast.Node) (contacts, bool) {
	name, args := call(n)
	switch {
	case name == "contacts" && len(args) == 2:
		ch, ok := args[0].(*ast.StringNode)
		w, ok2 := literal(args[1])
		if !ok || !ok2 {
			return contacts{}, false
		}
		one, many := message(ch.Value)
		return contacts{one: one, many: many, window: func(t *Translator) string { return "in the last " + t.ticks(w) }}, true
	case name == "contacts_all" && len(args) == 1:
		w, ok := literal(args[0])
		if !ok {
			return contacts{}, false
		}
		return contacts{one: "contact", many: "contacts", window: func(t *Translator) string {
			return "in the last " + t.ticks(w) + " on all channels together"
		}}, true
	}
	return contacts{}, false
}

// call returns the name and arguments of a function call.
func call(n ast.Node) (string, []ast.Node) {
	switch n := n.(type) {
	case *ast.CallNode:
		if id, ok := n.Callee.(*ast.IdentifierNode); ok {
			return id.Value, n.Arguments
		}
	case *ast.BuiltinNode:
		return n.Name, n.Arguments
	}
	return "", nil
}

// cycle is tick % N compared with a constant.
type cycle struct {
	n, k int
	op   string
}

func cycleOf(left ast.Node, op string, right ast.Node) (cycle, bool) {
	b, ok := left.(*ast.BinaryNode)
	if !ok || b.Operator != "%" {
		return cycle{}, false
	}
	id, ok := b.Left.(*ast.IdentifierNode)
	n, ok2 := b.Right.(*ast.IntegerNode)
	k, ok3 := right.(*ast.IntegerNode)
	if !ok || !ok2 || !ok3 || id.Value != "tick" || n.Value < 2 || n.Value > 1_000_000 {
		return cycle{}, false
	}
	return cycle{n: n.Value, k: k.Value, op: op}, true
}

// period names a cycle of n ticks: "week" for 7 days, "10-day cycle".
func (t *Translator) period(n int) string {
	named := map[string]map[int]string{
		"day":     {7: "week"},
		"hour":    {24: "day", 168: "week"},
		"minute":  {60: "hour"},
		"week":    {52: "year"},
		"month":   {12: "year", 3: "quarter"},
		"quarter": {4: "year"},
	}
	if p, ok := named[t.tick()][n]; ok {
		return p
	}
	return fmtInt(n) + "-" + t.tick() + " cycle"
}

// cycleWords says which ticks of each cycle a comparison of tick % N holds
// for: "it is the 1st day of each week".
func (t *Translator) cycleWords(left ast.Node, op string, right ast.Node) (string, bool) {
	c, ok := cycleOf(left, op, right)
	if !ok {
		return "", false
	}
	unit, of := t.tick(), " of each "+t.period(c.n)
	first := c.k // the condition holds for remainders first..last
	last := c.n - 1
	switch c.op {
	case "==":
		if c.k < 0 || c.k >= c.n {
			return "never", true
		}
		return "it is the " + ordinal(c.k+1) + " " + unit + of, true
	case "!=":
		if c.k < 0 || c.k >= c.n {
			return "always", true
		}
		return "it is not the " + ordinal(c.k+1) + " " + unit + of, true
	case "<":
		first, last = 0, c.k-1
	case "<=":
		first, last = 0, c.k
	case ">":
		first = c.k + 1
	}
	first, last = max(first, 0), min(last, c.n-1)
	switch {
	case first > last:
		return "never", true
	case first == 0 && last == c.n-1:
		return "always", true
	case first == last:
		return "it is the " + ordinal(first+1) + " " + unit + of, true
	case first == 0:
		return "it is one of the first " + fmtInt(last+1) + " " + text.Plural(unit) + of, true
	case last == c.n-1:
		return "it is one of the last " + fmtInt(c.n-first) + " " + text.Plural(unit) + of, true
	}
	return "it is one of the " + ordinal(first+1) + " to " + ordinal(last+1) + " " + text.Plural(unit) + of, true
}

// cycleList merges tick % N == a || tick % N == b into "it is the 1st or
// 4th day of each week" (and the negation, with !=, joined by and).
func (t *Translator) cycleList(operands []ast.Node, neg, and bool) (clause, bool) {
	want := "=="
	if and {
		want = "!="
	}
	n := 0
	var ks []string
	for _, x := range operands {
		b, ok := x.(*ast.BinaryNode)
		if !ok {
			return clause{}, false
		}
		op := b.Operator
		if neg {
			op = invert(op)
		}
		c, ok := cycleOf(b.Left, op, b.Right)
		if !ok || c.op != want || c.k < 0 || c.k >= c.n || (n != 0 && c.n != n) {
			return clause{}, false
		}
		n = c.n
		ks = append(ks, ordinal(c.k+1))
	}
	is := "it is the "
	if and {
		is = "it is not the "
	}
	return simple(is + list(ks, "or") + " " + t.tick() + " of each " + t.period(n)), true
}

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
		return openPhrase("the " + word + " of " + list(items, "and")), true
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
