package sim

// Purpose numbers separate the random draws a customer makes in one tick, so
// that adding a draw for one purpose never shifts the draws of another. A
// purpose drawn once per customer-tick is a small number; one drawn per
// attribute or channel owns a block of 1<<16 numbers, offset by the index.
const (
	purposePersona uint64 = iota + 1
	purposeMove
	purposeSwitch
	purposeBasket
	purposeChurn
	purposeReferral
	purposeTolerance
	purposeLoyalty
	purposeHoldout
	purposeSurveyInvite
	purposeSurveyAnswer
)

// Blocks of per-index purposes.
const (
	purposeAttribute      = (iota + 1) << 16 // + attribute index
	purposeAffinity                          // + channel index
	purposeConsent                           // + channel index
	purposeResponse                          // + channel index
	purposeBehaviour                         // + channel index: the behaviour's own second draw
	purposeOptOut                            // + channel index
	purposeResponseEdge                      // + channel index
	purposeResponseBasket                    // + channel index: a purchase in answer to a contact
	purposeReview                            // + node index
)

// Mix is the splitmix64 finaliser: a bijective avalanche of 64 bits, in
// which every input bit changes each output bit with probability about
// one half. The random streams derive their keys with it; a plugin can use
// it to derive more draws from the ones its batch brings.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// ReplicationSeed derives the seed of replication rep from the master seed.
// Every replication of a run has its own seed, and all are written on every
// output row.
func ReplicationSeed(master uint64, rep int) uint64 {
	return Mix(master ^ Mix(uint64(rep)+0x9e3779b97f4a7c15))
}

// Key identifies a stream of random numbers for one customer at one tick.
// Draws from a key are a pure function of (seed, customer, tick, purpose),
// never of the order in which work is scheduled.
type Key uint64

// KeyFor returns the stream key of customer at tick in the replication whose
// seed is repSeed. Population sampling uses tick -1.
func KeyFor(repSeed uint64, customer int, tick int) Key {
	return Key(Mix(repSeed ^ Mix(uint64(customer)*0xd1b54a32d192ed03^uint64(int64(tick))*0x8cb92ba72f3d8dd7)))
}

// Uint64 returns the draw of the key for purpose.
func (k Key) Uint64(purpose uint64) uint64 {
	return Mix(uint64(k) + purpose*0x9e3779b97f4a7c15)
}

// Float returns a uniform draw in [0, 1) for purpose.
func (k Key) Float(purpose uint64) float64 {
	return float64(k.Uint64(purpose)>>11) * (1.0 / (1 << 53))
}

// OpenFloat returns a uniform draw in (0, 1) for purpose, safe to pass to a
// quantile function.
func (k Key) OpenFloat(purpose uint64) float64 {
	return (float64(k.Uint64(purpose)>>11) + 0.5) * (1.0 / (1 << 53))
}

// clamp01 limits x to [0, 1].
func clamp01(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x > 1:
		return 1
	}
	return x
}
