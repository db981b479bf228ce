package sim

// SetPoolChunks makes pools of n chunks until the returned function is
// called, so that tests can run several pools with small populations.
func SetPoolChunks(n int) (restore func()) {
	old := poolChunks
	poolChunks = n
	return func() { poolChunks = old }
}
