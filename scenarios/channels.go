package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim"
)

func (c *compiler) channels() {
	s := c.spec
	if len(s.Channels.Entries) == 0 {
		c.at(s.Channels.Pos, "no channels: give at least one under channels")
	}
	if len(s.Channels.Entries) > 32 {
		c.at(s.Channels.Pos, "%d channels; at most 32 are allowed", len(s.Channels.Entries))
	}
	for _, e := range s.Channels.Entries {
		cs := e.Value
		c.checkName(e.Key, e.Pos, "channel")
		ch := sim.Channel{Name: e.Key}
		ch.Kind = sim.ChannelKind(c.oneOf(cs.Kind, "owned", sim.ChannelKinds, "channel kind"))
		ch.Direction = sim.Direction(c.oneOf(cs.Direction, "outbound", sim.Directions, "direction"))
		ch.CostPerContact = c.floatIn(cs.CostPerContact, 0, 0, math.Inf(1), "cost_per_contact")
		ch.CostPerMinute = c.floatIn(cs.CostPerMinute, 0, 0, math.Inf(1), "cost_per_minute")
		ch.FixedCost = c.floatIn(cs.FixedCost, 0, 0, math.Inf(1), "fixed_cost")
		ch.CostPerCustomer = c.floatIn(cs.CostPerCustomer, 0, 0, math.Inf(1), "cost_per_customer")
		ch.Commission = c.floatIn(cs.Commission, 0, 0, 1, "commission")
		ch.ServiceLevelSeconds = c.floatIn(cs.ServiceLevelSeconds, DefaultServiceLevelSeconds, 0, MaxServiceLevelSeconds, "service_level_seconds")
		ch.Noun = c.noun(cs.Noun)
		ch.Behaviour, ch.BehaviourName, ch.BehaviourParams, ch.BehaviourText = c.behaviour(e.Key, cs.Behaviour, e.Pos)
		c.m.Channels = append(c.m.Channels, ch)
		c.outbound = append(c.outbound, ch.Direction == sim.Outbound)
	}
}

// DefaultServiceLevelSeconds is a channel's service_level_seconds when
// the scenario gives none: the contact-centre industry's usual "80/20"
// target answers 80% of calls within 20 seconds.
const DefaultServiceLevelSeconds = 20

// MaxServiceLevelSeconds is the largest service_level_seconds: a day.
const MaxServiceLevelSeconds = 86400

// DefaultNoun is what a channel's contacts are called when the scenario
// gives no noun.
const DefaultNoun = "contact"

// maxNoun is the most characters a channel's noun may have.
const maxNoun = 32

// noun checks a channel's noun: a word or a few, of letters, spaces and
// hyphens, singular.
func (c *compiler) noun(f Field[string]) string {
	v := f.Or(DefaultNoun)
	ok := v != "" && utf8.RuneCountInString(v) <= maxNoun && unicode.IsLetter([]rune(v)[0]) && !strings.HasSuffix(v, " ")
	for _, r := range v {
		if !unicode.IsLetter(r) && r != ' ' && r != '-' {
			ok = false
		}
	}
	if !ok {
		c.at(f.Pos, "noun %q is not allowed; allowed: a singular noun of letters, spaces and hyphens, at most %d characters, such as call or chat", v, maxNoun)
		return DefaultNoun
	}
	return v
}

