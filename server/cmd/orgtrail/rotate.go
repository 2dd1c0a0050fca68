package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/orgtrail/orgtrail/server/app"
	"github.com/orgtrail/orgtrail/server/logging"
	"github.com/orgtrail/orgtrail/server/secrets"
)

// rotateSecretKey re-encrypts every stored secret under the current
// SECRET_KEY. Values sealed under an older key are opened with the keys of
// SECRET_KEY_PREVIOUS. See docs/secret-key-rotation.md for the procedure.
func rotateSecretKey(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rotate-secret-key", flag.ExitOnError)
	batch := fs.Int("batch", secrets.DefaultBatchSize, "values re-encrypted per transaction")
	dryRun := fs.Bool("dry-run", false, "only count the values still sealed under an older key")
	_ = fs.Parse(args)
	if *batch < 1 {
		return fmt.Errorf("--batch must be positive")
	}
	log := logging.New(os.Stderr, slog.LevelWarn)
	cfg, release, err := environment(ctx, log)
	if err != nil {
		return err
	}
	defer release()
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	return runRotation(ctx, a, *batch, *dryRun, os.Stdout)
}

func runRotation(ctx context.Context, a *app.App, batch int, dryRun bool, out io.Writer) error {
	fmt.Fprintf(out, "current key version %s\n", a.Keyring.Version())
	if dryRun {
		pending, err := a.PendingSecretKeyRotation(ctx)
		if err != nil {
			return err
		}
		for _, col := range app.EncryptedColumns {
			fmt.Fprintf(out, "%s: %d values to re-encrypt\n", col.Table, pending[col.Table])
		}
		return nil
	}
	results, err := a.RotateSecretKey(ctx, batch, func(table string, n int) {
		fmt.Fprintf(out, "%s: %d re-encrypted\n", table, n)
	})
	failed := 0
	for _, res := range results {
		fmt.Fprintf(out, "%s: done, %d re-encrypted, %d failed\n", res.Column.Table, res.Rotated, len(res.Failed))
		for _, f := range res.Failed {
			fmt.Fprintf(out, "  %s %s (owner %s): %v\n", res.Column.Table, f.ID, f.OrganizationID, f.Err)
		}
		failed += len(res.Failed)
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d values could not be decrypted and were left as they are; "+
			"re-enter them, then run rotate-secret-key again", secrets.ErrRotationIncomplete, failed)
	}
	fmt.Fprintln(out, "every value is sealed under the current key; SECRET_KEY_PREVIOUS can be removed")
	return nil
}
