package app

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/config"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

// TestTwoServersRunEachBackgroundJobOnce (issue 14): two servers on one
// database run every background job, each on one of them; when the holder
// stops, the other takes every job over within seconds.
func TestTwoServersRunEachBackgroundJobOnce(t *testing.T) {
	t.Parallel()
	dsn := pgtest.NewDatabase(t)
	open := func() *App {
		cfg := config.Config{DatabaseURL: dsn, ListenAddr: "127.0.0.1:0", PublicURL: "http://orgtrail.test",
			SecretKey: bytes.Repeat([]byte{7}, 32)}
		a, err := New(context.Background(), cfg, logging.New(&lockedWriter{w: &bytes.Buffer{}}, slog.LevelDebug))
		if err != nil {
			t.Fatal(err)
		}
		a.StartMaintenance()
		return a
	}
	first, second := open(), open()
	defer func() { second.Close() }()
	jobs := []string{JobMailOutbox, JobMagicLinkRequests, JobAuditLogIntegrator, JobAuditPartitions, JobAuditSearchMerge}
	runners := func() map[string][]string {
		out := map[string][]string{}
		for _, job := range jobs {
			for _, a := range []*App{first, second} {
				if a.Jobs.Running(job) {
					out[job] = append(out[job], a.Jobs.Instance())
				}
			}
		}
		return out
	}
	waitFor := func(what string, cond func(map[string]string) bool) map[string]string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			h, err := second.Jobs.Holders(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cond(h) {
				return h
			}
			if time.Now().After(deadline) {
				t.Fatalf("not within 20s: %s; holders %v", what, h)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	holders := waitFor("every job held", func(h map[string]string) bool { return len(h) == len(jobs) })
	for job, on := range runners() {
		if len(on) != 1 || on[0] != holders[job] {
			t.Errorf("%s runs on %v; the database says %s holds it", job, on, holders[job])
		}
	}
	holder := first
	if holders[JobAuditLogIntegrator] == second.Jobs.Instance() {
		holder, second = second, first
	}
	holder.Close()
	waitFor("the other server holds every job", func(h map[string]string) bool {
		for _, job := range jobs {
			if h[job] != second.Jobs.Instance() {
				return false
			}
		}
		return true
	})
	for _, job := range jobs {
		if !second.Jobs.Running(job) {
			t.Errorf("%s: held but not running on the remaining server", job)
		}
	}
}
