package scenarios

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// Variant is a strategy added to a scenario: a copy of one of its
// strategies, by extends, with fields of its own.
type Variant struct {
	// Name is the new strategy's name; Extends the strategy it copies.
	Name, Extends string
	// Description says what it is; empty for the copied one's.
	Description string
	// Overrides set fields of the new strategy: each path begins
	// "strategies.NAME." (as Control.FieldPath writes it for Name).
	Overrides []Override
}

// WithVariants returns the scenario with the variants added as strategies
// after its own, each extending its strategy and with its overrides set,
// compiled again with opt. The result is a scenario like any other: run,
// saved and explained as one.
func (s *Scenario) WithVariants(variants []Variant, opt Options) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(s.Source.Data, &doc); err != nil {
		return nil, fmt.Errorf("read the scenario: %w", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the scenario is empty")
	}
	root := doc.Content[0]
	i := keyIndex(root, "strategies")
	if i < 0 {
		return nil, fmt.Errorf("the scenario has no strategies to extend")
	}
	list := deref(root.Content[i+1])
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("the scenario's strategies are not a list")
	}
	var over []Override
	for _, v := range variants {
		if s.Model.StrategyIndex(v.Extends) < 0 {
			return nil, fmt.Errorf("variant %s: no strategy %q to extend", v.Name, v.Extends)
		}
		kv := []any{"name", strNode(v.Name), "extends", strNode(v.Extends)}
		if v.Description != "" {
			kv = append(kv, "description", strNode(v.Description))
		}
		list.Content = append(list.Content, mapping(false, kv...))
		over = append(over, v.Overrides...)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("write the scenario: %w", err)
	}
	data, err := Apply(out.Bytes(), over)
	if err != nil {
		return nil, err
	}
	changed, err := LoadWith(s.Source.File(), data, opt)
	if err != nil {
		return nil, &OverrideError{Overrides: over, Err: err}
	}
	changed.Source.Origin = s.Source.Origin
	return changed, nil
}
