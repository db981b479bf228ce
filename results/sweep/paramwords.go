package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// How a sweep's parameters are named for people: a lever by its
// description, a field of the scenario by what it is, anything else by
// the last part of its path made readable. A raw path is never used
// where a description exists; the analysis gives each path once, in its
// legend of parameters, so that words can be mapped back to paths.

// ScenarioWords is what a sweep's scenario file says about the fields a
// sweep may vary: the name of a tick, the levers' descriptions and
// bounds, and the strategies' caps (with the strategies they extend).
// This package may not import the scenarios; it reads only these.
type ScenarioWords struct {
	// Run holds the name of the scenario's tick ("day").
	Run struct {
		Tick string `yaml:"tick"`
	} `yaml:"run"`
	// Levers are the scenario's levers, by name.
	Levers map[string]LeverWords `yaml:"levers"`
	// Strategies are the scenario's strategies, in order.
	Strategies []StrategyWords `yaml:"strategies"`
}

// LeverWords is a lever as a scenario file declares it: its description
// and bounds.
type LeverWords struct {
	Description string   `yaml:"description"`
	Min         *float64 `yaml:"min"`
	Max         *float64 `yaml:"max"`
}

// StrategyWords is a strategy as a scenario file declares it: its name,
// the strategy it extends and its caps.
type StrategyWords struct {
	Name    string     `yaml:"name"`
	Extends string     `yaml:"extends"`
	Caps    []CapWords `yaml:"caps"`
}

// CapWords is a strategy's cap on a channel: the channel and the window,
// in ticks, its maximum counts contacts over.
type CapWords struct {
	Channel string `yaml:"channel"`
	Window  int    `yaml:"window"`
}

// ReadScenarioWords reads the scenario file of the sweep folder dir; nil
// when it cannot (the parameters are then named from their paths).
func ReadScenarioWords(dir string) *ScenarioWords {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, ScenarioFile))
	if err != nil {
		return nil
	}
	sc, ok := ParseScenarioWords(data)
	if !ok {
		return nil
	}
	return sc
}

// ParseScenarioWords reads what a scenario file says about its fields;
// false if it is not YAML. A field of another shape than expected is left
// out, the rest read.
func ParseScenarioWords(data []byte) (*ScenarioWords, bool) {
	var sc ScenarioWords
	if err := yaml.Unmarshal(data, &sc); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, false
		}
	}
	return &sc, true
}

// tick is the name of the scenario's tick.
func (sc *ScenarioWords) tick() string {
	if sc == nil || sc.Run.Tick == "" {
		return "tick"
	}
	return sc.Run.Tick
}