func (c *compiler) behaviour(channel string, b *behaviourSpec, at Pos) (sim.Behaviour, string, map[string]float64, map[string]string) {
	if b == nil {
		b = &behaviourSpec{}
	}
	var (
		spec sim.BehaviourSpec
		err  error
	)
	if b.Plugin.Set {
		if b.Name.Set {
			c.at(b.Name.Pos, "a behaviour is either built in (name) or a plugin (plugin), not both")
			return nil, "", nil, nil
		}
		if c.plugins == nil && c.describe {
			return c.unserved(channel, b)
		}
		if c.plugins == nil {
			c.at(b.Plugin.Pos, "channel %s needs plugin %s, and plugins are not available here", channel, b.Plugin.V)
			return nil, "", nil, nil
		}
		spec, err = c.plugins.Spec(b.Plugin.V)
		if err != nil && c.describe {
			return c.unserved(channel, b) // not found: described as written
		}
		if err != nil {
			c.at(b.Plugin.Pos, "channel %s: %v", channel, err)
			return nil, "", nil, nil
		}
	} else if spec, err = sim.LookupBuiltin(b.Name.Or("response")); err != nil {
		c.at(b.Name.Pos, "%v", err)
		return nil, "", nil, nil
	}
	params, text := map[string]float64{}, map[string]string{}
	ok := true
	for _, e := range b.Params.Entries {
		v := e.Value
		var err error
		where := v.Pos // a bad value
		if v.Number.Set {
			err = spec.CheckParam(e.Key, v.Number.V)
		} else {
			err = spec.CheckText(e.Key)
		}
		if err != nil {
			if !slices.ContainsFunc(spec.Params, func(p sim.Param) bool { return p.Name == e.Key }) {
				where = e.Pos // an unknown name
			}
			c.at(where, "%v", err)
			ok = false
			continue
		}
		switch {
		case v.Number.Set:
			params[e.Key] = v.Number.V
		case v.File.Set:
			data, err := c.readParamFile(v.File.V)
			if err != nil {
				c.at(v.File.Pos, "channel %s behaviour parameter %s: %v", channel, e.Key, err)
				ok = false
				continue
			}
			text[e.Key] = data
		case v.Text.Set:
			text[e.Key] = v.Text.V
		}
	}
	if !ok {
		return nil, "", nil, nil
	}
	effective, effectiveText := map[string]float64{}, map[string]string{}
	for _, p := range spec.Params {
		if p.Text {
			effectiveText[p.Name] = p.DefaultText
		} else {
			effective[p.Name] = p.Default
		}
	}
	maps.Copy(effective, params)
	maps.Copy(effectiveText, text)
	if len(effectiveText) == 0 {
		effectiveText = nil
	}
	if b.Plugin.Set {
		beh, err := c.plugins.Configure(b.Plugin.V, channel, effective, effectiveText)
		if err != nil {
			c.at(b.Pos, "channel %s: %v", channel, err)
			return nil, "", nil, nil
		}
		return beh, PluginPrefix + b.Plugin.V, effective, effectiveText
	}
	beh, err := sim.NewBuiltin(spec.Name, params)
	if err != nil {
		c.at(at, "%v", err)
	}
	return beh, spec.Name, effective, effectiveText
}

// unserved compiles a plugin behaviour for a scenario that is only
// described: its parameters as the file gives them, and a behaviour that
// fails if asked to answer.
func (c *compiler) unserved(channel string, b *behaviourSpec) (sim.Behaviour, string, map[string]float64, map[string]string) {
	params, text := map[string]float64{}, map[string]string{}
	for _, e := range b.Params.Entries {
		switch v := e.Value; {
		case v.Number.Set:
			params[e.Key] = v.Number.V
		case v.Text.Set:
			text[e.Key] = v.Text.V
		case v.File.Set:
			text[e.Key] = "(the contents of " + v.File.V + ")"
		}
	}
	if len(text) == 0 {
		text = nil
	}
	return unservedBehaviour{plugin: b.Plugin.V, channel: channel}, PluginPrefix + b.Plugin.V, params, text
}

// unservedBehaviour stands in for a plugin in a scenario loaded only to be
// described.
type unservedBehaviour struct{ plugin, channel string }

func (u unservedBehaviour) Respond(*sim.ContactBatch, *sim.Responses) error {
	return fmt.Errorf("channel %s: plugin %s is not loaded: the scenario was loaded to be described, not run", u.channel, u.plugin)
}

// readParamFile reads a behaviour parameter given as {file: path}, relative
// to the scenario file's folder.
func (c *compiler) readParamFile(path string) (string, error) {
	folder := filepath.Dir(c.file)
	if !filepath.IsAbs(path) {
		path = filepath.Join(folder, path)
	}
	if !c.allowOutside && !inside(folder, path) {
		return "", fmt.Errorf("cannot read %s: it is outside the scenario's folder %s; put the file there (or allow files outside it with --allow-file-outside)", path, folder)
	}
	reason := func(err error) error {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot read %s: %w", path, err)
	}
	data, err := ReadFile(path)
	if err != nil {
		return "", reason(err)
	}
	return string(data), nil
}

// PluginPrefix marks a channel's BehaviourName as a plugin's.
const PluginPrefix = "plugin:"

// inside reports whether path is in folder or below it, once links are
// followed (a missing file counts by its name).
func inside(folder, path string) bool {
	resolve := func(p string) string {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		return filepath.Clean(p)
	}
	rel, err := filepath.Rel(resolve(folder), resolve(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
