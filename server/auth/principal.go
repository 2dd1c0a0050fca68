// Package auth identifies who is calling (the Principal) and checks what they
// may do. Credentials are verified by the packages that own them through the
// Verifier interface.
package auth

import (
	"context"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
	"github.com/orgtrail/orgtrail/server/rbac"
)

// Principal is an authenticated caller acting in one organization.
type Principal struct {
	OrganizationID uuid.UUID
	// Actor is how the caller appears in the audit log.
	Actor       audit.Actor
	Permissions rbac.PermissionSet
	// UserID is set when the caller is a person.
	UserID uuid.UUID
	// Owner is the person or service account the caller's power comes from:
	// the user of a session, the account of a service account key, and the
	// owner of an access key (the root of the chain of keys that made it).
	// A key the caller makes belongs to Owner.
	Owner rbac.Holder
	// SessionID is set when the caller signed in with a browser session.
	SessionID uuid.UUID
	// AuditRetentionDays is the organization's audit log retention: older
	// events are no longer shown. 0 means no limit.
	AuditRetentionDays int
}

// ViaSession reports whether the caller authenticated with a session cookie,
// and so whether its requests need CSRF protection.
func (p Principal) ViaSession() bool { return p.SessionID != uuid.Nil }

type principalKey struct{}

// WithPrincipal returns ctx carrying p, and p's actor for the audit recorder.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	ctx = audit.WithActor(ctx, p.Actor)
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal carried by ctx.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// Require returns the caller when they hold perm: UNAUTHENTICATED when there
// is no caller, FORBIDDEN when they lack the permission.
func Require(ctx context.Context, perm rbac.Permission) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok {
		return Principal{}, apperr.ErrUnauthenticated
	}
	if !p.Permissions.Has(perm) {
		return Principal{}, apperr.Forbiddenf("this action needs the %s permission", perm)
	}
	return p, nil
}

type recheckKey struct{}

// WithRecheck returns ctx carrying how to authenticate its request's caller
// again: a request that lasts (a live tail) asks from time to time whether
// it would still be admitted, as each new request is.
func WithRecheck(ctx context.Context, again func(context.Context) (Principal, error)) context.Context {
	return context.WithValue(ctx, recheckKey{}, again)
}

// StillHolds authenticates the caller of ctx's request again and reports
// whether they would still be admitted as p with perm: UNAUTHENTICATED when
// the credential no longer holds, FORBIDDEN when they act elsewhere now or
// lost perm. Without a way to authenticate again (an in-process call), p
// stands.
func StillHolds(ctx context.Context, p Principal, perm rbac.Permission) error {
	again, ok := ctx.Value(recheckKey{}).(func(context.Context) (Principal, error))
	if !ok {
		return nil
	}
	now, err := again(ctx)
	if err != nil {
		return apperr.ErrUnauthenticated
	}
	if now.OrganizationID != p.OrganizationID || !now.Permissions.Has(perm) {
		return apperr.Forbiddenf("this subscription needs the %s permission in its organization", perm)
	}
	return nil
}
