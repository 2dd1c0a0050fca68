package verify

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of the tlog tiles the server stores and bundles
// carry: a tile holds up to 256 hashes of one level of the tree.
const TileHeight = 8

// Checkpoint is a signed checkpoint (C2SP tlog-checkpoint in a C2SP signed
// note) whose signature checked out.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	// KeyName and KeyHash name the trusted key that signed it.
	KeyName string
	KeyHash uint32
	// Note is the signed note as received, to save for a later check.
	Note []byte
}

// ParseKeys reads public (verifier) keys in the signed-note form
// "<name>+<hash>+<base64>", one per line, as the server publishes them at
// /.well-known/orgtrail-audit-log-key. Blank lines and lines starting with
// # are skipped.
func ParseKeys(text string) ([]note.Verifier, error) {
	var keys []note.Verifier
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, err := note.NewVerifier(line)
		if err != nil {
			return nil, fmt.Errorf("public key %q: %w", line, err)
		}
		keys = append(keys, v)
	}
	if len(keys) == 0 {
		return nil, errors.New("no public key given")
	}
	return keys, nil
}

// OpenCheckpoint checks that one of keys signed the checkpoint and parses
// it. The error says which key signed it when none of keys did, and when a
// trusted key's signature does not match the text.
func OpenCheckpoint(signed []byte, keys []note.Verifier) (*Checkpoint, error) {
	n, err := note.Open(signed, note.VerifierList(keys...))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			var by []string
			for _, s := range unverified.Note.UnverifiedSigs {
				by = append(by, fmt.Sprintf("%s (key hash %08x)", s.Name, s.Hash))
			}
			return nil, fmt.Errorf("checkpoint is not signed by a trusted key: signed by %s; trusted: %s",
				strings.Join(by, ", "), keyList(keys))
		case errors.As(err, &invalid):
			return nil, fmt.Errorf("checkpoint signature by %s does not match its text: the checkpoint was altered", invalid.Name)
		}
		return nil, fmt.Errorf("checkpoint is not a signed note: %w", err)
	}
	var c log.Checkpoint
	if _, err := c.Unmarshal([]byte(n.Text)); err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	if len(c.Hash) != tlog.HashSize || c.Size > 1<<62 {
		return nil, errors.New("checkpoint: root hash or size out of range")
	}
	cp := &Checkpoint{Origin: c.Origin, Size: int64(c.Size), KeyName: n.Sigs[0].Name, KeyHash: n.Sigs[0].Hash,
		Note: bytes.Clone(signed)}
	copy(cp.Root[:], c.Hash)
	return cp, nil
}

// CheckpointText is the body of a checkpoint, to be signed.
func CheckpointText(origin string, size int64, root tlog.Hash) string {
	return string(log.Checkpoint{Origin: origin, Size: uint64(size), Hash: root[:]}.Marshal())
}

func keyList(keys []note.Verifier) string {
	var s []string
	for _, k := range keys {
		s = append(s, fmt.Sprintf("%s (key hash %08x)", k.Name(), k.KeyHash()))
	}
	return strings.Join(s, ", ")
}

// PublicKeyOf returns the public (verifier) key of a signed-note Ed25519
// signing key ("PRIVATE+KEY+<name>+<hash>+<base64>"), the form
// AUDIT_SIGNING_KEY takes.
func PublicKeyOf(signingKey string) (string, error) {
	bad := errors.New("not a signed-note Ed25519 private key (PRIVATE+KEY+<name>+<hash>+<base64>)")
	if _, err := note.NewSigner(signingKey); err != nil {
		return "", bad
	}
	parts := strings.SplitN(signingKey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", bad
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}
