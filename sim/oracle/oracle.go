// Package oracle computes the exact values of queueing theory that the
// engine's simulated figures are held to in tests.
package oracle

// ErlangB is the Erlang loss formula by its stable recursion:
//
//	B(a, 0) = 1,  B(a, c) = a·B(a, c−1) / (c + a·B(a, c−1))
//
// for offered load a Erlangs on c servers.
func ErlangB(a float64, c int) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}
