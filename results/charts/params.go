package charts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/plot/vg"
	"gopkg.in/yaml.v3"
)

// scenarioText is what a sweep's scenario file says about the fields a
// sweep may vary: the levers' descriptions and bounds, the name of a
// tick, the strategies' caps (with the strategies they extend).
type scenarioText struct {
	Run struct {
		Tick string `yaml:"tick"`
	} `yaml:"run"`
	Levers     map[string]leverText `yaml:"levers"`
	Strategies []strategyText       `yaml:"strategies"`
}

// strategyText is a strategy as a scenario file declares it: its name,
// the strategy it extends and its caps.
type strategyText struct {
	Name    string `yaml:"name"`
	Extends string `yaml:"extends"`
	Caps    []struct {
		Channel string `yaml:"channel"`
		Window  int    `yaml:"window"`
	} `yaml:"caps"`
}

// leverText is a lever as a scenario file declares it.
type leverText struct {
	Description string   `yaml:"description"`
	Min         *float64 `yaml:"min"`
	Max         *float64 `yaml:"max"`
}

// readScenarioText reads the scenario file of the sweep folder dir; nil
// when it cannot (the parameters are then named from their paths).
func readScenarioText(dir string) *scenarioText {
	data, err := os.ReadFile(filepath.Join(dir, sweep.ScenarioFile))
	if err != nil {
		return nil
	}
	sc, ok := parseScenarioText(data)
	if !ok {
		return nil
	}
	return sc
}

// parseScenarioText reads what a scenario file says about its fields;
// false if it is not YAML. A field of another shape than expected is
// left out, the rest read.
func parseScenarioText(data []byte) (*scenarioText, bool) {
	var sc scenarioText
	if err := yaml.Unmarshal(data, &sc); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, false
		}
	}
	return &sc, true
}

// tick is the name of the scenario's tick.
func (sc *scenarioText) tick() string {
	if sc == nil || sc.Run.Tick == "" {
		return "tick"
	}
	return sc.Run.Tick
}

// capWindow is the window, in ticks, of strategy's cap on channel (or
// its cap at index channel), following extends; 0 when not found.
func (sc *scenarioText) capWindow(strategy, channel string) (window int, ch string) {
	if sc == nil {
		return 0, channel
	}
	for seen := 0; strategy != "" && seen < len(sc.Strategies); seen++ {
		i := slices.IndexFunc(sc.Strategies, func(s strategyText) bool { return s.Name == strategy })
		if i < 0 {
			break
		}
		st := sc.Strategies[i]
		for k, c := range st.Caps {
			if c.Channel == channel || strconv.Itoa(k) == channel {
				return c.Window, c.Channel
			}
		}
		strategy = st.Extends
	}
	return 0, channel
}

// paramText is how a chart names a parameter a sweep varies.
type paramText struct {
	// axis is the axis title: the parameter in words, with its unit or
	// scale.
	axis string
	// name is the parameter in a sentence: "Profit against NAME".
	name string
	// about says more, for the subtitle: the lever's whole description
	// when the axis has only part of it, and the strategy the parameter
	// is set for; "" for nothing.
	about string
}

// axisRoom is the length an axis title of a sweep chart is fitted to,
// before it would take a second line.
const axisRoom = 6 * vg.Inch

