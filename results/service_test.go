package results_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

func channelMetric(t *testing.T, key string) results.ChannelMetric {
	t.Helper()
	k := slices.IndexFunc(results.ChannelMetrics, func(m results.ChannelMetric) bool { return m.Key == key })
	if k < 0 {
		t.Fatalf("no channel metric %s", key)
	}
	return results.ChannelMetrics[k]
}

// The service outcomes of docs/metrics.md's worked example, by hand: 1,000
// calls, 900 answered after 450 minutes of waiting in all (600 within the
// threshold) and 6,300 operator minutes, 100 abandoned.
func TestServiceMetricsByHand(t *testing.T) {
	c := &sim.ChannelTotals{Contacts: 1000, Responses: 900, Minutes: 6300,
		Handled: 900, Abandoned: 100, WaitMinutes: 450, AnsweredWithin: 600}
	for _, tc := range []struct {
		key  string
		want float64
	}{
		{"staff_minutes", 6300},
		{"handled", 900},
		{"minutes_per_handled", 7},              // 6,300 ÷ 900
		{"abandoned_share", 0.1},                // 100 ÷ (900 + 100)
		{"average_speed_of_answer_seconds", 30}, // 60 × 450 ÷ 900
		{"service_level", 0.6},                  // 600 ÷ (900 + 100)
	} {
		if got := channelMetric(t, tc.key).Value(c, 1); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", tc.key, got, tc.want)
		}
	}
	// Some contacts neither queued nor took staff time: the shares are of
	// the contacts offered to staff, not of all contacts.
	c = &sim.ChannelTotals{Contacts: 50, Minutes: 12, Handled: 3, Abandoned: 1, WaitMinutes: 1.5, AnsweredWithin: 2}
	for _, tc := range []struct {
		key  string
		want float64
	}{
		{"handled", 3},
		{"minutes_per_handled", 4},
		{"abandoned_share", 0.25},
		{"average_speed_of_answer_seconds", 30},
		{"service_level", 0.5},
	} {
		if got := channelMetric(t, tc.key).Value(c, 1); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("partly queued: %s = %v, want %v", tc.key, got, tc.want)
		}
	}
}

// A channel without staff has no service outcomes: each is undefined, so
// that tables leave the columns out; a channel whose every contact hung up
// has an abandoned share of 1 and a service level of 0, and no handle time
// or speed of answer.
func TestServiceMetricsUndefined(t *testing.T) {
	service := []string{"handled", "minutes_per_handled", "abandoned_share", "average_speed_of_answer_seconds", "service_level"}
	email := &sim.ChannelTotals{Contacts: 400, Responses: 30, Cost: 4}
	for _, key := range service {
		if v := channelMetric(t, key).Value(email, 1); !math.IsNaN(v) {
			t.Errorf("%s = %v on a channel without staff, want NaN", key, v)
		}
	}
	if results.Staffed(email) {
		t.Error("a channel without staff minutes or queued contacts counts as staffed")
	}
	gaveUp := &sim.ChannelTotals{Contacts: 10, Abandoned: 10}
	if !results.Staffed(gaveUp) {
		t.Error("a channel whose callers all hung up counts as without staff")
	}
	for key, want := range map[string]float64{"handled": 0, "abandoned_share": 1, "service_level": 0} {
		if v := channelMetric(t, key).Value(gaveUp, 1); v != want {
			t.Errorf("all abandoned: %s = %v, want %v", key, v, want)
		}
	}
	for _, key := range []string{"minutes_per_handled", "average_speed_of_answer_seconds"} {
		if v := channelMetric(t, key).Value(gaveUp, 1); !math.IsNaN(v) {
			t.Errorf("all abandoned: %s = %v, want NaN", key, v)
		}
	}
}

// Column names carry the unit once: the service outcomes' keys name their
// unit already.
func TestServiceColumnNames(t *testing.T) {
	for key, want := range map[string]string{
		"minutes_per_handled":                             "minutes_per_handled",
		"average_speed_of_answer_seconds":                 "average_speed_of_answer_seconds",
		"channel__phone__average_speed_of_answer_seconds": "channel__phone__average_speed_of_answer_seconds",
		"channel__phone__minutes_per_handled":             "channel__phone__minutes_per_handled",
		"staff_minutes":                                   "staff_minutes",
	} {
		m := channelMetricUnit(t, key)
		if got := results.ColumnName(key, m, "EUR"); got != want {
			t.Errorf("column of %s: %s, want %s", key, got, want)
		}
	}
	if got := results.ColumnName("wait", results.UnitSeconds, "EUR"); got != "wait_seconds" {
		t.Errorf("column of wait in seconds: %s", got)
	}
}

func channelMetricUnit(t *testing.T, key string) string {
	if i := strings.LastIndex(key, "__"); i >= 0 {
		key = key[i+2:]
	}
	return channelMetric(t, key).Unit
}

// A summary's channel nouns name the channel in tables ("phone (calls)")
// and head the contacts column when every channel shares one; a summary
// saved without them, or before the service outcomes existed, reads back
// with contacts and the service outcomes as not measured.
func TestChannelNouns(t *testing.T) {
	s := &results.Summary{Channels: []string{"phone", "web"}, ChannelNouns: []string{"call", ""},
		Strategies: []results.StrategySummary{{On: []bool{true, false}}}}
	if got := s.ChannelLabel(0); got != "phone (calls)" {
		t.Errorf("label %q", got)
	}
	if got := s.ChannelLabel(1); got != "web" {
		t.Errorf("label %q", got)
	}
	if got := s.ContactsLabel(); got != "calls" {
		t.Errorf("contacts column %q with only the phone switched on", got)
	}
	s.Strategies[0].On[1] = true
	if got := s.ContactsLabel(); got != "contacts" {
		t.Errorf("contacts column %q with phone and web", got)
	}
	old := &results.Summary{Channels: []string{"email"}}
	if old.ChannelNoun(0) != "contact" || old.ChannelLabel(0) != "email" || old.ContactsLabel() != "contacts" {
		t.Errorf("without nouns: %q, %q, %q", old.ChannelNoun(0), old.ChannelLabel(0), old.ContactsLabel())
	}
}

// A summary saved before the service outcomes existed has fewer channel
// metrics per row; reading it back fills them in as not measured.
func TestOlderSummaryReadsServiceAsUnmeasured(t *testing.T) {
	old := len(results.ChannelMetrics) - 5
	row := make([]results.Estimate, old)
	for k := range row {
		row[k] = results.NewEstimate([]float64{float64(k)})
	}
	s := &results.Summary{Channels: []string{"email"}, Seeds: results.SeedList{1},
		Strategies: []results.StrategySummary{{Name: "a", Channels: [][]results.Estimate{row}, On: []bool{true}}}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	got := s.Strategies[0].Channels[0]
	if len(got) != len(results.ChannelMetrics) {
		t.Fatalf("%d channel metrics after reading, want %d", len(got), len(results.ChannelMetrics))
	}
	for k := old; k < len(got); k++ {
		if !math.IsNaN(got[k].Mean) || len(got[k].Values) != 1 {
			t.Errorf("metric %s of an older summary reads %+v, want not measured", results.ChannelMetrics[k].Key, got[k])
		}
	}
	s.Strategies[0].Channels[0] = append(got, results.Estimate{})
	if err := s.Validate(); err == nil {
		t.Error("a row with more channel metrics than this version knows is accepted")
	}
}
