package study

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/strictjson"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/validate"
)

// Results are read back — the partials of a sharded job to merge, a
// saved result to draw — from files anyone may have written or edited.
// They are read like every other input (format.ReadFile: no special
// file, at most MaxResultBytes), decoded strictly (strictjson.Read) and
// refused, naming the file and the JSON pointer of the value at fault,
// when they hold what no run writes. A file that is not a result of the
// kind wanted is refused without a word of its content.

// MaxResultBytes bounds a result or partial read back: far more than a
// run's figures take (a sweep of the most points keeps their estimates,
// not their replications), so that a stray file cannot take the memory.
const MaxResultBytes = 1 << 30

// kinds are the results a page can be drawn from: how to make one, and
// the version of its JSON layout.
var kinds = map[string]struct {
	make    func() any
	version int
}{
	results.KindRun: {func() any { return new(results.Report) }, results.FormatVersion},
	check.Kind:      {func() any { return new(check.Report) }, check.FormatVersion},
	KindSweep:       {func() any { return new(SweepReport) }, SweepFormatVersion},
	KindPlan:        {func() any { return new(PlanReport) }, PlanFormatVersion},
	diff.Kind:       {func() any { return new(diff.Report) }, diff.FormatVersion},
}

// ResultKind returns the kind of result data holds when it is a JSON
// object with a kind ("run", "check", ...), and "" when it is not: a
// scenario, say. It reads no further than the kind.
func ResultKind(data []byte) string {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return ""
	}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return ""
		}
		if name.String() == "kind" {
			kind, err := dec.ReadToken()
			if err != nil || kind.Kind() != '"' {
				return ""
			}
			return kind.String()
		}
		if dec.SkipValue() != nil {
			return ""
		}
	}
	return ""
}

// ReadResult decodes a saved JSON result: a *results.Report for "run", a
// *check.Report for "check", a *SweepReport for "sweep", a *PlanReport
// for "plan", a *diff.Report for "diff". It refuses another kind, and a
// result that is not as geofence writes it (see strictjson.Read and
// results.CheckSaved).
func ReadResult(data []byte) (any, error) {
	kind := ResultKind(data)
	k, ok := kinds[kind]
	if kind == KindPartial {
		return nil, errors.New("a partial result, one shard's part: merge the partials of every shard (geofence merge -o json), then draw the merged result")
	}
	if !ok {
		names := slices.Sorted(func(yield func(string) bool) {
			for name := range kinds {
				if !yield(name) {
					return
				}
			}
		})
		return nil, fmt.Errorf("not a result a page can be drawn from: its kind is none of %s", strings.Join(names, ", "))
	}
	r := k.make()
	if err := strictjson.Read(data, r); err != nil {
		return nil, fmt.Errorf("not a %s result as geofence writes one: %w", kind, err)
	}
	if err := checkHeader(r.(interface{ Head() results.Header }).Head(), kind, k.version); err != nil {
		return nil, err
	}
	if err := results.CheckSaved(r, 0); err != nil {
		return nil, fmt.Errorf("a %s result no run writes: %w", kind, err)
	}
	return r, nil
}

// checkHeader checks that a result's header is of kind and of this
// version of its layout.
func checkHeader(h results.Header, kind string, version int) error {
	switch {
	case h.FormatVersion != version:
		return strictjson.Fieldf("/format_version", "%d; this geofence reads %s results of format %d", h.FormatVersion, kind, version)
	case h.Tool != Tool:
		return strictjson.Fieldf("/tool", "not %s: the result was not written by it", Tool)
	}
	return nil
}

// ReadResultFile reads the file at path when it is a saved result, and
// reports false — nothing read — when path names no file, or a file that
// is not a JSON result (a scenario, for the scenario loader to read).
// It returns when ctx is done.
func ReadResultFile(ctx context.Context, path string) (result any, saved bool, err error) {
	data, err := interruptible(ctx, func() ([]byte, error) { return format.ReadFile(path, "result or scenario", MaxResultBytes) })
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	case ResultKind(data) == "":
		return nil, false, nil
	}
	result, err = interruptible(ctx, func() (any, error) { return ReadResult(data) })
	if err != nil {
		return nil, true, fmt.Errorf("%s: %w", path, err)
	}
	return result, true, nil
}

