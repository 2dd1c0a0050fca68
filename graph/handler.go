package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orgtrail/orgtrail/graph/generated"
	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/pgtext"
)

// NewHandler returns the GraphQL HTTP handler: JSON POST (and GET for
// queries only, so a link cannot mutate), with the error presenter below,
// the authorization directives (directives.go) and the cost bounds (cost.go).
func NewHandler(r *Resolver, log *slog.Logger) *handler.Server {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r, Directives: directives()}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	// Subscriptions (the audit log's live tail) over Server-Sent Events:
	// POST, so the session's CSRF rule applies as to any other request.
	srv.AddTransport(subscriptionStream{transport.SSE{KeepAlivePingInterval: 15 * time.Second}})
	srv.AddTransport(transport.POST{})
	srv.Use(extension.Introspection{})
	srv.Use(&costLimit{})
	srv.AroundOperations(withRootFieldSlots)
	srv.AroundRootFields(undeclaredFieldsRefused)
	srv.AroundRootFields(oneRootFieldAtATime)
	srv.Use(pgtext.GraphQL{})
	srv.SetErrorPresenter(presenter(log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql: panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return errors.New("internal error")
	})
	return srv
}

// presenter maps domain errors to extensions.code. Errors without a code are
// logged with their path and shown as "internal error".
func presenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if e, ok := apperr.As(err); ok && e.Code != apperr.Internal {
			gqlErr.Message = e.Message
			gqlErr.Extensions = map[string]any{}
			for k, v := range e.Extensions {
				gqlErr.Extensions[k] = v
			}
			gqlErr.Extensions["code"] = string(e.Code)
			if e.Field != "" {
				gqlErr.Extensions["field"] = e.Field
			}
			return gqlErr
		}
		// A field whose arguments did not convert (a malformed Time, a string
		// for a JSON object) fails before its resolver runs: bad input.
		if fc := graphql.GetFieldContext(ctx); fc != nil && fc.Field.Field != nil && fc.Args == nil && len(fc.Field.Arguments) > 0 {
			gqlErr.Extensions = map[string]any{"code": string(apperr.BadUserInput)}
			return gqlErr
		}
		if code, ok := gqlErr.Extensions["code"].(string); ok {
			switch code {
			case errcode.ValidationFailed, errcode.ParseFailed:
				gqlErr.Extensions["code"] = string(apperr.BadUserInput)
				gqlErr.Extensions["reason"] = code
				return gqlErr
			}
		}
		var plain *gqlerror.Error
		if errors.As(err, &plain) && plain.Err == nil && gqlErr.Path == nil {
			// gqlgen's own request errors (unknown enum in variables, bad JSON).
			gqlErr.Extensions = map[string]any{"code": string(apperr.BadUserInput)}
			return gqlErr
		}
		if errors.Is(err, context.DeadlineExceeded) {
			log.WarnContext(ctx, "graphql: deadline exceeded", "path", gqlErr.Path.String(), "error", err)
			return &gqlerror.Error{Message: "the request took too long", Path: gqlErr.Path,
				Extensions: map[string]any{"code": string(apperr.Internal)}}
		}
		log.ErrorContext(ctx, "graphql: internal error", "path", gqlErr.Path.String(), "error", err)
		return &gqlerror.Error{Message: "internal error", Path: gqlErr.Path,
			Extensions: map[string]any{"code": string(apperr.Internal)}}
	}
}

// subscriptionStream is gqlgen's SSE transport for the requests that ask
// for an event stream first, as a client sends a subscription (urql:
// "text/event-stream, multipart/mixed"); a query that merely also accepts
// one stays on the plain POST transport and gets one JSON answer.
type subscriptionStream struct{ transport.SSE }

// Supports reports whether r asks for an event stream first.
func (t subscriptionStream) Supports(r *http.Request) bool {
	return strings.HasPrefix(strings.TrimSpace(r.Header.Get("Accept")), "text/event-stream") && t.SSE.Supports(r)
}
