// Package legend defines every figure of every report, once: what each
// renderer prints beside the figures and geofence help figures lists.
package legend

import (
	"fmt"
	"slices"
)

// Definition says what one figure of a report means. Figure is the name
// the figure has in JSON and CSV.
type Definition struct {
	Figure  string `json:"figure"`
	Meaning string `json:"meaning"`
}

// Figures returns the definition of every figure a report holds, in the
// order a reader meets them. Every report carries it, so that a figure
// taken out of context can still be read exactly.
func Figures() []Definition {
	return []Definition{
		{"replication", "One independent run of the scenario from time 0 to the horizon with its own random streams. " +
			"Joins arriving before the warm-up ends are simulated but not measured."},
		{"counts", "Every count is per replication, of the joins that arrived in the measured window [warm-up, horizon), " +
			"each followed to its outcome even when that falls after the horizon."},
		{"mean ± half_width", "A 95% confidence interval over replications: mean ± t(0.975, n-1)·s/√n, " +
			"with s the sample standard deviation (divisor n-1) and t Student's t quantile. " +
			"n counts the replications in which the figure is defined; with n < 2 the interval is n/a. " +
			"In JSON, per_replication lists the figure's value in each replication, in replication order (null where undefined)."},
		{"offered", "Joins that arrived."},
		{"admitted_primary", "Per population: joins set up with their media at one of their route's primary datacenters. " +
			"Per datacenter plane: admissions there while a client walked its primaries."},
		{"admitted_secondary", "Per population: joins set up with their media at a secondary, picked from the route's whitelist " +
			"after every primary refused or failed. Per datacenter plane: admissions there as a picked secondary."},
		{"blocked", "Joins that gave up because some plane found no datacenter, after their retries. " +
			"offered = admitted_primary + admitted_secondary + blocked."},
		{"blocking_probability", "blocked / offered, computed in each replication and then estimated over replications; " +
			"a replication with no offered joins does not count."},
		{"secondary_share", "admitted_secondary / offered, per replication like blocking_probability."},
		{"retries", "Times a join started over from its first primary after backoff."},
		{"unanswered", "Blocked joins whose last try got no answer from a failover or dns route: no target healthy (Consul), " +
			"or no record for the client's location and no * default (a Route 53 geolocation group answers NODATA). " +
			"Counted in blocked too; given when some population follows a failover or dns route."},
		{"unanswered_rate", "unanswered / offered, per replication like blocking_probability."},
		{"rejoins", "Joins (counted in offered) by clients whose call was dropped when the datacenter carrying its media went down, " +
			"joining again for the rest of their call: at once unless the population's reconnect says otherwise. " +
			"Given when some datacenter goes down in the timeline."},
		{"rejoin_blocking", "Blocked rejoins / rejoins, per replication like blocking_probability: how much of the reconnection storm found no room."},
		{"violations", "Set-up joins with a plane in a jurisdiction the geofence policy forbids for their population " +
			"(anything the population's first matching rule does not allow is forbidden). " +
			"media: admitted at a datacenter in a forbidden jurisdiction; keys: key issued by, or copied to a connector in, " +
			"a jurisdiction forbidden for keys; connector: dial-in served by a connector in a forbidden jurisdiction."},
		{"violation_rate", "violations / offered for each plane, per replication like blocking_probability."},
		{"upper", "Every rate (blocking_probability, secondary_share, violation_rate, and the shares of landings) carries a " +
			"one-sided 95% upper bound. When some replication counted events it is Student-t's over replications, " +
			"mean + t(0.95, n-1)·s/√n (upper_by \"student-t\"). When every replication counted zero it is the exact " +
			"Clopper–Pearson bound for 0 events in the N joins offered in all replications together, 1 - 0.05^(1/N), " +
			"about 3/N (upper_by \"clopper-pearson\"): not seeing an event in N joins rules out rates above it, not the rate " +
			"itself. Tables then show the rate as \"< bound\" instead of 0 ± 0."},
		{"replications_with_violations", "For each plane, k/n: the replications (simulated days, when the measured window " +
			"is a day) with at least one violation, out of n, with the exact (Clopper–Pearson) two-sided 95% interval " +
			"[low, high] for the probability that a replication has any."},
		{"violating_minutes", "Holding time of the violating joins summed, in participant-minutes, for each plane."},
		{"latency_p50, latency_p95, latency_p99", "Setup latency quantiles of admitted joins, from arrival until the last plane " +
			"admitted the join, in seconds (milliseconds in tables). A blocked join has no set-up latency: a change that blocks " +
			"joins changes which joins are measured, so comparisons of latency are per population, never of a total. " +
			"Each replication's quantile is read from a histogram " +
			"with logarithmic bins of 0.5% relative width (1 ms near zero), then estimated over replications."},
		{"total", "All populations together: counts summed within each replication, ratios taken of those sums " +
			"and latency quantiles of the merged histograms, then estimated over replications. A headline rate is of all joins " +
			"offered, every population's: 3.71% of all joins may be 5.56% of one group's (see groups)."},
		{"groups", "The scenario's named sets of populations (run.groups: chosen by a selector as a policy rule's, by the policy " +
			"rule they fall under, or listed), each with the figures of its joins pooled: in each replication the counts of all " +
			"its populations are summed and each rate is the ratio of those sums, e.g. Σ violations / Σ offered, then estimated " +
			"over replications (so the interval and upper bound are of the group's joins, never an average of its populations' " +
			"rates). Latency is not pooled (n/a)."},
		{"refused", "Attempts at a datacenter plane refused because it was full; each costs the client one round trip."},
		{"failed", "Attempts at a datacenter plane that failed after the connect timeout because the datacenter was down."},
		{"violations (datacenter)", "Admissions at the datacenter plane that violate the joining population's geofence " +
			"for that plane. Summed over datacenters, each plane's column equals the populations' violations of the plane, " +
			"except keys: the populations' key violations are the keys planes' violations plus the connector planes' key_copy_violations."},
		{"key_copies", "Connector planes only: keys copied to the connector, one per dial-in join whose key a key server issued."},
		{"key_copy_violations", "Connector planes only: key copies in a jurisdiction forbidden for the joining population's keys " +
			"whose key server was in an allowed one (a key issued in a forbidden jurisdiction is one violation, counted at the key server)."},
		{"dropped", "Calls cut when the datacenter went down in the measured window, whenever they joined."},
		{"mean_occupancy", "Time-average number of participants the plane held over the measured window: ∫ occupancy dt / window."},
		{"utilisation", "Time-weighted: ∫ occupancy dt / ∫ capacity dt while up, over the measured window. " +
			"Only for planes of finite capacity; a replication in which the plane was never up does not count."},
		{"time_congestion", "Fraction of the measured window in which the plane could not admit a join: full or down."},
		{"down_fraction", "Fraction of the measured window in which the datacenter was down."},
		{"cause", "Violations grouped by population, plane, the forbidden datacenter that admitted them, whether it was a " +
			"secondary (then the whitelist and the datacenter's 0-based entry in it) and the primaries found full and down " +
			"on the way. count is violations per replication, a replication without the cause counting 0; " +
			"top_buckets are the time buckets with the most of them, by mean count."},
		{"blame", "The causes added up by the scenario entry that let them in: the whitelist entry a forbidden secondary was " +
			"picked from, or the primary a join was admitted at (at: its path, line and column). count is the violations per " +
			"replication the entry let in, its causes' counts added up in each replication before estimating; fences breaks " +
			"it down by the population, plane and route (via) whose fence it broke. Most violations first."},
		{"landings", "Where each population's set-up joins landed, per plane and jurisdiction: media carried (plane media), " +
			"keys issued (plane keys, via keys), dial-ins served (plane connector) and keys copied to connectors (plane keys, " +
			"via connector), whether the policy allows them or not (allowed). count is per replication, share per join offered. " +
			"Only cells some replication saw are listed."},
		{"destinations", "The landings added up by plane and jurisdiction over all populations: landed in all, foreign from " +
			"populations of another jurisdiction (\"calls from outside China served or keyed in CN\"), and forbidden by the policy."},
		{"headline", "joins_per_day is offered joins scaled to 24 h of the measured window; blocking_probability is the " +
			"total's; violations_per_day is every population's violations of every plane, scaled likewise, and " +
			"plane_violations_per_day each plane's; forbidden is every population's violations by plane, route (via) and the jurisdiction they landed in, " +
			"per day and per join offered; worst_fences are the three fences with the highest mean violation rate; " +
			"top_causes is how many of the first causes the headline shows."},
		{"series", "Per time bucket [start, start + bucket) of the horizon: the mean over replications of offered, " +
			"admitted_secondary, blocked and violations of the joins arriving in it, and of each datacenter plane's " +
			"occupancy averaged over the bucket's measured part, beside its capacity then (time-average capacity over " +
			"the bucket's measured part, 0 while down, null when unlimited); forbidden adds the violations up by plane, " +
			"route and jurisdiction, and forbidden_totals each plane's stacks together with the 95% Student-t interval over " +
			"replications of each bucket (low, high), from the sum and sum of squares of the replications' counts; " +
			"a datacenter plane's utilisation per bucket is its occupancy divided by its capacity then (null when the capacity " +
			"is unlimited or was 0 throughout the bucket), and timeline lists the datacenter's outages and capacity changes " +
			"before the horizon (at_s in seconds from time 0; a null capacity is unlimited). Buckets wholly inside the warm-up are null."},
		{"window", "Time buckets are spelt as UTC clock times from the scenario's run.start (00:00 UTC when none), " +
			"\"15:00–16:00 UTC\", with \"(day 2)\" and so on past the first day."},
		{"overrides", "The changes made to the scenario file before the run (--scale, --when, --load, --set), in order; with the file's " +
			"sha256 and the seed they say exactly what was run. A condition of the world (--scale, --when, --load, a study's when:) " +
			"is written \"--when PATH OP VALUE\" and every side of a comparison ran under it; any other override is a change to " +
			"that side's configuration. in_words says each in words (\"eu-fra down 12:00–14:00 UTC\", \"EU load ×1.2\"), with " +
			"condition true or false."},
		{"csv", "One row per figure (per bucket for series); value is the mean on summary rows. With --per-replication, " +
			"each figure estimated over replications is followed by one row per replication, replication giving its index " +
			"and value its value. Text from the scenario that a spreadsheet would take for a formula starts with an apostrophe."},
	}
}

