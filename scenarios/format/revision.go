package format

import (
	"context"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/gitrev"
)

// missingAt says what is wrong with r, a reference written in a file
// read at a revision, or "" when it names a file there.
func missingAt(ctx context.Context, r scenarios.RevisionRef) string {
	if _, err := gitrev.Read(ctx, r, maxFileSize); err != nil {
		return r.String() + ": " + err.Error()
	}
	return ""
}

// readRevisionRef reads the file at a revision that ref names, giving any
// error as a problem of ref, whose name it bears.
func readRevisionRef(ctx context.Context, ref string, r scenarios.RevisionRef) ([]byte, error) {
	data, err := gitrev.Read(ctx, r, maxFileSize)
	if err != nil {
		if ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
		return nil, scenarios.Problems{{File: ref, Msg: err.Error()}}
	}
	return data, nil
}
