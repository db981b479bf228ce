// Command faulty is a channel plugin that misbehaves on request, for the
// tests of how journeysim handles a plugin that goes wrong. Its mode
// parameter picks the fault; from tick "at" on it answers:
//
//	0 correctly (as the built-in response model)
//	1 by crashing the process
//	2 not at all (it hangs)
//	3 with one answer too few
//	4 with a satisfaction of 9, outside 1 to 5
//	5 with an error
//	7 correctly, after truncating journeysim's shared memory files to
//	  nothing (which would make journeysim's read of them fault)
//	9 with the largest purchases a number can hold, which add up to
//	  infinite revenue
//	8 correctly, after starting a child that keeps the plugin's stdout
//	  and stderr open for ten minutes
//
// Mode 6 refuses its parameters. With FAULTY_PROTOCOL set, it speaks that
// plugin protocol version instead of this build's.
package main

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/sim"
)

func main() {
	if v, err := strconv.Atoi(os.Getenv("FAULTY_PROTOCOL")); err == nil {
		plugins.Handshake.ProtocolVersion = uint(v)
	}
	plugins.Serve(faulty{})
}

// childSeconds is how long mode 8's child sleeps: ten minutes, written so
// that a test can find the child by its command line.
const childSeconds = "600.0625"

type faulty struct{}

func (faulty) Describe() plugins.Description {
	return plugins.Description{Name: "faulty", Version: "0.0.1", Doc: "misbehaves on request", Params: []sim.Param{
		{Name: "mode", Default: 0, Min: 0, Max: 9, Doc: "the fault"},
		{Name: "at", Default: 0, Min: 0, Max: 1e6, Doc: "first tick of the fault"},
	}}
}

func (faulty) Configure(_ string, params plugins.Params) (sim.Behaviour, error) {
	p := params.Numbers
	if p["mode"] == 6 {
		return nil, errors.New("mode 6: this plugin refuses to be configured; allowed: mode 0 to 5, 7, 8 or 9")
	}
	inner, err := sim.NewBuiltin("response", map[string]float64{"rate": 0.3})
	if err != nil {
		return nil, err
	}
	return &behaviour{inner: inner, mode: int(p["mode"]), at: int(p["at"])}, nil
}

type behaviour struct {
	inner    sim.Behaviour
	mode, at int
	child    sync.Once
}

func (b *behaviour) Respond(batch *sim.ContactBatch, out *sim.Responses) error {
	if err := b.inner.Respond(batch, out); err != nil || batch.Tick < b.at {
		return err
	}
	switch b.mode {
	case 1:
		os.Exit(3)
	case 2:
		time.Sleep(time.Hour)
	case 3:
		out.Responded = out.Responded[:len(out.Responded)-1]
	case 4:
		out.Satisfaction[0] = 9
	case 5:
		return errors.New("the model's data file is gone")
	case 7:
		truncateShared()
	case 9:
		for j := range out.Purchase {
			out.Responded[j], out.Purchase[j] = true, math.MaxFloat64
		}
	case 8:
		var err error
		b.child.Do(func() {
			child := exec.Command("sleep", childSeconds)
			// The descriptors journeysim reads, not the pipes plugin.Serve
			// puts in os.Stdout and os.Stderr.
			child.Stdout, child.Stderr = os.NewFile(1, "stdout"), os.NewFile(2, "stderr")
			err = child.Start()
		})
		return err
	}
	return nil
}

// truncateShared truncates every shared memory file of journeysim's (the
// plugin's parent) it can.
func truncateShared() {
	fds := filepath.Join("/proc", strconv.Itoa(os.Getppid()), "fd")
	entries, _ := os.ReadDir(fds)
	for _, e := range entries {
		p := filepath.Join(fds, e.Name())
		if target, err := os.Readlink(p); err == nil && strings.HasPrefix(target, "/memfd:journeysim-batch") {
			os.Truncate(p, 0) // refused when the file is sealed
		}
	}
}
