package format

import (
	"errors"
	"fmt"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// AtReference locates err, from loading the file a reference names — the
// value at path of the file src, such as a study's scenario or a
// scenario's baseline — at the reference when the file is no scenario at
// all or cannot be read: one problem there, naming the file and what is
// wrong with it (a position in it at most, never a word of it). The
// problems of a scenario with mistakes, and any other error, are left as
// they are: they are located in the scenario's own file.
func AtReference(err error, src *scenarios.Source, path string) error {
	var wrong *NotOfKind
	var problems scenarios.Problems
	switch {
	case err == nil || src == nil:
		return err
	case errors.As(err, &wrong):
		where := wrong.File
		if wrong.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, wrong.Line)
		}
		if wrong.Column > 0 {
			where = fmt.Sprintf("%s:%d", where, wrong.Column)
		}
		err = fmt.Errorf("%s is not a %s: %s (at %s)", wrong.File, wrong.What, strings.TrimPrefix(wrong.Msg, "not a "+wrong.What+": "), where)
	case errors.As(err, &problems):
		return err
	}
	pos := src.Pos(path)
	return scenarios.Problems{{File: src.File, Line: pos.Line, Column: pos.Column, Path: path, Msg: path + ": " + err.Error()}}
}
