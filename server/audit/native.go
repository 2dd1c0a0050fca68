package audit

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// NativeEvent is an event in the shape of the GraphQL AuditEvent, as exports
// (NDJSON) and log streams (native JSON format) write it, so a receiver reads
// the same fields under the same names wherever the event came from. Sequence
// and OrganizationID are set by streams only: the event's place in the
// organization's verifiable log, by which a receiver de-duplicates.
type NativeEvent struct {
	ID             string          `json:"id"`
	Sequence       *int64          `json:"sequence,omitempty"`
	OrganizationID string          `json:"organizationId,omitempty"`
	OccurredAt     time.Time       `json:"occurredAt"`
	Category       Category        `json:"category"`
	Action         Action          `json:"action"`
	ActionLabel    string          `json:"actionLabel"`
	Actor          NativeActor     `json:"actor"`
	Resource       NativeResource  `json:"resource"`
	Details        json.RawMessage `json:"details"`
	IPAddress      *string         `json:"ipAddress"`
	UserAgent      *string         `json:"userAgent"`
	RequestID      *string         `json:"requestId"`
}

// NativeActor is AuditActor.
type NativeActor struct {
	Type  ActorType `json:"type"`
	ID    *string   `json:"id"`
	Email *string   `json:"email"`
	Name  *string   `json:"name"`
}

// NativeResource is AuditResource.
type NativeResource struct {
	Type string  `json:"type"`
	ID   string  `json:"id"`
	Name *string `json:"name"`
}

// Native returns e in the GraphQL event shape. Details are the stored JSON
// as read (DetailsJSON) when the read selected it, else e.Details encoded.
func (e Event) Native() NativeEvent {
	details := json.RawMessage(e.DetailsJSON)
	if len(details) == 0 {
		if e.Details == nil {
			details = json.RawMessage("{}")
		} else if b, err := json.Marshal(e.Details); err == nil {
			details = b
		} else {
			details = json.RawMessage("{}")
		}
	}
	return NativeEvent{
		ID:          e.ID.String(),
		OccurredAt:  e.OccurredAt.UTC(),
		Category:    e.Action.Category(),
		Action:      e.Action,
		ActionLabel: e.Action.Label(),
		Actor:       NativeActor{Type: e.ActorType, ID: optional(e.ActorID), Email: optional(e.ActorEmail), Name: optional(e.ActorName)},
		Resource:    NativeResource{Type: e.ResourceType, ID: e.ResourceID, Name: optional(e.ResourceName)},
		Details:     details,
		IPAddress:   e.IPAddress,
		UserAgent:   optional(e.UserAgent),
		RequestID:   optional(e.RequestID),
	}
}

// optional is nil for "", as the GraphQL shape has null for an absent value.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// AppendJSON appends n's JSON encoding to b: what json.Marshal writes (the
// same fields, names and order, strings escaped alike), without reflection,
// and with details as stored rather than re-compacted, for exports of
// millions of events (TestNativeJSONIsWhatEncodingJSONReads).
func (n NativeEvent) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, n.ID)
	if n.Sequence != nil {
		b = append(b, `,"sequence":`...)
		b = strconv.AppendInt(b, *n.Sequence, 10)
	}
	if n.OrganizationID != "" {
		b = append(b, `,"organizationId":`...)
		b = appendString(b, n.OrganizationID)
	}
	b = append(b, `,"occurredAt":"`...)
	b = n.OccurredAt.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","category":`...)
	b = appendString(b, string(n.Category))
	b = append(b, `,"action":`...)
	b = appendString(b, string(n.Action))
	b = append(b, `,"actionLabel":`...)
	b = appendString(b, n.ActionLabel)
	b = append(b, `,"actor":{"type":`...)
	b = appendString(b, string(n.Actor.Type))
	b = append(b, `,"id":`...)
	b = appendOptional(b, n.Actor.ID)
	b = append(b, `,"email":`...)
	b = appendOptional(b, n.Actor.Email)
	b = append(b, `,"name":`...)
	b = appendOptional(b, n.Actor.Name)
	b = append(b, `},"resource":{"type":`...)
	b = appendString(b, n.Resource.Type)
	b = append(b, `,"id":`...)
	b = appendString(b, n.Resource.ID)
	b = append(b, `,"name":`...)
	b = appendOptional(b, n.Resource.Name)
	b = append(b, `},"details":`...)
	if len(n.Details) == 0 {
		b = append(b, "{}"...)
	} else {
		b = append(b, n.Details...)
	}
	b = append(b, `,"ipAddress":`...)
	b = appendOptional(b, n.IPAddress)
	b = append(b, `,"userAgent":`...)
	b = appendOptional(b, n.UserAgent)
	b = append(b, `,"requestId":`...)
	b = appendOptional(b, n.RequestID)
	return append(b, '}')
}

func appendOptional(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return appendString(b, *s)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string the way encoding/json writes it
// (HTML escaping aside): quotes, backslashes and control characters escaped,
// invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
