package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// Override sets one field of a scenario before it is compiled: a number or
// a text (a choice such as an integration level, or an expression) at a
// path such as strategies.omni.caps.email.max. Path segments name mapping
// keys; in a list they pick the element whose name, or else whose channel,
// is the segment, or else the element at that index (from 0). A segment
// holding a dot, a quote or a bracket is written in double quotes
// (strategies.omni.triggers."v1.2".cooldown) or in brackets
// (strategies.omni.triggers[v1.2].cooldown); see ParsePath.
//
// Inside a strategy, a path may name what the strategy inherits through
// extends (a trigger, a cap, a lever, any field): the inherited part is
// copied into the strategy first, so the change is the strategy's own, and
// its parent and siblings keep theirs.
type Override struct {
	Path  string
	Value Value
}

// Value is a number or a text.
type Value struct {
	Number float64
	Text   string
	IsText bool
}

// NumberValue returns v as a Value.
func NumberValue(v float64) Value { return Value{Number: v} }

// TextValue returns s as a Value.
func TextValue(s string) Value { return Value{Text: s, IsText: true} }

// String formats the value as a scenario would hold it: numbers in their
// shortest exact form.
func (v Value) String() string {
	if v.IsText {
		return v.Text
	}
	return strconv.FormatFloat(v.Number, 'g', -1, 64)
}

// ParseValue reads a number if s is one, else takes s as text.
func ParseValue(s string) Value {
	if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return NumberValue(f)
	}
	return TextValue(s)
}

// ParseOverride reads PATH=VALUE, as given to --set. The path ends at the
// first = outside a quoted or bracketed segment, so that a name holding an
// = can be set too: "a=b".x=1.
func ParseOverride(s string) (Override, error) {
	i := assignAt(s)
	if i < 0 {
		if j := strings.IndexByte(s, '='); j >= 0 {
			// An = inside an unclosed quote or bracket: say what is wrong
			// with the path.
			if _, err := ParsePath(strings.TrimSpace(s[:j])); err != nil && strings.TrimSpace(s[:j]) != "" {
				return Override{}, err
			}
		}
		return Override{}, fmt.Errorf("%q: want PATH=VALUE, such as strategies.omni.discount=0.1", s)
	}
	path := strings.TrimSpace(s[:i])
	if path == "" {
		return Override{}, fmt.Errorf("%q: want PATH=VALUE, such as strategies.omni.discount=0.1", s)
	}
	if _, err := ParsePath(path); err != nil {
		return Override{}, err
	}
	return Override{Path: path, Value: ParseValue(s[i+1:])}, nil
}

// assignAt returns the index of the first = in s outside quotes and
// brackets, or -1.
func assignAt(s string) int {
	inQuote, inBracket := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '\\':
			i++
		case inQuote && c == '"':
			inQuote = false
		case inQuote:
		case inBracket && c == ']':
			inBracket = false
		case inBracket:
		case c == '"':
			inQuote = true
		case c == '[':
			inBracket = true
			if i+1 < len(s) && s[i+1] == '"' {
				inQuote = true
				i++
			}
		case c == '=':
			return i
		}
	}
	return -1
}

// PathError is a path that cannot be read; Column, counted in characters
// from 1, is where the problem is.
type PathError struct {
	Path    string
	Column  int
	Problem string
}

func (e *PathError) Error() string { return e.Path + ": " + e.Problem }

