package audit

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// TestQueryQualifiersNarrowTheLog runs each qualifier of the search query
// language (issue 13) against a small log, alone, negated and combined, and
// with the filter fields the API gained with it (requestId, ipAddress).
func TestQueryQualifiersNarrowTheLog(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	at := func(d time.Duration) time.Time { return testNow.Add(-d) }
	ip := func(s string) func(*Event) { return func(e *Event) { e.IPAddress = &s } }
	req := func(s string) func(*Event) { return func(e *Event) { e.RequestID = s } }
	bob := func(e *Event) { e.ActorID, e.ActorEmail, e.ActorName = "user-2", "Bob@Example.com", "Bob" }
	roleID := uuid.NewString()
	deployers := func(e *Event) { e.ResourceType, e.ResourceID, e.ResourceName = "role", roleID, "Deployers" }
	events := map[string]Event{
		"alice creates deployers": event(org, at(40*24*time.Hour), CreatedRole, deployers, ip("203.0.113.7"), req("req-aaaaaaaa")),
		"bob grants secrets:write": event(org, at(30*24*time.Hour), UpdatedRole, bob, deployers, ip("10.1.2.3"), req("req-bbbbbbbb"),
			func(e *Event) {
				e.Details = Details{"changes": Changes{"permissions": {From: []string{"roles:read"}, To: []string{"roles:read", "secrets:write"}}}}
			}),
		"bob renames deployers": event(org, at(20*24*time.Hour), UpdatedRole, bob, deployers, ip("10.9.9.9"), req("req-bbbbbbbb"),
			func(e *Event) { e.Details = Details{"changes": Changes{"name": {From: "Deploy", To: "Deployers"}}} }),
		"alice changes sign-in": event(org, at(10*24*time.Hour), UpdatedOrgSettings, ip("203.0.113.7"), req("req-cccccccc"),
			func(e *Event) {
				e.ResourceType, e.ResourceID, e.ResourceName = "organization", org.String(), "Acme"
				e.Details = Details{"changes": Changes{"signInMethods": {From: []string{"MAGIC_LINK"}, To: []string{"OIDC"}}}}
			}),
		"bob logs in": event(org, at(2*time.Hour), LoggedIn, bob, ip("2001:db8::1"), req("req-dddddddd"),
			func(e *Event) { e.ResourceType, e.ResourceID, e.ResourceName = "session", "s-1", "" }),
		"system drops": event(org, at(time.Hour), DeletedSecret, req(""), func(e *Event) {
			e.ActorType, e.ActorID, e.ActorEmail, e.ActorName = ActorSystem, "", "", ""
			e.ResourceType, e.ResourceID, e.ResourceName = "secret", "sec-1", "Stripe key"
			e.Details = Details{"note": "grants nothing; mentions permissions"}
		}),
	}
	var all []Event
	for _, e := range events {
		all = append(all, e)
	}
	f.insert(t, all...)
	other := uuid.New() // the same request id and address in another organization
	f.insert(t, event(other, at(time.Hour), CreatedRole, ip("203.0.113.7"), req("req-aaaaaaaa")))

	for _, tc := range []struct {
		name   string
		filter Filter
		want   []string
	}{
		{"actor by email, any case", Filter{Query: "actor:bob@example.com"}, []string{"bob logs in", "bob renames deployers", "bob grants secrets:write"}},
		{"actor by id", Filter{Query: "actor:user-2 action:logged_in"}, []string{"bob logs in"}},
		{"actors are alternatives", Filter{Query: "actor:user-1 actor:bob@example.com category:auth"}, []string{"bob logs in"}},
		{"not an actor", Filter{Query: "-actor:bob@example.com"}, []string{"system drops", "alice changes sign-in", "alice creates deployers"}},
		{"action", Filter{Query: "action:updated_role"}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"action by label", Filter{Query: `action:"Created role"`}, []string{"alice creates deployers"}},
		{"actions are alternatives", Filter{Query: "action:created_role action:logged_in"}, []string{"bob logs in", "alice creates deployers"}},
		{"category", Filter{Query: "category:rbac"}, []string{"bob renames deployers", "bob grants secrets:write", "alice creates deployers"}},
		{"category without an action", Filter{Query: "category:rbac -action:updated_role"}, []string{"alice creates deployers"}},
		{"category and the filter's action", Filter{Query: "category:rbac", Action: LoggedIn}, nil},
		{"resource type", Filter{Query: "resource:role"}, []string{"bob renames deployers", "bob grants secrets:write", "alice creates deployers"}},
		{"resource type and id", Filter{Query: "resource:role/" + roleID + " -action:created_role"}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"ip address", Filter{Query: "ip:203.0.113.7"}, []string{"alice changes sign-in", "alice creates deployers"}},
		{"ip network", Filter{Query: "ip:10.0.0.0/8"}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"ipv6", Filter{Query: "ip:2001:db8::/32"}, []string{"bob logs in"}},
		{"not in a network keeps events without an address", Filter{Query: "-ip:10.0.0.0/8 -ip:203.0.113.0/24"}, []string{"system drops", "bob logs in"}},
		{"request", Filter{Query: "request:req-bbbbbbbb"}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"requests are alternatives", Filter{Query: "request:req-aaaaaaaa request:req-dddddddd"}, []string{"bob logs in", "alice creates deployers"}},
		{"after, inclusive", Filter{Query: "after:" + at(10*24*time.Hour).Format("2006-01-02T15:04:05")}, []string{"system drops", "bob logs in", "alice changes sign-in"}},
		{"before, exclusive", Filter{Query: "before:" + at(30*24*time.Hour).Format(time.RFC3339Nano)}, []string{"alice creates deployers"}},
		{"changed field", Filter{Query: "changed:signInMethods"}, []string{"alice changes sign-in"}},
		{"changed field, any case of the text", Filter{Query: "changed:permissions"}, []string{"bob grants secrets:write"}},
		{"changed to include a value", Filter{Query: "changed:permissions=secrets:write"}, []string{"bob grants secrets:write"}},
		{"changed to a value", Filter{Query: `changed:name="Deployers"`}, []string{"bob renames deployers"}},
		{"changed to another value", Filter{Query: "changed:name=Deploy"}, nil},
		{"not changed", Filter{Query: "category:rbac -changed:name"}, []string{"bob grants secrets:write", "alice creates deployers"}},
		{"changed fields are alternatives", Filter{Query: "changed:name changed:signInMethods"}, []string{"alice changes sign-in", "bob renames deployers"}},
		{"word: the resource's name", Filter{Query: "stripe"}, []string{"system drops"}},
		{"word: the actor's name", Filter{Query: `"bob@example" deployers`}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"words must all match", Filter{Query: "deployers secrets"}, []string{"bob grants secrets:write"}},
		{"negated word", Filter{Query: "deployers -secrets"}, []string{"bob renames deployers", "alice creates deployers"}},
		{"negated word alone", Filter{Query: "-deployers"}, []string{"system drops", "bob logs in", "alice changes sign-in"}},
		{"negated label", Filter{Query: `-"logged in" -"org settings"`, Range: Last7Days}, []string{"system drops"}},
		{"query and search", Filter{Search: "deployers", Query: "actor:bob@example.com"}, []string{"bob renames deployers", "bob grants secrets:write"}},
		{"requestId field", Filter{RequestID: "req-aaaaaaaa"}, []string{"alice creates deployers"}},
		{"ipAddress field", Filter{IPAddress: "10.1.2.3"}, []string{"bob grants secrets:write"}},
		{"ipAddress field, a network", Filter{IPAddress: "203.0.113.0/24", Query: "-category:org"}, []string{"alice creates deployers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []uuid.UUID
			for _, name := range tc.want {
				e, ok := events[name]
				if !ok {
					t.Fatalf("no event %q", name)
				}
				want = append(want, e.ID)
			}
			for _, n := range []int{1, 50} {
				requireSameIDs(t, f.walk(t, org, tc.filter, n), want)
			}
		})
	}
}

