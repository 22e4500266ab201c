// Package sarif writes a check or a diff as a SARIF 2.1.0 log for code
// scanning: one result per scenario entry that lets clients out, located
// at its line relative to the source root, with the fences it opens as
// related locations, stable fingerprints, and a baseline state per result
// of a diff.
package sarif
