package audit

import (
	"database/sql"
	"fmt"
)

// scanStored reads the rows of a listing in stored mode (Reader.Each, whose
// readers stream millions of events: bundles and exports) by position, as
// listing.columns writes them, without GORM's reflection and without
// decoding details into a map: Event.Details stays nil, Event.DetailsJSON
// holds them as stored. Measured on a million events, GORM's Scan was most
// of the export's CPU.
func scanStored(rows *sql.Rows) ([]Event, error) {
	defer rows.Close()
	var events []Event
	var details sql.RawBytes
	for rows.Next() {
		var e Event
		var action, actorType string
		if err := rows.Scan(&e.OrganizationID, &e.OccurredAt, &e.ID, &action, &actorType, &e.ActorID, &e.ActorEmail,
			&e.ActorName, &e.ResourceType, &e.ResourceID, &e.ResourceName, &details, &e.IPAddress, &e.UserAgent,
			&e.RequestID, &e.XID, &e.Inet, &e.DetailsJSON); err != nil {
			return nil, fmt.Errorf("audit: list events: %w", err)
		}
		e.Action, e.ActorType = Action(action), ActorType(actorType)
		events = append(events, e)
	}
	return events, rows.Err()
}
