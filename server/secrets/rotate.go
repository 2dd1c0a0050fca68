package secrets

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/database"
)

// EncryptedColumn names where a table keeps values sealed by a Keyring, so
// Rotate can re-encrypt them. The table's id column, its Owner column and
// Purpose make each value's Binding. Rows whose KeyVersion is NULL hold no
// value and are skipped.
type EncryptedColumn struct {
	Table      string
	Ciphertext string
	KeyVersion string
	Purpose    string
	// Owner is the column bound as the Binding's OrganizationID
	// ("organization_id" when empty).
	Owner string
}

func (c EncryptedColumn) owner() string {
	if c.Owner == "" {
		return "organization_id"
	}
	return c.Owner
}

// SecretValues is where secret values are sealed.
var SecretValues = EncryptedColumn{Table: "secrets", Ciphertext: "ciphertext", KeyVersion: "key_version", Purpose: PurposeSecret}

// RotationFailure is a row Rotate could not re-encrypt because its value did
// not decrypt. It is left as it is.
type RotationFailure struct {
	OrganizationID uuid.UUID
	ID             uuid.UUID
	Err            error
}

// RotationResult is what Rotate did to one column.
type RotationResult struct {
	Column  EncryptedColumn
	Rotated int
	Failed  []RotationFailure
}

// DefaultBatchSize is how many rows Rotate re-encrypts per transaction.
const DefaultBatchSize = 500

// Pending counts the rows of col not sealed under the keyring's current key.
func Pending(ctx context.Context, db *database.DB, keys *Keyring, col EncryptedColumn) (int64, error) {
	var n int64
	err := db.Conn(ctx).Raw(fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s <> ?`, col.Table, col.KeyVersion),
		keys.Version()).Scan(&n).Error
	return n, err
}

// Rotate re-encrypts under the current key every value of col sealed under
// another key, batchSize rows per transaction, in id order. Each batch locks
// only its own rows for the moment it takes, so the server keeps serving
// while it runs; a row changed meanwhile is sealed under the current key
// already and is skipped. A value that does not decrypt is reported in
// Failed and left untouched: rotation never writes what it could not read.
// progress, when not nil, is called after each batch with the rows rotated
// so far.
func Rotate(ctx context.Context, db *database.DB, keys *Keyring, col EncryptedColumn, batchSize int, progress func(rotated int)) (RotationResult, error) {
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	res := RotationResult{Column: col}
	selectBatch := fmt.Sprintf(`SELECT id, %s AS organization_id, %s AS ciphertext, %s AS key_version FROM %s
		WHERE %s <> ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE`, col.owner(), col.Ciphertext, col.KeyVersion, col.Table, col.KeyVersion)
	update := fmt.Sprintf(`UPDATE %s SET %s = ?, %s = ? WHERE id = ? AND %s = ?`,
		col.Table, col.Ciphertext, col.KeyVersion, col.KeyVersion)
	after := uuid.Nil
	for {
		var rows []struct {
			ID             uuid.UUID
			OrganizationID uuid.UUID
			Ciphertext     []byte
			KeyVersion     string
		}
		var rotated int
		var failed []RotationFailure
		err := db.InTx(ctx, func(ctx context.Context) error {
			rotated, failed = 0, nil
			tx := db.Conn(ctx)
			if err := tx.Raw(selectBatch, keys.Version(), after, batchSize).Scan(&rows).Error; err != nil {
				return err
			}
			for _, row := range rows {
				b := Binding{Purpose: col.Purpose, OrganizationID: row.OrganizationID, ID: row.ID}
				plain, err := keys.Open(Sealed{Ciphertext: row.Ciphertext, KeyVersion: row.KeyVersion}, b)
				if err != nil {
					failed = append(failed, RotationFailure{OrganizationID: row.OrganizationID, ID: row.ID, Err: err})
					continue
				}
				sealed, err := keys.Seal(plain, b)
				clear(plain)
				if err != nil {
					return err
				}
				if err := tx.Exec(update, sealed.Ciphertext, sealed.KeyVersion, row.ID, row.KeyVersion).Error; err != nil {
					return err
				}
				rotated++
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("rotate %s: %w", col.Table, err)
		}
		res.Rotated += rotated
		res.Failed = append(res.Failed, failed...)
		if progress != nil && len(rows) > 0 {
			progress(res.Rotated)
		}
		if len(rows) < batchSize {
			return res, nil
		}
		after = rows[len(rows)-1].ID
		if err := ctx.Err(); err != nil {
			return res, err
		}
	}
}

// ErrRotationIncomplete is returned by callers that treat failed rows as an
// error; the failures name the rows.
var ErrRotationIncomplete = errors.New("secrets: some values could not be re-encrypted")
