package displaytext

import (
	"strings"
	"testing"

	"github.com/orgtrail/orgtrail/server/apperr"
)

func TestNamesAreOneToSixtyFourPrintableCharacters(t *testing.T) {
	for _, tc := range []struct {
		in, want, problem string
	}{
		{"  Deploy bot ", "Deploy bot", ""},
		{strings.Repeat("é", 64), strings.Repeat("é", 64), ""},
		{"", "", "name is required"},
		{"   ", "", "name is required"},
		{strings.Repeat("a", 65), "", "name must be at most 64 characters"},
		{"two\nlines", "", "name must not contain control characters"},
		{"tab\there", "", "name must not contain control characters"},
	} {
		got, err := Name("name", tc.in)
		if tc.problem == "" {
			if err != nil || got != tc.want {
				t.Errorf("Name(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.BadUserInput || e.Field != "name" || e.Message != tc.problem {
			t.Errorf("Name(%q) error = %v; want BAD_USER_INPUT on name: %s", tc.in, err, tc.problem)
		}
	}
}

func TestDescriptionsMayBeEmptyAndAtMostFiveHundredCharacters(t *testing.T) {
	if got, err := Description("description", "  line one\nline two  "); err != nil || got != "line one\nline two" {
		t.Errorf("Description = %q, %v", got, err)
	}
	if got, err := Description("description", ""); err != nil || got != "" {
		t.Errorf("empty Description = %q, %v", got, err)
	}
	if _, err := Description("description", strings.Repeat("x", 501)); apperr.CodeOf(err) != apperr.BadUserInput {
		t.Errorf("501 characters: %v", err)
	}
}
