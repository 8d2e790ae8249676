//go:build !unix

package bench

import "time"

// CPUTime cannot read the process CPU time here: it returns 0 and the
// wall clock now.
func CPUTime() (time.Duration, time.Time) { return 0, time.Now() }
