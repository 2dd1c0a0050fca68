package auditlog

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"github.com/orgtrail/orgtrail/server/auditlog/verify"
)

// tileKey names a stored tile: its level and number within the level.
type tileKey struct {
	level int
	n     int64
}

// hashStore is one organization's stored hashes as tlog reads them
// (tlog.HashReader): tiles of audit_log_tiles, loaded on first use, and the
// hashes a batch appends (fresh) before its tiles are written.
type hashStore struct {
	db    *gorm.DB
	org   uuid.UUID
	tiles map[tileKey][]byte
	fresh map[int64]tlog.Hash
	// full, when set, keeps full tiles across stores (see Log.cachedStore).
	full *lru.Cache[fullTileKey, []byte]
}

// fullTileKey names a full tile of one organization's tree.
type fullTileKey struct {
	org uuid.UUID
	tileKey
}

func newHashStore(db *gorm.DB, org uuid.UUID) *hashStore {
	return &hashStore{db: db, org: org, tiles: map[tileKey][]byte{}, fresh: map[int64]tlog.Hash{}}
}

// ReadHashes implements tlog.HashReader.
func (s *hashStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var missing []tileKey
	seen := map[tileKey]bool{}
	for _, x := range indexes {
		if _, ok := s.fresh[x]; ok {
			continue
		}
		t := tlog.TileForIndex(verify.TileHeight, x)
		k := tileKey{t.L, t.N}
		if _, ok := s.tiles[k]; !ok && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	if s.full != nil {
		kept := missing[:0]
		for _, k := range missing {
			if data, ok := s.full.Get(fullTileKey{s.org, k}); ok {
				s.tiles[k] = data
			} else {
				kept = append(kept, k)
			}
		}
		missing = kept
	}
	if err := s.load(missing); err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if h, ok := s.fresh[x]; ok {
			out[i] = h
			continue
		}
		t := tlog.TileForIndex(verify.TileHeight, x)
		data := s.tiles[tileKey{t.L, t.N}]
		if len(data) < t.W*tlog.HashSize {
			return nil, fmt.Errorf("auditlog: hash %d of organization %s is not stored (tile %s has %d hashes)",
				x, s.org, t.Path(), len(data)/tlog.HashSize)
		}
		t.W = len(data) / tlog.HashSize
		h, err := tlog.HashFromTile(t, data, x)
		if err != nil {
			return nil, fmt.Errorf("auditlog: %w", err)
		}
		out[i] = h
	}
	return out, nil
}

// load reads the given tiles in one statement. A tile that is not stored
// stays absent (ReadHashes then reports the hash as not stored).
func (s *hashStore) load(keys []tileKey) error {
	if len(keys) == 0 {
		return nil
	}
	var sb strings.Builder
	args := []any{s.org}
	for i, k := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?::smallint, ?::bigint)")
		args = append(args, k.level, k.n)
	}
	rows, err := s.db.Raw(`SELECT level, n, hashes FROM audit_log_tiles WHERE organization_id = ? AND (level, n) IN (`+
		sb.String()+`)`, args...).Rows()
	if err != nil {
		return fmt.Errorf("auditlog: read tiles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k tileKey
		var data []byte
		if err := rows.Scan(&k.level, &k.n, &data); err != nil {
			return fmt.Errorf("auditlog: read tiles: %w", err)
		}
		s.tiles[k] = data
		if s.full != nil && len(data) == tlog.HashSize<<verify.TileHeight {
			s.full.Add(fullTileKey{s.org, k}, data)
		}
	}
	return rows.Err()
}

// tileData returns the stored data of tile t cut to its width, reading it
// when needed: what a bundle carries for tlog.TileHashReader.
func (s *hashStore) tileData(t tlog.Tile) ([]byte, error) {
	k := tileKey{t.L, t.N}
	if _, ok := s.tiles[k]; !ok {
		if err := s.load([]tileKey{k}); err != nil {
			return nil, err
		}
	}
	data := s.tiles[k]
	if len(data) < t.W*tlog.HashSize {
		return nil, fmt.Errorf("auditlog: tile %s of organization %s is not stored", t.Path(), s.org)
	}
	return data[:t.W*tlog.HashSize], nil
}
