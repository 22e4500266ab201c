package sim

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Replicate runs replication rep of m with the master seed, on the calling
// goroutine. The result depends only on (m, seed, rep).
func Replicate(ctx context.Context, m *Model, seed uint64, rep int) (_ *Replication, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooBig {
				panic(r)
			}
			err = errTooBig
		}
	}()
	e := newEngine(m, seed, rep)
	if err := e.run(ctx); err != nil {
		return nil, err
	}
	return &e.out, nil
}

// Options controls Run.
type Options struct {
	Seed         uint64
	Replications int
	// Workers is the number of goroutines; 0 means GOMAXPROCS. It changes
	// how fast a run is, never what it returns.
	Workers int
	// Done, if set, is called after each replication finishes, from the
	// goroutine that ran it.
	Done func(rep int)
}

// Run runs the replications in parallel and returns them in replication
// order.
func Run(ctx context.Context, m *Model, opt Options) ([]*Replication, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, opt.Replications)
	reps := make([]*Replication, opt.Replications)
	errs := make([]error, opt.Replications)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= opt.Replications {
					return
				}
				reps[i], errs[i] = Replicate(ctx, m, opt.Seed, i)
				if errs[i] == nil && opt.Done != nil {
					opt.Done(i)
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return reps, nil
}
