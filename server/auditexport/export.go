// Package auditexport downloads exactly the events an Audit Log filter shows,
// as CSV or NDJSON, for people (the Audit Log tab's Export) and API clients
// alike (GET /api/audit-log/export). Events are read through the Audit
// Log's own listing (audit.Reader.Each: the same filter, validation,
// retention and order as auditEvents) one keyset page at a time and written
// as they come, so an export of any size runs in constant memory and its
// first byte leaves before the last event is read.
package auditexport

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/orgtrail/orgtrail/server/apperr"
	"github.com/orgtrail/orgtrail/server/audit"
)

// Format is how an export is written.
type Format string

// The export formats.
const (
	// CSV has the Audit Log's five columns (Time, Actor, Action, Category,
	// Resource) as the tab shows them, then every stored field.
	CSV Format = "csv"
	// NDJSON has one event per line in the GraphQL AuditEvent shape.
	NDJSON Format = "ndjson"
)

// ParseFormat reads a format parameter; empty means CSV.
func ParseFormat(s string) (Format, error) {
	switch Format(strings.ToLower(s)) {
	case "", CSV:
		return CSV, nil
	case NDJSON:
		return NDJSON, nil
	}
	return "", apperr.Invalid("format", "format must be csv or ndjson")
}

// ContentType is the format's media type.
func (f Format) ContentType() string {
	if f == NDJSON {
		return "application/x-ndjson"
	}
	return "text/csv; charset=utf-8"
}

// pageSize is how many events one statement of an export reads: large
// enough that a million events take few round trips, small enough that a
// page is a few megabytes at most.
const pageSize = 5000

// CSVHeader is the first line of a CSV export.
var CSVHeader = []string{"Time", "Actor", "Action", "Category", "Resource", "Event ID", "Actor type", "Actor ID",
	"Actor email", "Actor name", "Resource type", "Resource ID", "Resource name", "IP address", "User agent",
	"Request ID", "Details"}

// Write writes every event q selects in org to w, newest first, in format f,
// flushing after each page when w is an http.Flusher. It reads through
// reader.Each, the listing auditEvents pages through.
func Write(ctx context.Context, w io.Writer, reader *audit.Reader, org uuid.UUID, q audit.ListQuery, f Format) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var row func(audit.Event) error
	var cw *csv.Writer
	switch f {
	case NDJSON:
		var line []byte
		row = func(e audit.Event) error {
			line = append(e.Native().AppendJSON(line[:0]), '\n')
			_, err := bw.Write(line)
			return err
		}
	default:
		cw = csv.NewWriter(bw)
		if err := cw.Write(CSVHeader); err != nil {
			return err
		}
		record := make([]string, len(CSVHeader))
		row = func(e audit.Event) error {
			csvRecord(record, e)
			return cw.Write(record)
		}
	}
	flush := func() error {
		if cw != nil {
			if cw.Flush(); cw.Error() != nil {
				return cw.Error()
			}
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		return nil
	}
	// The header (or, for NDJSON, the status line) leaves at once: the
	// client knows the export started before the first page is read.
	if err := flush(); err != nil {
		return err
	}
	n := 0
	var writeErr error
	for chunk := range readAhead(ctx, reader, org, q) {
		for _, e := range chunk.events {
			if writeErr != nil {
				break // drained until the reader stops
			}
			if writeErr = row(e); writeErr == nil {
				if n++; n%pageSize == 0 {
					writeErr = flush()
				}
			}
		}
		if writeErr != nil {
			chunk.stop()
		}
		if chunk.err != nil {
			return chunk.err
		}
	}
	if writeErr != nil {
		return writeErr
	}
	if err := ctx.Err(); err != nil {
		return err // the reading stopped short: no ending as if complete
	}
	return flush()
}

// chunk is a run of events read ahead, or the error that ended the reading.
type chunk struct {
	events []audit.Event
	err    error
	stop   context.CancelFunc
}

// chunkSize is how many events the reader hands over at a time.
const chunkSize = 1000

// readAhead reads what q selects through reader.Each in a goroutine, a page
// ahead of the writing: the database's time and the encoding's overlap
// (on two cores the export spent about half its time waiting for the next
// page), and at most about two pages of events are held. The channel closes when the reading ends;
// its last chunk carries the reading's error, if any. A chunk's stop ends
// the reading early.
func readAhead(ctx context.Context, reader *audit.Reader, org uuid.UUID, q audit.ListQuery) <-chan chunk {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan chunk, pageSize/chunkSize)
	go func() {
		defer close(out)
		defer cancel()
		send := func(c chunk) error {
			c.stop = cancel
			select {
			case out <- c:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		events := make([]audit.Event, 0, chunkSize)
		err := reader.Each(ctx, org, q, pageSize, func(e audit.Event) error {
			if events = append(events, e); len(events) == chunkSize {
				if err := send(chunk{events: events}); err != nil {
					return err
				}
				events = make([]audit.Event, 0, chunkSize)
			}
			return nil
		})
		if err == nil && len(events) > 0 {
			err = send(chunk{events: events})
		}
		if err != nil && ctx.Err() == nil {
			out <- chunk{err: err, stop: cancel}
		}
	}()
	return out
}

// csvRecord fills record with e's cells.
func csvRecord(record []string, e audit.Event) {
	n := e.Native()
	actor := firstOf(e.ActorEmail, e.ActorName, e.ActorID, string(e.ActorType))
	resource := e.ResourceType
	if e.ResourceName != "" && e.ResourceName != e.ResourceID {
		resource += " " + e.ResourceName
	}
	category := string(n.Category)
	if info, ok := audit.LookupCategory(n.Category); ok {
		category = info.Label
	}
	ip := ""
	if e.IPAddress != nil {
		ip = *e.IPAddress
	}
	copy(record, []string{
		e.OccurredAt.UTC().Format(time.RFC3339Nano), actor, n.ActionLabel, category, resource,
		n.ID, string(e.ActorType), e.ActorID, e.ActorEmail, e.ActorName, e.ResourceType, e.ResourceID, e.ResourceName,
		ip, e.UserAgent, e.RequestID, string(n.Details),
	})
	for i := range record {
		record[i] = inert(record[i])
	}
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// inert keeps a cell from being read as a formula by a spreadsheet (CSV
// injection, OWASP): an actor's name or a resource name is text someone else
// chose, and a cell starting with =, +, -, @, a tab or a carriage return
// would run when the file is opened. Such a cell gets a leading apostrophe,
// which spreadsheets hide and read as "this is text".
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
