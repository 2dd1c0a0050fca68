// Package database opens the GORM connection and runs units of work in one
// transaction carried by the context, so that every store called inside a
// unit of work, and the audit recorder, write in the same transaction.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DB is the application's database handle.
type DB struct {
	gorm *gorm.DB
}

// Options tune Open.
type Options struct {
	// StatementTimeout bounds every statement of every connection.
	StatementTimeout time.Duration
	// MaxOpenConns caps the pool (0: 20).
	MaxOpenConns int
	// Plugins are registered on the GORM handle, e.g. the audit recorder.
	Plugins []gorm.Plugin
}

// Open connects to dsn and verifies the connection.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.StatementTimeout == 0 {
		opts.StatementTimeout = 5 * time.Second
	}
	if opts.MaxOpenConns == 0 {
		opts.MaxOpenConns = 20
	}
	cfg, err := pgxConfig(dsn, opts.StatementTimeout)
	if err != nil {
		return nil, err
	}
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: cfg}), &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // every write already runs in InTx
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("database: open: %w", err)
	}
	for _, p := range opts.Plugins {
		if err := g.Use(p); err != nil {
			return nil, fmt.Errorf("database: plugin %s: %w", p.Name(), err)
		}
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(opts.MaxOpenConns)
	sqlDB.SetMaxIdleConns(opts.MaxOpenConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		return nil, fmt.Errorf("database: cannot reach PostgreSQL: %w", err)
	}
	return &DB{gorm: g}, nil
}

// SQL returns the underlying connection pool.
func (d *DB) SQL() *sql.DB {
	s, _ := d.gorm.DB()
	return s
}

// Close closes the pool.
func (d *DB) Close() error { return d.SQL().Close() }

// Ping reports whether the database answers, for readiness checks.
func (d *DB) Ping(ctx context.Context) error { return d.SQL().PingContext(ctx) }

type txKey struct{}

// InTx runs fn in one transaction. Stores called with the context fn receives
// use that transaction (see Conn). A nested InTx joins the outer transaction.
// The transaction commits when fn returns nil and rolls back otherwise.
func (d *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return fn(ctx)
	}
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(context.WithValue(ctx, txKey{}, tx))
	})
	if hook, ok := ctx.Value(afterCommitKey{}).(func(context.Context, *DB)); ok && err == nil {
		hook(ctx, d)
	}
	return err
}

type afterCommitKey struct{}

// WithAfterCommit returns ctx carrying hook, which InTx calls after each
// outermost transaction it commits under ctx, with the database it committed
// to. The read replica uses it to learn the position of a person's last
// write (package replica).
func WithAfterCommit(ctx context.Context, hook func(ctx context.Context, db *DB)) context.Context {
	return context.WithValue(ctx, afterCommitKey{}, hook)
}

// Conn returns the transaction carried by ctx, or the pool when there is
// none, bound to ctx.
func (d *DB) Conn(ctx context.Context) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx.WithContext(ctx)
	}
	return d.gorm.WithContext(ctx)
}

// InTransaction reports whether ctx carries a transaction.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*gorm.DB)
	return ok
}

// IsNotFound reports whether err is GORM's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

// IsUniqueViolation reports whether err is a unique-constraint violation.
func IsUniqueViolation(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool { return errors.Is(err, gorm.ErrForeignKeyViolated) }

// Logger returns an slog-backed GORM logger for debugging slow statements.
func Logger(l *slog.Logger) logger.Interface {
	return logger.NewSlogLogger(l, logger.Config{SlowThreshold: 200 * time.Millisecond, IgnoreRecordNotFoundError: true})
}
