package audit

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestQueriesParseIntoClauses(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	type clause struct {
		key, value string
		negated    bool
	}
	for _, tc := range []struct {
		query string
		want  []clause
	}{
		{"", nil},
		{"   ", nil},
		{"deploy", []clause{{"", "deploy", false}}},
		{"  two   words ", []clause{{"", "two", false}, {"", "words", false}}},
		{`"created role"`, []clause{{"", "created role", false}}},
		{`-"created role" -bot`, []clause{{"", "created role", true}, {"", "bot", true}}},
		{`say "a \"quoted\" word"`, []clause{{"", "say", false}, {"", `a "quoted" word`, false}}},
		{"actor:alice@example.com", []clause{{KeyActor, "alice@example.com", false}}},
		{"ACTOR:alice@example.com", []clause{{KeyActor, "alice@example.com", false}}},
		{`-actor:"Build Bot"`, []clause{{KeyActor, "Build Bot", true}}},
		{"action:created_role category:rbac", []clause{{KeyAction, "created_role", false}, {KeyCategory, "rbac", false}}},
		{"resource:role/7f3a", []clause{{KeyResource, "role/7f3a", false}}},
		{"ip:10.0.0.0/8 request:req-12345678", []clause{{KeyIP, "10.0.0.0/8", false}, {KeyRequest, "req-12345678", false}}},
		{"after:2026-11-01 before:2026-11-03", []clause{{KeyAfter, "2026-11-01", false}, {KeyBefore, "2026-11-03", false}}},
		{"changed:permissions=secrets:write", []clause{{KeyChanged, "permissions=secrets:write", false}}},
		// Text before a colon that is not all letters is a word.
		{"fe80::1 2026:10:30", []clause{{"", "fe80::1", false}, {"", "2026:10:30", false}}},
		// A dash inside a word is part of it.
		{"abc-def", []clause{{"", "abc-def", false}}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			q, err := ParseQuery(tc.query, paris)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tc.query, err)
			}
			var got []clause
			for _, c := range q.Clauses {
				got = append(got, clause{c.Key, c.Value, c.Negated})
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("ParseQuery(%q) = %v, want %v", tc.query, got, tc.want)
			}
		})
	}
}

func TestQualifierValuesAreReadForWhatTheyMean(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	one := func(t *testing.T, query string) Clause {
		t.Helper()
		q, err := ParseQuery(query, paris)
		if err != nil || len(q.Clauses) != 1 {
			t.Fatalf("ParseQuery(%q) = %v, %v", query, q.Clauses, err)
		}
		return q.Clauses[0]
	}
	if c := one(t, "action:created_role"); !slices.Equal(c.Actions, []Action{CreatedRole}) {
		t.Errorf("action by name: %v", c.Actions)
	}
	if c := one(t, `action:"Created role"`); !slices.Equal(c.Actions, []Action{CreatedRole}) {
		t.Errorf("action by label: %v", c.Actions)
	}
	for _, v := range []string{"rbac", "RBAC", "roles_and_permissions", `"Roles & Permissions"`} {
		c := one(t, "category:"+v)
		info, _ := LookupCategory(RolesAndPermissions)
		if len(c.Actions) != len(info.Actions) || !slices.Contains(c.Actions, CreatedRole) {
			t.Errorf("category:%s = %v", v, c.Actions)
		}
	}
	if c := one(t, "resource:role"); c.ResourceType != "role" || c.ResourceID != "" {
		t.Errorf("resource type: %+v", c)
	}
	if c := one(t, "resource:connector/a/b"); c.ResourceType != "connector" || c.ResourceID != "a/b" {
		t.Errorf("resource type and id: %q %q", c.ResourceType, c.ResourceID)
	}
	if c := one(t, "ip:203.0.113.7"); c.Prefix != netip.MustParsePrefix("203.0.113.7/32") {
		t.Errorf("ip address: %v", c.Prefix)
	}
	if c := one(t, "ip:10.1.2.3/8"); c.Prefix != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("ip network is masked: %v", c.Prefix)
	}
	if c := one(t, "ip:::ffff:10.0.0.1"); c.Prefix != netip.MustParsePrefix("10.0.0.1/32") {
		t.Errorf("IPv4-mapped address is the IPv4 address: %v", c.Prefix)
	}
	if c := one(t, "after:2026-11-03"); !c.Time.Equal(time.Date(2026, 11, 2, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("a date is midnight in the time zone: %v", c.Time)
	}
	if c := one(t, "before:2026-07-01T09:30"); !c.Time.Equal(time.Date(2026, 7, 1, 7, 30, 0, 0, time.UTC)) {
		t.Errorf("a local time is read in the time zone (summer time): %v", c.Time)
	}
	if c := one(t, "before:2026-07-01T09:30:00Z"); !c.Time.Equal(time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("a time with an offset keeps it: %v", c.Time)
	}
	if c := one(t, "changed:signInMethods"); c.Field != "signInMethods" || c.HasFieldValue {
		t.Errorf("changed field: %+v", c)
	}
	if c := one(t, "changed:permissions=secrets:write"); c.Field != "permissions" || c.FieldValue != "secrets:write" || !c.HasFieldValue {
		t.Errorf("changed field and value: %+v", c)
	}
	if c := one(t, `changed:name="Globex Corp"`); c.FieldValue != "Globex Corp" {
		t.Errorf("quoted value: %+v", c)
	}
	if c := one(t, "-deploy"); !c.Negated || c.Start != 0 || c.End != 7 {
		t.Errorf("negated word position: %+v", c)
	}
}

