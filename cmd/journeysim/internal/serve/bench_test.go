package serve

import (
	"context"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

// BenchmarkLessonRerun is what a class page waits for when a control
// moves: a rerun of each built-in lesson (that needs no plugin) at the
// page's default 5,000 customers, the baseline and one other strategy,
// with its key results and chart. docs/serve.md quotes it:
//
//	go test -run '^$' -bench BenchmarkLessonRerun -benchtime 3x ./cmd/journeysim/internal/serve
func BenchmarkLessonRerun(b *testing.B) {
	infos, err := scenarios.Builtins()
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range infos {
		if in.Lesson == "" || len(in.Plugins) > 0 {
			continue
		}
		b.Run(in.Name, func(b *testing.B) {
			s := newTestServer(b, in.Name)
			l := s.lessons[in.Name]
			m := l.Scenario.Model
			plan := runPlan{strategy: m.Strategies[len(m.Strategies)-1].Name, customers: min(DefaultCustomers, m.Population.Size), horizon: m.Horizon}
			s.cfg.Workers = defaultWorkers()
			b.ResetTimer()
			for b.Loop() {
				p, err := prepare(l, plan)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.execute(context.Background(), p, func(float64) {}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
