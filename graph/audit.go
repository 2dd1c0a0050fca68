package graph

import (
	"github.com/orgtrail/orgtrail/graph/model"
	"github.com/orgtrail/orgtrail/server/audit"
)

// auditFilter maps the GraphQL filter to the domain's; validation is the domain's.
func auditFilter(f *model.AuditEventFilter) audit.Filter {
	if f == nil {
		return audit.Filter{}
	}
	out := audit.Filter{
		Search:       stringOr(f.Search, ""),
		TimeZone:     stringOr(f.TimeZone, ""),
		From:         f.From.Value(),
		To:           f.To.Value(),
		ActorID:      stringOr(f.ActorID, ""),
		ResourceType: stringOr(f.ResourceType, ""),
		ResourceID:   stringOr(f.ResourceID, ""),
	}
	if c := f.Category.Value(); c != nil {
		out.Category = *c
	}
	if a := f.Action.Value(); a != nil {
		out.Action = *a
	}
	if r := f.Range.Value(); r != nil {
		out.Range = audit.DateRange(*r)
	}
	return out
}

func auditConnection(p audit.Page) *model.AuditEventConnection {
	conn := &model.AuditEventConnection{Edges: make([]model.AuditEventEdge, len(p.Events)),
		PageInfo: &model.PageInfo{HasNextPage: p.HasNextPage}}
	for i, e := range p.Events {
		conn.Edges[i] = model.AuditEventEdge{Cursor: p.Cursors[i], Node: auditEventModel(e)}
	}
	if p.EndCursor != "" {
		conn.PageInfo.EndCursor = &p.EndCursor
	}
	return conn
}

func auditEventModel(e audit.Event) *model.AuditEvent {
	details := map[string]any(e.Details)
	if details == nil {
		details = map[string]any{}
	}
	return &model.AuditEvent{
		ID:          e.ID.String(),
		OccurredAt:  e.OccurredAt,
		Category:    e.Action.Category(),
		Action:      e.Action,
		ActionLabel: e.Action.Label(),
		Actor: &model.AuditActor{Type: e.ActorType, ID: nonEmpty(e.ActorID), Email: nonEmpty(e.ActorEmail),
			Name: nonEmpty(e.ActorName)},
		Resource:  &model.AuditResource{Type: e.ResourceType, ID: e.ResourceID, Name: nonEmpty(e.ResourceName)},
		Details:   details,
		IPAddress: e.IPAddress,
		UserAgent: nonEmpty(e.UserAgent),
		RequestID: nonEmpty(e.RequestID),
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
