package app

import (
	"context"
	"sync"
)

// workers are background loops that every replica runs at once, unlike the
// jobs of package leader, which one replica runs: the log streams' deliverer,
// whose streams are each leased to one replica at a time, so that the work
// spreads over the replicas.
type workers struct {
	cancel context.CancelFunc
	done   sync.WaitGroup
}

// startWorkers runs each loop in its own goroutine until stop.
func startWorkers(loops ...func(ctx context.Context)) *workers {
	ctx, cancel := context.WithCancel(context.Background())
	w := &workers{cancel: cancel}
	for _, loop := range loops {
		w.done.Go(func() { loop(ctx) })
	}
	return w
}

// stop ends the loops and waits for them: work in flight is finished or
// handed back to the queue before the database pool closes.
func (w *workers) stop() {
	w.cancel()
	w.done.Wait()
}
