package sweep

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// staffedAnswers answers a channel like a contact centre: every contact
// waits (its second draw, in minutes), one in four hangs up, the others
// take 6 staff minutes.
type staffedAnswers struct{}

func (staffedAnswers) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	for j := range b.Customer {
		out.Wait[j] = b.Rand[j][1]
		if b.Rand[j][0] < 0.25 {
			out.Abandoned[j] = true
			continue
		}
		out.Responded[j] = true
		out.Minutes[j] = 6
	}
	return nil
}

// The service outcomes are sweep outcomes like any channel metric: an
// experiment may record channel.CHANNEL.abandoned_share and the others,
// each in a column named with its unit once, and a sweep's run records
// what journeysim run reports for the channel; a channel without staff
// records them as not measured.
func TestServiceOutcomes(t *testing.T) {
	m := emailPressure(t, 300, 20)
	m.Seed, m.Replications = 5, 1
	email := slices.IndexFunc(m.Channels, func(c sim.Channel) bool { return c.Name == "email" })
	m.Channels[email].Behaviour = staffedAnswers{}
	m.Channels[email].ServiceLevelSeconds = 20
	service := []string{"handled", "minutes_per_handled", "abandoned_share", "average_speed_of_answer_seconds", "service_level"}
	var keys []string
	for _, key := range service {
		keys = append(keys, "channel.email."+key)
		if err := CheckOutcome(m, "channel.email."+key, false); err != nil {
			t.Errorf("outcome channel.email.%s refused: %v", key, err)
		}
	}
	keys = append(keys, "channel.web.handled")
	man := testManifest()
	man.Outcomes = OutcomesOf(keys)
	cols := man.namedColumns()[len(identityColumns)+len(man.Params):]
	wantCols := []string{"channel__email__handled", "channel__email__minutes_per_handled", "channel__email__abandoned_share",
		"channel__email__average_speed_of_answer_seconds", "channel__email__service_level_share", "channel__web__handled"}
	for k, want := range wantCols {
		if cols[k].Name != want {
			t.Errorf("outcome %s: column %s, want %s", keys[k], cols[k].Name, want)
		}
	}
	if f := FormatOutcome("channel.email.abandoned_share", "EUR", 0.1); f.Heading() != "email: abandoned (%)" || f.Value(0.125) != "12.5%" {
		t.Errorf("abandoned share heads %q and reads %q", f.Heading(), f.Value(0.125))
	}

	strategies := []int{0}
	res, err := sim.Run(context.Background(), m, sim.Options{Workers: 2, Strategies: strategies})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := results.Summarize(res, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tot := res.Totals[0][0].Channels[email]
	if tot.Handled == 0 || tot.Abandoned == 0 || tot.AnsweredWithin == 0 || tot.AnsweredWithin == tot.Handled {
		t.Fatalf("email totals %+v: the test needs handled and abandoned contacts, and waits on both sides of 20 seconds", tot)
	}
	got := man.RunOutcomes(res, nil, 0)
	web := slices.Index(sum.Channels, "web")
	for k, key := range service {
		want := sum.Strategies[0].Channels[email][results.ChannelMetricIndex(key)].Mean
		if got[k] != want || math.IsNaN(want) {
			t.Errorf("channel.email.%s recorded %v; run reports %v", key, got[k], want)
		}
	}
	if v := got[len(service)]; !math.IsNaN(v) || !math.IsNaN(sum.Strategies[0].Channels[web][results.ChannelMetricIndex("handled")].Mean) {
		t.Errorf("channel.web.handled recorded %v on a channel without staff; want not measured", v)
	}
	want := float64(tot.Abandoned) / float64(tot.Handled+tot.Abandoned)
	if math.Abs(got[2]-want) > 1e-15 {
		t.Errorf("abandoned share %v, want %v", got[2], want)
	}
}
