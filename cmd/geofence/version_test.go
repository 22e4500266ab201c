package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// The version says the release of the source tree and what the build
// recorded: the module version `go install` fetched, or the revision a
// build from a checkout was stamped with, and never loses either.
func TestBuildVersion(t *testing.T) {
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "136fb62e1a2b3c4d5e6f708192a3b4c5d6e7f809"
	for _, c := range []struct {
		name     string
		info     *debug.BuildInfo
		want     string   // String: what reports record
		inReport []string // lines of `geofence version`
	}{
		{"no build info", nil, release, []string{"module:   (devel), built from a source tree", "revision: unknown"}},
		{"go run", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/geofence/geofence", Version: "(devel)"}},
			release, []string{"module:   github.com/geofence/geofence (devel), built from a source tree", "go:       go1.26.8"}},
		{"go install @release", &debug.BuildInfo{Main: debug.Module{Path: "github.com/geofence/geofence", Version: "v" + release}},
			release, []string{"module:   github.com/geofence/geofence v" + release, "revision: unknown"}},
		{"go install @main", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20261101120000-136fb62e1a2b"}},
			release + "+136fb62e1a2b", []string{"module:   v0.1.1-0.20261101120000-136fb62e1a2b", "revision: 136fb62e1a2b"}},
		{"go install of a tag whose source says another release", &debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}},
			release + " (module v9.9.9)", []string{"release:  " + release + " (this source tree)", "module:   v9.9.9"}},
		{"go build in a checkout with changes", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261101120000-136fb62e1a2b+dirty"},
			Settings: settings("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-11-01T12:00:00Z", "vcs.modified", "true")},
			release + "+136fb62e1a2b.dirty", []string{"revision: " + rev + ", committed 2026-11-01T12:00:00Z, with changes not committed"}},
		{"go build of a clean tag", &debug.BuildInfo{Main: debug.Module{Version: "v" + release},
			Settings: settings("vcs.revision", rev, "vcs.modified", "false")},
			release + "+136fb62e1a2b", []string{"revision: " + rev + "\n"}},
	} {
		b := buildVersionOf(c.info)
		if got := b.String(); got != c.want {
			t.Errorf("%s: version %q, want %q", c.name, got, c.want)
		}
		report := b.report()
		if !strings.HasPrefix(report, "geofence "+c.want+"\n") {
			t.Errorf("%s: report starts %q, want the version", c.name, report)
		}
		for _, line := range c.inReport {
			if !strings.Contains(report, line) {
				t.Errorf("%s: report lacks %q:\n%s", c.name, line, report)
			}
		}
	}
}
