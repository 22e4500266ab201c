package sim

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/geofence/geofence/sim/internal/calendar"
)

// Replicate runs replication rep of m with the master seed, on the calling
// goroutine. The result depends only on (m, seed, rep).
func Replicate(ctx context.Context, m *Model, seed uint64, rep int) (*Replication, error) {
	var e engine
	return e.replicate(ctx, m, seed, rep)
}

// replicate is Replicate on e, whose memory from earlier replications it
// reuses; the result shares nothing with e.
func (e *engine) replicate(ctx context.Context, m *Model, seed uint64, rep int) (_ *Replication, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != errTooBig && r != calendar.ErrTooMany {
				panic(r)
			}
			err = errTooBig
		}
	}()
	e.reset(ctx, m, seed, rep)
	if err := e.run(); err != nil {
		return nil, err
	}
	out := e.out
	e.out = Replication{}
	return &out, nil
}

// Batch is the replications From, From+1, …, To-1 of one model under one
// master seed. Replication i of a batch is the same whatever batch, shard
// or worker runs it.
type Batch struct {
	Model    *Model
	Seed     uint64
	From, To int
}

// RunBatches runs every replication of every batch on workers goroutines
// (0 means GOMAXPROCS) and hands each one, as it finishes, to done with
// the index of its batch. done is called by one goroutine at a time but in
// the order replications finish, which varies from run to run: whatever
// done makes of them must not depend on that order. done must not keep r
// after it returns. The first error, from a replication or from done,
// stops the run and is returned.
//
// Batches start in order, so that the replications of the first batch
// finish first; memory holds one replication per worker, however many
// there are in all, and each worker's engine reuses its memory from one
// replication to the next.
func RunBatches(ctx context.Context, batches []Batch, workers int, done func(batch int, r *Replication) error) error {
	type job struct{ batch, rep int }
	var jobs []job
	for b, bt := range batches {
		for rep := bt.From; rep < bt.To; rep++ {
			jobs = append(jobs, job{b, rep})
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(jobs))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		next atomic.Int64
		mu   sync.Mutex
		wg   sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			// One engine a worker: each replication reuses the memory
			// the ones before it grew.
			var e engine
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(jobs) {
					return
				}
				b := &batches[jobs[i].batch]
				r, err := e.replicate(ctx, b.Model, b.Seed, jobs[i].rep)
				if err == nil {
					mu.Lock()
					if ctx.Err() == nil {
						err = done(jobs[i].batch, r)
					}
					mu.Unlock()
				}
				if err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return context.Cause(ctx)
}

// Run runs replications 0 to n-1 of m and returns them in replication
// order: for callers that want every replication in memory at once, such
// as tests; RunBatches streams them.
func Run(ctx context.Context, m *Model, seed uint64, n, workers int) ([]*Replication, error) {
	reps := make([]*Replication, n)
	err := RunBatches(ctx, []Batch{{Model: m, Seed: seed, From: 0, To: n}}, workers, func(_ int, r *Replication) error {
		reps[r.Index] = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reps, nil
}
