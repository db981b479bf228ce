package plugins_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A plugin process ends by itself once journeysim is gone, even when
// journeysim was killed and could not end it.
func TestPluginExitsWithItsParent(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "response")
	if out, err := exec.Command("go", "build", "-o", bin, "./response").CombinedOutput(); err != nil {
		t.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	// The shell starts the plugin in the background and exits a second
	// later, as a killed journeysim would.
	out, err := exec.Command("sh", "-c", "JOURNEYSIM_PLUGIN=channel-behaviour "+bin+" >/dev/null 2>&1 & echo $!; sleep 1").Output()
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("pid %q: %v", out, err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("the plugin still runs 20 s after its parent ended")
		}
		// A zombie has ended; only its parent (gone) could reap it.
		if stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && strings.Contains(string(stat), ") Z ") {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
