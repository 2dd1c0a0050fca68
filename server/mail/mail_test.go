package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orgtrail/orgtrail/server/database"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/mail/smtptest"
	"github.com/orgtrail/orgtrail/server/pgtest"
	"github.com/orgtrail/orgtrail/server/secrets"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// subjectLines returns the message's Subject header lines (with any folded
// continuation) and fails unless no header is one the test did not expect.
func headerNamed(t *testing.T, msg smtptest.Message, name string) []string {
	t.Helper()
	var out []string
	lines := msg.Header()
	for i, line := range lines {
		if strings.HasPrefix(strings.ToLower(line), strings.ToLower(name)+":") {
			out = append(out, line)
			for j := i + 1; j < len(lines) && (strings.HasPrefix(lines[j], " ") || strings.HasPrefix(lines[j], "\t")); j++ {
				out = append(out, lines[j])
			}
		}
	}
	return out
}

// TestSMTPHeadersAreEncodedWhateverTheSubject is issue 10 path 8 at the
// mail layer: a subject holding CR/LF and a header of its own, or non-ASCII
// text, reaches a real SMTP server as one encoded Subject header, and adds
// no header and no recipient.
func TestSMTPHeadersAreEncodedWhateverTheSubject(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := New(srv.URL(), "Orgtrail <no-reply@orgtrail.test>", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for i, subject := range []string{
		"You are invited to Evil\r\nBcc: attacker@evil.example\r\nX-Injected: 1 on Orgtrail",
		"You are invited to Zürich Ω ✓ 東京 on Orgtrail",
		"Evil\nBcc: attacker@evil.example",
		"Evil\r\n\r\nforged body",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := sender.Send(ctx, Message{To: "new@acme.example", Subject: subject, Body: "hello\n", Link: "https://x"}); err != nil {
			t.Fatalf("send %q: %v", subject, err)
		}
		msg := srv.Wait(ctx, t, i+1)[i]
		cancel()
		if fmt.Sprint(msg.To) != "[new@acme.example]" {
			t.Errorf("subject %q: recipients %v, want only the addressee", subject, msg.To)
		}
		for _, h := range []string{"Bcc", "X-Injected"} {
			if got := headerNamed(t, msg, h); len(got) > 0 {
				t.Errorf("subject %q added a header: %q", subject, got)
			}
		}
		lines := headerNamed(t, msg, "Subject")
		if len(lines) == 0 || strings.Count(strings.Join(lines, "\n"), "Subject:") != 1 {
			t.Fatalf("subject %q: Subject lines %q, want one header", subject, lines)
		}
		for _, l := range lines {
			if strings.ContainsAny(l, "\r\n") {
				t.Errorf("a header line holds a line break: %q", l)
			}
		}
		// Unfolded and decoded, it is the subject with line breaks kept as
		// encoded text, not as header structure.
		raw := strings.TrimPrefix(strings.Join(lines, ""), "Subject: ")
		if raw == subject {
			t.Errorf("subject sent unencoded: %q", raw)
		}
		decoded, err := new(mime.WordDecoder).DecodeHeader(raw)
		if err != nil {
			t.Fatalf("Subject %q does not decode: %v", raw, err)
		}
		if strings.ReplaceAll(decoded, " ", "") != strings.ReplaceAll(subject, " ", "") {
			t.Errorf("Subject decodes to %q, want %q", decoded, subject)
		}
		if !bytes.Contains(msg.Data, []byte("hello")) {
			t.Errorf("body lost: %s", msg.Data)
		}
	}
}

// outboxFixture is an outbox on a fresh database, delivering through send.
type outboxFixture struct {
	db   *database.DB
	keys *secrets.Keyring
	log  *bytes.Buffer
	mu   sync.Mutex
}

func newOutboxFixture(t *testing.T) *outboxFixture {
	t.Helper()
	db, err := database.Open(t.Context(), pgtest.NewDatabase(t), database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys, err := secrets.NewKeyring(bytes.Repeat([]byte{9}, secrets.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return &outboxFixture{db: db, keys: keys, log: &bytes.Buffer{}}
}

func (f *outboxFixture) outbox(s Sender) *Outbox {
	return NewOutbox(f.db, f.keys, s, logging.New(lockedWriter{f}, slog.LevelDebug))
}

func (f *outboxFixture) logs() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.log.String()
}

type lockedWriter struct{ f *outboxFixture }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.f.mu.Lock()
	defer w.f.mu.Unlock()
	return w.f.log.Write(p)
}

func (f *outboxFixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Conn(t.Context()).Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// failingSender fails every send.
type failingSender struct{ err error }

func (s failingSender) Send(context.Context, Message) error { return s.err }

// countingSender counts deliveries per recipient.
type countingSender struct {
	mu   sync.Mutex
	sent map[string]int
}

func (s *countingSender) Send(_ context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent[m.To]++
	return nil
}

func TestQueuedMailIsSealedAndDeletedOnceSent(t *testing.T) {
	f := newOutboxFixture(t)
	srv := smtptest.Start(t)
	sender, err := New(srv.URL(), "Orgtrail <no-reply@orgtrail.test>", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	o := f.outbox(sender)
	const link = "https://orgtrail.test/auth/magic-link/verify?token=SECRET-TOKEN-123"
	if err := o.Enqueue(t.Context(), Message{To: "a@acme.example", Subject: "Your link", Body: "Use " + link, Link: link}); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM mail_outbox WHERE recipient = 'a@acme.example'
		AND position('SECRET-TOKEN-123' in encode(ciphertext, 'escape')) = 0`); n != 1 {
		t.Fatalf("%d sealed rows for the message, want 1 that does not hold the token in clear", n)
	}
	if sent, err := o.deliverOne(t.Context()); err != nil || !sent {
		t.Fatalf("deliverOne = %v, %v", sent, err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if msg := srv.Wait(ctx, t, 1)[0]; !bytes.Contains(msg.Data, []byte("SECRET-TOKEN-123")) {
		t.Fatalf("delivered message lacks its link: %s", msg.Data)
	}
	if n := f.count(t, `SELECT count(*) FROM mail_outbox`); n != 0 {
		t.Fatalf("%d rows left after sending, want none", n)
	}
	if strings.Contains(f.logs(), "SECRET-TOKEN-123") {
		t.Fatalf("the link was logged although SMTP is configured:\n%s", f.logs())
	}
}

// TestFailedMailIsRetriedWithBackoffThenGivenUp: each failure moves the
// next attempt further out; after MaxAttempts the message is dropped with a
// log line saying what to check, and never with its link.
func TestFailedMailIsRetriedWithBackoffThenGivenUp(t *testing.T) {
	f := newOutboxFixture(t)
	o := f.outbox(failingSender{fmt.Errorf("451 try again later")})
	const link = "https://orgtrail.test/invitations/accept?token=INVITE-TOKEN-456"
	if err := o.Enqueue(t.Context(), Message{To: "b@acme.example", Subject: "Invitation", Body: link, Link: link}); err != nil {
		t.Fatal(err)
	}
	var delays []int
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		if sent, err := o.deliverOne(t.Context()); err != nil || !sent {
			t.Fatalf("attempt %d: deliverOne = %v, %v", attempt, sent, err)
		}
		if attempt == MaxAttempts {
			break
		}
		// Not due again until its backoff has passed.
		if sent, err := o.deliverOne(t.Context()); err != nil || sent {
			t.Fatalf("attempt %d: a message was due again at once (%v, %v)", attempt, sent, err)
		}
		delays = append(delays, f.count(t, `SELECT round(extract(epoch FROM next_attempt_at - now()))::int FROM mail_outbox`))
		if _, err := f.db.SQL().Exec(`UPDATE mail_outbox SET next_attempt_at = now()`); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < len(delays); i++ {
		if delays[i] < delays[i-1] {
			t.Fatalf("retry delays %v (seconds) shrink", delays)
		}
	}
	if delays[0] < 10 || delays[len(delays)-1] > int(lastRetry.Seconds()) {
		t.Fatalf("retry delays %v (seconds), want from firstRetry up to lastRetry", delays)
	}
	if n := f.count(t, `SELECT count(*) FROM mail_outbox`); n != 0 {
		t.Fatalf("%d rows left after giving up", n)
	}
	logs := f.logs()
	if !strings.Contains(logs, fmt.Sprintf("after %d attempts", MaxAttempts)) || !strings.Contains(logs, "check SMTP_URL") ||
		!strings.Contains(logs, "b@acme.example") {
		t.Fatalf("no actionable give-up line:\n%s", logs)
	}
	if strings.Contains(logs, "INVITE-TOKEN-456") {
		t.Fatalf("the link was logged:\n%s", logs)
	}
}

// TestEveryMessageIsSentByOneReplica: several senders on one database, each
// as a server replica would run it, deliver every message exactly once.
func TestEveryMessageIsSentByOneReplica(t *testing.T) {
	f := newOutboxFixture(t)
	sender := &countingSender{sent: map[string]int{}}
	const messages = 60
	for i := range messages {
		if err := f.outbox(sender).Enqueue(t.Context(), Message{To: fmt.Sprintf("u%d@acme.example", i), Subject: "s", Body: "b"}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for range 4 {
		o := f.outbox(sender)
		wg.Go(func() {
			for {
				sent, err := o.deliverOne(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				if !sent {
					return
				}
			}
		})
	}
	wg.Wait()
	if len(sender.sent) != messages {
		t.Fatalf("%d recipients got mail, want %d", len(sender.sent), messages)
	}
	for to, n := range sender.sent {
		if n != 1 {
			t.Errorf("%s got %d copies", to, n)
		}
	}
}

// TestMailIsLeftToTheReplicasThatCanOpenIt: during a rolling change of
// SECRET_KEY a replica without the key that sealed a message leaves it to
// one with it; mail no replica could open for a day, or altered, is dropped
// with the reason.
func TestMailIsLeftToTheReplicasThatCanOpenIt(t *testing.T) {
	f := newOutboxFixture(t)
	old := f.outbox(&countingSender{sent: map[string]int{}})
	if err := old.Enqueue(t.Context(), Message{To: "c@acme.example", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	newKey := bytes.Repeat([]byte{3}, secrets.KeySize)
	withoutOld, _ := secrets.NewKeyring(newKey)
	sender := &countingSender{sent: map[string]int{}}
	lacking := NewOutbox(f.db, withoutOld, sender, logging.New(lockedWriter{f}, slog.LevelDebug))
	if sent, err := lacking.deliverOne(t.Context()); err != nil || sent {
		t.Fatalf("a replica without the key claimed the mail (%v, %v)", sent, err)
	}
	withOld, _ := secrets.NewKeyring(newKey, bytes.Repeat([]byte{9}, secrets.KeySize))
	if sent, err := NewOutbox(f.db, withOld, sender, logging.New(lockedWriter{f}, slog.LevelDebug)).deliverOne(t.Context()); err != nil || !sent {
		t.Fatalf("a replica with the previous key did not deliver (%v, %v)", sent, err)
	}
	if sender.sent["c@acme.example"] != 1 {
		t.Fatalf("sent %v", sender.sent)
	}

	// Mail under a key nobody has had for a day goes, with a line saying why.
	if err := old.Enqueue(t.Context(), Message{To: "d@acme.example", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := lacking.dropUnopenable(t.Context()); err != nil || f.count(t, `SELECT count(*) FROM mail_outbox`) != 1 {
		t.Fatalf("fresh mail was dropped (%v)", err)
	}
	if _, err := f.db.SQL().Exec(`UPDATE mail_outbox SET created_at = now() - interval '2 days'`); err != nil {
		t.Fatal(err)
	}
	if err := lacking.dropUnopenable(t.Context()); err != nil || f.count(t, `SELECT count(*) FROM mail_outbox`) != 0 ||
		!strings.Contains(f.logs(), "d@acme.example") {
		t.Fatalf("stale mail was not dropped (%v):\n%s", err, f.logs())
	}

	// An altered ciphertext does not open: dropped at once, not retried.
	if err := old.Enqueue(t.Context(), Message{To: "e@acme.example", Subject: "s", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SQL().Exec(`UPDATE mail_outbox SET ciphertext = ciphertext || '\x00'::bytea`); err != nil {
		t.Fatal(err)
	}
	if sent, err := old.deliverOne(t.Context()); err != nil || !sent || f.count(t, `SELECT count(*) FROM mail_outbox`) != 0 {
		t.Fatalf("altered mail: %v, %v", sent, err)
	}
	if !strings.Contains(f.logs(), "e@acme.example") {
		t.Fatalf("no line for the altered mail:\n%s", f.logs())
	}
}
