package logstreams

import (
	"encoding/json"
	"fmt"

	"github.com/orgtrail/orgtrail/server/audit"
)

// record is one event of the log with its sequence number, as a stream
// delivers it.
type record struct {
	Seq   int64
	Event audit.Event
}

// nativeDetails is e's details as JSON.
func nativeDetails(e audit.Event) json.RawMessage { return e.Native().Details }

// encode writes rec in format f, without a trailing newline. org is the
// organization's id as text; host names the server (CEF's device host).
func encode(f Format, rec record, org string) ([]byte, error) {
	switch f {
	case JSON:
		n := rec.Event.Native()
		n.Sequence, n.OrganizationID = &rec.Seq, org
		return n.AppendJSON(nil), nil
	case OCSF:
		ev, err := ocsfEvent(rec, org)
		if err != nil {
			return nil, err
		}
		return json.Marshal(ev)
	case CEF:
		return []byte(cefLine(rec, org)), nil
	}
	return nil, fmt.Errorf("logstreams: unknown format %q", f)
}
