//go:build unix

package bench

import (
	"syscall"
	"time"
)

// CPUTime returns the CPU time (user and system, all threads) the process
// has used so far, and the wall clock now.
func CPUTime() (time.Duration, time.Time) {
	now := time.Now()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, now
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), now
}
