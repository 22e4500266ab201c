// Package diff compares two versions of a scenario, as a code review asks:
// statically, the forbidden landings, failure tolerances, lints and routing
// entries the change adds, removes or alters, each located at its line;
// and, from both versions simulated on common random numbers, the paired
// change of every population's rates, with what got worse and what better.
package diff
