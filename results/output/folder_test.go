package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestFolderKind(t *testing.T) {
	root := t.TempDir()
	mk := func(name, manifest string) string {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if manifest != "" {
			if err := os.WriteFile(filepath.Join(dir, ManifestName), []byte(manifest), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	tests := []struct {
		name, manifest string
		want           Kind
		wantErr        bool
	}{
		{"run", `{"tool": "journeysim", "version": "x"}`, RunFolder, false},
		{"sweep", `{"version": "x", "experiment": "freq"}`, SweepFolder, false},
		{"plain", "", NotResults, false},
		{"odd", `{"other": 1}`, NotResults, true},
		{"broken", `{"tool": `, NotResults, true},
	}
	for _, tt := range tests {
		dir := mk(tt.name, tt.manifest)
		got, err := FolderKind(dir)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("%s: FolderKind = %v, %v; want %v, error %v", tt.name, got, err, tt.want, tt.wantErr)
		}
		if tt.name == "odd" && !errors.Is(err, ErrUnknownManifest) {
			t.Errorf("odd manifest: %v, want ErrUnknownManifest", err)
		}
	}
	if got := ResultFoldersIn(root, 2); !slices.Equal(got, []string{filepath.Join(root, "broken"), filepath.Join(root, "odd")}) {
		t.Errorf("ResultFoldersIn = %v; want the first two with a manifest, by name", got)
	}
}

func TestCheckWritable(t *testing.T) {
	root := t.TempDir()
	full := filepath.Join(root, "full")
	results := filepath.Join(root, "results")
	file := filepath.Join(root, "file")
	for _, dir := range []string{full, results} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for path, data := range map[string]string{filepath.Join(full, "notes.txt"): "x", filepath.Join(results, ManifestName): "{}", file: "x"} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		dir     string
		replace bool
		want    error // nil: no error; errAny: some other error
	}{
		{filepath.Join(root, "new", "deeper"), false, nil},
		{full, false, ErrNotEmpty},
		{full, true, ErrNotResultFolder},
		{results, false, ErrNotEmpty},
		{results, true, nil},
		{file, false, errAny},
		{filepath.Join(file, "below"), false, errAny},
	}
	for _, tt := range tests {
		err := CheckWritable(tt.dir, tt.replace)
		switch {
		case tt.want == nil && err != nil, tt.want == errAny && err == nil,
			tt.want != nil && tt.want != errAny && !errors.Is(err, tt.want):
			t.Errorf("CheckWritable(%s, %v) = %v; want %v", tt.dir, tt.replace, err, tt.want)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 3 {
		t.Errorf("CheckWritable left files behind: %v", entries)
	}
}

var errAny = errors.New("any error")

// A failed write names the file asked for and the system's reason, never
// the temporary file beside it.
func TestWriteFileAtomicErrorNamesTarget(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, path string
		is         error
	}{
		{"missing folder", filepath.Join(dir, "missing", "runs.csv"), fs.ErrNotExist},
		{"folder in the way", dir, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteFileAtomic(tc.path, []byte("x"))
			if err == nil {
				t.Fatal("no error")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "write "+tc.path+": ") || strings.Contains(msg, ".tmp-") {
				t.Errorf("error %q: want the target's name and no temporary file's", msg)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", err, tc.is)
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(tc.path), ".*.tmp-*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
