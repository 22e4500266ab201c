package study

import (
	"strings"
	"testing"
)

// --shard auto maps a Slurm array's task ids to shards by the array's
// min, step and count, and refuses what it cannot map, saying why.
func TestSlurmShard(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		want  Shard
		error string // a part of the message; "" when it maps
	}{
		{"range", map[string]string{"ID": "3", "MIN": "0", "MAX": "3", "STEP": "1", "COUNT": "4"}, Shard{3, 4}, ""},
		{"offset", map[string]string{"ID": "5", "MIN": "4", "COUNT": "3"}, Shard{1, 3}, ""},
		{"step first", map[string]string{"ID": "0", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "3"}, Shard{0, 3}, ""},
		{"step middle", map[string]string{"ID": "2", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "3"}, Shard{1, 3}, ""},
		{"step last", map[string]string{"ID": "4", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "3"}, Shard{2, 3}, ""},
		{"step from 1", map[string]string{"ID": "7", "MIN": "1", "MAX": "7", "STEP": "3", "COUNT": "3"}, Shard{2, 3}, ""},
		{"step without max", map[string]string{"ID": "6", "MIN": "2", "STEP": "2", "COUNT": "3"}, Shard{2, 3}, ""},
		{"one task", map[string]string{"ID": "9", "MIN": "9", "MAX": "9", "STEP": "1", "COUNT": "1"}, Shard{0, 1}, ""},
		{"id between steps", map[string]string{"ID": "1", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "3"}, Shard{}, "is not one of the array's ids 0, 2, …, 4"},
		{"id past max", map[string]string{"ID": "6", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "3"}, Shard{}, "is not one of the array's ids"},
		{"id below min", map[string]string{"ID": "3", "MIN": "4", "COUNT": "3"}, Shard{}, "is not one of the array's ids"},
		{"uneven list", map[string]string{"ID": "9", "MIN": "1", "MAX": "22", "STEP": "1", "COUNT": "4"}, Shard{}, "not evenly spaced"},
		{"step ignored by count", map[string]string{"ID": "2", "MIN": "0", "MAX": "4", "STEP": "2", "COUNT": "5"}, Shard{}, "not evenly spaced"},
		{"zero step", map[string]string{"ID": "0", "MIN": "0", "MAX": "4", "STEP": "0", "COUNT": "3"}, Shard{}, "a step of 1 or more"},
		{"no tasks", map[string]string{"ID": "0", "MIN": "0", "COUNT": "0"}, Shard{}, "want 1 to"},
		{"too many", map[string]string{"ID": "0", "MIN": "0", "COUNT": "10001"}, Shard{}, "want 1 to 10000 tasks"},
		{"not a number", map[string]string{"ID": "x", "MIN": "0", "COUNT": "3"}, Shard{}, `SLURM_ARRAY_TASK_ID="x" is not a whole number from 0`},
		{"negative", map[string]string{"ID": "0", "MIN": "-1", "COUNT": "3"}, Shard{}, `SLURM_ARRAY_TASK_MIN="-1"`},
		{"long value clipped", map[string]string{"ID": strings.Repeat("9", 200), "MIN": "0", "COUNT": "3"}, Shard{}, "(200 bytes)"},
		{"overflow", map[string]string{"ID": "0", "MIN": "9223372036854775807", "STEP": "9223372036854775807", "COUNT": "3"}, Shard{}, "is not a whole number from 0 to 2147483647"},
		{"not an array", map[string]string{}, Shard{}, "run it under sbatch --array"},
	} {
		getenv := func(name string) string { return tc.env[strings.TrimPrefix(name, "SLURM_ARRAY_TASK_")] }
		got, err := ParseShard("auto", getenv)
		switch {
		case tc.error == "" && (err != nil || got != tc.want):
			t.Errorf("%s: shard %v, error %v; want %v", tc.name, got, err, tc.want)
		case tc.error != "" && (err == nil || !strings.Contains(err.Error(), tc.error)):
			t.Errorf("%s: shard %v, error %v; want an error saying %q", tc.name, got, err, tc.error)
		}
	}
}
