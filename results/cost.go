package results

import (
	"github.com/geofence/geofence/sim"
)

// SummaryFormula is how SummaryBytes estimates, for geofence help cost.
const SummaryFormula = `With P populations, D datacenters (and at most as many jurisdictions),
B time buckets, C causes of violations (as for the engine) and R
replications, the figures kept and the report made of them take

    per replication: P·(200 + 32·D) + D·3·150 + C·100      (scalars kept)
    summed buckets:  P·B·48 + D·3·B·16 + C·B·8 + 3·B·8       (and a replication's violations by bucket)
    report:          (40·P + 14·3·D + 8·P·D + 2·C)·R·8      (every estimate's per-replication values)
                     + (6·P + 2·3·D)·B·8                     (series)

bytes: they grow with the replications only by their scalars.
`

// SummaryBytes estimates what an Accumulator of replications of m holds,
// and the report made of it, by SummaryFormula; cost is m's
// sim.EstimateCost.
func SummaryBytes(m *sim.Model, replications int, cost sim.Cost) float64 {
	p, d, b, r, c := float64(len(m.Populations)), float64(len(m.Datacenters)), float64(m.NumBuckets), float64(replications), float64(cost.Causes)
	j := d
	perReplication := p*(200+32*j) + d*3*150 + c*100
	buckets := p*b*48 + d*3*b*16 + c*b*8 + 3*b*8
	estimates := 40*p + 14*3*d + 8*p*j + 2*c
	return r*perReplication + buckets + estimates*r*8 + (6*p+2*3*d)*b*8
}
