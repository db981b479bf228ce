package scenarios_test

import (
	"math"
	"math/bits"
	"testing"
	"time"
)

// handWritten is the reference model of BENCHMARK.md written directly in Go,
// with none of the engine's generality: the yardstick the engine's cost per
// customer-tick is held against.
type handWritten struct {
	priceSens, tolerance, loyalty, revenue []float64
	affinity, fatigue                      [5][]float64
	week                                   []uint8 // contacts in the last 7 days, one bit a day
	stage                                  []uint8
	cart                                   []bool
	lastPurchase, purchases                []int32
	rng                                    uint64
}

const (
	hwEmail = iota
	hwPush
	hwSMS
)

const (
	hwAware = iota
	hwConsidering
	hwPurchased
	hwLoyal
	hwChurned
)

func (h *handWritten) float() float64 {
	h.rng += 0x9e3779b97f4a7c15
	x := h.rng
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) * (1.0 / (1 << 53))
}

func newHandWritten(n int) *handWritten {
	h := &handWritten{
		priceSens: make([]float64, n), tolerance: make([]float64, n), loyalty: make([]float64, n),
		revenue: make([]float64, n), week: make([]uint8, n), stage: make([]uint8, n), cart: make([]bool, n),
		lastPurchase: make([]int32, n), purchases: make([]int32, n), rng: 1,
	}
	for c := range h.affinity {
		h.affinity[c] = make([]float64, n)
		h.fatigue[c] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		h.priceSens[i] = h.float()
		h.tolerance[i] = 1 + 3*h.float()
		h.loyalty[i] = 0.3
		h.lastPurchase[i] = -1
		for c := range h.affinity {
			h.affinity[c][i] = h.float()
		}
	}
	return h
}

// run simulates days under a strategy: channels on, weekly cap, discount.
func (h *handWritten) run(days int, push, sms bool, weeklyCap int, discount float64) {
	decay := math.Pow(0.5, 1.0/3)
	n := len(h.loyalty)
	for day := 0; day < days; day++ {
		for i := 0; i < n; i++ {
			if h.stage[i] == hwChurned {
				continue
			}
			for c := range h.fatigue {
				h.fatigue[c][i] *= decay
			}
			h.week[i] <<= 1
			ch := -1
			if bits.OnesCount8(h.week[i]&0x7f) < weeklyCap {
				switch {
				case sms && h.cart[i]:
					ch = hwSMS
				case push && h.stage[i] == hwConsidering:
					ch = hwPush
				case (h.lastPurchase[i] < 0 || day-int(h.lastPurchase[i]) > 30) && h.loyalty[i] < 0.5:
					ch = hwEmail
				}
			}
			if ch >= 0 {
				h.week[i] |= 1
				h.fatigue[ch][i]++
				f := h.fatigue[ch][i]
				if h.float() < 0.05*h.affinity[ch][i]*math.Exp(-f/h.tolerance[i]) {
					if h.stage[i] == hwAware {
						h.stage[i] = hwConsidering
					} else {
						h.cart[i] = h.float() < 0.3
					}
					h.loyalty[i] += 0.02 * (1 - h.loyalty[i])
				} else if f > h.tolerance[i] {
					h.loyalty[i] -= 0.01 * h.loyalty[i]
				}
			}
			p := 0.002 + 0.01*h.loyalty[i]
			if h.stage[i] == hwConsidering || h.cart[i] {
				p += 0.02 * (1 - h.priceSens[i]*(1-discount))
			}
			if h.float() < p {
				basket := math.Exp(3.5 + 0.6*math.Sqrt2*math.Erfinv(2*h.float()-1))
				h.revenue[i] += basket * (1 - discount)
				h.cart[i] = false
				h.purchases[i]++
				h.lastPurchase[i] = int32(day)
				h.stage[i] = hwPurchased
				if h.purchases[i] > 3 {
					h.stage[i] = hwLoyal
				}
				h.loyalty[i] += 0.05 * (1 - h.loyalty[i])
			}
			if h.float() < 0.0005*(1-h.loyalty[i]) {
				h.stage[i] = hwChurned
			}
		}
	}
}

// BenchmarkReferenceHandWritten times the hand-written loop on the same
// model and size as BenchmarkReference, on one core.
func BenchmarkReferenceHandWritten(b *testing.B) {
	const customers, days = 100_000, 365
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for _, s := range []struct {
			push, sms bool
			cap       int
			discount  float64
		}{{false, false, 1, 0}, {true, false, 3, 0}, {true, true, 5, 0.1}} {
			h := newHandWritten(customers)
			h.run(days, s.push, s.sms, s.cap, s.discount)
		}
		elapsed += time.Since(start)
	}
	ticks := float64(b.N) * customers * days * 3
	b.ReportMetric(ticks/elapsed.Seconds()/1e6, "M-customer-ticks/s/worker")
}
