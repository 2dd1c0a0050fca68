package app

import (
	"context"
	"sync"
)

// workers are the background loops an App runs while it is open: the mail
// sender, the magic-link request worker, the audit log's integrator and the
// log streams' deliverer. Each takes care that, with
// several replicas, a piece of work is done by one replica at a time.
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
