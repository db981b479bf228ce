package results

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Units of a MinEffect's value.
const (
	// InMetricUnits is a value in the metric's own units: money in the
	// currency, NPS in points, a ratio as a ratio.
	InMetricUnits = ""
	// OfBaseline is a value in percent of the baseline's mean: 1 is 1%.
	OfBaseline = "%"
	// InPoints is a value in percentage points, for metrics shown in
	// percent (shares): 0.5 is half a percentage point.
	InPoints = "pp"
)

// MinEffect is the smallest difference in a headline metric that
// matters, as --min-effect gives it: a difference whose whole 95% interval
// is inside ±the value is too small to matter, whatever its sign (see
// VerdictWithin).
type MinEffect struct {
	Metric string  `json:"metric"`
	Value  float64 `json:"value"`
	// Unit is what Value is in: InMetricUnits, OfBaseline or InPoints.
	Unit string `json:"unit"`
}

// String writes the effect as --min-effect takes it: revenue=1%,
// profit=5000, churn_rate=0.5pp.
func (me MinEffect) String() string {
	return me.Metric + "=" + strconv.FormatFloat(me.Value, 'g', -1, 64) + me.Unit
}

// Threshold is the smallest difference that matters in the metric's
// natural units (shares as fractions), against a baseline whose mean is
// base; 0 when it cannot be worked out (a share of an undefined mean).
func (me MinEffect) Threshold(base float64) float64 {
	var v float64
	switch me.Unit {
	case OfBaseline:
		v = me.Value / 100 * math.Abs(base)
	case InPoints:
		v = me.Value / 100
	default:
		v = me.Value
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
}

// FindMinEffect returns the effect given for the metric called key.
func FindMinEffect(effects []MinEffect, key string) (MinEffect, bool) {
	i := slices.IndexFunc(effects, func(me MinEffect) bool { return me.Metric == key })
	if i < 0 {
		return MinEffect{}, false
	}
	return effects[i], true
}

// ComparedKeys returns the keys of the metrics compared with the
// baseline, those a MinEffect may name: the headline metrics, ROMI last.
func ComparedKeys() []string {
	var keys []string
	for _, m := range append(slices.Clone(Metrics), ROMI) {
		if m.Headline {
			keys = append(keys, m.Key)
		}
	}
	return keys
}

// NPVKey names the business case's net present value in --min-effect
// (npv=50000): an amount in the currency, since the baseline's own NPV
// against itself is zero.
const NPVKey = "npv"

// npvMetric stands for the business case's NPV in ParseMinEffect.
var npvMetric = Metric{Key: NPVKey, Label: "NPV", Unit: UnitMoney, Better: HigherIsBetter}

// comparedMetric returns the headline metric called key.
func comparedMetric(key string) (Metric, bool) {
	if key == NPVKey {
		return npvMetric, true
	}
	for _, m := range append(slices.Clone(Metrics), ROMI) {
		if m.Key == key && m.Headline {
			return m, true
		}
	}
	return Metric{}, false
}

// thousands is a number written with thousands separators: 5,000.
var thousands = regexp.MustCompile(`^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$`)

// ParseMinEffects reads --min-effect values: each KEY=VALUE, or several
// separated by commas (revenue=1%,profit=5000). VALUE is a positive number
// in the metric's units (profit=5000, nps=2), or with % in percent of the
// baseline's mean (revenue=1%), or with pp in percentage points, which a
// metric shown in percent needs (churn_rate=0.5pp), since a bare number
// could be read as a fraction or as points. A number may have thousands
// separators (5,000). Each metric may be given once.
func ParseMinEffects(values []string) ([]MinEffect, error) {
	var items []string
	for _, v := range values {
		for _, piece := range strings.Split(v, ",") {
			// 5,000 is one number, not two items.
			if n := len(items); n > 0 && !strings.Contains(piece, "=") && len(piece) >= 3 && strings.Trim(piece[:3], "0123456789") == "" {
				items[n-1] += "," + piece
				continue
			}
			items = append(items, piece)
		}
	}
	var out []MinEffect
	for _, item := range items {
		me, err := ParseMinEffect(item)
		if err != nil {
			return nil, err
		}
		if prev, ok := FindMinEffect(out, me.Metric); ok {
			return nil, fmt.Errorf("%q: %s is given twice (%s and %s); give each metric once", item, me.Metric, prev, me)
		}
		out = append(out, me)
	}
	return out, nil
}

// ParseMinEffect reads one KEY=VALUE of --min-effect (see
// ParseMinEffects).
func ParseMinEffect(item string) (MinEffect, error) {
	item = strings.TrimSpace(item)
	key, value, ok := strings.Cut(item, "=")
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	example := "such as revenue=1% (of the baseline's revenue), profit=5000 or churn_rate=0.5pp"
	if !ok || key == "" || value == "" {
		return MinEffect{}, fmt.Errorf("%q: write METRIC=VALUE, %s", item, example)
	}
	met, ok := comparedMetric(key)
	if !ok {
		allowed := "allowed: " + strings.Join(ComparedKeys(), ", ") + " and " + NPVKey + " (the business case's)"
		if MetricIndex(key) >= 0 {
			return MinEffect{}, fmt.Errorf("%q: %s is not compared with the baseline, so no difference in it is judged; %s", item, key, allowed)
		}
		return MinEffect{}, fmt.Errorf("%q: no metric %s is compared with the baseline; %s%s", item, key, allowed, suggestMetric(key, ComparedKeys()))
	}
	me := MinEffect{Metric: key}
	number := value
	for _, unit := range []string{InPoints, OfBaseline} {
		if n, ok := strings.CutSuffix(value, unit); ok {
			me.Unit, number = unit, strings.TrimSpace(n)
			break
		}
	}
	if thousands.MatchString(number) {
		number = strings.ReplaceAll(number, ",", "")
	}
	v, err := strconv.ParseFloat(number, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return MinEffect{}, fmt.Errorf("%q: %s is not a number; write METRIC=VALUE, %s", item, number, example)
	}
	if v <= 0 {
		return MinEffect{}, fmt.Errorf("%q: allowed a positive number, %s", item, example)
	}
	me.Value = v
	switch {
	case key == NPVKey && me.Unit != InMetricUnits:
		return MinEffect{}, fmt.Errorf("%q: the NPV is measured against the baseline, whose own is 0, so give an amount in the currency, such as npv=50000", item)
	case me.Unit == InPoints && !met.Percent:
		return MinEffect{}, fmt.Errorf("%q: pp (percentage points) is for the metrics shown in %%, %s; write %s=%s in the metric's units or %s=%s%% of the baseline's %s",
			item, strings.Join(percentKeys(), ", "), key, number, key, number, met.Label)
	case me.Unit == InMetricUnits && met.Percent:
		return MinEffect{}, fmt.Errorf("%q: %s is a share, compared in percentage points: add pp or %%, such as %s=%spp (%s as a fraction is %s points) or %s=10%% (a tenth of the baseline's %s)",
			item, key, key, strconv.FormatFloat(100*v, 'g', 6, 64), number, strconv.FormatFloat(100*v, 'g', 6, 64), key, met.Label)
	}
	return me, nil
}

// percentKeys are the compared metrics shown in percent.
func percentKeys() []string {
	var keys []string
	for _, k := range ComparedKeys() {
		if m, _ := comparedMetric(k); m.Percent {
			keys = append(keys, k)
		}
	}
	return keys
}

// CheckMinEffects returns an error if an effect names a metric that runs
// of m do not compare (see Unavailable): ROMI without the reruns of
// attribution, say.
func CheckMinEffects(effects []MinEffect, m *sim.Model, measuresCounterfactuals bool) error {
	for _, me := range effects {
		if why := Unavailable(me.Metric, m, measuresCounterfactuals); why != "" {
			return fmt.Errorf("%q: this run does not measure %s, %s", me.String(), me.Metric, why)
		}
	}
	return nil
}

// suggestMetric returns the hint for an unknown metric key: what a
// renamed metric is called now, or the nearest of keys.
func suggestMetric(key string, keys []string) string {
	if hint := RenamedHint(key); hint != "" {
		return hint
	}
	return text.DidYouMean(key, keys)
}
