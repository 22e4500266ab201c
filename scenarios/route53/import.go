package route53

import (
	"fmt"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// The rules of the lints the import finds in Route 53's records.
var LintRules = []scenarios.LintRule{
	{ID: "route53-ignored", Severity: "warning", Summary: "Something in an imported Terraform file is not modelled and is ignored: an unknown attribute, TTLs that differ within one answer."},
}

// Import compiles `terraform show -json` files into a dns route of its own
// for each population and each plane routing.import gives a DNS name for:
// the record groups a query for that name reaches. A population resolves
// from its jurisdiction (its country, and so its continent) and its
// region (latency). Routes are numbered from base, as the loader appends
// them.
func Import(s *scenarios.Scenario, files []scenarios.ImportFile, base int) (scenarios.Imported, scenarios.Problems) {
	var readers tree.Readers
	all := &Records{}
	for _, f := range files {
		r := readers.Of(f.Name)
		root, serr := tree.ParseJSON(f.Data)
		if serr != nil {
			r.Errors.Add(scenarios.Problem{File: f.Name, Line: serr.Pos.Line, Column: serr.Pos.Column, Msg: serr.Msg})
			continue
		}
		if recs := Read(r, root); recs != nil {
			all.Sets = append(all.Sets, recs.Sets...)
			all.Checks = append(all.Checks, recs.Checks...)
		}
	}
	if problems := readers.Problems(); len(problems) > 0 {
		return scenarios.Imported{}, problems
	}
	services := s.Routing.Import.Services
	var problems scenarios.Problems
	trees := map[scenarios.Plane]*Tree{}
	for _, plane := range scenarios.Planes {
		name := services.For(plane)
		if name == "" {
			continue
		}
		// Each record set knows its file; the tree's problems go to the
		// reader of the file holding the record that has them.
		t, ok := all.Tree(readerFor(&readers, all, name), name)
		if t == nil {
			path := scenarios.Join("routing.import.services", string(plane))
			problems = append(problems, scenarios.Problem{Path: path,
				Msg: fmt.Sprintf("%s: no A, AAAA or CNAME record of the files is named %q (names: %s)", path, DomainName(name), clipNames(all.Names()))})
			continue
		}
		if ok {
			trees[plane] = t
		}
	}
	out := scenarios.Imported{Positions: map[string]scenarios.Position{}}
	for pi := range s.Populations {
		route := scenarios.Route{Population: s.Populations[pi].ID, Imported: "route53"}
		ri := base + len(out.Routes)
		for _, plane := range scenarios.Planes {
			t := trees[plane]
			if t == nil {
				continue
			}
			compiled := Compile(&readers, s, t)
			route.SetPlaneRoute(plane, &scenarios.PlaneRoute{DNS: compiled.DNS})
			prefix := scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "dns")
			out.Positions[scenarios.PlaneRoutePath(ri, plane)] = compiled.Pos["groups[0]"]
			if _, ok := out.Positions[scenarios.RoutePath(ri)]; !ok {
				out.Positions[scenarios.RoutePath(ri)] = compiled.Pos["groups[0]"]
			}
			out.Positions[prefix] = compiled.Pos["groups[0]"]
			for rel, pos := range compiled.Pos {
				out.Positions[scenarios.Join(prefix, rel)] = pos
			}
		}
		if route.Gives(scenarios.Media) || route.Gives(scenarios.Keys) || route.Gives(scenarios.Connector) {
			out.Routes = append(out.Routes, route)
		}
	}
	problems = append(problems, readers.Problems()...) // every population's route has the same records' problems: Report keeps one of each
	if len(problems) > 0 {
		return scenarios.Imported{}, problems
	}
	out.Lints = dedupe(readers.Lints(LintRules[0].ID))
	return out, nil
}

// readerFor returns the reader of the file that holds the records named
// name (the first such record's file), so that problems of its tree are
// located there.
func readerFor(readers *tree.Readers, all *Records, name string) *tree.Reader {
	name = DomainName(name)
	for _, s := range all.Sets {
		if s.Name == name {
			return readers.Of(s.File)
		}
	}
	return readers.Of("")
}

// dedupe drops repeated lints: every population's route is compiled from
// the same records, and says the same thing about them.
func dedupe(lints []scenarios.ImportLint) []scenarios.ImportLint {
	var out []scenarios.ImportLint
	seen := map[scenarios.ImportLint]bool{}
	for _, l := range lints {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

func clipNames(names []string) string {
	if len(names) > 10 {
		return fmt.Sprintf("%v and %d more", names[:10], len(names)-10)
	}
	return fmt.Sprint(names)
}
