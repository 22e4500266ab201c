// Package gitrev reads a file as it is at a revision of the git repository
// around the current directory, with git cat-file: no shell, a blob and
// never a tree's listing or a filtered view, bounded in size and time.
package gitrev

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/geofence/geofence/scenarios"
)

// gitTimeout bounds one git command: reading one object of a local
// repository takes milliseconds.
const gitTimeout = 30 * time.Second

// Read reads the file r names as it is at its revision, from the git
// repository around the current directory: at most maxSize bytes,
// with git cat-file (no shell; what it reads is a blob, never a tree's
// listing or a filtered view), stopped when ctx is done. Errors say what
// is wrong in the user's terms: no git, no repository, no such revision,
// no such file at it.
func Read(ctx context.Context, r scenarios.RevisionRef, maxSize int) ([]byte, error) {
	object, err := objectName(r)
	if err != nil {
		return nil, err
	}
	git, err := exec.LookPath("git")
	if err != nil {
		return nil, errors.New("reading a file at a revision needs git, which is not on PATH")
	}
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, "cat-file", "--batch")
	cmd.Stdin = strings.NewReader(object + "\n")
	cmd.WaitDelay = time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git: %w", err)
	}
	data, readErr := readBlob(bufio.NewReader(stdout), maxSize)
	if readErr != nil {
		cmd.Process.Kill() // what is left unread is not wanted
	}
	waitErr := cmd.Wait()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(readErr, errMissing):
		return nil, missing(ctx, git, r)
	case readErr != nil && !errors.Is(readErr, io.EOF):
		return nil, readErr
	case waitErr != nil || readErr != nil:
		return nil, gitError(stderr.String(), waitErr)
	}
	return data, nil
}

// objectName is r as git cat-file takes it: REV:./PATH for a path
// relative to the current directory (as git reads "./"), a path
// relative to it for an absolute one. It refuses what git would take for
// an option, and a revision or path that would end the line early.
func objectName(r scenarios.RevisionRef) (string, error) {
	switch {
	case r.Rev == "" || r.Path == "":
		return "", errors.New("want git:REV:PATH, e.g. git:main:scenarios/eu.yaml: a revision and a path")
	case strings.HasPrefix(r.Rev, "-"):
		return "", fmt.Errorf("the revision %q starts with '-'; name a branch, tag or commit", r.Rev)
	case strings.HasPrefix(r.Path, "-"):
		return "", fmt.Errorf("the path %q starts with '-'; write ./%s", r.Path, r.Path)
	case strings.ContainsAny(r.Rev+r.Path, "\n\r\x00"):
		return "", errors.New("a revision or path must not hold a line break or NUL")
	}
	p := r.Path
	if filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		if p, err = filepath.Rel(wd, p); err != nil {
			return "", err
		}
	}
	p = path.Clean(filepath.ToSlash(p))
	if !strings.HasPrefix(p, "../") && p != ".." {
		p = "./" + p
	}
	return r.Rev + ":" + p, nil
}

// errMissing is git cat-file's answer for a name it cannot find.
var errMissing = errors.New("missing")

// readBlob reads one answer of git cat-file --batch: a header line
// "OID TYPE SIZE", then SIZE bytes, for a blob of at most maxSize
// bytes.
func readBlob(r *bufio.Reader, maxSize int) ([]byte, error) {
	header, err := r.ReadString('\n')
	if err != nil {
		return nil, io.EOF // git stopped before answering: its stderr says why
	}
	fields := strings.Fields(header)
	switch {
	case len(fields) == 2 && fields[1] == "missing":
		return nil, errMissing
	case len(fields) == 2 && fields[1] == "ambiguous":
		return nil, errors.New("the revision is ambiguous; name it in full")
	case len(fields) != 3:
		return nil, fmt.Errorf("git cat-file answered %q", strings.TrimSpace(header))
	case fields[1] != "blob":
		return nil, fmt.Errorf("is a %s at that revision, not a file", fields[1])
	}
	size, err := strconv.ParseInt(fields[2], 10, 64)
	switch {
	case err != nil:
		return nil, fmt.Errorf("git cat-file answered %q", strings.TrimSpace(header))
	case size > int64(maxSize):
		return nil, fmt.Errorf("file is larger than %d MiB", maxSize>>20)
	}
	data := make([]byte, size)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, fmt.Errorf("git cat-file stopped after part of the file: %w", err)
	}
	return data, nil
}

// missing says which of r's revision and path git could not find.
func missing(ctx context.Context, git string, r scenarios.RevisionRef) error {
	ctx, cancel := context.WithTimeout(ctx, gitTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, git, "rev-parse", "--verify", "--quiet", r.Rev+"^{commit}")
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("no revision %q in this git repository (fetch it first if it is a remote branch or a commit this clone lacks)", r.Rev)
	}
	return fmt.Errorf("no file %s at revision %s (a path is taken from the current directory, as in the working tree)", r.Path, r.Rev)
}

// gitError says why git failed, from its first line on stderr.
func gitError(stderr string, err error) error {
	line, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
	line = strings.TrimPrefix(line, "fatal: ")
	switch {
	case strings.Contains(line, "not a git repository"):
		return errors.New("the current directory is not in a git repository")
	case line != "":
		return errors.New("git: " + scenarios.Clip(line))
	case err != nil:
		return fmt.Errorf("git: %w", err)
	}
	return errors.New("git cat-file gave no answer")
}
