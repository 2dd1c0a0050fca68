// Package apperr is the error vocabulary shared by domain services and the
// API layers. An Error keeps apart the code a client acts on, the message it
// may show, and the internal cause that only the server log sees.
package apperr

import (
	"errors"
	"fmt"
)

// Code is the stable kind of an error, served as GraphQL extensions.code.
type Code string

// The codes of the GraphQL contract.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	NotFound        Code = "NOT_FOUND"
	BadUserInput    Code = "BAD_USER_INPUT"
	Conflict        Code = "CONFLICT"
	Internal        Code = "INTERNAL"
)

// Error is a failure a client may see. Message is safe to show; Field names
// the input field at fault, when there is one; Extensions are more facts a
// client acts on (for instance where to sign in), served beside the code in
// GraphQL extensions; Cause is never shown.
type Error struct {
	Code       Code
	Message    string
	Field      string
	Extensions map[string]any
	Cause      error
}

func (e *Error) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Cause }

// CodeOf returns the code of err, or Internal when err carries none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// NotFoundf reports that the named thing does not exist in the caller's organization.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Code: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input on field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: BadUserInput, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports that the change clashes with existing state.
func Conflictf(format string, args ...any) *Error {
	return &Error{Code: Conflict, Message: fmt.Sprintf(format, args...)}
}

// ConflictOn reports that the value of one input field clashes with existing
// state, such as a name already taken: a form shows the message at that field,
// where the person can change it, rather than as an error of the whole form.
func ConflictOn(field, format string, args ...any) *Error {
	return &Error{Code: Conflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf reports that the caller lacks a permission.
func Forbiddenf(format string, args ...any) *Error {
	return &Error{Code: Forbidden, Message: fmt.Sprintf(format, args...)}
}

// ErrUnauthenticated is returned when a request carries no valid credential.
var ErrUnauthenticated = &Error{Code: Unauthenticated, Message: "authentication required"}
