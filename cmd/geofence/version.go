package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// release is the version of this source tree, bumped with its changelog;
// the build says the rest (buildVersion).
const release = "0.2.0"

// develVersion is the module version the Go toolchain records for a
// build from a source tree it did not stamp from version control (go run,
// -buildvcs=false).
const develVersion = "(devel)"

// buildVersion is what a binary knows of its own version: the source
// tree's release, and from its build information the module's version
// (the tag or pseudo-version `go install MODULE@VERSION` fetched, or
// what the toolchain stamped from the checkout it built) and the version
// control revision, its commit time, and whether the tree had changes
// not committed.
type buildVersion struct {
	Release  string
	Module   string // the module path
	Version  string // the module version; develVersion when unknown
	Revision string // the full commit hash; "" when unknown
	Time     string // the commit time, RFC 3339; "" when unknown
	Modified bool
	Go       string // the toolchain, e.g. go1.26.8
}

// readBuildVersion reads the running binary's build information.
func readBuildVersion() buildVersion {
	info, _ := debug.ReadBuildInfo()
	return buildVersionOf(info)
}

// buildVersionOf reads info (nil when the binary has none).
func buildVersionOf(info *debug.BuildInfo) buildVersion {
	b := buildVersion{Release: release, Version: develVersion, Go: runtime.Version()}
	if info == nil {
		return b
	}
	b.Module, b.Go = info.Main.Path, info.GoVersion
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	if b.Revision == "" {
		b.Revision = pseudoRevision(b.Version)
	}
	return b
}

// pseudoRevision is the commit a pseudo-version names
// (v0.1.1-0.20261101120000-136fb62e1a2b gives 136fb62e1a2b), or "" for
// any other version: `go install MODULE@main` records the commit only so.
func pseudoRevision(version string) string {
	version, _, _ = strings.Cut(version, "+")
	parts := strings.Split(version, "-")
	if len(parts) < 3 {
		return ""
	}
	rev, stamp := parts[len(parts)-1], parts[len(parts)-2]
	if i := strings.LastIndexByte(stamp, '.'); i >= 0 {
		stamp = stamp[i+1:]
	}
	if len(rev) != 12 || len(stamp) != 14 || strings.Trim(rev, "0123456789abcdef") != "" || strings.Trim(stamp, "0123456789") != "" {
		return ""
	}
	return rev
}

// revisionLength is how much of a commit hash a version shows, as git's
// short hashes and Go's pseudo-versions do.
const revisionLength = 12

// String is the version every report records: the release, with the
// revision it was built from as build metadata (and ".dirty" when the
// tree had changes not committed), and the module version when it is
// neither the release nor a build from source, e.g. "0.1.0",
// "0.1.0+136fb62e1a2b.dirty" or "0.1.0 (module v0.2.0)".
func (b buildVersion) String() string {
	v := b.Release
	if rev := b.Revision; rev != "" {
		v += "+" + rev[:min(len(rev), revisionLength)]
		if b.Modified {
			v += ".dirty"
		}
	}
	if b.taggedElsewhere() {
		v += " (module " + b.Version + ")"
	}
	return v
}

// taggedElsewhere reports whether the module version is a release other
// than this tree's: a tag whose source says another release (a release
// constant not bumped, or a fork's tag).
func (b buildVersion) taggedElsewhere() bool {
	tag, _, _ := strings.Cut(b.Version, "+") // a tag built from a tree with changes ends in +dirty
	return tag != develVersion && pseudoRevision(tag) == "" && tag != "v"+b.Release
}

// report is what `geofence version` prints: the version reports record,
// then each thing the build knows, one per line.
func (b buildVersion) report() string {
	var s strings.Builder
	fmt.Fprintf(&s, "geofence %s\n", b)
	fmt.Fprintf(&s, "release:  %s (this source tree)\n", b.Release)
	module := b.Version
	if module == develVersion {
		module += ", built from a source tree"
	}
	if b.Module != "" {
		module = b.Module + " " + module
	}
	fmt.Fprintf(&s, "module:   %s\n", module)
	revision := "unknown (not built from a version-controlled tree)"
	if b.Revision != "" {
		revision = b.Revision
		if b.Time != "" {
			revision += ", committed " + b.Time
		}
		if b.Modified {
			revision += ", with changes not committed"
		}
	}
	fmt.Fprintf(&s, "revision: %s\n", revision)
	fmt.Fprintf(&s, "go:       %s %s/%s\n", b.Go, runtime.GOOS, runtime.GOARCH)
	return s.String()
}

// version is the version every report records.
func version() string { return readBuildVersion().String() }

func versionCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{"takes no arguments"}
	}
	_, err := fmt.Fprint(e.stdout, readBuildVersion().report())
	return err
}
