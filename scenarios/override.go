package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// Override sets one field of a scenario before it is compiled: a number or
// a text (a choice such as an integration level, or an expression) at a
// path such as strategies.omni.caps.email.max. Path segments name mapping
// keys; in a list they pick the element whose name, or else whose channel,
// is the segment, or else the element at that index (from 0).
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

// ParseOverride reads PATH=VALUE, as given to --set.
func ParseOverride(s string) (Override, error) {
	path, value, ok := strings.Cut(s, "=")
	path = strings.TrimSpace(path)
	if !ok || path == "" || strings.HasPrefix(path, ".") || strings.HasSuffix(path, ".") || strings.Contains(path, "..") {
		return Override{}, fmt.Errorf("%q: want PATH=VALUE, such as strategies.omni.discount=0.1", s)
	}
	return Override{Path: path, Value: ParseValue(value)}, nil
}

// Apply returns the scenario data with the overrides set, in order. A path
// must lead through fields the scenario has; only its last key may be new
// (a field a strategy inherits through extends, say), and a strategy's
// levers mapping, which is made when the strategy sets no lever yet. Setting a persona's
// share rescales the shares of the personas not set, so that all still add
// up to 1. The result is compiled as usual, so a value out of range is
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
	setShares := map[string]bool{}
	for _, o := range overrides {
		slot, err := resolveSlot(root, o.Path, true)
		if err != nil {
			return nil, err
		}
		n := *slot
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s: holds %s, not a single value; name a field inside it", o.Path, describe(n))
		}
		if (*slot).Kind == yaml.AliasNode {
			// Set here only, not wherever the anchor is used.
			*slot = &yaml.Node{}
		}
		setScalar(*slot, o.Value)
		if persona, ok := personaShare(o.Path); ok {
			setShares[persona] = true
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

// Resolve finds the node at path in a scenario's root mapping. With
// create, a last key missing from its mapping is added, empty.
func Resolve(root *yaml.Node, path string, create bool) (*yaml.Node, error) {
	slot, err := resolveSlot(root, path, create)
	if err != nil {
		return nil, err
	}
	n := *slot
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n, nil
}

// resolveSlot finds where the node at path is held in its parent, so that
// it can be replaced; an alias there is not followed.
func resolveSlot(root *yaml.Node, path string, create bool) (**yaml.Node, error) {
	segs := strings.Split(path, ".")
	slot := &root
	for k, seg := range segs {
		n := *slot
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		where := strings.Join(segs[:k], ".")
		if where == "" {
			where = "the scenario"
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next **yaml.Node
			var keys []string
			for i := 0; i+1 < len(n.Content); i += 2 {
				keys = append(keys, n.Content[i].Value)
				if n.Content[i].Value == seg {
					next = &n.Content[i+1]
				}
			}
			if next == nil && create && seg == "levers" && k == len(segs)-2 {
				// A strategy that sets no lever yet: strategies.NAME.levers.LEVER.
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg},
					&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle})
				next = &n.Content[len(n.Content)-1]
			}
			if next == nil && k == 1 && segs[0] == "levers" {
				// A new lever would be read by nothing: a typo.
				return nil, fmt.Errorf("%s: no lever %q in the scenario; its levers: %s%s", path, seg, strings.Join(keys, ", "), text.DidYouMean(seg, keys))
			}
			if next == nil {
				if !create || k != len(segs)-1 {
					return nil, fmt.Errorf("%s: no %q in %s; there: %s%s", path, seg, where, strings.Join(keys, ", "), text.DidYouMean(seg, keys))
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: seg},
					&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"})
				next = &n.Content[len(n.Content)-1]
			}
			slot = next
		case yaml.SequenceNode:
			i, names, err := pick(n, seg)
			if err != nil {
				return nil, fmt.Errorf("%s: %v in %s", path, err, where)
			}
			if i < 0 {
				return nil, fmt.Errorf("%s: no %q in %s; its elements: %s (or an index from 0 to %d)%s",
					path, seg, where, strings.Join(names, ", "), len(n.Content)-1, text.DidYouMean(seg, names))
			}
			slot = &n.Content[i]
		default:
			return nil, fmt.Errorf("%s: %s holds a single value, so it has no %q", path, where, seg)
		}
	}
	return slot, nil
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

// personaShare reports whether path is population.personas.NAME.share.
func personaShare(path string) (string, bool) {
	segs := strings.Split(path, ".")
	if len(segs) == 4 && segs[0] == "population" && segs[1] == "personas" && segs[3] == "share" {
		return segs[2], true
	}
	return "", false
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