func TestABadQueryIsBadInputPointingAtTheToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.list(t, uuid.New(), ListQuery{First: 10, Filter: Filter{Query: "role acter:alice"}})
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.BadUserInput || e.Field != "filter.query" {
		t.Fatalf("error = %v, want BadUserInput on filter.query", err)
	}
	if e.Extensions["token"] != "acter:alice" || e.Extensions["start"] != 5 || e.Extensions["end"] != 16 {
		t.Errorf("extensions = %v, want the token acter:alice at 5..16", e.Extensions)
	}
	for _, tc := range []struct {
		name   string
		filter Filter
		field  string
	}{
		{"bad ipAddress", Filter{IPAddress: "10.0.0"}, "filter.ipAddress"},
		{"huge requestId", Filter{RequestID: fmt.Sprint(make([]byte, 300))}, "filter.requestId"},
		{"dates that leave no time", Filter{Query: "after:2026-11-03 before:2026-11-02"}, "filter.query"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.list(t, uuid.New(), ListQuery{First: 10, Filter: tc.filter})
			if e, ok := apperr.As(err); !ok || e.Code != apperr.BadUserInput || e.Field != tc.field {
				t.Fatalf("error = %v, want BadUserInput on %s", err, tc.field)
			}
		})
	}
}

// A cursor is bound to the query it was issued for.
func TestACursorOfAnotherQueryIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	f.insert(t, event(org, testNow.Add(-time.Hour), CreatedRole), event(org, testNow.Add(-2*time.Hour), CreatedRole))
	p := f.mustList(t, org, ListQuery{First: 1, Filter: Filter{Query: "action:created_role"}})
	for _, filter := range []Filter{{Query: "action:updated_role"}, {RequestID: "req-1"}, {IPAddress: "10.0.0.1"}} {
		_, err := f.list(t, org, ListQuery{First: 1, After: p.EndCursor, Filter: filter})
		if e, ok := apperr.As(err); !ok || e.Field != "after" {
			t.Errorf("%+v: error = %v, want BadUserInput on after", filter, err)
		}
	}
	if p := f.mustList(t, org, ListQuery{First: 1, After: p.EndCursor, Filter: Filter{Query: "action:created_role"}}); len(p.Events) != 1 {
		t.Errorf("the next page of the same query holds %d events", len(p.Events))
	}
}

// Negated and positive clauses of every kind still run as one statement,
// whichever shape the listing takes.
func TestQueriesAreOneStatement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	org := uuid.New()
	f.insert(t, event(org, testNow.Add(-time.Hour), CreatedRole))
	for _, q := range []string{"-role", "role -alice", "actor:alice@example.com changed:name", "ip:10.0.0.0/8 request:r-12345678 resource:role"} {
		f.statements.n.Store(0)
		if _, err := f.list(t, org, ListQuery{First: 10, Filter: Filter{Query: q}}); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n := f.statements.n.Load(); n != 1 {
			t.Errorf("%s: %d statements", q, n)
		}
	}
}
