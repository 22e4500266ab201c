//go:build !unix

package sim

import "time"

// cpuTime is not measured here: BenchmarkScale reports 0 CPU time.
func cpuTime() time.Duration { return 0 }
