package logstreams

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// leaseRig is one database holding one stream, and deliverers sharing it as
// the replicas of a cluster do.
type leaseRig struct {
	t      *testing.T
	db     *database.DB
	stream uuid.UUID
}

func newLeaseRig(t *testing.T) leaseRig {
	t.Helper()
	db, err := database.Open(t.Context(), pgtest.NewDatabase(t), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	account, org, stream := uuid.New(), uuid.New(), uuid.New()
	if err := db.Conn(t.Context()).Exec(`WITH a AS (INSERT INTO accounts (id) VALUES (?)),
			o AS (INSERT INTO organizations (id, account_id, name) VALUES (?, ?, 'Acme'))
		INSERT INTO log_streams (id, organization_id, name, destination, format, credentials_ciphertext,
			credentials_key_version, next_sequence)
		VALUES (?, ?, 'SIEM', 'WEBHOOK', 'JSON', '\x00', 'v1', 0)`, account, org, account, stream, org).Error; err != nil {
		t.Fatal(err)
	}
	return leaseRig{t: t, db: db, stream: stream}
}

func (r leaseRig) deliverer() *Deliverer {
	return NewDeliverer(r.db, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), "replica")
}

// owner is the stream's lease owner ("" when none holds it).
func (r leaseRig) owner() string {
	r.t.Helper()
	var owner *string
	if err := r.db.Conn(context.Background()).Raw(`SELECT lease_owner::text FROM log_streams WHERE id = ?`, r.stream).
		Scan(&owner).Error; err != nil {
		r.t.Fatal(err)
	}
	if owner == nil {
		return ""
	}
	return *owner
}

// TestOnlyOneDelivererClaimsAStream: eight replicas claim the same stream at
// the same moment, fifty times over; each time exactly one gets it, and
// none can take it from the holder until the holder hands it back.
func TestOnlyOneDelivererClaimsAStream(t *testing.T) {
	t.Parallel()
	r := newLeaseRig(t)
	replicas := make([]*Deliverer, 8)
	for i := range replicas {
		replicas[i] = r.deliverer()
	}
	tune := DefaultTuning()
	for round := range 50 {
		var wg sync.WaitGroup
		won := make([]bool, len(replicas))
		start := make(chan struct{})
		for i, d := range replicas {
			wg.Go(func() {
				<-start
				_, ok, err := d.claim(context.Background(), r.stream, tune)
				if err != nil {
					t.Error(err)
				}
				won[i] = ok
			})
		}
		close(start)
		wg.Wait()
		var holder *Deliverer
		for i, ok := range won {
			if ok {
				if holder != nil {
					t.Fatalf("round %d: two replicas hold the stream", round)
				}
				holder = replicas[i]
			}
		}
		if holder == nil {
			t.Fatalf("round %d: no replica got the stream", round)
		}
		if r.owner() != holder.owner.String() {
			t.Fatalf("round %d: the row names %s, the winner is %s", round, r.owner(), holder.owner)
		}
		for _, d := range replicas {
			if _, ok, _ := d.claim(context.Background(), r.stream, tune); ok {
				t.Fatalf("round %d: a replica took a stream another holds", round)
			}
		}
		holder.release(r.stream)
	}
}

// TestAnExpiredLeaseIsTakenOverAndItsHolderSendsNothingMore: a replica that
// stalled past its lease (as one cut off from the network, or paused by the
// machine) loses the stream to another; from then on it may not send a
// batch (attempt refuses), move the position, record a failure or hand the
// stream back: the new holder keeps it.
func TestAnExpiredLeaseIsTakenOverAndItsHolderSendsNothingMore(t *testing.T) {
	t.Parallel()
	r := newLeaseRig(t)
	stalled, next := r.deliverer(), r.deliverer()
	tune := DefaultTuning()
	st, ok, err := stalled.claim(context.Background(), r.stream, tune)
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if held, err := stalled.attempt(context.Background(), st, []record{{Seq: 0}}, tune); err != nil || !held {
		t.Fatalf("the holder may not send: %v %v", held, err)
	}
	if _, ok, _ := next.claim(context.Background(), r.stream, tune); ok {
		t.Fatal("a live lease was taken over")
	}
	// The lease runs out while the holder is stalled.
	if err := r.db.Conn(context.Background()).Exec(`UPDATE log_streams SET lease_until = now() - interval '1 second' WHERE id = ?`,
		r.stream).Error; err != nil {
		t.Fatal(err)
	}
	if held, err := stalled.attempt(context.Background(), st, []record{{Seq: 0}}, tune); err != nil || held {
		t.Fatalf("a holder whose lease ran out may still send: %v %v", held, err)
	}
	if _, ok, err := next.claim(context.Background(), r.stream, tune); err != nil || !ok {
		t.Fatalf("an expired lease was not taken over: %v %v", ok, err)
	}
	if held, err := stalled.attempt(context.Background(), st, []record{{Seq: 0}}, tune); err != nil || held {
		t.Fatalf("the old holder may send beside the new one: %v %v", held, err)
	}
	stalled.fail(context.Background(), st, tune, io.ErrUnexpectedEOF, "stalled", 0)
	stalled.release(r.stream)
	if r.owner() != next.owner.String() {
		t.Fatalf("the old holder took the stream back from the new one (owner %s)", r.owner())
	}
	var attempts int
	if err := r.db.Conn(context.Background()).Raw(`SELECT attempts FROM log_streams WHERE id = ?`, r.stream).Scan(&attempts).Error; err != nil {
		t.Fatal(err)
	}
	if attempts != 0 {
		t.Fatalf("the old holder recorded a failure on the new holder's stream")
	}
}
