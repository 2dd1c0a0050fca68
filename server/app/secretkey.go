package app

import (
	"context"

	"github.com/orgtrail/orgtrail/server/connectors"
	"github.com/orgtrail/orgtrail/server/logstreams"
	"github.com/orgtrail/orgtrail/server/mail"
	"github.com/orgtrail/orgtrail/server/oidc"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// EncryptedColumns is every column holding values sealed with the keyring
// derived from SECRET_KEY; `orgtrail rotate-secret-key` re-encrypts them all.
// A new sealed column must be added here.
var EncryptedColumns = []secrets.EncryptedColumn{
	secrets.SecretValues,
	connectors.Credentials,
	oidc.ClientSecrets,
	mail.OutboxMessages,
	logstreams.Credentials,
}

// PendingSecretKeyRotation counts, per column, the values not yet sealed
// under the current SECRET_KEY.
func (a *App) PendingSecretKeyRotation(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	for _, col := range EncryptedColumns {
		n, err := secrets.Pending(ctx, a.DB, a.Keyring, col)
		if err != nil {
			return nil, err
		}
		out[col.Table] = n
	}
	return out, nil
}

// RotateSecretKey re-encrypts under the current SECRET_KEY every value sealed
// under a previous one (see secrets.Rotate), column by column. progress, when
// not nil, hears after each batch how many values of the column are done.
func (a *App) RotateSecretKey(ctx context.Context, batchSize int, progress func(table string, rotated int)) ([]secrets.RotationResult, error) {
	var out []secrets.RotationResult
	for _, col := range EncryptedColumns {
		var report func(int)
		if progress != nil {
			report = func(n int) { progress(col.Table, n) }
		}
		res, err := secrets.Rotate(ctx, a.DB, a.Keyring, col, batchSize, report)
		out = append(out, res)
		if err != nil {
			return out, err
		}
	}
	return out, nil
}
