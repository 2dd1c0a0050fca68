package scim

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/database"
)

// The scimType values of RFC 7644 §3.12 this server answers with.
const (
	typeInvalidFilter = "invalidFilter"
	typeTooMany       = "tooMany"
	typeUniqueness    = "uniqueness"
	typeMutability    = "mutability"
	typeInvalidSyntax = "invalidSyntax"
	typeInvalidPath   = "invalidPath"
	typeNoTarget      = "noTarget"
	typeInvalidValue  = "invalidValue"
)

// Error is a SCIM protocol error: an HTTP status, the scimType a client acts
// on (may be empty) and a detail safe to show.
type Error struct {
	Status   int
	ScimType string
	Detail   string
}

func (e *Error) Error() string {
	if e.ScimType != "" {
		return fmt.Sprintf("scim %d %s: %s", e.Status, e.ScimType, e.Detail)
	}
	return fmt.Sprintf("scim %d: %s", e.Status, e.Detail)
}

// body is the error in the SCIM Error schema; status is a string there.
func (e *Error) body() map[string]any {
	b := map[string]any{"schemas": []string{errorSchema}, "status": strconv.Itoa(e.Status), "detail": e.Detail}
	if e.ScimType != "" {
		b["scimType"] = e.ScimType
	}
	return b
}

func badRequest(scimType, format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, ScimType: scimType, Detail: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *Error {
	return &Error{Status: http.StatusNotFound, Detail: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *Error {
	return &Error{Status: http.StatusConflict, ScimType: typeUniqueness, Detail: fmt.Sprintf(format, args...)}
}

// asError maps any error a SCIM operation returns to a SCIM error. ok is
// false for internal errors, which the caller logs and hides.
func asError(err error) (e *Error, ok bool) {
	if errors.As(err, &e) {
		return e, true
	}
	if database.IsUniqueViolation(err) {
		return conflict("the resource conflicts with an existing one"), true
	}
	if ae, isApp := apperr.As(err); isApp {
		switch ae.Code {
		case apperr.NotFound:
			return &Error{Status: http.StatusNotFound, Detail: ae.Message}, true
		case apperr.BadUserInput:
			return badRequest(typeInvalidValue, "%s", ae.Message), true
		case apperr.Conflict:
			return &Error{Status: http.StatusConflict, Detail: ae.Message}, true
		case apperr.Forbidden:
			return &Error{Status: http.StatusForbidden, Detail: ae.Message}, true
		case apperr.Unauthenticated:
			return &Error{Status: http.StatusUnauthorized, Detail: ae.Message}, true
		}
	}
	return &Error{Status: http.StatusInternalServerError, Detail: "internal error"}, false
}
