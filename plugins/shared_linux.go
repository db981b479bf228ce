package plugins

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// sharedMemory says whether this build can share memory with plugins.
const sharedMemory = true

// region is one shared memory file of journeysim's: an anonymous memory
// file that the plugin opens through /proc, so nothing is left behind on
// disk or in /dev/shm whatever happens to either process.
//
// The file is sealed against shrinking before the plugin ever sees it: a
// plugin that truncated it would otherwise make journeysim's next read of
// the mapping fault (SIGBUS) and kill the process. Sealed, the truncation
// fails in the plugin, and the mapping stays whole for journeysim's reads.
type region struct {
	fd   int
	path string
	data []byte
}

func newRegion() (*region, error) {
	fd, err := unix.MemfdCreate("journeysim-batch", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("%w: memfd_create: %v", errNoSharedMemory, err)
	}
	// Growing stays allowed (journeysim grows the file for larger
	// batches); shrinking, and adding seals (which could forbid growing),
	// do not. Without the seals nothing is shared.
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_SEAL); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("%w: seal the memory file: %v", errNoSharedMemory, err)
	}
	return &region{fd: fd, path: fmt.Sprintf("/proc/%d/fd/%d", os.Getpid(), fd)}, nil
}

// grow makes the file size bytes long and maps it again.
func (r *region) grow(size int) error {
	if err := unix.Ftruncate(r.fd, int64(size)); err != nil {
		return fmt.Errorf("%w: grow to %d bytes: %v", errNoSharedMemory, size, err)
	}
	if r.data != nil {
		unix.Munmap(r.data)
		r.data = nil
	}
	data, err := unix.Mmap(r.fd, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("%w: map %d bytes: %v", errNoSharedMemory, size, err)
	}
	r.data = data
	return nil
}

func (r *region) close() {
	if r.data != nil {
		unix.Munmap(r.data)
	}
	unix.Close(r.fd)
}

// mapFile maps size bytes of the file at path, in the plugin.
func mapFile(path string, size int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoSharedMemory, err)
	}
	defer f.Close()
	data, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("%w: map %s: %v", errNoSharedMemory, path, err)
	}
	return data, nil
}

func unmap(data []byte) { unix.Munmap(data) }
