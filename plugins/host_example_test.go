package plugins

import (
	"strings"
	"testing"
)

// A missing plugin is reported with the folders searched; one of the
// example plugins also with how to build it.
func TestPluginNotFoundSaysHowToBuild(t *testing.T) {
	h := &Host{Dirs: []string{t.TempDir()}}
	for _, tc := range []struct {
		name  string
		build bool
	}{{"contactcentre", true}, {"mine", false}} {
		_, err := h.Find(tc.name)
		if err == nil {
			t.Fatalf("%s: found in an empty folder", tc.name)
		}
		if !strings.Contains(err.Error(), "plugin "+tc.name+" not found in") {
			t.Errorf("%s: %v", tc.name, err)
		}
		if got := strings.Contains(err.Error(), "make plugins"); got != tc.build {
			t.Errorf("%s: %v; want make plugins named: %v", tc.name, err, tc.build)
		}
	}
}