// describeParam names the parameter at path in words, from what the
// scenario sc says about it (nil: nothing), for a sweep of strategies:
// a lever by its description, a field by what it is, and anything else
// by the last part of its path made readable. A raw path is never used
// where a description exists.
func describeParam(path string, sc *scenarioText, strategies []string, currency string) paramText {
	seg := splitPath(path)
	tick := sc.tick()
	ticks := text.Plural(tick)
	money := currency
	words := func(name, unit string) paramText {
		return paramText{axis: withUnit(name, unit), name: name}
	}
	var out paramText
	switch {
	case len(seg) >= 3 && seg[0] == "strategies":
		s, rest := seg[1], seg[2:]
		out = strategyField(s, rest, sc, tick, money)
		if len(strategies) > 1 || (len(strategies) == 1 && strategies[0] != s) {
			note := fmt.Sprintf("Set for %s only.", s)
			out.about = strings.TrimSpace(out.about + " " + note)
		}
		return out
	case len(seg) == 2 && seg[0] == "population" && seg[1] == "size":
		return paramText{axis: "customers", name: "the number of customers"}
	case len(seg) == 4 && seg[0] == "population" && seg[1] == "personas" && seg[3] == "share":
		return words("share of persona "+seg[2], "")
	case len(seg) == 2 && seg[0] == "run" && seg[1] == "horizon":
		return paramText{axis: withUnit("horizon", ticks), name: "the horizon"}
	case len(seg) == 2 && seg[0] == "run" && seg[1] == "discount_rate":
		return words("yearly discount rate", "")
	case len(seg) == 5 && seg[0] == "channels" && seg[2] == "behaviour" && seg[3] == "params":
		return words(readable(seg[4])+" on "+seg[1], "")
	case len(seg) == 3 && seg[0] == "channels":
		ch := seg[1]
		switch seg[2] {
		case "cost_per_contact":
			return words("cost per contact on "+ch, money)
		case "cost_per_minute":
			return words("cost per minute on "+ch, money)
		case "fixed_cost":
			return words("fixed cost of "+ch, money)
		case "cost_per_customer":
			return words("cost per customer on "+ch, money)
		case "commission":
			return words("commission on "+ch, "share of revenue")
		}
	case len(seg) == 3 && seg[0] == "levers":
		l := leverWords(seg[1], sc)
		switch seg[2] {
		case "cost_per_tick":
			return words("cost per "+tick+" of one unit of "+l.name, money)
		case "cost_per_customer":
			return words("cost per customer of one unit of "+l.name, money)
		case "value":
			return words(l.name+" by default", "")
		}
	case len(seg) == 2 && seg[0] == "journey" && seg[1] == "basket":
		return words("basket value", money)
	case len(seg) == 2 && seg[0] == "journey" && seg[1] == "margin":
		return words("margin", "share of the price")
	case len(seg) == 2 && seg[0] == "fatigue" && seg[1] == "half_life":
		return words("half-life of fatigue", ticks)
	case len(seg) == 2 && seg[0] == "fatigue" && seg[1] == "per_contact":
		return words("fatigue per contact", "")
	}
	return words(readablePath(seg), "")
}

// strategyField names the field rest of strategy s.
func strategyField(s string, rest []string, sc *scenarioText, tick, money string) paramText {
	ticks := text.Plural(tick)
	words := func(name, unit string) paramText {
		return paramText{axis: withUnit(name, unit), name: name}
	}
	switch {
	case len(rest) == 1:
		switch rest[0] {
		case "discount":
			return words("discount on every purchase", "share of the price")
		case "per_tick":
			return words("most contacts a customer gets in one "+tick, "")
		case "suppress_above":
			return words("fatigue that holds contacts back", "× tolerance")
		case "holdout":
			return words("holdout", "share of customers")
		}
	case len(rest) == 2 && rest[0] == "levers":
		return leverWords(rest[1], sc)
	case len(rest) == 3 && rest[0] == "caps":
		window, ch := sc.capWindow(s, rest[1])
		switch rest[2] {
		case "max":
			if window > 0 {
				return words(fmt.Sprintf("most %s contacts in %s", ch, text.Count(window, tick)), "")
			}
			return words(fmt.Sprintf("most %s contacts in the cap's window", ch), "")
		case "window":
			return words("window of the "+ch+" cap", ticks)
		}
	case len(rest) == 3 && rest[0] == "triggers":
		t := rest[1]
		switch rest[2] {
		case "cooldown":
			return words("cooldown of the "+t+" trigger", ticks)
		case "delay":
			return words("delay of the "+t+" trigger", ticks)
		case "discount":
			return words("offer in the "+t+" message", "share of the price")
		case "priority":
			return words("priority of the "+t+" trigger", "")
		}
	}
	return words(readablePath(rest), "")
}

