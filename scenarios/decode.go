package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// Field is a scalar read from a scenario file, with where it stood and
// whether it was given at all.
type Field[T any] struct {
	V   T
	Pos Pos
	Set bool
}

func (f *Field[T]) decodeYAML(d *decoder, n *yaml.Node) {
	f.Pos, f.Set = posOf(n), true
	d.decode(n, reflect.ValueOf(&f.V).Elem())
}

// Or returns the value if it was given, otherwise def.
func (f Field[T]) Or(def T) T {
	if f.Set {
		return f.V
	}
	return def
}

// Text is an expression's source with where it starts in the file.
type Text struct {
	Field[string]
	// style says how the scalar was written, to map positions inside the
	// expression back to the file.
	style yaml.Style
}

func (t *Text) decodeYAML(d *decoder, n *yaml.Node) {
	t.Field.decodeYAML(d, n)
	t.style = n.Style
}

// posIn maps a 1-based line and column inside the expression to the file,
// whose lines are given: through quotes and escape sequences on one line,
// and through the indentation of a literal block.
func (t *Text) posIn(lines []string, line, col int) Pos {
	raw := func(l int) []rune {
		if l < 1 || l > len(lines) {
			return nil
		}
		return []rune(lines[l-1])
	}
	switch t.style {
	case yaml.LiteralStyle:
		// Content starts on the next line, indented like its first line.
		first := raw(t.Pos.Line + 1)
		indent := 0
		for indent < len(first) && first[indent] == ' ' {
			indent++
		}
		return Pos{Line: t.Pos.Line + line, Column: indent + col}
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if line != 1 {
			return t.Pos
		}
		text := raw(t.Pos.Line)
		k := t.Pos.Column // index of the first rune after the opening quote
		for decoded := 1; decoded < col && k < len(text); decoded++ {
			k += rawLength(text[k:], t.style)
		}
		return Pos{Line: t.Pos.Line, Column: k + 1}
	case yaml.FoldedStyle:
		return t.Pos
	}
	if line == 1 {
		return Pos{Line: t.Pos.Line, Column: t.Pos.Column + col - 1}
	}
	return t.Pos
}

// rawLength is how many runes of a quoted scalar's source make its next
// decoded character: an escape sequence in double quotes, a doubled quote
// in single quotes, otherwise one.
func rawLength(text []rune, style yaml.Style) int {
	const backslash, quote = 0x5c, 0x27
	if len(text) < 2 {
		return 1
	}
	switch {
	case style == yaml.DoubleQuotedStyle && text[0] == backslash:
		switch text[1] {
		case 'x':
			return 4
		case 'u':
			return 6
		case 'U':
			return 10
		}
		return 2
	case style == yaml.SingleQuotedStyle && text[0] == quote && text[1] == quote:
		return 2
	}
	return 1
}

// Entry is one key of an ordered mapping.
type Entry[T any] struct {
	Key   string
	Pos   Pos
	Value T
}

// Ordered is a mapping whose key order matters (channels, nodes).
type Ordered[T any] struct {
	Entries []Entry[T]
	Pos     Pos
	Set     bool
}

