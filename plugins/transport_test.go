package plugins

import (
	"context"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// A batch sent through shared memory and one sent in the message get the
// same answers: a run gives the same totals in process and through the
// response plugin either way, and shared memory is used where it can be.
func TestTransportsAgree(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "response"), "./response").CombinedOutput(); err != nil {
		t.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	load := func(host *Host) *sim.Model {
		sc, err := scenarios.Builtin("reference")
		if err != nil {
			t.Fatal(err)
		}
		m := sc.Model
		m.Population.Size, m.Horizon = 3*sim.ChunkSize+100, 40
		if host == nil {
			return m
		}
		for c := range m.Channels {
			ch := &m.Channels[c]
			if ch.Direction == sim.Outbound {
				if ch.Behaviour, err = host.Configure("response", ch.Name, ch.BehaviourParams, nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		return m
	}
	run := func(m *sim.Model) *sim.Result {
		res, err := sim.Run(context.Background(), m, sim.Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want := run(load(nil))
	for _, noShared := range []bool{false, true} {
		host := &Host{Dirs: []string{dir}, NoSharedMemory: noShared}
		m := load(host)
		got := run(m)
		if !reflect.DeepEqual(got.Totals, want.Totals) {
			t.Errorf("shared memory off %v: totals through the plugin differ from in process", noShared)
		}
		r := m.Channels[0].Behaviour.(*remote)
		if used := r.shared != nil && !r.noShared.Load(); used != (sharedMemory && !noShared) {
			t.Errorf("shared memory off %v: shared memory used %v; this system can share memory: %v", noShared, used, sharedMemory)
		}
		if r.calls.Load() == 0 {
			t.Errorf("shared memory off %v: the plugin was never called", noShared)
		}
		host.Close()
	}
}
