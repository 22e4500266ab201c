// Package scenarios owns the YAML scenario format of geofence: its types
// (types.go), a strict loader that reports every problem in a file at once
// with its file:line:column (Load, LoadFile, Resolve), the semantic checks
// (Scenario.Validate), the built-in scenarios embedded from builtin/, and
// the format's JSON Schema (Schema). It owns the formats that change or
// extend a scenario too: overrides (Override, Scenario.With, Scaled),
// study files for sweeps (Study, LoadStudy), and accepted risks
// (Accepted, LoadAcceptedFile), all read by the same decoder.
//
// The loader walks the YAML node tree itself, driven by the types' yaml
// tags, rather than letting a YAML library fill the structs: that is how it
// can refuse unknown and repeated keys, keep "NO" as Norway, tell 10.5 from
// 10, record the position of every value under its path (see Source.Pos),
// and stop an alias bomb after a bounded number of steps.
package scenarios
