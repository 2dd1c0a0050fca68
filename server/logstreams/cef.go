package logstreams

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/orgtrail/orgtrail/server/audit"
)

// cefLine is rec as an ArcSight Common Event Format (CEF:0) line, what
// classic SIEMs read from syslog. Each audit field has its place: rt (time),
// act (action), cat (category), suser/suid (actor), src or c6a2 (IPv4 or
// IPv6 address), requestClientApplication (user agent), externalId (event
// id), cn1 (sequence) and the custom strings cs1–cs6 (resource type, id and
// name, request id, organization, details as JSON), each with its label.
func cefLine(rec record, org string) string {
	e := rec.Event
	severity := "3"
	if e.Action == audit.LoginFailed {
		severity = "6"
	}
	var b strings.Builder
	b.WriteString("CEF:0|Orgtrail|Orgtrail|1|")
	b.WriteString(cefHeader(string(e.Action)))
	b.WriteByte('|')
	b.WriteString(cefHeader(e.Action.Label()))
	b.WriteByte('|')
	b.WriteString(severity)
	b.WriteByte('|')
	category := string(e.Action.Category())
	if info, ok := audit.LookupCategory(e.Action.Category()); ok {
		category = info.Label
	}
	ext := [][2]string{
		{"rt", strconv.FormatInt(e.OccurredAt.UnixMilli(), 10)},
		{"act", string(e.Action)},
		{"cat", category},
		{"suser", firstOf(e.ActorEmail, e.ActorName)},
		{"suid", e.ActorID},
		{"cs1Label", "resourceType"}, {"cs1", e.ResourceType},
		{"cs2Label", "resourceId"}, {"cs2", e.ResourceID},
		{"cs3Label", "resourceName"}, {"cs3", e.ResourceName},
		{"cs4Label", "requestId"}, {"cs4", e.RequestID},
		{"cs5Label", "organizationId"}, {"cs5", org},
		{"cs6Label", "details"}, {"cs6", string(nativeDetails(e))},
		{"cn1Label", "sequence"}, {"cn1", strconv.FormatInt(rec.Seq, 10)},
		{"externalId", e.ID.String()},
		{"requestClientApplication", e.UserAgent},
		{"msg", summary(e)},
	}
	if e.IPAddress != nil {
		if a, err := netip.ParseAddr(*e.IPAddress); err == nil {
			if a.Unmap().Is4() {
				ext = append(ext, [2]string{"src", a.Unmap().String()})
			} else {
				ext = append(ext, [2]string{"c6a2", a.String()})
			}
		}
	}
	first := true
	for _, kv := range ext {
		if kv[1] == "" {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		b.WriteString(kv[0])
		b.WriteByte('=')
		b.WriteString(cefValue(kv[1]))
	}
	return b.String()
}

// cefHeader escapes a header field: backslash and pipe are escaped, and a
// line break, which the format does not allow there, becomes a space.
var cefHeader = strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace

// cefValue escapes an extension value: backslash and equals sign are
// escaped, line breaks written as \n and \r.
var cefValue = strings.NewReplacer(`\`, `\\`, `=`, `\=`, "\r\n", `\n`, "\n", `\n`, "\r", `\r`).Replace
