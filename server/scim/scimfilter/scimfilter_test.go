package scimfilter

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseFormatsCanonically(t *testing.T) {
	tests := []struct{ in, want string }{
		{`userName eq "bjensen"`, `userName eq "bjensen"`},
		{`UserName EQ "bjensen"`, `UserName eq "bjensen"`},
		{`name.familyName co "O'Malley"`, `name.familyName co "O'Malley"`},
		{`userName sw "J"`, `userName sw "J"`},
		{`title pr`, `title pr`},
		{`title PR and userType eq "Employee"`, `(title pr and userType eq "Employee")`},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, `meta.lastModified gt "2011-05-13T04:42:34Z"`},
		{`title pr or userType eq "Intern"`, `(title pr or userType eq "Intern")`},
		{`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
			`(userType eq "Employee" and (emails co "example.com" or emails.value co "example.org"))`},
		{`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
			`(userType ne "Employee" and not ((emails co "example.com" or emails.value co "example.org")))`},
		{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
			`(emails[(type eq "work" and value co "@example.com")] or ims[(type eq "xmpp" and value co "@foo.com")])`},
		// Value filters may hold any filter, not only one or two comparisons.
		{`emails[(type eq "work" or type eq "home") and primary eq true]`,
			`emails[((type eq "work" or type eq "home") and primary eq true)]`},
		// Entra's form: a sub-attribute and a comparison after the value path.
		{`emails[type eq "work"].value eq "a@b.c"`, `emails[(type eq "work" and value eq "a@b.c")]`},
		{`emails[type eq "work"].value eq "a@b.c" and active eq true`, `(emails[(type eq "work" and value eq "a@b.c")] and active eq true)`},
		{`(emails[type eq "work"].value pr)`, `emails[(type eq "work" and value pr)]`},
		{`members [value eq "x"]`, `members[value eq "x"]`},
		// String values are unescaped, whatever the case of \u hex digits.
		{`userName eq "a\"b\\c\u00e9\u00C9\/"`, `userName eq "a\"b\\céÉ/"`},
		{`userName eq "[not] a path"`, `userName eq "[not] a path"`},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"`,
			`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984"`},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`,
			`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`},
		{`active eq false`, `active eq false`},
		{`x eq null`, `x eq null`},
		{`x gt 10`, `x gt 10`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%s): %v", tt.in, err)
			continue
		}
		if got := Format(e); got != tt.want {
			t.Errorf("Parse(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseRefusesMalformedFilters(t *testing.T) {
	for _, in := range []string{
		``, `   `, `userName`, `userName eq`, `userName eq "unterminated`, `userName eq "bad \x escape"`,
		`userName eq 'single'`, `userName zz "x"`, `emails[type eq "work"`, `emails type eq "work"]`,
		`emails[type eq "work"].value`, `emails[type eq "work"].`, `emails[a eq "1"[b eq "2"]]`,
		`[type eq "work"]`, `name.givenName[x eq "1"]`, `$vp0 pr`, `$ref eq "x" and $x pr`,
		`userName eq "x" and`, `(userName eq "x"`, `userName eq "x")`, "userName eq \"\xff\"",
		strings.Repeat("a", MaxLength+1), strings.Repeat("(", MaxDepth+1) + "a pr" + strings.Repeat(")", MaxDepth+1),
		strings.TrimSuffix(strings.Repeat(`a eq "1" or `, MaxTerms+1), " or "),
	} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", in)
		} else if _, ok := err.(*Error); !ok {
			t.Errorf("Parse(%q) = %T, want *Error", in, err)
		}
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{`userName`, `userName`},
		{`name.familyName`, `name.familyName`},
		{`emails[type eq "work"].value`, `emails[type eq "work"].value`},
		{`members[value eq "2819c223-7f76-453a-919d-413861904646"]`, `members[value eq "2819c223-7f76-453a-919d-413861904646"]`},
		{`members[value eq "a" or value eq "b"]`, `members[(value eq "a" or value eq "b")]`},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`},
		{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`, `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`},
		{`addresses[type eq "work"].streetAddress`, `addresses[type eq "work"].streetAddress`},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err != nil {
			t.Errorf("ParsePath(%s): %v", tt.in, err)
			continue
		}
		if got := p.String(); got != tt.want {
			t.Errorf("ParsePath(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for _, in := range []string{``, `emails[`, `emails]`, `emails[type eq "work"]value`, `emails[type eq "work"].va lue`,
		`emails[type eq "work"][x eq "y"]`, `user name`, `"userName"`, `emails[type eq "work"].value eq "x"`} {
		if _, err := ParsePath(in); err == nil {
			t.Errorf("ParsePath(%q) succeeded, want an error", in)
		}
	}
}

// checkBounded fails when parsing in took too long or failed with anything
// but *Error; it is shared by the fuzz targets.
func checkBounded(t *testing.T, in string, parse func(string) error) {
	start := time.Now()
	err := parse(in)
	if d := time.Since(start); d > time.Second {
		t.Fatalf("parsing %q took %s", in, d)
	}
	var perr *Error
	if err != nil && !errors.As(err, &perr) {
		t.Fatalf("parsing %q failed with %T %v, want *Error", in, err, err)
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`userName eq "bjensen"`, `emails[type eq "work"].value eq "a@b.c"`, `not (a pr) or (b eq 1 and c eq true)`,
		`emails[(type eq "work" or type eq "home") and primary eq true]`, `userName eq "\u00e9\"\\"`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "x"`, `((((a pr))))`,
		`members[value eq "1"] and members[value eq "2"]`, `a[b pr].c pr`, `meta.created ge "2020-01-01T00:00:00Z"`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkBounded(t, in, func(s string) error {
			e, err := Parse(s)
			if err == nil {
				// What parses formats to something that parses again.
				if _, err := Parse(Format(e)); err != nil && len(Format(e)) <= MaxLength {
					t.Fatalf("Format(Parse(%q)) = %q does not parse: %v", s, Format(e), err)
				}
			}
			return err
		})
	})
}

func FuzzParsePath(f *testing.F) {
	for _, seed := range []string{
		`userName`, `name.familyName`, `emails[type eq "work"].value`, `members[value eq "id"]`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager`, `addresses[type eq "work"].postalCode`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		checkBounded(t, in, func(s string) error { _, err := ParsePath(s); return err })
	})
}
