package sim

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

// forEach reports the failure of the lowest index whatever the number of
// workers, and runs every index when none fails.
func TestForEachLowestError(t *testing.T) {
	for _, workers := range []int{1, 2, 5, 16} {
		var ran atomic.Int64
		err := forEach(context.Background(), workers, 20, func(k int) error {
			ran.Add(1)
			if k == 4 || k == 9 || k == 15 {
				return fmt.Errorf("index %d", k)
			}
			return nil
		})
		if err == nil || err.Error() != "index 4" {
			t.Errorf("%d workers: error %v, want index 4's", workers, err)
		}
		if n := ran.Load(); n < 5 {
			t.Errorf("%d workers: %d indices run; every index up to the failure must run", workers, n)
		}

		ran.Store(0)
		if err := forEach(context.Background(), workers, 20, func(int) error { ran.Add(1); return nil }); err != nil {
			t.Errorf("%d workers: error %v", workers, err)
		}
		if n := ran.Load(); n != 20 {
			t.Errorf("%d workers: %d of 20 indices run", workers, n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := forEach(ctx, 2, 1000, func(int) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v, want context.Canceled", err)
	}
}
