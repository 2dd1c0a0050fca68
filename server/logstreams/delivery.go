package logstreams

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// Tuning is how the Deliverer paces itself.
type Tuning struct {
	// Poll is how often it looks for streams with events to deliver.
	Poll time.Duration
	// Lease is how long a replica holds a stream it delivers without
	// renewing it; each batch renews it. Longer than SendTimeout.
	Lease time.Duration
	// SendTimeout bounds one delivery.
	SendTimeout time.Duration
	// RetryFirst is the wait after a first failure; it doubles after each
	// failure, up to RetryMax, with jitter.
	RetryFirst, RetryMax time.Duration
	// Tolerance is how long a stream keeps retrying before it is failed.
	Tolerance time.Duration
	// Parallel bounds the streams one replica delivers at once.
	Parallel int
}

// DefaultTuning is the production pacing: a receiver may be down for seven
// days, retried at most every five minutes meanwhile.
func DefaultTuning() Tuning {
	return Tuning{Poll: 250 * time.Millisecond, Lease: time.Minute, SendTimeout: 20 * time.Second,
		RetryFirst: time.Second, RetryMax: 5 * time.Minute, Tolerance: 7 * 24 * time.Hour, Parallel: 32}
}

// Deliverer delivers every organization's streams. Any number of replicas
// run it; each stream is delivered by one of them at a time through a lease
// on its row (lease_owner, lease_until), taken and renewed by short
// statements, never by a transaction held open while sending: a row lock
// would give the replica's transaction an id and hold back the verifiable
// log's horizon, hence every log's sequencing, for as long as a receiver
// takes to answer. Every write of a delivery names the lease's owner, so a
// replica whose lease another took can no longer move the position.
type Deliverer struct {
	db      *database.DB
	keys    *secrets.Keyring
	log     *slog.Logger
	host    string
	owner   uuid.UUID
	tuning  atomic.Pointer[Tuning]
	running sync.Map // stream id → struct{}
}

// NewDeliverer returns a deliverer with DefaultTuning; host names this
// server to receivers.
func NewDeliverer(db *database.DB, keys *secrets.Keyring, log *slog.Logger, host string) *Deliverer {
	d := &Deliverer{db: db, keys: keys, log: log, host: host, owner: uuid.Must(uuid.NewV7())}
	t := DefaultTuning()
	d.tuning.Store(&t)
	return d
}

// SetTuning changes the pacing from the next look on.
func (d *Deliverer) SetTuning(t Tuning) { d.tuning.Store(&t) }

func (d *Deliverer) tune() Tuning { return *d.tuning.Load() }

// Run delivers due streams until ctx ends, each in its own goroutine, so a
// slow or failing receiver holds up only its own stream. On the way out a
// delivery in flight is cut short and its stream handed back.
func (d *Deliverer) Run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	var inFlight atomic.Int64
	for {
		t := d.tune()
		ids, err := d.due(ctx)
		if err != nil && ctx.Err() == nil {
			d.log.WarnContext(ctx, "log streams: cannot look for streams to deliver; trying again shortly", "err", err)
		}
		for _, id := range ids {
			if inFlight.Load() >= int64(t.Parallel) {
				break
			}
			if _, busy := d.running.LoadOrStore(id, struct{}{}); busy {
				continue
			}
			st, ok, err := d.claim(ctx, id, t)
			if err != nil || !ok {
				d.running.Delete(id)
				continue
			}
			inFlight.Add(1)
			wg.Go(func() {
				defer func() { inFlight.Add(-1); d.running.Delete(id) }()
				d.deliver(ctx, st)
			})
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(t.Poll):
		}
	}
}

// due returns streams with events to deliver that no replica holds and
// whose retry time has come.
func (d *Deliverer) due(ctx context.Context) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := d.db.Conn(ctx).Raw(`SELECT s.id FROM log_streams s JOIN audit_logs g ON g.organization_id = s.organization_id
		WHERE NOT s.paused AND s.failed_at IS NULL AND s.next_attempt_at <= now()
			AND (s.lease_until IS NULL OR s.lease_until < now()) AND s.next_sequence < g.size
		ORDER BY s.next_attempt_at LIMIT 200`).Scan(&ids).Error
	return ids, err
}

