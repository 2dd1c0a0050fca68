// Package displaytext holds the rules for the text people give the things
// they administer — a role's, a key's or a connector's name, a description —
// so every form and every API caller gets the same limits and the same
// messages, whatever the thing.
package displaytext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// Limits of display text, in characters.
const (
	MaxName        = 64
	MaxDescription = 500
)

// Name trims s and checks it is a name: 1 to MaxName characters, none of
// them a control character (a line break in a name breaks every list and
// log line it appears in). Errors are BAD_USER_INPUT on field.
func Name(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", apperr.Invalid(field, "%s is required", field)
	case n > MaxName:
		return "", apperr.Invalid(field, "%s must be at most %d characters", field, MaxName)
	case strings.ContainsFunc(s, unicode.IsControl):
		return "", apperr.Invalid(field, "%s must not contain control characters", field)
	}
	return s, nil
}

// Description trims s and checks it is at most MaxDescription characters;
// it may be empty, and may hold line breaks.
func Description(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxDescription {
		return "", apperr.Invalid(field, "%s must be at most %d characters", field, MaxDescription)
	}
	return s, nil
}
