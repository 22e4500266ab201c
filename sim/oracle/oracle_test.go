package oracle_test

import (
	"fmt"

	"github.com/geofence/geofence/sim/oracle"
)

// The values docs/DESIGN.md quotes for the built-ins' loss systems.
func ExampleErlangB() {
	fmt.Printf("B(10, 10) = %.6f\n", oracle.ErlangB(10, 10))
	fmt.Printf("B(90, 100) = %.7f\n", oracle.ErlangB(90, 100))
	fmt.Printf("B(50, 60) = %.7f\n", oracle.ErlangB(50, 60))
	// Output:
	// B(10, 10) = 0.214582
	// B(90, 100) = 0.0269574
	// B(50, 60) = 0.0216685
}
