// Package results turns the tallies of simulated replications into figures:
// estimates with 95% confidence intervals and upper bounds, per population,
// per datacenter plane and in total, with the landings, causes, blame and
// time series behind them, and the paired comparison of two runs. Every
// statistic is computed here, once, by an Accumulator that takes
// replications as they finish; the packages below decide on the figures
// (check, diff), run what the commands ask (study) and write them out
// (render), and none of them computes a statistic again.
package results
