// Package format reads and changes scenarios as they are written: a strict
// loader that reports every problem in a file at once with its
// file:line:column (Load, LoadFile, Resolve for the built-ins), overrides
// (ParseOverride, With, Scaled), study files for sweeps (LoadStudy), files
// of accepted risks (LoadAcceptedFile), and files at a git revision
// (git:REV:PATH); the JSON Schema of each file is format/schema.
//
// The loader walks the YAML node tree itself, driven by the model's yaml
// tags, rather than letting a YAML library fill the structs: that is how it
// can refuse unknown and repeated keys, keep "NO" as Norway, tell 10.5 from
// 10, record the position of every value under its path (see
// scenarios.Source.Pos), and stop an alias bomb after a bounded number of
// steps.
package format