// definitionsOf returns the definitions in defs of the figures named, in
// the order of defs: those a report shares with another. A name defs do
// not define is a typo, and panics.
func definitionsOf(defs []Definition, figures ...string) []Definition {
	var out []Definition
	for _, d := range defs {
		if slices.Contains(figures, d.Figure) {
			out = append(out, d)
		}
	}
	if len(out) != len(figures) {
		panic(fmt.Sprintf("results: %d of the figures %q are not defined", len(figures)-len(out), figures))
	}
	return out
}

// Check returns the definition of every figure a check report holds:
// the check's own, then those it shares with the simulation report.
func Check() []Definition {
	defs := []Definition{
		{"passed", "The check passes when every fence passes. A fence (a population's plane) fails when a static finding " +
			"lets a client land outside it (with min_tolerance set: one whose witness is smaller than min_tolerance), " +
			"or when its simulated violation_rate exceeds its limit, judged as decided_by says. A lint fails the check only when its " +
			"severity is at least fail_on (lints have \"fails\" set then); by default none does."},
		{"decided_by", "The figure each simulated violation rate is held to its limit by: \"mean\", the point estimate (the " +
			"default), or \"upper\", its one-sided 95% upper bound (--decide upper), which fails a fence whose rate the " +
			"replications cannot show to be below the limit — including one with no violation at all, when the limit is " +
			"below what zero events in the joins simulated can rule out."},
		{"allowed", "The jurisdictions the population may use for the plane: the allow list of the first policy rule " +
			"that selects it (first match wins), groups expanded; policy is the same list as the rule writes it. " +
			"Anything not allowed is forbidden, and a population no rule selects may use nothing."},
		{"min_tolerance", "Set by --min-tolerance N: a fence passes statically when every forbidden landing needs at least N " +
			"datacenters full or down at once; null when any forbidden landing in any state fails it (the default)."},
		{"static", "A forbidden datacenter the population's routing can reach in some state of the system, found without " +
			"simulating: its jurisdiction is not allowed for the plane and the landing rule (primaries in order, then " +
			"secondaries from the whitelist) admits a client there when the witness datacenters are full or down. " +
			"path, line and column locate the primary or whitelist entry that lets it in."},
		{"witness", "The smallest set of datacenters that must be full or down, all at once, for a client to land at the " +
			"forbidden datacenter; empty when it is reached with nothing full or down."},
		{"tolerance", "The size of the fence's smallest witness: the fewest datacenters that must be full or down at once " +
			"for a client to land outside the fence, which holds while fewer are. -1 (\"never\" in tables) when no state " +
			"of the system reaches outside the fence."},
		{"limit", "The highest violation_rate the plane may have; 0 means any simulated violation fails. limit_source " +
			"says where it came from: a command-line flag, the scenario's run.max_violation_rate, or the default 0. " +
			"The decision compares the point estimate (the mean over replications) with the limit, or with --decide upper " +
			"its upper bound; the 95% interval is shown so that a reader can see how close the call was."},
		{"fail_on", "The least severity a lint must have to fail a check (--fail-on), and to make a diff worse when it " +
			"appears (or improved when it goes): \"error\" (the default: lints never do; forbidden landings and violation " +
			"rates are errors), \"warning\" or \"note\"."},
		{"subject, entry", "A scenario path with each list item named by what it is rather than where it stands (by id; " +
			"routes by region or region/plan; policy rules by name or, unnamed, by selector; members of lists of ids or " +
			"codes by their value), the same in every version of the file: routing.whitelists.kms-pool[cn-bj-1]. SARIF " +
			"fingerprints results by it, so that code review matches them across commits however lines move."},
		{"policy_at", "Where the allow list of the fence's policy rule stands in the scenario: the related location of " +
			"the fence in SARIF."},
		{"accepted", "Risks accepted in the scenario's accepted list or an --accept file: a fence (population and plane) " +
			"reaching a forbidden datacenter, or any forbidden datacenter of a jurisdiction (groups expanded), with a reason and " +
			"the last day it holds (expires, a UTC date). On date — the day of the run, or --date — an acceptance holds up to and " +
			"including its expiry day: a static finding it matches does not fail its fence (accepted_by names the acceptance), nor " +
			"does a simulated violation rate over its limit when every cause of its violations is at a datacenter accepted for that " +
			"fence (rate_accepted_by). state is \"holds\"; \"expired\" (it accepts nothing, and fails the check itself); or " +
			"\"unmatched\" when it matches no finding (it fails the check, so that an acceptance outlives no risk). matches lists " +
			"what it matched. SARIF gives accepted results a suppression with the reason as justification."},
		{"top_cause_at", "Where in the scenario the fence's most frequent simulated cause lets violations in: the " +
			"whitelist entry its datacenter was picked from, or the primary it was admitted at."},
		{"change", "Baseline comparison of blocking_probability, population by population and in total: baseline and " +
			"this are each run's estimate; change is the estimate of the per-replication differences this − baseline, " +
			"replication i of one run paired with replication i of the other. Both runs use the same seed and arrival " +
			"streams keyed by population ID (common random numbers), so the shared load cancels out of each difference " +
			"and the paired interval is much narrower than the two separate intervals suggest. Both run under the same " +
			"conditions (the scenario's --scale, --when and --load: see overrides), which the baseline's own overrides record. " +
			"A change the same in every replication has no interval and is shown as such."},
		{"blocking (check)", "With a blocking limit (max_blocking: --max-blocking, else the scenario's run.max_blocking; none by " +
			"default), each population's simulated blocking_probability is held to it, judged as decided_by says: one over it " +
			"fails the check (passed false; reason says by how much). max_blocking_at locates the limit in the scenario."},
		{"groups (check)", "Each group of run.groups (see groups) with its rates — each plane's violation rate and blocking — of " +
			"its joins pooled, each held to the group's own limit (limit null: reported, not held), judged as decided_by says; " +
			"a group over a limit fails the check. at locates the group in the scenario, chosen says how it picks its populations."},
	}
	return append(defs, definitionsOf(Figures(), "mean ± half_width", "violations", "violation_rate", "upper",
		"replications_with_violations", "violating_minutes", "blocking_probability", "groups", "cause", "window", "overrides")...)
}