// leverWords names the lever called name by its description in the
// scenario: the axis gets the part before the first colon, semicolon or
// comma, with the ends of its scale ("0 = a thin team, 2 =
// gold-plated") or its bounds ("0 to 2") when they fit, and the subtitle
// the whole description when the axis does not hold it. Without a
// description, the lever's name made readable.
func leverWords(name string, sc *scenarioText) paramText {
	var l leverText
	if sc != nil {
		l = sc.Levers[name]
	}
	desc := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l.Description), "."))
	bounds := ""
	if l.Min != nil && l.Max != nil && *l.Min < *l.Max {
		bounds = formatNumber(*l.Min, -1) + " to " + formatNumber(*l.Max, -1)
	}
	if desc == "" {
		n := readable(name)
		return paramText{axis: withUnit(n, bounds), name: n}
	}
	head := desc
	if i := strings.IndexAny(desc, ":;,"); i > 0 {
		head = strings.TrimSpace(desc[:i])
	}
	sty := textStyle(labelSize, false, inkColor)
	var candidates []string
	if head == desc {
		candidates = append(candidates, withUnit(desc, bounds))
	}
	if _, after, ok := strings.Cut(desc, ":"); ok {
		if scale := scaleEnds(after); scale != "" {
			candidates = append(candidates, head+" ("+scale+")")
		}
	}
	candidates = append(candidates, withUnit(head, bounds), head)
	out := paramText{axis: candidates[len(candidates)-1], name: head}
	for _, c := range candidates {
		if sty.Width(c) <= axisRoom {
			out.axis = c
			break
		}
	}
	if out.axis != withUnit(desc, bounds) {
		out.about = text.Capitalize(desc) + "."
	}
	return out
}

// scaleEnds reads a scale written "0 a thin team, 1 staffed, 2
// gold-plated" (each step a number, then what it means) and returns its
// ends, "0 = a thin team, 2 = gold-plated"; "" if s is not such a scale.
func scaleEnds(s string) string {
	var steps []string
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if startsWithNumber(part) || len(steps) == 0 {
			steps = append(steps, part)
		} else {
			steps[len(steps)-1] += ", " + part
		}
	}
	if len(steps) < 2 {
		return ""
	}
	step := func(p string) string {
		i := strings.IndexFunc(p, func(r rune) bool { return unicode.IsSpace(r) || r == '=' })
		if i < 0 || !startsWithNumber(p) {
			return ""
		}
		what := strings.TrimSpace(strings.TrimLeft(p[i:], " =:"))
		if what == "" {
			return ""
		}
		return p[:i] + " = " + what
	}
	first, last := step(steps[0]), step(steps[len(steps)-1])
	if first == "" || last == "" {
		return ""
	}
	return first + ", " + last
}

func startsWithNumber(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	_, err := strconv.ParseFloat(strings.TrimRight(f[0], "=:"), 64)
	return err == nil
}

// splitPath cuts a parameter's path into its keys, as a scenario
// override reads it: at dots, but not inside a double-quoted key or
// brackets (strategies.omni.triggers."v1.2".cooldown,
// strategies.omni.triggers[v1.2].cooldown).
func splitPath(path string) []string {
	var seg []string
	var cur strings.Builder
	quoted, bracket := false, false
	flush := func() {
		if cur.Len() > 0 {
			seg = append(seg, cur.String())
		}
		cur.Reset()
	}
	for _, r := range path {
		switch {
		case quoted:
			if r == '"' {
				quoted = false
			} else {
				cur.WriteRune(r)
			}
		case bracket:
			if r == ']' {
				bracket = false
				flush()
			} else {
				cur.WriteRune(r)
			}
		case r == '"':
			quoted = true
		case r == '[':
			flush()
			bracket = true
		case r == '.':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return seg
}

// readablePath is the last part of a path in words; a generic or
// numbered last part comes with the parts before it up to a name
// ("journey.edges.3.p" → "edges 3 p").
func readablePath(seg []string) string {
	generic := []string{"max", "min", "value", "share", "p", "params", "window"}
	var words []string
	for i := len(seg) - 1; i >= 0; i-- {
		w := readable(seg[i])
		words = append([]string{w}, words...)
		if !slices.Contains(generic, w) && !startsWithNumber(w) {
			break
		}
	}
	return strings.Join(words, " ")
}

// readable writes a key in words: underscores as spaces.
func readable(key string) string { return strings.ReplaceAll(key, "_", " ") }
