package output

import (
	"testing"
	"time"
)

func TestTimestamp(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 1, 2, 4, 4, 5, 0, paris), "2026-01-02T03:04:05Z"},
		{time.Date(2026, 1, 2, 3, 4, 5, 250_000_000, time.UTC), "2026-01-02T03:04:05.25Z"},
		{time.Time{}, ""},
	} {
		if got := Timestamp(tc.t); got != tc.want {
			t.Errorf("Timestamp(%v) = %q; want %q", tc.t, got, tc.want)
		}
	}
}

func TestSameCommit(t *testing.T) {
	full := "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{full, full, true},
		{full, full[:12], true},
		{full[:12], full, true},
		{full, "0123456789ABCDEF", true},
		{full, "", true},
		{"", "", true},
		{full, "f123456789ab", false},
		{full[:12], "0123456789ac", false},
	} {
		if got := SameCommit(tc.a, tc.b); got != tc.want {
			t.Errorf("SameCommit(%q, %q) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
