package results

import (
	"math"
	"testing"
)

func TestFormatCompact(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		sig  int
		want string
	}{
		{0, 3, "0"},
		{950, 3, "950"},
		{12, 3, "12.0"},
		{0.42, 3, "0.420"},
		{0.004231, 3, "0.00423"},
		{999.6, 3, "1.00 k"},
		{1234, 3, "1.23 k"},
		{12_400_000, 3, "12.4 M"},
		{18_642_040, 3, "18.6 M"},
		{999_950, 3, "1.00 M"},
		{2_893_605, 3, "2.89 M"},
		{3.1e9, 3, "3.10 bn"},
		{4.56e12, 3, "4.56 tn"},
		{4.56e16, 3, "45,600 tn"},
		{-12_400_000, 3, "-12.4 M"},
		{12_400_000, 2, "12 M"},
		{12_400_000, 0, "10 M"},
		{150_000, 1, "200 k"},
		{math.NaN(), 3, "–"},
		{math.Inf(1), 3, "∞"},
	} {
		if got := FormatCompact(tt.v, tt.sig); got != tt.want {
			t.Errorf("FormatCompact(%g, %d) = %q, want %q", tt.v, tt.sig, got, tt.want)
		}
	}
}