// ReadPartials reads the partial results at paths, each as ReadPartial
// does. It returns when ctx is done.
func ReadPartials(ctx context.Context, paths []string) ([]*Partial, error) {
	var parts []*Partial
	for _, path := range paths {
		p, err := interruptible(ctx, func() (*Partial, error) {
			data, err := format.ReadFile(path, "partial result", MaxResultBytes)
			if err != nil {
				return nil, err
			}
			return ReadPartial(path, data)
		})
		if err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	return parts, nil
}

// maxPath bounds a file's name in a partial: the longest path Linux
// opens.
const maxPath = 4096

// sha256Hex is how a job records the SHA-256 of a file.
var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ReadPartial decodes a shard's partial result, read from file, and
// checks what can be checked without its scenario: its kind and layout,
// its shard and its job; Merge checks its figures against the scenario.
// Errors name file and, where there is one, the JSON pointer at fault.
func ReadPartial(file string, data []byte) (*Partial, error) {
	fail := func(err error) (*Partial, error) { return nil, fmt.Errorf("%s: %w", file, err) }
	switch kind := ResultKind(data); {
	case kind == KindPartial:
	case kinds[kind].make != nil:
		return fail(fmt.Errorf("a %s result, not a partial one: merge combines what --shard writes", kind))
	default:
		return fail(errors.New("not a partial result: it has no kind \"partial\""))
	}
	var p Partial
	if err := strictjson.Read(data, &p); err != nil {
		return fail(fmt.Errorf("not a partial result as geofence writes one: %w", err))
	}
	if err := checkHeader(p.Header, KindPartial, PartialFormatVersion); err != nil {
		return fail(err)
	}
	if err := p.check(); err != nil {
		return fail(err)
	}
	p.File = file
	return &p, nil
}

// check checks a partial's shard and job, and that it holds what its
// command runs: one accumulator (two with a baseline) for a run or a
// check, points for a sweep.
func (p *Partial) check() error {
	j := p.Job
	runs := 0
	switch j.Command {
	case "run":
		runs = 1
	case "check":
		runs = 1
		if j.Baseline != nil {
			runs = 2
		}
		if j.Check == nil {
			return strictjson.Fieldf("/job/check", "missing: a check's partial has its settings")
		}
	case "sweep":
		if j.Study == nil {
			return strictjson.Fieldf("/job/study", "missing: a sweep's partial has its study")
		}
	default:
		return strictjson.Fieldf("/job/command", "want run, check or sweep")
	}
	switch {
	case p.Shard.Count < 1 || p.Shard.Count > maxShards || p.Shard.Index < 0 || p.Shard.Index >= p.Shard.Count:
		return strictjson.Fieldf("/shard", "shard %d of %d: want 0 ≤ index < count ≤ %d", p.Shard.Index, p.Shard.Count, maxShards)
	case j.Replications < 2 || j.Replications > validate.MaxReplications:
		return strictjson.Fieldf("/job/replications", "%d: a job has 2 to %d", j.Replications, validate.MaxReplications)
	case len(p.Runs) != runs:
		return strictjson.Fieldf("/runs", "%d accumulators; a %s's partial has %d", len(p.Runs), j.Command, runs)
	case j.Command != "sweep" && len(p.Points) > 0:
		return strictjson.Fieldf("/points", "a %s has no points", j.Command)
	}
	for _, src := range []struct {
		member string
		source *Source
	}{{"scenario", &j.Scenario}, {"study", j.Study}, {"baseline", j.Baseline}} {
		switch {
		case src.source == nil:
		case len(src.source.File) > maxPath:
			return strictjson.Fieldf("/job/"+src.member+"/file", "%d bytes, longer than any path", len(src.source.File))
		case !sha256Hex.MatchString(src.source.SHA256):
			return strictjson.Fieldf("/job/"+src.member+"/sha256", "not a SHA-256 in hexadecimal")
		}
	}
	for i, pt := range p.Points {
		if err := results.CheckSaved(&pt, j.Replications); err != nil {
			return strictjson.Under(fmt.Sprintf("/points/%d", i), err)
		}
	}
	return nil
}
