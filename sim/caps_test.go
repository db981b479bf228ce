package sim_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

type capConfig struct {
	channel string // "" for all channels
	max     int
	window  int
}

// A frequency cap is never exceeded, per channel or across channels, and no
// customer gets more than per_tick contacts in a tick: a property test over
// random strategies.
func TestCapsNeverExceeded(t *testing.T) {
	channels := []string{"email", "push", "sms"}
	conditions := []string{"true", "tick % 2 == 0", "tick % 3 != 1", "fatigue.email < 2",
		`contacts("push", 5) < 3 && tick >= 0`, "contacts_all(10) < 6 + tick * 0", "tick > 20"}
	const size, horizon = 30, 90
	rng := rand.New(rand.NewPCG(1, 2))
	configs := 80
	if testing.Short() {
		configs = 20
	}
	sameChannelTwice, knownBug, binding := 0, "", 0
	for cfg := range configs {
		var b strings.Builder
		perTick := 1 + rng.IntN(3)
		fmt.Fprintf(&b, "name: s\nper_tick: %d\ncaps:\n", perTick)
		var caps []capConfig
		for range 1 + rng.IntN(3) {
			cp := capConfig{max: rng.IntN(5), window: 1 + rng.IntN(20)}
			if rng.IntN(8) == 0 {
				cp.window = 40 + rng.IntN(25) // up to MaxWindow
			}
			if k := rng.IntN(4); k < 3 {
				cp.channel = channels[k]
				fmt.Fprintf(&b, "  - {channel: %s, max: %d, window: %d}\n", cp.channel, cp.max, cp.window)
			} else {
				fmt.Fprintf(&b, "  - {max: %d, window: %d}\n", cp.max, cp.window)
			}
			caps = append(caps, cp)
		}
		if rng.IntN(3) == 0 {
			b.WriteString("quiet: \"tick % 5 == 4\"\n")
		}
		b.WriteString("triggers:\n")
		used := map[string]int{}
		for k := range 1 + rng.IntN(4) {
			ch := channels[rng.IntN(3)]
			used[ch]++
			fmt.Fprintf(&b, "  - {name: t%d, when: '%s', channel: %s, priority: %d, cooldown: %d, delay: %d}\n",
				k, conditions[rng.IntN(len(conditions))], ch, rng.IntN(4), rng.IntN(3), rng.IntN(3))
		}
		dup := false
		for _, n := range used {
			if n > 1 && perTick > 1 {
				dup = true
			}
		}
		if dup {
			sameChannelTwice++
		}
		strategy := b.String()
		m := load(t, triggerScenario(size, horizon, "", strategy, ""))
		contacts := record(m)
		res := run(t, m, sim.Options{Workers: 2})
		log := contacts()
		if got := res.Totals[0][0].Contacts; got != int64(len(log)) {
			t.Fatalf("config %d: Totals.Contacts = %d but the behaviours saw %d", cfg, got, len(log))
		}
	customers:
		for cu, cs := range byCustomer(log) {
			// counts[ch][tick]; ch 3 is all channels.
			var counts [4][horizon]int
			for _, c := range cs {
				for k, name := range channels {
					if c.Channel == name {
						counts[k][c.Tick]++
					}
				}
				counts[3][c.Tick]++
			}
			for tick := range horizon {
				if counts[3][tick] > perTick {
					t.Fatalf("config %d: customer %d got %d contacts at tick %d; per_tick %d\n%s",
						cfg, cu, counts[3][tick], tick, perTick, strategy)
				}
			}
			for _, cp := range caps {
				row := 3
				for k, name := range channels {
					if cp.channel == name {
						row = k
					}
				}
				for start := -cp.window + 1; start < horizon; start++ {
					n := 0
					for tick := max(0, start); tick < min(horizon, start+cp.window); tick++ {
						n += counts[row][tick]
					}
					if n == cp.max && n > 0 {
						binding++
					}
					if n > cp.max {
						msg := fmt.Sprintf("config %d: customer %d got %d contacts on %q in ticks %d to %d; cap %d in %d\n%s",
							cfg, cu, n, cp.channel, max(0, start), start+cp.window-1, cp.max, cp.window, strategy)
						if dup {
							// Explained by the bug TestCapCountsEveryContactInATick shows.
							knownBug = msg
							break customers
						}
						t.Fatal(msg)
					}
				}
			}
		}
	}
	if binding == 0 {
		t.Fatal("no cap was ever reached; the test proves nothing")
	}
	if sameChannelTwice == 0 {
		t.Log("no configuration had two triggers on one channel with per_tick > 1")
	}
	if knownBug != "" {
		t.Error("cap exceeded: " + knownBug)
	}
}

// Minimal reproduction of two contacts on one channel in one tick: a cap of
// 2 in 3 ticks must still hold.
func TestCapCountsEveryContactInATick(t *testing.T) {
	m := load(t, triggerScenario(1, 10, "", `name: s
per_tick: 2
caps: [{channel: email, max: 2, window: 3}]
triggers:
  - {name: a, when: "true", channel: email, priority: 2}
  - {name: b, when: "true", channel: email, priority: 1}`, ""))
	contacts := record(m)
	run(t, m, sim.Options{})
	var perTick [10]int
	for _, c := range contacts() {
		perTick[c.Tick]++
	}
	for start := 0; start+3 <= 10; start++ {
		if n := perTick[start] + perTick[start+1] + perTick[start+2]; n > 2 {
			t.Errorf("cap {channel: email, max: 2, window: 3} exceeded: %d contacts in ticks %d to %d (contacts per tick %v)", n, start, start+2, perTick)
		}
	}
}
