package scenarios

import (
	"path"
	"strings"
)

// RevisionPrefix starts a reference to a file as it is at a revision of
// the git repository around the current directory: git:REV:PATH (e.g.
// git:main:scenarios/eu.yaml). The model only spells such references;
// the format package reads them.
const RevisionPrefix = "git:"

// RevisionRef is a file at a revision: PATH as the working tree names
// it (relative to the current directory, or absolute), as it is at REV
// (a branch, tag, commit or any revision git accepts that holds no
// colon).
type RevisionRef struct {
	Rev, Path string
}

// ParseRevisionRef splits ref into its revision and path when it starts
// with RevisionPrefix; ok is false for any other reference. A revision or
// path left empty is for the reader to refuse.
func ParseRevisionRef(ref string) (r RevisionRef, ok bool) {
	rest, ok := strings.CutPrefix(ref, RevisionPrefix)
	if !ok {
		return RevisionRef{}, false
	}
	r.Rev, r.Path, _ = strings.Cut(rest, ":")
	return r, true
}

// String is the reference as ParseRevisionRef reads it.
func (r RevisionRef) String() string { return RevisionPrefix + r.Rev + ":" + r.Path }

// Relative is the file that ref, a relative path written in r's file,
// names at the same revision: a file's references resolve within the
// revision it was read from, as they would in a checkout of it.
func (r RevisionRef) Relative(ref string) RevisionRef {
	return RevisionRef{Rev: r.Rev, Path: path.Join(path.Dir(r.Path), ref)}
}
