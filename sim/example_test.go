package sim_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// Run simulates every strategy of a model over its replications. Options
// change how, never what: the same model and seed give the same totals
// whatever the number of workers.
func ExampleRun() {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := sc.Model
	m.Population.Size, m.Horizon, m.Replications, m.Seed = 2000, 60, 2, 7

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var last int64
	res, err := sim.Run(ctx, m, sim.Options{
		Workers:    2,
		Strategies: []int{m.StrategyIndex("email_1pw"), m.StrategyIndex("email_7pw")},
		Progress:   func(done, total int64) { last = done },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("customer-ticks:", res.CustomerTicks, "reported:", last)
	for k, st := range res.Strategies {
		contacts := int64(0)
		for _, tot := range res.Totals[k] { // one Totals per replication
			contacts += tot.Contacts
		}
		fmt.Printf("%s: %d replications, %.1f contacts per customer\n",
			m.Strategies[st].Name, len(res.Totals[k]), float64(contacts)/float64(len(res.Seeds)*m.Population.Size))
	}

	// A cancelled run keeps the replications it completed.
	cancel()
	res, err = sim.Run(ctx, m, sim.Options{})
	fmt.Println("cancelled:", errors.Is(err, context.Canceled), res.Interrupted, len(res.Seeds))
	// Output:
	// customer-ticks: 480000 reported: 480000
	// email_1pw: 2 replications, 8.9 contacts per customer
	// email_7pw: 2 replications, 54.1 contacts per customer
	// cancelled: true true 0
}
