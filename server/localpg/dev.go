package localpg

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// DevPort is the port the project-local cluster asks for: fixed, so its URL
// stays the same between runs, and away from a system PostgreSQL on 5432.
const DevPort = 54329

// DevDatabase is the database EnsureLocal creates for the application.
const DevDatabase = "orgtrail"

// secretKeySize is the length of SECRET_KEY in bytes, before base64.
const secretKeySize = 32

// dataDir is the project's local state, ignored by git.
func dataDir(projectDir string) string { return filepath.Join(projectDir, ".data") }

// EnsureLocal gives `orgtrail serve` a database when DATABASE_URL is unset:
// it starts the cluster in <projectDir>/.data/postgres (creating it on first
// use) on DevPort, or a free port when DevPort is taken, reuses that cluster
// if it is already running, and creates the database DevDatabase.
//
// stop shuts the cluster down if this call started it; a cluster that was
// already running belongs to whoever started it and is left alone.
func EnsureLocal(ctx context.Context, projectDir string, logf func(format string, args ...any)) (dsn string, stop func() error, err error) {
	port := DevPort
	if !portFree(port) {
		port = 0 // ignored if it is this cluster that holds DevPort
	}
	c, err := Start(ctx, Options{
		Dir:  filepath.Join(dataDir(projectDir), "postgres"),
		Port: port,
		Logf: logf,
	})
	if err != nil {
		return "", nil, err
	}
	stop = c.Stop
	if c.reused {
		stop = func() error { return nil }
	}
	if err := c.EnsureDatabase(ctx, DevDatabase); err != nil {
		return "", nil, errors.Join(err, stop())
	}
	return c.URL(DevDatabase), stop, nil
}

// portFree reports whether nothing listens on 127.0.0.1:port.
func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// LoadOrCreateSecretKey returns the SECRET_KEY for local runs, kept in
// <projectDir>/.data/secret_key: 32 random bytes, base64 encoded. The first
// call creates the file (mode 0600); concurrent first calls agree on one key.
func LoadOrCreateSecretKey(projectDir string) (string, error) {
	path := filepath.Join(dataDir(projectDir), "secret_key")
	if key, err := readSecretKey(path); !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	raw := make([]byte, secretKeySize)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	key := base64.StdEncoding.EncodeToString(raw)

	// Write a temporary file and link it into place: the key appears whole
	// or not at all, and a process that loses the race reads the winner's.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".secret_key-*")
	if err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(key + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return readSecretKey(path)
	} else if err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	return key, nil
}

// readSecretKey reads and checks a key file written by LoadOrCreateSecretKey.
func readSecretKey(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("localpg: secret key: %w", err)
	}
	key := strings.TrimSpace(string(data))
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != secretKeySize {
		return "", fmt.Errorf("localpg: %s does not hold %d base64-encoded bytes; delete it to generate a new key", path, secretKeySize)
	}
	return key, nil
}

// LoadOrCreateAuditSigningKey returns the AUDIT_SIGNING_KEY for local runs,
// kept in <projectDir>/.data/audit_signing_key: a signed-note Ed25519
// private key named name, made by generate on first use (mode 0600). Like
// the SECRET_KEY file, concurrent first calls agree on one key.
func LoadOrCreateAuditSigningKey(projectDir string, generate func() (string, error)) (string, error) {
	path := filepath.Join(dataDir(projectDir), "audit_signing_key")
	read := func() (string, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("localpg: audit signing key: %w", err)
		}
		key := strings.TrimSpace(string(data))
		if !strings.HasPrefix(key, "PRIVATE+KEY+") {
			return "", fmt.Errorf("localpg: %s does not hold a signing key; delete it to generate a new one "+
				"(checkpoints it signed then verify only with its old public key)", path)
		}
		return key, nil
	}
	if key, err := read(); !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("localpg: audit signing key: %w", err)
	}
	key, err := generate()
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".audit_signing_key-*")
	if err != nil {
		return "", fmt.Errorf("localpg: audit signing key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(key + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("localpg: audit signing key: %w", err)
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return read()
	} else if err != nil {
		return "", fmt.Errorf("localpg: audit signing key: %w", err)
	}
	return key, nil
}
