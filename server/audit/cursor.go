package audit

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// position is where a page ends in the log's order (occurred_at DESC, id DESC):
// the next page holds the events strictly after it in that order.
type position struct {
	OccurredAt time.Time
	ID         uuid.UUID
}

// less reports whether p comes before q in time order (not the log's
// newest-first order).
func (p position) less(q position) bool {
	if c := p.OccurredAt.Compare(q.OccurredAt); c != 0 {
		return c < 0
	}
	return bytes.Compare(p.ID[:], q.ID[:]) < 0
}

// A cursor is base64url (unpadded) over 41 bytes:
//
//	version(1) | occurred_at as Unix microseconds(8) | id(16) | scope(8) | check(8)
//
// scope ties the cursor to the organization and filter it was issued for, so
// that a cursor replayed against another filter is refused instead of
// silently skipping or repeating events. check is a SHA-256 prefix over the
// rest: corrupted or edited cursors are refused. Cursors are not secret and
// need no key: the position they carry only ever selects rows of the
// caller's own organization, so a forged one reveals nothing.
const (
	cursorVersion = 1
	cursorLen     = 1 + 8 + 16 + 8 + 8
	// maxCursorChars bounds the input decoded, whatever a client sends.
	maxCursorChars = 64
)

// cursorScope identifies the organization and filter a list was asked for.
type cursorScope [8]byte

func encodeCursor(p position, scope cursorScope) string {
	var b [cursorLen]byte
	b[0] = cursorVersion
	binary.BigEndian.PutUint64(b[1:9], uint64(p.OccurredAt.UnixMicro()))
	copy(b[9:25], p.ID[:])
	copy(b[25:33], scope[:])
	sum := cursorCheck(b[:33])
	copy(b[33:], sum[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// decodeCursor parses a cursor issued for scope. Every failure is the
// client's: the error is apperr BadUserInput on "after".
func decodeCursor(s string, scope cursorScope) (position, error) {
	invalid := apperr.Invalid("after", "after is not a cursor of this list; start again from the first page")
	if len(s) > maxCursorChars {
		return position{}, invalid
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != cursorLen || b[0] != cursorVersion {
		return position{}, invalid
	}
	sum := cursorCheck(b[:33])
	if subtle.ConstantTimeCompare(sum[:], b[33:]) != 1 {
		return position{}, invalid
	}
	if subtle.ConstantTimeCompare(scope[:], b[25:33]) != 1 {
		return position{}, apperr.Invalid("after", "after belongs to a list with other filters; start again from the first page")
	}
	micros := int64(binary.BigEndian.Uint64(b[1:9]))
	var id uuid.UUID
	copy(id[:], b[9:25])
	return position{OccurredAt: time.UnixMicro(micros).UTC(), ID: id}, nil
}

func cursorCheck(b []byte) [8]byte {
	h := sha256.New()
	h.Write([]byte("orgtrail audit cursor\x00"))
	h.Write(b)
	var out [8]byte
	copy(out[:], h.Sum(nil))
	return out
}

// scopeOf fingerprints the organization and the filter as the client gave it
// (a relative date range by name, not by its bounds, so that the next page
// asked a minute later still matches).
func scopeOf(org uuid.UUID, f Filter) cursorScope {
	h := sha256.New()
	h.Write([]byte("orgtrail audit scope\x00"))
	h.Write(org[:])
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	instant := func(t *time.Time) {
		if t == nil {
			field("")
			return
		}
		field(t.UTC().Format(time.RFC3339Nano))
	}
	field(f.Search)
	field(string(f.Category))
	field(string(f.Action))
	field(string(f.Range))
	field(f.TimeZone)
	instant(f.From)
	instant(f.To)
	field(f.ActorID)
	field(f.ResourceType)
	field(f.ResourceID)
	// Issue 13's fields count only when given, so that cursors handed out
	// before them stay valid.
	if f.RequestID != "" || f.IPAddress != "" || f.Query != "" {
		field("issue13")
		field(f.RequestID)
		field(f.IPAddress)
		field(f.Query)
	}
	var out cursorScope
	copy(out[:], h.Sum(nil))
	return out
}
