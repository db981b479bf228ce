//go:build !unix

package output

import "os"

// lockFile holds no lock where the system has no flock: the lock file
// only records the writer.
func lockFile(*os.File) error { return nil }

func unlockFile(*os.File) error { return nil }
