// Package mail sends the product's emails: over SMTP when SMTP_URL is set,
// otherwise into the server log so local runs and tests can follow links.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"net/url"
	"strings"
	"time"
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

// New returns an SMTP sender for smtpURL, or a log sender when it is empty.
func New(smtpURL, from string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return LogSender{Log: log}, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	return &SMTPSender{url: u, from: from}, nil
}

// LogSender writes messages to the log, for local runs without SMTP. The
// line carries the link so a developer (or a browser test) can follow it.
type LogSender struct{ Log *slog.Logger }

// Send implements Sender.
func (l LogSender) Send(ctx context.Context, m Message) error {
	l.Log.InfoContext(ctx, "mail (SMTP_URL unset, not sent)", "to", m.To, "subject", m.Subject, "url", m.Link)
	return nil
}

// SMTPSender sends through an SMTP server with STARTTLS when offered.
type SMTPSender struct {
	url  *url.URL
	from string
}

// Send implements Sender.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	host := s.url.Hostname()
	addr := s.url.Host
	if s.url.Port() == "" {
		addr = net.JoinHostPort(host, "587")
	}
	var auth smtp.Auth
	if s.url.User != nil {
		password, _ := s.url.User.Password()
		auth = smtp.PlainAuth("", s.url.User.Username(), password, host)
	}
	msg := strings.Join([]string{
		"From: " + s.from,
		"To: " + m.To,
		"Subject: " + m.Subject,
		"Date: " + time.Now().UTC().Format(time.RFC1123Z),
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		m.Body,
	}, "\r\n")
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(addr, auth, s.from, []string{m.To}, []byte(msg)) }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("mail: send to %s via %s: %w", m.To, addr, err)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
