package explain

import (
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/journeysim/journeysim/sim/text"
)

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
	if strings.HasSuffix(n, " "+text.Plural(tick)) {
		span = n // "the strategy's reply days", not "… reply days days"
	}
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
	switch {
	case op == ">" && k == 0, op == ">=" && k == 1:
		return "at least one " + one
	case op == "<" && k == 1, op == "<=" && k == 0:
		return "no " + many
	}
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
	or := text.List(values, "or")
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
		return customer + is + " on " + text.List(names, "or")
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
	return simple(t.numberAt(n.Left, depth+1) + " " + is + " " + text.List(values, "or")), true
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
		return contacts{one: one, many: many, window: func(t *Translator) string { return "in the last " + t.span(w) }}, true
	case name == "contacts_all" && len(args) == 1:
		w, ok := literal(args[0])
		if !ok {
			return contacts{}, false
		}
		return contacts{one: "contact", many: "contacts", window: func(t *Translator) string {
			return "in the last " + t.span(w) + " on all channels together"
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
	return simple(is + text.List(ks, "or") + " " + t.tick() + " of each " + t.period(n)), true
}
