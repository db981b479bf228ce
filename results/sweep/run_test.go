package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// fakeUnits runs units of testManifest without simulating: unit u gives
// unitRows of its point and replication. It records the units it ran.
type fakeUnits struct {
	mu   sync.Mutex
	ran  []int
	fail map[int]error
}

func (f *fakeUnits) run(ctx context.Context, u int) ([]Row, error) {
	f.mu.Lock()
	f.ran = append(f.ran, u)
	err := f.fail[u]
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return unitRows(u/2, u%2), nil
}

// progressLog records Run's progress calls as "done/total".
type progressLog struct {
	calls []string
	then  func(done, total int)
}

func (p *progressLog) update(done, total int) {
	p.calls = append(p.calls, fmt.Sprintf("%d/%d", done, total))
	if p.then != nil {
		p.then(done, total)
	}
}

func newJournal(t *testing.T) (*Journal, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	j, err := Create(dir, testManifest(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j, dir
}

var order = []int{5, 0, 3, 1, 4, 2}

// Every unit is run once and appended whole, whatever the number of
// workers; progress counts them one by one, and the closed folder is
// complete.
func TestRunAppendsEveryUnit(t *testing.T) {
	for _, workers := range []int{0, 1, 3} {
		j, dir := newJournal(t)
		var f fakeUnits
		var p progressLog
		if err := Run(context.Background(), j, order, RunOptions{Workers: workers, Progress: p.update}, f.run); err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if got := slices.Sorted(slices.Values(f.ran)); !slices.Equal(got, []int{0, 1, 2, 3, 4, 5}) {
			t.Errorf("%d workers: ran %v; want each unit once", workers, f.ran)
		}
		if want := []string{"0/6", "1/6", "2/6", "3/6", "4/6", "5/6", "6/6"}; !slices.Equal(p.calls, want) {
			t.Errorf("%d workers: progress %v; want %v", workers, p.calls, want)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
		m, err := ReadManifest(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !m.Complete || m.Done != 6 {
			t.Errorf("%d workers: manifest done %d, complete %v; want 6 and complete", workers, m.Done, m.Complete)
		}
	}
}

// With one worker the units run in the order given.
func TestRunInOrder(t *testing.T) {
	j, _ := newJournal(t)
	var f fakeUnits
	if err := Run(context.Background(), j, order, RunOptions{Workers: 1}, f.run); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.ran, order) {
		t.Errorf("ran %v; want %v", f.ran, order)
	}
}

// Units the journal holds are not run again, and count as done from the
// first progress call.
func TestRunSkipsDone(t *testing.T) {
	j, _ := newJournal(t)
	for _, u := range []int{5, 3} {
		if err := j.Append(unitRows(u/2, u%2)); err != nil {
			t.Fatal(err)
		}
	}
	var f fakeUnits
	var p progressLog
	if err := Run(context.Background(), j, order, RunOptions{Workers: 2, Progress: p.update}, f.run); err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(f.ran)); !slices.Equal(got, []int{0, 1, 2, 4}) {
		t.Errorf("ran %v; want the units not yet done, 0, 1, 2 and 4", f.ran)
	}
	if len(p.calls) != 5 || p.calls[0] != "2/6" || p.calls[4] != "6/6" {
		t.Errorf("progress %v; want 2/6 to 6/6", p.calls)
	}
	// Nothing left: nothing runs, and the sweep is complete even under a
	// cancelled context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.ran = nil
	if err := Run(ctx, j, order, RunOptions{}, f.run); err != nil || len(f.ran) > 0 {
		t.Errorf("all done: error %v, ran %v; want nil and none", err, f.ran)
	}
}

// The first unit that fails stops the sweep and its error is returned;
// the units appended before it are kept, and no unit starts after it.
func TestRunStopsAtFirstError(t *testing.T) {
	j, dir := newJournal(t)
	bad := errors.New("unit 3 fails")
	f := fakeUnits{fail: map[int]error{3: bad}}
	err := Run(context.Background(), j, order, RunOptions{Workers: 1}, f.run)
	if !errors.Is(err, bad) {
		t.Fatalf("error %v; want %v", err, bad)
	}
	if !slices.Equal(f.ran, []int{5, 0, 3}) {
		t.Errorf("ran %v; want 5, 0 and 3, then nothing", f.ran)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	kept := heldUnits(t, dir)
	if !slices.Equal(kept, []int{0, 5}) {
		t.Errorf("folder holds units %v; want 0 and 5", kept)
	}
}

// Cancelling keeps the units appended, starts no other, and returns the
// context's error; a resume runs the rest.
func TestRunCancelKeepsAppended(t *testing.T) {
	j, dir := newJournal(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := progressLog{then: func(done, _ int) {
		if done == 2 {
			cancel()
		}
	}}
	var f fakeUnits
	err := Run(ctx, j, order, RunOptions{Workers: 1, Progress: p.update}, f.run)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v; want %v", err, context.Canceled)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if kept := heldUnits(t, dir); !slices.Equal(kept, []int{0, 5}) {
		t.Errorf("folder holds units %v; want the first two run, 0 and 5", kept)
	}
	j, err = Resume(dir, testManifest(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.ran = nil
	if err := Run(context.Background(), j, order, RunOptions{Workers: 1}, f.run); err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 1, 4, 2}; !slices.Equal(f.ran, want) {
		t.Errorf("resume ran %v; want %v", f.ran, want)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if kept := heldUnits(t, dir); len(kept) != 6 {
		t.Errorf("resumed folder holds units %v; want all 6", kept)
	}
}

// A sweep cancelled once its last unit is in is complete: no error.
func TestRunCancelledAfterLast(t *testing.T) {
	j, _ := newJournal(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := progressLog{then: func(done, total int) {
		if done == total {
			cancel()
		}
	}}
	var f fakeUnits
	if err := Run(ctx, j, order, RunOptions{Workers: 2, Progress: p.update}, f.run); err != nil {
		t.Errorf("error %v; want nil, every unit being in", err)
	}
}

// A journal that cannot be appended to stops the sweep with a
// *WriteError that names runs.csv and gives the system's reason alone;
// nothing more is appended, and the folder, closed, records the runs it
// holds and resumes.
func TestRunAppendFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		// file replaces the journal's open file; the error it gives.
		file func(t *testing.T) *os.File
		want error
	}{
		{"closed file", func(t *testing.T) *os.File {
			f, err := os.CreateTemp(t.TempDir(), "closed")
			if err != nil {
				t.Fatal(err)
			}
			f.Close()
			return f
		}, os.ErrClosed},
		{"full disk", func(t *testing.T) *os.File {
			f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
			if err != nil {
				t.Skipf("no /dev/full to stand for a full disk: %v", err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		}, syscall.ENOSPC},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, dir := newJournal(t)
			var f fakeUnits
			var p progressLog
			p.then = func(done, _ int) {
				if done == 2 {
					j.f.Close()
					j.f = tc.file(t)
				}
			}
			err := Run(context.Background(), j, order, RunOptions{Workers: 1, Progress: p.update}, f.run)
			var we *WriteError
			if !errors.As(err, &we) || !errors.Is(err, tc.want) {
				t.Fatalf("error %v; want a *WriteError of %v", err, tc.want)
			}
			if want := "write " + filepath.Join(dir, RunsFile) + ": " + tc.want.Error(); err.Error() != want {
				t.Errorf("error %q; want %q", err, want)
			}
			if !slices.Equal(p.calls, []string{"0/6", "1/6", "2/6"}) {
				t.Errorf("progress %v; want 0/6 to 2/6", p.calls)
			}
			if err := j.Append(unitRows(0, 1)); err != we {
				t.Errorf("append after the failure: %v; want the failure again", err)
			}
			j.f, _ = os.Open(os.DevNull) // the failed file stays behind; Close closes this one
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
			if m, err := ReadManifest(dir); err != nil || m.Done != 2 || m.Complete {
				t.Errorf("manifest %+v, %v; want 2 runs done, not complete", m, err)
			}
			j, err = Resume(dir, testManifest(), nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer j.f.Close()
			if j.Count() != 2 {
				t.Errorf("resumed with %d runs; want 2", j.Count())
			}
		})
	}
}

// Select keeps the shard's units in their order; the shards of a set
// partition the units.
func TestShardSelect(t *testing.T) {
	var all []int
	for i := range 3 {
		got := Shard{Index: i, Count: 3}.Select(order)
		for _, u := range got {
			if u%3 != i {
				t.Errorf("shard %d/3 selects unit %d", i, u)
			}
		}
		all = append(all, got...)
	}
	if !slices.Equal(slices.Sorted(slices.Values(all)), []int{0, 1, 2, 3, 4, 5}) {
		t.Errorf("shards select %v together; want every unit once", all)
	}
	if got := (Shard{Count: 1}).Select(order); !slices.Equal(got, order) {
		t.Errorf("the whole selects %v; want %v", got, order)
	}
}

// A sweep records the metrics a run measures without reruns, with their
// directions, and computes them as results does.
func TestOutcomeCatalogue(t *testing.T) {
	m := &sim.Model{Name: "plain"}
	keys, headline := Recordable(m)
	for _, met := range results.Metrics {
		usable := results.Unavailable(met.Key, m, false) == ""
		if slices.Contains(keys, met.Key) != usable {
			t.Errorf("%s recordable: %v; want %v", met.Key, !usable, usable)
		}
		if slices.Contains(headline, met.Key) != (usable && met.Headline) {
			t.Errorf("%s headline: %v; want %v", met.Key, !(usable && met.Headline), usable && met.Headline)
		}
	}
	if !slices.Contains(keys, "revenue") || slices.Contains(keys, "romi") || slices.Contains(keys, "share_of_wallet") {
		t.Errorf("recordable %v; want revenue and neither romi nor share_of_wallet", keys)
	}
	got := OutcomesOf([]string{"revenue", "churn_rate", "nonsense"})
	want := []Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}, {Key: "nonsense"}}
	if !slices.Equal(got, want) {
		t.Errorf("OutcomesOf: %v; want %v", got, want)
	}
	man := &Manifest{Outcomes: got}
	tot := &sim.Totals{Revenue: 1234.5, Customers: 10}
	values := man.OutcomeValues(tot, m)
	if len(values) != 3 || values[0] != results.Metrics[results.MetricIndex("revenue")].Value(tot, m) || values[0] == 0 || !math.IsNaN(values[2]) {
		t.Errorf("OutcomeValues: %v; want revenue's value, churn's and NaN", values)
	}
}

// heldUnits returns the units whose rows the runs table of dir holds,
// sorted.
func heldUnits(t *testing.T, dir string) []int {
	t.Helper()
	m := testManifest()
	tab, err := ReadRuns(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	var units []int
	for _, row := range tab.Rows {
		var p, r int
		fmt.Sscan(row[tab.Column("point")], &p)
		fmt.Sscan(row[tab.Column("replication")], &r)
		if u := p*m.Replications + r; !slices.Contains(units, u) {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	return units
}
