// Package mail sends the product's emails: over SMTP when SMTP_URL is set,
// otherwise into the server log so local runs and tests can follow links.
// Mail is not sent on a request's path: the request enqueues it in its own
// transaction (Outbox.Enqueue) and a background sender delivers it
// (Outbox.Run).
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one plain-text email. Link is the message's one call to action.
type Message struct {
	To      string
	Subject string
	Body    string
	Link    string
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// sendTimeout bounds one delivery: connecting, the SMTP dialogue, the data.
const sendTimeout = 30 * time.Second

// New returns an SMTP sender for smtpURL, or a log sender when it is empty.
// from is the From header ("Orgtrail <no-reply@example.com>").
func New(smtpURL, from string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return LogSender{Log: log}, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("SMTP_URL: not a URL like smtp://user:password@host:587")
	}
	opts := []gomail.Option{gomail.WithTimeout(sendTimeout)}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		opts = append(opts, gomail.WithSSL())
	} else {
		// STARTTLS whenever the server offers it, as before.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("SMTP_URL: port %q is not a number", p)
		}
	}
	opts = append(opts, gomail.WithPort(port))
	if u.User != nil {
		password, _ := u.User.Password()
		// The strongest mechanism the server offers; go-mail refuses to send
		// a PLAIN or LOGIN password over an unencrypted connection.
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(password))
	}
	client, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	return &SMTPSender{client: client, from: from}, nil
}

// LogSender writes messages to the log, for local runs without SMTP. The
// line carries the link so a developer (or a browser test) can follow it.
type LogSender struct{ Log *slog.Logger }

// Send implements Sender.
func (l LogSender) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "mail (SMTP_URL unset, not sent)", "to", m.To, "subject", m.Subject, "url", m.Link)
	return nil
}

// SMTPSender sends through an SMTP server with github.com/wneessen/go-mail,
// which builds the message: every header is encoded (RFC 2047 for what is
// not plain ASCII), so no value, however unusual, can break a header line
// or add one.
type SMTPSender struct {
	client *gomail.Client
	from   string
}

// Send implements Sender. Its errors name the recipient and the server's
// answer, never the message: the body holds credentials.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail: from address %q: %w", s.from, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail: recipient %q: %w", m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	if err := s.client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail: send to %s via %s: %w", m.To, s.client.ServerAddr(), err)
	}
	return nil
}