// ParsePath splits a path into its segments. Segments are joined by dots;
// a segment that holds a dot (or a quote, a bracket, an =, a space at
// either end) is written in double quotes, with \" for a quote and \\ for
// a backslash inside, as in Go or JSON: strategies."v1.2".discount. A
// segment may also be written in brackets, as it is up to the next ], or
// quoted inside them: strategies[v1.2].discount, triggers["a]b"],
// caps[0]. Quotes and brackets only group characters: "0", [0] and 0 are
// the same segment. No segment may be empty.
//
// A path ParsePath reads is read the same by ParseOverride as the PATH of
// PATH=VALUE, so that an experiment's parameter key can be handed to
// --set as it is.
func ParsePath(path string) ([]string, error) {
	fail := func(i int, format string, args ...any) ([]string, error) {
		col := utf8.RuneCountInString(path[:i]) + 1
		return nil, &PathError{Path: path, Column: col, Problem: fmt.Sprintf(format, append([]any{col}, args...)...)}
	}
	if path == "" {
		return nil, &PathError{Path: path, Column: 1, Problem: "an empty path; give names joined by dots, such as strategies.omni.discount"}
	}
	var segs []string
	i := 0
	for {
		// At the start of a segment.
		switch {
		case i == len(path) || path[i] == '.':
			return fail(i, "empty name at column %d; a path is names joined by single dots, such as strategies.omni.discount")
		case path[i] == '"':
			name, next, err := quotedSegment(path, i)
			if err != nil {
				return nil, err
			}
			segs, i = append(segs, name), next
		case path[i] == '[':
			j := i + 1
			if j < len(path) && path[j] == '"' {
				name, next, err := quotedSegment(path, j)
				if err != nil {
					return nil, err
				}
				if next >= len(path) || path[next] != ']' {
					return fail(i, "the [ at column %d is not closed after its quoted name; write [\"NAME\"]")
				}
				segs, i = append(segs, name), next+1
				break
			}
			k := strings.IndexByte(path[j:], ']')
			if k < 0 {
				return fail(i, "the [ at column %d is not closed; write [NAME], such as [v1.2]")
			}
			name := path[j : j+k]
			if name == "" {
				return fail(i, "empty [] at column %d; put a name or an index inside")
			}
			if q := strings.IndexAny(name, "[\""); q >= 0 {
				what := "a quote"
				if name[q] == '[' {
					what = "a ["
				}
				return fail(j+q, "%[2]s at column %[1]d inside [...]; write a name holding it in quotes, such as [\"a[b\"] or \"a[b\"", what)
			}
			segs, i = append(segs, name), j+k+1
		default:
			j := i
			for j < len(path) && path[j] != '.' && path[j] != '[' {
				switch path[j] {
				case '"':
					return fail(j, "a quote at column %d inside a name; quote the whole name instead, such as \"v1.2\"")
				case ']':
					return fail(j, "] at column %d closes no [")
				case '=':
					// --set PATH=VALUE would end the path here.
					return fail(j, "an = at column %d inside a name; quote the whole name, such as \"a=b\"")
				}
				j++
			}
			name := path[i:j]
			if r, _ := utf8.DecodeRuneInString(name); unicode.IsSpace(r) {
				return fail(i, "a space at column %d opens a name; take it out, or quote the name if the space belongs to it")
			}
			if r, size := utf8.DecodeLastRuneInString(name); unicode.IsSpace(r) {
				return fail(j-size, "a space at column %d ends a name; take it out, or quote the name if the space belongs to it")
			}
			segs, i = append(segs, name), j
		}
		// After a segment.
		if i == len(path) {
			return segs, nil
		}
		switch path[i] {
		case '.':
			i++
		case '[':
		default:
			_, size := utf8.DecodeRuneInString(path[i:])
			return fail(i, "at column %d: want . or [ or the end of the path after a quoted or bracketed name, not %q", path[i:i+size])
		}
	}
}

// quotedSegment reads the quoted name that starts at path[i], returning
// it and the index after its closing quote.
func quotedSegment(path string, i int) (string, int, error) {
	col := utf8.RuneCountInString(path[:i]) + 1
	j := i + 1
	for j < len(path) && path[j] != '"' {
		if path[j] == '\\' {
			j++
		}
		j++
	}
	if j >= len(path) {
		return "", 0, &PathError{Path: path, Column: col, Problem: fmt.Sprintf(`the quote at column %d is not closed; end the name with " (and write \" for a quote inside it)`, col)}
	}
	name, err := strconv.Unquote(path[i : j+1])
	if err != nil {
		return "", 0, &PathError{Path: path, Column: col, Problem: fmt.Sprintf(`the quoted name at column %d has a bad escape or control character; inside quotes write \" for a quote, \\ for a backslash and \n, \t or \uXXXX for other characters`, col)}
	}
	if name == "" {
		return "", 0, &PathError{Path: path, Column: col, Problem: fmt.Sprintf("empty name at column %d; a name in quotes must not be empty", col)}
	}
	return name, j + 1, nil
}

