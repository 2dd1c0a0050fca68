package credential

import "testing"

func TestMintedCredentialParsesAndMatchesOnlyItself(t *testing.T) {
	a, err := Mint(AccessKey)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Mint(AccessKey)
	p, err := Parse(a.Plaintext)
	if err != nil {
		t.Fatalf("Parse(%q): %v", a.Plaintext, err)
	}
	if p.Kind != AccessKey || p.Prefix != a.Prefix {
		t.Fatalf("parsed %+v, want kind %s prefix %s", p, AccessKey, a.Prefix)
	}
	if !p.Matches(a.Hash) {
		t.Fatal("credential does not match its own hash")
	}
	if p.Matches(b.Hash) {
		t.Fatal("credential matches another credential's hash")
	}
}

func TestParseRejectsMalformedCredentials(t *testing.T) {
	good, _ := Mint(ServiceAccountKey)
	for _, s := range []string{
		"", "ot", "otsa_", "otxx_abcdefgh_" + good.Plaintext[14:], "Bearer " + good.Plaintext,
		good.Plaintext + "x", good.Plaintext[:len(good.Plaintext)-1], "xx" + good.Plaintext[2:],
		// Bytes outside base64url, which the database must not be asked to compare.
		good.Plaintext[:5] + "\xff" + good.Plaintext[6:], good.Plaintext[:20] + "\x00" + good.Plaintext[21:],
	} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded, want ErrMalformed", s)
		}
	}
}

func TestEveryMintedCredentialParses(t *testing.T) {
	// Prefixes and secrets may contain "_": parse many to catch that.
	for i := 0; i < 2000; i++ {
		m, _ := Mint(SCIMToken)
		if p, err := Parse(m.Plaintext); err != nil || p.Prefix != m.Prefix || !p.Matches(m.Hash) {
			t.Fatalf("Parse(%q) = %+v, %v", m.Plaintext, p, err)
		}
	}
}
