package scenarios

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// fuzzSeeds are the built-in scenarios and bad snippets.
func fuzzSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	names := []string{"reference"}
	if infos, err := Builtins(); err == nil {
		names = names[:0]
		for _, in := range infos {
			names = append(names, in.Name)
		}
	} else {
		t.Logf("Builtins: %v; seeding with the reference scenario only", err)
	}
	for _, name := range names {
		if src, err := BuiltinSource(name); err == nil {
			seeds = append(seeds, src)
		}
	}
	base := []byte(baseSource(t))
	seeds = append(seeds, base)
	for _, e := range []edit{
		{"  seed: 7", "  sead: 7"},
		{"horizon: 20", "horizon: lots"},
		{"share: 0.4", "share: 0.3"},
		{`p: "0.5"`, `p: "1.5"`},
		{"channel: web, purchase", "channel: wbe, purchase"},
		{"to: shop", "to: shpo"},
		{`when: "tick % 7 == 0"`, `when: 'stage == "nosuch"'`},
		{`when: "tick % 7 == 0"`, `when: "incme > 0.5"`},
		{`when: "tick % 7 == 0"`, `when: "fatigue.nosuch > 1"`},
		{`when: "tick % 7 == 0"`, `when: 'contacts("email", 3) == 0'`},
		{`when: "tick % 7 == 0"`, `when: "tick % purchases == 0"`},
		{`p: "0.01 + 0.02 * income"`, `p: "0.01 + * income"`},
		{`when: "tick % 7 == 0"`, `when: "income * 2"`},
		{"channel: email}", "channel: web}"},
		{"channel: email}", "channel: push}"},
		{"  - name: base\n", "  - name: base\n    extends: more\n"},
		{"extends: base", "extends: nosuch"},
		{"run:\n", "run: [\n"},
		{"income: {uniform: [0, 1]}", "income: {beta: [0, 1], min: 2, max: 1}"},
		{"journey:\n", "journey: &j\n"},
		{"  nodes:\n", "  nodes: *j\n"},
		{"strategies:\n", "levers: {a: 1, b: {value: 0, cost_per_tick: 3}}\nstrategies:\n"},
		{"strategies:\n", "levers: {a: [1]}\nstrategies:\n"},
		{`p: "0.5"`, `p: 'lever["a"] * 0.5'`},
		{"strategies:\n", "levers: {a: {value: 1, cost_per_customer: 0.01, investments: [{name: x, amount: 500, tick: 3, life: 10}]}}\nstrategies:\n"},
		{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: 1000, tick: 2, life: 5}, {name: app, amount: 1e14}]\n"},
		{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: -1, tick: -2, life: 1.5}]\n"},
		{"    extends: base\n", "    extends: base\n    investments: {name: crm}\n"},
		{"  push: {kind", "  push: {cost_per_customer: 0.002, kind"},
		{"  push: {kind", "  push: {service_level_seconds: 30, noun: call, kind"},
		{"  push: {kind", "  push: {service_level_seconds: -1, noun: \"c@ll\", kind"},
		{"  push: {kind", "  push: {service_level_seconds: [20], noun: {one: call}, kind"},
	} {
		if strings.Contains(string(base), e.old) {
			seeds = append(seeds, []byte(strings.Replace(string(base), e.old, e.new, 1)))
		}
	}
	seeds = append(seeds, []byte(""), []byte("name: x"), []byte("name: &x [*x]"), []byte("- 1\n- 2\n"))
	// The hostile inputs the command's tests run (see testdata/hostile).
	hostile, _ := filepath.Glob("../testdata/hostile/*.yaml")
	if len(hostile) == 0 {
		t.Fatal("no hostile inputs in ../testdata/hostile")
	}
	for _, path := range hostile {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, src)
	}
	return seeds
}

// checkLoad loads src and, if it loads, runs a small simulation of it. It
// fails on a panic, on an error that is not an ErrorList, and on an
// ErrorList entry without a message.
func checkLoad(t *testing.T, src []byte) {
	sc, err := Load("fuzz.yaml", src)
	if err != nil {
		if sc != nil {
			t.Fatalf("Load returned a model and an error: %v", err)
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error %v (%T) is not an ErrorList", err, err)
		}
		if len(list) == 0 {
			t.Fatal("empty ErrorList")
		}
		for _, e := range list {
			if e == nil || strings.TrimSpace(e.Message) == "" {
				t.Fatalf("entry without a message in %v", err)
			}
			if e.File != "fuzz.yaml" {
				t.Fatalf("entry %v does not name the file", e)
			}
			if e.Line < 0 || e.Column < 0 {
				t.Fatalf("entry %v has a negative position", e)
			}
		}
		return
	}
	m := sc.Model
	if m == nil {
		t.Fatal("Load returned neither a model nor an error")
	}
	m.Horizon = min(m.Horizon, 30)
	m.Population.Size = min(m.Population.Size, 50)
	m.Replications = 1
	if len(m.Strategies) > 4 {
		m.Strategies = m.Strategies[:4]
	}
	res, err := sim.Run(context.Background(), m, sim.Options{Workers: 2})
	if err != nil {
		// A run-time error is allowed; it must say something.
		if err.Error() == "" {
			t.Fatal("run failed with an empty message")
		}
		return
	}
	if len(res.Seeds) != 1 || len(res.Totals) != len(m.Strategies) {
		t.Fatalf("run kept %d replications for %d strategies", len(res.Seeds), len(res.Totals))
	}
}

// FuzzLoad: Load never panics; it returns a model or an ErrorList whose
// every entry has a message; a model that loads runs without panicking.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 64<<10 {
			t.Skip("too big to be useful")
		}
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		checkLoad(t, src)
	})
}

// The seeds on their own, so that `go test` exercises them without -fuzz;
// a seed that panics fails.
func TestLoadSeedsNoPanic(t *testing.T) {
	var bugs []string
	for _, s := range fuzzSeeds(t) {
		func() {
			defer func() {
				if p := recover(); p != nil {
					bugs = append(bugs, truncate(string(s), 120)+": "+strings.SplitN(strings.TrimSpace(toString(p)), "\n", 2)[0])
				}
			}()
			checkLoad(t, s)
		}()
	}
	if len(bugs) > 0 {
		t.Errorf("%d inputs panic in Load or Run:\n%s", len(bugs), strings.Join(bugs, "\n"))
	}
}

func toString(p any) string {
	if err, ok := p.(error); ok {
		return err.Error()
	}
	if s, ok := p.(string); ok {
		return s
	}
	return "panic"
}
