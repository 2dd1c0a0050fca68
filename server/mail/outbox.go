package mail

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// PurposeOutbox is the secrets.Binding purpose of queued messages.
const PurposeOutbox = "mail-outbox"

// OutboxMessages is where queued messages are sealed, for key rotation.
// Mail belongs to no organization: the row's own id is bound as the owner.
var OutboxMessages = secrets.EncryptedColumn{Table: "mail_outbox", Ciphertext: "ciphertext",
	KeyVersion: "key_version", Purpose: PurposeOutbox, Owner: "id"}

// Delivery bounds.
const (
	// MaxAttempts is how many times a message is tried before it is given up.
	MaxAttempts = 8
	// lease is how long a claimed message stays invisible to other replicas
	// while one sends it; longer than a send may take (sendTimeout).
	lease = 2 * time.Minute
	// firstRetry doubles after each failure, up to lastRetry: with
	// MaxAttempts 8 a message is tried for about half an hour.
	firstRetry = 15 * time.Second
	lastRetry  = 15 * time.Minute
	// sweepEvery is how often mail no key opens is looked for.
	sweepEvery = 10 * time.Minute
)

// Outbox is mail waiting to be sent, kept in PostgreSQL (mail_outbox) so
// that it survives a restart and is enqueued in the same transaction as the
// change it announces: an invitation and its email commit or roll back
// together, and a failing SMTP server no longer fails the request.
//
// A message's subject, body and link are sealed with the server keyring:
// they hold sign-in links and invitation tokens, which are credentials, so
// they are never stored in clear, and the row is deleted once sent or given
// up. Only the recipient is in clear, for the operator.
//
// Run delivers. It runs as a background job on one replica at a time
// (package leader, job "mail-outbox"), which takes it over within seconds
// when that replica dies; Wake on another replica is then only a hint, and
// the job finds the mail at its next Poll. Each message is still claimed
// through a lease, so a rare overlap of two holders, or a holder that dies
// mid-send, sends nothing twice at once and loses nothing: the job claims one
// due message with SELECT … FOR UPDATE SKIP LOCKED and moves its
// next_attempt_at past the lease in the same statement, then sends with no
// transaction or connection held. A message whose sender died is tried again
// once the lease expires, so delivery is at least once; a message is never
// lost.
type Outbox struct {
	db     *database.DB
	keys   *secrets.Keyring
	sender Sender
	log    *slog.Logger
	wake   chan struct{}
	// Poll is how often Run looks for due mail it was not woken for: mail
	// another replica enqueued, and retries.
	Poll time.Duration
}

// NewOutbox returns the outbox, delivering through sender.
func NewOutbox(db *database.DB, keys *secrets.Keyring, sender Sender, log *slog.Logger) *Outbox {
	return &Outbox{db: db, keys: keys, sender: sender, log: log, wake: make(chan struct{}, 1), Poll: time.Second}
}

// sealedMessage is what is sealed of a Message.
type sealedMessage struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
	Link    string `json:"link"`
}

func binding(id uuid.UUID) secrets.Binding {
	return secrets.Binding{Purpose: PurposeOutbox, OrganizationID: id, ID: id}
}

// Enqueue queues m in the transaction ctx carries, if any, so it is sent
// only if that transaction commits. Call Wake after the commit to send it
// at once rather than at the next poll.
func (o *Outbox) Enqueue(ctx context.Context, m Message) error {
	id := uuid.Must(uuid.NewV7())
	plain, err := json.Marshal(sealedMessage{Subject: m.Subject, Body: m.Body, Link: m.Link})
	if err != nil {
		return err
	}
	sealed, err := o.keys.Seal(plain, binding(id))
	clear(plain)
	if err != nil {
		return fmt.Errorf("mail: seal: %w", err)
	}
	return o.db.Conn(ctx).Exec(`INSERT INTO mail_outbox (id, recipient, ciphertext, key_version) VALUES (?, ?, ?, ?)`,
		id, m.To, sealed.Ciphertext, sealed.KeyVersion).Error
}

