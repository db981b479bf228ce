package charts

import (
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
)

// KeyChartName is the name of the lesson's one chart, shown under the key
// results, of the charts called names of a run whose summary is sum. The
// rule:
//
//  1. a scenario that models word of mouth: the adoption curves
//     (AdoptionChart), the S-curves its lesson is about;
//  2. otherwise the chart of the first key outcome that has one: for a
//     measure of the business case (payback, npv, incremental_…), the
//     cumulative extra cash (BusinessChart); for a metric KEY,
//     outcome-KEY; for a channel's outcome channel.CHANNEL.METRIC,
//     channels-METRIC;
//  3. otherwise the profit by strategy (outcome-profit);
//  4. otherwise none.
func KeyChartName(sum *results.Summary, names []string) string {
	has := func(name string) bool { return slices.Contains(names, name) }
	if has(AdoptionChart) {
		return AdoptionChart
	}
	for _, kr := range sum.Key {
		name := "outcome-" + kr.Name
		switch {
		case kr.Business:
			name = BusinessChart
		case strings.HasPrefix(kr.Name, "channel."):
			if o, ok := results.SplitChannelOutcome(kr.Name); ok && o.Index() >= 0 {
				name = "channels-" + results.ChannelMetrics[o.Index()].Key
			}
		}
		if has(name) {
			return name
		}
	}
	if has("outcome-profit") {
		return "outcome-profit"
	}
	return ""
}
