package verify

import (
	"time"

	"github.com/google/uuid"
	"golang.org/x/mod/sumdb/tlog"
)

// Format names version 1 of the bundle format.
const Format = "orgtrail-audit-log-bundle/v1"

// A bundle is newline-delimited JSON, one Line per line, in this order: one
// header; the events, each with its sequence number; the tiles that prove
// them; the gaps (for a complete bundle); the consistency proof (when asked
// for); one end line, so a cut-off download is told from a whole one.
type Line struct {
	Header      *Header      `json:"header,omitempty"`
	Entry       *Entry       `json:"entry,omitempty"`
	Tile        *Tile        `json:"tile,omitempty"`
	Gap         *Gap         `json:"gap,omitempty"`
	Consistency *Consistency `json:"consistency,omitempty"`
	End         *End         `json:"end,omitempty"`
}

// Header opens a bundle.
type Header struct {
	Format         string    `json:"format"`
	OrganizationID uuid.UUID `json:"organizationId"`
	// Checkpoint is the signed checkpoint every entry is proven against.
	Checkpoint string `json:"checkpoint"`
	// Complete is set when the bundle accounts for every sequence number
	// between its lowest and highest entry: each is an entry or lies in a
	// gap. A bundle for a filter beyond a time range is not complete: the
	// events it leaves out could not be told apart from removed ones
	// without showing them.
	Complete bool `json:"complete"`
	// RetentionCutoff is the start of the organization's retention when the
	// bundle was made: only events older than it may be gone as "expired".
	RetentionCutoff *time.Time `json:"retentionCutoff,omitempty"`
	// Filter is the selection, as asked, for the reader's information.
	Filter    map[string]string `json:"filter,omitempty"`
	CreatedAt time.Time         `json:"createdAt"`
}

// Entry statuses.
const (
	// Sequenced entries have a sequence number below the checkpoint's size.
	Sequenced = ""
	// Pending entries were committed after the checkpoint's horizon: the
	// next checkpoint covers them. They are reported, not verified.
	Pending = "pending"
	// Unsequenced entries are older than the log's horizon yet not in it:
	// they were written around the log (a row inserted by hand).
	Unsequenced = "unsequenced"
)

// Entry is one event of the selection.
type Entry struct {
	Sequence *int64 `json:"sequence,omitempty"`
	Status   string `json:"status,omitempty"`
	Event    Event  `json:"event"`
}

// Tile is a tlog tile (golang.org/x/mod/sumdb/tlog) of height TileHeight:
// the hashes of up to 256 consecutive nodes of one level of the tree.
type Tile struct {
	Level  int    `json:"level"`
	N      int64  `json:"n"`
	Hashes []byte `json:"hashes"`
}

// Gap reasons.
const (
	// Outside: the event is stored but not selected (outside the time
	// range, or past the organization's retention and no longer listed).
	Outside = "outside"
	// Expired: retention dropped the event's partition; its id's time
	// (a UUIDv7, which the server derives from occurredAt) is before the
	// retention cutoff.
	Expired = "expired"
	// Missing: the event is gone although retention did not drop it: it
	// was removed from the database.
	Missing = "missing"
)

// Gap accounts for the sequence numbers [From, To) that are not entries.
type Gap struct {
	From   int64  `json:"from"`
	To     int64  `json:"to"`
	Reason string `json:"reason"`
	// EventIDs are the events of an expired or missing gap, in order.
	EventIDs []uuid.UUID `json:"eventIds,omitempty"`
}

// Consistency proves that the tree of size From (root FromRoot) is a prefix
// of the checkpoint's tree (RFC 6962 consistency proof, as tlog.ProveTree).
type Consistency struct {
	From     int64       `json:"from"`
	FromRoot tlog.Hash   `json:"fromRoot"`
	Hashes   []tlog.Hash `json:"hashes"`
	// Error is set instead when the server cannot prove it (the checkpoint
	// is smaller than From, or was rebuilt).
	Error string `json:"error,omitempty"`
}

// End closes a bundle with the number of lines of each kind before it.
type End struct {
	Entries int64 `json:"entries"`
	Tiles   int64 `json:"tiles"`
	Gaps    int64 `json:"gaps"`
}
