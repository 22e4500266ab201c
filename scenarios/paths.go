package scenarios

// Paths name values in a scenario as Source.Pos takes them (see join and
// index). These build the ones findings point at, so that every package
// spells them the way the loader records them.

// RoutePath is the path of route i, e.g. "routing.routes[2]".
func RoutePath(route int) string { return Index("routing.routes", route) }

// PlaneRoutePath is the path of route i's plane route, e.g.
// "routing.routes[2].keys".
func PlaneRoutePath(route int, plane Plane) string { return Join(RoutePath(route), string(plane)) }

// PrimaryPath is the path of the k-th primary of route i's plane route.
func PrimaryPath(route int, plane Plane, k int) string {
	return Index(Join(PlaneRoutePath(route, plane), "primaries"), k)
}

// WhitelistPath is the path of the whitelist name.
func WhitelistPath(name string) string { return Join("routing.whitelists", name) }

// WhitelistEntryPath is the path of entry k of the whitelist name.
func WhitelistEntryPath(name string, k int) string { return Index(WhitelistPath(name), k) }

// AcceptedPath is the path of acceptance i of a scenario or of a file of
// acceptances, e.g. "accepted[2]".
func AcceptedPath(i int) string { return Index("accepted", i) }
