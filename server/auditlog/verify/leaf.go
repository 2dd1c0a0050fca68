// Package verify checks an Orgtrail audit log offline: a verification bundle
// (events, the tree tiles that prove them, a signed checkpoint) against the
// log's public key, and optionally against a checkpoint saved earlier. It
// holds what the server and a verifier must agree on, so both use this one
// package: the leaf encoding of an event (Leaf), the checkpoint format
// (Checkpoint) and the bundle format (Bundle lines). It needs no database
// and no server; `orgtrail verify` is a thin command over it, and other Go
// programs may import it. The format is documented in docs/verifiable-log.md.
package verify

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/google/uuid"
	"github.com/gowebpki/jcs"
	"golang.org/x/mod/sumdb/tlog"
)

// LeafVersion is the first byte of every leaf. A later version may add
// fields; a verifier refuses versions it does not know rather than guess.
const LeafVersion = 1

// Event is one audit event exactly as stored: every column of audit_events
// but the transaction id the server sequences by. Its JSON form is a line of
// a bundle.
type Event struct {
	OrganizationID uuid.UUID `json:"organizationId"`
	ID             uuid.UUID `json:"id"`
	// OccurredAt has microsecond precision, as PostgreSQL keeps it.
	OccurredAt   time.Time `json:"occurredAt"`
	Action       string    `json:"action"`
	ActorType    string    `json:"actorType"`
	ActorID      string    `json:"actorId"`
	ActorEmail   string    `json:"actorEmail"`
	ActorName    string    `json:"actorName"`
	ResourceType string    `json:"resourceType"`
	ResourceID   string    `json:"resourceId"`
	ResourceName string    `json:"resourceName"`
	// Details is a JSON object; the leaf holds its RFC 8785 canonical form,
	// so whitespace and key order do not matter, values do.
	Details json.RawMessage `json:"details"`
	// IPAddress is "" when none was recorded, else the address as the server
	// stored it (see CanonicalIP).
	IPAddress string `json:"ipAddress"`
	UserAgent string `json:"userAgent"`
	RequestID string `json:"requestId"`
}

// Leaf returns the leaf encoding of e, version 1:
//
//	0x01
//	organization id (16 bytes) || id (16 bytes)
//	occurred at: int64 big-endian, microseconds since 1970-01-01T00:00:00Z
//	then, each as a uint32 big-endian byte length and its UTF-8 bytes:
//	action, actor type, actor id, actor email, actor name, resource type,
//	resource id, resource name, details (RFC 8785 JSON), ip address,
//	user agent, request id
//
// The tree's leaf hash is SHA-256(0x00 || Leaf(e)) (RFC 6962).
func Leaf(e *Event) ([]byte, error) {
	return AppendLeaf(nil, e)
}

// AppendLeaf appends the leaf encoding of e to dst (see Leaf).
func AppendLeaf(dst []byte, e *Event) ([]byte, error) {
	if e.OccurredAt.IsZero() {
		return nil, errors.New("occurredAt is missing")
	}
	if e.OccurredAt.Nanosecond()%1000 != 0 {
		return nil, fmt.Errorf("occurredAt %s is finer than a microsecond", e.OccurredAt.Format(time.RFC3339Nano))
	}
	details := e.Details
	if len(details) == 0 {
		return nil, errors.New("details are missing")
	}
	canonical, err := jcs.Transform(details)
	if err != nil {
		return nil, fmt.Errorf("details are not canonicalizable JSON: %w", err)
	}
	if len(canonical) == 0 || canonical[0] != '{' {
		return nil, errors.New("details are not a JSON object")
	}
	dst = append(dst, LeafVersion)
	dst = append(dst, e.OrganizationID[:]...)
	dst = append(dst, e.ID[:]...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(e.OccurredAt.UnixMicro()))
	for _, s := range [...]string{e.Action, e.ActorType, e.ActorID, e.ActorEmail, e.ActorName,
		e.ResourceType, e.ResourceID, e.ResourceName, string(canonical), e.IPAddress, e.UserAgent, e.RequestID} {
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(s)))
		dst = append(dst, s...)
	}
	return dst, nil
}

// LeafHash returns the RFC 6962 leaf hash of e.
func LeafHash(e *Event) (tlog.Hash, error) {
	leaf, err := Leaf(e)
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.RecordHash(leaf), nil
}

// CanonicalIP returns the form of a stored address that the leaf holds:
// PostgreSQL's inet text ("192.0.2.1", "2001:db8::1", "10.0.0.0/8") read
// and written back by net/netip (RFC 5952 for IPv6), with "/bits" only when
// the stored network is wider than one host. "" stays "".
func CanonicalIP(inet string) (string, error) {
	if inet == "" {
		return "", nil
	}
	if p, err := netip.ParsePrefix(inet); err == nil {
		if p.Bits() == p.Addr().BitLen() {
			return p.Addr().String(), nil
		}
		return p.String(), nil
	}
	a, err := netip.ParseAddr(inet)
	if err != nil {
		return "", fmt.Errorf("ip address %q is not an address", inet)
	}
	return a.String(), nil
}
