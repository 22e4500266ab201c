package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// release is the version of this source tree; a build from a VCS checkout
// appends its revision.
const release = "0.2.0"

func version() string {
	v := release
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}

func versionCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "geofence %s\n", version())
	return err
}
