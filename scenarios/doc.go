// Package scenarios is the model geofence simulates and checks: a
// scenario's datacenters, populations, routing and policy (types.go), the
// semantic checks that tie them together (Scenario.Validate, every problem
// at the path and position of the value at fault), jurisdictions and their
// groups, local time, and the built-in scenarios embedded from builtin/.
// How a scenario is written and changed — the strict YAML loader,
// overrides, study files, the JSON Schema — is scenarios/format; what can
// be reached without simulating is scenarios/fence, and what is likely a
// mistake scenarios/lint.
package scenarios
