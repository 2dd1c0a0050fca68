// Package auditlog makes every organization's audit log a transparency log
// (RFC 6962 / RFC 9162): its events are the leaves of an append-only Merkle
// tree, in a dense sequence 0, 1, 2, …, and the server signs checkpoints of
// the tree (C2SP tlog-checkpoint in a C2SP signed note, Ed25519) from which
// anyone holding the public key can check, offline, that events are in the
// log unchanged, that none was removed, and that the log only grew.
//
// The audit row is still written in the mutation's transaction
// (server/audit); this package adds nothing to that path but a column the
// database fills (audit_events.xid). A background integrator (Run) then
// sequences committed events, stores the tree as tlog tiles and signs a
// checkpoint. The tree code is golang.org/x/mod/sumdb/tlog's; the leaf,
// checkpoint and bundle formats are in package verify, shared with the
// verifier. The design and its reasons: docs/verifiable-log.md.
package auditlog

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/mod/sumdb/note"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/auditlog/verify"
	"github.com/orgtrail/orgtrail/server/database"
)

// Integration defaults.
const (
	// DefaultInterval is how often the integrator looks for new events. A
	// committed event is covered by a signed checkpoint within about one
	// interval plus the time its transaction's elders take to finish.
	DefaultInterval = 500 * time.Millisecond
	// DefaultBatchSize is how many events one transaction sequences.
	DefaultBatchSize = 10_000
	// entriesPerRow is how many event ids one audit_log_entries row holds.
	entriesPerRow = 256
)

// Log is the verifiable audit log of every organization.
type Log struct {
	db     *database.DB
	reader *audit.Reader
	signer note.Signer
	// publicKeys are the verifier keys to publish: the current one first,
	// then earlier ones still needed to check older checkpoints.
	publicKeys []string
	host       string
	log        *slog.Logger
	// Interval and BatchSize tune the integrator (defaults above).
	Interval  time.Duration
	BatchSize int
	// now is the clock of checkpoint times.
	now func() time.Time
	// fullTiles keeps full tiles read for proofs: a full tile never changes,
	// and the upper ones serve every proof of their log.
	fullTiles *lru.Cache[fullTileKey, []byte]
	// sequenceCache keeps events' sequence numbers, which never change once
	// given, so a field asking for an event's proof after its sequence
	// costs no second lookup.
	sequenceCache *lru.Cache[orgEvent, int64]
	// checkpoints keeps each log's latest checkpoint for proofs, a little
	// while: an older checkpoint proves as well as the newest.
	checkpoints sync.Map // uuid.UUID → cachedCheckpoint
}

type orgEvent struct{ org, id uuid.UUID }

type cachedCheckpoint struct {
	cp *Checkpoint
	at time.Time
}

// checkpointKept is how long a checkpoint serves proofs before the log's
// row is read again.
const checkpointKept = 250 * time.Millisecond

// fullTilesKept bounds the proof cache: 8 KB each, 32 MB in all.
const fullTilesKept = 4096

// cachedStore is a hash store for proofs, sharing the full-tile cache.
func (l *Log) cachedStore(db *gorm.DB, org uuid.UUID) *hashStore {
	s := newHashStore(db, org)
	s.full = l.fullTiles
	return s
}

// New returns the log, signing with signingKey (a signed-note private key,
// "PRIVATE+KEY+<name>+<hash>+<base64>", as GenerateKey makes). previous are
// the public keys of earlier signing keys, published so that checkpoints
// they signed stay verifiable. Checkpoint origins name publicURL's host.
func New(db *database.DB, signingKey string, previous []string, publicURL string, logger *slog.Logger) (*Log, error) {
	signer, err := note.NewSigner(signingKey)
	if err != nil {
		return nil, errors.New("auditlog: AUDIT_SIGNING_KEY is not a signed-note private key")
	}
	public, err := verify.PublicKeyOf(signingKey)
	if err != nil {
		return nil, errors.New("auditlog: AUDIT_SIGNING_KEY is " + err.Error())
	}
	host := "localhost"
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		host = u.Host
	}
	tiles, err := lru.New[fullTileKey, []byte](fullTilesKept)
	if err != nil {
		return nil, err
	}
	seqs, err := lru.New[orgEvent, int64](100_000)
	if err != nil {
		return nil, err
	}
	return &Log{db: db, reader: &audit.Reader{DB: db}, signer: signer, publicKeys: append([]string{public}, previous...),
		host: host, log: logger, Interval: DefaultInterval, BatchSize: DefaultBatchSize, now: time.Now, fullTiles: tiles,
		sequenceCache: seqs}, nil
}

// PublicKeys returns the verifier keys of the log, current first, as served
// at /.well-known/orgtrail-audit-log-key.
func (l *Log) PublicKeys() []string { return append([]string(nil), l.publicKeys...) }

// origin is the first line of org's checkpoints: it names the server and
// the organization, and is fixed when the log starts.
func (l *Log) origin(org uuid.UUID) string {
	return l.host + "/audit-log/" + org.String()
}

// GenerateKey returns a new Ed25519 signing key named name, in the form
// AUDIT_SIGNING_KEY takes, and its public (verifier) key.
func GenerateKey(name string) (signingKey, publicKey string, err error) {
	skey, vkey, err := note.GenerateKey(nil, name)
	if err != nil {
		return "", "", fmt.Errorf("auditlog: generate key %q: %w", name, err)
	}
	return skey, vkey, nil
}
