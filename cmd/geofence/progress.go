package main

import (
	"github.com/geofence/geofence/results"
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows replications finishing on standard error, and only when
// it is a terminal: a pipe or a CI log gets nothing.
type progress struct {
	mu  sync.Mutex
	bar *progressbar.ProgressBar
}

func newProgress(e *env, total int, what string, quiet bool) *progress {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || quiet {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(results.TerminalSafe(what)),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
	)}
}

// done shows that done of total replications have finished.
func (p *progress) done(done, total int) {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.ChangeMax(total)
	p.bar.Set(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