const streamColumns = `id, organization_id, name, destination, format, config, credentials_ciphertext, credentials_key_version,
	credential_fields, categories, actions, paused, next_sequence, attempted_through, delivered_events, resent_events,
	last_delivery_at, attempts, retrying_since, next_attempt_at, last_error, last_error_at, failed_at, failure_reason,
	created_at, updated_at`

// claim takes the stream's lease if no replica holds it and it is due.
func (d *Deliverer) claim(ctx context.Context, id uuid.UUID, t Tuning) (Stream, bool, error) {
	var rows []Stream
	err := d.db.Conn(ctx).Raw(`UPDATE log_streams SET lease_owner = ?, lease_until = now() + make_interval(secs => ?)
		WHERE id = ? AND NOT paused AND failed_at IS NULL AND next_attempt_at <= now()
			AND (lease_until IS NULL OR lease_until < now())
		RETURNING `+streamColumns, d.owner, t.Lease.Seconds(), id).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return Stream{}, false, err
	}
	return rows[0], true, nil
}

// deliver sends st's events from its position, batch after batch, until it
// is up to date, a delivery fails, or it stops being this replica's
// (paused, failed, deleted or taken over).
func (d *Deliverer) deliver(ctx context.Context, st Stream) {
	var snd sender
	var built time.Time
	defer func() {
		if snd != nil {
			snd.close()
		}
	}()
	for {
		t := d.tune()
		info, ok := st.Destination.Info()
		if !ok {
			d.fail(ctx, st, t, errors.New("unknown destination"), "the stream's destination is unknown to this server", 0)
			return
		}
		if snd == nil || !st.UpdatedAt.Equal(built) {
			if snd != nil {
				snd.close()
			}
			creds, err := openCredentials(d.keys, st)
			if err == nil {
				snd, err = newSender(st.Destination, senderConfig{streamID: st.ID.String(), config: st.Config, creds: creds,
					format: st.Format, org: st.OrganizationID.String(), host: d.host, timeout: t.SendTimeout})
			}
			if err != nil {
				snd = nil
				d.fail(ctx, st, t, err, "the stream's credentials or settings cannot be used ("+err.Error()+"): edit the stream", 0)
				return
			}
			built = st.UpdatedAt
		}
		recs, next, err := readLog(ctx, d.db.Conn(ctx), st.OrganizationID, st.NextSequence, info.MaxBatch)
		if err != nil {
			if ctx.Err() == nil {
				d.log.ErrorContext(ctx, "log streams: cannot read the log", "log_stream_id", st.ID, "err", err)
			}
			d.release(st.ID)
			return
		}
		if next == st.NextSequence {
			d.release(st.ID)
			return
		}
		batch := slices.DeleteFunc(recs, func(r record) bool { return !st.Selects(r.Event.Action) })
		if len(batch) > 0 {
			held, err := d.attempt(ctx, st, batch, t)
			if err != nil {
				d.release(st.ID)
				return
			}
			if !held {
				return // the lease expired and another replica took the stream
			}
			sctx, cancel := context.WithTimeout(ctx, t.SendTimeout)
			err = snd.send(sctx, batch)
			cancel()
			if ctx.Err() != nil {
				// Shutting down mid-send: the batch may have arrived. The
				// stream goes back as it was; its next delivery sends the
				// batch again, counted as resent.
				d.release(st.ID)
				return
			}
			if err != nil {
				var de *deliveryError
				var wait time.Duration
				if errors.As(err, &de) {
					wait = de.retryAfter
				}
				d.log.WarnContext(ctx, "log stream delivery failed; will retry", "log_stream_id", st.ID,
					"organization_id", st.OrganizationID, "attempt", st.Attempts+1, "err", err)
				d.fail(ctx, st, t, err, failureMessage(err, snd.where(), t.SendTimeout), wait)
				return
			}
		}
		var rows []Stream
		err = d.db.Conn(context.WithoutCancel(ctx)).Raw(`UPDATE log_streams SET next_sequence = ?,
				delivered_events = delivered_events + ?,
				last_delivery_at = CASE WHEN ? > 0 THEN now() ELSE last_delivery_at END,
				attempts = 0, retrying_since = NULL, next_attempt_at = now(),
				lease_until = now() + make_interval(secs => ?)
			WHERE id = ? AND lease_owner = ? AND next_sequence = ?
			RETURNING `+streamColumns, next, len(batch), len(batch), t.Lease.Seconds(), st.ID, d.owner, st.NextSequence).Scan(&rows).Error
		if err != nil || len(rows) == 0 {
			if err != nil {
				d.log.ErrorContext(ctx, "log streams: cannot record a delivery; it will be sent again", "log_stream_id", st.ID, "err", err)
			}
			return // the lease was lost, or the stream deleted
		}
		st = rows[0]
		if st.Paused || st.FailedAt != nil || ctx.Err() != nil {
			d.release(st.ID)
			return
		}
	}
}

