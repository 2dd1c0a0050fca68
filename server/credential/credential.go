// Package credential mints and parses the bearer secrets Orgtrail hands out
// (service account API keys, API access keys, later SCIM tokens). A secret
// is shown once; only its SHA-256 is stored, found again by its prefix.
//
// Format: "ot<kind>_<prefix>_<secret>", e.g. "otsa_k3J9xQ2m_…". The kind tells
// which table to look in; the prefix (8 characters) is stored in clear and
// shown in lists so people can tell keys apart.
package credential

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Kind is what a credential authenticates as.
type Kind string

// The credential kinds.
const (
	ServiceAccountKey Kind = "sa"
	AccessKey         Kind = "ak"
	SCIMToken         Kind = "scim"
)

const (
	prefixLen = 8
	secretLen = 32 // random bytes; 256 bits makes a fast hash safe to store
)

var encoding = base64.RawURLEncoding

// Minted is a freshly created credential. Plaintext goes to the caller once
// and is never stored.
type Minted struct {
	Plaintext string
	Prefix    string
	Hash      []byte
}

// Mint creates a new random credential of kind.
func Mint(kind Kind) (Minted, error) {
	buf := make([]byte, 6+secretLen)
	if _, err := rand.Read(buf); err != nil {
		return Minted{}, err
	}
	prefix := encoding.EncodeToString(buf[:6])
	secret := encoding.EncodeToString(buf[6:])
	plain := "ot" + string(kind) + "_" + prefix + "_" + secret
	return Minted{Plaintext: plain, Prefix: prefix, Hash: Hash(plain)}, nil
}

// Parsed is a presented credential split into its parts.
type Parsed struct {
	Kind   Kind
	Prefix string
	hash   []byte
}

// ErrMalformed means the string is not an Orgtrail credential.
var ErrMalformed = errors.New("credential: malformed")

// Parse splits a presented credential. It does not check it against storage.
func Parse(s string) (Parsed, error) {
	rest, ok := strings.CutPrefix(s, "ot")
	if !ok {
		return Parsed{}, ErrMalformed
	}
	kind, rest, ok := strings.Cut(rest, "_")
	if !ok {
		return Parsed{}, ErrMalformed
	}
	// The prefix and secret are base64url, which may itself contain "_", so
	// they are split by length rather than by separator.
	secretChars := encoding.EncodedLen(secretLen)
	if len(rest) != prefixLen+1+secretChars || rest[prefixLen] != '_' {
		return Parsed{}, ErrMalformed
	}
	prefix := rest[:prefixLen]
	// Only the base64url alphabet: the prefix is looked up in the database,
	// which must never be handed bytes it cannot compare (invalid UTF-8).
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; i != prefixLen && !isBase64URL(c) {
			return Parsed{}, ErrMalformed
		}
	}
	switch Kind(kind) {
	case ServiceAccountKey, AccessKey, SCIMToken:
	default:
		return Parsed{}, ErrMalformed
	}
	return Parsed{Kind: Kind(kind), Prefix: prefix, hash: Hash(s)}, nil
}

func isBase64URL(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

// Matches reports, in constant time, whether the presented credential is the
// one whose stored hash is stored.
func (p Parsed) Matches(stored []byte) bool {
	return subtle.ConstantTimeCompare(p.hash, stored) == 1
}

// Hash is the stored form of a credential.
func Hash(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// TouchLastUsed records a credential's last use in table, at most once a
// minute so that a busy key does not turn every request into a write.
// lastUsedAt is the value read with the credential: when it is under a
// minute old no statement is sent at all.
func TouchLastUsed(conn *gorm.DB, table string, id uuid.UUID, lastUsedAt *time.Time, now time.Time) error {
	if lastUsedAt != nil && now.Sub(*lastUsedAt) < time.Minute {
		return nil
	}
	return conn.Exec(`UPDATE `+table+` SET last_used_at = ?
		WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`, now, id, now.Add(-time.Minute)).Error
}
