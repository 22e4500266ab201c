package study

import (
	"fmt"
	"math"
	"strconv"

	"github.com/geofence/geofence/scenarios"
)

// The Slurm job-array variables that --shard auto reads: the task's id,
// and the ids of the array, MIN, MIN+STEP, …, MAX, COUNT of them.
const (
	slurmTaskID    = "SLURM_ARRAY_TASK_ID"
	slurmTaskMin   = "SLURM_ARRAY_TASK_MIN"
	slurmTaskMax   = "SLURM_ARRAY_TASK_MAX"
	slurmTaskStep  = "SLURM_ARRAY_TASK_STEP"
	slurmTaskCount = "SLURM_ARRAY_TASK_COUNT"
)

// slurmShard is the shard of the Slurm array task the process runs as.
// An array of ids MIN, MIN+STEP, …, MAX (sbatch --array=MIN-MAX:STEP)
// has COUNT = (MAX−MIN)/STEP + 1 tasks, and the task with id I is shard
// (I−MIN)/STEP of COUNT: --array=0-4:2 gives ids 0, 2 and 4, shards 0, 1
// and 2 of 3. STEP is 1 and MAX is MIN+(COUNT−1)·STEP when Slurm leaves
// them out. An array whose ids are not so spaced (--array=1,2,9) cannot
// be mapped to shards and is refused, as is a task id not among them.
func slurmShard(getenv func(string) string) (Shard, error) {
	id, low, count := getenv(slurmTaskID), getenv(slurmTaskMin), getenv(slurmTaskCount)
	if id == "" || low == "" || count == "" {
		return Shard{}, fmt.Errorf("--shard auto reads %s, %s and %s (and %s, %s), set in a Slurm job array; run it under sbatch --array, or give K/N",
			slurmTaskID, slurmTaskMin, slurmTaskCount, slurmTaskMax, slurmTaskStep)
	}
	numbers := map[string]int{}
	for _, name := range []string{slurmTaskID, slurmTaskMin, slurmTaskMax, slurmTaskStep, slurmTaskCount} {
		text := getenv(name)
		if text == "" {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 || n > math.MaxInt32 { // Slurm's ids are far smaller; the bound keeps the arithmetic below exact
			return Shard{}, fmt.Errorf("--shard auto: %s=%q is not a whole number from 0 to %d", name, scenarios.Clip(text), math.MaxInt32)
		}
		numbers[name] = n
	}
	i, first, n := numbers[slurmTaskID], numbers[slurmTaskMin], numbers[slurmTaskCount]
	step, ok := numbers[slurmTaskStep]
	if !ok {
		step = 1
	}
	if n < 1 || n > maxShards || step < 1 {
		return Shard{}, fmt.Errorf("--shard auto: %s=%d, %s=%d: want 1 to %d tasks and a step of 1 or more", slurmTaskCount, n, slurmTaskStep, step, maxShards)
	}
	last := first + (n-1)*step
	if got, ok := numbers[slurmTaskMax]; ok && got != last {
		return Shard{}, fmt.Errorf("--shard auto: the array's %d tasks from %d in steps of %d would end at %d, but %s=%d: "+
			"its ids are a list that is not evenly spaced, which cannot be mapped to shards; submit it as --array=0-%d (a step and a %% limit may follow), or give --shard K/N",
			n, first, step, last, slurmTaskMax, got, n-1)
	}
	if i < first || i > last || (i-first)%step != 0 {
		return Shard{}, fmt.Errorf("--shard auto: task %s=%d is not one of the array's ids %d, %d, …, %d", slurmTaskID, i, first, first+step, last)
	}
	return validShard(Shard{Index: (i - first) / step, Count: n}, fmt.Sprintf("--shard auto (task %d of the ids %d to %d in steps of %d)", i, first, last, step))
}
