package audit

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
)

func testPosition() position {
	return position{
		OccurredAt: time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC),
		ID:         uuid.MustParse("0190f5c2-7a8b-7cde-8f01-23456789abcd"),
	}
}

func TestCursorRoundTrips(t *testing.T) {
	scope := scopeOf(uuid.New(), Filter{Search: "role"})
	p := testPosition()
	got, err := decodeCursor(encodeCursor(p, scope), scope)
	if err != nil {
		t.Fatal(err)
	}
	if !got.OccurredAt.Equal(p.OccurredAt) || got.ID != p.ID {
		t.Errorf("decoded %v, want %v", got, p)
	}
}

func TestCursorIsOpaqueAndURLSafe(t *testing.T) {
	c := encodeCursor(testPosition(), scopeOf(uuid.New(), Filter{}))
	if strings.ContainsAny(c, "+/=") || len(c) > maxCursorChars {
		t.Errorf("cursor %q is not short unpadded base64url", c)
	}
	if strings.Contains(c, testPosition().ID.String()) {
		t.Errorf("cursor %q shows the event id", c)
	}
}

func requireBadAfter(t *testing.T, err error) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.BadUserInput || e.Field != "after" {
		t.Fatalf("error = %v, want BadUserInput on after", err)
	}
}

func TestEveryEditedByteOfACursorIsRefused(t *testing.T) {
	scope := scopeOf(uuid.New(), Filter{})
	raw, err := base64.RawURLEncoding.DecodeString(encodeCursor(testPosition(), scope))
	if err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		edited := append([]byte(nil), raw...)
		edited[i] ^= 0x01
		_, err := decodeCursor(base64.RawURLEncoding.EncodeToString(edited), scope)
		requireBadAfter(t, err)
	}
}

func TestMalformedCursorsAreRefused(t *testing.T) {
	scope := scopeOf(uuid.New(), Filter{})
	valid := encodeCursor(testPosition(), scope)
	for name, c := range map[string]string{
		"not base64":       "not a cursor!",
		"padded":           valid + "=",
		"standard base64":  base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", cursorLen))),
		"too short":        valid[:len(valid)-2],
		"too long":         valid + "AAAA",
		"huge":             strings.Repeat("A", 10000),
		"other version":    base64.RawURLEncoding.EncodeToString(append([]byte{2}, make([]byte, cursorLen-1)...)),
		"zeros":            base64.RawURLEncoding.EncodeToString(make([]byte, cursorLen)),
		"an id, not a cur": testPosition().ID.String(),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeCursor(c, scope)
			requireBadAfter(t, err)
		})
	}
}

func TestCursorOfAnotherFilterOrOrganizationIsRefused(t *testing.T) {
	org := uuid.New()
	c := encodeCursor(testPosition(), scopeOf(org, Filter{Category: Secrets}))
	for name, scope := range map[string]cursorScope{
		"other filter":       scopeOf(org, Filter{Category: Connectors}),
		"no filter":          scopeOf(org, Filter{}),
		"other organization": scopeOf(uuid.New(), Filter{Category: Secrets}),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := decodeCursor(c, scope)
			requireBadAfter(t, err)
		})
	}
}

func TestScopeTellsFieldsApart(t *testing.T) {
	org := uuid.New()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	filters := []Filter{
		{},
		{Search: "ab"}, {Search: "a", ActorID: "b"}, {ActorID: "ab"}, {ResourceType: "ab"}, {ResourceID: "ab"},
		{Range: Today}, {Range: Today, TimeZone: "Asia/Tokyo"}, {From: &at}, {To: &at},
		{Category: Secrets}, {Action: CreatedSecret},
	}
	seen := map[cursorScope]int{}
	for i, f := range filters {
		s := scopeOf(org, f)
		if j, dup := seen[s]; dup {
			t.Errorf("filters %d and %d share a scope", j, i)
		}
		seen[s] = i
	}
}