// A refused query says what is wrong and points at the token at fault, in
// code points, so the search box can mark it.
func TestABadQueryPointsAtItsToken(t *testing.T) {
	for _, tc := range []struct {
		query, token, message string
	}{
		{"role acter:alice", "acter:alice", `"acter:" is not a qualifier`},
		{"secrets:write", "secrets:write", "put the term in quotes"},
		{"éclair acter:x", "acter:x", "not a qualifier"}, // positions count code points, not bytes
		{"action:made_coffee", "action:made_coffee", `"made_coffee" is not an action`},
		{"category:finance", "category:finance", "is not a category"},
		{"ip:10.0.0.300", "ip:10.0.0.300", "is not an IP address"},
		{"after:yesterday", "after:yesterday", "is not a date"},
		{"after:2026-11-01 after:2026-11-02", "after:2026-11-02", "given twice"},
		{"-before:2026-11-01", "-before:2026-11-01", "use after: instead"},
		{"actor: alice", "actor:", "actor: needs a value"},
		{"okay ro", "ro", "needs at least 3 letters or digits in a row"},
		{`"never closed`, `"never closed`, "never closed"},
		{`"a"b`, `"a"b`, "space after the closing quote"},
		{`ab"c`, `ab"c`, "a quote must start"},
		{`""`, `""`, "empty quotes"},
		{"changed:x", "changed:x", "changed: needs a field name"},
		{"changed:a%b", "changed:a%b", "changed: needs a field name"},
		{"resource:/id", "resource:/id", "resource: needs a type"},
		{strings.Repeat("word ", 21), "word", "at most 20 terms"},
		{"x" + strings.Repeat("y", 200), "x" + strings.Repeat("y", 200), "at most 200 characters"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			_, err := ParseQuery(tc.query, time.UTC)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) = %v, want a QueryError", tc.query, err)
			}
			if !strings.Contains(qe.Message, tc.message) {
				t.Errorf("message %q does not say %q", qe.Message, tc.message)
			}
			if qe.Token != tc.token {
				t.Errorf("token %q, want %q", qe.Token, tc.token)
			}
			if got := string([]rune(tc.query)[qe.Start:qe.End]); got != qe.Token {
				t.Errorf("position %d..%d holds %q, not the token %q", qe.Start, qe.End, got, qe.Token)
			}
		})
	}
}

func TestTheWholeQueryHasALengthLimit(t *testing.T) {
	_, err := ParseQuery(strings.Repeat("abc ", 251), time.UTC)
	var qe *QueryError
	if !errors.As(err, &qe) || !strings.Contains(qe.Message, "at most 1000 characters") || qe.Start != 1000 {
		t.Fatalf("a 1,004-character query: %v", err)
	}
}

// FuzzParseQuery: whatever the text, the parser answers clauses or an error
// whose position lies in the text and holds its token.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"actor:a@b.c -role", `"x y" changed:a=b`, "ip:::1 after:2026-01-01", `-"`, "a:", "- -"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s, time.UTC)
		var qe *QueryError
		if errors.As(err, &qe) {
			runes := []rune(s)
			if qe.Start < 0 || qe.End > len(runes) || qe.Start > qe.End {
				t.Fatalf("ParseQuery(%q): position %d..%d outside the text", s, qe.Start, qe.End)
			}
			if utf8Valid(s) && string(runes[qe.Start:qe.End]) != qe.Token {
				t.Fatalf("ParseQuery(%q): token %q is not at %d..%d", s, qe.Token, qe.Start, qe.End)
			}
			return
		}
		if err != nil {
			t.Fatalf("ParseQuery(%q): %v", s, err)
		}
		for _, c := range q.Clauses {
			if c.Start < 0 || c.End > len([]rune(s)) || c.Start >= c.End {
				t.Fatalf("ParseQuery(%q): clause %+v outside the text", s, c)
			}
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
