package sim

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
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

// Event holds what happened to a customer in the previous tick; expressions
// read it as event.visit, event.purchase and so on.
type Event struct {
	Visit     bool `expr:"visit"`
	Purchase  bool `expr:"purchase"`
	Cart      bool `expr:"cart"`
	Response  bool `expr:"response"`
	Complaint bool `expr:"complaint"`
	Leak      bool `expr:"leak"`
}

// Event bits, in Event's field order.
const (
	evVisit uint8 = 1 << iota
	evPurchase
	evCart
	evResponse
	evComplaint
	evLeak
)

var eventBits = map[string]uint8{
	"visit": evVisit, "purchase": evPurchase, "cart": evCart,
	"response": evResponse, "complaint": evComplaint, "leak": evLeak,
}

// Built-in variable names an expression may read besides the attributes.
var (
	numberVars = []string{"loyalty", "tolerance", "revenue", "purchases", "tick",
		"since_purchase", "discount", "satisfaction", "effort", "adopters"}
	boolVars    = []string{"cart"}
	stringVars  = []string{"stage", "node", "channel", "persona"}
	channelMaps = []string{"fatigue", "affinity", "consent", "opted_out"}
	funcNames   = []string{"contacts", "contacts_all", "exp", "log", "sqrt", "clamp"}
)

// ReservedNames lists the names an attribute may not take.
func ReservedNames() []string {
	out := slices.Concat(numberVars, boolVars, stringVars, channelMaps, funcNames, []string{"event"})
	slices.Sort(out)
	return out
}

// env returns the typed environment expressions are checked against.
func (m *Model) env() map[string]any {
	env := map[string]any{}
	for _, a := range m.Population.Attributes {
		if len(a.Levels) > 0 {
			env[a.Name] = ""
		} else {
			env[a.Name] = 0.0
		}
	}
	for _, v := range numberVars {
		env[v] = 0.0
	}
	env["purchases"] = 0
	env["tick"] = 0
	for _, v := range boolVars {
		env[v] = false
	}
	for _, v := range stringVars {
		env[v] = ""
	}
	env["fatigue"] = map[string]float64{}
	env["affinity"] = map[string]float64{}
	env["consent"] = map[string]bool{}
	env["opted_out"] = map[string]bool{}
	env["event"] = Event{}
	env["lever"] = map[string]float64{}
	env["contacts"] = func(string, int) int { return 0 }
	env["contacts_all"] = func(int) int { return 0 }
	env["exp"] = func(float64) float64 { return 0 }
	env["log"] = func(float64) float64 { return 0 }
	env["sqrt"] = func(float64) float64 { return 0 }
	env["clamp"] = func(float64, float64, float64) float64 { return 0 }
	return env
}

// Compile compiles an expression of the given kind against the model's
// environment: its attributes, channels, stages, nodes and personas must be
// set. A syntax, type or reference error comes back as an *ExprError.
func (m *Model) Compile(name, source string, kind ExprKind) (*Expr, error) {
	program, err := expr.Compile(source, expr.Env(m.env()), expr.Optimize(false))
	if err != nil {
		var fe *file.Error
		if errors.As(err, &fe) {
			return nil, &ExprError{Line: fe.Line, Column: fe.Column + 1, Message: fe.Message}
		}
		return nil, &ExprError{Line: 1, Column: 1, Message: err.Error()}
	}
	root := program.Node()
	t := root.Type()
	switch kind {
	case Bool:
		if t.Kind() != reflect.Bool {
			return nil, &ExprError{Line: 1, Column: 1, Message: fmt.Sprintf("must be a boolean (true or false), but is %s", typeName(t))}
		}
	case Number:
		if !numberish(root) {
			return nil, &ExprError{Line: 1, Column: 1, Message: fmt.Sprintf("must be a number, but is %s", typeName(t))}
		}
	}
	l := &lowerer{m: m, source: source}
	ast.Walk(&root, l)
	if l.err != nil {
		return nil, l.err
	}
	e := &Expr{Name: name, Source: source, Kind: kind, program: program, vars: l.vars}
	var lerr error
	if kind == Bool {
		e.boolean, lerr = l.boolean(root)
	} else {
		e.num, lerr = l.number(root)
	}
	if lerr == nil {
		e.Native = true
	} else if !errors.Is(lerr, errUnsupported) {
		return nil, lerr
	}
	if len(l.vars) == 0 && e.Native {
		var v float64
		c := newCtx(m)
		c.s = newState(m, 1)
		c.s.n = 1
		c.s.reset(m)
		if kind == Bool {
			if e.boolean(c) {
				v = 1
			}
		} else {
			v = e.num(c)
		}
		if c.err == nil {
			e.constant = &v
		}
	}
	return e, nil
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Interface:
		return "of unknown type"
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "text"
	case reflect.Map:
		return "a map"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Func:
		return "a function"
	}
	if isNumber(t) {
		return "a number"
	}
	return t.String()
}