// Diff returns the definition of every figure a diff report holds:
// the diff's own, then those it shares with the check and run reports.
func Diff() []Definition {
	defs := []Definition{
		{"state", "How an item of the diff stands between the two versions, as SARIF's baselineState says it: \"new\" " +
			"(in NEW only), \"absent\" (in OLD only), \"updated\" (in both, different) or \"unchanged\". Items are matched by " +
			"what they are, never by line: landings by population, plane, route (via) and datacenter; lints by rule and " +
			"subject; routing by ids."},
		{"effect", "What a change does to the geofence: \"worse\", \"improved\", \"neutral\" (a difference that is neither) " +
			"or \"none\" (no difference). worse: a forbidden landing NEW allows and OLD did not (state new); one NEW allows " +
			"with a smaller witness than OLD's; a fence whose failure tolerance fell; a violation rate that rose significantly " +
			"and either ends above its limit or rose by more than tolerate; a lint that appeared with at least fail_on's " +
			"severity. improved: the reverse of each (a violation rate improves when it falls significantly)."},
		{"entry, subject", "A scenario path with each list item named by what it is rather than where it stands — by id, " +
			"routes by region or region/plan, policy rules by name (or, unnamed, by selector), members of lists of ids or " +
			"codes by their value — so that both versions name the same item alike: routing.whitelists.kms-pool[cn-bj-1]. " +
			"entry is the primary or whitelist entry that lets a landing in; at (and old_at) locate it at line:column in " +
			"NEW's file (OLD's for what NEW no longer has), or name the --set or --set-old override that set it."},
		{"landings", "Every forbidden landing either version's static analysis finds (see static and witness), with its " +
			"state and effect. witness is NEW's (OLD's when absent); old_witness is OLD's when both have the landing. " +
			"updated: the witnesses differ as sets, or another entry or jurisdiction lets it in."},
		{"fences", "Every fence (a population's plane) of either version: state new or absent when only one version has " +
			"the population (or routes it), updated when any of its landings, its tolerance or its violation rate changed; " +
			"effect is the strongest of theirs (worse over improved over neutral); old_tolerance and new_tolerance are each " +
			"version's (-1: none breaks it, or the version has no such fence)."},
		{"summary", "Counts of the items by state (landings, lints), of the fences whose tolerance fell or rose, of routing " +
			"changes and of the violation rates judged worse, improved or significantly changed: what changed before the " +
			"detail, as terraform's plan says it."},
		{"tolerances", "The fences of populations both versions have whose failure tolerance (see tolerance) differs; " +
			"-1 means no state of the system breaks the fence."},
		{"lints", "Every lint of either version, matched across versions by rule and subject (the k-th of several alike " +
			"with the k-th); updated when the message differs. A lint counts as worse (appeared) or improved (gone) only " +
			"when its severity is at least fail_on."},
		{"routing", "What changed in the datacenters (added, removed, jurisdiction or region), populations (added, removed, " +
			"region, jurisdiction, plan, dialling in), jurisdiction groups and whitelists (members added or removed; a " +
			"whitelist's entries reordered), routes (added or removed, primaries added, removed or reordered, attempts, " +
			"connect_timeout, secondaries' whitelist, picks and order, key custody, retries, backoff) and policy rules (added, " +
			"removed, selector, jurisdictions allowed per plane, order: first match wins). Each is located in NEW, or in OLD " +
			"for what was removed. Routing changes are neither worse nor improved: their consequences are."},
		{"simulation", "Both versions simulated on the same seed and replications (common random numbers: replication i " +
			"of each offers the same joins), compared population by population and in total as check's baseline comparison " +
			"is (see change), baseline being OLD and this NEW."},
		{"significant", "A paired change is significant when the 95% interval of the per-replication differences NEW − OLD " +
			"lies wholly above zero (a rise) or wholly below (a fall). Replications in which OLD and NEW behave alike " +
			"contribute exactly 0, so a change that touches nothing the simulation uses is never significant."},
		{"tolerate", "--tolerate X, a rate in violations per join offered (default 0): a violation rate that rose " +
			"significantly is worse when the mean of its paired change exceeds X, or when NEW's mean rate exceeds the " +
			"plane's limit whatever X is. A significant rise of at most X that stays under the limit is neutral."},
		{"blocking (diff)", "With a blocking limit (max_blocking: --max-blocking, else NEW's run.max_blocking), each population's " +
			"paired change of blocking_probability is judged: worse when it rose significantly and NEW's blocking ends above the " +
			"limit, or rose by more than tolerate_blocking (--tolerate-blocking; none by default, so that only the limit judges); " +
			"improved when it fell significantly."},
		{"groups (diff)", "Each rate of each of NEW's groups (see groups), of the joins of its populations both versions have, " +
			"pooled and paired NEW − OLD: held to the group's limit in NEW like a fence's rate (worse when it rose significantly past " +
			"the limit or by more than tolerate, tolerate_blocking for blocking); without a limit, reported and never worse."},
		{"limit", "The highest violation_rate a plane may have, from --max-violation-rate…, else NEW's " +
			"run.max_violation_rate, else 0; limit_source says which."},
		{"worse, improved, changed, failed", "worse and improved list, one sentence each with its file:line:column when known, " +
			"every item whose effect is worse or improved. changed is set when the diff shows any difference: a landing, " +
			"lint or routing change, a tolerance, a significant paired change of any simulated figure, or a population only " +
			"one version has. failed is set when the diff has what exit_on names — worse (the default), improved or " +
			"changed — and the command then exits 1."},
		{"accepted (diff)", "NEW's accepted risks (its scenario's accepted list and --accept files), judged on date as a check " +
			"judges them: a landing that would be worse and that an acceptance holding on date covers, a fall in tolerance whose " +
			"every worse landing is covered, and a rate rise whose every cause in NEW is at a covered datacenter are neutral " +
			"instead, with the acceptance that covers them; the diff's accepted list says what they are."},
	}
	defs = append(defs, definitionsOf(Check(), "static", "witness", "tolerance", "fail_on", "change")...)
	return append(defs, definitionsOf(Figures(), "mean ± half_width", "blocking_probability", "secondary_share",
		"violation_rate", "upper", "latency_p50, latency_p95, latency_p99", "groups", "overrides")...)
}

