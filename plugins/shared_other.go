//go:build !linux

package plugins

// sharedMemory says whether this build can share memory with plugins:
// batches go in the message on this system.
const sharedMemory = false

type region struct {
	path string
	data []byte
}

func newRegion() (*region, error)         { return nil, errNoSharedMemory }
func (r *region) grow(int) error          { return errNoSharedMemory }
func (r *region) close()                  {}
func mapFile(string, int) ([]byte, error) { return nil, errNoSharedMemory }
func unmap([]byte)                        {}
