package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// ErrUndecryptable means a stored value failed authentication: its ciphertext
// was altered, moved to another row or organization, or sealed under a key
// that is not configured. Nothing of the value is returned: reads fail closed.
var ErrUndecryptable = errors.New("secrets: stored value cannot be decrypted (altered, moved to another row, or sealed under a key that is not configured)")

// The HKDF info strings. Changing them changes every derived key.
const (
	encryptionInfo = "orgtrail/secrets/v1/aes-256-gcm"
	versionInfo    = "orgtrail/secrets/v1/key-version"
)

// KeySize is the size of SECRET_KEY in bytes.
const KeySize = 32

// Keyring seals values under a key derived from the current SECRET_KEY and
// opens values sealed under it or under a previous SECRET_KEY that is still
// configured (SECRET_KEY_PREVIOUS), so the key can be rotated without
// downtime. A key's version is a fingerprint derived from it, so a row names
// the key that sealed it without the operator numbering keys.
type Keyring struct {
	current   *sealingKey
	byVersion map[string]*sealingKey
}

type sealingKey struct {
	version string
	aead    cipher.AEAD
}

// NewKeyring derives the sealing keys from the current SECRET_KEY and any
// previous ones (each 32 bytes).
func NewKeyring(current []byte, previous ...[]byte) (*Keyring, error) {
	cur, err := deriveKey(current)
	if err != nil {
		return nil, fmt.Errorf("SECRET_KEY: %w", err)
	}
	k := &Keyring{current: cur, byVersion: map[string]*sealingKey{cur.version: cur}}
	for i, p := range previous {
		prev, err := deriveKey(p)
		if err != nil {
			return nil, fmt.Errorf("SECRET_KEY_PREVIOUS (key %d): %w", i+1, err)
		}
		if _, ok := k.byVersion[prev.version]; !ok {
			k.byVersion[prev.version] = prev
		}
	}
	return k, nil
}

func deriveKey(secret []byte) (*sealingKey, error) {
	if len(secret) != KeySize {
		return nil, fmt.Errorf("must be %d bytes, got %d", KeySize, len(secret))
	}
	raw, err := hkdf.Key(sha256.New, secret, nil, encryptionInfo, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	id, err := hkdf.Key(sha256.New, secret, nil, versionInfo, 8)
	if err != nil {
		return nil, err
	}
	return &sealingKey{version: hex.EncodeToString(id), aead: aead}, nil
}

// Version is the version of the current key, the one Seal uses.
func (k *Keyring) Version() string { return k.current.version }

// Versions lists the versions the keyring can open, the current one first.
func (k *Keyring) Versions() []string {
	out := []string{k.current.version}
	for v := range k.byVersion {
		if v != k.current.version {
			out = append(out, v)
		}
	}
	return out
}

// Has reports whether the keyring can open values sealed under version.
func (k *Keyring) Has(version string) bool { _, ok := k.byVersion[version]; return ok }

// Binding is the additional data a sealed value is bound to: what it is
// (Purpose), whose it is and which row holds it. A ciphertext copied to
// another row, organization or purpose does not open.
type Binding struct {
	Purpose        string
	OrganizationID uuid.UUID
	ID             uuid.UUID
}

func (b Binding) additionalData() []byte {
	ad := make([]byte, 0, len("orgtrail/")+len(b.Purpose)+1+32)
	ad = append(ad, "orgtrail/"...)
	ad = append(ad, b.Purpose...)
	ad = append(ad, 0)
	ad = append(ad, b.OrganizationID[:]...)
	return append(ad, b.ID[:]...)
}

// Sealed is an encrypted value as stored: a random nonce followed by the
// AES-256-GCM ciphertext and tag, and the version of the key that sealed it.
type Sealed struct {
	Ciphertext []byte
	KeyVersion string
}

// Seal encrypts plaintext under the current key, bound to b.
func (k *Keyring) Seal(plaintext []byte, b Binding) (Sealed, error) {
	aead := k.current.aead
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return Sealed{}, err
	}
	out = aead.Seal(out, out, plaintext, b.additionalData())
	return Sealed{Ciphertext: out, KeyVersion: k.current.version}, nil
}

// Open decrypts s, which must have been sealed bound to b. Any mismatch
// (altered bytes, another row's or organization's ciphertext, an unknown
// key version) fails with an error wrapping ErrUndecryptable.
func (k *Keyring) Open(s Sealed, b Binding) ([]byte, error) {
	key, ok := k.byVersion[s.KeyVersion]
	if !ok {
		return nil, fmt.Errorf("%w: key version %q is neither SECRET_KEY nor in SECRET_KEY_PREVIOUS", ErrUndecryptable, s.KeyVersion)
	}
	n := key.aead.NonceSize()
	if len(s.Ciphertext) < n+key.aead.Overhead() {
		return nil, fmt.Errorf("%w: ciphertext is truncated", ErrUndecryptable)
	}
	plain, err := key.aead.Open(nil, s.Ciphertext[:n], s.Ciphertext[n:], b.additionalData())
	if err != nil {
		return nil, fmt.Errorf("%w: authentication failed", ErrUndecryptable)
	}
	return plain, nil
}