// FormatPath joins segments into a path that ParsePath reads back as the
// same segments, quoting those that need it: FormatPath of
// [strategies v1.2 discount] is strategies."v1.2".discount. The result can
// be given to --set as it is (before =VALUE).
func FormatPath(segs []string) string {
	var b strings.Builder
	for k, s := range segs {
		if k > 0 {
			b.WriteByte('.')
		}
		if needsQuotes(s) {
			b.WriteString(strconv.Quote(s))
		} else {
			b.WriteString(s)
		}
	}
	return b.String()
}

// needsQuotes reports whether segment s must be quoted to be read back as
// itself, also after --set's PATH=VALUE split and trimming.
func needsQuotes(s string) bool {
	if s == "" || strings.ContainsAny(s, `."[]=\`) || s != strings.TrimSpace(s) || !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return true
		}
	}
	return false
}

// Apply returns the scenario data with the overrides set. A path must lead
// through fields the scenario has; only its last key may be new, and a
// strategy's levers mapping, which is made when the strategy sets no lever
// yet. A path into a strategy may name what the strategy inherits through
// extends: a scalar field is added to the strategy, a list it inherits
// whole (caps, channels) is copied into it, and an inherited trigger or
// lever is copied into its own triggers or levers, which merge by name,
// before the field is set; the parent and the strategy's siblings keep
// theirs. A field reached through a YAML alias is likewise set there
// alone, not wherever the anchor is used.
//
// Overrides are applied in order, except that those into a strategy are
// applied parents first (after any that change a strategy's name or
// extends), so that a copy made for a child holds what was set on its
// parent whatever order they are given in. Setting a persona's share
// rescales the shares of the personas not set, so that all still add up
// to 1. The result is compiled as usual, so a value out of range is
// reported then.
func Apply(data []byte, overrides []Override) ([]byte, error) {
	if len(overrides) == 0 {
		return data, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read the scenario: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the scenario is empty")
	}
	root := doc.Content[0]
	type job struct {
		o     Override
		segs  []string
		depth int
	}
	var links, rest []job
	for _, o := range overrides {
		segs, err := ParsePath(o.Path)
		if err != nil {
			return nil, err
		}
		j := job{o: o, segs: segs}
		if len(segs) == 3 && segs[0] == "strategies" && (segs[2] == "extends" || segs[2] == "name") {
			links = append(links, j)
		} else {
			rest = append(rest, j)
		}
	}
	setShares := map[string]bool{}
	for _, j := range links {
		if err := applyOne(root, j.o, j.segs, setShares); err != nil {
			return nil, err
		}
	}
	for k := range rest {
		rest[k].depth = strategyDepth(root, rest[k].segs)
	}
	slices.SortStableFunc(rest, func(a, b job) int { return a.depth - b.depth })
	for _, j := range rest {
		if err := applyOne(root, j.o, j.segs, setShares); err != nil {
			return nil, err
		}
	}
	if len(setShares) > 0 {
		if err := rescaleShares(root, setShares); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("write the scenario: %w", err)
	}
	return out.Bytes(), nil
}

// applyOne sets one override in the tree under root.
func applyOne(root *yaml.Node, o Override, segs []string, setShares map[string]bool) error {
	slot, err := resolveSlot(root, o.Path, segs, true)
	if err != nil {
		return err
	}
	n := deref(*slot)
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("%s: holds %s, not a single value; name a field inside it", o.Path, describe(n))
	}
	if (*slot).Kind == yaml.AliasNode {
		// Set here only, not wherever the anchor is used.
		*slot = &yaml.Node{}
	}
	setScalar(*slot, o.Value)
	if persona, ok := personaShare(segs); ok {
		setShares[persona] = true
	}
	return nil
}

// Resolve finds the node at path in a scenario's root mapping. With
// create, a last key missing from its mapping is added, empty, and an
// inherited part of a strategy that the path goes into is first copied
// into the strategy (see Apply), so that the node returned is the
// strategy's own; without create, the node returned for an inherited
// field is the one the strategy inherits, in its parent or further up.
func Resolve(root *yaml.Node, path string, create bool) (*yaml.Node, error) {
	segs, err := ParsePath(path)
	if err != nil {
		return nil, err
	}
	slot, err := resolveSlot(root, path, segs, create)
	if err != nil {
		return nil, err
	}
	return deref(*slot), nil
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// resolveSlot finds where the node at segs is held in its parent, so that
// it can be replaced; an alias there is not followed. With create, every
// alias the path goes through is replaced by a copy of what it stands for,
// so that a change made below it stays there.
func resolveSlot(root *yaml.Node, path string, segs []string, create bool) (**yaml.Node, error) {
	slot := &root
	var strategies *yaml.Node // the scenario's strategies, when the path goes into one
	strategy := -1
	for k := 0; k < len(segs); k++ {
		seg := segs[k]
		if create {
			if err := unshare(slot, path); err != nil {
				return nil, err
			}
		}
		n := deref(*slot)
		where := FormatPath(segs[:k])
		if where == "" {
			where = "the scenario"
		}
		if strategy >= 0 && k == 2 && n.Kind == yaml.MappingNode {
			next, used, err := strategyField(strategies, strategy, n, segs, k, path, create)
			if err != nil {
				return nil, err
			}
			slot = next
			k += used - 1
			continue
		}
		switch n.Kind {
		case yaml.MappingNode:
			if i := keyIndex(n, seg); i >= 0 {
				slot = &n.Content[i+1]
				break
			}
			keys := mappingKeys(n)
			switch {
			case k == 1 && segs[0] == "levers":
				// A new lever would be read by nothing: a typo.
				return nil, fmt.Errorf("%s: no lever %q in the scenario; its levers: %s%s", path, seg, segmentList(keys), text.DidYouMean(seg, keys))
			case k == 0 && seg == "levers" && len(segs) == 2:
				return nil, fmt.Errorf("%s: the scenario declares no levers; declare %s under levers first", path, segs[1])
			case !create || k != len(segs)-1:
				return nil, fmt.Errorf("%s: no %q in %s; there: %s%s", path, seg, where, segmentList(keys), text.DidYouMean(seg, keys))
			}
			slot = addKey(n, seg, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"})
		case yaml.SequenceNode:
			i, names, err := pick(n, seg)
			if err != nil {
				return nil, fmt.Errorf("%s: %v in %s", path, err, where)
			}
			if i < 0 {
				return nil, notInList(path, seg, where, n, names, "")
			}
			if k == 1 && segs[0] == "strategies" {
				strategies, strategy = n, i
			}
			slot = &n.Content[i]
		default:
			return nil, fmt.Errorf("%s: %s holds a single value, so it has no %q", path, where, seg)
		}
	}
	return slot, nil
}

// segmentList lists names as a path would write them, quoted where they
// need it.
func segmentList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = FormatPath([]string{n})
	}
	return strings.Join(out, ", ")
}

// notInList is the error for a segment that picks no element of list.
func notInList(path, seg, where string, list *yaml.Node, names []string, note string) error {
	if len(list.Content) == 0 {
		return fmt.Errorf("%s: no %q in %s: the list is empty", path, seg, where)
	}
	return fmt.Errorf("%s: no %q in %s; its elements%s: %s (or an index from 0 to %d)%s",
		path, seg, where, note, segmentList(names), len(list.Content)-1, text.DidYouMean(seg, names))
}

// inheritedKeys are the keys of a strategy that extends passes on to it
// (all but name and extends); levers, triggers and investments merge by
// name, the others are taken whole unless the strategy gives them.
var inheritedKeys = []string{"description", "integration", "channels", "discount", "caps",
	"per_tick", "suppress_above", "quiet", "holdout", "levers", "triggers", "investments"}

// strategyField takes the step from a strategy's mapping n, the element
// si of strategies, into its key segs[k], and for triggers and levers on
// to the element segs[k+1]: what the strategy has, or else what it
// inherits through extends, copied into it with create. It returns the
// slot reached and the number of segments used.
func strategyField(strategies *yaml.Node, si int, n *yaml.Node, segs []string, k int, path string, create bool) (**yaml.Node, int, error) {
	key := segs[k]
	chain := strategyChain(strategies, si)
	chain[0] = n
	last := k == len(segs)-1
	if !last && (key == "triggers" || key == "investments" || key == "levers") {
		if i := keyIndex(n, key); i >= 0 {
			if create {
				if err := unshare(&n.Content[i+1], path); err != nil {
					return nil, 0, err
				}
			}
			want := yaml.SequenceNode
			if key == "levers" {
				want = yaml.MappingNode
			}
			if deref(n.Content[i+1]).Kind != want {
				// Not what a strategy takes here: the step below says so.
				return &n.Content[i+1], 1, nil
			}
		}
		if key != "levers" {
			return strategyListItem(chain, key, segs, k, path, create)
		}
		return strategyLever(chain, segs, k, path, create)
	}
	if i := keyIndex(n, key); i >= 0 {
		return &n.Content[i+1], 1, nil
	}
	if slices.Contains(inheritedKeys, key) {
		for _, anc := range chain[1:] {
			i := keyIndex(anc, key)
			if i < 0 {
				continue
			}
			if !create {
				return &anc.Content[i+1], 1, nil
			}
			cp, err := copyNode(anc.Content[i+1], path)
			if err != nil {
				return nil, 0, err
			}
			return addKey(n, key, cp), 1, nil
		}
	}
	if create && last {
		return addKey(n, key, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}), 1, nil
	}
	return nil, 0, missingStrategyKey(chain, segs, k, path)
}

// missingStrategyKey is the error for a key segs[k] that neither the
// strategy nor what it extends has: it lists both.
func missingStrategyKey(chain []*yaml.Node, segs []string, k int, path string) error {
	key := segs[k]
	own := mappingKeys(chain[0])
	var inherited []string
	for _, anc := range chain[1:] {
		for _, ak := range mappingKeys(anc) {
			if slices.Contains(inheritedKeys, ak) && !slices.Contains(own, ak) && !slices.Contains(inherited, ak) {
				inherited = append(inherited, ak)
			}
		}
	}
	there := segmentList(own)
	if len(inherited) > 0 {
		there += "; inherited through extends: " + segmentList(inherited)
	}
	return fmt.Errorf("%s: no %q in %s; there: %s%s", path, key, FormatPath(segs[:k]), there,
		text.DidYouMean(key, append(slices.Clone(own), inherited...)))
}

// strategyListItem picks the item segs[k+1] of the strategy chain[0]'s
// list key (triggers or investments, which merge by name) among the items
// it has once extends is resolved: its parents' first, in their order,
// each replaced by its own of the same name, then its own new ones. An
// index counts in that list. An inherited item is copied into the
// strategy's own list with create.
func strategyListItem(chain []*yaml.Node, key string, segs []string, k int, path string, create bool) (**yaml.Node, int, error) {
	type entry struct {
		slot  **yaml.Node
		owner int // index in chain
	}
	var merged []entry
	for c := len(chain) - 1; c >= 0; c-- {
		i := keyIndex(chain[c], key)
		if i < 0 {
			continue
		}
		list := deref(chain[c].Content[i+1])
		if list.Kind != yaml.SequenceNode {
			continue
		}
		for j := range list.Content {
			e := entry{slot: &list.Content[j], owner: c}
			name := fieldOf(list.Content[j], "name")
			if m := slices.IndexFunc(merged, func(p entry) bool { return fieldOf(*p.slot, "name") == name }); m >= 0 {
				merged[m] = e
			} else {
				merged = append(merged, e)
			}
		}
	}
	n := chain[0]
	own := keyIndex(n, key)
	if own < 0 && len(merged) == 0 {
		return nil, 0, missingStrategyKey(chain, segs, k, path)
	}
	view := &yaml.Node{Kind: yaml.SequenceNode}
	inherits := false
	for _, e := range merged {
		view.Content = append(view.Content, *e.slot)
		inherits = inherits || e.owner > 0
	}
	where := FormatPath(segs[:k+1])
	sel := segs[k+1]
	i, names, err := pick(view, sel)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %v in %s", path, err, where)
	}
	if i < 0 {
		note := ""
		if inherits {
			note = ", those inherited through extends included"
		}
		return nil, 0, notInList(path, sel, where, view, names, note)
	}
	e := merged[i]
	if e.owner == 0 || !create {
		return e.slot, 2, nil
	}
	cp, err := copyNode(*e.slot, path)
	if err != nil {
		return nil, 0, err
	}
	var list *yaml.Node
	if own >= 0 {
		list = n.Content[own+1]
	} else {
		list = *addKey(n, key, &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
	}
	list.Content = append(list.Content, cp)
	return &list.Content[len(list.Content)-1], 2, nil
}

// strategyLever finds the lever segs[k+1] that the strategy chain[0] sets,
// or else inherits (copied into its own levers with create), or else,
// with create and as the path's last key, adds it to its levers (made if
// missing); the compiler checks that the scenario declares the lever.
func strategyLever(chain []*yaml.Node, segs []string, k int, path string, create bool) (**yaml.Node, int, error) {
	n, sel := chain[0], segs[k+1]
	own := func() *yaml.Node {
		if i := keyIndex(n, "levers"); i >= 0 {
			return n.Content[i+1]
		}
		return *addKey(n, "levers", &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle})
	}
	var set []string
	for c, s := range chain {
		i := keyIndex(s, "levers")
		if i < 0 {
			continue
		}
		levers := deref(s.Content[i+1])
		if levers.Kind != yaml.MappingNode {
			continue
		}
		if j := keyIndex(levers, sel); j >= 0 {
			if c == 0 || !create {
				return &levers.Content[j+1], 2, nil
			}
			cp, err := copyNode(levers.Content[j+1], path)
			if err != nil {
				return nil, 0, err
			}
			return addKey(own(), sel, cp), 2, nil
		}
		for _, name := range mappingKeys(levers) {
			if !slices.Contains(set, name) {
				set = append(set, name)
			}
		}
	}
	if create && k+1 == len(segs)-1 {
		return addKey(own(), sel, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}), 2, nil
	}
	where := FormatPath(segs[:k+1])
	if len(set) == 0 {
		return nil, 0, fmt.Errorf("%s: no %q in %s: the strategy sets no lever, nor do those it extends", path, sel, where)
	}
	return nil, 0, fmt.Errorf("%s: no %q in %s; the levers it sets, those inherited through extends included: %s%s",
		path, sel, where, segmentList(set), text.DidYouMean(sel, set))
}

// strategyChain returns strategy i of the list and those it extends, in
// order, as the compiler follows them: by name, to the first strategy of
// that name, stopping at an unknown name or a cycle.
func strategyChain(strategies *yaml.Node, i int) []*yaml.Node {
	var out []*yaml.Node
	seen := map[int]bool{}
	for i >= 0 && !seen[i] {
		seen[i] = true
		s := deref(strategies.Content[i])
		out = append(out, s)
		ext := fieldOf(s, "extends")
		if s.Kind != yaml.MappingNode || ext == "" {
			break
		}
		i = slices.IndexFunc(strategies.Content, func(p *yaml.Node) bool { return fieldOf(p, "name") == ext })
	}
	return out
}

// strategyDepth is how many strategies the strategy a path goes into
// extends, one above the other; 0 for a path elsewhere.
func strategyDepth(root *yaml.Node, segs []string) int {
	if len(segs) < 3 || segs[0] != "strategies" || deref(root).Kind != yaml.MappingNode {
		return 0
	}
	i := keyIndex(deref(root), "strategies")
	if i < 0 {
		return 0
	}
	list := deref(deref(root).Content[i+1])
	if list.Kind != yaml.SequenceNode {
		return 0
	}
	s, _, err := pick(list, segs[1])
	if err != nil || s < 0 {
		return 0
	}
	return len(strategyChain(list, s)) - 1
}

// keyIndex returns the index in mapping n's Content of key's key node, or
// -1.
func keyIndex(n *yaml.Node, key string) int {
	if n.Kind != yaml.MappingNode {
		return -1
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return i
		}
	}
	return -1
}

func mappingKeys(n *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		keys = append(keys, n.Content[i].Value)
	}
	return keys
}

// addKey appends key: v to mapping n and returns the slot of v.
func addKey(n *yaml.Node, key string, v *yaml.Node) **yaml.Node {
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
	return &n.Content[len(n.Content)-1]
}

// maxCopy bounds the nodes a copy may hold once aliases are expanded.
const maxCopy = 100_000

// unshare replaces an alias at slot by a copy of what it stands for.
func unshare(slot **yaml.Node, path string) error {
	if (*slot).Kind != yaml.AliasNode {
		return nil
	}
	cp, err := copyNode(*slot, path)
	if err != nil {
		return err
	}
	*slot = cp
	return nil
}

// copyNode copies n deeply, aliases expanded, without anchors or comments
// (the copy may stand before the anchor it would use, and an anchor given
// twice would change what later aliases stand for).
func copyNode(n *yaml.Node, path string) (*yaml.Node, error) {
	budget := maxCopy
	var cp func(n *yaml.Node) *yaml.Node
	cp = func(n *yaml.Node) *yaml.Node {
		n = deref(n)
		if budget--; budget < 0 {
			return nil
		}
		out := &yaml.Node{Kind: n.Kind, Style: n.Style, Tag: n.Tag, Value: n.Value}
		for _, c := range n.Content {
			cc := cp(c)
			if cc == nil {
				return nil
			}
			out.Content = append(out.Content, cc)
		}
		return out
	}
	out := cp(n)
	if out == nil {
		return nil, fmt.Errorf("%s: the part of the scenario to copy for it is too large (over %d values once aliases are expanded); write it out in the strategy", path, maxCopy)
	}
	return out, nil
}

// personaShare reports whether segs are population.personas.NAME.share.
func personaShare(segs []string) (string, bool) {
	if len(segs) == 4 && segs[0] == "population" && segs[1] == "personas" && segs[3] == "share" {
		return segs[2], true
	}
	return "", false
}

// pick finds the element of a list named seg (by its name, then its
// channel), or at index seg; -1 if none. Two elements with that name are an
// error: the path would be ambiguous.
func pick(list *yaml.Node, seg string) (int, []string, error) {
	var names []string
	for _, field := range []string{"name", "channel"} {
		found := -1
		for i, el := range list.Content {
			v := fieldOf(el, field)
			if v == "" {
				continue
			}
			if v == seg {
				if found >= 0 {
					return -1, nil, fmt.Errorf("%q is the %s of elements %d and %d; pick one by its index", seg, field, found, i)
				}
				found = i
			}
			if !slices.Contains(names, v) {
				names = append(names, v)
			}
		}
		if found >= 0 {
			return found, nil, nil
		}
	}
	if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(list.Content) {
		return i, nil, nil
	}
	return -1, names, nil
}

func fieldOf(n *yaml.Node, key string) string {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func setScalar(n *yaml.Node, v Value) {
	anchor := n.Anchor
	*n = yaml.Node{Kind: yaml.ScalarNode, Anchor: anchor}
	switch {
	case v.IsText && (v.Text == "true" || v.Text == "false"):
		n.Tag, n.Value = "!!bool", v.Text
	case v.IsText:
		n.Tag, n.Value, n.Style = "!!str", v.Text, yaml.DoubleQuotedStyle
	case v.Number == math.Trunc(v.Number) && math.Abs(v.Number) < 1e15:
		n.Tag, n.Value = "!!int", strconv.FormatInt(int64(v.Number), 10)
	default:
		n.Tag, n.Value = "!!float", v.String()
	}
}

// rescaleShares scales the shares of the personas not in set so that all
// shares add up to 1 again.
func rescaleShares(root *yaml.Node, set map[string]bool) error {
	personas, err := Resolve(root, "population.personas", false)
	if err != nil || personas.Kind != yaml.SequenceNode {
		return nil // the compiler reports a scenario without personas
	}
	var fixed, rest float64
	var others []*yaml.Node
	for i, el := range personas.Content {
		name := fieldOf(el, "name")
		share, err := Resolve(personas, strconv.Itoa(i)+".share", false)
		if err != nil || share.Kind != yaml.ScalarNode {
			continue
		}
		v, err := strconv.ParseFloat(share.Value, 64)
		if err != nil {
			continue
		}
		if set[name] || set[strconv.Itoa(i)] {
			fixed += v
		} else {
			rest += v
			others = append(others, share)
		}
	}
	if fixed > 1+1e-12 {
		return fmt.Errorf("the persona shares set add up to %.6g; they can add up to at most 1", fixed)
	}
	if rest <= 0 {
		return nil
	}
	for _, n := range others {
		v, _ := strconv.ParseFloat(n.Value, 64)
		setScalar(n, NumberValue(v*(1-fixed)/rest))
	}
	return nil
}
