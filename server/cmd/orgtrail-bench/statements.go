package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
)

// statementCounter is a loopback TCP proxy between the server and PostgreSQL
// that counts the statements the server sends: each simple Query message and
// each Execute message of the extended protocol. Reading the count before and
// after a series of requests tells how many statements one request costs,
// without pg_stat_statements.
type statementCounter struct {
	upstream string // host:port of PostgreSQL
	dsn      string // dsn pointed at the proxy
	listener net.Listener
	count    atomic.Int64
	// opaque counts connections whose traffic could not be followed (TLS).
	opaque atomic.Int64

	wg    sync.WaitGroup
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// newStatementCounter starts a proxy to the server of dsn, which must be a
// postgres:// URL with a TCP host. When it is not, the returned counter
// passes dsn through unchanged and Available reports false.
func newStatementCounter(ctx context.Context, dsn string) (*statementCounter, error) {
	c := &statementCounter{dsn: dsn, conns: map[net.Conn]struct{}{}}
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" || u.Query().Get("host") != "" {
		return c, nil
	}
	c.upstream = u.Host
	if u.Port() == "" {
		c.upstream = net.JoinHostPort(u.Hostname(), "5432")
	}
	var lc net.ListenConfig
	c.listener, err = lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("statement counter: %w", err)
	}
	u.Host = c.listener.Addr().String()
	c.dsn = u.String()
	c.wg.Add(1)
	go c.accept()
	return c, nil
}

// DSN is the connection string that routes through the counter.
func (c *statementCounter) DSN() string { return c.dsn }

// Available reports whether the counter sees the server's statements.
func (c *statementCounter) Available() bool { return c.listener != nil && c.opaque.Load() == 0 }

// Count is the number of statements sent so far.
func (c *statementCounter) Count() int64 { return c.count.Load() }

// Close stops the proxy and its connections.
func (c *statementCounter) Close() error {
	if c.listener == nil {
		return nil
	}
	err := c.listener.Close()
	c.mu.Lock()
	for conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
	c.mu.Unlock()
	c.wg.Wait()
	return err
}

func (c *statementCounter) track(conn net.Conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conns == nil {
		return false
	}
	c.conns[conn] = struct{}{}
	return true
}

func (c *statementCounter) untrack(conn net.Conn) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.conns, conn) // a no-op once Close has run
	conn.Close()
}

func (c *statementCounter) accept() {
	defer c.wg.Done()
	for {
		client, err := c.listener.Accept()
		if err != nil {
			return
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.relay(client)
		}()
	}
}

func (c *statementCounter) relay(client net.Conn) {
	server, err := net.Dial("tcp", c.upstream)
	if err != nil {
		client.Close()
		return
	}
	if !c.track(client) || !c.track(server) {
		client.Close()
		server.Close()
		return
	}
	defer c.untrack(client)
	defer c.untrack(server)
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
		close(done)
	}()
	c.forward(server, client)
	server.Close()
	<-done
}

// Codes of the untyped packets that ask to encrypt the session.
const (
	sslRequest    = 80877103
	gssEncRequest = 80877104
)

// forward copies the client's messages to the server until either side
// closes, counting statements. A session that turns to TLS cannot be
// followed; it is copied blindly and marked opaque.
func (c *statementCounter) forward(server io.Writer, client io.Reader) {
	r := bufio.NewReader(client)
	w := bufio.NewWriter(server)
	var header [8]byte
	// The first packet has a length and a code, no type byte.
	if _, err := io.ReadFull(r, header[:8]); err != nil {
		return
	}
	length := int64(binary.BigEndian.Uint32(header[:4]))
	code := binary.BigEndian.Uint32(header[4:8])
	_, _ = w.Write(header[:8])
	if _, err := io.CopyN(w, r, length-8); err != nil || w.Flush() != nil {
		return
	}
	if code == sslRequest || code == gssEncRequest {
		c.opaque.Add(1)
		_, _ = io.Copy(server, r)
		return
	}
	// Then typed messages: a type byte and a length that counts itself.
	for {
		if _, err := io.ReadFull(r, header[:5]); err != nil {
			return
		}
		if header[0] == 'Q' || header[0] == 'E' {
			c.count.Add(1)
		}
		length := int64(binary.BigEndian.Uint32(header[1:5]))
		_, _ = w.Write(header[:5])
		if _, err := io.CopyN(w, r, length-4); err != nil {
			return
		}
		// Send what the client has sent so far before waiting for more.
		if r.Buffered() == 0 {
			if err := w.Flush(); err != nil {
				return
			}
		}
	}
}
