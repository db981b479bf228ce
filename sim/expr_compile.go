package sim

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
)

// Compile compiles an expression of the given kind against the model's
// environment: its attributes, channels, stages, nodes and personas must be
// set. A syntax, type or reference error comes back as an *ExprError.
//
// The expression is lowered to a tree of typed closures when every part of
// it can be (see Expr.Native); otherwise it runs on the expr virtual
// machine.
func (m *Model) Compile(name, source string, kind ExprKind) (*Expr, error) {
	opts := append([]expr.Option{expr.Env(m.env()), expr.Optimize(false)}, funcOptions...)
	program, err := expr.Compile(source, opts...)
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
	if l.err == nil {
		l.check(root)
	}
	if l.err != nil {
		return nil, l.err
	}
	e := &Expr{Name: name, Source: source, Kind: kind, program: program, vars: l.vars}
	e.population = slices.ContainsFunc(PopulationVars, func(v string) bool { return slices.Contains(l.vars, v) })
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
	case *ast.BuiltinNode:
		// min, max and abs are typed as their first argument.
		switch n.Name {
		case "min", "max", "abs":
			return len(n.Arguments) > 0 && !slices.ContainsFunc(n.Arguments, func(a ast.Node) bool { return !numberish(a) })
		}
	}
	return false
}

// whole reports whether n yields an int on the expr virtual machine. Its
// type says int, and, for the nodes typed after their operands, so do
// theirs at run time: min(tick, 0.5) is typed int, as its first argument,
// but yields 0.5.
func whole(n ast.Node) bool {
	if !isInt(n.Type()) {
		return false
	}
	switch n := n.(type) {
	case *ast.UnaryNode:
		return whole(n.Node)
	case *ast.BinaryNode:
		return whole(n.Left) && whole(n.Right)
	case *ast.ConditionalNode:
		return whole(n.Exp1) && whole(n.Exp2)
	case *ast.BuiltinNode:
		return !slices.ContainsFunc(n.Arguments, func(a ast.Node) bool { return !whole(a) })
	}
	return true
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

// lowerer validates references in an expression's tree and turns the tree
// into typed closures.
type lowerer struct {
	m      *Model
	source string
	vars   []string
	err    *ExprError
	// lets holds the size of each collection a let declares, NaN when
	// not known before the run (see check).
	lets map[string]float64
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

// Visit records the variables an expression reads and checks the names it
// uses against the model: channels, levers and contact windows.
func (l *lowerer) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if b, ok := lookupName(n.Value); ok && b.Kind == NameFunction {
			return
		}
		if !slices.Contains(l.vars, n.Value) {
			l.vars = append(l.vars, n.Value)
		}
	case *ast.MemberNode:
		id, ok := n.Node.(*ast.IdentifierNode)
		prop, ok2 := n.Property.(*ast.StringNode)
		if !ok || !ok2 {
			return
		}
		b, ok := lookupName(id.Value)
		if !ok {
			return
		}
		switch b.Kind {
		case NameChannelNumber, NameChannelBool:
			if l.m.ChannelIndex(prop.Value) < 0 {
				l.errorAt(n.Property, "unknown channel %q in %s.%s; channels: %s", prop.Value, id.Value, prop.Value, strings.Join(l.m.channelNames(), ", "))
			}
		case NameLever:
			if l.m.LeverIndex(prop.Value) < 0 {
				l.errorAt(n.Property, "unknown lever %q in lever.%s; %s", prop.Value, prop.Value, l.m.LeverList())
			}
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
					l.errorAt(s, "unknown channel %q in contacts(); channels: %s", s.Value, strings.Join(l.m.channelNames(), ", "))
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

// checkLevel reports a text constant compared with a text variable that can
// never take its value.
func (l *lowerer) checkLevel(variable, constant ast.Node) {
	id, ok := variable.(*ast.IdentifierNode)
	s, ok2 := constant.(*ast.StringNode)
	if !ok || !ok2 {
		return
	}
	sv, ok := l.text(id.Value)
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
