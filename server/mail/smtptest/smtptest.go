// Package smtptest is a small SMTP server for tests: it accepts plain SMTP
// (no TLS, no authentication) on a loopback port and records every message
// exactly as it arrived after DATA, so a test can read the headers a real
// server would get.
package smtptest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	// Data is what followed DATA, dot-unstuffed, without the final ".".
	Data []byte
}

// Header returns the raw lines of the message's header section, each with
// its folded continuation lines kept as separate entries.
func (m Message) Header() []string {
	head, _, _ := bytes.Cut(m.Data, []byte("\r\n\r\n"))
	return strings.Split(string(head), "\r\n")
}

// Server is a running test SMTP server.
type Server struct {
	// Addr is host:port.
	Addr string

	ln       net.Listener
	mu       sync.Mutex
	messages []Message
	failNext int
	arrived  chan struct{}
	conns    sync.WaitGroup
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln, arrived: make(chan struct{}, 1)}
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.conns.Wait()
	})
	return s
}

// URL is an SMTP_URL for the server.
func (s *Server) URL() string { return "smtp://" + s.Addr }

// FailNext makes the next n messages fail with a temporary error (451).
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns once at least n messages have been accepted, or fails the
// test when ctx ends first.
func (s *Server) Wait(ctx context.Context, t testing.TB, n int) []Message {
	t.Helper()
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.arrived:
		case <-ctx.Done():
			t.Fatalf("smtptest: %d messages arrived, want %d: %v", len(s.Messages()), n, ctx.Err())
		}
	}
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.conns.Add(1)
		go func() {
			defer s.conns.Done()
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(time.Minute))
			s.session(textproto.NewConn(c))
		}()
	}
}

// session speaks the server side of RFC 5321, as little as a client needs.
func (s *Server) session(c *textproto.Conn) {
	reply := func(format string, args ...any) bool { return c.PrintfLine(format, args...) == nil }
	if !reply("220 smtptest ESMTP ready") {
		return
	}
	var m Message
	for {
		line, err := c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			_ = reply("250-smtptest greets %s", arg)
			_ = reply("250-8BITMIME")
			_ = reply("250-SMTPUTF8")
			_ = reply("250 PIPELINING")
		case "HELO":
			_ = reply("250 smtptest")
		case "MAIL":
			s.mu.Lock()
			fail := s.failNext > 0
			if fail {
				s.failNext--
			}
			s.mu.Unlock()
			if fail {
				_ = reply("451 4.3.0 try again later")
				continue
			}
			m = Message{From: address(arg)}
			_ = reply("250 2.1.0 ok")
		case "RCPT":
			m.To = append(m.To, address(arg))
			_ = reply("250 2.1.5 ok")
		case "DATA":
			if !reply("354 end data with <CR><LF>.<CR><LF>") {
				return
			}
			data, err := readData(c.R)
			if err != nil {
				return
			}
			m.Data = data
			s.mu.Lock()
			s.messages = append(s.messages, m)
			s.mu.Unlock()
			select {
			case s.arrived <- struct{}{}:
			default:
			}
			_ = reply("250 2.0.0 queued")
		case "RSET":
			m = Message{}
			_ = reply("250 ok")
		case "NOOP":
			_ = reply("250 ok")
		case "QUIT":
			_ = reply("221 bye")
			return
		default:
			_ = reply("502 5.5.2 %s not implemented", fmt.Sprintf("%.16q", verb))
		}
	}
}

// readData reads the message after DATA as sent, byte for byte (a stray CR
// or LF stays what it was), up to the line holding a single ".", removing
// the dot a client doubled at the start of a line.
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return nil, err
		}
		if string(line) == ".\r\n" {
			return bytes.TrimSuffix(out, []byte("\r\n")), nil
		}
		out = append(out, bytes.TrimPrefix(line, []byte("."))...)
	}
}

// address takes the path out of "FROM:<a@b> SIZE=…" or "TO:<a@b>".
func address(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}
