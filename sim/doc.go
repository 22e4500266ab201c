// Package sim is the deterministic discrete-event engine: it compiles a
// validated scenario into a Model and runs its replications, each a pure
// state machine over (time, sequence)-ordered events that reads no clock
// and does no I/O, returning the raw tallies that package results turns
// into figures. A seed fixes every replication, whatever the number of
// cores or workers; EstimateCost bounds a run's work and memory before it
// starts.
package sim
