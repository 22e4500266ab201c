package fence

// Lands is the landing rule stated state by state, the oracle the tests
// hold Reach (and the engine) to. It lives in a test file because only the
// tests need it; the package's external tests see it too.

// Lands returns the datacenters a client following r can be admitted by
// when exactly the datacenters in unavailable are full or down. It states
// the landing rule directly, state by state; Reach must agree with it.
func Lands(r *Route, unavailable map[int]bool) []int {
	for _, p := range r.Primaries {
		if !unavailable[p] {
			return []int{p}
		}
	}
	candidates := r.Whitelist
	if r.Nearest {
		candidates = r.NearestOrder[:min(r.Picks, len(r.NearestOrder))]
	}
	var out []int
	for _, c := range candidates {
		if unavailable[c] {
			continue
		}
		out = append(out, c)
		if r.Nearest {
			break // tried in order: the first available admits
		}
	}
	return out
}
