package scn

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

func TestScenario(t *testing.T) {
	path := os.Getenv("SCN")
	if path == "" {
		path = "../scenarios/retail-omnichannel.yaml"
	}
	m, err := scenarios.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// report non-native expressions
	for _, st := range m.Strategies {
		for _, tr := range st.Triggers {
			if !tr.When.Native {
				fmt.Println("NOT NATIVE trigger", st.Name, tr.Name, tr.When.Source)
			}
		}
	}
	for _, n := range m.Nodes {
		for _, e := range append(append([]sim.Edge{}, n.Edges...), n.ResponseEdges...) {
			if !e.P.Native {
				fmt.Println("NOT NATIVE edge", n.Name, e.P.Source)
			}
		}
	}
	seeds := []uint64{m.Seed}
	if s := os.Getenv("SEEDS"); s != "" {
		seeds = nil
		for _, x := range strings.Split(s, ",") {
			v, _ := strconv.ParseUint(x, 10, 64)
			seeds = append(seeds, v)
		}
	}
	if os.Getenv("POP") != "" {
		m.Population.Size, _ = strconv.Atoi(os.Getenv("POP"))
	}
	for _, seed := range seeds {
		m.Seed = seed
		start := time.Now()
		res, err := sim.Run(context.Background(), m, sim.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		el := time.Since(start)
		fmt.Printf("== %s seed %d: %d customer-ticks in %v (1 core)\n", m.Name, seed, res.CustomerTicks, el.Round(time.Millisecond))
		fmt.Printf("%-18s %9s %9s %7s %8s %7s %6s %6s %6s %6s %6s %6s %6s %6s %5s %5s %7s\n", "strategy", "revenue", "profit", "ROI", "purch", "buyers", "contct", "resp", "optout", "churn", "loyal", "NPS", "switch", "leaks", "CSAT", "CES", "referral")
		for k, tt := range res.Totals {
			for _, x := range tt {
				n := float64(x.Customers)
				cost := x.ContactCost + x.ChannelCost + x.Discount
				profit := x.GrossMargin - x.Discount - x.ContactCost - x.ChannelCost
				fmt.Printf("%-18s %9.0f %9.0f %7.2f %8d %6.1f%% %6.1f %6.2f %5.1f%% %5.1f%% %6.3f %6.1f %6d %6d %5.2f %5.2f %7d\n",
					m.Strategies[res.Strategies[k]].Name, x.Revenue, profit, profit/cost, x.Purchases,
					100*float64(x.Buyers)/n, float64(x.Contacts)/n, float64(x.Responses)/n,
					100*float64(x.OptedOut)/n, 100*float64(x.Churned)/n, x.Loyalty/n,
					100*float64(x.Promoters-x.Detractors)/n, x.Switches, x.Leaks,
					x.CSAT/float64(max(1, x.CSATCount)), x.CES/float64(max(1, x.CESCount)), x.Referrals)
				if os.Getenv("CH") != "" {
					for c, ch := range x.Channels {
						fmt.Printf("    %-14s contacts %8d resp %7d visits %8d purch %7d optouts %6d rev %10.0f cost %9.0f\n", m.Channels[c].Name, ch.Contacts, ch.Responses, ch.Visits, ch.Purchases, ch.OptOuts, ch.Revenue, ch.Cost)
					}
				}
			}
		}
	}
}
