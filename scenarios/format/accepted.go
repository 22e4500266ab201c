package format

import (
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// acceptedFile is the top level of a file of acceptances.
type acceptedFile struct {
	Accepted []scenarios.Accepted `yaml:"accepted" doc:"Accepted risks, as in a scenario's accepted list."`
}

// LoadAcceptedFile reads and checks the file of acceptances at path (for
// --accept FILE), whose top level is accepted: [...], with the same strict
// decoder as scenarios. Which populations and datacenters the entries
// name is for Scenario.CheckAccepted to check against a scenario. Any
// problem is Problems, listing everything wrong at once; a file that
// cannot be read gives the os error, and anything but a regular file an
// error saying what it is.
func LoadAcceptedFile(path string) ([]scenarios.Accepted, error) {
	data, err := readRegular(path, "file of accepted risks", maxFileSize)
	if err != nil {
		return nil, err
	}
	var f acceptedFile
	d, err := decodeFile(path, data, "file of accepted risks", &f)
	if err != nil {
		return nil, err
	}
	src := d.source(data, nil)
	locate(f.Accepted, src)
	if !d.exhausted && d.Dropped == 0 {
		c := validate.NewChecker(&d.Collector, src, d.List)
		for i, a := range f.Accepted {
			c.AcceptedForm(a, scenarios.AcceptedPath(i))
		}
	}
	if len(d.List) > 0 {
		return nil, d.Report(path)
	}
	return f.Accepted, nil
}

// locate records in each acceptance where it is written.
func locate(list []scenarios.Accepted, src *scenarios.Source) {
	for i := range list {
		list[i].File, list[i].Pos = src.File, src.Pos(scenarios.AcceptedPath(i))
	}
}
