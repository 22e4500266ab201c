package main

import (
	"context"
	"io"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/routes"
	"github.com/geofence/geofence/results/study"
)

// routesCmd prints what each population's route does for each plane: the
// chain, what it never names, and the split for the datacenters named
// unhealthy.
func routesCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "routes", render.RoutesFormats())
	population := fs.String("population", "", "only this population (`ID`)")
	plane := fs.String("plane", "", "only this plane (`media|keys|connector`)")
	unhealthy := fs.StringSlice("unhealthy", nil, "take these datacenters (`DC,...`) to be full or down, their hosts ejected, and split the requests accordingly")
	var changes changeFlags
	changes.register(fs.FlagSet)
	out := fs.String("out", "", "write to `FILE`, not standard output: a file (or a link's target) is replaced atomically, a device or FIFO written in place")
	arg, err := fs.parseScenario(args)
	if err != nil {
		return err
	}
	if fs.Changed("out") && *out == "" {
		return usageError{"--out needs a file name; without --out the routes go to standard output"}
	}
	s, err := changes.load(ctx, arg)
	if err != nil {
		return err
	}
	report, err := routes.Build(s, routes.Options{Population: *population, Plane: *plane, Unhealthy: *unhealthy, Meta: study.Meta(s, version())})
	if err != nil {
		return usageError{err.Error()}
	}
	o, err := openOutput(e.stdout, *out, []string{arg})
	if err != nil {
		return err
	}
	return o.render(ctx, func(w io.Writer) error { return render.Routes(w, report, *fs.format) })
}
