package format

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/consul"
	"github.com/geofence/geofence/scenarios/internal/gitrev"
	"github.com/geofence/geofence/scenarios/istio"
	"github.com/geofence/geofence/scenarios/route53"
)

// importRouting reads the files s.Routing.Import names (relative to the
// scenario file, inside the built-ins for a built-in, at the same
// revision for a file read at one) and compiles them
// with the importer of their format: the routes it makes are appended to
// s.Routing.Routes, their positions in the files recorded with the
// decoder's, and its lints kept in the import. It returns the files read,
// which the scenario's SHA-256 covers; what goes wrong is the decoder's
// problems, located in the scenario or in the file at fault.
func (d *decoder) importRouting(ctx context.Context, s *scenarios.Scenario) []scenarios.ImportFile {
	im := s.Routing.Import
	if im == nil {
		return nil
	}
	compile := importers[im.Format]
	if compile == nil {
		known := slices.Sorted(func(yield func(string) bool) {
			for name := range importers {
				if !yield(name) {
					return
				}
			}
		})
		d.problemAt("routing.import.format", "%q is not a format routing can be imported from; the formats are %s", scenarios.Clip(im.Format), strings.Join(known, ", "))
		return nil
	}
	var files []scenarios.ImportFile
	for i, name := range im.Files {
		data, shown, err := d.readImport(ctx, name)
		if err != nil {
			d.problemAt(scenarios.Index("routing.import.files", i), "%v", err)
			continue
		}
		files = append(files, scenarios.ImportFile{Name: shown, Written: name, Data: data})
	}
	if len(files) < len(im.Files) {
		return nil
	}
	imported, problems := compile(s, files, len(s.Routing.Routes))
	for _, p := range problems {
		if p.File == "" { // a value of the scenario itself
			pos := d.posOf(p.Path)
			p.File, p.Line, p.Column = d.file, pos.Line, pos.Column
		}
		d.Add(p)
	}
	if len(problems) > 0 {
		return files
	}
	s.Routing.Routes = append(s.Routing.Routes, imported.Routes...)
	for p, pos := range imported.Positions {
		d.positions[p] = pos
	}
	im.Lints = imported.Lints
	return files
}

// importer compiles files of one format into routes for s, numbering them
// from base (see scenarios.Imported).
type importer func(s *scenarios.Scenario, files []scenarios.ImportFile, base int) (scenarios.Imported, scenarios.Problems)

// importers are the formats routing can be imported from.
var importers = map[string]importer{
	"istio":   istio.Import,
	"consul":  consul.Import,
	"route53": route53.Import,
}

// readImport reads the file a scenario imports as it names it (name),
// and says how findings name it: joined to the scenario's directory (at
// its revision, for a file read at one).
func (d *decoder) readImport(ctx context.Context, name string) (data []byte, shown string, err error) {
	if at, ok := scenarios.ParseRevisionRef(d.file); ok {
		r := at.Relative(name)
		data, err = gitrev.Read(ctx, r, maxFileSize)
		return data, r.String(), err
	}
	if rest, ok := strings.CutPrefix(d.file, scenarios.BuiltinPrefix); ok {
		shown = path.Join(scenarios.BuiltinPrefix, path.Dir(rest), name)
		data, err = scenarios.BuiltinFile(strings.TrimPrefix(shown, scenarios.BuiltinPrefix))
		return data, shown, err
	}
	shown = name
	if !filepath.IsAbs(name) {
		shown = filepath.Join(filepath.Dir(d.file), name)
	}
	data, err = ReadFile(shown, "configuration", maxFileSize)
	return data, shown, err
}

// problemAt reports a problem with the scenario's value at path, located
// where the file has it.
func (d *decoder) problemAt(path, format string, args ...any) {
	pos := d.posOf(path)
	msg := fmt.Sprintf(format, scenarios.ClipArgs(args)...)
	d.Add(scenarios.Problem{File: d.file, Line: pos.Line, Column: pos.Column, Path: path, Msg: path + ": " + msg})
}

// posOf is where the value at path stands in the scenario, or its nearest
// enclosing value.
func (d *decoder) posOf(p string) scenarios.Position {
	for {
		if pos, ok := d.positions[p]; ok || p == "" {
			return pos
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			p = ""
		} else {
			p = p[:i]
		}
	}
}
