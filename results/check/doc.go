// Package check is the policy checker's verdict: whether a scenario keeps
// its geofence. From a scenario's static analysis, its lints and, unless
// the check is static, its simulated figures, it decides each population's
// fence for each plane — a forbidden landing reachable in some state, a
// failure tolerance below the one required, a violation rate over its
// limit — and judges the accepted risks that may excuse a finding.
package check
