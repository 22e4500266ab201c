// Package istio reads Istio's DestinationRule, ServiceEntry and
// WorkloadEntry files as they sit in git and compiles the locality load
// balancing Istio gives each population's clients into routes of the
// model: for every population and every plane routing.import names a
// service for, a balance route with the priorities, weights, outlier
// detection, panic threshold, retries and connect timeout Istio would
// configure Envoy with for a proxy at the population's locality.
//
// It follows Istio's code (pilot/pkg/networking/core/loadbalancer,
// pilot/pkg/xds/endpoints, pilot/pkg/networking/core/cluster_traffic_policy.go),
// not its prose; docs/DESIGN.md ("Istio") gives the construction and its
// sources. Every value of a route it makes is located in the file it came
// from, at the line to change: the endpoint, the distribute or failover
// entry, or the localityLbSetting whose missing distribute lets a far
// region in. Fields Istio's schema does not have are lints; fields that
// change where traffic goes and are not modelled are problems naming the
// field; lints flag what Istio accepts but likely does not do what was
// meant (Rules).
package istio
