package plugins

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"github.com/journeysim/journeysim/sim"
)

// A batch can reach a plugin through shared memory instead of the message:
// journeysim writes the columns into a memory file both processes map, the
// plugin answers into the same file, and the call itself carries only the
// file's name and size. A batch then crosses with one copy instead of
// several. The layout is the Shared message's in behaviour.proto.

// errNoSharedMemory means this machine or plugin cannot share memory; the
// batch goes in the message instead.
var errNoSharedMemory = errors.New("shared memory is not available")

// sharedLayout gives the byte offsets of a batch of n contacts and its
// answers in a shared memory file.
type sharedLayout struct {
	n                                                     int
	customer, affinity, fatigue, tolerance, loyalty, disc int
	rand, persona                                         int
	satisfaction, effort, minutes, purchase               int
	responded, optOut                                     int
	// wait and abandoned are the service answers, after the others;
	// legacy is where they start, the end of the file as plugins and
	// journeysims written before them lay it out.
	wait, abandoned, legacy, size int
}

func layoutFor(n int) sharedLayout {
	l := sharedLayout{n: n}
	off := 0
	next := func(width int) int {
		o := off
		off += width * n
		return o
	}
	l.customer, l.affinity, l.fatigue, l.tolerance, l.loyalty, l.disc = next(8), next(8), next(8), next(8), next(8), next(8)
	l.rand, l.persona = next(16), next(1)
	off = (off + 7) &^ 7
	l.satisfaction, l.effort, l.minutes, l.purchase = next(8), next(8), next(8), next(8)
	l.responded, l.optOut = next(1), next(1)
	l.legacy = off
	off = (off + 7) &^ 7
	l.wait, l.abandoned = next(8), next(1)
	l.size = off
	return l
}

// floatsAt views n float64s at offset off of data.
func floatsAt(data []byte, off, n int) []float64 {
	if n == 0 {
		return []float64{}
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(&data[off])), n)
}

// flagsAt views n bools at offset off of data; every byte must be 0 or 1.
func flagsAt(data []byte, off, n int) []bool {
	if n == 0 {
		return []bool{}
	}
	return unsafe.Slice((*bool)(unsafe.Pointer(&data[off])), n)
}

// writeBatch copies b's columns into data at layout l.
func writeBatch(data []byte, l sharedLayout, b *sim.ContactBatch) {
	n := l.n
	copy(data[l.customer:], intBytes(b.Customer))
	copy(data[l.affinity:], floatBytes(b.Affinity))
	copy(data[l.fatigue:], floatBytes(b.Fatigue))
	copy(data[l.tolerance:], floatBytes(b.Tolerance))
	copy(data[l.loyalty:], floatBytes(b.Loyalty))
	copy(data[l.disc:], floatBytes(b.Discount))
	copy(data[l.rand:], pairBytes(b.Rand))
	persona := data[l.persona : l.persona+n]
	for j, p := range b.Persona {
		persona[j] = byte(p)
	}
}

// readBatch views the batch of n contacts in data, in the plugin.
func readBatch(data []byte, l sharedLayout, batch *sim.ContactBatch, personas int) error {
	n := l.n
	batch.Customer = make([]int, n)
	if n > 0 {
		for j, c := range unsafe.Slice((*int64)(unsafe.Pointer(&data[l.customer])), n) {
			batch.Customer[j] = int(c)
		}
	}
	batch.Affinity = floatsAt(data, l.affinity, n)
	batch.Fatigue = floatsAt(data, l.fatigue, n)
	batch.Tolerance = floatsAt(data, l.tolerance, n)
	batch.Loyalty = floatsAt(data, l.loyalty, n)
	batch.Discount = floatsAt(data, l.disc, n)
	if n > 0 {
		batch.Rand = unsafe.Slice((*[2]float64)(unsafe.Pointer(&data[l.rand])), n)
	} else {
		batch.Rand = [][2]float64{}
	}
	batch.Persona = make([]int, n)
	for j, p := range data[l.persona : l.persona+n] {
		if int(p) >= personas {
			return fmt.Errorf("malformed batch: persona %d of %d", p, personas)
		}
		batch.Persona[j] = int(p)
	}
	return nil
}