// Sweep returns the definition of every figure a sweep report
// holds: the sweep's own, then those it shares with the run report.
func Sweep() []Definition {
	defs := []Definition{
		{"points", "Every combination of one value of each axis of the study, the first axis outermost; the axes of a zip " +
			"move together (zip numbers them: value k of each at once, not every combination). values are the " +
			"point's value of each axis as the study writes them; overrides are every change made to the scenario file at " +
			"the point: the command line's, the study's when (conditions) and set, then the axes' values, in order; " +
			"at_every_point says the study's when and set in words. An axis load[SELECTOR] multiplies the join rates of the " +
			"populations the selector picks, capacities unchanged."},
		{"common random numbers", "Every point runs with the same seed and replications, and arrival streams keyed by " +
			"population id, so that replication i of one point offers the same joins as replication i of another: " +
			"differences between points are paired, and each point's figures are what geofence run with the point's " +
			"overrides reports."},
	}
	return append(defs, definitionsOf(Figures(), "replication", "counts", "mean ± half_width", "upper", "offered",
		"blocking_probability", "secondary_share", "violations", "violation_rate", "replications_with_violations",
		"violating_minutes", "latency_p50, latency_p95, latency_p99", "total", "headline", "overrides")...)
}

// Plan returns the definition of every figure a plan report holds.
func Plan() []Definition {
	defs := []Definition{
		{"question", "The values min, min + step, …, max of a quantity, set at (by \"set\") or multiplying (by \"scale\") " +
			"every path — or (by \"load\") multiplying the join rates of the populations its load paths pick, capacities " +
			"unchanged — searched for the least value that passes (goal \"least\": a capacity) or the largest (goal " +
			"\"largest\": a demand the configuration still carries), assuming passing is monotone in the value. populations names " +
			"the populations (their fences) and groups (their rates of their joins pooled) held to limits; every population, and " +
			"every group with limits of its own, when empty."},
		{"passed", "Every rate held — each fence's violation rate, each population's blocking when max_blocking is set, each " +
			"held group's rates (groups: the group's own limits, else the plan's) — has its one-sided 95% upper bound at or below " +
			"its limit at that value: the replications show the rate is within the limit."},
		{"not_above", "Every fence's violation rate has the low end of its 95% interval at or below its limit (a rate " +
			"no replication saw counts as 0): the replications cannot show the rate is over the limit."},
		{"answer", "The boundary value of passed, found by bisection on common random numbers (every value runs the same " +
			"replications of the same seed), then made stable: the values either side of it run again on twice the " +
			"replications, and again, until both keep their verdicts (or the replications reach 16 times the scenario's). " +
			"plausible is from the boundary of not_above to the answer: the values the simulation cannot tell apart " +
			"from the exact answer, which lies in it. replications is how many decided it."},
		{"evaluations", "Every value run, in the order made, with its replications, both verdicts, the fence whose upper " +
			"bound is furthest over (or nearest under) its limit, relative to it, and the total figures."},
	}
	return append(defs, definitionsOf(Figures(), "mean ± half_width", "upper", "violation_rate", "blocking_probability", "total", "groups", "overrides")...)
}
