package sim

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// A replication of the built-in is the same, figure for figure, on a CPU
// without fused multiply-add, where math.Exp takes another path: the test
// binary runs this test again with GODEBUG=cpu.fma=off, and both print a
// digest of every figure of the replication.
func TestSameWithoutFMA(t *testing.T) {
	if os.Getenv("SIM_PRINT_DIGEST") != "" {
		fmt.Println("digest", replicationDigest(t))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSameWithoutFMA$", "-test.v")
	cmd.Env = append(os.Environ(), "SIM_PRINT_DIGEST=1", "GODEBUG=cpu.fma=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var without string
	for _, line := range strings.Split(string(out), "\n") {
		if d, ok := strings.CutPrefix(line, "digest "); ok {
			without = d
		}
	}
	if with := replicationDigest(t); without != with {
		t.Errorf("without FMA the replication's digest is %q, with FMA %q", without, with)
	}
}

// replicationDigest is a digest of every figure of the built-in's first
// replication, each float in full (%v prints the shortest form that reads
// back to the same bits).
func replicationDigest(t *testing.T) string {
	m := mustCompile(t, builtin(t))
	e := newEngine(context.Background(), m, m.Scenario.Run.Seed, 0)
	if err := e.run(); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256([]byte(fmt.Sprintf("%+v", e.out))))
}
