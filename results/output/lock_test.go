package output

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A second writer of a result folder is refused, naming the first, until
// the first unlocks.
func TestLockIsExclusive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out", "run")
	first, _, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Lock(dir)
	var le *LockError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) || le.PID != os.Getpid() {
		t.Fatalf("second Lock = %v; want a LockError naming process %d", err, os.Getpid())
	}
	if !strings.Contains(err.Error(), "is writing it") {
		t.Errorf("message %q does not say the folder is being written", err)
	}
	if err := first.Unlock(); err != nil {
		t.Fatal(err)
	}
	again, _, err := Lock(dir)
	if err != nil {
		t.Fatalf("Lock after Unlock: %v", err)
	}
	again.Unlock()
}

// What a killed writer left is tidied by the next one: its temporary
// folders are removed, and the earlier results it had moved aside come
// back when the folder itself is gone.
func TestTidyAfterAKill(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "run")
	stale := filepath.Join(parent, ".run.tmp-111")
	old := filepath.Join(parent, ".run.tmp-222.old")
	other := filepath.Join(parent, ".other.tmp-333")
	for _, d := range []string{stale, old, other} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(old, ManifestName), []byte(`{"tool": "journeysim"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	l, done, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if kind, _ := FolderKind(dir); kind != RunFolder {
		t.Errorf("the earlier results were not put back as %s", dir)
	}
	for _, gone := range []string{stale, old} {
		if _, err := os.Stat(gone); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there", gone)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another folder's temporary was touched: %v", err)
	}
	if len(done) != 2 || !strings.HasPrefix(done[0], "restored "+dir) || !strings.HasPrefix(done[1], "removed "+stale) {
		t.Errorf("Lock reported %q; want the restore, then the removal", done)
	}
}