// capWindow is the window, in ticks, of strategy's cap on channel (or its
// cap at index channel), following extends, and the cap's channel; 0 when
// not found.
func (sc *ScenarioWords) capWindow(strategy, channel string) (window int, ch string) {
	if sc == nil {
		return 0, channel
	}
	for seen := 0; strategy != "" && seen < len(sc.Strategies); seen++ {
		i := slices.IndexFunc(sc.Strategies, func(s StrategyWords) bool { return s.Name == strategy })
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

// ParamWords names a parameter a sweep varies in words.
type ParamWords struct {
	// Path is the parameter's path, as the experiment sets it.
	Path string
	// Name is the parameter in a sentence: "the service level", "most
	// email contacts in 7 days".
	Name string
	// Unit is its unit or range: "days", "EUR", "share of the price", a
	// lever's bounds "0 to 2"; "" for none.
	Unit string
	// Labels are the parameter as a label (an axis title), fullest
	// first: the name with its unit, or for a lever also with the ends of
	// its scale; a renderer takes the first that fits. Never empty.
	Labels []string
	// Description is a lever's whole description, without its full stop;
	// "" for other parameters.
	Description string
	// Strategy is the strategy whose field the parameter is; "" for a
	// field of the scenario.
	Strategy string
	// Others reports that the sweep runs strategies other than Strategy,
	// which the parameter leaves alone: Short names the strategy.
	Others bool
}

// Short is the parameter's short name, for a table's header or a
// sentence: its Name, with the strategy it is set for in brackets when
// the sweep runs others ("most email contacts in 7 days (email_3pw)").
func (w ParamWords) Short() string {
	if w.Others {
		return w.Name + " (" + w.Strategy + ")"
	}
	return w.Name
}

// Long is the parameter in full, for a legend: a lever's whole
// description or the name with its unit, and the strategy it is set for ("most
// email contacts in 7 days, for email_3pw").
func (w ParamWords) Long() string {
	s := withUnit(w.Name, w.Unit)
	if w.Description != "" {
		s = withUnit(w.Description, w.Unit)
	}
	if w.Strategy != "" {
		s += ", for " + w.Strategy
	}
	return s
}

// Whole reports whether label, one of Labels, holds all the parameter's
// description, so that nothing more need be said of it.
func (w ParamWords) Whole(label string) bool {
	return w.Description == "" || label == withUnit(w.Description, w.Unit)
}

// Legend is the line that maps the parameter's path to its words:
// "strategies.email_3pw.caps.email.max: most email contacts in 7 days,
// for email_3pw".
func (w ParamWords) Legend() string { return w.Path + ": " + w.Long() }

// DescribeParam names the parameter at path in words, from what the
// scenario sc says about it (nil: nothing), for a sweep of strategies,
// with amounts of money in currency ("" leaves them bare): a lever by its
// description, a field by what it is, and anything else by the last part
// of its path made readable. A raw path is never used where a description
// exists.
func DescribeParam(path string, sc *ScenarioWords, strategies []string, currency string) ParamWords {
	w := describePath(path, sc, currency)
	w.Path = path
	if len(w.Labels) == 0 {
		w.Labels = []string{withUnit(w.Name, w.Unit)}
	}
	if w.Strategy != "" {
		w.Others = len(strategies) > 1 || (len(strategies) == 1 && strategies[0] != w.Strategy)
	}
	return w
}

// describePath names the parameter at path; DescribeParam completes it.
func describePath(path string, sc *ScenarioWords, money string) ParamWords {
	seg := SplitPath(path)
	tick := sc.tick()
	ticks := text.Plural(tick)
	words := func(name, unit string) ParamWords { return ParamWords{Name: name, Unit: unit} }
	switch {
	case len(seg) >= 3 && seg[0] == "strategies":
		out := strategyField(seg[1], seg[2:], sc, tick, money)
		out.Strategy = seg[1]
		return out
	case len(seg) == 2 && seg[0] == "population" && seg[1] == "size":
		return ParamWords{Name: "the number of customers", Labels: []string{"customers"}}
	case len(seg) == 4 && seg[0] == "population" && seg[1] == "personas" && seg[3] == "share":
		return words("share of persona "+seg[2], "")
	case len(seg) == 2 && seg[0] == "run" && seg[1] == "horizon":
		return ParamWords{Name: "the horizon", Unit: ticks, Labels: []string{withUnit("horizon", ticks)}}
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
			return words("cost per "+tick+" of one unit of "+l.Name, money)
		case "cost_per_customer":
			return words("cost per customer of one unit of "+l.Name, money)
		case "value":
			return words(l.Name+" by default", "")
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
func strategyField(s string, rest []string, sc *ScenarioWords, tick, money string) ParamWords {
	ticks := text.Plural(tick)
	words := func(name, unit string) ParamWords { return ParamWords{Name: name, Unit: unit} }
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
// scenario: its name is the part before the first colon, semicolon or
// comma; its labels, fullest first, add the ends of its scale ("0 = a
// thin team, 2 = gold-plated") or its bounds ("0 to 2"). Without a
// description, the lever's name made readable, with its bounds.
func leverWords(name string, sc *ScenarioWords) ParamWords {
	var l LeverWords
	if sc != nil {
		l = sc.Levers[name]
	}
	desc := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l.Description), "."))
	bounds := ""
	if l.Min != nil && l.Max != nil && *l.Min < *l.Max {
		bounds = signed(*l.Min) + " to " + signed(*l.Max)
	}
	if desc == "" {
		n := readable(name)
		return ParamWords{Name: n, Unit: bounds}
	}
	head := desc
	if i := strings.IndexAny(desc, ":;,"); i > 0 {
		head = strings.TrimSpace(desc[:i])
	}
	var labels []string
	if head == desc {
		labels = append(labels, withUnit(desc, bounds))
	}
	if _, after, ok := strings.Cut(desc, ":"); ok {
		if scale := scaleEnds(after); scale != "" {
			labels = append(labels, head+" ("+scale+")")
		}
	}
	labels = append(labels, withUnit(head, bounds), head)
	return ParamWords{Name: head, Unit: bounds, Labels: labels, Description: desc}
}

// signed writes a bound with thousands separators, the decimals it has,
// and a true minus sign.
func signed(v float64) string {
	return strings.Replace(results.FormatNumber(v, -1), "-", "−", 1)
}

// withUnit is a label: name (unit).
func withUnit(name, unit string) string {
	if unit == "" {
		return name
	}
	return name + " (" + unit + ")"
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

// SplitPath cuts a parameter's path into its keys, as a scenario
// override reads it: at dots, but not inside a double-quoted key or
// brackets (strategies.omni.triggers."v1.2".cooldown,
// strategies.omni.triggers[v1.2].cooldown).
func SplitPath(path string) []string {
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

// ParamWords names each of the sweep's parameters in words, in
// Manifest.Params order, from the scenario file in the analysis's folder.
// Two parameters the words would not tell apart keep their paths.
func (a *Analysis) ParamWords() []ParamWords {
	if a.words != nil {
		return a.words
	}
	m := a.Manifest
	sc := ReadScenarioWords(a.Dir)
	cur := a.Currency
	if cur == "" {
		cur = m.Currency
	}
	words := make([]ParamWords, len(m.Params))
	for k, p := range m.Params {
		words[k] = DescribeParam(p.Path, sc, m.Strategies, cur)
	}
	shorts := make([]string, len(words))
	for k, w := range words {
		shorts[k] = w.Short()
	}
	for k, w := range words {
		for j := range words {
			if j != k && shorts[j] == shorts[k] {
				words[k] = ParamWords{Path: w.Path, Name: w.Path, Labels: []string{w.Path}}
				break
			}
		}
	}
	a.words = words
	return words
}

// label is parameter k's short name in words (ParamWords.Short).
func (a *Analysis) label(k int) string {
	return a.ParamWords()[k].Short()
}

// legend is the analysis's legend of parameters: a line for each
// parameter whose words are not its path, mapping the path to the words,
// the varied parameters first; nil when every parameter is named by its
// path.
func (a *Analysis) legend() []string {
	var varied, fixed []string
	for k, w := range a.ParamWords() {
		if w.Short() == w.Path && w.Long() == w.Path {
			continue
		}
		if k < len(a.varied) && a.varied[k] {
			varied = append(varied, w.Legend())
		} else {
			fixed = append(fixed, w.Legend())
		}
	}
	return append(varied, fixed...)
}