// answerViews points out's columns at the answer area of data. service
// says whether data has room for the service answers (wait and abandoned);
// without it those columns are left nil, and the plugin's answers in them
// are not sent.
func answerViews(data []byte, l sharedLayout, service bool) sim.Responses {
	n := l.n
	views := sim.Responses{
		Responded:    flagsAt(data, l.responded, n),
		Satisfaction: floatsAt(data, l.satisfaction, n),
		Effort:       floatsAt(data, l.effort, n),
		Minutes:      floatsAt(data, l.minutes, n),
		Purchase:     floatsAt(data, l.purchase, n),
		OptOut:       flagsAt(data, l.optOut, n),
	}
	if service {
		views.Wait = floatsAt(data, l.wait, n)
		views.Abandoned = flagsAt(data, l.abandoned, n)
	}
	return views
}

// keepIn copies each of out's columns into the matching view unless it
// already is that view (a behaviour may have replaced a column). A nil
// view is left so.
func keepIn(views, out *sim.Responses) {
	keepFlags := func(view, col []bool) {
		if len(view) > 0 && unsafe.SliceData(view) != unsafe.SliceData(col) {
			copy(view, col)
		}
	}
	keepFloats := func(view, col []float64) {
		if len(view) > 0 && unsafe.SliceData(view) != unsafe.SliceData(col) {
			copy(view, col)
		}
	}
	keepFlags(views.Responded, out.Responded)
	keepFloats(views.Satisfaction, out.Satisfaction)
	keepFloats(views.Effort, out.Effort)
	keepFloats(views.Minutes, out.Minutes)
	keepFloats(views.Purchase, out.Purchase)
	keepFlags(views.OptOut, out.OptOut)
	keepFloats(views.Wait, out.Wait)
	keepFlags(views.Abandoned, out.Abandoned)
}

// clearService zeroes the service answers of layout l in data before a
// call: a plugin that does not write them answers "none queued".
func clearService(data []byte, l sharedLayout) {
	clear(data[l.legacy:l.size])
}

// readAnswers copies the answers of layout l in data into out, checking
// the flags.
func readAnswers(data []byte, l sharedLayout, out *sim.Responses) error {
	n := l.n
	out.Resize(n)
	for _, err := range []error{
		copyFlags(out.Responded, data[l.responded:l.responded+n], n, "responded", false),
		copyFlags(out.OptOut, data[l.optOut:l.optOut+n], n, "opt_out", false),
		copyFlags(out.Abandoned, data[l.abandoned:l.abandoned+n], n, "abandoned", false),
	} {
		if err != nil {
			return err
		}
	}
	copy(out.Satisfaction, floatsAt(data, l.satisfaction, n))
	copy(out.Effort, floatsAt(data, l.effort, n))
	copy(out.Minutes, floatsAt(data, l.minutes, n))
	copy(out.Purchase, floatsAt(data, l.purchase, n))
	copy(out.Wait, floatsAt(data, l.wait, n))
	return nil
}

// regions are a plugin client's shared memory files, each lent to one call
// at a time.
type regions struct {
	mu   sync.Mutex
	free []*region
	all  []*region
}

// get lends a region of at least size bytes.
func (p *regions) get(size int) (*region, error) {
	p.mu.Lock()
	var r *region
	if k := len(p.free); k > 0 {
		r, p.free = p.free[k-1], p.free[:k-1]
	}
	p.mu.Unlock()
	if r == nil {
		var err error
		if r, err = newRegion(); err != nil {
			return nil, err
		}
		p.mu.Lock()
		p.all = append(p.all, r)
		p.mu.Unlock()
	}
	if len(r.data) < size {
		// Grow by half again, in whole MiB, so that growth is rare.
		want := max(size, len(r.data)*3/2)
		want = (want + 1<<20 - 1) &^ (1<<20 - 1)
		if err := r.grow(want); err != nil {
			p.put(r)
			return nil, err
		}
	}
	return r, nil
}

func (p *regions) put(r *region) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, r)
}

// close releases every region; none may be lent.
func (p *regions) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, r := range p.all {
		r.close()
	}
	p.all, p.free = nil, nil
}

// mappings are the shared memory files a plugin has mapped, by path.
type mappings struct {
	mu sync.Mutex
	m  map[string][]byte
}

// get returns the file at path mapped whole, mapping it (again) if it has
// grown to size.
func (p *mappings) get(path string, size int) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if data, ok := p.m[path]; ok && len(data) >= size {
		return data, nil
	}
	if old, ok := p.m[path]; ok {
		unmap(old)
		delete(p.m, path)
	}
	data, err := mapFile(path, size)
	if err != nil {
		return nil, err
	}
	if p.m == nil {
		p.m = map[string][]byte{}
	}
	p.m[path] = data
	return data, nil
}
