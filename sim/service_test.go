package sim_test

import (
	"math"
	"reflect"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// queued wraps a behaviour with a queue's answers drawn from each contact's
// second random draw u: below 0.2 the contact is neither queued nor staffed,
// up to 0.5 it is answered at once, up to 0.85 after waiting 4(u − 0.5)
// minutes, and above that the customer hangs up after u minutes. Answered
// contacts take 5 staff minutes. tally, when set, counts what it answered.
type queued struct {
	inner sim.Behaviour
	mu    *sync.Mutex
	tally *map[string]*sim.ChannelTotals
	// within is the service level's threshold in seconds, for the tally.
	within float64
}

func (q queued) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	if err := q.inner.Respond(b, out); err != nil {
		return err
	}
	var mine sim.ChannelTotals
	for j := range b.Customer {
		u := b.Rand[j][1]
		switch {
		case u < 0.2:
			continue
		case u < 0.5:
			out.Minutes[j] = 5
		case u < 0.85:
			out.Wait[j] = 4 * (u - 0.5)
			out.Minutes[j] = 5
		default:
			out.Wait[j] = u
			out.Abandoned[j] = true
		}
		switch {
		case out.Abandoned[j]:
			mine.Abandoned++
		default:
			mine.Handled++
			mine.WaitMinutes += out.Wait[j]
			if 60*out.Wait[j] <= q.within {
				mine.AnsweredWithin++
			}
		}
	}
	if q.tally != nil {
		q.mu.Lock()
		t := (*q.tally)[b.Channel]
		if t == nil {
			t = &sim.ChannelTotals{}
			(*q.tally)[b.Channel] = t
		}
		t.Handled += mine.Handled
		t.Abandoned += mine.Abandoned
		t.AnsweredWithin += mine.AnsweredWithin
		t.WaitMinutes += mine.WaitMinutes
		q.mu.Unlock()
	}
	return nil
}

// queuedReference is the reference scenario with every outbound channel
// answered by queued, and a service level of 0.5 minutes (30 seconds).
func queuedReference(t *testing.T, size int, tally *map[string]*sim.ChannelTotals) *sim.Model {
	m := reference(t, size, 30)
	mu := &sync.Mutex{}
	for c := range m.Channels {
		ch := &m.Channels[c]
		ch.ServiceLevelSeconds = 30
		if ch.Behaviour != nil && ch.Direction == sim.Outbound {
			ch.Behaviour = queued{inner: ch.Behaviour, mu: mu, tally: tally, within: ch.ServiceLevelSeconds}
		}
	}
	return m
}

// Every answer's wait and hang-up reaches the channel's totals: handled,
// abandoned and answered within the service level count exactly what the
// behaviour answered, and handled plus abandoned never exceed the contacts.
func TestServiceTotals(t *testing.T) {
	tally := map[string]*sim.ChannelTotals{}
	m := queuedReference(t, 2000, &tally)
	m.Replications = 1
	m.Strategies = m.Strategies[:1]
	res := run(t, m, sim.Options{Workers: 3})
	tot := res.Totals[0][0]
	checked := 0
	for c, ch := range m.Channels {
		got := tot.Channels[c]
		if got.Handled+got.Abandoned > got.Contacts || got.AnsweredWithin > got.Handled || got.WaitMinutes < 0 {
			t.Errorf("channel %s: %d handled + %d abandoned of %d contacts, %d within the service level, %g minutes waited",
				ch.Name, got.Handled, got.Abandoned, got.Contacts, got.AnsweredWithin, got.WaitMinutes)
		}
		want := tally[ch.Name]
		if want == nil {
			if got.Handled != 0 || got.Abandoned != 0 || got.WaitMinutes != 0 {
				t.Errorf("channel %s answered no waits but has %+v", ch.Name, got)
			}
			continue
		}
		checked++
		if want.Handled == 0 || want.Abandoned == 0 || want.AnsweredWithin == want.Handled || want.AnsweredWithin == 0 {
			t.Fatalf("channel %s: the behaviour answered %+v; the test needs handled, abandoned, and waits both within and beyond the service level", ch.Name, *want)
		}
		if got.Handled != want.Handled || got.Abandoned != want.Abandoned || got.AnsweredWithin != want.AnsweredWithin ||
			math.Abs(got.WaitMinutes-want.WaitMinutes) > 1e-9*want.WaitMinutes {
			t.Errorf("channel %s: totals handled %d abandoned %d within %d waited %g; the behaviour answered %d, %d, %d, %g",
				ch.Name, got.Handled, got.Abandoned, got.AnsweredWithin, got.WaitMinutes, want.Handled, want.Abandoned, want.AnsweredWithin, want.WaitMinutes)
		}
		if got.Handled+got.Abandoned == got.Contacts {
			t.Errorf("channel %s: every contact counted as queued, but a fifth are neither queued nor staffed", ch.Name)
		}
	}
	if checked == 0 {
		t.Fatal("no channel answered waits")
	}
}

// The service totals, like every total, do not depend on the number of
// workers nor on whether contacts come in chunks or pooled, and the
// chunks' totals add up to the whole.
func TestServiceTotalsIndependentOfWorkers(t *testing.T) {
	defer sim.SetPoolChunks(2)()
	const size = sim.ChunkSize*3 + 211
	m := queuedReference(t, size, nil)
	m.Replications = 2
	base := run(t, m, sim.Options{Workers: 1})
	var handled int64
	for _, reps := range base.Totals {
		for _, tot := range reps {
			for _, ch := range tot.Channels {
				handled += ch.Handled + ch.Abandoned
			}
		}
	}
	if handled == 0 {
		t.Fatal("no contact queued: the test would prove nothing")
	}
	for _, workers := range []int{2, 5} {
		if res := run(t, m, sim.Options{Workers: workers}); !reflect.DeepEqual(res.Totals, base.Totals) {
			t.Errorf("%d workers: totals differ from 1 worker", workers)
		}
	}
	var mu sync.Mutex
	var calls []poolCall
	pm := queuedReference(t, size, nil)
	pm.Replications = 2
	for c := range pm.Channels {
		if pm.Channels[c].Behaviour != nil {
			pm.Channels[c].Behaviour = pooledBehaviour{inner: pm.Channels[c].Behaviour, mu: &mu, calls: &calls}
		}
	}
	if res := run(t, pm, sim.Options{Workers: 3}); !reflect.DeepEqual(res.Totals, base.Totals) {
		t.Error("pooled: totals differ from the run in chunks")
	}
}

// Adding chunks' totals adds their service outcomes.
func TestServiceTotalsAdd(t *testing.T) {
	a := sim.Totals{Channels: []sim.ChannelTotals{{Contacts: 10, Handled: 6, Abandoned: 2, AnsweredWithin: 4, WaitMinutes: 3.5, Minutes: 30}}}
	b := sim.Totals{Channels: []sim.ChannelTotals{{Contacts: 5, Handled: 3, Abandoned: 1, AnsweredWithin: 1, WaitMinutes: 2, Minutes: 12}}}
	var sum sim.Totals
	sum.Add(&a)
	sum.Add(&b)
	want := sim.ChannelTotals{Contacts: 15, Handled: 9, Abandoned: 3, AnsweredWithin: 5, WaitMinutes: 5.5, Minutes: 42}
	if sum.Channels[0] != want {
		t.Errorf("sum %+v, want %+v", sum.Channels[0], want)
	}
}
