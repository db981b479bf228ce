package sim

import "testing"

// Every purpose a customer-tick can draw for is distinct, whatever the
// attribute or channel index, so no two decisions share a draw.
func TestPurposesAreDistinct(t *testing.T) {
	seen := map[uint64]string{}
	add := func(p uint64, what string) {
		if prev, ok := seen[p]; ok {
			t.Fatalf("purpose %d is both %s and %s", p, prev, what)
		}
		seen[p] = what
	}
	for _, p := range []uint64{purposePersona, purposeMove, purposeSwitch, purposeBasket, purposeChurn, purposeReferral, purposeTolerance, purposeLoyalty} {
		add(p, "a single draw")
	}
	for k := uint64(0); k < 1024; k++ {
		add(purposeAttribute+k, "attribute")
	}
	for ch := uint64(0); ch < 32; ch++ {
		add(purposeAffinity+ch, "affinity")
		add(purposeConsent+ch, "consent")
		add(purposeResponse+ch, "response")
		add(purposeBehaviour+ch, "behaviour")
		add(purposeOptOut+ch, "opt-out")
		add(purposeResponseEdge+ch, "response edge")
		add(purposeResponseBasket+ch, "response basket")
	}
}

// Draws are uniform enough: the mean of many draws from consecutive keys is
// near 1/2 and every draw lies in [0, 1).
func TestKeyFloatRange(t *testing.T) {
	sum := 0.0
	const n = 100_000
	for i := 0; i < n; i++ {
		u := KeyFor(42, i, 3).Float(purposeMove)
		if u < 0 || u >= 1 {
			t.Fatalf("draw %v outside [0, 1)", u)
		}
		sum += u
	}
	if mean := sum / n; mean < 0.495 || mean > 0.505 {
		t.Errorf("mean of %d draws %v, want about 0.5", n, mean)
	}
}

// Mix is splitmix64's finaliser: the generator's first outputs from seed 0
// are Mix of multiples of its increment.
func TestMix(t *testing.T) {
	const gamma = 0x9e3779b97f4a7c15
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := Mix(uint64(i+1) * gamma); got != want {
			t.Errorf("Mix(%d × gamma) = %#x, want %#x", i+1, got, want)
		}
	}
	if Mix(0) != 0 {
		t.Errorf("Mix(0) = %#x, want 0", Mix(0))
	}
}