// attempt records, before a batch is sent, the highest sequence number ever
// sent and how many of the batch's events were sent before, and renews the
// lease for the send. It reports false, and the batch must not be sent,
// when the lease is no longer this replica's: it expired (reading the log
// took longer than the lease) and another replica may have taken the
// stream. Renewed here, the lease outlasts the send (Lease > SendTimeout),
// so no other replica can take the stream while this batch is in flight:
// the database's clock decides, for every replica alike.
func (d *Deliverer) attempt(ctx context.Context, st Stream, batch []record, t Tuning) (bool, error) {
	resent := 0
	for _, r := range batch {
		if r.Seq <= st.AttemptedThrough {
			resent++
		}
	}
	res := d.db.Conn(ctx).Exec(`UPDATE log_streams SET attempted_through = greatest(attempted_through, ?),
		resent_events = resent_events + ?, lease_until = now() + make_interval(secs => ?)
		WHERE id = ? AND lease_owner = ? AND lease_until > now()`,
		batch[len(batch)-1].Seq, resent, t.Lease.Seconds(), st.ID, d.owner)
	return res.RowsAffected == 1, res.Error
}

// fail records a failed delivery and when to try again: after a backoff
// that doubles with each failure, with jitter, or after what the receiver
// asked (Retry-After, up to an hour), whichever is longer. A stream that has
// failed for the tolerance (7 days) is failed with the reason, and waits
// for an admin to resume it; its position stays where it was.
func (d *Deliverer) fail(ctx context.Context, st Stream, t Tuning, cause error, message string, retryAfter time.Duration) {
	delay := max(Backoff(st.Attempts+1, t.RetryFirst, t.RetryMax), min(retryAfter, time.Hour))
	reason := fmt.Sprintf("Nothing could be delivered for %s: %s. The stream stopped at sequence number %d; resume it "+
		"to deliver from there.", toleranceText(t.Tolerance), message, st.NextSequence)
	err := d.db.Conn(context.WithoutCancel(ctx)).Exec(`UPDATE log_streams SET attempts = attempts + 1,
			retrying_since = coalesce(retrying_since, now()),
			last_error = left(?, 1000), last_error_at = now(),
			next_attempt_at = now() + make_interval(secs => ?),
			failed_at = CASE WHEN coalesce(retrying_since, now()) <= now() - make_interval(secs => ?) THEN now() END,
			failure_reason = CASE WHEN coalesce(retrying_since, now()) <= now() - make_interval(secs => ?) THEN left(?, 1000) END,
			lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND lease_owner = ?`,
		message, delay.Seconds(), t.Tolerance.Seconds(), t.Tolerance.Seconds(), reason, st.ID, d.owner).Error
	if err != nil {
		d.log.ErrorContext(ctx, "log streams: cannot record a failed delivery", "log_stream_id", st.ID, "err", err, "cause", cause)
	}
}

// release hands the stream back for the next look, here or elsewhere.
func (d *Deliverer) release(id uuid.UUID) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.db.Conn(ctx).Exec(`UPDATE log_streams SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?`,
		id, d.owner).Error; err != nil {
		d.log.WarnContext(ctx, "log streams: cannot release a stream; its lease will expire", "log_stream_id", id, "err", err)
	}
}

// Backoff is the wait before the attempt-th retry: first doubled each time,
// capped at most, then jittered between half of it and all of it, so that
// streams that failed together do not retry together and no failure is
// retried in less than half the wait.
func Backoff(attempt int, first, most time.Duration) time.Duration {
	d := first
	for i := 1; i < attempt && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d/2 + rand.N(d/2+1)
}

func toleranceText(d time.Duration) string {
	if d >= 24*time.Hour && d%(24*time.Hour) == 0 {
		if n := d / (24 * time.Hour); n == 1 {
			return "1 day"
		} else {
			return fmt.Sprintf("%d days", n)
		}
	}
	return d.String()
}
