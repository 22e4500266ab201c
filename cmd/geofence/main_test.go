package main

import (
	"context"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested by the scripts in testdata/script: each runs geofence
// as a user would and states what must and must not come out. Scripts run
// the command in a fresh process, so they can set GOMAXPROCS.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"geofence": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
	})
}
