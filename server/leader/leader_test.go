package leader

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// takeover bounds every wait for a job to change hands: Retry is 100 ms in
// these tests, so seconds are plenty even on a loaded machine.
const takeover = 15 * time.Second

// probe is a job that counts how many copies of it run at once.
type probe struct {
	now, most atomic.Int32
	starts    atomic.Int32
	mu        sync.Mutex
	by        map[string]int
}

func (p *probe) job(instance string) func(ctx context.Context) {
	return func(ctx context.Context) {
		n := p.now.Add(1)
		p.starts.Add(1)
		for {
			m := p.most.Load()
			if n <= m || p.most.CompareAndSwap(m, n) {
				break
			}
		}
		p.mu.Lock()
		p.by[instance]++
		p.mu.Unlock()
		<-ctx.Done()
		p.now.Add(-1)
	}
}

func newJobs(t *testing.T, db *sql.DB, dsn, instance string) *Jobs {
	t.Helper()
	j := New(db, dsn, Options{Instance: instance, Retry: 100 * time.Millisecond, Check: 100 * time.Millisecond})
	t.Cleanup(j.Close)
	return j
}

// eventually polls cond until it holds or the bound passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(takeover)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", takeover, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func openDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestEachJobRunsOnOneInstanceAndMovesWhenItsHolderCloses(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	db := openDB(t, dsn)
	jobs := map[string]*probe{"partitions": {by: map[string]int{}}, "integrator": {by: map[string]int{}}}
	a := newJobs(t, db, dsn, "a")
	b := newJobs(t, db, dsn, "b")
	for name, p := range jobs {
		a.Go(name, p.job("a"))
		b.Go(name, p.job("b"))
	}
	holders := func() map[string]string {
		h, err := b.Holders(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	eventually(t, "every job held", func() bool { return len(holders()) == 2 })
	// Several retries of the other instance pass while it waits.
	time.Sleep(500 * time.Millisecond)
	for name, p := range jobs {
		if got := p.now.Load(); got != 1 {
			t.Errorf("%s: %d copies running, want 1", name, got)
		}
		h := holders()[name]
		if running := map[string]*Jobs{"a": a, "b": b}[h]; running == nil || !running.Running(name) {
			t.Errorf("%s: database says %q holds it, but that instance does not run it", name, h)
		}
	}

	// Close whichever instance holds the partitions job: the other takes it.
	first := holders()["partitions"]
	map[string]*Jobs{"a": a, "b": b}[first].Close()
	other := map[string]string{"a": "b", "b": "a"}[first]
	eventually(t, "the other instance takes every job", func() bool {
		h := holders()
		return h["partitions"] == other && h["integrator"] == other
	})
	for name, p := range jobs {
		if most := p.most.Load(); most != 1 {
			t.Errorf("%s: %d copies ran at once at some point, want 1", name, most)
		}
		p.mu.Lock()
		ran := p.by[other]
		p.mu.Unlock()
		if ran == 0 {
			t.Errorf("%s: never ran on %s after the takeover", name, other)
		}
	}
}

func TestAJobMovesWhenItsHoldersConnectionDies(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	db := openDB(t, dsn)
	p := &probe{by: map[string]int{}}
	a := newJobs(t, db, dsn, "a")
	a.Go("outbox", p.job("a"))
	eventually(t, "a holds the job", func() bool { return a.Running("outbox") })
	b := newJobs(t, db, dsn, "b")
	b.Go("outbox", p.job("b"))

	// What a crashed or killed replica leaves: its session ends.
	if _, err := db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'orgtrail a'`); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b runs the job", func() bool { return b.Running("outbox") })
	eventually(t, "a stopped it", func() bool { return !a.Running("outbox") })
	// Here PostgreSQL frees the lock before a hears that its session
	// ended, so b may start in that instant: exclusivity is promised for a
	// holder that stops or dies (the test above), not for a session ended
	// under a living holder (see the package documentation). Afterwards,
	// one copy runs.
	eventually(t, "one copy runs", func() bool { return p.now.Load() == 1 })
}

func TestAJobThatReturnsIsStartedAgain(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	db := openDB(t, dsn)
	var runs atomic.Int32
	a := newJobs(t, db, dsn, "a")
	a.Go("once", func(context.Context) { runs.Add(1) })
	eventually(t, "the job ran three times", func() bool { return runs.Load() >= 3 })
}

func TestMetricsNameTheHolderOfEachJob(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	db := openDB(t, dsn)
	a := newJobs(t, db, dsn, "web-1/42")
	a.Go("partitions", func(ctx context.Context) { <-ctx.Done() })
	eventually(t, "a holds the job", func() bool { return a.Running("partitions") })
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(a)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, mf := range mfs {
		if mf.GetName() != "orgtrail_job_leader" {
			continue
		}
		if len(mf.Metric) != 1 {
			t.Fatalf("orgtrail_job_leader: %d series, want 1", len(mf.Metric))
		}
		labels := map[string]string{}
		for _, l := range mf.Metric[0].Label {
			labels[l.GetName()] = l.GetValue()
		}
		found = labels["job"] == "partitions" && labels["instance"] == "web-1/42"
	}
	if !found {
		t.Errorf("no orgtrail_job_leader{job=partitions,instance=web-1/42} in %v", mfs)
	}
}
