package audit

import (
	"context"

	"github.com/google/uuid"
)

// ActorType is the kind of principal that performed an action.
type ActorType string

// The actor kinds the Audit Log tab distinguishes.
const (
	ActorUser           ActorType = "USER"
	ActorServiceAccount ActorType = "SERVICE_ACCOUNT"
	ActorAPIKey         ActorType = "API_KEY"
	ActorSCIM           ActorType = "SCIM"
	ActorSystem         ActorType = "SYSTEM"
)

// Actor is who performed an action, as they were at the time. OrganizationID
// is the organization the actor acts in; it is where events land unless a
// change names another.
type Actor struct {
	Type           ActorType
	ID             string
	Email          string
	Name           string
	OrganizationID uuid.UUID
}

// System is the actor of changes made by the server itself (bootstrap, seed).
func System(org uuid.UUID) Actor {
	return Actor{Type: ActorSystem, ID: "system", Name: "Orgtrail", OrganizationID: org}
}

// Request is the request metadata stored with every event.
type Request struct {
	IPAddress string
	UserAgent string
	RequestID string
}

type actorKey struct{}
type requestKey struct{}

// WithActor returns ctx carrying the actor that changes made under it are attributed to.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// WithRequest returns ctx carrying the request metadata.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

// RequestFrom returns the request metadata carried by ctx (zero when none).
func RequestFrom(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}
