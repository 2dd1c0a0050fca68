package secrets

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/audit"
)

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, KeySize) }

func mustKeyring(t *testing.T, current []byte, previous ...[]byte) *Keyring {
	t.Helper()
	k, err := NewKeyring(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealedValueOpensOnlyWithItsBinding(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	b := Binding{Purpose: PurposeSecret, OrganizationID: uuid.New(), ID: uuid.New()}
	sealed, err := k.Seal([]byte("hunter2"), b)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed.Ciphertext, []byte("hunter2")) {
		t.Fatal("ciphertext contains the plaintext")
	}
	plain, err := k.Open(sealed, b)
	if err != nil || string(plain) != "hunter2" {
		t.Fatalf("Open = %q, %v", plain, err)
	}
	for name, other := range map[string]Binding{
		"another organization": {Purpose: b.Purpose, OrganizationID: uuid.New(), ID: b.ID},
		"another row":          {Purpose: b.Purpose, OrganizationID: b.OrganizationID, ID: uuid.New()},
		"another purpose":      {Purpose: "connector-credentials", OrganizationID: b.OrganizationID, ID: b.ID},
	} {
		t.Run(name, func(t *testing.T) {
			plain, err := k.Open(sealed, other)
			if !errors.Is(err, ErrUndecryptable) || plain != nil {
				t.Fatalf("Open with %s = %q, %v; want ErrUndecryptable and nothing", name, plain, err)
			}
		})
	}
}

func TestSealingTwiceGivesDifferentCiphertexts(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	b := Binding{Purpose: PurposeSecret, OrganizationID: uuid.New(), ID: uuid.New()}
	a, _ := k.Seal([]byte("same"), b)
	c, _ := k.Seal([]byte("same"), b)
	if bytes.Equal(a.Ciphertext, c.Ciphertext) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
}

func TestTamperedCiphertextFailsClosed(t *testing.T) {
	k := mustKeyring(t, testKey(1))
	b := Binding{Purpose: PurposeSecret, OrganizationID: uuid.New(), ID: uuid.New()}
	sealed, err := k.Seal([]byte("a value worth protecting"), b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed.Ciphertext {
		tampered := Sealed{Ciphertext: bytes.Clone(sealed.Ciphertext), KeyVersion: sealed.KeyVersion}
		tampered.Ciphertext[i] ^= 0x01
		plain, err := k.Open(tampered, b)
		if !errors.Is(err, ErrUndecryptable) || plain != nil {
			t.Fatalf("byte %d flipped: Open = %q, %v; want ErrUndecryptable", i, plain, err)
		}
	}
	for _, cut := range []int{0, 1, 12, len(sealed.Ciphertext) - 1} {
		plain, err := k.Open(Sealed{Ciphertext: sealed.Ciphertext[:cut], KeyVersion: sealed.KeyVersion}, b)
		if !errors.Is(err, ErrUndecryptable) || plain != nil {
			t.Fatalf("truncated to %d: Open = %q, %v", cut, plain, err)
		}
	}
	_, err = k.Open(sealed, b)
	if err != nil {
		t.Fatalf("the original no longer opens: %v", err)
	}
	if msg := ErrUndecryptable.Error(); !strings.Contains(msg, "cannot be decrypted") {
		t.Fatalf("error %q is not clear", msg)
	}
}

func TestRotatedKeyringOpensOldValuesAndSealsWithTheNewKey(t *testing.T) {
	old := mustKeyring(t, testKey(1))
	b := Binding{Purpose: PurposeSecret, OrganizationID: uuid.New(), ID: uuid.New()}
	sealed, _ := old.Seal([]byte("v"), b)

	rotated := mustKeyring(t, testKey(2), testKey(1))
	if rotated.Version() == old.Version() {
		t.Fatal("a new key has the old key's version")
	}
	if plain, err := rotated.Open(sealed, b); err != nil || string(plain) != "v" {
		t.Fatalf("rotated keyring cannot open an old value: %q, %v", plain, err)
	}
	resealed, _ := rotated.Seal([]byte("v"), b)
	if resealed.KeyVersion != rotated.Version() {
		t.Fatalf("sealed under %s, want the current key %s", resealed.KeyVersion, rotated.Version())
	}
	if _, err := old.Open(resealed, b); !errors.Is(err, ErrUndecryptable) {
		t.Fatalf("the old keyring opens a value of the new key: %v", err)
	}

	newOnly := mustKeyring(t, testKey(2))
	_, err := newOnly.Open(sealed, b)
	if !errors.Is(err, ErrUndecryptable) || !strings.Contains(err.Error(), old.Version()) {
		t.Fatalf("Open of an unknown key version = %v, want ErrUndecryptable naming %s", err, old.Version())
	}
}

func TestKeyVersionIsAStableFingerprint(t *testing.T) {
	a, b := mustKeyring(t, testKey(1)), mustKeyring(t, testKey(1))
	if a.Version() != b.Version() || len(a.Version()) != 16 {
		t.Fatalf("versions %q and %q, want one 16-character fingerprint", a.Version(), b.Version())
	}
	if c := mustKeyring(t, testKey(3)); c.Version() == a.Version() {
		t.Fatal("two keys share a version")
	}
	if !a.Has(a.Version()) || a.Has("0000000000000000") {
		t.Fatal("Has is wrong")
	}
}

func TestNewKeyringRefusesKeysOfTheWrongSize(t *testing.T) {
	if _, err := NewKeyring(nil); err == nil || !strings.Contains(err.Error(), "SECRET_KEY") {
		t.Fatalf("nil key: %v", err)
	}
	if _, err := NewKeyring(testKey(1), []byte("short")); err == nil || !strings.Contains(err.Error(), "SECRET_KEY_PREVIOUS") {
		t.Fatalf("short previous key: %v", err)
	}
}

func TestSecretNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"A": true, "DATABASE_PASSWORD": true, "API_KEY_2": true, "A" + strings.Repeat("_", 127): true,
		"": false, "a": false, "database_password": false, "1PASSWORD": false, "_X": false,
		"HAS SPACE": false, "HAS-DASH": false, "ÄPFEL": false, "A" + strings.Repeat("B", 128): false,
	} {
		if _, err := ValidName(name); (err == nil) != ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", name, err, ok)
		}
	}
}

func TestValueErrorsNeverQuoteTheValue(t *testing.T) {
	big := strings.Repeat("s3cr3t-", MaxValueBytes/7+1)
	err := validValue(big)
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Fatalf("validValue(oversize) = %v", err)
	}
	if err := validValue(strings.Repeat("x", MaxValueBytes)); err != nil {
		t.Fatalf("a value of exactly the limit is refused: %v", err)
	}
}

func TestChangeDetailsShowWriteOnlyFieldsOnlyAsChangedOrCleared(t *testing.T) {
	changes := audit.Changes{}
	changes.Set("name", "OLD", "NEW")
	got := ChangeDetails(changes, map[string]WriteOnlyChange{"value": Changed, "token": Cleared})
	if got["value"] != Changed || got["token"] != Cleared || got["name"] != (audit.FieldChange{From: "OLD", To: "NEW"}) || len(got) != 3 {
		t.Fatalf("ChangeDetails = %v", got)
	}
}
