// Package scenarios is the model geofence simulates and checks: a
// scenario's datacenters, populations, routing and policy (types.go), the
// problems found in one, each at the path and position of the value at
// fault, jurisdictions and their groups, local time, and the built-in
// scenarios embedded from builtin/. The rules that tie a scenario's fields
// together are scenarios/validate; how a scenario is written and changed —
// the strict YAML loader, overrides, study files, the JSON Schema — is
// scenarios/format; what can be reached without simulating is
// scenarios/fence, and what is likely a mistake scenarios/lint.
package scenarios