func (o *Ordered[T]) decodeYAML(d *decoder, n *yaml.Node) {
	o.Pos, o.Set = posOf(n), true
	if n.Kind != yaml.MappingNode {
		d.errs.at(posOf(n), "expected a mapping of names to values, got %s", describe(n))
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for k := 0; k+1 < len(n.Content); k += 2 {
		kn, vn := n.Content[k], n.Content[k+1]
		if seen[kn.Value] {
			d.errs.at(posOf(kn), "%q is given twice", kn.Value)
			continue
		}
		seen[kn.Value] = true
		e := Entry[T]{Key: kn.Value, Pos: posOf(kn)}
		d.decode(vn, reflect.ValueOf(&e.Value).Elem())
		o.Entries = append(o.Entries, e)
	}
}

// Names lists the mapping's keys in order.
func (o *Ordered[T]) Names() []string {
	out := make([]string, len(o.Entries))
	for i, e := range o.Entries {
		out[i] = e.Key
	}
	return out
}

// Strings is a list of names that may also be written as one name.
type Strings struct {
	Items []Field[string]
	Pos   Pos
	Set   bool
}

func (s *Strings) decodeYAML(d *decoder, n *yaml.Node) {
	s.Pos, s.Set = posOf(n), true
	if n.Kind == yaml.ScalarNode {
		var f Field[string]
		f.decodeYAML(d, n)
		s.Items = []Field[string]{f}
		return
	}
	d.decode(n, reflect.ValueOf(&s.Items).Elem())
}

type yamlDecoder interface {
	decodeYAML(d *decoder, n *yaml.Node)
}

// decoder reads a yaml.Node tree into spec structs strictly: unknown keys,
// wrong types and bad numbers are all reported, with their positions, and
// decoding goes on so that every problem is found in one pass.
type decoder struct {
	errs *errs
	// budget is how many more nodes may be decoded: aliases can make a
	// small file expand enormously, and this bounds the work.
	budget int
}

// nodeCount counts the nodes of a tree as written, aliases not followed.
func nodeCount(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += nodeCount(k)
	}
	return c
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Column: n.Column} }

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	if d.budget--; d.budget < 0 {
		if d.budget == -1 {
			d.errs.at(posOf(n), "the file's aliases (*name) expand it too much; write the repeated parts out, or repeat them less")
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if v.CanAddr() {
		if dec, ok := v.Addr().Interface().(yamlDecoder); ok {
			dec.decodeYAML(d, n)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if n.Tag == "!!null" {
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem())
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errs.at(posOf(n), "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i))
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
			d.errs.at(posOf(n), "expected text, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || err != nil {
			d.errs.at(posOf(n), "expected true or false, got %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			d.errs.at(posOf(n), "expected a whole number, got %s", describe(n))
			return
		}
		v.SetInt(i)
	case reflect.Uint64:
		i, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
			d.errs.at(posOf(n), "expected a whole number of at least 0, got %s", describe(n))
			return
		}
		v.SetUint(i)
	case reflect.Float64:
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			d.errs.at(posOf(n), "expected a number, got %s", describe(n))
			return
		}
		v.SetFloat(f)
	default:
		panic(fmt.Sprintf("scenarios: cannot decode into %s", v.Type()))
	}
}

// decodeStruct reads a mapping into a struct whose fields carry yaml tags.
// A field of type Pos tagged yaml:"-" receives the mapping's position.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Type == reflect.TypeFor[Pos]() {
			v.Field(i).Set(reflect.ValueOf(posOf(n)))
		}
	}
	if n.Kind != yaml.MappingNode {
		d.errs.at(posOf(n), "expected a mapping, got %s", describe(n))
		return
	}
	var keys []string
	fields := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag == "" || tag == "-" {
			continue
		}
		keys = append(keys, tag)
		fields[tag] = i
	}
	seen := map[string]bool{}
	for k := 0; k+1 < len(n.Content); k += 2 {
		kn, vn := n.Content[k], n.Content[k+1]
		i, ok := fields[kn.Value]
		if !ok {
			d.errs.at(posOf(kn), "unknown key %q; allowed: %s%s", kn.Value, strings.Join(keys, ", "), text.DidYouMean(kn.Value, keys))
			continue
		}
		if seen[kn.Value] {
			d.errs.at(posOf(kn), "%q is given twice", kn.Value)
			continue
		}
		seen[kn.Value] = true
		d.decode(vn, v.Field(i))
	}
}

func reflectValue(p any) reflect.Value { return reflect.ValueOf(p).Elem() }

// Decode reads YAML data into v as strictly as a scenario file is read:
// unknown keys (with suggestions), wrong types and bad numbers are all
// reported, with their positions in file, as an ErrorList. v points to a
// struct whose fields carry yaml tags and use Field, Ordered, Strings,
// Text, plain Go types, and a Pos tagged yaml:"-" for the mapping's
// position. Other files with a scenario's feel (experiments, say) use it.
func Decode(file string, data []byte, v any) error {
	e := errs{file: file}
	if len(data) > MaxFileSize {
		e.at(Pos{}, "file is %d bytes; at most %d are allowed", len(data), MaxFileSize)
		return e.err()
	}
	root, perr := parseOne(file, data)
	if perr != nil {
		e.list = append(e.list, perr)
		return e.err()
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		e.at(Pos{Line: 1, Column: 1}, "the file is empty")
		return e.err()
	}
	d := &decoder{errs: &e, budget: max(5_000, 10*nodeCount(root))}
	d.decode(root.Content[0], reflect.ValueOf(v).Elem())
	return e.err()
}