// numberish reports whether n yields a number: its type is numeric, or it
// is a conditional whose branches both yield numbers (expr types
// "c ? 0.5 : 0" as unknown because the branches are float and int).
func numberish(n ast.Node) bool {
	if isNumber(n.Type()) {
		return true
	}
	switch n := n.(type) {
	case *ast.ConditionalNode:
		return numberish(n.Exp1) && numberish(n.Exp2)
	case *ast.BinaryNode:
		switch n.Operator {
		case "+", "-", "*", "/", "**", "^", "%":
			return numberish(n.Left) && numberish(n.Right)
		}
	case *ast.UnaryNode:
		return (n.Operator == "-" || n.Operator == "+") && numberish(n.Node)
	}
	return false
}

func isInt(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isNumber(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
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

// errUnsupported marks an expression the closure compiler does not handle;
// it runs on the expr virtual machine instead.
var errUnsupported = errors.New("not lowered")

type numFn func(*Ctx) float64
type boolFn func(*Ctx) bool

// strVal is a text operand: a variable whose values are the levels of a
// domain, compared by index.
type strVal struct {
	domain []string
	what   string
	index  func(*Ctx) int
}

// lowerer validates references in an expression's tree and turns the tree
// into typed closures.
type lowerer struct {
	m      *Model
	source string
	vars   []string
	err    *ExprError
}

func (l *lowerer) errorAt(n ast.Node, format string, args ...any) {
	if l.err != nil {
		return
	}
	line, col := 1, 1
	for i, r := range []rune(l.source) {
		if i == n.Location().From {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	l.err = &ExprError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)}
}

// Visit records variables and checks names against the model.
func (l *lowerer) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if !slices.Contains(l.vars, n.Value) && !slices.Contains(funcNames, n.Value) {
			l.vars = append(l.vars, n.Value)
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if !ok || !ok2 {
			return
		}
		if slices.Contains(channelMaps, id.Value) && l.m.ChannelIndex(prop.Value) < 0 {
			l.errorAt(n.Property, "unknown channel %q in %s.%s; channels: %s", prop.Value, id.Value, prop.Value, strings.Join(l.channelNames(), ", "))
		}
		if id.Value == "lever" && l.m.LeverIndex(prop.Value) < 0 {
			l.errorAt(n.Property, "unknown lever %q in lever.%s; %s", prop.Value, prop.Value, l.m.LeverList())
		}
	case *ast.CallNode:
		id, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		if (id.Value == "contacts" || id.Value == "contacts_all") && !slices.Contains(l.vars, id.Value) {
			l.vars = append(l.vars, id.Value) // reads the contact history
		}
		var window ast.Node
		switch id.Value {
		case "contacts":
			if len(n.Arguments) == 2 {
				if s, ok := n.Arguments[0].(*ast.StringNode); ok && l.m.ChannelIndex(s.Value) < 0 {
					l.errorAt(s, "unknown channel %q in contacts(); channels: %s", s.Value, strings.Join(l.channelNames(), ", "))
				}
				window = n.Arguments[1]
			}
		case "contacts_all":
			if len(n.Arguments) == 1 {
				window = n.Arguments[0]
			}
		}
		if w, ok := window.(*ast.IntegerNode); ok && (w.Value < 1 || w.Value > MaxWindow) {
			l.errorAt(w, "window %d: allowed 1 to %d ticks", w.Value, MaxWindow)
		}
		if u, ok := window.(*ast.UnaryNode); ok && u.Operator == "-" {
			l.errorAt(u, "window %s: allowed 1 to %d ticks", u.String(), MaxWindow)
		}
	case *ast.BinaryNode:
		switch n.Operator {
		case "==", "!=":
			l.checkLevel(n.Left, n.Right)
			l.checkLevel(n.Right, n.Left)
		case "in":
			if arr, ok := n.Right.(*ast.ArrayNode); ok {
				for _, el := range arr.Nodes {
					l.checkLevel(n.Left, el)
				}
			}
		}
	}
}

func (l *lowerer) channelNames() []string {
	out := make([]string, len(l.m.Channels))
	for i, c := range l.m.Channels {
		out[i] = c.Name
	}
	return out
}

// checkLevel reports a text constant compared with a text variable that can
// never take its value.
func (l *lowerer) checkLevel(variable, constant ast.Node) {
	id, ok := variable.(*ast.IdentifierNode)
	s, ok2 := constant.(*ast.StringNode)
	if !ok || !ok2 {
		return
	}
	sv, ok := l.stringVar(id.Value)
	if !ok || slices.Contains(sv.domain, s.Value) {
		return
	}
	l.errorAt(s, "%s is never %q; allowed: %s", id.Value, s.Value, strings.Join(quoteAll(sv.domain), ", "))
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// stringVar describes the text variable called name.
func (l *lowerer) stringVar(name string) (strVal, bool) {
	m := l.m
	switch name {
	case "stage":
		return strVal{domain: m.Stages, what: name, index: func(c *Ctx) int { return m.Nodes[c.s.node[c.i]].Stage }}, true
	case "node":
		names := make([]string, len(m.Nodes))
		for i, n := range m.Nodes {
			names[i] = n.Name
		}
		return strVal{domain: names, what: name, index: func(c *Ctx) int { return int(c.s.node[c.i]) }}, true
	case "channel":
		names := append([]string{""}, l.channelNames()...)
		return strVal{domain: names, what: name, index: func(c *Ctx) int { return m.Nodes[c.s.node[c.i]].Channel + 1 }}, true
	case "persona":
		names := make([]string, len(m.Population.Personas))
		for i, p := range m.Population.Personas {
			names[i] = p.Name
		}
		return strVal{domain: names, what: name, index: func(c *Ctx) int { return int(c.s.persona[c.i]) }}, true
	}
	for k, a := range m.Population.Attributes {
		if a.Name == name && len(a.Levels) > 0 {
			return strVal{domain: a.Levels, what: name, index: func(c *Ctx) int { return int(c.s.attr[k][c.i]) }}, true
		}
	}
	return strVal{}, false
}

func (l *lowerer) number(n ast.Node) (numFn, error) {
	switch n := n.(type) {
	case *ast.IntegerNode:
		v := float64(n.Value)
		return func(*Ctx) float64 { return v }, nil
	case *ast.FloatNode:
		v := n.Value
		return func(*Ctx) float64 { return v }, nil
	case *ast.IdentifierNode:
		return l.numberVar(n.Value)
	case *ast.MemberNode:
		return l.numberMember(n)
	case *ast.UnaryNode:
		x, err := l.number(n.Node)
		if err != nil {
			return nil, err
		}
		switch n.Operator {
		case "-":
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

func (l *lowerer) numberVar(name string) (numFn, error) {
	for k, a := range l.m.Population.Attributes {
		if a.Name == name && len(a.Levels) == 0 {
			return func(c *Ctx) float64 { return c.s.attr[k][c.i] }, nil
		}
	}
	switch name {
	case "loyalty":
		return func(c *Ctx) float64 { return c.s.loyalty[c.i] }, nil
	case "tolerance":
		return func(c *Ctx) float64 { return c.s.tolerance[c.i] }, nil
	case "revenue":
		return func(c *Ctx) float64 { return c.s.revenue[c.i] }, nil
	case "purchases":
		return func(c *Ctx) float64 { return float64(c.s.purchases[c.i]) }, nil
	case "tick":
		return func(c *Ctx) float64 { return float64(c.tick) }, nil
	case "since_purchase":
		return func(c *Ctx) float64 { return c.sincePurchase() }, nil
	case "discount":
		return func(c *Ctx) float64 { return c.discount() }, nil
	case "satisfaction":
		return func(c *Ctx) float64 { return float64(c.s.satisfaction[c.i]) }, nil
	case "effort":
		return func(c *Ctx) float64 { return float64(c.s.effort[c.i]) }, nil
	case "adopters":
		return func(c *Ctx) float64 { return c.adopters }, nil
	}
	return nil, errUnsupported
}

func (l *lowerer) numberMember(n *ast.MemberNode) (numFn, error) {
	id, ok := n.Node.(*ast.IdentifierNode)
	prop, ok2 := n.Property.(*ast.StringNode)
	if !ok || !ok2 {
		return nil, errUnsupported
	}
	if id.Value == "lever" {
		k := l.m.LeverIndex(prop.Value)
		if k < 0 {
			return nil, errUnsupported
		}
		return func(c *Ctx) float64 { return c.lever(k) }, nil
	}
	ch := l.m.ChannelIndex(prop.Value)
	if ch < 0 {
		return nil, errUnsupported
	}
	switch id.Value {
	case "fatigue":
		return func(c *Ctx) float64 { return c.s.fatigue[ch][c.i] }, nil
	case "affinity":
		return func(c *Ctx) float64 { return float64(c.s.affinity[ch][c.i]) }, nil
	}
	return nil, errUnsupported
}

func (l *lowerer) numberCall(n *ast.CallNode) (numFn, error) {
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil, errUnsupported
	}
	args := make([]numFn, 0, len(n.Arguments))
	first := 0
	if id.Value == "contacts" {
		s, ok := n.Arguments[0].(*ast.StringNode)
		if !ok {
			return nil, errUnsupported
		}
		first = 1
		ch := l.m.ChannelIndex(s.Value)
		w, ok := n.Arguments[1].(*ast.IntegerNode)
		if !ok {
			return nil, errUnsupported
		}
		mask := windowMask(w.Value)
		return func(c *Ctx) float64 { return float64(popcount(c.s.bits[ch][c.i] & mask)) }, nil
	}
	for _, a := range n.Arguments[first:] {
		f, err := l.number(a)
		if err != nil {
			return nil, err
		}
		args = append(args, f)
	}
	switch id.Value {
	case "contacts_all":
		w, ok := n.Arguments[0].(*ast.IntegerNode)
		if !ok {
			return nil, errUnsupported
		}
		mask := windowMask(w.Value)
		return func(c *Ctx) float64 { return float64(c.contactsAll(mask)) }, nil
	case "exp":
		x := args[0]
		return func(c *Ctx) float64 { return math.Exp(x(c)) }, nil
	case "log":
		x := args[0]
		return func(c *Ctx) float64 { return math.Log(x(c)) }, nil
	case "sqrt":
		x := args[0]
		return func(c *Ctx) float64 { return math.Sqrt(x(c)) }, nil
	case "clamp":
		x, lo, hi := args[0], args[1], args[2]
		return func(c *Ctx) float64 { return math.Min(hi(c), math.Max(lo(c), x(c))) }, nil
	}
	return nil, errUnsupported
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
		return one(math.Abs)
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
		if !isInt(n.Left.Type()) || !isInt(n.Right.Type()) {
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
		if n.Value == "cart" {
			return func(c *Ctx) bool { return c.s.flags[c.i]&flagCart != 0 }, nil
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if !ok || !ok2 {
			return nil, errUnsupported
		}
		switch id.Value {
		case "event":
			bit, ok := eventBits[prop.Value]
			if !ok {
				return nil, errUnsupported
			}
			return func(c *Ctx) bool { return c.s.events[c.i]&bit != 0 }, nil
		case "consent", "opted_out":
			ch := l.m.ChannelIndex(prop.Value)
			if ch < 0 {
				return nil, errUnsupported
			}
			bit := uint32(1) << ch
			if id.Value == "consent" {
				return func(c *Ctx) bool { return c.s.consent[c.i]&bit != 0 }, nil
			}
			return func(c *Ctx) bool { return c.s.optedOut[c.i]&bit != 0 }, nil
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
	sv, ok := l.stringVar(ident.Value)
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
	sv, ok := l.stringVar(ident.Value)
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
