package main

import (
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/geofence/geofence/results/render"
)

// progress shows replications finishing on standard error, and only when
// it is a terminal: a pipe or a CI log gets nothing. The bar appears when
// the study says how many replications there are, so that no command
// works that out again.
type progress struct {
	mu   sync.Mutex
	out  *os.File // nil: no bar
	what string
	bar  *progressbar.ProgressBar
}

func newProgress(e *env, what string, quiet bool) *progress {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || quiet {
		return &progress{}
	}
	return &progress{out: f, what: what}
}

// done shows that done of total replications have finished.
func (p *progress) done(done, total int) {
	if p.out == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.out),
			progressbar.OptionSetDescription(render.TerminalSafe(p.what)),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.bar.ChangeMax(total)
	p.bar.Set(done)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		p.bar.Finish()
	}
}
