package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/google/renameio/v2"
)

// output is where a command's report goes: standard output, or the file
// named by --out. openOutput checks the target before any work is done, so
// that a bad --out costs no simulation; write sends the finished report.
type output struct {
	stdout io.Writer
	path   string // as the user gave it; "" for standard output
	// target is path with its symbolic links followed: the file replaced,
	// the link itself being kept.
	target string
	// through is set for a device, a FIFO or an open descriptor such as
	// /dev/stdout: written where it stands, never replaced by a regular file.
	through bool
	fifo    bool // waits for a reader
	// appendTo is set for an open descriptor, which may be a file the
	// shell opened with >>: what it holds must not be overwritten.
	appendTo bool
}

// descriptorDirs hold links that name the process's own open file
// descriptors; /dev/stdout and /dev/stderr are links into them.
var descriptorDirs = []string{"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"}

// maxLinks bounds the symbolic links followed, as the kernel's ELOOP does.
const maxLinks = 40

// openOutput checks that path can take a report: a regular file or a new
// one (in a directory that exists) is replaced atomically, a device, FIFO
// or open descriptor is written through, and a directory, any other kind
// of file, or one of the inputs the command reads is refused. An empty
// path means standard output.
func openOutput(stdout io.Writer, path string, inputs []string) (*output, error) {
	o := &output{stdout: stdout, path: path}
	if path == "" {
		return o, nil
	}
	target, descriptor, err := followLinks(path)
	if err != nil {
		return nil, o.err(err)
	}
	o.target = target
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !descriptor:
		dir := filepath.Dir(target)
		switch d, err := os.Stat(dir); {
		case errors.Is(err, fs.ErrNotExist):
			return nil, o.err(fmt.Errorf("directory %s does not exist", dir))
		case err != nil:
			return nil, o.err(err)
		case !d.IsDir():
			return nil, o.err(fmt.Errorf("%s is not a directory", dir))
		}
		return o, nil // a new file: nothing there can be an input
	case err != nil:
		return nil, o.err(err)
	case info.IsDir():
		return nil, o.err(errors.New("is a directory; name a file"))
	case descriptor:
		o.through, o.appendTo = true, true
	case info.Mode()&(fs.ModeDevice|fs.ModeNamedPipe) != 0:
		o.through = true
	case !info.Mode().IsRegular():
		return nil, o.err(errors.New("is neither a regular file, a device nor a FIFO"))
	}
	o.fifo = info.Mode()&fs.ModeNamedPipe != 0
	for _, in := range inputs {
		if inInfo, err := os.Stat(in); err == nil && os.SameFile(inInfo, info) {
			return nil, o.err(fmt.Errorf("is %s, which this command reads; name another file", in))
		}
	}
	return o, nil
}

// followLinks follows path's symbolic links to the file they end at, which
// need not exist. It stops at a link that names an open file descriptor,
// whose target is not a path at all (pipe:[1234]), and says so.
func followLinks(path string) (target string, descriptor bool, err error) {
	target = path
	for range maxLinks {
		for _, d := range descriptorDirs {
			if strings.HasPrefix(target, d) {
				return target, true, nil
			}
		}
		info, err := os.Lstat(target)
		if errors.Is(err, fs.ErrNotExist) || err == nil && info.Mode()&fs.ModeSymlink == 0 {
			return target, false, nil
		}
		if err != nil {
			return "", false, err
		}
		link, err := os.Readlink(target)
		if err != nil {
			return "", false, err
		}
		if !filepath.IsAbs(link) {
			// Relative to the directory the link is in, as the kernel reads
			// it: through that directory's own links, so that ".." goes where
			// it would.
			dir, err := filepath.EvalSymlinks(filepath.Dir(target))
			if err != nil {
				return "", false, err
			}
			link = filepath.Join(dir, link)
		}
		target = link
	}
	return "", false, errors.New("too many levels of symbolic links")
}

// write sends the finished report. Until the report is complete in its
// place, an interrupt (ctx done) leaves nothing written.
func (o *output) write(ctx context.Context, report []byte) error {
	switch {
	case o.path == "":
		_, err := o.stdout.Write(report)
		return err
	case o.through:
		return o.writeThrough(ctx, report)
	default:
		return o.replace(ctx, report)
	}
}

// render writes the report draw writes, once it is whole: a report that
// fails half-way writes nothing.
func (o *output) render(ctx context.Context, draw func(w io.Writer) error) error {
	var buf bytes.Buffer
	if err := draw(&buf); err != nil {
		return err
	}
	return o.write(ctx, buf.Bytes())
}

// replace writes the report to a temporary file beside the target and
// renames it over the target, so that a reader sees the old report or the
// new one, never half of one, and no error leaves the temporary file behind.
func (o *output) replace(ctx context.Context, report []byte) error {
	f, err := renameio.NewPendingFile(o.target,
		renameio.WithTempDir(filepath.Dir(o.target)),
		renameio.WithPermissions(0o644),
		renameio.WithExistingPermissions())
	if err != nil {
		return o.err(err)
	}
	defer f.Cleanup()
	pendingTemp.set(f.Name())
	defer pendingTemp.set("")
	if _, err := f.Write(report); err != nil {
		return o.err(err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return o.err(f.CloseAtomicallyReplace())
}

// writeThrough writes the report to a device, FIFO or open descriptor in
// place: opened for writing without creating or truncating anything.
func (o *output) writeThrough(ctx context.Context, report []byte) error {
	f, err := o.openThrough(ctx)
	if err != nil {
		return err
	}
	// A reader that stops reading must not hold up an interrupt; files
	// that cannot have a deadline (most devices) never block for long.
	stop := context.AfterFunc(ctx, func() { f.SetWriteDeadline(time.Now()) })
	_, err = f.Write(report)
	stop()
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return o.err(err)
}

// fifoPoll is how often a FIFO with no reader is tried again.
const fifoPoll = 50 * time.Millisecond

// openThrough opens the target for writing. Opening a FIFO for writing
// blocks until a reader opens it, beyond the reach of an interrupt; opened
// non-blocking it fails at once with ENXIO instead, so it is tried again
// until a reader comes or ctx is done.
func (o *output) openThrough(ctx context.Context) (*os.File, error) {
	flags := os.O_WRONLY | syscall.O_NONBLOCK
	if o.appendTo {
		flags |= os.O_APPEND
	}
	for {
		f, err := os.OpenFile(o.path, flags, 0)
		if !o.fifo || !errors.Is(err, syscall.ENXIO) {
			return f, o.err(err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(fifoPoll):
		}
	}
}

// err says which --out failed, with the system's reason alone: a path
// error's own path may be renameio's temporary file, of no use to the user.
func (o *output) err(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("--out %s: %w", o.path, err)
}

// pendingTemp names the temporary file of a replacement in progress, so
// that a second interrupt, which exits without waiting, can remove it.
var pendingTemp pendingFile

type pendingFile struct {
	mu   sync.Mutex
	name string
}

func (p *pendingFile) set(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.name = name
}

// remove deletes the temporary file, if one is being written.
func (p *pendingFile) remove() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.name != "" {
		os.Remove(p.name)
	}
}

// shorten cuts s to at most n runes, the last being "…" when it was longer.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}
