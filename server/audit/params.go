package audit

import (
	"net/url"
	"time"

	"github.com/orgtrail/orgtrail/server/apperr"
)

// FilterFromQuery reads an auditEvents filter from URL query parameters named
// as the GraphQL filter's fields (search, category, action, range, timeZone,
// from, to, actorId, resourceType, resourceId; from and to in RFC 3339). It
// is the one reading of a filter for the HTTP surfaces that stream what the
// Audit Log shows (the verification bundle, the export), so a field added to
// the filter is read here once for all of them. Values are checked by the
// listing itself (CheckQuery), as for auditEvents; only what cannot become a
// Filter is refused here, as BAD_USER_INPUT naming the parameter.
func FilterFromQuery(q url.Values) (Filter, error) {
	f := Filter{
		Search: q.Get("search"), TimeZone: q.Get("timeZone"),
		Category: Category(q.Get("category")), Action: Action(q.Get("action")), Range: DateRange(q.Get("range")),
		ActorID: q.Get("actorId"), ResourceType: q.Get("resourceType"), ResourceID: q.Get("resourceId"),
		RequestID: q.Get("requestId"), IPAddress: q.Get("ipAddress"), Query: q.Get("query"),
	}
	for _, b := range []struct {
		name string
		dst  **time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(b.name); v != "" {
			t, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return f, apperr.Invalid(b.name, "%s must be an RFC 3339 time", b.name)
			}
			*b.dst = &t
		}
	}
	return f, nil
}
