package output

import (
	"strings"
	"time"
)

// Build identifies the journeysim program that wrote a result folder: the
// engine's version, the source revision it was built from and the
// toolchain and platform it was built with. The command line fills it in
// from what the linker and the Go runtime record in the program.
type Build struct {
	// Version is the engine's version (sim.Version), which, with the
	// scenario and the seed, fixes a run's results.
	Version string `json:"version"`
	// Commit is the source revision, a full or abbreviated hexadecimal
	// commit hash; "" when the program does not know it (built outside a
	// repository, or by go run or go test).
	Commit string `json:"commit,omitempty"`
	// Modified reports whether the working tree held changes not in
	// Commit when the program was built; nil when unknown.
	Modified *bool `json:"modified,omitempty"`
	// GoVersion is the Go toolchain's version, such as "go1.24.2".
	GoVersion string `json:"go_version"`
	// OS and Arch are the platform the program was built for (GOOS and
	// GOARCH), such as "linux" and "amd64".
	OS   string `json:"goos"`
	Arch string `json:"goarch"`
}

// Provenance records what wrote a result folder, where and when: the
// program (Build), the host's name, and the start and end of the work in
// UTC, as RFC 3339 timestamps (Timestamp). Ended is "" for work that has
// not ended, such as a sweep stopped by a crash.
type Provenance struct {
	Build   Build  `json:"build"`
	Host    string `json:"host"`
	Started string `json:"started,omitempty"`
	Ended   string `json:"ended,omitempty"`
}

// Timestamp writes t as a result folder records times: in UTC, as RFC
// 3339 with as many decimals of the second as t has, such as
// "2026-01-02T03:04:05.25Z". The zero time is "".
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// SameCommit reports whether the source revisions a and b can be the same:
// either is unknown (""), or one is an abbreviation (a prefix, ignoring
// case) of the other, as the 12-digit hash a release build records is of
// the full one.
func SameCommit(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	a, b = strings.ToLower(a), strings.ToLower(b)
	return strings.HasPrefix(a, b) || strings.HasPrefix(b, a)
}