// Wake tells this replica's Run that mail is waiting.
func (o *Outbox) Wake() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Run delivers due mail until ctx ends: at once when woken, else every Poll.
func (o *Outbox) Run(ctx context.Context) {
	nextSweep := time.Now()
	for {
		if time.Now().After(nextSweep) {
			nextSweep = time.Now().Add(sweepEvery)
			if err := o.dropUnopenable(ctx); err != nil && ctx.Err() == nil {
				o.log.WarnContext(ctx, "mail outbox: stale mail could not be dropped; trying again later", "error", err)
			}
		}
		for ctx.Err() == nil {
			sent, err := o.deliverOne(ctx)
			if err != nil {
				if ctx.Err() == nil {
					o.log.WarnContext(ctx, "mail outbox: cannot read the queue; trying again shortly", "error", err)
				}
				break
			}
			if !sent {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-time.After(o.Poll):
		}
	}
}

type claimed struct {
	ID         uuid.UUID
	Recipient  string
	Ciphertext []byte
	KeyVersion string
	Attempts   int
}

// deliverOne claims one due message and tries to send it. It reports
// whether there was one.
func (o *Outbox) deliverOne(ctx context.Context) (bool, error) {
	var rows []claimed
	// Only mail this replica can open: during a rolling change of
	// SECRET_KEY, mail sealed under a key it lacks is left to the replicas
	// that have it.
	err := o.db.Conn(ctx).Raw(`UPDATE mail_outbox SET attempts = attempts + 1,
			next_attempt_at = now() + make_interval(secs => ?)
		WHERE id = (SELECT id FROM mail_outbox WHERE next_attempt_at <= now() AND key_version IN ?
			ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING id, recipient, ciphertext, key_version, attempts`, lease.Seconds(), o.keys.Versions()).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return false, err
	}
	c := rows[0]
	plain, err := o.keys.Open(secrets.Sealed{Ciphertext: c.Ciphertext, KeyVersion: c.KeyVersion}, binding(c.ID))
	if err != nil {
		o.log.ErrorContext(ctx, "mail could not be delivered and is dropped: its sealed content does not decrypt "+
			"(altered in the database); the recipient can ask again", "to", c.Recipient, "error", err)
		return true, o.forget(ctx, c)
	}
	var sm sealedMessage
	err = json.Unmarshal(plain, &sm)
	clear(plain)
	if err != nil {
		return true, err
	}
	m := Message{To: c.Recipient, Subject: sm.Subject, Body: sm.Body, Link: sm.Link}
	sendErr := o.sender.Send(ctx, m)
	// What happened is recorded even when shutdown began during the send,
	// so a sent message is not sent again.
	after, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	switch {
	case sendErr == nil:
		return true, o.forget(after, c)
	case ctx.Err() != nil:
		// Shutting down mid-send: hand the message back for the next run,
		// here or on another replica, without counting the attempt.
		return true, o.db.Conn(after).Exec(`UPDATE mail_outbox SET attempts = attempts - 1, next_attempt_at = now()
			WHERE id = ? AND attempts = ?`, c.ID, c.Attempts).Error
	case c.Attempts >= MaxAttempts:
		o.log.ErrorContext(ctx, fmt.Sprintf("mail could not be delivered after %d attempts and is dropped: "+
			"check SMTP_URL and that the SMTP server accepts mail from this server; the recipient can ask for a new "+
			"sign-in link, or be invited again", c.Attempts), "to", c.Recipient, "subject", sm.Subject, "error", sendErr)
		return true, o.forget(after, c)
	default:
		delay := retryDelay(c.Attempts)
		o.log.WarnContext(ctx, "mail not delivered; will try again", "to", c.Recipient, "attempt", c.Attempts,
			"retry_in", delay.String(), "error", sendErr)
		return true, o.db.Conn(after).Exec(`UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => ?)
			WHERE id = ? AND attempts = ?`, delay.Seconds(), c.ID, c.Attempts).Error
	}
}

// dropUnopenable deletes mail that no replica has opened for a day because
// it was sealed under a key this one lacks: the key is gone (removed from
// SECRET_KEY_PREVIOUS before rotate-secret-key finished), and sign-in links
// expire long before that anyway.
func (o *Outbox) dropUnopenable(ctx context.Context) error {
	var dropped []string
	err := o.db.Conn(ctx).Raw(`DELETE FROM mail_outbox WHERE created_at < now() - interval '1 day' AND key_version NOT IN ?
		RETURNING recipient`, o.keys.Versions()).Scan(&dropped).Error
	for _, to := range dropped {
		o.log.ErrorContext(ctx, "mail could not be delivered and is dropped: it was sealed under a key no server has had for a day "+
			"(an earlier SECRET_KEY removed before rotate-secret-key finished); the recipient can ask again", "to", to)
	}
	return err
}

// forget deletes a message this replica still holds the claim on (a claim
// that expired and was taken by another replica is theirs to finish).
func (o *Outbox) forget(ctx context.Context, c claimed) error {
	return o.db.Conn(ctx).Exec(`DELETE FROM mail_outbox WHERE id = ? AND attempts = ?`, c.ID, c.Attempts).Error
}

// retryDelay is the wait after the attempts-th failure.
func retryDelay(attempts int) time.Duration {
	d := firstRetry
	for i := 1; i < attempts && d < lastRetry; i++ {
		d *= 2
	}
	return min(d, lastRetry)
}
