package sim

import "github.com/geofence/geofence/scenarios"

// Model is a validated scenario compiled into dense, index-addressed tables.
// It is immutable once built and shared read-only by every replication.
type Model struct {
	Scenario    *scenarios.Scenario
	Populations []PopulationInfo
	Datacenters []DatacenterInfo

	Horizon    float64 // seconds simulated per replication
	Warmup     float64 // seconds before measurement starts
	Bucket     float64 // width of a time bucket in seconds
	NumBuckets int     // ceil(Horizon / Bucket)

	compiled compiled
}

// PopulationInfo names a population as the scenario does.
type PopulationInfo struct {
	ID, Region, Jurisdiction, Plan string
	Route                          int // index in Scenario.Routing.Routes
	Rule                           int // index in Scenario.Policy, -1 if no rule selects it
}

// DatacenterInfo names a datacenter and what it serves at the start.
type DatacenterInfo struct {
	ID, Region, Jurisdiction string
	Serves                   [NumPlanes]bool
	Capacity                 [NumPlanes]int64 // initial capacity, -1 when unlimited
}
